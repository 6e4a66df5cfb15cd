"""Loads RDF files as they are (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD), one source per file.

For a facility's own RDF, or pankg's exports: the triples go into the file's source graph unchanged
(graph names in N-Quads/TriG are not kept: a source owns its graphs). A file that does not parse
loads nothing, and the error names the file and the line. Files are parsed through
:mod:`graph.store.rdf_input` (RDF/XML with a DTD, cut-off XML and remote JSON-LD contexts are refused there);
a file without a single triple is an error too, since loading it would empty its source without a word.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from graph.errors import RecordInvalid, SourceUnavailable
from graph.model.writer import PUBLIC, Quad, RdfModel
from graph.query.formats import RdfSyntax
from graph.store import rdf_input
from loaders.base import DEFAULT_OPTIONS, LoadOptions, LoadReport, expand_paths, file_hash

NAME = "rdf"
SUFFIXES = rdf_input.SUFFIXES


@dataclass(frozen=True)
class RdfFileSource:
    path: Path
    kind: str = NAME

    @property
    def location(self) -> str:
        return str(self.path)

    @property
    def format(self) -> RdfSyntax:
        try:
            return SUFFIXES[self.path.suffix.lower()]
        except KeyError:
            known = ", ".join(sorted(SUFFIXES))
            raise SourceUnavailable(f"{self.path}: unknown RDF file type {self.path.suffix!r} "
                                    f"(known: {known})") from None

    def content_hash(self) -> str:
        return file_hash(self.path, self.format.media_type)

    def quads(self, model: RdfModel, report: LoadReport) -> Iterator[Quad]:
        # Blank node labels are local to a file: prefix them with the file's digest so that two files
        # that both say _:b0 do not meet on one node.
        scope = hashlib.sha256(self.location.encode()).hexdigest()[:12]
        count = 0
        base = self.path.resolve().as_uri()
        for s, p, o in rdf_input.ntriples(self.path, self.format, name=str(self.path), base_iri=base,
                                          blank_prefix=f"f{scope}"):
            yield s, p, o, PUBLIC
            count += 1
        if not count:  # an empty or cut-to-nothing file: loading it would silently empty the source
            raise RecordInvalid("no triples in it", file=str(self.path))
        report.entities["triples"] += count


def sources(paths: list[str], options: LoadOptions = DEFAULT_OPTIONS) -> list[RdfFileSource]:
    """One source per file; a directory stands for the RDF files inside it.

    An RDF file is parsed as a whole, so ``options.lenient`` has no records to skip: a file that does not parse
    fails (and with ``pankg load --lenient`` the other files still load)."""
    found = [RdfFileSource(path) for path, _ in expand_paths(paths, SUFFIXES, recursive=True, label="RDF")]
    for source in found:
        source.format  # noqa: B018 - fail early on unknown file types, before anything is written
    return found
