"""The writer of a kind's scalar fields, compiled from their description in :mod:`graph.model.schema`.

A load maps millions of records, so the loop "for each described field: read it, test it, write it" would cost
a tenth of the mapping time in interpretation alone. Instead, :func:`compile_fields` turns the description into
the straight-line code one would write by hand (one ``if`` per field), once, at import: the description decides
what is written, and the load runs as fast as before (``bench/README.md``). :func:`source` shows the code.

Text and lists are written when not empty, numbers and dates when not None (a size of 0 is a size), a
``required`` field always; a ``stub`` field goes to the public graph, the others to the graph ``hidden`` names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from graph.model.nt import literal, typed
from graph.model.nterms import nt, rdfs
from graph.model.quads import PUBLIC, Quad
from graph.model.schema import Field

FieldsWriter = Callable[[Any, str, Any, str], Iterator[Quad]]
"""``writer(model, subject, record, hidden_access)``: the quads of the record's described fields."""


def source(fields: tuple[Field, ...], name: str = "write_fields") -> str:
    """The Python source of the writer of ``fields`` (those a record attribute fills)."""
    lines = [f"def {name}(model, s, record, hidden):"]
    for n, f in enumerate(f for f in fields if f.source):
        acc = "PUBLIC" if f.embargo == "stub" else "hidden"
        value = f"record.{f.source}"
        indent = "    "
        if not f.required:
            test = value if f.many or f.datatype in ("string", "iri") else f"{value} is not None"
            lines.append(f"    if {test}:")
            indent = "        "
        if f.many:
            lines.append(f"{indent}for one in {value}:")
            lines.append(f"{indent}    yield s, P{n}, literal(one), {acc}")
            continue
        term = {"string": f"literal({value})", "iri": f"model.resource({value}, {f.source!r})"}.get(
            f.datatype, f"typed({value})")
        if f.label:
            lines.append(f"{indent}term = {term}")
            lines.append(f"{indent}yield s, P{n}, term, {acc}")
            lines.append(f"{indent}yield s, LABEL, term, {acc}")
        else:
            lines.append(f"{indent}yield s, P{n}, {term}, {acc}")
    if len(lines) == 1:
        lines.append("    return iter(())")
    return "\n".join(lines) + "\n"


def compile_fields(fields: tuple[Field, ...], name: str = "write_fields") -> FieldsWriter:
    """The writer of ``fields`` as a function (see :func:`source`)."""
    namespace: dict[str, Any] = {"literal": literal, "typed": typed, "PUBLIC": PUBLIC, "LABEL": rdfs.label}
    namespace |= {f"P{n}": nt(f.predicate) for n, f in enumerate(f for f in fields if f.source)}
    exec(compile(source(fields, name), f"<fields of {name}>", "exec"), namespace)  # noqa: S102 (our own text)
    writer: FieldsWriter = namespace[name]
    return writer
