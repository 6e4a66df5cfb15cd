"""Small PaNET-like ontologies written by the tests, and the queries the PaNET tests share."""

from __future__ import annotations

from pathlib import Path

from graph.store.embedded import GraphStore
from loaders import LOADERS
from loaders.base import DEFAULT_OPTIONS, LoadOptions, LoadReport, load

P = "http://purl.org/pan-science/PaNET/"
PANKG = "https://w3id.org/pankg/ontology#"
PREFIXES = """@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix obo: <http://purl.obolibrary.org/obo/> .
@prefix panet: <http://purl.org/pan-science/PaNET/> .
@prefix ex: <https://example.org/other#> .
"""

# A materialized mini-PaNET: two parents for SAXS, a synonym, a definition, and a technique that PaNET places
# under a foreign class equivalent to one of its own (as PaNET01022 and wikidata Q133900).
MINI = PREFIXES + """
<http://purl.org/pan-science/PaNET/PaNET.owl> a owl:Ontology ; owl:versionInfo "9.9.9-test" ;
    <http://purl.org/dc/terms/title> "mini PaNET" .
panet:PaNET00001 a owl:Class ; rdfs:label "photon and neutron technique" .
panet:PaNET01012 a owl:Class ; rdfs:subClassOf panet:PaNET00001 ; rdfs:label "x-ray probe technique" .
panet:PaNET01124 a owl:Class ; rdfs:subClassOf panet:PaNET00001 ; rdfs:label "small angle scattering" ;
    skos:altLabel "SAS" , "small angle diffraction" .
panet:PaNET01188 a owl:Class ; rdfs:subClassOf panet:PaNET01124 , panet:PaNET01012 ;
    rdfs:label "small angle x-ray scattering" ; skos:altLabel "SAXS" ;
    obo:IAO_0000115 "Scattering of x-rays at small angles." ;
    obo:IAO_0000119 "https://en.wikipedia.org/wiki/Small-angle_X-ray_scattering" .
panet:PaNET01162 a owl:Class ; rdfs:subClassOf panet:PaNET01188 ;
    rdfs:label "grazing incidence small angle x-ray scattering" , "GISAXS (fr)"@fr .
panet:PaNET01022 a owl:Class ; rdfs:subClassOf panet:PaNET00001 ; owl:equivalentClass ex:Diffraction ;
    rdfs:label "diffraction" .
ex:Diffraction a owl:Class .
panet:PaNET01023 a owl:Class ; rdfs:subClassOf ex:Diffraction ; rdfs:label "anomalous diffraction" .
"""

# The same techniques as a ROBOT template build leaves them: SAXS only *defined* as x-ray and small angle
# scattering, and GISAXS placed under both of those but not under SAXS. HermiT gives both their place.
DEFINED_ONLY = PREFIXES + """
panet:PaNET00001 a owl:Class ; rdfs:label "photon and neutron technique" .
panet:PaNET01012 a owl:Class ; rdfs:subClassOf panet:PaNET00001 ; rdfs:label "x-ray probe technique" .
panet:PaNET01124 a owl:Class ; rdfs:subClassOf panet:PaNET00001 ; rdfs:label "small angle scattering" .
panet:PaNET01161 a owl:Class ; rdfs:subClassOf panet:PaNET00001 ; rdfs:label "grazing incidence technique" .
panet:PaNET01188 a owl:Class ; rdfs:label "small angle x-ray scattering" ;
    owl:equivalentClass [ a owl:Class ; owl:intersectionOf ( panet:PaNET01012 panet:PaNET01124 ) ] .
panet:PaNET01162 a owl:Class ; rdfs:label "grazing incidence small angle x-ray scattering" ;
    rdfs:subClassOf panet:PaNET01012 , panet:PaNET01124 , panet:PaNET01161 .
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def load_panet(store: GraphStore, location: str | Path, force: bool = False,
               options: LoadOptions = DEFAULT_OPTIONS) -> LoadReport:
    (source,) = LOADERS["panet"]([str(location)], options)
    return load(store, source, force=force)


def below(store: GraphStore, technique: str) -> set[str]:
    """The techniques at or below ``technique``, from the materialized closure (PaNET ids, e.g. ``PaNET01188``)."""
    _, rows = store.query(f"SELECT ?t WHERE {{ ?t <{PANKG}subTechniqueOf> <{P}{technique}> }}")
    return {row[0].value.removeprefix(P) for row in rows}


def values(store: GraphStore, technique: str, predicate: str) -> set[str]:
    _, rows = store.query(f"SELECT ?v WHERE {{ <{P}{technique}> <{predicate}> ?v }}")
    return {row[0].value for row in rows}
