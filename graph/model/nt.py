"""RDF terms as N-Triples text.

The model writes terms as N-Triples strings (``<iri>``, ``"text"^^<datatype>``) rather than term
objects: building millions of Python term objects costs more than the store's own bulk parser, and
the text goes straight into ``Store.bulk_load`` (see :mod:`graph.store.bulk`). These functions are the only place that
knows the escaping rules.

>>> iri("https://doi.org/10.5281/zenodo.1")
'<https://doi.org/10.5281/zenodo.1>'
>>> literal('say "hi"\\n')
'"say \\\\"hi\\\\"\\\\n"'
>>> typed(42)
'"42"^^<http://www.w3.org/2001/XMLSchema#integer>'
"""

from __future__ import annotations

import datetime as dt
import math
import re

from graph.errors import RecordInvalid
from ontology.namespaces import XSD

_LITERAL_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
# Characters N-Triples forbids in an IRI reference; minted IRIs percent-encode them before they get here.
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')

_XSD_INTEGER = f"<{XSD.integer}>"
_XSD_DOUBLE = f"<{XSD.double}>"
_XSD_BOOLEAN = f"<{XSD.boolean}>"
_XSD_DATE = f"<{XSD.date}>"
_XSD_DATETIME = f"<{XSD.dateTime}>"


def iri(value: str, field: str = "") -> str:
    """``<value>``; raises :class:`RecordInvalid` for text that is not an absolute IRI, naming ``field`` (the
    attribute of the entity the text came from, when the model writes it) so that the error says where it is:
    :func:`loaders.records.record_quads` adds the file and the record."""
    if ":" not in value or _IRI_FORBIDDEN.search(value):
        raise RecordInvalid(f"not an absolute IRI: {value!r}", field=field)
    return f"<{value}>"


def literal(text: str, datatype: str | None = None, lang: str | None = None) -> str:
    """A string literal, optionally typed by ``datatype`` (an IRI) or tagged with ``lang``."""
    # Most text needs no escape: four scans at C speed beat str.translate, which goes char by char.
    if '"' in text or "\\" in text or "\n" in text or "\r" in text:
        text = text.translate(_LITERAL_ESCAPES)
    body = f'"{text}"'
    if lang:
        return f"{body}@{lang}"
    if datatype:
        return f"{body}^^<{datatype}>"
    return body


def typed(value: object) -> str:
    """A literal typed from a Python value: bool, int, float, date, datetime or str."""
    if isinstance(value, bool):
        return f'"{"true" if value else "false"}"^^{_XSD_BOOLEAN}'
    if isinstance(value, int):
        return f'"{value}"^^{_XSD_INTEGER}'
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return f'"{"NaN" if math.isnan(value) else ("INF" if value > 0 else "-INF")}"^^{_XSD_DOUBLE}'
        return f'"{value!r}"^^{_XSD_DOUBLE}'
    if isinstance(value, dt.datetime):
        return f'"{value.isoformat()}"^^{_XSD_DATETIME}'
    if isinstance(value, dt.date):
        return f'"{value.isoformat()}"^^{_XSD_DATE}'
    return literal(str(value))
