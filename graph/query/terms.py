"""RDF terms as plain Python values: what a query's results are once they leave ``graph/``.

The engine's own terms live in the engine's process and thread, and every module that held one had to import
the engine to tell an IRI from a literal. These are small immutable values instead, with the same attributes
(``value``, ``datatype``, ``language``, ``subject`` / ``predicate`` / ``object``), the same class names and the
same N-Triples text from ``str()``, so code that read the engine's terms reads these unchanged, and they pickle.

:func:`python_value` skips the objects altogether and gives ``str`` / ``int`` / ``float`` / ``bool``, for
callers (the GraphQL API) that only want the values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# What N-Triples writes for a character of a literal, exactly as the engine's own ``str()`` does.
_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_ESCAPES.update({chr(c): f"\\u{c:04X}" for c in [*range(0x20), 0x7F] if chr(c) not in _ESCAPES})
_ESCAPE_TABLE = str.maketrans(_ESCAPES)


@dataclass(frozen=True, slots=True)
class NamedNode:
    """An IRI; ``str()`` is ``<iri>``."""

    value: str

    def __str__(self) -> str:
        return f"<{self.value}>"


@dataclass(frozen=True, slots=True)
class BlankNode:
    """A blank node; ``value`` is its label without ``_:``."""

    value: str

    def __str__(self) -> str:
        return f"_:{self.value}"


_STRING = NamedNode(XSD_STRING)
_LANG_STRING = NamedNode(RDF_LANG_STRING)


@dataclass(frozen=True, slots=True)
class Literal:
    """A literal: its lexical ``value``, its ``datatype`` (``xsd:string`` when none was given, ``rdf:langString``
    with a language) and its ``language`` tag or None."""

    value: str
    datatype: NamedNode = _STRING
    language: str | None = None

    def __str__(self) -> str:
        text = '"' + self.value.translate(_ESCAPE_TABLE) + '"'
        if self.language:
            return f"{text}@{self.language}"
        return text if self.datatype.value == XSD_STRING else f"{text}^^{self.datatype}"


Term = NamedNode | BlankNode | Literal


@dataclass(frozen=True, slots=True)
class Triple:
    """A triple of plain terms; ``str()`` is its N-Triples line without the final `` .``."""

    subject: NamedNode | BlankNode | Triple
    predicate: NamedNode
    object: Term | Triple

    def __str__(self) -> str:
        return f"{self.subject} {self.predicate} {self.object}"

    @property
    def value(self) -> str:
        """Its N-Triples text: a quoted triple (RDF-star) in a subject or object has a ``value`` like any term."""
        return str(self)


_DATATYPES: dict[str, NamedNode] = {XSD_STRING: _STRING, RDF_LANG_STRING: _LANG_STRING}


def plain(term: Any) -> Any:
    """The engine's term (or None, for an unbound variable) as a plain value of this module."""
    kind = type(term)
    if kind is ox.NamedNode:
        return NamedNode(term.value)
    if kind is ox.Literal:
        iri = term.datatype.value
        datatype = _DATATYPES.get(iri)
        if datatype is None:
            datatype = _DATATYPES[iri] = NamedNode(iri)
        return Literal(term.value, datatype, term.language)
    if kind is ox.BlankNode:
        return BlankNode(term.value)
    if term is None:
        return None
    if kind is ox.Triple or kind is ox.Quad:  # a quoted triple (RDF-star), or a parsed quad's triple
        return Triple(plain(term.subject), plain(term.predicate), plain(term.object))
    raise TypeError(f"not an RDF term: {term!r}")


def engine_term(term: Term | Triple) -> Any:
    """The inverse of :func:`plain`, for graph/ modules that hand plain triples back to the engine."""
    if isinstance(term, NamedNode):
        return ox.NamedNode(term.value)
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(term.value, language=term.language)
        return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype.value))
    if isinstance(term, BlankNode):
        return ox.BlankNode(term.value)
    return ox.Triple(engine_term(term.subject), engine_term(term.predicate), engine_term(term.object))


_INTEGER = {XSD + "integer", XSD + "nonNegativeInteger", XSD + "int", XSD + "long"}
_FLOAT = {XSD + "double", XSD + "decimal", XSD + "float"}


def python_value(term: Any) -> Any:
    """The engine's term as a Python value: IRIs, blank nodes and dates as text, numbers as numbers, booleans
    as ``bool``; None (unbound) stays None. A number that does not parse stays text."""
    if term is None:
        return None
    if type(term) is ox.Literal:
        datatype = term.datatype.value
        try:
            if datatype in _INTEGER:
                return int(term.value)
            if datatype in _FLOAT:
                return float(term.value)
        except ValueError:
            return term.value
        if datatype == XSD + "boolean":
            return term.value == "true"
        return term.value
    return term.value
