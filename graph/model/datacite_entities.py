"""The parts of a DataCite DOI record that :class:`graph.model.entities.DoiRecord` holds beside its core fields.

Plain values, free of RDF, like every record of :mod:`graph.model.entities` (which re-exports them); the
DataCite loader fills them and :mod:`graph.model.datacite_rdf` writes them. Kept apart so that the entity
module stays readable.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RelatedIdentifier:
    relation: str
    """A DataCite relationType, verbatim (IsDerivedFrom, Cites, ...)."""
    identifier: str
    identifier_type: str = ""
    """DataCite relatedIdentifierType (DOI, URL, Handle, ...); empty: a DOI named by a catalogue. It picks the IRI."""
    resource_type_general: str = ""
    """What the related resource is (DataCite resourceTypeGeneral of the relation)."""
    relation_information: str = ""
    """DataCite relationTypeInformation: the words of a relation typed ``Other`` (4.7)."""
    metadata_scheme: str = ""
    """relatedMetadataScheme, schemeURI and schemeType: only with HasMetadata / IsMetadataFor."""
    scheme_uri: str = ""
    scheme_type: str = ""

@dataclass(frozen=True, slots=True)
class Text:
    """A text of a DOI record with its DataCite type (titleType, descriptionType) and xml:lang."""

    text: str
    kind: str = ""
    lang: str = ""


@dataclass(frozen=True, slots=True)
class Agent:
    """A creator or contributor of a DOI record: who (a Person's or Organization's PID) in which role.

    The person or organization itself is its own entity; this says how the record names it.
    """

    pid: str
    role: str = "Creator"
    """``Creator``, or the DataCite contributorType of a contributor (ContactPerson, HostingInstitution, ...)."""
    organization: bool = False
    same_as: tuple[str, ...] = ()
    """IRIs of its other name identifiers (ISNI, Wikidata, ...): ORCID and ROR are its IRI already."""
    member_of: tuple[str, ...] = ()
    """PIDs of the organizations an organizational agent is affiliated with (a person has ``affiliations``)."""


@dataclass(frozen=True, slots=True)
class RecordDate:
    """A DataCite date: ``value`` as written (a year, a day, a time or a range ``2010/2020``)."""

    value: str
    kind: str
    """dateType: Issued, Available, Created, Collected, ..."""
    information: str = ""


@dataclass(frozen=True, slots=True)
class Subject:
    text: str
    scheme: str = ""
    scheme_uri: str = ""
    value_uri: str = ""
    code: str = ""
    """classificationCode (4.4)."""
    lang: str = ""


@dataclass(frozen=True, slots=True)
class Rights:
    text: str = ""
    uri: str = ""
    identifier: str = ""
    """rightsIdentifier, an SPDX id where ``identifier_scheme`` is SPDX."""
    identifier_scheme: str = ""
    scheme_uri: str = ""
    lang: str = ""


@dataclass(frozen=True, slots=True)
class GeoPoint:
    """Latitude and longitude as decimal text, exactly as the source wrote them."""

    latitude: str
    longitude: str


@dataclass(frozen=True, slots=True)
class GeoLocation:
    place: str = ""
    point: GeoPoint | None = None
    box: tuple[str, str, str, str] | None = None
    """west, east, south, north, as decimal text."""
    polygons: tuple[tuple[GeoPoint, ...], ...] = ()
    inside: tuple[GeoPoint | None, ...] = ()
    """The inPolygonPoint of each polygon (None where absent)."""


@dataclass(frozen=True, slots=True)
class Funding:
    funder: str = ""
    """PID of the funder (an Organization): its funderIdentifier, else its name."""
    identifier_type: str = ""
    award_number: str = ""
    award_uri: str = ""
    award_title: str = ""


@dataclass(frozen=True, slots=True)
class AlternateIdentifier:
    value: str
    kind: str


@dataclass(frozen=True, slots=True)
class RelatedItem:
    """A related resource described inside the record (DataCite relatedItem, 4.4), often one without a PID."""

    relation: RelatedIdentifier
    """The relation; its ``identifier`` is empty when the item has no identifier."""
    item_type: str
    titles: tuple[Text, ...] = ()
    agents: tuple[Agent, ...] = ()
    year: int | None = None
    volume: str = ""
    issue: str = ""
    number: str = ""
    number_type: str = ""
    first_page: str = ""
    last_page: str = ""
    publisher: str = ""
    edition: str = ""
