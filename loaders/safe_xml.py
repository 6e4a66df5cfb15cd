"""XML as every loader reads it (DataCite files, ICAT dumps, OAI-PMH pages): through defusedxml, refusing the same
things the same way.

A DTD, and so any entity declaration (billion laughs, external entities), is refused: none of these formats has
one, and expat would expand what it declares. Malformed XML is refused with expat's line and column, and so is an
encoding declaration expat cannot read (``encoding="UTV-8"``). Every refusal is :class:`RecordInvalid` naming
``where`` (a file, or an endpoint's page), and says what the format never holds.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError

from graph.errors import RecordInvalid
from loaders.json_yaml import read_bytes


def parser(target: ET.TreeBuilder | None = None) -> DefusedXMLParser:
    """A parser that refuses DTDs, entities and references outside the document (``target``: a tree builder of
    the caller's own, such as one noting line numbers)."""
    return DefusedXMLParser(target=target, forbid_dtd=True, forbid_entities=True, forbid_external=True)


def parse(data: bytes, where: str, never: str, xml_parser: DefusedXMLParser | None = None) -> ET.Element:
    """The root element of ``data``; ``never`` says what the format never holds (``"an ICAT dump has no DTD"``)
    in the refusal of a DTD or entity."""
    xml_parser = xml_parser or parser()
    try:
        xml_parser.feed(data)
        return xml_parser.close()
    except DefusedXmlException as exc:
        raise RecordInvalid(f"refused: {exc}: {never}", file=where) from None
    except ParseError as exc:
        raise RecordInvalid(f"not well-formed XML: {exc}", file=where) from None  # expat names line, column
    except (LookupError, ValueError) as exc:  # an encoding declaration expat cannot read ("UTV-8")
        raise RecordInvalid(f"not well-formed XML: {exc}", file=where) from None


def parse_file(path: Path, never: str, xml_parser: DefusedXMLParser | None = None) -> ET.Element:
    """The root element of an XML file (see :func:`parse`); a file that cannot be read is SourceUnavailable."""
    return parse(read_bytes(path), str(path), never, xml_parser)


def local_name(tag: object) -> str:
    """An element's name without its namespace (``{...kernel-4}resource`` -> ``resource``); "" for comments."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def namespace(tag: str) -> str:
    """An element's namespace ("" for none)."""
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""
