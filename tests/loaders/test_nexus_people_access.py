"""NeXus users under embargo (issue 12): an entry's NXuser groups are known from that entry only, so while it is
under embargo the people (minted from the dataset's PID when they have no ORCID) and their free-text
organizations are restricted with it; ``pankg release`` publishes them with the data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from graph.model.access import Entitlement
from graph.store.embedded import GraphStore
from loaders import nexus
from loaders.base import load
from tests.helpers import TODAY
from tests.loaders import people_probes as probe
from tests.loaders.nexus_files import saxs_entry, write_nexus

TEAM = Entitlement(proposals=frozenset({"SC-5432"}))


def recent_entry() -> dict[str, object]:
    """The SAXS entry, measured this year: under the 3-year embargo on TODAY."""
    entry = saxs_entry()
    entry["start_time"], entry["end_time"] = "2026-03-14T09:26:53+01:00", "2026-03-14T09:31:10+01:00"
    return entry


def contact(store: GraphStore) -> str:
    """The local contact has no ORCID: minted from the entry's PID (its file and entry name) and its group."""
    return store.minter.iri("person", "user_lc@scan.nxs#entry")


def loaded(tmp_path: Path, store: GraphStore, as_of: dt.date = TODAY) -> GraphStore:
    path = write_nexus(tmp_path / "scan.nxs", {"entry": recent_entry()})
    for source in nexus.sources([str(path)]):
        load(store, source, as_of=as_of)
    return store


def test_the_users_of_an_embargoed_entry_are_hidden_with_it(tmp_path: Path, store: GraphStore) -> None:
    loaded(tmp_path, store)
    assert probe.mentions(store, contact(store), "public") == 0 < probe.mentions(store, contact(store), TEAM)
    assert probe.people(store, "public") == set()
    hidden = {"Local Contact", "Josiah Carberry", "Brown University"}
    assert not hidden & probe.public_literals(store)
    assert {"Local Contact", "Josiah Carberry"} <= probe.names(store, TEAM)


def test_anonymous_callers_cannot_find_them_the_team_can(tmp_path: Path, store: GraphStore) -> None:
    loaded(tmp_path, store)
    tokens = probe.tokens(tmp_path, {"proposals": ["SC-5432"]})
    for caller in (None, probe.OTHER):
        assert probe.people_named(store, tokens, caller, "Contact") == []
        assert probe.page(store, tokens, caller, contact(store)).status_code == 404
    assert probe.people_named(store, tokens, probe.TEAM, "Contact") == ["Local Contact"]
    assert probe.page(store, tokens, probe.TEAM, contact(store)).status_code == 200


def test_release_publishes_them_with_the_data(tmp_path: Path, store: GraphStore) -> None:
    loaded(tmp_path, store)
    store.release(as_of=dt.date(2029, 3, 15))
    assert {"Local Contact", "Josiah Carberry", "Brown University"} <= probe.public_literals(store)
