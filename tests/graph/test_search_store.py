"""The search index follows the store: loads, removals, releases and updates make it catch up (re-indexing only
what a write touched, giving what a rebuild gives), a crash between a store write and the index leaves them
consistent at the next open, ``pankg index rebuild`` rebuilds it, and the SciCat
reference records are found as SPARQL finds them."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

from typer.testing import CliRunner

from graph.model.access import Entitlement
from graph.search import DatasetQuery, EntityQuery, Order, SearchIndex
from graph.search.entities import KINDS
from graph.search.index import META
from graph.store.embedded import GraphStore
from graph.store.reads import Scope
from loaders import scicat
from graph.store.updates import apply_update
from loaders.base import LoadOptions, load
from loaders.demo import DemoCatalogue, DemoSource
from pankg.cli import app
from tests.helpers import TODAY, demo_source
from tests.loaders.panet_files import MINI, load_panet, write

DATASETS = "SELECT DISTINCT ?d WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> . %s }"
RESTRICTED = "?d <https://w3id.org/pankg/ontology#accessLevel> <https://w3id.org/pankg/ontology#Restricted>"
SAS = "http://purl.org/pan-science/PaNET/PaNET01124"
SCAN = 'FILTER EXISTS { ?d <http://purl.org/dc/terms/title> ?t FILTER(REGEX(?t, "\\\\bscan\\\\b", "i")) }'


def agrees(store: GraphStore, index: SearchIndex, scope: Scope = "public", where: str = "",
           query: DatasetQuery | None = None) -> set[str]:
    """The index's hits for ``query`` are what SPARQL finds in ``scope``; returns them."""
    _, rows = store.values(DATASETS % where, scope)
    page = index.search(query or DatasetQuery(), scope, 1000)
    assert not page.has_next
    assert {h.iri for h in page.hits} == {r[0] for r in rows}
    assert page.total == len(rows)
    return {h.iri for h in page.hits}


def test_loads_removals_and_releases_make_the_index_catch_up() -> None:
    store = GraphStore()
    load(store, demo_source(80, seed=3), as_of=TODAY)
    index = SearchIndex.open(store)
    assert index.is_current and len(agrees(store, index)) == 80
    load(store, demo_source(50, seed=4), as_of=TODAY)  # the same source, other content
    assert not index.is_current
    rebuilt = index.catch_up()
    assert rebuilt is not None and rebuilt.datasets == 50 and index.is_current
    assert index.catch_up() is None  # current: nothing to do
    embargoed = agrees(store, index, "all", RESTRICTED, DatasetQuery(access="restricted"))
    scanned = agrees(store, index, "all", SCAN, DatasetQuery(text="scan"))  # raw datasets' titles
    assert embargoed & scanned and not agrees(store, index, "public", SCAN, DatasetQuery(text="scan")) & embargoed
    store.release(as_of=dt.date(2100, 1, 1))  # every embargo ends: titles become public
    assert index.catch_up() is not None
    assert agrees(store, index, "public", SCAN, DatasetQuery(text="scan")) == scanned
    assert not agrees(store, index, "public", RESTRICTED, DatasetQuery(access="restricted"))
    assert store.remove_source("demo", "pankg:demo")
    index.catch_up()
    assert index.search(DatasetQuery(), "all").total == 0


def test_a_crash_between_the_store_and_the_index_is_caught_up_on_open(tmp_path: Path) -> None:
    data = tmp_path / "kg"
    with GraphStore(data) as store:
        load(store, demo_source(40, seed=1), as_of=TODAY)
        index = SearchIndex.open(store)
        assert index.path == data / "search" and index.version == store.write_version == 1
    with GraphStore(data) as store:  # a write, then the process dies before the index hears of it
        load(store, demo_source(30, seed=2), as_of=TODAY)
        assert store.write_version == 2
    with GraphStore(data) as store:
        assert store.write_version == 2  # kept in the meta graph, across restarts
        index = SearchIndex.open(store, catch_up=False)
        assert index.version == 1 and not index.is_current and index.search(DatasetQuery(), "all").total == 40
        index = SearchIndex.open(store)
        assert index.is_current and len(agrees(store, index, "all")) == 30
    meta = data / "search" / META
    recorded = json.loads(meta.read_text())
    assert recorded["store_version"] == 2 and recorded["datasets"] == 30
    with GraphStore(data) as store:  # current: opened as it is, not rebuilt
        assert SearchIndex.open(store).searcher().num_docs == recorded["documents"]
    meta.unlink()  # killed after the index's commit, before its record: rebuilt
    with GraphStore(data) as store:
        assert len(agrees(store, SearchIndex.open(store), "all")) == 30
    (data / "search" / "meta.json").write_bytes(b"\x00garbage")  # tantivy's own record damaged: rebuilt
    with GraphStore(data) as store:
        assert len(agrees(store, SearchIndex.open(store), "all")) == 30


def test_the_command_line_rebuilds_the_index(tmp_path: Path) -> None:
    data = tmp_path / "kg"
    with GraphStore(data) as store:
        load(store, demo_source(25, seed=5), as_of=TODAY)
    result = CliRunner().invoke(app, ["index", "rebuild", "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert "indexed" in result.output and "25 datasets" in result.output and "store write version 1" in result.output
    assert json.loads((data / "search" / META).read_text())["store_version"] == 1
    missing = CliRunner().invoke(app, ["index", "rebuild", "--data", str(tmp_path / "none")])
    assert missing.exit_code == 1 and "no store at" in missing.output


def test_the_scicat_reference_records_are_found_as_sparql_finds_them(shared: Path) -> None:
    store = GraphStore()
    load_panet(store, shared / "reference/panet/PaNET-1.3.0-48-g7011e6b.owl")
    for source in scicat.sources([str(shared / "reference/catalogues/scicatlive/Dataset.json")], LoadOptions()):
        load(store, source, as_of=TODAY)
    index = SearchIndex.open(store)
    subtree = (f"?d <https://w3id.org/pankg/ontology#technique> ?t . {{ FILTER(?t = <{SAS}>) }} UNION "
               f"{{ ?t <https://w3id.org/pankg/ontology#subTechniqueOf> <{SAS}> }}")
    for scope in ("public", "all", Entitlement(groups=frozenset({"group1"}))):
        assert len(agrees(store, index, scope, subtree, DatasetQuery(technique=SAS))) >= 5
    assert len(agrees(store, index, "all")) == 19


def test_an_empty_store_has_an_empty_index() -> None:
    index = SearchIndex.open(GraphStore())
    page = index.search(DatasetQuery(), "public")
    assert (page.total, page.hits, page.has_next) == (0, [], False)
    assert all(not counts for counts in index.facets(DatasetQuery()).values())


def test_garbage_graphs_are_skipped_and_foreign_graphs_are_staff_only() -> None:
    store = GraphStore()
    load(store, demo_source(20, seed=6), as_of=TODAY)
    title = '<http://purl.org/dc/terms/title> "Quasicrystal"'
    dataset = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset>"
    store.raw_load(f"<https://example.org/left> {dataset} .\n<https://example.org/left> {title} .".encode(),
                   store.minter.minted("graph", "demo.0123456789abcdef.v9.public"))  # a killed load's stage
    store.raw_load(f"<https://example.org/other> {dataset} .\n<https://example.org/other> {title} .".encode(),
                   "https://example.org/tool-graph")
    index = SearchIndex.open(store)
    text = DatasetQuery(text="quasicrystal")
    assert [h.iri for h in index.search(text, "all").hits] == ["https://example.org/other"]
    assert [h.iri for h in index.search(text, Entitlement(staff=True)).hits] == ["https://example.org/other"]
    assert index.search(text, "public").total == 0 and index.search(DatasetQuery(), "public").total == 20


def same_as_rebuilt(store: GraphStore, index: SearchIndex) -> None:
    """The index answers every question as a fresh rebuild from the graph does, in every scope."""
    fresh = SearchIndex.open(store)  # an in-memory store: a new index, built now
    proposal = store.values("SELECT ?id WHERE { ?p <https://w3id.org/pankg/ontology#proposalId> ?id } LIMIT 1",
                            "all")[1][0][0]
    scopes: list[Scope] = ["public", "all", Entitlement(proposals=frozenset({proposal}))]
    for scope in scopes:
        for query in (DatasetQuery(), DatasetQuery(text="scan"), DatasetQuery(cited=True),
                      DatasetQuery(access="restricted"), DatasetQuery(text="zyzzyva")):
            ours, theirs = (i.search(query, scope, 1000, order=Order.TITLE) for i in (index, fresh))
            assert [h.iri for h in ours.hits] == [h.iri for h in theirs.hits] and ours.total == theirs.total, query
        assert index.facets(DatasetQuery(), scope) == fresh.facets(DatasetQuery(), scope)
        for kind in KINDS:
            ours, theirs = (i.search(EntityQuery(kind), scope, 1000, order=Order.TITLE) for i in (index, fresh))
            assert [h.iri for h in ours.hits] == [h.iri for h in theirs.hits], kind
    assert index.searcher().num_docs == fresh.searcher().num_docs
    agrees(store, index, "all")


def test_a_write_re_indexes_only_what_it_touched() -> None:
    store = GraphStore()
    load(store, demo_source(300, seed=3), as_of=TODAY)
    index = SearchIndex.open(store)
    documents = index.searcher().num_docs
    small = DemoSource(DemoCatalogue(12, 9, TODAY), location="pankg:demo-small")
    assert load(store, small, as_of=TODAY).changed
    step = index.catch_up()
    assert step is not None and step.incremental and 0 < step.documents < documents / 4
    same_as_rebuilt(store, index)
    other = DemoSource(DemoCatalogue(8, 10, TODAY), location="pankg:demo-small")  # the same source, other content
    assert load(store, other, as_of=TODAY).changed
    step = index.catch_up()
    assert step is not None and step.incremental
    same_as_rebuilt(store, index)
    dataset = index.search(DatasetQuery(kind="raw", embargoed=False), "public", 1).hits[0].iri
    apply_update(store, f'INSERT DATA {{ GRAPH <https://example.org/notes> {{ <{dataset}> '
                        '<http://purl.org/dc/terms/description> "A zyzzyva note" } }')  # a user graph
    step = index.catch_up()
    assert step is not None and step.incremental and step.datasets == 1
    assert [h.iri for h in index.search(DatasetQuery(text="zyzzyva")).hits] == [dataset]
    same_as_rebuilt(store, index)
    assert store.remove_source("demo", "pankg:demo-small")
    step = index.catch_up()
    assert step is not None and step.incremental
    same_as_rebuilt(store, index)
    store.release(as_of=dt.date(2100, 1, 1))  # every embargo ends: most documents change, so a rebuild
    step = index.catch_up()
    assert step is not None and not step.incremental
    same_as_rebuilt(store, index)
    load_panet(store, write(Path(tempfile.mkdtemp()) / "mini.ttl", MINI))  # a new technique tree: a rebuild
    step = index.catch_up()
    assert step is not None and not step.incremental
    same_as_rebuilt(store, index)
