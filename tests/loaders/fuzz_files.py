"""Valid files of every loader kind, and hypothesis strategies that cut and corrupt them.

A seed is a file a loader takes as it is: the catalogue kinds from the record strategies
(:mod:`tests.loaders.fuzz_records`, :mod:`tests.loaders.fuzz_icat`, :mod:`tests.loaders.fuzz_datacite`), a Crossref answer and a software
catalogue from their loaders' tests, a NeXus file written with h5py, a small graph in every RDF syntax, and a
mini PaNET as RDF/XML. :func:`corrupted` then cuts the file at a byte, flips bits or inserts bytes.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from hypothesis import strategies as st

from graph.query.formats import RdfSyntax, serialize_triples
from graph.store import rdf_input
from tests.loaders import fuzz_datacite, fuzz_icat, fuzz_records
from tests.loaders.fuzz_cases import Case
from tests.loaders.nexus_files import saxs_entry, write_nexus
from tests.loaders.panet_files import MINI
from tests.loaders.test_crossref import answer, work
from tests.loaders.test_software_catalogue import CATALOGUE


@dataclass(frozen=True)
class Seed:
    """One valid file: ``pankg load kind`` of ``name`` holding ``content`` loads."""

    kind: str
    name: str
    content: bytes


def _one_file(kind: str, strategy: st.SearchStrategy[Case]) -> st.SearchStrategy[Seed]:
    """A seed of a catalogue kind: one file of a generated valid case."""
    return strategy.flatmap(lambda case: st.sampled_from(sorted(case.files.items())).map(
        lambda item: Seed(kind, item[0], item[1])))


RDF_SYNTAXES = {".ttl": RdfSyntax.TURTLE, ".nt": RdfSyntax.N_TRIPLES, ".nq": RdfSyntax.N_QUADS,
                ".trig": RdfSyntax.TRIG, ".rdf": RdfSyntax.RDF_XML, ".owl": RdfSyntax.RDF_XML,
                ".xml": RdfSyntax.RDF_XML, ".jsonld": RdfSyntax.JSON_LD}


@cache
def rdf_seed(suffix: str) -> bytes:
    """The mini PaNET (labels with languages, blank-node-free) in one RDF syntax; quads in a named graph."""
    triples = list(rdf_input.triples(MINI.encode(), RdfSyntax.TURTLE))
    fmt = RDF_SYNTAXES[suffix]
    if fmt in (RdfSyntax.N_QUADS, RdfSyntax.TRIG):
        return serialize_triples(triples, fmt, graph="https://example.org/graph")
    return serialize_triples(triples, fmt)


@cache
def nexus_seed() -> bytes:
    """A NeXus file as ESRF ID02 might write it (:func:`tests.loaders.nexus_files.saxs_entry`), its bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        return write_nexus(Path(tmp) / "scan.nxs", {"entry": saxs_entry()}).read_bytes()


FIXED: dict[str, Callable[[], Seed]] = {
    "crossref": lambda: Seed("crossref", "works.json", json.dumps(answer(work(), work("10.1107/S2"))).encode()),
    "software": lambda: Seed("software", "catalogue.yaml", CATALOGUE.encode()),
    "nexus": lambda: Seed("nexus", "scan.nxs", nexus_seed()),
    "panet": lambda: Seed("panet", "PaNET.owl", rdf_seed(".owl")),
    **{f"rdf{suffix}": (lambda s=suffix: Seed("rdf", f"graph{s}", rdf_seed(s))) for suffix in RDF_SYNTAXES},
}
GENERATED: dict[str, st.SearchStrategy[Seed]] = {
    "scicat": _one_file("scicat", fuzz_records.scicat()),
    "panosc": _one_file("panosc", fuzz_records.panosc()),
    "codemeta": _one_file("codemeta", fuzz_records.codemeta()),
    "icat.yaml": _one_file("icat", fuzz_icat.icat(xml=False)),
    "icat.xml": _one_file("icat", fuzz_icat.icat(xml=True)),
    "datacite.json": _one_file("datacite", fuzz_datacite.datacite(xml=False)),
    "datacite.xml": _one_file("datacite", fuzz_datacite.datacite(xml=True)),
}
SEEDS = sorted([*FIXED, *GENERATED])
"""Every file kind: each loader, each of its syntaxes."""
CUT_IS_ALWAYS_AN_ERROR = frozenset({
    "scicat", "panosc", "codemeta", "crossref", "icat.xml", "datacite.json", "datacite.xml", "rdf.rdf", "rdf.owl",
    "rdf.xml", "rdf.jsonld", "panet",
})
"""Files whose syntax ends in a closing bracket or tag: cut before its end, they are broken, always. (YAML,
N-Triples, Turtle and TriG cut at a line or statement boundary are valid files that say less: no parser can tell.)"""


def seed(name: str) -> st.SearchStrategy[Seed]:
    return GENERATED[name] if name in GENERATED else st.builds(FIXED[name])


@st.composite
def corrupted(draw: st.DrawFn, content: bytes) -> bytes:
    """``content`` cut at a byte, with bits flipped, or with bytes inserted (one to a few places)."""
    how = draw(st.sampled_from(("cut", "flip", "insert", "several")))
    data = bytearray(content)
    if how == "cut":
        return bytes(data[:draw(st.integers(0, len(data) - 1))])
    for _ in range(draw(st.integers(2, 12)) if how == "several" else 1):
        at = draw(st.integers(0, len(data) - 1))
        if how == "flip" or (how == "several" and draw(st.booleans())):
            data[at] ^= 1 << draw(st.integers(0, 7))
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=4))
    return bytes(data)


def cut_inside(content: bytes) -> st.SearchStrategy[bytes]:
    """``content`` cut so that something other than blanks is lost."""
    last = len(content.rstrip())
    return st.integers(0, last - 1).map(lambda n: content[:n])
