"""The PaNET loader on the real PaNET builds in ../shared/reference/panet (see its SOURCE.md).

The descendants below were checked by hand against PaNET-1.3.0-48-g7011e6b.owl, following its
``rdfs:subClassOf`` lines down from each technique (with awk, not with the loader's parser).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from graph.errors import SourceUnavailable
from graph.query.formats import RdfSyntax, serialize_triples
from graph.query.terms import BlankNode, NamedNode
from graph.store import rdf_input
from graph.store.embedded import GraphStore
from loaders import LOADERS
from loaders.base import load
from tests.helpers import SHARED, TODAY, demo_source
from tests.loaders.panet_files import PANKG, P, below, load_panet, values

NEWER = "PaNET-1.3.0-48-g7011e6b.owl"
OLDER = "PaNET-1.3.0.owl"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DCAT = "http://www.w3.org/ns/dcat#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
TECHNIQUES = f"SELECT ?t WHERE {{ GRAPH ?g {{ ?t a <{PANKG}Technique> }} }}"

SAXS = {"PaNET01188", "PaNET01162", "PaNET01241", "PaNET01274", "PaNET01275", "PaNET01280", "PaNET01281",
        "PaNET01282", "PaNET01286", "PaNET01287"}  # small angle x-ray scattering
SANS = {"PaNET01189", "PaNET01240", "PaNET01276", "PaNET01277", "PaNET01278"}  # small angle neutron scattering
SAS = SAXS | SANS | {"PaNET01124", "PaNET01099", "PaNET01107", "PaNET01127", "PaNET01133", "PaNET01273",
                     "PaNET01279"}  # small angle scattering (not PaNET2020072, the specifier of the same label)


@pytest.fixture(scope="module")
def panet_dir() -> Path:
    folder = SHARED / "reference" / "panet"
    if not folder.is_dir():
        pytest.skip(f"the PaNET reference files {folder} are absent (a clone outside the workplace)")
    return folder


@pytest.fixture(scope="module")
def panet_store(panet_dir: Path) -> GraphStore:
    """The newer PaNET build, loaded once for the read-only tests of this module."""
    store = GraphStore()
    load_panet(store, panet_dir / NEWER)
    return store


def test_every_class_loads_as_a_technique(shared: Path, panet_store: GraphStore) -> None:
    _, rows = panet_store.query(TECHNIQUES)
    assert len(rows) == len({r[0] for r in rows}) == 510
    _, rows = panet_store.query(f"SELECT DISTINCT ?t WHERE {{ ?t <{SKOS}altLabel> ?a }}")
    assert len(rows) == 141
    _, rows = panet_store.query(f"SELECT ?t WHERE {{ ?t <{RDFS}subClassOf> ?p }} GROUP BY ?t HAVING (COUNT(?p) > 1)")
    assert len(rows) == 231
    _, rows = panet_store.query(f"SELECT DISTINCT ?t WHERE {{ ?t <{SKOS}definition> ?d }}")
    assert len(rows) == 53
    _, rows = panet_store.query(f"SELECT ?v WHERE {{ <{P}PaNET.owl> <http://www.w3.org/2002/07/owl#versionInfo> ?v }}")
    assert [r[0].value for r in rows] == ["1.3.0-48-g7011e6b"]


def test_synonyms_and_shared_labels_stay_on_their_own_iri(shared: Path, panet_store: GraphStore) -> None:
    assert values(panet_store, "PaNET01164", SKOS + "altLabel") == {"MX", "protein crystallography"}
    assert values(panet_store, "PaNET01188", SKOS + "altLabel") == {"SAXS"}
    assert values(panet_store, "PaNET01124", RDFS + "label") == values(panet_store, "PaNET2020072", RDFS + "label")
    assert "PaNET2020072" not in below(panet_store, "PaNET01124")


def test_descendants_match_the_ones_checked_by_hand(shared: Path, panet_store: GraphStore) -> None:
    assert below(panet_store, "PaNET01188") == SAXS
    assert below(panet_store, "PaNET01189") == SANS
    assert below(panet_store, "PaNET01124") == SAS
    assert below(panet_store, "PaNET01287") == {"PaNET01287"}  # a leaf
    # The closure is what a property path over the asserted parents gives, for techniques not under a
    # foreign class (PaNET places some under wikidata Q133900, which is equivalent to PaNET01022).
    for technique in ("PaNET01188", "PaNET01124", "PaNET00001"):
        _, rows = panet_store.query(f"SELECT DISTINCT ?t WHERE {{ ?t <{RDFS}subClassOf>* <{P}{technique}> }}")
        assert {r[0].value.removeprefix(P) for r in rows} == below(panet_store, technique)
    assert {"PaNET01022", "PaNET01023"} <= below(panet_store, "PaNET01022")  # PaNET01023 is under Q133900


def test_a_dataset_of_a_leaf_technique_is_found_under_its_ancestors(shared: Path, panet_dir: Path, tmp_path: Path) -> None:
    store = GraphStore()
    load_panet(store, panet_dir / NEWER)
    load(store, demo_source(300, seed=3), as_of=TODAY)  # datasets of SAXS, GISAXS, SANS, ... among others
    record = tmp_path / "leaf.ttl"  # one dataset of a leaf: micro grazing incidence SAXS tomography
    record.write_text(f"<https://example.org/ds/leaf> a <{DCAT}Dataset> ; <{PANKG}technique> <{P}PaNET01287> .\n")
    (source,) = LOADERS["rdf"]([str(record)])
    load(store, source)

    def datasets(technique: str, how: str = "closure") -> set[str]:
        path = f"<{PANKG}subTechniqueOf>" if how == "closure" else f"<{RDFS}subClassOf>*"
        query = f"SELECT DISTINCT ?d WHERE {{ ?d a <{DCAT}Dataset> ; <{PANKG}technique> ?t . ?t {path} <{P}{technique}> }}"
        return {r[0].value for r in store.query(query)[1]}

    leaf = "https://example.org/ds/leaf"
    for ancestor in ("PaNET01287", "PaNET01162", "PaNET01286", "PaNET01188", "PaNET01124", "PaNET00001"):
        assert leaf in datasets(ancestor), ancestor
    assert leaf not in datasets("PaNET01189")  # small angle neutron scattering
    gisaxs = datasets("PaNET01162")
    assert {leaf} < gisaxs < datasets("PaNET01188") < datasets("PaNET01124") < datasets("PaNET00001")
    assert not gisaxs & datasets("PaNET01189")
    for technique in ("PaNET01287", "PaNET01162", "PaNET01188", "PaNET01124", "PaNET00001"):
        assert datasets(technique) == datasets(technique, "path")


def test_a_newer_release_replaces_labels_and_closure_on_the_same_nodes(shared: Path, panet_dir: Path) -> None:
    store = GraphStore()
    first = load_panet(store, panet_dir / OLDER)
    assert first.entities["Technique"] == 505 and len(store.query(TECHNIQUES)[1]) == 505
    assert values(store, "PaNET01012", RDFS + "label") == {"x-ray probe"}
    assert "PaNET00100" in below(store, "PaNET00001") and "PaNET01262" not in below(store, "PaNET01334")
    second = load_panet(store, panet_dir / NEWER)
    assert second.changed and [s.kind for s in store.sources.values()] == ["panet"]
    assert len(store.query(TECHNIQUES)[1]) == 510
    assert values(store, "PaNET01012", RDFS + "label") == {"x-ray probe technique"}
    # In the newer build 'defined by experimental probe' (PaNET00002) is no longer under the root.
    assert "PaNET00100" not in below(store, "PaNET00001") and "PaNET01262" in below(store, "PaNET01334")
    _, rows = store.query("SELECT ?v WHERE { ?o <http://www.w3.org/2002/07/owl#versionInfo> ?v }")
    assert [r[0].value for r in rows] == ["1.3.0-48-g7011e6b"]


def test_hermit_rebuilds_the_hierarchy_of_a_defined_only_panet(
    shared: Path, panet_dir: Path, panet_store: GraphStore, tmp_path: Path
) -> None:
    """The built file with the parents of every defined class taken out, as a CSV build leaves them."""
    quads = list(rdf_input.triples(panet_dir / NEWER, RdfSyntax.RDF_XML))
    equivalent, sub = NamedNode("http://www.w3.org/2002/07/owl#equivalentClass"), NamedNode(RDFS + "subClassOf")
    defined = {q.subject for q in quads if q.predicate == equivalent and isinstance(q.object, BlankNode)}
    kept = [q for q in quads if not (q.predicate == sub and q.subject in defined and isinstance(q.object, NamedNode))]
    stripped = tmp_path / "defined-only.nt"
    stripped.write_bytes(serialize_triples(kept, RdfSyntax.N_TRIPLES))
    store = GraphStore()
    report = load_panet(store, stripped)
    assert report.warnings == [] and report.entities["Technique"] == 510
    assert below(store, "PaNET01188") == SAXS and below(store, "PaNET01124") == SAS
    assert below(store, "PaNET00001") == below(panet_store, "PaNET00001")  # the whole technique tree
    assert len(below(store, "PaNET00001")) == 359


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture
def panet_server(panet_dir: Path) -> Iterator[str]:
    """http://127.0.0.1:<port>/ serving the PaNET reference folder."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(panet_dir)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_url_loads_like_the_file(shared: Path, panet_server: str) -> None:
    store = GraphStore()
    (source,) = LOADERS["panet"]([panet_server + NEWER])
    report = load(store, source)
    assert report.entities["Technique"] == 510 and below(store, "PaNET01188") == SAXS
    (again,) = LOADERS["panet"]([panet_server + NEWER])
    assert not load(store, again).changed  # fetched again: the same bytes
    (missing,) = LOADERS["panet"]([panet_server + "PaNET-9.owl"])
    with pytest.raises(SourceUnavailable, match="PaNET-9.owl: HTTP 404"):
        load(store, missing)
