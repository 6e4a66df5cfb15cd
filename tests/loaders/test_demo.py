"""The demo generator: deterministic, realistic, and the store holds exactly what it says it made."""

from __future__ import annotations

import datetime as dt

from graph.model import entities as e
from graph.model.iris import orcid_iri
from graph.store.embedded import GraphStore
from graph.store.stats import entity_counts
from loaders.base import load
from loaders.demo import DemoCatalogue, fake_orcid
from tests.helpers import TODAY, demo_source


def test_the_store_holds_what_the_generator_says(demo_store: tuple[GraphStore, DemoCatalogue]) -> None:
    store, catalogue = demo_store
    made = catalogue.summary
    counts, embargoed = entity_counts(store)
    assert made["raw datasets"] + made["derived datasets"] == catalogue.datasets == counts["datasets"]
    assert counts["raw datasets"] == made["raw datasets"]
    assert counts["derived datasets"] == made["derived datasets"]
    assert counts["analysis runs"] == made["runs"]
    assert counts["files"] == made["files"]
    assert counts["parameters"] == made["parameters"]
    assert counts["samples"] == made["samples"]
    assert counts["proposals"] == made["proposals"]
    assert counts["people"] == made["people"]
    assert counts["facilities"] == made["facilities"] == 8
    assert counts["instruments"] == made["instruments"]
    assert counts["software versions"] == made["software versions"]
    assert counts["DOI records"] == made["DOIs"]
    assert counts["publications"] == made["publications"] > 0
    assert embargoed == made["embargoed datasets"] > 0


def test_the_same_seed_gives_the_same_catalogue_and_iris_whatever_the_day() -> None:
    def subjects(day: dt.date) -> set[str]:
        store = GraphStore()
        load(store, demo_source(150, seed=3), as_of=day)
        _, rows = store.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o }")
        return {row[0].value for row in rows if "/graph/" not in row[0].value and "/source/" not in row[0].value}

    assert subjects(TODAY) == subjects(TODAY + dt.timedelta(days=400))
    first = list(DemoCatalogue(150, 3, TODAY).entities())
    assert first == list(DemoCatalogue(150, 3, TODAY).entities())
    assert first != list(DemoCatalogue(150, 4, TODAY).entities())


def test_the_demo_is_realistic() -> None:
    entities = list(DemoCatalogue(600, 1, TODAY).entities())
    people = [x for x in entities if isinstance(x, e.Person)]
    assert all(orcid_iri(p.pid) for p in people)  # ORCID-shaped with valid check digits
    units = {p.unit for x in entities if isinstance(x, e.Dataset) for p in x.parameters}
    assert {"keV", "eV", "K", "degC", "angstrom"} <= units
    derived = [x for x in entities if isinstance(x, e.Dataset) and x.kind == "derived"]
    runs = {x.outputs[0]: x for x in entities if isinstance(x, e.AnalysisRun)}
    assert derived and all(d.pid in runs and runs[d.pid].software_version for d in derived)
    embargoed = [x for x in entities if isinstance(x, e.Dataset) and x.embargo_end and x.embargo_end > TODAY]
    assert 0 < len(embargoed) < len(derived) + len([x for x in entities if isinstance(x, e.Dataset)])
    assert {f.pid for f in entities if isinstance(f, e.Facility)} >= {"https://ror.org/02550n020", "https://ror.org/01xtjs520"}


def test_fake_orcids_are_in_the_unissued_block() -> None:
    assert fake_orcid(1).startswith("0000-0000-")
    assert orcid_iri(fake_orcid(12345)) is not None
