"""SciCat's free-form metadata (``scientificMetadata``, ``jobParameters``, ``sampleCharacteristics``) as parameters.

SciCat lets each facility put anything there, so the rule is structural:

- ``{"value": v, "unit": u, ...}`` is one parameter named by its key, with its unit; the SI value is
  recomputed by pint (:func:`loaders.records.parameter`), so every loader's SI values agree. SciCat's
  own ``valueSI``/``unitSI`` are not kept: its converter writes units differently ("(kg m^2) / s^2")
  and one reference record holds the SI value as a string.
- A plain number, text or boolean is a parameter without unit.
- Any other object is a group: its entries become parameters named ``group.key`` (nested as deep as
  they go).
- A list of plain values is kept as JSON text (no SI value); a list holding objects is read entry by
  entry as ``key[0]``, ``key[1]``, ...
- ``null`` carries nothing and is left out.
- Groups and lists nest at most :data:`MAX_DEPTH` deep: deeper is no metadata a person wrote, and the
  record is refused, naming the field.

>>> from loaders.base import LoadReport
>>> report = LoadReport("scicat", "f.json")
>>> [(p.name, p.value, p.unit) for p in parameters({"detector": {"distance": {"value": 2, "unit": "m"}},
...     "mode": "fly", "roi": [1, 2]}, report=report, file="f.json", record="ds1", field="scientificMetadata")]
[('detector.distance', 2, 'm'), ('mode', 'fly', ''), ('roi', '[1, 2]', '')]
"""

from __future__ import annotations

import json
from typing import Any

from graph.errors import RecordInvalid
from graph.model.entities import Parameter
from loaders.base import LoadReport
from loaders.fields import described
from loaders.records import parameter
from loaders.scicat_values import unwrap

_SCALARS = (str, int, float, bool)
MAX_DEPTH = 32


def parameters(meta: Any, *, report: LoadReport, file: str, record: str, field: str) -> tuple[Parameter, ...]:
    """The parameters of one free-form metadata object (see the module docstring for the rule)."""
    if meta is None:
        return ()
    if not isinstance(meta, dict):
        raise RecordInvalid(f"expected an object of named values, got {described(meta)}", field=field)
    found: list[Parameter] = []

    def entry(name: str, value: Any, depth: int = 1) -> None:
        value = unwrap(value)
        where = f"{field}.{name}"
        if value is None:
            return
        if depth > MAX_DEPTH:
            raise RecordInvalid(f"groups nested more than {MAX_DEPTH} deep", field=where)
        if isinstance(value, _SCALARS):
            found.append(parameter(name, value, "", report=report, file=file, record=record, field=where))
        elif isinstance(value, list):
            if all(isinstance(unwrap(v), _SCALARS) or v is None for v in value):
                found.append(Parameter(name, json.dumps([unwrap(v) for v in value], ensure_ascii=False)))
            else:
                for n, item in enumerate(value):
                    entry(f"{name}[{n}]", item, depth + 1)
        elif isinstance(value, dict) and "value" in value:
            unit = value.get("unit")
            if unit is not None and not isinstance(unit, str):
                raise RecordInvalid(f"a unit must be text, got {described(unit)}", field=f"{where}.unit")
            inner = unwrap(value["value"])
            if isinstance(inner, (list, dict)):
                found.append(Parameter(name, _as_json(inner, where), unit or ""))
            elif inner is not None:
                found.append(
                    parameter(name, inner, unit or "", report=report, file=file, record=record, field=where)
                )
        elif isinstance(value, dict):
            for key, item in value.items():
                entry(f"{name}.{key}", item, depth + 1)

    for key, value in meta.items():
        entry(str(key), value)
    return tuple(found)


def _as_json(value: Any, where: str) -> str:
    """A structured value kept as JSON text; one nested beyond what JSON text can be written for is refused."""
    try:
        return json.dumps(value, ensure_ascii=False)
    except RecursionError:
        raise RecordInvalid(f"a value nested more than {MAX_DEPTH} deep", field=where) from None
