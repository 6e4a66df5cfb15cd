"""People and organizations known only from an embargoed record are restricted with it (issue 12, docs/access.md §1)."""

from __future__ import annotations

import datetime as dt
import doctest

from graph.model import entities as e
from graph.model import people_rdf
from graph.model.writer import RdfModel

TODAY = dt.date(2026, 11, 21)
LATER = TODAY + dt.timedelta(days=400)
BASE = "https://w3id.org/pankg/id/"
EMAIL = "<http://schema.org/email>"


def keys(model: RdfModel, entity: object) -> dict[str, set[str]]:
    """``{access key: predicates}`` of an entity's quads."""
    found: dict[str, set[str]] = {}
    for _, p, _, acc in model.quads(entity):
        found.setdefault(acc, set()).add(p)
    return found


def test_a_person_known_from_an_embargoed_dataset_takes_the_key_of_its_details() -> None:
    model = RdfModel(as_of=TODAY)
    dataset = e.Dataset("ds1", "Secret", embargo_end=LATER, owner_group="p100", access_groups=("team",),
                        creators=("dataset:ds1#owner",))
    details = model.hidden(dataset)
    assert details == f"restricted:p100,team@{LATER.isoformat()}"
    owner = e.Person("dataset:ds1#owner", "Grace Hopper", "Grace", "Hopper", affiliations=("Vault Lab",),
                     email="grace@example.org", known_from=e.RecordAccess.of(dataset))
    found = keys(model, owner)
    assert set(found) == {details, "restricted"}  # the e-mail address: staff only, as before
    assert found["restricted"] == {EMAIL} and EMAIL not in found[details]
    assert len(found[details]) == 6  # types, name, label, given and family name, affiliation
    lab = keys(model, e.Organization("Vault Lab", "Vault Lab", known_from=e.RecordAccess.of(dataset)))
    assert set(lab) == {details}


def test_public_records_and_ended_embargoes_leave_people_public() -> None:
    model = RdfModel(as_of=TODAY)
    for known_from in (None, e.RecordAccess(public=True), e.RecordAccess(embargo_end=TODAY),
                       e.RecordAccess(public=True, embargo_end=LATER)):
        assert set(keys(model, e.Person("x", "Ada Lovelace", known_from=known_from))) == {"public"}
    closed = e.RecordAccess(public=False, embargo_end=LATER, proposal="MX-1")
    assert set(keys(model, e.Person("y", "Alan Turing", known_from=closed))) == {"restricted:proposal:MX-1"}


def test_an_embargoed_team_hides_the_proposals_links_to_people_only() -> None:
    model = RdfModel(as_of=TODAY)
    team = e.RecordAccess(embargo_end=LATER, proposal="P1")
    proposal = e.Proposal("P1", "Proteins", "ESNF", "P1#pi/ada", "Why", proposer="P1#proposer/bob",
                          members=("P1#co/cy",), team_access=team)
    found = keys(model, proposal)
    hidden = f"restricted:proposal:P1@{LATER.isoformat()}"
    assert found[hidden] == {"<https://w3id.org/pankg/ontology#principalInvestigator>",
                             "<http://purl.org/dc/terms/creator>", "<http://purl.org/dc/terms/contributor>"}
    assert "<http://purl.org/dc/terms/title>" in found["public"] and set(found) == {"public", hidden}
    assert model.next_release == LATER
    assert set(keys(RdfModel(as_of=LATER), proposal)) == {"public"}


def test_the_public_stub_names_no_person() -> None:
    """The stub keeps PID, types, facility, instrument, technique, proposal, DOI and the dates: no people."""
    model = RdfModel(as_of=TODAY)
    dataset = e.Dataset("ds1", "Secret", embargo_end=LATER, facility="https://ror.org/02550n020",
                        instrument="ID02", proposal="P1", techniques=("panet:PaNET01188",), doi="10.5072/x",
                        creators=("dataset:ds1#owner", "0000-0002-1825-0097"),
                        principal_investigator="dataset:ds1#principalInvestigator", contact_email="a@example.org")
    public = [(s, p, o) for s, p, o, acc in model.quads(dataset) if acc == "public"]
    assert public and not [q for q in public if "/person/" in q[2] or "orcid.org" in q[2] or "contact/" in q[2]]


def test_the_examples_of_people_rdf() -> None:
    result = doctest.testmod(people_rdf)
    assert result.attempted > 0 and result.failed == 0
