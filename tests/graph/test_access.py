"""Restricted data split by access group in the store: keys, graphs per key, entitlements, release."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from typer.testing import CliRunner

from graph import entities as e
from graph.access import Entitlement, level, parse, restricted_key
from graph.model import RdfModel
from graph.store import GraphStore

TODAY = dt.date(2026, 6, 1)
LATER = dt.date(2027, 1, 1)
TITLE = "SELECT ?t WHERE { ?d <http://purl.org/dc/terms/title> ?t }"
STUB = "SELECT ?l WHERE { ?d <https://w3id.org/pankg/ontology#accessLevel> ?l }"


def records() -> list[object]:
    return [
        e.Sample("s1", "Lysozyme crystal", public=False),
        e.Dataset(pid="open", title="Open data"),
        e.Dataset(pid="grp", title="Group secret", owner_group="esrf-ma1", embargo_end=LATER, samples=("s1",)),
        e.Dataset(pid="prop", title="Team secret", proposal="MA-2", embargo_end=LATER + dt.timedelta(days=30)),
        e.Dataset(pid="flag", title="Staff secret", public=False),
        e.AnalysisRun("run-1", inputs=("grp",), outputs=("grp-derived",), public=False),
    ]


def loaded(path: Path | None = None) -> GraphStore:
    store = GraphStore(path)
    model = RdfModel(store.minter, as_of=TODAY)
    quads = [q for r in records() for q in model.quads(r)]
    store.replace_source("test", "test:access", "1", quads, as_of=TODAY, next_release=lambda: model.next_release)
    return store


def titles(store: GraphStore, scope: object) -> set[str]:
    return {row[0].value for row in store.query(TITLE, scope)[1]}  # type: ignore[arg-type]


def test_keys_name_the_group_then_the_proposal_then_staff() -> None:
    assert restricted_key("g") == "restricted:g" and restricted_key("", "P1") == "restricted:proposal:P1"
    assert restricted_key() == "restricted" and restricted_key("a@b", until=LATER) == "restricted:a@b@2027-01-01"
    assert parse("restricted:a@b@2027-01-01") == ("a@b", LATER) and parse("restricted:a@b") == ("a@b", None)
    assert level("restricted:g") == "restricted" and level("public") == "public"


def test_details_samples_and_runs_follow_their_dataset() -> None:
    model = RdfModel(as_of=TODAY)
    access = {s: a for r in records() for s, _, _, a in model.quads(r)}
    base = "<https://w3id.org/pankg/id/"
    assert access[base + "run/run-1>"] == "restricted:esrf-ma1@2027-01-01"
    assert access[base + "sample/s1>"] == "restricted"  # mapped before its dataset named it: staff only
    assert model.next_release == LATER


def test_one_graph_per_access_key_recorded_in_the_registry(tmp_path: Path) -> None:
    with loaded(tmp_path / "store") as store:
        info = next(iter(store.sources.values()))
    keys = {g.access_key for g in info.graphs}
    assert keys == {"public", "restricted", "restricted:esrf-ma1@2027-01-01", "restricted:proposal:MA-2@2027-01-31"}
    assert {g.access for g in info.graphs} == {"public", "restricted"}
    assert any(g.iri.endswith(".restricted.esrf-ma1@2027-01-01") for g in info.graphs)
    with GraphStore(tmp_path / "store") as reopened:  # the meta graph gives back the same keys
        assert {g.access_key for g in reopened.sources[info.iri].graphs} == keys
        assert titles(reopened, Entitlement(groups=frozenset({"esrf-ma1"}))) == {"Open data", "Group secret"}


def test_scopes_see_public_plus_what_they_hold_never_the_meta_graph() -> None:
    store = loaded()
    assert titles(store, "public") == {"Open data"}
    assert titles(store, Entitlement(groups=frozenset({"esrf-ma1"}))) == {"Open data", "Group secret"}
    assert titles(store, Entitlement(proposals=frozenset({"MA-2"}))) == {"Open data", "Team secret"}
    assert titles(store, Entitlement(groups=frozenset({"other"}))) == {"Open data"}
    staff = Entitlement(staff=True)
    assert titles(store, staff) == titles(store, "all") == {"Open data", "Group secret", "Team secret", "Staff secret"}
    assert store.meta not in store.graphs(staff) and store.meta in store.graphs("all")


def test_release_moves_ended_embargoes_into_the_public_graph() -> None:
    store = loaded()
    assert store.release(TODAY) == []
    changed = store.release(LATER)
    assert len(changed) == 1 and changed[0].next_release == dt.date(2027, 1, 31)
    assert titles(store, "public") == {"Open data", "Group secret"}
    stub = STUB.replace("?d", "<https://w3id.org/pankg/id/dataset/grp>")
    levels = {row[0].value.rsplit("#")[-1] for row in store.query(stub, "public")[1]}
    assert levels == {"Public"}
    info = store.sources[changed[0].iri]
    assert "restricted:esrf-ma1@2027-01-01" not in {g.access_key for g in info.graphs}
    public = next(g for g in info.graphs if g.access == "public")
    assert public.triples == store._count_graph(public.iri)
    store.release(LATER + dt.timedelta(days=30))
    assert titles(store, "public") == {"Open data", "Group secret", "Team secret"}
    assert titles(store, "all") == {"Open data", "Group secret", "Team secret", "Staff secret"}
    assert store.sources[info.iri].next_release is None


def test_pankg_release_on_the_command_line(tmp_path: Path) -> None:
    from pankg.cli import app

    loaded(tmp_path / "store").close()
    runner = CliRunner()
    args = ["release", "--data", str(tmp_path / "store"), "--as-of"]
    assert "no embargo to release" in runner.invoke(app, [*args, "2026-06-01"]).output
    result = runner.invoke(app, [*args, "2027-01-01"])
    assert result.exit_code == 0 and "released test:test:access" in result.output
    assert runner.invoke(app, [*args, "tomorrow"]).exit_code == 2
    with GraphStore(tmp_path / "store") as store:
        assert titles(store, "public") == {"Open data", "Group secret"}
