"""RDF from outside, parsed safely: the one door through which files, downloads and request bodies reach
oxigraph's parsers (``pankg load rdf``, ``pankg load panet``, the Graph Store's ``PUT``/``POST`` bodies).

Why a door at all. oxigraph's RDF/XML parser expands the entities a DTD declares without any bound: a
file of under 1 KB declaring nested entities ("billion laughs") makes it allocate gigabytes and abort the
whole process, a server included, and an external entity (``SYSTEM "file:///etc/passwd"``) asks it to read
a local file. It also stops at the end of its input without complaint when elements are still open, so an
OWL file cut off in the middle loaded what came before the cut. And a JSON-LD document whose
``@context`` is a URL fails inside oxigraph with a message about its own callbacks.

So, before oxigraph sees RDF/XML, expat (the C parser under :mod:`xml.parsers.expat`) reads the whole
document, streamed in :data:`CHUNK` pieces (a file is read from disk, never held whole in memory by the
check), and refuses:

- a ``<!DOCTYPE``, and so any entity declaration, external entity or notation (none of which RDF/XML
  needs: write IRIs out in full, or use Turtle);
- anything that is not well-formed XML, a truncated document (an element left open) and an unknown
  encoding included, naming the line and column expat stopped at.

The pass keeps nothing, so it is cheap: on a generated 50 MB RDF/XML file (686,147 triples) expat took
0.28 s where oxigraph's bare parse took 0.68 s and the whole ``pankg load rdf`` 11 s (about 2.5 % more).

Remote JSON-LD contexts are never fetched (oxigraph cannot, and must not: a load or a request body would
otherwise make pankg fetch any URL); when oxigraph fails on one, the error names the context's URL and
says to inline it. Every failure is a :class:`~graph.errors.RecordInvalid` naming the file (``name``;
empty for a request body, whose caller words the error).

What comes out is plain: triples of :mod:`graph.query.terms` (:func:`triples`), N-Triples text
(:func:`ntriples`, the loaders' fast path), or a request body held whole for the store's writers
(:func:`read_body`). The syntax is named by :class:`~graph.query.formats.RdfSyntax`, also from a media type or
a file suffix (:func:`syntax_of`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.parsers import expat

import pyoxigraph as ox

from graph.errors import RecordInvalid, SourceUnavailable
from graph.query.formats import RdfSyntax, rdf_format
from graph.query.terms import Triple, plain

CHUNK = 1 << 20
"""Bytes handed to expat at a time: large enough that the per-call cost vanishes, small enough to stream."""

Input = Path | bytes
"""A file on disk (read in chunks) or a document already in memory (a download, a request body)."""

DTD_REFUSED = (
    "RDF/XML with a DTD is refused (a DOCTYPE can declare entities that expand without bound or read local "
    "files): remove the <!DOCTYPE ...> and write the entities' IRIs out in full, or use Turtle"
)


class _Refused(Exception):
    """Raised inside an expat handler; turned into :class:`RecordInvalid` with the position."""


def _refuse(*_: object) -> None:
    raise _Refused(DTD_REFUSED)


def _refuse_entity(*_: object) -> int:
    raise _Refused(DTD_REFUSED)


def _chunks(data: Input) -> Iterator[bytes]:
    if isinstance(data, bytes):
        view = memoryview(data)
        for start in range(0, len(view), CHUNK):
            yield bytes(view[start:start + CHUNK])
        return
    with data.open("rb") as handle:
        while block := handle.read(CHUNK):
            yield block


def check_rdf_xml(data: Input, name: str = "") -> None:
    """Raise :class:`RecordInvalid` unless ``data`` is well-formed XML without a DOCTYPE, or nothing at all.

    Decided by a real XML parse (expat) over the whole document, streamed: the first DOCTYPE, entity or
    notation declaration, external entity reference or well-formedness error stops it. Nothing is expanded
    and nothing is fetched.
    """
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.NotationDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse_entity
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    ended, blank = False, True
    try:
        for block in _chunks(data):
            blank = blank and not block.strip()
            parser.Parse(block, False)
        ended = True
        if blank:  # no document at all: no triples, which the caller judges (an empty PUT clears a graph)
            return
        parser.Parse(b"", True)
    except _Refused as exc:
        raise RecordInvalid(f"{exc} (the declaration at line {parser.CurrentLineNumber})", file=name) from None
    except expat.ExpatError as exc:
        where = f"line {exc.lineno}, column {exc.offset}"
        reason = expat.ErrorString(exc.code)
        if ended and exc.code in (expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS],
                                  expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_TOKEN],
                                  expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_CDATA_SECTION]):
            message = f"not valid RDF/XML: the XML stops before its end, at {where} ({reason}): the file is cut off"
        else:
            message = f"not valid RDF/XML: not well-formed XML at {where}: {reason}"
        raise RecordInvalid(message, file=name) from None
    except (LookupError, ValueError) as exc:  # an encoding expat cannot take (unknown, multi-byte)
        raise RecordInvalid(f"not valid RDF/XML: expat cannot read its encoding: {exc}", file=name) from None
    except OSError as exc:
        raise SourceUnavailable(f"{name or 'the input'}: cannot read it ({exc.strerror or exc})") from None


SUFFIXES: dict[str, RdfSyntax] = {
    ".ttl": RdfSyntax.TURTLE,
    ".nt": RdfSyntax.N_TRIPLES,
    ".nq": RdfSyntax.N_QUADS,
    ".trig": RdfSyntax.TRIG,
    ".rdf": RdfSyntax.RDF_XML,
    ".owl": RdfSyntax.RDF_XML,
    ".xml": RdfSyntax.RDF_XML,
    ".jsonld": RdfSyntax.JSON_LD,
}
"""File suffix (lower case) -> syntax: the RDF files ``pankg load rdf`` and ``pankg load panet`` read."""


def syntax_of(*, media_type: str = "", suffix: str = "") -> RdfSyntax | None:
    """The syntax a media type names (aliases included), else the one a file suffix names; None for neither."""
    found = RdfSyntax.from_media_type(media_type) if media_type else None
    return found if found is not None else SUFFIXES.get(suffix.lower())


def triples(data: Input, syntax: RdfSyntax, *, name: str = "", base_iri: str | None = None) -> Iterator[Triple]:
    """The triples of ``data`` in ``syntax`` as plain values, after the checks above (graph names dropped).

    A lazy iterator: for RDF/XML the expat pass runs when the first triple is asked for, and every error
    (the checks', oxigraph's) is a :class:`RecordInvalid` naming ``name``.
    """
    for quad in _parse(data, syntax, name=name, base_iri=base_iri):
        yield plain(quad)


def ntriples(data: Input, syntax: RdfSyntax, *, name: str = "", base_iri: str | None = None,
             blank_prefix: str = "") -> Iterator[tuple[str, str, str]]:
    """The triples of ``data`` as N-Triples text ``(subject, predicate, object)``, each blank node label
    prefixed with ``blank_prefix`` (labels are local to a file: a prefix per file keeps two files' ``_:b0``
    apart). As lazy as :func:`triples`, without a term object per value: the path of large files."""
    blank = ox.BlankNode

    def text(term: Any) -> str:
        return f"_:{blank_prefix}{term.value}" if type(term) is blank else str(term)

    for quad in _parse(data, syntax, name=name, base_iri=base_iri):
        yield text(quad.subject), str(quad.predicate), text(quad.object)


@dataclass(frozen=True)
class ParsedGraph:
    """The triples of a request body, parsed whole before anything is written and kept in the engine's own
    terms until :mod:`graph.store.updates` writes them (a body of 10 MB is not converted twice)."""

    quads: tuple[Any, ...]

    def __len__(self) -> int:
        return len(self.quads)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.quads)


def read_body(body: bytes, syntax: RdfSyntax, *, base_iri: str | None = None) -> ParsedGraph:
    """Every triple of a request body (a graph syntax: named graphs are an error), its blank nodes given fresh
    labels so that a merge never joins them with a graph's own. :class:`RecordInvalid` (without a file name)
    when the body is refused or does not parse; an empty body is an empty graph."""
    return ParsedGraph(tuple(_parse(body, syntax, base_iri=base_iri, without_named_graphs=True,
                                    rename_blank_nodes=True)))


def _parse(data: Input, syntax: RdfSyntax, *, name: str = "", base_iri: str | None = None,
           **options: Any) -> Iterator[ox.Quad]:
    """The engine's quads of ``data``, after the checks above; ``options`` go to :func:`pyoxigraph.parse`."""
    fmt = rdf_format(syntax)
    if syntax is RdfSyntax.RDF_XML:
        check_rdf_xml(data, name)
    source: dict[str, Any] = {"path": str(data)} if isinstance(data, Path) else {"input": data}
    try:
        yield from ox.parse(**source, format=fmt, base_iri=base_iri, **options)
    except (SyntaxError, ValueError, OSError) as exc:
        if syntax is RdfSyntax.JSON_LD:
            remote = remote_contexts(_json(data))
            if remote:
                raise RecordInvalid(
                    f"its JSON-LD @context {remote[0]} is remote, and pankg never fetches a context: put the "
                    "context's object in the file instead (\"@context\": {...})", file=name) from None
        message = " ".join(str(exc).split())
        raise RecordInvalid(f"not valid {syntax.label}: {message}", file=name) from None


def _json(data: Input) -> Any:
    """The parsed JSON of a document that oxigraph refused, or None when it is not JSON at all."""
    try:
        return json.loads(data if isinstance(data, bytes) else data.read_bytes())
    except (OSError, ValueError):
        return None


def remote_contexts(document: Any) -> list[str]:
    """Every context a JSON-LD document names by reference (``"@context": "URL"``, a URL in a context list,
    ``"@import": "URL"``), embedded and scoped contexts included, in document order.

    >>> remote_contexts({"@context": ["https://w3id.org/codemeta/3.0", {"x": "http://e.org/x"}], "x": 1})
    ['https://w3id.org/codemeta/3.0']
    >>> remote_contexts({"@context": {"x": {"@id": "http://e.org/x", "@context": {"@import": "c.jsonld"}}}})
    ['c.jsonld']
    """
    found: list[str] = []
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            for key in ("@context", "@import"):
                value = node.get(key)
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, str):
                        found.append(item)
            stack.extend(reversed(list(node.values())))
    return found
