"""ICAT people under embargo (issue 12): until an investigation's release date its team (the users, and the
proposal's links to them) is restricted with its data, in the team's graph keyed by that date, so that
``pankg release`` publishes them with the data; a user public records name too stays public."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from graph.model.access import Entitlement
from graph.store.embedded import GraphStore
from loaders import icat
from loaders.base import load
from tests.loaders import people_probes as probe
from tests.loaders.test_icat import FAR, ORCID, icatdump, load_all, write

INV = "HZX/investigation/P1/1"
TEAM = Entitlement(proposals=frozenset({INV}))
PI = "https://w3id.org/pankg/ontology#principalInvestigator"
CONTRIBUTOR = "http://purl.org/dc/terms/contributor"


def bob(store: GraphStore) -> str:
    """Bob has no ORCID: he is minted from the investigation's PID and his role in it."""
    return store.minter.iri("person", f"{INV}#co_investigator/bob")


def links(store: GraphStore, scope: object) -> set[tuple[str, str]]:
    """(predicate, person) of the proposal's links to people, in ``scope``."""
    proposal = store.minter.iri("proposal", INV)
    _, rows = store.query(f"SELECT ?p ?o WHERE {{ <{proposal}> ?p ?o VALUES ?p {{ <{PI}> <{CONTRIBUTOR}> }} }}",
                          scope)  # type: ignore[arg-type]
    return {(str(p.value), str(o.value)) for p, o in rows}


def test_the_team_of_an_embargoed_investigation_is_hidden_with_it(tmp_path: Path, store: GraphStore) -> None:
    load_all(store, write(tmp_path, icatdump()))
    ada = f"https://orcid.org/{ORCID}"
    for person in (ada, bob(store)):
        assert probe.mentions(store, person, "public") == 0, person
    assert links(store, "public") == set()
    assert "Ada Lovelace" not in probe.names(store, "public")
    # Bob the DOI's creator is another node, minted from the public DOI record: he stays, without the investigation.
    assert probe.people(store, "public") == {store.minter.iri("person", "10.5072/hzx-1#creator/1")}
    assert links(store, TEAM) == {(PI, ada), (CONTRIBUTOR, bob(store))}
    assert {"Ada Lovelace", "Bob Smith"} <= probe.names(store, TEAM)
    # The proposal itself stays public (the datasets' stubs name it).
    assert probe.mentions(store, store.minter.iri("proposal", INV), "public") > 0
    keys = {g.access_key for info in store.sources.values() for g in info.graphs}
    assert keys == {"public", f"restricted:proposal:{INV}@{FAR}", "restricted"}  # "restricted": Bob's e-mail


def test_anonymous_callers_cannot_find_the_team_the_team_can(tmp_path: Path, store: GraphStore) -> None:
    load_all(store, write(tmp_path, icatdump()))
    tokens = probe.tokens(tmp_path, {"proposals": [INV]})
    for caller in (None, probe.OTHER):
        assert probe.people_named(store, tokens, caller, "Lovelace") == []
        assert probe.page(store, tokens, caller, bob(store)).status_code == 404
    assert probe.people_named(store, tokens, probe.TEAM, "Lovelace") == ["Ada Lovelace"]
    mine = probe.page(store, tokens, probe.TEAM, bob(store))
    assert mine.status_code == 200 and "Bob Smith" in mine.text


def test_release_publishes_the_team_with_the_data(tmp_path: Path, store: GraphStore) -> None:
    load_all(store, write(tmp_path, icatdump()))
    assert store.release(as_of=dt.date.fromisoformat(FAR))
    ada = f"https://orcid.org/{ORCID}"
    assert links(store, "public") == {(PI, ada), (CONTRIBUTOR, bob(store))}
    assert {"Ada Lovelace", "Bob Smith"} <= probe.names(store, "public")
    assert "bob@example.org" not in probe.public_literals(store)  # e-mail addresses stay staff-only
    tokens = probe.tokens(tmp_path, {"proposals": [INV]})
    assert probe.people_named(store, tokens, None, "Lovelace") == ["Ada Lovelace"]
    assert probe.page(store, tokens, None, bob(store)).status_code == 200
    # What the release published is what a load on that day writes.
    everything = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    released = set(map(tuple, store.query(everything, "public")[1]))
    for source in icat.sources([str(tmp_path / "dump.yaml")]):
        load(store, source, as_of=dt.date.fromisoformat(FAR), force=True)
    assert set(map(tuple, store.query(everything, "public")[1])) == released


def test_a_user_public_investigations_name_too_stays_public(tmp_path: Path, store: GraphStore) -> None:
    docs = icatdump()
    second: dict[str, Any] = {
        "name": "P2", "visitId": "1", "title": "Open proposal", "facility": "Facility_name-HZX",
        "investigationUsers": [{"user": "User_name-ada", "role": "principal_investigator"}],
    }
    docs[1]["investigation"]["Investigation_P2"] = second
    load_all(store, write(tmp_path, docs))
    ada = f"https://orcid.org/{ORCID}"
    open_ = store.minter.iri("proposal", "HZX/investigation/P2/1")
    _, rows = store.query(f"SELECT ?s WHERE {{ ?s ?p <{ada}> }}", "public")
    assert {str(r[0].value) for r in rows} == {open_}  # not the embargoed proposal
    assert "Ada Lovelace" in probe.names(store, "public")
    assert links(store, "public") == set()
