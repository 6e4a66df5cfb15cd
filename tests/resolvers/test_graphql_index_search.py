"""GraphQL ``search`` and ``facets`` over the search index: the same datasets as SPARQL on the graph finds, cursors to the end, the caller's scope, hostile text, and store queries that do not grow."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from graph.model.units import to_si
from graph.search import DatasetQuery, SearchIndex
from graph.store.embedded import GraphStore
from loaders.demo import DemoCatalogue
from tests.helpers import TODAY
from tests.resolvers.test_graphql_helpers import errors, gql, iris

SEARCH = """query($q: String, $filter: DatasetFilter, $first: Int, $after: String, $order: SearchOrder) {
  search(query: $q, filter: $filter, first: $first, after: $after, orderBy: $order) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor score node { iri title } } } }"""


def walk(store: GraphStore, first: int = 50, **variables: Any) -> tuple[list[str], int]:
    found: list[str] = []
    after, total = None, -1
    while True:
        page = gql(store, SEARCH, first=first, after=after, **variables)["search"]
        total = page["totalCount"] if total < 0 else total
        found += [e["node"]["iri"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return found, total
        after = page["pageInfo"]["endCursor"]


def test_every_dataset_once_walking_with_cursors(demo_store: tuple[GraphStore, DemoCatalogue]) -> None:
    store, _ = demo_store
    found, total = walk(store, first=37)
    assert len(found) == len(set(found)) == total == len(iris(store, ""))
    titles, _ = walk(store, first=50, order="TITLE")
    assert set(titles) == set(found) and len(titles) == total


XSD = "<http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize(("filter", "where"), [
    ({"kind": "DERIVED"}, "?d a pankg:DerivedDataset"),
    ({"technique": "PaNET01188"}, "?d pankg:technique <http://purl.org/pan-science/PaNET/PaNET01188>"),
    ({"created": {"from": "2023-01-01", "to": "2024-12-31"}},
     f'?d dcterms:created ?c FILTER(?c >= "2023-01-01T00:00:00Z"^^{XSD}dateTime> && '
     f'?c < "2025-01-01T00:00:00Z"^^{XSD}dateTime>)'),
    ({"parameters": [{"name": "photon_energy", "min": 8, "max": 9, "unit": "keV"}]},
     '?d pankg:parameter ?p . ?p pankg:parameterName "photon_energy" ; pankg:siValue ?v '
     f"FILTER(?v >= {to_si(8, 'keV')[0]!r} && ?v <= {to_si(9, 'keV')[0]!r})"),
    ({"licence": "CC-BY-4.0"}, "?d dcterms:license <https://spdx.org/licenses/CC-BY-4.0>"),
], ids=["kind", "technique", "created", "parameter", "licence"])
def test_search_and_the_graph_find_the_same_datasets(demo_store: tuple[GraphStore, DemoCatalogue],
                                                     filter: dict[str, Any], where: str) -> None:
    store, _ = demo_store
    expected = iris(store, where)
    by_index, count = walk(store, filter=filter)
    assert set(by_index) == expected and count == len(expected) == len(by_index)
    assert expected  # each filter finds something in the demo, or the test would prove nothing


def test_text_is_ranked_and_hostile_text_is_only_text(demo_store: tuple[GraphStore, DemoCatalogue]) -> None:
    store, catalogue = demo_store
    title = next(d.title for d in catalogue.entities() if type(d).__name__ == "Dataset" and d.public is None
                 and (d.embargo_end is None or d.embargo_end <= TODAY))
    page = gql(store, SEARCH, q=title, first=5)["search"]
    assert page["edges"] and page["edges"][0]["score"] > 0
    scores = [e["score"] for e in page["edges"]]
    assert scores == sorted(scores, reverse=True)
    for text in ['"', "title:x", "(a OR b", "*", "AND", "x]]}{", "\\"]:
        status, messages = errors(store, "query($q: String) { search(query: $q) { totalCount } }", q=text)
        assert status == 200 and messages == [], (text, messages)


def test_anonymous_callers_find_no_embargoed_detail(demo_store: tuple[GraphStore, DemoCatalogue]) -> None:
    store, catalogue = demo_store
    hidden = [d for d in catalogue.entities() if type(d).__name__ == "Dataset" and d.embargo_end
              and d.embargo_end > TODAY and d.public is None]
    assert hidden
    dataset = hidden[0]
    found = gql(store, SEARCH, q=dataset.title, first=100)["search"]["edges"]
    node = f"https://w3id.org/pankg/id/dataset/{dataset.pid}"
    assert node not in {e["node"]["iri"] for e in found}, "an embargoed title was searchable anonymously"
    staff = SearchIndex.open(store).search(DatasetQuery(text=dataset.title), "all", first=100)
    assert node in {hit.iri for hit in staff.hits}  # the words are in the index, for those who may read them
    stub = gql(store, SEARCH, filter={"access": "RESTRICTED"}, first=100)["search"]
    assert stub["totalCount"] > 0 and all(e["node"]["title"] is None for e in stub["edges"])


def test_facets_count_what_the_search_finds(demo_store: tuple[GraphStore, DemoCatalogue]) -> None:
    store, _ = demo_store
    facets = gql(store, "{ facets { kind { value count } facility { value count } technique { value count } } }")
    total = gql(store, "{ search { totalCount } }")["search"]["totalCount"]
    assert sum(f["count"] for f in facets["facets"]["kind"]) == total
    assert sum(f["count"] for f in facets["facets"]["facility"]) <= total and facets["facets"]["technique"]
    derived = gql(store, '{ facets(filter: {kind: DERIVED}) { kind { value count } } }')["facets"]["kind"]
    assert [f["value"] for f in derived] == ["derived"]


def test_a_bad_filter_is_a_clear_error(demo_store: tuple[GraphStore, DemoCatalogue]) -> None:
    store, _ = demo_store
    status, messages = errors(store, """{ search(filter: {parameters: [{name: "photon_energy", min: 1,
        unit: "furlongs"}]}) { totalCount } }""")
    assert status == 200 and messages and "furlongs" in messages[0]
    status, messages = errors(store, '{ search(after: "not-a-cursor") { totalCount } }')
    assert messages


@pytest.fixture
def counted(demo_store: tuple[GraphStore, DemoCatalogue], monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    store, _ = demo_store
    calls: list[str] = []
    real = store.values

    def values(sparql: str, scope: Any = "all") -> Any:
        calls.append(sparql)
        return real(sparql, scope)

    gql(store, "{ search(first: 1) { totalCount } }")  # the index is built for this app before counting
    monkeypatch.setattr(store, "values", values)
    yield calls


def test_store_queries_do_not_grow_with_the_page(demo_store: tuple[GraphStore, DemoCatalogue],
                                                 counted: list[str]) -> None:
    store, _ = demo_store
    nested = """query($n: Int) { search(first: $n) { edges { node { title techniques { label } facility { name }
      creators { name } } } } }"""
    small = gql(store, nested, n=5)
    queries_small = len(counted)
    counted.clear()
    big = gql(store, nested, n=100)
    assert len(small["search"]["edges"]) == 5 and len(big["search"]["edges"]) == 100
    assert len(counted) == queries_small
