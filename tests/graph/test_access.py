"""Restricted data split by access group in the store: keys, graphs per key, entitlements, release."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from typer.testing import CliRunner

from graph.model import entities as e
from graph.model.access import Entitlement, level, parse, released, restricted_key
from graph.model.writer import RdfModel
from graph.store.embedded import GraphStore

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


def test_keys_name_the_groups_then_the_proposal_then_staff() -> None:
    assert restricted_key("g") == "restricted:g" and restricted_key("", "P1") == "restricted:proposal:P1"
    assert restricted_key() == "restricted" and restricted_key(("", ""), "P1") == "restricted:proposal:P1"
    assert restricted_key(("g", "a", "g"), "P1", LATER) == "restricted:a,g@2027-01-01"  # groups win, sorted
    assert restricted_key(until=LATER) == "restricted@2027-01-01" and parse("restricted@2027-01-01") == ((), LATER)
    assert level("restricted:g") == "restricted" and level("public") == "public"


def test_group_names_with_delimiters_round_trip() -> None:
    odd = ("a@b", "x,y", "100%", "proposal:P,1", "é ü")
    key = restricted_key(odd, until=LATER)
    assert key == "restricted:100%25,a%40b,proposal:P%2C1,x%2Cy,é ü@2027-01-01"
    assert parse(key) == (tuple(sorted(odd)), LATER)
    assert Entitlement(groups=frozenset({"x,y"})).allows(key) and not Entitlement(groups=frozenset({"x"})).allows(key)
    assert Entitlement(proposals=frozenset({"P,1"})).allows(key)


def test_keys_of_earlier_versions_still_parse_and_allow_as_before() -> None:
    """Earlier versions wrote one group as is; an "@" in it is told from the date's."""
    assert parse("restricted:a@b@2027-01-01") == (("a@b",), LATER) and parse("restricted:a@b") == (("a@b",), None)
    assert parse("restricted:esrf-ma1@2027-01-01") == (("esrf-ma1",), LATER)
    assert parse("restricted:proposal:MA-2") == (("proposal:MA-2",), None) and parse("restricted") == ((), None)
    member, team = Entitlement(groups=frozenset({"a@b"})), Entitlement(proposals=frozenset({"MA-2"}))
    assert member.allows("restricted:a@b@2027-01-01") and not member.allows("restricted:a@2027-01-01")
    assert team.allows("restricted:proposal:MA-2@2027-01-31") and not team.allows("restricted:MA-2")
    assert not member.allows("restricted") and Entitlement(staff=True).allows("restricted")
    assert released("restricted:a@b@2027-01-01", LATER) == "public"


def test_any_group_of_a_key_reads_it() -> None:
    key = restricted_key(("esrf-ma1", "esrf-extra"), until=LATER)
    for groups in ({"esrf-ma1"}, {"esrf-extra"}, {"esrf-extra", "other"}):
        assert Entitlement(groups=frozenset(groups)).allows(key)
    assert not Entitlement(groups=frozenset({"other"})).allows(key) and not Entitlement().allows(key)
    assert not Entitlement(proposals=frozenset({"esrf-ma1"})).allows(key)  # a group is no proposal


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


def test_scopes_see_public_plus_what_they_hold_only_data_managers_the_meta_graph() -> None:
    store = loaded()
    assert titles(store, "public") == {"Open data"}
    assert titles(store, Entitlement(groups=frozenset({"esrf-ma1"}))) == {"Open data", "Group secret"}
    assert titles(store, Entitlement(proposals=frozenset({"MA-2"}))) == {"Open data", "Team secret"}
    assert titles(store, Entitlement(groups=frozenset({"other"}))) == {"Open data"}
    staff = Entitlement(staff=True)
    assert titles(store, staff) == titles(store, "all") == {"Open data", "Group secret", "Team secret", "Staff secret"}
    # staff tokens are the facility's data managers: they read what the CLI reads, with its union fast path
    assert store.meta in store.graphs(staff) and store.meta in store.graphs("all")
    assert all(store.meta not in store.graphs(s) for s in ("public", Entitlement(groups=frozenset({"esrf-ma1"}))))
    with store.reading(staff) as dataset:
        assert dataset.union and dataset.default_graphs is None and dataset.named_graphs is None
    with store.reading(Entitlement(groups=frozenset({"esrf-ma1"}))) as dataset:
        assert not dataset.union and dataset.default_graphs is not None and len(dataset.default_graphs) == 2


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
    assert public.triples == store.count_graph(public.iri)
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


META_GROUPS = "SELECT ?g ?group WHERE { GRAPH <%s> { ?g <https://w3id.org/pankg/ontology#accessGroup> ?group } }"


def shared_groups(path: Path | None = None) -> GraphStore:
    """Two datasets read by the same groups (named in another order, the owner repeated), one by others."""
    store = GraphStore(path)
    model = RdfModel(store.minter, as_of=TODAY)
    group = {"owner_group": "esrf-ma1", "embargo_end": LATER}
    quads = [
        q
        for r in [
            e.Dataset(pid="a", title="A", access_groups=("esrf-ext", "esrf-ma1"), samples=("s2",), **group),
            e.Dataset(pid="b", title="B", access_groups=("esrf-ext",), **group),  # type: ignore[arg-type]
            e.Dataset(pid="c", title="C", owner_group="esrf-ext", embargo_end=LATER),
            e.Sample("s2", "Ferritin", public=False),  # named by "a" before: follows it
            e.AnalysisRun("run-2", outputs=("b",), public=False),
        ]
        for q in model.quads(r)
    ]
    store.replace_source("test", "test:groups", "1", quads, as_of=TODAY, next_release=lambda: model.next_release)
    return store


def test_datasets_read_by_the_same_groups_share_one_graph_listed_with_every_group(tmp_path: Path) -> None:
    with shared_groups(tmp_path / "store") as store:
        info = next(iter(store.sources.values()))
        groups: dict[str, set[str]] = {}
        for g, group in store.query(META_GROUPS % store.meta)[1]:
            groups.setdefault(g.value, set()).add(group.value)
    keys = {g.access_key for g in info.graphs}
    assert keys == {"public", "restricted:esrf-ext,esrf-ma1@2027-01-01", "restricted:esrf-ext@2027-01-01"}
    by_key = {g.access_key: g.iri for g in info.graphs}
    assert groups == {
        by_key["restricted:esrf-ext,esrf-ma1@2027-01-01"]: {"esrf-ext", "esrf-ma1"},
        by_key["restricted:esrf-ext@2027-01-01"]: {"esrf-ext"},
    }
    with GraphStore(tmp_path / "store") as reopened:  # the meta graph gives back the same keys
        assert {g.access_key for g in reopened.sources[info.iri].graphs} == keys
        assert titles(reopened, Entitlement(groups=frozenset({"esrf-ma1"}))) == {"A", "B"}
        assert titles(reopened, Entitlement(groups=frozenset({"esrf-ext"}))) == {"A", "B", "C"}


def test_samples_and_runs_follow_every_group_of_their_dataset() -> None:
    store = shared_groups()
    things = "SELECT ?x WHERE { ?x a ?type FILTER(?type IN (<https://w3id.org/pankg/ontology#Sample>, <http://www.w3.org/ns/prov#Activity>)) }"
    for group in ("esrf-ext", "esrf-ma1"):
        rows = store.query(things, Entitlement(groups=frozenset({group})))[1]
        assert {row[0].value.rsplit("/", 1)[-1] for row in rows} == {"s2", "run-2"}
    assert store.query(things, Entitlement(groups=frozenset({"other"})))[1] == []


def test_release_publishes_a_graph_read_by_several_groups() -> None:
    store = shared_groups()
    assert titles(store, "public") == set()
    changed = store.release(LATER)
    assert len(changed) == 1 and changed[0].next_release is None
    assert titles(store, "public") == {"A", "B", "C"}
    assert {g.access_key for g in store.sources[changed[0].iri].graphs} == {"public"}


def test_a_store_registered_by_an_earlier_version_keeps_its_groups(tmp_path: Path) -> None:
    """An earlier version recorded one raw group per graph, commas and all: it reads back as that one group."""
    with loaded(tmp_path / "store") as store:
        store.raw_update(  # what an earlier version wrote for a group named "team,x"
            f'DELETE {{ GRAPH <{store.meta}> {{ ?g <https://w3id.org/pankg/ontology#accessGroup> "esrf-ma1" }} }} '
            f'INSERT {{ GRAPH <{store.meta}> {{ ?g <https://w3id.org/pankg/ontology#accessGroup> "team,x" }} }} '
            f'WHERE {{ GRAPH <{store.meta}> {{ ?g <https://w3id.org/pankg/ontology#accessGroup> "esrf-ma1" }} }}'
        )
    with GraphStore(tmp_path / "store") as reopened:
        keys = {g.access_key for g in next(iter(reopened.sources.values())).graphs}
        assert "restricted:team%2Cx@2027-01-01" in keys
        assert titles(reopened, Entitlement(groups=frozenset({"team,x"}))) == {"Open data", "Group secret"}
        assert titles(reopened, Entitlement(groups=frozenset({"team"}))) == {"Open data"}
        assert titles(reopened, Entitlement(proposals=frozenset({"MA-2"}))) == {"Open data", "Team secret"}
        assert [i.next_release for i in reopened.release(LATER)] == [dt.date(2027, 1, 31)]
        assert titles(reopened, "public") == {"Open data", "Group secret"}


def test_a_scope_sees_the_graphs_of_every_write_after_it_was_first_asked() -> None:
    """Scopes are kept per store write version: a load, a release and a removal each change what they list."""
    store = loaded()
    team = Entitlement(groups=frozenset({"esrf-ma1"}))
    assert titles(store, team) == {"Open data", "Group secret"}
    model = RdfModel(store.minter, as_of=TODAY)
    later = e.Dataset(pid="grp2", title="Second secret", owner_group="esrf-ma1", embargo_end=LATER)
    store.replace_source("test", "test:more", "1", list(model.quads(later)), as_of=TODAY,
                         next_release=lambda: model.next_release)
    assert titles(store, team) == {"Open data", "Group secret", "Second secret"}
    assert titles(store, "public") == {"Open data"}
    store.release(LATER)
    assert titles(store, "public") == {"Open data", "Group secret", "Second secret"}  # "Team secret" opens later
    assert store.remove_source("test", "test:more")
    assert "Second secret" not in titles(store, team) | titles(store, "public")
