"""PaNOSC people under embargo (issue 12): a proposal document under embargo hides its PI link and the people
and affiliations no public document names; the members of DOI records and publications stay public."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from graph.model.access import Entitlement
from graph.store.embedded import GraphStore
from tests.loaders import people_probes as probe
from tests.loaders.test_panosc import load_all, small, write

ORCID = "0000-0002-1825-0097"
RELEASE = "2030-01-01"
TEAM = Entitlement(proposals=frozenset({"p1"}))
PI = "https://w3id.org/pankg/ontology#principalInvestigator"


def content(**extra: dict[str, Any]) -> dict[str, Any]:
    """Proposal p1 under embargo until 2030 (no isPublic flag) with its PI Grace (affiliated with Vault Lab),
    and a public paper whose author is Ada (by ORCID), who is also a member of p1."""
    models: dict[str, dict[str, Any]] = {
        "Document": {
            "p1": {"pid": "p1", "type": "proposal", "title": "A proposal", "releaseDate": f"{RELEASE}T00:00:00Z"},
            "pub": {"pid": "pub", "type": "publication", "title": "A paper", "doi": "10.5072/paper"},
        },
        "DocumentDataset": {"1": {"datasetId": "d1", "documentId": "p1"}},
        "Dataset": {"d1": {"pid": "d1", "title": "One", "instrumentId": "i1"}},
        "Person": {
            "g": {"id": "g", "fullName": "Grace Hopper"},
            "a": {"id": "a", "fullName": "Ada Lovelace", "orcid": ORCID},
        },
        "Member": {
            "1": {"id": 1, "role": "principal investigator", "documentId": "p1", "personId": "g", "affiliationId": 7},
            "2": {"id": 2, "role": "co-investigator", "documentId": "p1", "personId": "a", "affiliationId": 7},
            "3": {"id": 3, "role": "author", "documentId": "pub", "personId": "a"},
        },
        "Affiliation": {"7": {"id": 7, "name": "Vault Lab"}},
    }
    models.update(extra)
    return small(**models)


def test_an_embargoed_proposals_team_is_hidden_with_it(tmp_path: Path, store: GraphStore) -> None:
    load_all(store, write(tmp_path, "db.json", content()))
    grace, ada = store.minter.iri("person", "g"), f"https://orcid.org/{ORCID}"
    lab = store.minter.iri("organization", "Vault Lab")
    assert probe.mentions(store, grace, "public") == 0
    assert probe.mentions(store, lab, "public") == 0
    assert not {"Grace Hopper", "Vault Lab"} & probe.public_literals(store)
    # Ada is an author of a public paper: public, without the affiliation only the proposal tells.
    assert probe.people(store, "public") == {ada}
    _, rows = store.query(f"SELECT ?p ?o WHERE {{ <{ada}> ?p ?o }}", "public")
    assert "http://schema.org/affiliation" not in {str(p.value) for p, _ in rows}
    proposal = store.minter.iri("proposal", "p1")
    assert not store.query(f"ASK {{ <{proposal}> <{PI}> ?who }}", "public")
    assert store.query(f"ASK {{ <{proposal}> <{PI}> <{grace}> . <{grace}> <http://schema.org/affiliation> <{lab}> }}",
                       TEAM)
    assert {"Grace Hopper", "Ada Lovelace"} <= probe.names(store, TEAM)
    assert probe.mentions(store, lab, TEAM) >= 4


def test_anonymous_callers_cannot_find_them_the_team_can(tmp_path: Path, store: GraphStore) -> None:
    load_all(store, write(tmp_path, "db.json", content()))
    tokens = probe.tokens(tmp_path, {"proposals": ["p1"]})
    grace = store.minter.iri("person", "g")
    for caller in (None, probe.OTHER):
        assert probe.people_named(store, tokens, caller, "Hopper") == []
        assert probe.page(store, tokens, caller, grace).status_code == 404
    assert probe.people_named(store, tokens, probe.TEAM, "Hopper") == ["Grace Hopper"]
    assert probe.page(store, tokens, probe.TEAM, grace).status_code == 200


def test_release_publishes_the_team(tmp_path: Path, store: GraphStore) -> None:
    load_all(store, write(tmp_path, "db.json", content()))
    assert store.release(as_of=dt.date.fromisoformat(RELEASE))
    grace = store.minter.iri("person", "g")
    assert store.query(f"ASK {{ <{store.minter.iri('proposal', 'p1')}> <{PI}> <{grace}> }}", "public")
    assert {"Grace Hopper", "Vault Lab"} <= probe.public_literals(store)


def test_an_unpublished_proposal_hides_its_team_until_its_source_says_otherwise(
    tmp_path: Path, store: GraphStore
) -> None:
    closed = content()
    closed["models"]["Document"]["p1"] = closed["models"]["Document"]["p1"].replace(
        f'"releaseDate": "{RELEASE}T00:00:00Z"', '"releaseDate": "2020-01-01", "isPublic": false'
    )
    load_all(store, write(tmp_path, "db.json", closed))
    assert probe.mentions(store, store.minter.iri("person", "g"), "public") == 0
    keys = {g.access_key for info in store.sources.values() for g in info.graphs}
    assert "restricted:proposal:p1" in keys  # no date: a flag, not a release date, restricts it
