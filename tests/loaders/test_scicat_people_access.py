"""SciCat people under embargo (issue 12, "Embargo leak"): an unpublished dataset's owner and principal
investigator are known from that record only, so they are restricted with it; a person public records
name too stays public, and only the link to the embargoed dataset is hidden."""

from __future__ import annotations

from pathlib import Path

from graph.model.access import Entitlement
from graph.store.embedded import GraphStore
from tests.loaders import people_probes as probe
from tests.loaders.test_scicat import dataset, load_all, write

LATER = {"$date": "2029-01-01T00:00:00.000Z"}
ORCID = "0000-0002-1825-0097"
CREATOR = "http://purl.org/dc/terms/creator"
PI = "https://w3id.org/pankg/ontology#principalInvestigator"


def embargoed(pid: str, **fields: object) -> dict[str, object]:
    """An unpublished dataset of group p100, published in 2029, with an owner and a PI without ORCID."""
    given = {
        "isPublished": False,
        "ownerGroup": "p100",
        "accessGroups": ["beamline-team"],
        "datasetlifecycle": {"dateOfPublishing": LATER},
        "owner": "Grace Hopper",
        "ownerEmail": "grace@example.org",
        "principalInvestigator": "Alan Turing",
        "investigator": "Hedy Lamarr",
    }
    return dataset(pid, **{**given, **fields})


def person(store: GraphStore, pid: str, role: str) -> str:
    return store.minter.iri("person", f"dataset:{pid}#{role}")


def test_an_embargoed_datasets_people_are_not_in_the_public_graph(tmp_path: Path, store: GraphStore) -> None:
    write(tmp_path, "Dataset.json", [embargoed("desy_ds1", kind="derived"), dataset("open")])
    load_all(store, tmp_path)
    hidden = {person(store, "desy_ds1", role) for role in ("owner", "principalInvestigator", "investigator")}
    for iri in hidden:
        assert probe.mentions(store, iri, "public") == 0, iri
    assert not probe.names(store, "public") & {"Grace Hopper", "Alan Turing", "Hedy Lamarr"}
    assert not {"Grace Hopper", "Alan Turing", "Hedy Lamarr"} & probe.public_literals(store)
    assert probe.people(store, "public") == {person(store, "open", "owner")}
    # The readers of the dataset see the people and their links to it.
    team = Entitlement(groups=frozenset({"beamline-team"}))
    assert hidden <= probe.people(store, team)
    assert {"Grace Hopper", "Alan Turing", "Hedy Lamarr"} <= probe.names(store, team)
    for iri in hidden:
        assert probe.mentions(store, iri, team) >= 5  # types, name, label and the link to the dataset or run
        assert probe.mentions(store, iri, Entitlement(groups=frozenset({"other"}))) == 0
    # The run follows its dataset's graph (it was mapped before the dataset, into the staff-only graph).
    run = store.minter.iri("run", "dataset:desy_ds1")
    investigator = person(store, "desy_ds1", "investigator")
    _, rows = store.query(f"SELECT ?p WHERE {{ <{run}> ?p <{investigator}> }}", team)
    assert {str(r[0].value) for r in rows} == {"http://www.w3.org/ns/prov#wasAssociatedWith"}


def test_anonymous_callers_cannot_find_them_the_team_can(tmp_path: Path, store: GraphStore) -> None:
    write(tmp_path, "Dataset.json", [embargoed("PID.SAMPLE.PREFIX/desy_ds1")])
    load_all(store, tmp_path)
    tokens = probe.tokens(tmp_path, {"groups": ["p100"]})
    owner = person(store, "PID.SAMPLE.PREFIX/desy_ds1", "owner")
    assert owner.endswith("/id/person/dataset:PID.SAMPLE.PREFIX%2Fdesy_ds1%23owner")
    for caller in (None, probe.OTHER):
        assert probe.people_named(store, tokens, caller, "Hopper") == []
        assert probe.people_named(store, tokens, caller, "Turing") == []
        assert probe.page(store, tokens, caller, owner).status_code == 404
        sparql = "SELECT ?s WHERE { ?s <http://xmlns.com/foaf/0.1/name> ?n }"
        got = probe.call(store, tokens, caller, "GET", "/sparql", params={"query": sparql},
                         headers={"accept": "application/sparql-results+json"})
        assert got.status_code == 200 and "Hopper" not in got.text and "desy_ds1" not in got.text
    assert probe.people_named(store, tokens, probe.TEAM, "Hopper") == ["Grace Hopper"]
    mine = probe.page(store, tokens, probe.TEAM, owner)
    assert mine.status_code == 200 and "Grace Hopper" in mine.text
    ds = store.minter.iri("dataset", "PID.SAMPLE.PREFIX/desy_ds1")
    _, rows = store.query(f"SELECT ?p WHERE {{ <{ds}> ?p <{owner}> }}", Entitlement(groups=frozenset({"p100"})))
    assert {str(r[0].value) for r in rows} == {CREATOR}


def test_a_person_public_records_name_too_stays_public_without_the_link(tmp_path: Path, store: GraphStore) -> None:
    write(tmp_path, "Dataset.json", [
        embargoed("secret", owner="Josiah Carberry (embargoed)", orcidOfOwner=ORCID),
        dataset("open", owner="Josiah Carberry", orcidOfOwner=ORCID),
    ])
    load_all(store, tmp_path)
    orcid = f"https://orcid.org/{ORCID}"
    assert orcid in probe.people(store, "public")
    _, rows = store.query(f"SELECT ?n WHERE {{ <{orcid}> <http://xmlns.com/foaf/0.1/name> ?n }}", "public")
    assert {str(r[0].value) for r in rows} == {"Josiah Carberry"}  # what the public record says
    secret, open_ = (store.minter.iri("dataset", pid) for pid in ("secret", "open"))
    _, rows = store.query(f"SELECT ?d WHERE {{ ?d ?p <{orcid}> }}", "public")
    assert {str(r[0].value) for r in rows} == {open_}
    _, rows = store.query(f"SELECT ?d WHERE {{ ?d ?p <{orcid}> }}", Entitlement(groups=frozenset({"p100"})))
    assert {str(r[0].value) for r in rows} == {open_, secret}


def test_an_orcid_named_by_embargoed_records_only_is_hidden(tmp_path: Path, store: GraphStore) -> None:
    write(tmp_path, "Dataset.json", [embargoed("secret", orcidOfOwner=ORCID), dataset("open")])
    load_all(store, tmp_path)
    assert probe.mentions(store, f"https://orcid.org/{ORCID}", "public") == 0
    assert probe.mentions(store, f"https://orcid.org/{ORCID}", Entitlement(groups=frozenset({"p100"}))) > 0


def test_publishing_the_dataset_makes_its_people_public(tmp_path: Path, store: GraphStore) -> None:
    """SciCat restricts by its ``isPublished`` flag, not by the date: the catalogue publishes, a reload follows."""
    write(tmp_path, "Dataset.json", [embargoed("ds1")])
    load_all(store, tmp_path)
    owner = person(store, "ds1", "owner")
    assert probe.mentions(store, owner, "public") == 0
    write(tmp_path, "Dataset.json", [embargoed("ds1", isPublished=True)])
    load_all(store, tmp_path)
    assert {"Grace Hopper", "Alan Turing"} <= probe.names(store, "public")
    assert probe.mentions(store, owner, "public") >= 4
    assert "grace@example.org" not in probe.names(store, "public")  # e-mail addresses stay staff-only
