"""Every list of the GraphQL API from the search index: the same nodes as SPARQL over the graph finds, for every
filter and order, walked with cursors to the end (no duplicate, no gap), in each caller's scope; nested lists of
a whole page in one index job."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest

from graph.model.access import Entitlement
from graph.search import SearchIndex
from graph.store.embedded import GraphStore
from graph.store.reads import Scope
from loaders import icat, panosc, scicat
from loaders.base import LoadOptions, load
from loaders.demo import DemoCatalogue
from resolvers.graphql.context import Context
from resolvers.graphql.schema import make_schema
from tests.helpers import TODAY
from tests.loaders.panet_files import load_panet
from tests.resolvers.test_graphql_helpers import PREFIXES, errors, gql, sparql

LISTS = {"publications": "PublicationFilter", "softwareList": "SoftwareFilter", "instruments": "InstrumentFilter",
         "people": "PersonFilter", "datasets": "DatasetFilter"}
PREFIXES_MORE = PREFIXES + "PREFIX foaf: <http://xmlns.com/foaf/0.1/> PREFIX schema: <http://schema.org/>\n"


def walk(store: GraphStore, name: str, first: int, filter: dict[str, Any] | None = None,
         order: str | None = None, scope: Scope = "public") -> tuple[list[str], int]:
    """Every page of a list, forward with cursors: the IRIs in order, and the totalCount of every page (equal)."""
    extra = ", $order: DatasetOrder" if order else ""
    query = (f"query($filter: {LISTS[name]}, $first: Int, $after: String{extra}) {{ {name}(filter: $filter, "
             f"first: $first, after: $after{', orderBy: $order' if order else ''}) {{ totalCount "
             "pageInfo { hasNextPage endCursor } edges { cursor node { iri } } } }")
    found: list[str] = []
    totals: set[int] = set()
    after = None
    while True:
        page = run(store, query, scope, filter=filter, first=first, after=after, order=order)[name]
        totals.add(page["totalCount"])
        found += [e["node"]["iri"] for e in page["edges"]]
        if page["edges"]:
            assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        if not page["pageInfo"]["hasNextPage"]:
            assert len(totals) == 1, totals  # the total does not change while walking
            return found, totals.pop()
        after = page["pageInfo"]["endCursor"]


def run(store: GraphStore, query: str, scope: Scope, **variables: Any) -> dict[str, Any]:
    """The schema executed in ``scope`` (what a bearer token gives; anonymous HTTP is ``public``)."""
    variables = {k: v for k, v in variables.items() if v is not None}
    result = asyncio.run(make_schema().execute(query, variable_values=variables,
                                               context_value=Context(store=store, scope=scope)))
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


def nodes(store: GraphStore, where: str, scope: Scope = "public") -> set[str]:
    _, rows = store.values(PREFIXES_MORE + f"SELECT DISTINCT ?n WHERE {{ {where} }}", scope)
    return {r[0] for r in rows}


def named(store: GraphStore, kind: str, name: str) -> dict[str, str]:
    """Node -> its smallest name (lower case), as the index orders by it."""
    _, rows = store.values(PREFIXES_MORE + f"SELECT ?n (MIN(LCASE(STR(?l))) AS ?k) WHERE {{ ?n a {kind} ; {name} ?l }} "
                                           "GROUP BY ?n", "public")
    return {r[0]: r[1] for r in rows}


KINDS = {"publications": ("pankg:Publication", "dcterms:title"), "softwareList": ("pankg:Software", "schema:name"),
         "instruments": ("pankg:Instrument", "rdfs:label"), "people": ("foaf:Person", "foaf:name")}


@pytest.mark.parametrize("name", list(KINDS))
def test_each_list_walked_to_the_end_is_every_node_once_in_order(demo_store: tuple[GraphStore, DemoCatalogue],
                                                                name: str) -> None:
    store, _ = demo_store
    kind, label = KINDS[name]
    expected = nodes(store, f"?n a {kind}")
    assert len(expected) > 7  # more than one page
    found, total = walk(store, name, first=7)
    assert len(found) == len(set(found)) == total and set(found) == expected
    if name == "publications":  # newest first
        _, rows = store.values(PREFIXES + "SELECT ?n ?d WHERE { ?n a pankg:Publication ; dcterms:issued ?d }",
                               "public")
        issued = {r[0]: str(r[1]) for r in rows}
        dates = [issued.get(n, "") for n in found]
        assert dates == sorted(dates, reverse=True)
    else:  # by name, ignoring case, then by IRI
        keys = named(store, kind, label)
        assert [keys.get(n, "\uffff") for n in found] == sorted(keys.get(n, "\uffff") for n in found)


def test_list_filters_find_what_sparql_finds(demo_store: tuple[GraphStore, DemoCatalogue]) -> None:
    store, _ = demo_store
    checked = 0
    facility, short = sparql(store, "SELECT ?f ?s WHERE { ?i a pankg:Instrument ; pankg:facility ?f . "
                                    "?f <http://www.w3.org/2004/02/skos/core#altLabel> ?s } LIMIT 1")[0]
    technique, technique_label = sparql(store, "SELECT ?t ?l WHERE { ?s a pankg:Software ; pankg:technique ?t . "
                                               "?t rdfs:label ?l } LIMIT 1")[0]
    person, person_name = sparql(store, "SELECT ?p ?n WHERE { ?x a pankg:Publication ; dcterms:creator ?p . "
                                        "?p <http://xmlns.com/foaf/0.1/name> ?n } LIMIT 1")[0]
    organization, organization_name = sparql(
        store, "SELECT ?o ?n WHERE { ?p <http://schema.org/affiliation> ?o . ?o <http://xmlns.com/foaf/0.1/name> ?n } "
               "LIMIT 1")[0]
    title_word = sparql(store, "SELECT ?t WHERE { ?x a pankg:Publication ; dcterms:title ?t } LIMIT 1")[0][0].split()[0]
    cases = [
        ("instruments", {"facility": short}, f"?n a pankg:Instrument ; pankg:facility <{facility}>"),
        ("instruments", {"facility": facility}, f"?n a pankg:Instrument ; pankg:facility <{facility}>"),
        ("instruments", {"technique": technique_label}, f"?n a pankg:Instrument ; pankg:technique <{technique}>"),
        ("softwareList", {"technique": technique}, f"?n a pankg:Software ; pankg:technique <{technique}>"),
        ("publications", {"author": person_name}, f"?n a pankg:Publication ; dcterms:creator <{person}>"),
        ("publications", {"author": person}, f"?n a pankg:Publication ; dcterms:creator <{person}>"),
        ("publications", {"issued": {"from": "2022-01-01", "to": "2023-12-31"}},
         '?n a pankg:Publication ; dcterms:issued ?d FILTER(STR(?d) >= "2022-01-01" && STR(?d) <= "2023-12-31")'),
        ("people", {"affiliation": organization_name}, f"?n a foaf:Person ; schema:affiliation <{organization}>"),
    ]
    for name, filter, where in cases:
        expected = nodes(store, where)
        found, total = walk(store, name, first=5, filter=filter)
        assert set(found) == expected and total == len(expected) == len(found), (name, filter)
        checked += bool(expected)
    assert checked == len(cases)  # every case finds something in the demo, or it would prove nothing
    # free text: every word in the name (words, not parts of words; case and accents ignored)
    titles = dict(sparql(store, "SELECT ?n ?t WHERE { ?n a pankg:Publication ; dcterms:title ?t }"))
    word = re.sub(r"\W", "", title_word).lower()
    expected = {n for n, t in titles.items() if word in re.findall(r"\w+", t.lower())}
    found, _ = walk(store, "publications", first=50, filter={"text": title_word.upper()})
    assert set(found) == expected and expected
    assert walk(store, "instruments", first=5, filter={"facility": "no such facility"}) == ([], 0)
    status, messages = errors(store, '{ softwareList(filter: {technique: "no such technique"}) { totalCount } }')
    assert status == 200 and "unknown technique 'no such technique'" in messages[0]


ORDERS = {"PID": None, "CREATED_ASC": "asc", "CREATED_DESC": "desc", "TITLE": "title"}


@pytest.mark.parametrize("order", list(ORDERS))
def test_datasets_in_every_order_walked_to_the_end(demo_store: tuple[GraphStore, DemoCatalogue], order: str) -> None:
    store, catalogue = demo_store
    found, total = walk(store, "datasets", first=45, order=order)
    assert len(found) == len(set(found)) == total == catalogue.datasets
    if order == "PID":
        assert found == sorted(found)
    elif order == "TITLE":
        titles = dict(sparql(store, "SELECT ?d (MIN(LCASE(STR(?t))) AS ?k) WHERE { ?d a dcat:Dataset ; dcterms:title ?t }"
                                    " GROUP BY ?d"))
        keys = [titles.get(d, "\uffff")[:100] for d in found]
        assert keys == sorted(keys)  # datasets without a title (embargoed stubs) last
    else:
        created = dict(sparql(store, "SELECT ?d (MIN(?c) AS ?k) WHERE { ?d a dcat:Dataset ; dcterms:created ?c } "
                                     "GROUP BY ?d"))
        keys = [created.get(d, "") for d in found]
        assert keys == sorted(keys, reverse=order == "CREATED_DESC")


def test_a_cursor_of_one_order_is_refused_by_another(demo_store: tuple[GraphStore, DemoCatalogue]) -> None:
    store, _ = demo_store
    cursor = gql(store, "{ datasets(first: 1, orderBy: TITLE) { pageInfo { endCursor } } }")["datasets"]["pageInfo"]
    status, messages = errors(store, "query($a: String) { datasets(after: $a, orderBy: CREATED_DESC) { totalCount } }",
                              a=cursor["endCursor"])
    assert status == 200 and "invalid cursor" in messages[0]


def test_lists_in_each_scope_find_what_the_graph_shows_that_scope(demo_store: tuple[GraphStore, DemoCatalogue]) -> None:
    store, _ = demo_store
    proposal = sparql(store, "SELECT ?id WHERE { ?d pankg:accessLevel pankg:Restricted ; pankg:proposal ?p . "
                             "?p pankg:proposalId ?id } LIMIT 1")[0][0]
    scopes: list[Scope] = ["public", Entitlement(proposals=frozenset({proposal})), "all"]
    sizes = []
    for scope in scopes:
        expected = nodes(store, "?n a dcat:Dataset", scope)
        for filter in (None, {"text": "scan"}, {"embargoed": True}):
            found, total = walk(store, "datasets", first=100, filter=filter, order="TITLE", scope=scope)
            assert len(found) == len(set(found)) == total, (scope, filter)
            if filter is None:
                assert set(found) == expected
                sizes.append(len(found))
        titles = nodes(store, '?n a dcat:Dataset ; dcterms:title ?t FILTER(REGEX(?t, "\\\\bscan\\\\b", "i") || '
                              'EXISTS { ?n dcterms:description ?x FILTER(REGEX(?x, "\\\\bscan\\\\b", "i")) })', scope)
        found, _ = walk(store, "datasets", first=100, filter={"text": "scan"}, scope=scope)
        assert set(found) >= titles  # also by a technique's names
    assert sizes[0] == sizes[1] == sizes[2]  # every caller finds every dataset once: embargoed ones by their stub


NESTED = """query($n: Int) { instruments(first: $n) { edges { node { iri
  datasets(first: 3) { totalCount pageInfo { hasNextPage } edges { node { iri } } } } } } }"""


def test_nested_lists_of_a_page_are_one_index_job(demo_store: tuple[GraphStore, DemoCatalogue],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    store, _ = demo_store
    index = SearchIndex.of(store)
    index.catch_up()
    searchers = [0]
    real = index.searcher

    def counted() -> Any:
        searchers[0] += 1
        return real()

    monkeypatch.setattr(index, "searcher", counted)
    jobs = []
    for n in (2, 20):
        searchers[0] = 0
        edges = gql(store, NESTED, n=n)["instruments"]["edges"]
        jobs.append(searchers[0])
        for edge in edges:
            mine = nodes(store, f"?n a dcat:Dataset ; pankg:instrument <{edge['node']['iri']}>")
            page = edge["node"]["datasets"]
            assert page["totalCount"] == len(mine) and {e["node"]["iri"] for e in page["edges"]} <= mine
            assert len(page["edges"]) == min(3, len(mine)) and page["pageInfo"]["hasNextPage"] == (len(mine) > 3)
    assert jobs == [2, 2]  # the instruments' page, then every instrument's datasets together


SAS = "http://purl.org/pan-science/PaNET/PaNET01124"  # small angle scattering


@pytest.fixture
def reference_store(shared: Path) -> GraphStore:
    """PaNET and the SciCat, ICAT and PaNOSC reference records in one store."""
    store = GraphStore()
    load_panet(store, shared / "reference/panet/PaNET-1.3.0-48-g7011e6b.owl")
    catalogues = shared / "reference/catalogues"
    found = [*scicat.sources([str(catalogues / "scicatlive/Dataset.json")], LoadOptions()),
             *icat.sources([str(catalogues / "icat/icatdump-simple.yaml")], LoadOptions()),
             *panosc.sources([str(catalogues / "panosc/search-api-db.json")], LoadOptions())]
    for source in found:
        load(store, source, as_of=TODAY)
    return store


def test_the_reference_records_are_listed_as_sparql_finds_them(reference_store: GraphStore) -> None:
    store = reference_store
    sas = (f"?n a dcat:Dataset . {{ ?n pankg:technique <{SAS}> }} UNION "
           f"{{ ?n pankg:technique ?t . ?t pankg:subTechniqueOf <{SAS}> }}")
    for scope in ("public", Entitlement(groups=frozenset({"group1"})), "all"):
        everything = nodes(store, "?n a dcat:Dataset", scope)
        for order in ORDERS:
            found, total = walk(store, "datasets", first=3, order=order, scope=scope)
            assert len(found) == len(set(found)) == total and set(found) == everything, (scope, order)
        found, total = walk(store, "datasets", first=4, filter={"technique": "small angle scattering"}, scope=scope)
        assert set(found) == nodes(store, sas, scope) and total == len(found) >= 5, scope
    for name, (kind, _) in KINDS.items():
        expected = nodes(store, f"?n a {kind}")
        found, total = walk(store, name, first=2)
        assert len(found) == len(set(found)) == total and set(found) == expected, name
    facility = sparql(store, "SELECT ?f WHERE { ?d a dcat:Dataset ; pankg:facility ?f } LIMIT 1")[0][0]
    found, _ = walk(store, "datasets", first=5, filter={"facility": facility})
    assert set(found) == nodes(store, f"?n a dcat:Dataset ; pankg:facility <{facility}>") and found
