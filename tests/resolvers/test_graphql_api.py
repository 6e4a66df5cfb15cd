"""The GraphQL API beyond search: batching, lineage, citations, the anonymous view, errors, GraphQL over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.search import SearchIndex
from graph.store.embedded import GraphStore
from loaders import scicat
from loaders.base import load
from loaders.demo import DemoCatalogue
from tests.helpers import TODAY
from tests.resolvers.test_graphql_helpers import errors, gql, request, sparql

NESTED = """query($n: Int, $after: String) { datasets(first: $n, after: $after, filter: {embargoed: false}) {
  totalCount pageInfo { endCursor } edges { node { pid title techniques { label } dois { doi citationCount citedBy { title } }
  software { version software { name } } citationCount citedBy { title authors { name } } } } } }"""


def _full(edges: list[dict[str, Any]]) -> bool:
    """Whether a page reaches every nested level (software names and citing authors), so costs compare."""
    nodes = [e["node"] for e in edges]
    return any(n["software"] for n in nodes) and any(n["citedBy"] for n in nodes)


@pytest.fixture
def counted(demo_store: tuple[GraphStore, DemoCatalogue], monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    store, _ = demo_store
    SearchIndex.of(store).catch_up()  # the lists' index, built before the store queries are counted
    calls: list[str] = []
    real = store.values  # what the GraphQL resolvers query the store with

    def values(sparql: str, scope: Any = "all") -> Any:
        calls.append(sparql)
        return real(sparql, scope)

    monkeypatch.setattr(store, "values", values)
    yield calls


def test_a_page_of_5_and_of_100_cost_the_same_store_queries(
    demo_store: tuple[GraphStore, DemoCatalogue], counted: list[str]
) -> None:
    store, _ = demo_store
    after = None
    for _ in range(20):  # the first page of 5 that has derived data with software and cited data
        counted.clear()
        page = gql(store, NESTED, n=5, after=after)["datasets"]
        if _full(page["edges"]):
            break
        after = page["pageInfo"]["endCursor"]
    small = len(counted)
    counted.clear()
    big = gql(store, NESTED, n=100)["datasets"]
    assert len(page["edges"]) == 5 and len(big["edges"]) == 100 and _full(page["edges"]) and _full(big["edges"])
    # the page and its totalCount come from the search index; then one batched query per nested level: the
    # datasets' links; titles, labels, versions and citing works; software names and authors
    assert small == len(counted) <= 4, (small, len(counted))


NESTED_PAGES = """query($n: Int) { instruments(first: $n) { edges { node { iri
  datasets(first: 3) { totalCount pageInfo { hasNextPage } edges { cursor node { pid title } } } } } } }"""
ONE_INSTRUMENT = """query($pid: String!) { instrument(pid: $pid) {
  datasets(first: 3) { totalCount pageInfo { hasNextPage } edges { cursor node { pid title } } } } }"""


def test_nested_connections_of_a_page_of_3_and_of_30_cost_the_same_store_queries(
    demo_store: tuple[GraphStore, DemoCatalogue], counted: list[str]
) -> None:
    store, _ = demo_store
    counted.clear()
    small = gql(store, NESTED_PAGES, n=3)["instruments"]["edges"]
    few = len(counted)
    counted.clear()
    big = gql(store, NESTED_PAGES, n=30)["instruments"]["edges"]
    assert len(small) == 3 and len(big) == 30
    # instruments, their pages, the pages' counts, the datasets' titles
    assert few == len(counted) <= 4, (few, len(counted))
    # each instrument's page is what asking for that instrument alone gives (a query of its own)
    for edge in big[:: 7]:
        alone = gql(store, ONE_INSTRUMENT, pid=edge["node"]["iri"])["instrument"]["datasets"]
        assert edge["node"]["datasets"] == alone
    assert sum(e["node"]["datasets"]["totalCount"] for e in big) > 0


def test_citation_counts_count_each_citing_work_once(demo_store: tuple[GraphStore, DemoCatalogue]) -> None:
    store, _ = demo_store
    expected = {d: int(n) for d, n in sparql(store, "SELECT ?d (COUNT(DISTINCT ?p) AS ?n) WHERE { ?d a dcat:Dataset ; "
                                                    "pankg:doi ?x . ?p cito:cites ?x } GROUP BY ?d")}
    assert len(expected) > 0
    page = gql(store, '{ datasets(first: 100, filter: {cited: true}) { edges { node { iri citationCount '
                      "citedBy { iri } } } } }")["datasets"]["edges"]
    assert {e["node"]["iri"]: e["node"]["citationCount"] for e in page} == expected
    assert all(len(e["node"]["citedBy"]) == e["node"]["citationCount"] for e in page)
    software = gql(store, "{ softwareList(first: 100) { edges { node { iri citationCount } } } }")
    cited_software = sparql(store, "SELECT ?s (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s <http://purl.org/dc/terms/hasVersion> "
                                   "?v . ?v pankg:doi ?x . ?p cito:cites ?x } GROUP BY ?s")
    assert {e["node"]["iri"]: e["node"]["citationCount"] for e in software["softwareList"]["edges"]
            if e["node"]["citationCount"]} == {s: int(n) for s, n in cited_software}


LINEAGE = """query($pid: String!, $dir: Direction!) { lineage(pid: $pid, direction: $dir, maxDepth: 4) {
  nodes { iri kind label depth } edges { source relation target } } }"""


def test_lineage_of_a_derived_dataset_back_to_raw_inputs_and_software(
    demo_store: tuple[GraphStore, DemoCatalogue], counted: list[str]
) -> None:
    store, _ = demo_store
    derived, run, version, software = sparql(store, "SELECT ?d ?r ?v ?s WHERE { ?d a pankg:DerivedDataset ; "
                                                    "prov:wasGeneratedBy ?r . ?r pankg:usedSoftware ?v . ?v "
                                                    "<http://purl.org/dc/terms/isVersionOf> ?s } ORDER BY ?d LIMIT 1")[0]
    raws = {r[0] for r in sparql(store, f"SELECT ?raw WHERE {{ <{run}> prov:used ?raw }}")}
    counted.clear()
    graph = gql(store, LINEAGE, pid=derived, dir="UPSTREAM")["lineage"]
    assert len(counted) <= 4  # one query per depth level at most
    edges = {(e["source"], e["relation"], e["target"]) for e in graph["edges"]}
    assert (derived, "wasGeneratedBy", run) in edges and (run, "usedSoftware", version) in edges
    assert {(run, "used", raw) for raw in raws} <= edges and (version, "isVersionOf", software) in edges
    kinds = {n["iri"]: n["kind"] for n in graph["nodes"]}
    assert kinds[derived] == "DATASET" and kinds[run] == "RUN" and kinds[version] == "SOFTWARE_VERSION"
    down = gql(store, LINEAGE, pid=sorted(raws)[0], dir="DOWNSTREAM")["lineage"]
    assert (derived, "wasGeneratedBy", run) in {(e["source"], e["relation"], e["target"]) for e in down["edges"]}
    navigation = gql(store, '{ dataset(pid: "%s") { generatedBy { inputs { iri } software { software { iri } } } '
                            "derivedFrom { iri derivatives { iri } } } }" % derived)["dataset"]
    assert {d["iri"] for d in navigation["generatedBy"]["inputs"]} == raws
    assert all(derived in {x["iri"] for x in d["derivatives"]} for d in navigation["derivedFrom"])


def test_anonymous_readers_see_only_the_stub_of_embargoed_datasets(
    demo_store: tuple[GraphStore, DemoCatalogue],
) -> None:
    store, _ = demo_store
    _, rows = store.query("SELECT ?id ?t WHERE { ?d <https://w3id.org/pankg/ontology#accessLevel> "
                          "<https://w3id.org/pankg/ontology#Restricted> ; <http://purl.org/dc/terms/identifier> ?id ; "
                          "<http://purl.org/dc/terms/title> ?t } LIMIT 1", "all")
    pid, title = rows[0][0].value, rows[0][1].value
    found = gql(store, '{ dataset(pid: "%s") { pid embargoed embargoEnd title description parameters { name } '
                       "facility { name } techniques { iri } } }" % pid)["dataset"]
    assert found["embargoed"] and found["embargoEnd"] and found["facility"]["name"] and found["techniques"]
    assert found["title"] is None and found["description"] is None and found["parameters"] == []
    assert title not in request(store, json={"query": '{ datasets(first: 100, filter: {embargoed: true}) '
                                                      "{ edges { node { title } } } }"}).text


def test_bad_input_gives_readable_graphql_errors(demo_store: tuple[GraphStore, DemoCatalogue]) -> None:
    store, _ = demo_store
    status, messages = errors(store, "{ datasets { nope } }")
    assert status == 400 and "Cannot query field 'nope'" in messages[0]
    status, messages = errors(store, '{ datasets(first: "ten") { totalCount } }')
    assert status == 400 and "Int cannot represent" in messages[0]
    energy = '{ datasets(filter: {parameters: [{name: "photon_energy", min: 8, unit: "%s"}]}) { totalCount } }'
    status, messages = errors(store, energy % "kilo-banana")
    assert status == 200 and "unknown unit 'kilo-banana'" in messages[0]
    status, messages = errors(store, energy % "K")
    assert status == 200 and "cannot express 'photon_energy'" in messages[0]
    status, messages = errors(store, '{ datasets(after: "not-a-cursor") { totalCount } }')
    assert status == 200 and "invalid cursor" in messages[0]
    status, messages = errors(store, "{ datasets(first: 1000) { totalCount } }")
    assert "first must be between 0 and 100" in messages[0]
    assert gql(store, '{ dataset(pid: "no-such-dataset") { title } lineage(pid: "no-such-dataset") { edges { source } } }') \
        == {"dataset": None, "lineage": None}
    deep = "{ datasets { edges { node { " + "derivedFrom { " * 14 + "iri" + " }" * 14 + " } } } }"
    status, messages = errors(store, deep)
    assert status == 400 and "exceeds maximum operation depth" in messages[0]
    status, messages = errors(store, '{ dataset(pid: "https://example.org/a b>") { iri } }')
    assert status == 200 and "not a valid IRI" in messages[0]


def test_graphql_over_http(demo_store: tuple[GraphStore, DemoCatalogue]) -> None:
    store, catalogue = demo_store
    query = "{ datasets(first: 1) { totalCount } }"
    got = request(store, "GET", params={"query": query})
    assert got.status_code == 200 and got.headers["content-type"].startswith("application/graphql-response+json")
    assert got.json()["data"]["datasets"]["totalCount"] == catalogue.datasets
    legacy = request(store, accept="application/json", json={"query": "{ nope }"})
    assert legacy.status_code == 200 and legacy.headers["content-type"].startswith("application/json")
    assert request(store, accept="text/csv", json={"query": query}).status_code == 406
    assert request(store, "PUT", json={"query": query}).status_code == 405
    assert request(store, content=b"{not json", headers={"content-type": "application/json"}).status_code == 400
    assert request(store, content=b"query=1", headers={"content-type": "text/plain"}).status_code == 415
    assert request(store, json={"variables": {}}).status_code == 400
    page = request(store, "GET", accept="text/html")
    assert page.status_code == 200 and "<textarea" in page.text and "https://" not in page.text  # no CDN


def test_lineage_of_a_scicat_derived_dataset(shared: Path) -> None:
    store = GraphStore()
    for source in scicat.sources([str(shared / "reference/catalogues/scicatlive")]):
        load(store, source, as_of=TODAY)
    graph = gql(store, LINEAGE, pid="PID.SAMPLE.PREFIX/ukri_ds6", dir="UPSTREAM")["lineage"]
    ds5, ds6 = (store.minter.iri("dataset", f"PID.SAMPLE.PREFIX/ukri_ds{n}") for n in (5, 6))
    edges = {(e["source"], e["relation"], e["target"]) for e in graph["edges"]}
    kinds = {n["iri"]: n["kind"] for n in graph["nodes"]}
    runs = [s for s, rel, t in edges if rel == "used" and t == ds5]
    assert len(runs) == 1 and (ds6, "wasGeneratedBy", runs[0]) in edges and (ds6, "wasDerivedFrom", ds5) in edges
    versions = [t for s, rel, t in edges if s == runs[0] and rel == "usedSoftware"]
    assert versions and all(kinds[v] == "SOFTWARE_VERSION" for v in versions)
    software = [t for s, rel, t in edges if s in versions and rel == "isVersionOf"]
    assert software and all(kinds[s] == "SOFTWARE" for s in software)
    assert any("RB1720415_run_46992.py" in s for s in software)
