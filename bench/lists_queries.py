"""The questions of bench/lists_at_scale.py: each GraphQL request, and the same question in SPARQL on the graph."""

from __future__ import annotations

PAGE = 50
PREFIXES = """PREFIX pankg: <https://w3id.org/pankg/ontology#> PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
PANKG = "https://w3id.org/pankg/ontology#"
SAXS = "http://purl.org/pan-science/PaNET/PaNET01188"
WORD = "scan"
"""In the title of every raw demo dataset ("SAXS of lysozyme, scan 3"), in no description or technique name."""

LIST = """query($after: String) { datasets(first: 50, after: $after) { totalCount pageInfo { endCursor hasNextPage }
  edges { node { iri pid title techniques { label } instrument { name } facility { name } dois { doi }
  software { version software { name } } citationCount } } } }"""
BARE = """query($after: String) { datasets(first: 50, after: $after) { totalCount pageInfo { endCursor }
  edges { node { iri } } } }"""
"""The same page without nested links: what GraphQL and the index cost without the graph's fields."""
LIST_PAGE = PREFIXES + "SELECT DISTINCT ?n WHERE {{ ?n a dcat:Dataset }} ORDER BY ?n OFFSET {offset} LIMIT 51"
LIST_COUNT = PREFIXES + "SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE { ?n a dcat:Dataset }"

FILTERED = """{ search(filter: {kind: RAW, created: {from: "2022-01-01"},
  parameters: [{name: "photon_energy", min: 8, max: 9, unit: "keV"}]}, first: 50) {
  totalCount edges { node { iri title } } } }"""
FILTERED_WHERE = """?d a pankg:RawDataset ; dcterms:created ?c ; pankg:parameter ?p .
  ?p pankg:parameterName "photon_energy" ; pankg:siValue ?v .
  FILTER(?c >= "2022-01-01T00:00:00Z"^^xsd:dateTime && ?v >= {low!r} && ?v <= {high!r})"""

TEXT = f"""{{ search(query: "{WORD}", filter: {{technique: "PaNET01188"}}, first: 50) {{
  totalCount edges {{ score node {{ iri title }} }} }} }}"""
TEXT_WHERE = f"""?d a dcat:Dataset .
  {{ ?d pankg:technique <{SAXS}> }} UNION {{ ?d pankg:technique ?t . ?t pankg:subTechniqueOf <{SAXS}> }}
  {{ ?d dcterms:title ?x }} UNION {{ ?d dcterms:description ?x }}
  FILTER(REGEX(?x, "(^|[^a-z0-9]){WORD}([^a-z0-9]|$)", "i"))"""

FACETS = ("technique", "facility", "instrument", "year", "licence", "kind", "access")
FACETS_ALL = "{ facets(filter: {kind: RAW}) { " + " ".join(f"{name} {{ value count }}" for name in FACETS) + " } }"
FACET_ONE = "{{ facets(filter: {{kind: RAW}}) {{ {} {{ value count }} }} }}"
FACET_GROUPS = {
    "technique": "{ ?d pankg:technique ?k } UNION { ?d pankg:technique ?t . ?t pankg:subTechniqueOf ?k }",
    "facility": "?d pankg:facility ?k",
    "instrument": "?d pankg:instrument ?k",
    "year": "?d dcterms:created ?y BIND(STR(YEAR(?y)) AS ?k)",
    "licence": "?d dcterms:license ?k",
    "kind": "?d a ?k VALUES ?k { pankg:RawDataset pankg:DerivedDataset }",
    "access": "?d pankg:accessLevel ?k",
}
"""One GROUP BY per facet, as bench/search_index.py writes them (the technique's own datasets as well as those
of the techniques below it: the demo loads no PaNET tree, so ``pankg:subTechniqueOf`` alone would count none)."""
FACET_VALUES = {f"{PANKG}RawDataset": "raw", f"{PANKG}DerivedDataset": "derived", f"{PANKG}Public": "public",
                f"{PANKG}Restricted": "restricted"}
"""SPARQL's values of kind and access as the index names them."""
