"""Loads the records of a PaNOSC federated search API: ``pankg load panosc PATH...``.

A file is the search API's database as the reference implementation (panosc-eu/search-api) keeps it:
a LoopBack memory database, ``{"ids": {...}, "models": {"Dataset": {"<key>": "<record>", ...}, ...}}``,
whose records are JSON text or objects. A file that holds only ``{"Dataset": {...}, ...}`` (the
``models`` part) or lists instead of keyed objects (``{"Dataset": [{...}, ...]}``) loads too. One source
per file; a directory stands for the ``.json`` files directly inside it.

Every record is checked first (:mod:`loaders.panosc_records`): strict mode (the default) fails the whole
file at its first bad record, so nothing of it is written; lenient mode skips bad records and lists
them. Then the checked records are mapped (:mod:`loaders.panosc_map`); a reference naming a record the
file does not hold is a warning naming file, record and field. The field-by-field mapping is in
``docs/mapping-panosc.md``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from graph.errors import RecordInvalid
from graph.model.writer import Quad, RdfModel
from loaders.base import (
    DEFAULT_OPTIONS,
    LoadOptions,
    LoadReport,
    LoadWarning,
    RecordFileSource,
    entity_quads,
    expand_paths,
)
from loaders.json_yaml import read_json
from loaders.panosc_map import Mapper, Records
from loaders.panosc_records import FIELDS, NOT_CATALOGUE, PID_FIELD, check_record, decode
from loaders.records import bare_message, map_records

NAME = "panosc"
MAPPING_VERSION = "2"


def models_of(data: Any, location: str) -> dict[str, list[tuple[str, Any]]]:
    """``{model: [(key, raw record), ...]}`` of a parsed file (see the module docstring for the shapes)."""
    if not isinstance(data, dict):
        raise RecordInvalid(
            f"expected a search-API database object, got {type(data).__name__}", file=location
        )
    models = data.get("models", data)
    if not isinstance(models, dict):
        raise RecordInvalid(
            f"expected an object of models, got {type(models).__name__}", file=location, field="models"
        )
    found: dict[str, list[tuple[str, Any]]] = {}
    for model, table in models.items():
        if isinstance(table, dict):
            found[model] = [(str(key), value) for key, value in table.items()]
        elif isinstance(table, list):
            found[model] = [(f"#{n + 1}", value) for n, value in enumerate(table)]
        else:
            raise RecordInvalid(
                f"expected the {model} records as an object or a list, got {type(table).__name__}",
                file=location,
                field=model,
            )
    return found


class PanoscSource(RecordFileSource):
    """One search-API database file."""

    kind = NAME
    mapping_version = MAPPING_VERSION

    def quads(self, model: RdfModel, report: LoadReport) -> Iterator[Quad]:
        data = read_json(self.path)
        tables = models_of(data, self.location)
        records: Records = {}
        unknown: Counter[tuple[str, str]] = Counter()
        for name, rows in tables.items():
            if name in NOT_CATALOGUE:
                if rows:
                    report.warnings.append(
                        LoadWarning(
                            f"{len(rows)} LoopBack {name} record(s): not catalogue content, not mapped",
                            self.location,
                            field=name,
                        )
                    )
                continue
            if name not in FIELDS:
                report.warnings.append(
                    LoadWarning(
                        f"unknown search-API model, not mapped ({len(rows)} records)",
                        self.location,
                        field=name,
                    )
                )
                continue
            checked = records.setdefault(name, {})

            def check(
                item: tuple[str, Any], model_name: str = name, into: dict[str, Any] = checked
            ) -> list[Any]:
                record_name, raw = item
                record = decode(model_name, raw)
                for key in record:
                    if key not in FIELDS[model_name]:
                        unknown[(model_name, key)] += 1
                into[record_name] = check_record(model_name, record)
                return []

            named = [
                (self._record_name(name, key, raw), (self._record_name(name, key, raw), raw))
                for key, raw in rows
            ]
            for _ in map_records(named, check, file=self.location, lenient=self.lenient, report=report):
                pass
        for (name, key), n in sorted(unknown.items()):
            report.warnings.append(
                LoadWarning(
                    f"unknown {name} field, not mapped ({n} record{'s' if n != 1 else ''})",
                    self.location,
                    field=key,
                )
            )
        mapper = Mapper(self.location, records, report)
        try:
            yield from entity_quads(mapper.entities(), model, report)
        except RecordInvalid as exc:  # the records were checked: what the model still refuses names the file
            raise RecordInvalid(bare_message(exc), file=self.location, record=exc.record, field=exc.field) from None

    @staticmethod
    def _record_name(model: str, key: str, raw: Any) -> str:
        """``Dataset 20.500.12269/panosc-dataset1``: the model and the record's PID (its key if it has none)."""
        record: Any = raw
        if isinstance(raw, str) and model in PID_FIELD:
            try:
                record = decode(model, raw)
            except RecordInvalid:
                record = None
        value = record.get(PID_FIELD.get(model, "id")) if isinstance(record, dict) else None
        pid = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
        if model.startswith(("Dataset", "Document")) and model not in ("Dataset", "Document"):
            pid = ""  # join tables: their ids are not unique (the reference DatasetSample rows are all id 1)
        return f"{model} {pid or key}"


def sources(paths: list[str], options: LoadOptions = DEFAULT_OPTIONS) -> list[PanoscSource]:
    """One source per JSON file; a directory stands for the ``.json`` files directly inside it."""
    found = expand_paths(paths, {".json"}, recursive=False, label="PaNOSC")
    return [PanoscSource(path, options.lenient) for path, _ in found]
