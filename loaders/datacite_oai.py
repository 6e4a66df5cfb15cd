"""DataCite as an OAI-PMH metadata format (``oai_datacite``): what ``pankg harvest`` maps each record with.

The harvester (:mod:`loaders.oai_pmh`) knows OAI-PMH, not DataCite: :data:`OAI_DATACITE` gives it the prefix,
finds the one kernel-4 ``<resource>`` of a record's ``<metadata>`` (bare, or in oai_datacite's ``<payload>``) and
maps it as a record of a DataCite file (:func:`loaders.datacite.record_entities`). It has the shape of
:class:`loaders.oai_pmh.MetadataFormat` without importing it: no family imports another's modules, and the
command line, which imports both, puts them together.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from graph.errors import RecordInvalid
from graph.model.entities import Entity
from loaders.base import LoadReport
from loaders.datacite import record_entities
from loaders.datacite_xml import KERNEL4, resource
from loaders.safe_xml import local_name, namespace


@dataclass(frozen=True)
class DataciteOai:
    """The ``oai_datacite`` metadata format."""

    prefix: str = "oai_datacite"
    mapping_version: str = "1"

    def payload(self, metadata: ET.Element | None, location: str, record: str) -> ET.Element:
        """The one kernel-4 ``<resource>`` inside a record's ``<metadata>``."""
        found = [e for e in metadata.iter() if local_name(e.tag) == "resource"] if metadata is not None else []
        if len(found) != 1:
            what = "no <metadata>" if metadata is None else f"{len(found)} DataCite <resource> elements, not one"
            raise RecordInvalid(what, file=location, record=record)
        space = namespace(found[0].tag)
        if space not in (KERNEL4, ""):
            raise RecordInvalid(f"not DataCite kernel-4: <resource> is in namespace {space!r}", file=location,
                                record=record)
        return found[0]

    def entities(self, payload: ET.Element, record: str, file: str, report: LoadReport) -> list[Entity]:
        return record_entities(resource(payload), record, file, report)


OAI_DATACITE = DataciteOai()
"""The format ``pankg harvest`` harvests."""
