"""A realistic, deterministic demo catalogue of any size (``pankg demo``; also feeds the benchmarks).

Real facilities (with their ROR ids), real beamlines and PaNET techniques, real PaN software; made-up
proposals, people (ORCID-shaped ids in the unissued 0000-0000- block, valid check digits), samples,
raw datasets with parameters in mixed units (keV and eV, K and degC), analysis runs that used a
software version and produced derived datasets, DOIs under DataCite's test prefix 10.5072, papers
citing data and software, and a 3-year embargo on recent data. The same seed gives the same PIDs,
hence the same IRIs, whatever the day; only embargo status depends on ``today``.

The demo is the one module of ``loaders/`` that may import any loader's modules (to build demo data through
them); no loader imports it, and ``tests/loaders/test_contract.py`` holds every other module to its family.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import Counter
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field

from graph.model import entities as e
from graph.model.iris import orcid_check_digit
from graph.model.units import make_parameter
from graph.model.writer import Quad, RdfModel
from loaders import demo_data as data
from loaders.base import LoadReport, entity_quads
from loaders.dates import years_later

NAME = "demo"
LOCATION = "pankg:demo"
GENERATOR_VERSION = "2"
EMBARGO_YEARS = 3
HISTORY_DAYS = 8 * 365
BEAMTIME_DAYS = 4
"""A beamtime's length: its raw datasets are made within it, and its end starts the embargo."""
TEST_DOI_PREFIX = "10.5072"


def fake_orcid(number: int) -> str:
    """An ORCID-shaped id with a valid check digit in the 0000-0000- block, which ORCID does not issue."""
    digits = f"00000000{number:07d}"
    base = f"{digits[0:4]}-{digits[4:8]}-{digits[8:12]}-{digits[12:15]}"
    return f"{base}{orcid_check_digit(base)}"


@dataclass
class DemoCatalogue:
    """The generator. Iterate :meth:`entities`; afterwards :attr:`summary` says what it made."""

    datasets: int = 3000
    seed: int = 42
    today: dt.date = field(default_factory=dt.date.today)
    summary: Counter[str] = field(default_factory=Counter)
    on_dataset: Callable[[], None] | None = None
    """Called after each dataset is made (from the loading thread): drives a progress bar."""

    def entities(self) -> Iterator[e.Entity]:
        rng = random.Random(self.seed)
        self.summary.clear()
        count = self.summary
        yield from self._reference_entities()
        people = max(20, self.datasets // 8)
        for n in range(people):
            given, family = rng.choice(data.GIVEN_NAMES), rng.choice(data.FAMILY_NAMES)
            yield e.Person(fake_orcid(n + 1), f"{given} {family}", given, family,
                           affiliations=(rng.choice(data.FACILITIES).ror,))
        count["people"] = people
        made = 0
        proposal_number = 0
        while made < self.datasets:
            proposal_number += 1
            budget = min(self.datasets - made, rng.randint(3, 14))
            made += yield from self._proposal(rng, proposal_number, budget, people)
        count["proposals"] = proposal_number

    def _reference_entities(self) -> Iterator[e.Entity]:
        for t in data.TECHNIQUES.values():
            yield e.Technique(t.iri, t.label)
        for fac in data.FACILITIES:
            yield e.Facility(fac.ror, fac.name, short_name=fac.short)
            for name, techniques in fac.instruments:
                yield e.Instrument(f"{fac.short}/{name}", f"{fac.short} {name}", fac.ror,
                                   tuple(data.TECHNIQUES[t].iri for t in techniques))
                self.summary["instruments"] += 1
        for sw in data.SOFTWARE:
            yield e.Software(sw.key, sw.name, sw.description, sw.repository, sw.license,
                             techniques=tuple(data.TECHNIQUES[t].iri for t in sw.techniques))
            for version in sw.versions:
                yield e.SoftwareVersion(sw.key, version, doi=_software_doi(sw.key, version))
                yield e.DoiRecord(_software_doi(sw.key, version), f"{sw.name} {version}", f"{sw.name} developers",
                                  resource_type="Software")
                self.summary["software versions"] += 1
                self.summary["DOIs"] += 1
        self.summary.update({"techniques": len(data.TECHNIQUES), "facilities": len(data.FACILITIES),
                             "software": len(data.SOFTWARE)})

    def _proposal(self, rng: random.Random, number: int, budget: int,
                  people: int) -> Generator[e.Entity, None, int]:
        """One proposal with its samples, raw and derived datasets, runs, DOI and papers; returns datasets made."""
        count = self.summary
        fac = rng.choice(data.FACILITIES)
        instrument, techniques = rng.choice(fac.instruments)
        technique = data.TECHNIQUES[rng.choice(techniques)]
        team = tuple(fake_orcid(n + 1) for n in rng.sample(range(people), rng.randint(2, 5)))
        proposal = f"{fac.short}-{number:06d}"
        samples = rng.sample(data.SAMPLES, rng.randint(1, 3))
        start = self.today - dt.timedelta(days=rng.uniform(30, HISTORY_DAYS))
        # As the facilities' data policies say: the embargo runs from the end of the experiment, so all
        # of a proposal's data opens the same day (one restricted graph per proposal, not per dataset).
        embargo_end = years_later(start + dt.timedelta(days=BEAMTIME_DAYS), EMBARGO_YEARS)
        yield e.Proposal(proposal, f"{technique.label.capitalize()} of {samples[0][0]} at {fac.short} {instrument}",
                         fac.ror, team[0], abstract=f"Beamtime at {fac.short} {instrument} to study {samples[0][2]}.")
        sample_pids = []
        for k, (name, formula, description) in enumerate(samples):
            sample_pids.append(f"{proposal}/S{k + 1}")
            yield e.Sample(sample_pids[-1], name, formula, description)
            count["samples"] += 1
        raw_count = max(1, round(budget * 0.6)) if budget > 1 else 1
        raws: list[e.Dataset] = []
        for k in range(raw_count):
            created = dt.datetime.combine(start, dt.time()) + dt.timedelta(hours=rng.uniform(0, 24 * BEAMTIME_DAYS))
            sample = rng.randrange(len(samples))
            raw = e.Dataset(
                pid=f"{proposal}-{k + 1:03d}",
                title=f"{technique.short} of {samples[sample][0]}, scan {k + 1}",
                kind="raw",
                description=f"{technique.label.capitalize()} measured on {fac.short} {instrument}.",
                created=created.replace(microsecond=0, tzinfo=dt.UTC),
                facility=fac.ror,
                instrument=f"{fac.short}/{instrument}",
                proposal=proposal,
                techniques=(technique.iri,),
                samples=(sample_pids[sample],),
                creators=team[: rng.randint(1, len(team))],
                parameters=self._parameters(rng, technique.probe),
                files=self._files(rng, proposal, instrument, k),
                license="CC-BY-4.0",
                embargo_end=embargo_end,
            )
            raws.append(raw)
            yield raw
            if self.on_dataset:
                self.on_dataset()
        derived_count = budget - raw_count
        candidates = [sw for sw in data.SOFTWARE if technique.short in sw.techniques]
        deriveds: list[tuple[e.Dataset, str]] = []
        for k in range(derived_count):
            sw = rng.choice(candidates) if candidates else data.SOFTWARE[0]
            version = rng.choice(sw.versions)
            inputs = rng.sample(raws, min(len(raws), rng.randint(1, 3)))
            created = max(r.created for r in inputs if r.created) + dt.timedelta(days=rng.uniform(1, 120))
            derived = e.Dataset(
                pid=f"{proposal}-D{k + 1:02d}",
                title=f"{sw.name} {version} reduction of {', '.join(r.pid for r in inputs)}",
                kind="derived",
                description=f"Reduced with {sw.name} {version}.",
                created=created.replace(microsecond=0),
                facility=fac.ror,
                proposal=proposal,
                techniques=(technique.iri,),
                creators=team[:1],
                license="CC-BY-4.0",
                embargo_end=embargo_end,
            )
            public = derived.embargo_end is None or derived.embargo_end <= self.today
            yield e.AnalysisRun(f"{proposal}/run-{k + 1}", f"{sw.key}@{version}",
                                tuple(r.pid for r in inputs), (derived.pid,), team[0],
                                created - dt.timedelta(hours=2), created,
                                (make_parameter("threads", rng.choice((4, 8, 16))),), public=public)
            deriveds.append((derived, _software_doi(sw.key, version)))
            if self.on_dataset:
                self.on_dataset()
            count["parameters"] += 1  # the run's one parameter
            yield derived
            count["runs"] += 1
        for d in raws + [d for d, _ in deriveds]:
            count[f"{d.kind} datasets"] += 1
            count["files"] += len(d.files)
            count["parameters"] += len(d.parameters)
            if d.embargo_end and d.embargo_end > self.today:
                count["embargoed datasets"] += 1
        yield from self._doi_and_papers(rng, fac, proposal, team, raws, deriveds)
        return raw_count + derived_count

    def _doi_and_papers(self, rng: random.Random, fac: data.Facility, proposal: str, team: tuple[str, ...],
                        raws: list[e.Dataset], deriveds: list[tuple[e.Dataset, str]]) -> Iterator[e.Entity]:
        open_raws = [r for r in raws if r.embargo_end and r.embargo_end <= self.today]
        if not open_raws or rng.random() > 0.7:
            return
        doi = f"{TEST_DOI_PREFIX}/pankg-demo.{proposal.lower()}"
        sample_name = raws[0].title.split(" of ", 1)[1].split(",")[0]
        year = min(r.created.year for r in open_raws if r.created)
        yield e.DoiRecord(doi, f"Data of proposal {proposal}", fac.name, year, "Dataset", team,
                          tuple(r.pid for r in open_raws))
        self.summary["DOIs"] += 1
        for p in range(rng.choice((0, 1, 1, 2))):
            cites = [e.Citation(doi, "citesAsDataSource")]
            cites += [e.Citation(software_doi, "usesMethodIn") for _, software_doi in deriveds[:1]]
            yield e.Publication(f"{TEST_DOI_PREFIX}/pankg-demo.paper.{proposal.lower()}.{p + 1}",
                                f"Structure and dynamics of {sample_name}",
                                team, min(dt.date(year + 1, rng.randint(1, 12), 1), self.today),
                                rng.choice(data.JOURNALS), tuple(cites))
            self.summary["publications"] += 1

    @staticmethod
    def _parameters(rng: random.Random, probe: str) -> tuple[e.Parameter, ...]:
        kelvin = round(rng.uniform(80, 400), 1)
        temperature = (make_parameter("temperature", kelvin, "K") if rng.random() < 0.5
                       else make_parameter("temperature", round(kelvin - 273.15, 2), "degC"))
        if probe == "neutron":
            return (
                make_parameter("wavelength", round(rng.uniform(4, 20), 2), "angstrom"),
                temperature,
                make_parameter("counting_time", rng.choice((60, 300, 600, 1800)), "s"),
                make_parameter("sample_detector_distance", round(rng.uniform(1, 39), 1), "m"),
            )
        kev = round(rng.uniform(5, 30), 3)
        energy = (make_parameter("photon_energy", kev, "keV") if rng.random() < 0.6
                  else make_parameter("photon_energy", round(kev * 1000, 1), "eV"))
        return (
            energy,
            make_parameter("wavelength", round(12.398419843 / kev, 5), "angstrom"),
            temperature,
            make_parameter("exposure_time", rng.choice((1, 10, 100, 500)), "ms"),
        )

    @staticmethod
    def _files(rng: random.Random, proposal: str, instrument: str, k: int) -> tuple[e.File, ...]:
        return tuple(
            e.File(f"/data/visitor/{proposal.lower()}/{instrument.lower()}/scan{k + 1:04d}_{f:03d}.nxs",
                   rng.randint(10_000_000, 50_000_000_000), f"sha256:{rng.getrandbits(256):064x}")
            for f in range(rng.randint(1, 3))
        )


def _software_doi(key: str, version: str) -> str:
    return f"{TEST_DOI_PREFIX}/pankg-demo.software.{key}.{version}"


@dataclass
class DemoSource:
    """The demo as a loadable source: always the same location, so a new demo replaces the old one."""

    catalogue: DemoCatalogue
    kind: str = NAME
    location: str = LOCATION

    def content_hash(self) -> str:
        c = self.catalogue
        return hashlib.sha256(f"{GENERATOR_VERSION}|{c.datasets}|{c.seed}|{c.today}".encode()).hexdigest()

    def quads(self, model: RdfModel, report: LoadReport) -> Iterator[Quad]:
        return entity_quads(self.catalogue.entities(), model, report)
