"""SciCat access through the store: every group of a dataset reads its details and its files, nobody else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph.model.access import Entitlement
from graph.store.embedded import GraphStore
from loaders import scicat
from loaders.base import LoadReport, load
from loaders.scicat_context import Catalogue
from loaders.scicat_datasets import dataset_access
from tests.helpers import TODAY
from tests.loaders.test_scicat import dataset, write

P = "PREFIX pankg: <https://w3id.org/pankg/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> "
TITLES = P + "SELECT ?t WHERE { ?d dcterms:title ?t }"
PARAMETERS = P + "SELECT ?n WHERE { ?d pankg:parameter ?p . ?p pankg:parameterName ?n }"
FILES = P + "SELECT ?path WHERE { ?f pankg:filePath ?path }"
STUB = P + "SELECT ?v WHERE { { <%s> pankg:accessLevel ?v } UNION { <%s> pankg:embargoEndDate ?v } }"
LATER = {"$date": "2029-01-01T00:00:00.000Z"}


def embargoed(pid: str, owner: str, *readers: str, **fields: Any) -> dict[str, Any]:
    """An unpublished dataset owned by ``owner`` and readable by ``readers`` too, with one parameter."""
    return dataset(
        pid,
        isPublished=False,
        ownerGroup=owner,
        accessGroups=list(readers),
        datasetlifecycle={"dateOfPublishing": LATER},
        scientificMetadata={f"energy_{pid}": {"value": 8, "unit": "keV"}},
        **fields,
    )


def block(pid: str, dataset_pid: str, path: str, **fields: Any) -> dict[str, Any]:
    return {"_id": pid, "datasetId": dataset_pid, "dataFileList": [{"path": path, "size": 1}], **fields}


def load_all(store: GraphStore, *paths: Path) -> list[LoadReport]:
    return [load(store, s, as_of=TODAY) for s in scicat.sources([str(p) for p in paths])]


def read(store: GraphStore, sparql: str, scope: object) -> set[str]:
    return {str(row[0].value) for row in store.query(sparql, scope)[1]}  # type: ignore[arg-type]


def member(*groups: str) -> Entitlement:
    return Entitlement(groups=frozenset(groups))


def test_an_access_group_reads_the_details_parameters_and_files_of_its_dataset(
    tmp_path: Path, store: GraphStore
) -> None:
    write(tmp_path, "Dataset.json", [embargoed("ds1", "p100", "beamline-team"), dataset("open")])
    write(tmp_path, "OrigDatablock.json", [block("b1", "ds1", "scan_1.nxs"), block("b2", "open", "open.nxs")])
    load_all(store, tmp_path)
    for reader in (member("beamline-team"), member("p100"), member("other", "beamline-team")):
        assert read(store, TITLES, reader) == {"Dataset ds1", "Dataset open"}
        assert read(store, PARAMETERS, reader) == {"energy_ds1"}
        assert read(store, FILES, reader) == {"scan_1.nxs", "open.nxs"}
    for outsider in (member("other"), Entitlement(proposals=frozenset({"beamline-team"})), "public"):
        assert read(store, TITLES, outsider) == {"Dataset open"}
        assert read(store, PARAMETERS, outsider) == set()
        assert read(store, FILES, outsider) == {"open.nxs"}
    # Anonymous callers still find the dataset (its stub), and that it is closed until the embargo ends.
    stub = read(store, STUB % ((store.minter.iri("dataset", "ds1"),) * 2), "public")
    assert stub == {"https://w3id.org/pankg/ontology#Restricted", "2029-01-01"}


def test_files_listed_apart_go_to_the_graph_of_their_dataset(tmp_path: Path, store: GraphStore) -> None:
    write(tmp_path, "Dataset.json", [embargoed("ds1", "p100", "beamline-team")])
    write(tmp_path, "OrigDatablock.json", [block("b1", "ds1", "scan_1.nxs", ownerGroup="ignored")])
    load_all(store, tmp_path)
    keys = {Path(i.location).name: {g.access_key for g in i.graphs} for i in store.sources.values()}
    key = "restricted:beamline-team,p100"  # the dataset's groups, not the block's
    assert keys == {"Dataset.json": {"public", key}, "OrigDatablock.json": {key}}
    assert read(store, FILES, member("beamline-team")) == {"scan_1.nxs"}
    assert read(store, FILES, member("ignored")) == set()


def test_a_block_whose_dataset_is_not_loaded_keeps_the_groups_it_names(tmp_path: Path, store: GraphStore) -> None:
    write(
        tmp_path,
        "OrigDatablock.json",
        [
            block("b1", "elsewhere", "owned.nxs", ownerGroup="p100", accessGroups=["beamline-team"]),
            block("b2", "elsewhere-too", "nobody.nxs"),
        ],
    )
    load_all(store, tmp_path / "OrigDatablock.json")
    assert read(store, FILES, member("beamline-team")) == read(store, FILES, member("p100")) == {"owned.nxs"}
    assert read(store, FILES, member("other")) == read(store, FILES, "public") == set()
    assert read(store, FILES, Entitlement(staff=True)) == {"owned.nxs", "nobody.nxs"}


def test_datasets_read_by_the_same_groups_share_one_graph(tmp_path: Path, store: GraphStore) -> None:
    write(
        tmp_path,
        "Dataset.json",
        [
            embargoed("ds1", "p100", "staff", proposalId="100"),
            embargoed("ds2", "p100", "staff", "p100", proposalId="100"),  # the owner repeated
            embargoed("ds3", "staff", "p100", proposalId="100"),  # the same set, named the other way round
            embargoed("ds4", "p200", "staff", proposalId="200"),
            embargoed("ds5", "", proposalId="300"),  # no group: the proposal's team
        ],
    )
    load_all(store, tmp_path)
    info = next(iter(store.sources.values()))
    keys = {g.access_key for g in info.graphs}
    assert keys == {"public", "restricted:p100,staff", "restricted:p200,staff", "restricted:proposal:300"}
    assert read(store, TITLES, member("p100")) == {"Dataset ds1", "Dataset ds2", "Dataset ds3"}
    assert len(read(store, TITLES, member("staff"))) == 4
    assert read(store, TITLES, Entitlement(proposals=frozenset({"300"}))) == {"Dataset ds5"}


def test_a_change_of_groups_rewrites_the_files(tmp_path: Path, store: GraphStore) -> None:
    write(tmp_path, "Dataset.json", [embargoed("ds1", "p100", "beamline-team")])
    write(tmp_path, "OrigDatablock.json", [block("b1", "ds1", "scan_1.nxs")])
    load_all(store, tmp_path)
    write(tmp_path, "Dataset.json", [embargoed("ds1", "p100", "new-team")])
    assert [r.changed for r in load_all(store, tmp_path)] == [True, True]
    assert read(store, FILES, member("new-team")) == {"scan_1.nxs"}
    assert read(store, FILES, member("beamline-team")) == set()


def test_the_index_keeps_access_facts_and_shares_the_tuples_of_groups() -> None:
    records = [embargoed(f"ds{n}", "p100", "staff", proposalIds=["100", "101"]) for n in range(3)]
    catalogue = Catalogue({"dataset": [("Dataset.json", lambda: records)]}, dataset_access)
    known = catalogue.known("dataset") or {}
    facts = known["ds0"]
    assert facts is not None and (facts.public, facts.groups, facts.proposal) == (False, ("p100", "staff"), "100")
    assert all(f is not None and f.groups is facts.groups for f in known.values())
    before = catalogue.access_digest()
    records[0]["accessGroups"] = ["staff", "guests"]
    fresh = Catalogue({"dataset": [("Dataset.json", lambda: records)]}, dataset_access)
    assert fresh.access_digest() != before
