r"""What a SPARQL query or update says it will do, read from its parse tree, never from its text.

The endpoints need a few facts about a request before oxigraph runs it: the endpoints its ``SERVICE`` clauses
call, the graphs of its ``FROM`` / ``FROM NAMED``, whether an update loads a URL, which IRIs it names and
whether it is only ``INSERT DATA``. Regular expressions over the text got those wrong whenever they tokenised
differently from the engine (``e:a\#`` is one prefixed name, not a name and a comment). Here the request is
parsed by rdflib's SPARQL 1.1 grammar, prefixed names and relative IRIs are resolved as the spec says, and
the facts are collected from the tree. A request that cannot be parsed is reported as such: the caller
refuses it, or runs it where it can do no harm (:mod:`graph.query.sandbox`), never guesses.

rdflib's grammar is not oxigraph's: oxigraph reads ``\u`` escapes only inside IRIs and strings, rdflib
everywhere, and oxigraph takes some syntax rdflib does not. So these facts guide what an endpoint allows and
tell the caller why it refused; what the engine itself can reach is bounded by the sandbox.

>>> read_query("PREFIX e: <http://e.org/> SELECT * { ?x e:a\\# ?y SERVICE e:sparql { ?s ?p ?o } }").services
('http://e.org/sparql',)
>>> read_update("PREFIX e: <http://e.org/> INSERT DATA { GRAPH e:g { e:a e:b e:c } }").insert_only
True
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graph.errors import QueryError

_LOCAL_ESCAPE = re.compile(r"\\(.)")

# The terminals of the SPARQL 1.1 grammar that can hide a keyword, in the order a lexer tries them: long and
# short strings (with ECHAR escapes), IRIREFs, comments (to the end of the line, \n *or* \r), prefixed names
# (local names with PLX escapes, ``e:a\#``, and inner dots), variables, then words and single characters.
_Q3, _D3 = "'" * 3, '"' * 3
_STRINGS = "|".join([
    _Q3 + r"(?:'{1,2}(?!')|[^'\\]|\\.)*" + _Q3,
    _D3 + r'(?:"{1,2}(?!")|[^"\\]|\\.)*' + _D3,
    r"'(?:[^'\\\n\r]|\\.)*'",
    r'"(?:[^"\\\n\r]|\\.)*"',
])
_LOCAL = r"(?:[\w:\-\u00B7]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]|\.(?=[\w:\-\u00B7%\\]))*"
_TOKEN = re.compile(
    f"(?P<string>{_STRINGS})"
    r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)'
    r"|(?P<comment>#[^\n\r]*)"
    rf"|(?P<pname>(?:[^\W\d_][\w.\-\u00B7]*)?:{_LOCAL})"
    r"|(?P<var>[?$][\w\u00B7]+)"
    r"|(?P<word>[^\W\d][\w\-]*)"
    r"|(?P<other>\S)"
)


def tokens(text: str) -> Iterator[tuple[str, str, int]]:
    r"""The tokens of a SPARQL text as ``(kind, text, offset)``: ``string``, ``iri``, ``comment``, ``pname``,
    ``var``, ``word`` (keywords among them) or ``other`` (one character).

    For finding *where* in a text a clause goes; what a request *does* is read from its parse tree.

    >>> [t for k, t, _ in tokens("SELECT * { ?x e:a\\# ?y } # WHERE") if k == "word"]
    ['SELECT']
    """
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        yield kind, match.group(0), match.start()

MAX_PARSED = 1_000_000
"""Longest text parsed here (characters): rdflib's parser is pure Python, about 1 s per 100 KB of query."""


@dataclass(frozen=True)
class QueryFacts:
    """What a parsed query asks for."""

    services: tuple[str | None, ...]
    """Every ``SERVICE`` target, in subqueries, ``EXISTS`` and ``OPTIONAL`` alike: an IRI, or None for a variable."""
    default_graphs: tuple[str, ...]
    """``FROM`` graphs."""
    named_graphs: tuple[str, ...]
    """``FROM NAMED`` graphs."""


@dataclass(frozen=True)
class UpdateFacts:
    """What a parsed update does."""

    operations: tuple[str, ...]
    """The operations in order, by rdflib's names: ``InsertData``, ``DeleteData``, ``DeleteWhere``, ``Modify``,
    ``Load``, ``Clear``, ``Drop``, ``Create``, ``Add``, ``Move``, ``Copy``."""
    services: tuple[str | None, ...]
    iris: frozenset[str]
    """Every IRI the update names, prefixed names resolved."""
    using: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]
    """Per ``Modify`` or ``DeleteWhere`` operation: its ``USING`` and ``USING NAMED`` graphs."""
    with_graph: bool
    """Some operation has a ``WITH``."""

    @property
    def loads(self) -> bool:
        return "Load" in self.operations

    @property
    def insert_only(self) -> bool:
        """Only ``INSERT DATA``: it reads nothing, so it needs no copy of the graphs it writes next to."""
        return bool(self.operations) and set(self.operations) == {"InsertData"}


def _parse(kind: str, text: str) -> Any:
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    if len(text) > MAX_PARSED:
        raise QueryError(f"the {kind} is {len(text):,} characters long; at most {MAX_PARSED:,} are read")
    try:
        return (parseQuery if kind == "query" else parseUpdate)(text)
    except RecursionError:
        raise QueryError(f"the {kind} is nested too deeply to be read") from None
    except Exception as exc:  # noqa: BLE001 - pyparsing and rdflib raise many kinds; all mean "not parsed"
        brief = " ".join(str(exc).split())[:200]
        raise QueryError(f"SPARQL syntax error: {brief}") from None


def _get(node: Any, key: str) -> Any:
    """``node[key]`` or None (a parse tree node's own ``get`` answers a missing key with the key's name)."""
    return node[key] if key in node else None  # noqa: SIM401 - not node.get: see above


def _prologue(declarations: Any, base: str | None, previous: Any = None) -> Any:
    from rdflib.plugins.sparql.algebra import translatePrologue

    return translatePrologue(declarations, base, prologue=previous)


def _nodes(node: Any, seen: set[int] | None = None) -> Iterator[Any]:
    """Every node of a parse tree, depth first (a shared subtree once)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    seen = set() if seen is None else seen
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, (CompValue, dict)):
            stack.extend(v for k, v in current.items() if k != "service_string")
        elif isinstance(current, (list, tuple)) or type(current).__name__ == "ParseResults":
            stack.extend(current)


def _iri(term: Any, prologue: Any) -> str | None:
    """``term`` as an absolute IRI string, or None for anything else (a variable, a literal)."""
    from rdflib import URIRef
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(term, CompValue) and term.name == "pname" or isinstance(term, URIRef):
        try:
            if isinstance(term, CompValue):  # a local name's escapes (PN_LOCAL_ESC, ``a\\#``) stand for the character
                resolved = prologue.resolvePName(term.prefix, _LOCAL_ESCAPE.sub(r"\1", term.localname or ""))
            else:
                resolved = prologue.absolutize(term)
        except Exception as exc:  # noqa: BLE001 - an undeclared prefix
            raise QueryError(f"SPARQL syntax error: {exc}") from None
        return str(resolved) if isinstance(resolved, URIRef) else None
    return None


def _services(tree: Any, prologue: Any) -> list[str | None]:
    from rdflib.plugins.sparql.parserutils import CompValue

    return [_iri(_get(n, "term"), prologue) for n in _nodes(tree)
            if isinstance(n, CompValue) and n.name == "ServiceGraphPattern"]


def read_query(text: str, base: str | None = None) -> QueryFacts:
    """The facts of a query; raises :class:`QueryError` when it cannot be parsed (or is too long to be)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    tree = _parse("query", text)
    prologue = _prologue(tree[0], base)
    body = tree[1]
    default: list[str] = []
    named: list[str] = []
    for clause in _get(body, "datasetClause") or []:
        if isinstance(clause, CompValue):
            if (iri := _iri(_get(clause, "default"), prologue)) is not None:
                default.append(iri)
            if (iri := _iri(_get(clause, "named"), prologue)) is not None:
                named.append(iri)
    return QueryFacts(tuple(_services(body, prologue)), tuple(default), tuple(named))


def read_update(text: str, base: str | None = None) -> UpdateFacts:
    """The facts of an update; raises :class:`QueryError` when it cannot be parsed (or is too long to be)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    tree = _parse("update", text)
    operations: list[str] = []
    services: list[str | None] = []
    iris: set[str] = set()
    using: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    with_graph = False
    prologue = None
    # Prefixes declared before one operation hold for the ones after it (SPARQL 1.1 Update, 3).
    for declarations, request in zip(_get(tree, "prologue") or [], _get(tree, "request") or [], strict=False):
        prologue = _prologue(declarations, base, prologue)
        operations.append(request.name)
        services += _services(request, prologue)
        for node in _nodes(request):
            if (iri := _iri(node, prologue)) is not None:
                iris.add(iri)
        if request.name in ("Modify", "DeleteWhere"):
            clauses = [c for c in _get(request, "using") or [] if isinstance(c, CompValue)]
            using.append((
                tuple(i for c in clauses if (i := _iri(_get(c, "default"), prologue)) is not None),
                tuple(i for c in clauses if (i := _iri(_get(c, "named"), prologue)) is not None),
            ))
            with_graph = with_graph or "withClause" in request
    return UpdateFacts(tuple(operations), tuple(services), frozenset(iris), tuple(using), with_graph)
