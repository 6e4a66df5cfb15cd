"""Reading python-icat XML dumps (``icatdump -f XML``) into the sections the YAML icatdump reader gives.

The layout python-icat writes (``icat/dumpfile_xml.py``)::

    <icatdata>
      <head><date/><service/><apiversion/><generator/></head>
      <data>
        <facility id="Facility_name-ESNF"><name>ESNF</name></facility>
        <investigation id="Investigation_facility-(name-ESNF)_name-P1_visitId-1">
          <name>P1</name><visitId>1</visitId>
          <facility ref="Facility_name-ESNF"/>
          <investigationUsers><role>pi</role><user ref="User_name-ada"/></investigationUsers>
        </investigation>
      </data>
      <data>...</data>
    </icatdata>

Each child of a ``<data>`` chunk is an object: its tag the ICAT entity name, its ``id`` the dump key
(``sections[tag][id]``). Inside an object, an element with a ``ref`` is a reference (the other object's
key), an element with child elements is one item of a one-to-many relation (a list under its tag, in
document order), any other element is an attribute (its text). XML has only text, so the ICAT attributes
that are numbers or booleans are typed by name (:data:`NUMBERS`, :data:`BOOLEANS`) as the YAML dump has
them; a value that does not parse stays text, for the mapping to refuse in its own record. A reference
by attributes instead of ``ref`` (``<facility name="ESNF"/>``, which python-icat's reader accepts in
hand-written files) is kept as a mapping of those attributes; the record naming it then fails, named.

Parsing goes through :mod:`loaders.safe_xml` (defusedxml): a DTD (``<!DOCTYPE``, which python-icat never
writes), and so any entity declaration (billion laughs, external entities), is refused, as is malformed XML (an unknown
encoding included) and an object nested too deeply to read; every such error names the file, and
malformed XML the line.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from defusedxml.ElementTree import DefusedXMLParser

from graph.errors import RecordInvalid
from loaders import safe_xml

# ICAT attributes that are numbers (Integer, Long, Double) or booleans, in any entity.
NUMBERS = frozenset({
    "fileSize", "fileCount", "daysUntilRelease", "numericValue", "error", "rangeBottom", "rangeTop",
    "minimumNumericValue", "maximumNumericValue",
})
BOOLEANS = frozenset({
    "complete", "enforced", "verified", "applicableToDataCollection", "applicableToDatafile",
    "applicableToDataset", "applicableToInvestigation", "applicableToSample",
})
_INT = re.compile(r"[+-]?[0-9]{1,4300}")  # longer: read as a float (infinity), as Python's int refuses them
_FLOAT = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?(inf|nan)", re.IGNORECASE)


class _LineBuilder(ET.TreeBuilder):
    """A tree builder that notes the line each element starts on (ElementTree keeps no line numbers)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, int] = {}
        self.parser: DefusedXMLParser | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        element = super().start(tag, attrs)
        if self.parser is not None:
            self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element


def parse(path: Path) -> tuple[ET.Element, dict[int, int]]:
    """The root element of an XML file and the line of each element; unsafe or malformed XML names the file."""
    builder = _LineBuilder()
    builder.parser = safe_xml.parser(builder)
    root = safe_xml.parse_file(path, "an ICAT dump has no DTD, declares no entities and refers to nothing outside "
                               "the file", builder.parser)
    return root, builder.lines


def typed(name: str, value: str) -> Any:
    """The text of an attribute element, as a number or boolean where ICAT's attribute is one."""
    stripped = value.strip()
    if name in NUMBERS:
        if _INT.fullmatch(stripped):
            return int(stripped)
        if _FLOAT.fullmatch(stripped):
            return float(stripped)
    elif name in BOOLEANS and stripped.lower() in ("true", "false"):
        return stripped.lower() == "true"
    return value


def _object(element: ET.Element) -> dict[str, Any]:
    """An object's fields: references as keys, one-to-many relations as lists of objects, attributes as values."""
    obj: dict[str, Any] = {}
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):  # comments, processing instructions
            continue
        if "ref" in child.attrib:
            obj[tag] = child.attrib["ref"]
        elif len(child):
            items = obj.get(tag)
            if not isinstance(items, list):
                items = obj[tag] = []
            items.append(_object(child))
        elif child.attrib:  # a reference by attributes: not a dump key, left for the mapping to refuse
            obj[tag] = dict(child.attrib)
        else:
            obj[tag] = typed(tag, child.text or "")
    return obj


def read_xml(path: Path) -> tuple[str, dict[str, dict[str, Any]]]:
    """``("icatdump", sections)`` of an XML dump, shaped as :func:`loaders.icat_read.read_yaml` gives them."""
    root, lines = parse(path)
    if root.tag != "icatdata":
        raise RecordInvalid(f"not an ICAT XML dump: the root element is <{root.tag}>, not <icatdata>", file=str(path))
    sections: dict[str, dict[str, Any]] = {}
    for chunk in root:
        if chunk.tag != "data":  # <head>, comments
            continue
        for element in chunk:
            if not isinstance(element.tag, str):
                continue
            key = element.get("id")
            if not key:
                raise RecordInvalid(f"line {lines.get(id(element), '?')}: an object needs the id attribute "
                                    "holding its dump key", file=str(path), field=element.tag)
            try:
                sections.setdefault(element.tag, {})[key] = _object(element)
            except RecursionError:  # elements nested thousands deep: no ICAT object looks like that
                raise RecordInvalid(f"line {lines.get(id(element), '?')}: the object is nested too deeply to read",
                                    file=str(path), record=key) from None
    if not sections:  # as for YAML: an empty dump is an error, not an empty source
        raise RecordInvalid("no ICAT objects in it (an empty dump)", file=str(path))
    return "icatdump", sections
