"""Loads PaNET, the Photon and Neutron Experimental Techniques ontology, as the graph's live technique tree.

``pankg load panet PATH|URL``: one OWL file (RDF/XML as PaNET publishes it; Turtle, N-Triples and the
other RDF syntaxes of :mod:`loaders.rdf` work too) or its URL. Every PaNET class becomes a
``pankg:Technique`` on its own IRI, with labels, synonyms, definition, direct parents and the
materialized sub-technique closure (:mod:`loaders.panet_map`), so that "datasets of T or of any narrower
technique" is ``?d pankg:technique ?t . ?t pankg:subTechniqueOf T``.

A store holds one PaNET: whatever file or URL it comes from, the source is the PaNET ontology
(:data:`LOCATION`), so loading a newer release replaces the labels, parents and closure of the one
before, on the same nodes. A file that does not parse, has no classes or is not PaNET (no PaNET class, or
no root ``PaNET00001``) fails with an error that names it, and the graph stays as it was. Reasoning:
:mod:`loaders.panet_reason`. What goes in the graph: ``docs/techniques.md``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import owlready2

from graph.errors import LoaderError, RecordInvalid, SourceUnavailable
from graph.model.writer import Quad, RdfModel
from graph.query.formats import RdfSyntax
from graph.store import rdf_input
from graph.store.rdf_input import SUFFIXES
from loaders.base import DEFAULT_OPTIONS, LoadOptions, LoadReport, LoadWarning
from loaders.panet_map import ancestors, taxonomy_quads
from loaders.panet_read import OwlClass, Taxonomy, check_panet, open_world, parse, read_classes
from loaders.panet_reason import ReasonMode, java, reason, reason_mode, unmaterialized

NAME = "panet"
LOCATION = "http://purl.org/pan-science/PaNET/PaNET.owl"
"""The one PaNET source of a store: PaNET's ontology IRI, whatever file or URL a release is read from."""
MAPPING_VERSION = "1"
TIMEOUT_SECONDS = 60.0


@dataclass
class PanetSource:
    """One PaNET release, read from ``given`` (an absolute file path or an http(s) URL)."""

    given: str
    reason: ReasonMode = "auto"
    kind: str = NAME
    _content: tuple[bytes, RdfSyntax, str] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def location(self) -> str:
        return LOCATION

    @property
    def is_url(self) -> bool:
        return self.given.startswith(("http://", "https://"))

    def content_hash(self) -> str:
        """The bytes read, their syntax, the mapping and the reasoning that will run on them.

        Whether Java is there is part of it: a PaNET loaded without its reasoning step is loaded again
        once Java is installed.
        """
        data, fmt, _ = self._read()
        digest = hashlib.sha256(data)
        reasoning = "never" if self.reason == "never" else f"{self.reason}:{'java' if java() else 'no-java'}"
        for item in (fmt.media_type, MAPPING_VERSION, reasoning):
            digest.update(b"\0" + item.encode())
        return digest.hexdigest()

    def quads(self, model: RdfModel, report: LoadReport) -> Iterator[Quad]:
        data, fmt, base = self._read()
        ntriples, header = parse(data, fmt, self.given, base)
        report.warnings += [
            LoadWarning(f"owl:imports {i} not followed: PaNET is loaded on its own", file=self.given)
            for i in header.dropped_imports
        ]
        world = open_world(ntriples, self.given)
        try:
            classes = _classes(world, self.given)
            check_panet(classes, self.given)
            pending = unmaterialized(classes, ancestors(classes))
            if self.reason == "always" or (self.reason == "auto" and pending):
                report.warnings += reason(world, self.given, len(pending))
                classes = _classes(world, self.given)
        finally:
            world.close()
        yield from taxonomy_quads(Taxonomy(header, classes), model, report)

    def _read(self) -> tuple[bytes, RdfSyntax, str]:
        """``(bytes, syntax, base IRI)``, read once and kept: the hash and the quads see the same bytes."""
        if self._content is None:
            self._content = _fetch(self.given) if self.is_url else _read_file(Path(self.given))
        return self._content


def _classes(world: owlready2.World, name: str) -> dict[str, OwlClass]:
    """The classes of the world; what owlready2 cannot make classes of is an error naming the file.

    owlready2 builds a Python class per OWL class, and triples no OWL tool writes (a class typed with a
    misspelt ``owl:Class`` and used as a superclass) end in Python's own errors inside it ("metaclass
    conflict", a TypeError): whatever it raises here means the file is not OWL it can read.
    """
    try:
        return read_classes(world)
    except Exception as exc:  # noqa: BLE001 - see the docstring
        raise RecordInvalid(f"owlready2 cannot read it as OWL: {type(exc).__name__}: {exc}", file=name) from None


def _read_file(path: Path) -> tuple[bytes, RdfSyntax, str]:
    try:
        return path.read_bytes(), file_format(path.name, path), path.as_uri()
    except OSError as exc:
        raise SourceUnavailable(f"{path}: cannot read it ({exc.strerror or exc})") from None


def _fetch(url: str) -> tuple[bytes, RdfSyntax, str]:
    """GET the URL (redirects followed, as PaNET's PURL redirects); the syntax from the media type, else the name."""
    try:
        with httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=True) as client:
            response = client.get(url, headers={"Accept": "application/rdf+xml, text/turtle;q=0.9, */*;q=0.1"})
    except httpx.HTTPError as exc:
        raise SourceUnavailable(f"{url}: cannot fetch it ({exc})") from None
    if response.status_code != 200:
        raise SourceUnavailable(f"{url}: HTTP {response.status_code} {response.reason_phrase}")
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    fmt = rdf_input.syntax_of(media_type=media_type)
    if fmt is None:
        name = urlsplit(str(response.url)).path.rsplit("/", 1)[-1]
        fmt = SUFFIXES.get(Path(name).suffix.lower(), RdfSyntax.RDF_XML)  # PaNET is published as RDF/XML
    return response.content, fmt, str(response.url)


def file_format(name: str, shown: Path | str) -> RdfSyntax:
    """The RDF syntax of a file by its suffix (``.owl`` is RDF/XML, PaNET's own)."""
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":  # PaNET's master branch holds only its ROBOT template, source/PaNET.csv
        raise SourceUnavailable(f"{shown}: a ROBOT template, not OWL; build the OWL from it (robot template) or "
                                "take a release")
    if suffix not in SUFFIXES:
        known = ", ".join(sorted(SUFFIXES))
        raise SourceUnavailable(f"{shown}: unknown file type {suffix!r} for an ontology (known: {known})")
    return SUFFIXES[suffix]


def sources(paths: list[str], options: LoadOptions = DEFAULT_OPTIONS) -> list[PanetSource]:
    """The one PaNET file or URL given; checked before anything is written.

    A store holds one PaNET, so one path is expected. The ontology is read as a whole, so ``options.lenient``
    has no records to skip; ``options.panet_reason`` says when HermiT runs (:mod:`loaders.panet_reason`).
    """
    if len(paths) != 1:
        raise LoaderError(f"load panet takes one file or URL (a store holds one PaNET), not {len(paths)}")
    mode = reason_mode(options.panet_reason)
    text = paths[0]
    if text.startswith(("http://", "https://")):
        return [PanetSource(text, mode)]
    path = Path(text).resolve()
    if path.is_dir():
        raise SourceUnavailable(f"{text}: a directory; give PaNET's OWL file")
    if not path.is_file():
        raise SourceUnavailable(f"{text}: no such file or directory")
    file_format(path.name, text)
    return [PanetSource(str(path), mode)]
