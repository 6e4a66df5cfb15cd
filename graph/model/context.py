"""What every mapper of the model shares: IRI minting, embargo keys, licences and technique resolution.

:class:`graph.model.writer.RdfModel` dispatches each record to its mapper (its own methods for the core kinds,
:mod:`graph.model.people_rdf`, :mod:`graph.model.software_rdf`, :mod:`graph.model.scholarly` ... for the
others); every mapper is given the model as a :class:`MappingContext`, so the mappers need this module only,
never the writer that calls them (no import circle), and the state of one load (the embargo keys of the
datasets mapped so far, the technique names that could not be resolved) lives in one object.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from graph.model import entities as e
from graph.model.access import restricted_key
from graph.model.iris import DEFAULT_BASE, Minter, global_pid_iri, licence_iri
from graph.model.nt import iri, literal
from graph.model.nterms import pankg
from graph.model.quads import PUBLIC, Access, Quad
from graph.techniques.names import TechniqueNames


class MappingContext:
    """The state and helpers of one mapping run; ``as_of`` is the day embargo end dates are judged against."""

    def __init__(
        self, minter: Minter | None = None, as_of: dt.date | None = None, techniques: TechniqueNames | None = None
    ) -> None:
        self.minter = minter or Minter(DEFAULT_BASE)
        self.as_of = as_of or dt.date.today()
        self.techniques = techniques
        self.technique_problems: dict[str, str] = {}
        """Technique names that could not be resolved and IRIs the ontology lacks: text -> why (for the report)."""
        self._resources: dict[str, str] = {}
        self._keys: dict[str, Access] = {}
        """Restricted keys of the datasets mapped so far, and of the samples they name: what follows them."""
        self.next_release: dt.date | None = None
        """The earliest embargo end after ``as_of`` among the datasets mapped so far: the day a reload of
        the same source would give a different graph."""

    def node(self, kind: str, pid: str) -> str:
        """The N-Triples form of the IRI of entity ``kind`` named ``pid`` by its source."""
        return f"<{self.minter.iri(kind, pid)}>"

    def is_restricted(self, dataset: e.Dataset | e.DatasetFiles | e.RecordAccess) -> bool:
        """True while a dataset's (or a record's) details are under embargo: explicit flag first, then end date."""
        if dataset.public is not None:
            return not dataset.public
        end = dataset.embargo_end
        if end is None or end <= self.as_of:
            return False
        if self.next_release is None or end < self.next_release:
            self.next_release = end
        return True

    def hidden(self, dataset: e.Dataset | e.DatasetFiles) -> Access:
        """Where a dataset's details go: ``public``, or the restricted graph of all the groups that may read
        it (owner and access groups; else its proposal's team), keyed by its embargo end when a date (not a
        flag) restricts it, for ``pankg release``. Files take the key of their dataset if it was mapped here,
        else the same key from the access their loader found for it."""
        if isinstance(dataset, e.DatasetFiles) and dataset.dataset in self._keys and self.is_restricted(dataset):
            return self._keys[dataset.dataset]
        key = self.record_key(dataset)
        if isinstance(dataset, e.Dataset) and key != PUBLIC:
            self._keys[dataset.pid] = key
            for sample in dataset.samples:
                self._keys.setdefault("sample:" + sample, key)
        return key

    def record_key(self, record: e.Dataset | e.DatasetFiles | e.RecordAccess | None) -> Access:
        """The key of what is known from ``record`` only (no record: public): the key its details get."""
        if record is None or not self.is_restricted(record):
            return PUBLIC
        until = record.embargo_end if record.public is None else None
        return restricted_key((record.owner_group, *record.access_groups), record.proposal, until)

    def resource(self, value: str, field: str = "license") -> str:
        """A licence or URL given as text: an IRI as is, an SPDX id as its spdx.org IRI."""
        known = self._resources.get(value)
        if known is None:
            known = self._resources[value] = iri(licence_iri(value), field)
        return known

    def technique(self, pid: str) -> str:
        """A technique keeps the IRI of its ontology (PaNET or any other; ``panet:PaNET01164`` is its PURL);
        a name becomes the IRI the loaded ontology gives it (:mod:`graph.techniques.names`), else is minted."""
        names = self.techniques
        if not self.is_technique_name(pid):
            web = pid.startswith(("http://", "https://"))
            found = iri(global_pid_iri(pid) or pid) if web else self.node("technique", pid)
            if names is not None and names.covers(found[1:-1]) and not names.knows(found[1:-1]):
                self.technique_problems[pid] = f"technique {pid} is not in the loaded technique ontology; kept"
            return found
        if names is not None:
            resolved = names.resolve(pid)
            if resolved.iri:
                return iri(resolved.iri)
            self.technique_problems[pid] = resolved.problem
        return self.node("technique", pid)

    def is_technique_name(self, pid: str) -> bool:
        """Words rather than an identifier: neither an http(s) IRI nor a global PID such as ``panet:...``."""
        return not pid.startswith(("http://", "https://")) and self.minter.iri("technique", pid).startswith(
            self.minter.base + "technique/"
        )

    def technique_links(self, s: str, techniques: tuple[str, ...]) -> Iterator[Quad]:
        """``pankg:technique`` links, and the words of a technique named without an identifier."""
        for technique in techniques:
            yield s, pankg.technique, self.technique(technique), PUBLIC
            if self.is_technique_name(technique):
                yield s, pankg.techniqueName, literal(technique), PUBLIC

