"""One DataCite record (the intermediate record both readers give) -> the entities of :mod:`graph.model.entities`.

The intermediate record is the DataCite REST API's JSON ``attributes`` as :mod:`loaders.datacite_json`
smooths it (keys such as ``doi``, ``creators[].nameIdentifiers``, ``titles[].lang``, ``types``,
``geoLocations[].geoLocationPolygons``). Everything is checked before any entity leaves, so a record is
mapped whole or refused whole: a missing DOI or title, a value of the wrong type, a value outside
DataCite's controlled lists (relationType, contributorType, dateType, ...), a year or coordinate that is
not one, an IRI that is not one, each raise :class:`RecordInvalid` naming the field by its JSON path
(``creators[2].nameIdentifiers[1].nameIdentifier``, counted from 1).

People are never merged by name: a person is its ORCID iD, else minted inside the record and role
(``datacite:<doi>#creator2``). Organizations are their ROR id, else their other identifier, else their
name, so the same affiliation or funder named by many records is one node.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from graph.errors import RecordInvalid
from graph.model import entities as e
from graph.model.iris import doi_iri, orcid_iri, ror_iri
from graph.model.relations import RELATION_TYPES
from loaders.fields import Fields, as_lang

Warn = Callable[[str, str], None]
"""``warn(message, field)``: something to fix that does not stop the record."""

CONTRIBUTOR_TYPES = frozenset([
    "ContactPerson", "DataCollector", "DataCurator", "DataManager", "Distributor", "Editor", "HostingInstitution",
    "Other", "Producer", "ProjectLeader", "ProjectManager", "ProjectMember", "RegistrationAgency",
    "RegistrationAuthority", "RelatedPerson", "ResearchGroup", "RightsHolder", "Researcher", "Sponsor",
    "Supervisor", "Translator", "WorkPackageLeader",
])
DATE_TYPES = frozenset([
    "Accepted", "Available", "Collected", "Copyrighted", "Coverage", "Created", "Issued", "Other", "Submitted",
    "Updated", "Valid", "Withdrawn",
])
DESCRIPTION_TYPES = frozenset([
    "Abstract", "Methods", "SeriesInformation", "TableOfContents", "TechnicalInfo", "Other",
])
TITLE_TYPES = frozenset(["AlternativeTitle", "Subtitle", "TranslatedTitle", "Other"])
RESOURCE_TYPES = frozenset([
    "Audiovisual", "Award", "Book", "BookChapter", "Collection", "ComputationalNotebook", "ConferencePaper",
    "ConferenceProceeding", "DataPaper", "Dataset", "Dissertation", "Event", "Image", "Instrument",
    "InteractiveResource", "Journal", "JournalArticle", "Model", "OutputManagementPlan", "PeerReview",
    "PhysicalObject", "Poster", "Preprint", "Presentation", "Project", "Report", "Service", "Software", "Sound",
    "Standard", "StudyRegistration", "Text", "Workflow", "Other",
])
NUMBER_TYPES = frozenset(["Article", "Chapter", "Report", "Other"])
FUNDER_TYPES = frozenset(["ISNI", "GRID", "ROR", "Crossref Funder ID", "Other"])
_RELATIONS = frozenset(RELATION_TYPES)
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,4})?")
_FINEST = decimal.Decimal("1e-15")
"""Coordinates written with an exponent are rewritten as decimals to this precision (a nanometre on Earth)."""
_IRI_SAFE = "/:@!$&'()*+,;=-._~%"


def coordinate(f: Fields, key: str, limit: int) -> str:
    """A coordinate as ``xsd:decimal`` text: as written, or, when written with an exponent (``1e-05``, how the REST
    API's JSON numbers print; the XML schema's ``xs:float`` allows it too), as a plain decimal."""
    value = f.text(key)
    if not _DECIMAL.fullmatch(value) or abs(float(value)) > limit:
        raise RecordInvalid(f"not a coordinate within ±{limit}: {value!r}", field=f.at(key))
    if "e" in value.lower():
        exact = decimal.Decimal(value).quantize(_FINEST).normalize()
        return format(exact if exact else decimal.Decimal(0), "f")
    return value


def _point(p: Fields) -> e.GeoPoint:
    return e.GeoPoint(coordinate(p, "pointLatitude", 90), coordinate(p, "pointLongitude", 180))


def _as_iri(value: str, scheme_uri: str) -> str:
    """An identifier as an IRI: itself when it is one, else appended to its scheme's IRI, else empty."""
    if value.lower().startswith(("http://", "https://")):
        return value
    if scheme_uri.lower().startswith(("http://", "https://")):
        return scheme_uri.rstrip("/") + "/" + value
    return ""


class RecordMapper:
    """Maps one record; ``entities`` collects what it names besides the DOI record (people, organizations)."""

    def __init__(self, record: Any, warn: Warn) -> None:
        self.r = Fields(record, "")
        self.warn = warn
        self.entities: list[e.Entity] = []
        self.doi = ""

    def map(self) -> list[e.Entity]:
        r = self.r
        self.doi = self._doi()
        titles = [(t, t.choice("titleType", TITLE_TYPES, "DataCite titleType")) for t in r.items("titles")]
        main = next((t for t, kind in titles if not kind), None)
        if main is None or not main.text("title"):
            raise RecordInvalid("missing: a record needs a title without titleType", field="titles")
        others = tuple(e.Text(t.text("title"), kind, t.lang())
                       for t, kind in titles if t is not main and t.text("title"))
        types = r.object("types")
        general = types.choice("resourceTypeGeneral", RESOURCE_TYPES, "DataCite resourceTypeGeneral") if types else ""
        publisher = r.object("publisher")
        record = e.DoiRecord(
            doi=self.doi, title=main.text("title"), title_lang=main.lang(), titles=others,
            publisher=publisher.text("name") if publisher else "", publisher_id=self._publisher(publisher),
            year=r.year("publicationYear"), resource_type=general or "Other",
            resource_type_text=types.text("resourceType") if types else "",
            agents=self._agents("creators", "Creator") + self._agents("contributors", ""),
            related=tuple(self._related(x) for x in r.items("relatedIdentifiers")),
            dates=tuple(self._date(x) for x in r.items("dates")),
            subjects=tuple(self._subject(x) for x in r.items("subjects") if x.text("subject")),
            rights=tuple(self._rights(x) for x in r.items("rightsList")),
            descriptions=tuple(self._description(x) for x in r.items("descriptions") if x.text("description")),
            geo_locations=tuple(self._geo(x) for x in r.items("geoLocations")),
            funding=tuple(self._funding(x) for x in r.items("fundingReferences")),
            alternate_identifiers=tuple(
                e.AlternateIdentifier(x.text("alternateIdentifier"), x.text("alternateIdentifierType"))
                for x in r.items("alternateIdentifiers") if x.text("alternateIdentifier")
            ),
            related_items=tuple(self._item(x, n) for n, x in enumerate(r.items("relatedItems"), 1)),
            sizes=r.texts("sizes"), formats=r.texts("formats"), version=r.text("version"),
            language=self._language(), url=r.iri("url"), download_url=self._content_url(),
            registered=self._registered(),
        )
        return [*self.entities, record]

    def _doi(self) -> str:
        value = self.r.text("doi")
        if not value:
            raise RecordInvalid("missing: a record needs its DOI (identifier)", field="identifier")
        kind = self.r.text("identifierType")
        if kind and kind != "DOI":
            raise RecordInvalid(f"the identifier of a DataCite record is a DOI, not {kind!r}", field="identifierType")
        found = doi_iri(value)
        if found is None:
            raise RecordInvalid(f"not a DOI: {value!r}", field="identifier")
        return found[len("https://doi.org/"):]

    def _registered(self) -> dt.datetime | None:
        return self.r.moment("registered")

    def _language(self) -> str:
        return as_lang(self.r.text("language"), "language")

    def _content_url(self) -> str:
        many = isinstance(self.r.obj.get("contentUrl"), list)
        urls = self.r.texts("contentUrl") if many else (self.r.iri("contentUrl"),)
        return next((u for u in urls if u), "")

    def _organization(self, pid: str, name: str) -> str:
        self.entities.append(e.Organization(pid, name or pid))
        return pid

    def _publisher(self, p: Fields | None) -> str:
        if p is None or not p.text("publisherIdentifier"):
            return ""
        value = p.text("publisherIdentifier")
        pid = ror_iri(value) or _as_iri(value, p.text("schemeUri")) or value
        return self._organization(pid, p.text("name"))

    def _affiliation(self, a: Fields) -> str:
        value, name = a.text("affiliationIdentifier"), a.text("name")
        pid = (ror_iri(value) or _as_iri(value, a.text("schemeUri")) or value) if value else name
        return self._organization(pid, name) if pid else ""

    def _agents(self, key: str, role: str) -> tuple[e.Agent, ...]:
        """Creators (``role`` Creator) or contributors (their contributorType, ``Other`` when absent)."""
        return tuple(
            self._agent(a, role or a.choice("contributorType", CONTRIBUTOR_TYPES, "DataCite contributorType")
                        or "Other",
                        f"{key[:-1]}{n}")
            for n, a in enumerate(self.r.items(key), 1)
        )

    def _agent(self, a: Fields, role: str, local: str) -> e.Agent:
        """A person (an ORCID iD, else minted in the record) or an organization (ROR, else its name)."""
        name = a.text("name") or " ".join(filter(None, (a.text("givenName"), a.text("familyName"))))
        if not name:
            raise RecordInvalid("missing: a creator or contributor needs a name", field=a.at("name"))
        kind = a.choice("nameType", frozenset({"Personal", "Organizational"}), "DataCite nameType")
        orcid = ror = ""
        same_as: list[str] = []
        for x in a.items("nameIdentifiers"):
            value, scheme = x.text("nameIdentifier"), x.text("nameIdentifierScheme").upper()
            if not value:
                continue
            if scheme == "ORCID" or "orcid.org" in value:
                orcid = orcid or orcid_iri(value) or ""
                if not orcid_iri(value):
                    self.warn(f"not a valid ORCID iD: {value!r}; the person is minted in the record",
                              x.at("nameIdentifier"))
            elif scheme == "ROR" or value.startswith("https://ror.org/"):
                ror = ror or ror_iri(value) or ""
            elif found := _as_iri(value, x.text("schemeUri")):
                # An identifier appended to its scheme's IRI is percent-encoded: "a b{" is a fine value, not an IRI.
                same_as.append(x.iri("nameIdentifier") if found == value else _as_iri(quote(value, safe=_IRI_SAFE),
                                                                                      x.iri("schemeUri")))
            else:
                self.warn(f"a {scheme or 'name'} identifier without a scheme IRI is not kept: {value!r}",
                          x.at("nameIdentifier"))
        affiliations = tuple(filter(None, (self._affiliation(x) for x in a.items("affiliation"))))
        organization = kind == "Organizational" or (not kind and bool(ror) and not orcid)
        if organization:
            pid = self._organization(ror or name, name)
            return e.Agent(pid, role, True, tuple(same_as), affiliations)
        pid = orcid or f"datacite:{self.doi}#{local}"
        self.entities.append(e.Person(pid, name, a.text("givenName"), a.text("familyName"), affiliations))
        return e.Agent(pid, role, False, tuple(same_as))

    def _related(self, x: Fields) -> e.RelatedIdentifier:
        relation = x.text("relationType")
        if relation not in _RELATIONS:
            raise RecordInvalid(f"not a DataCite relation type: {relation!r}" if relation else "missing",
                                field=x.at("relationType"))
        value = x.text("relatedIdentifier")
        if not value:
            raise RecordInvalid("missing", field=x.at("relatedIdentifier"))
        kind = x.text("relatedIdentifierType") or "URL"
        if kind == "DOI" and doi_iri(value) is None:
            raise RecordInvalid(f"not a DOI: {value!r}", field=x.at("relatedIdentifier"))
        if kind != "DOI" and value.lower().startswith(("http://", "https://")):
            x.iri("relatedIdentifier")
        return e.RelatedIdentifier(
            relation, value, kind, x.choice("resourceTypeGeneral", RESOURCE_TYPES, "DataCite resourceTypeGeneral"),
            x.text("relationTypeInformation"), x.text("relatedMetadataScheme"), x.iri("schemeUri"),
            x.text("schemeType"),
        )

    def _date(self, x: Fields) -> e.RecordDate:
        kind = x.choice("dateType", DATE_TYPES, "DataCite dateType")
        if not kind or not x.text("date"):
            raise RecordInvalid("missing", field=x.at("dateType" if not kind else "date"))
        return e.RecordDate(x.text("date"), kind, x.text("dateInformation"))

    def _subject(self, x: Fields) -> e.Subject:
        return e.Subject(x.text("subject"), x.text("subjectScheme"), x.iri("schemeUri"), x.iri("valueUri"),
                         x.text("classificationCode"), x.lang())

    def _rights(self, x: Fields) -> e.Rights:
        identifier = x.text("rightsIdentifier")
        if identifier and not re.fullmatch(r"[\w.+\- ]+", identifier):
            raise RecordInvalid(f"not a licence identifier: {identifier!r}", field=x.at("rightsIdentifier"))
        return e.Rights(x.text("rights"), x.iri("rightsUri"), identifier, x.text("rightsIdentifierScheme"),
                        x.iri("schemeUri"), x.lang())

    def _description(self, x: Fields) -> e.Text:
        kind = x.choice("descriptionType", DESCRIPTION_TYPES, "DataCite descriptionType")
        return e.Text(x.text("description"), kind, x.lang())

    def _point(self, p: Fields | None) -> e.GeoPoint | None:
        return None if p is None else _point(p)

    def _geo(self, g: Fields) -> e.GeoLocation:
        box = g.object("geoLocationBox")
        polygons = g.items("geoLocationPolygons")
        return e.GeoLocation(
            place=g.text("geoLocationPlace"), point=self._point(g.object("geoLocationPoint")),
            box=(coordinate(box, "westBoundLongitude", 180), coordinate(box, "eastBoundLongitude", 180),
                 coordinate(box, "southBoundLatitude", 90), coordinate(box, "northBoundLatitude", 90)) if box else None,
            polygons=tuple(tuple(_point(Fields(p, f"{poly.at('polygonPoints')}[{n}]"))
                                 for n, p in enumerate(poly.list("polygonPoints"), 1)) for poly in polygons),
            inside=tuple(self._point(poly.object("inPolygonPoint")) for poly in polygons),
        )

    def _funding(self, f: Fields) -> e.Funding:
        kind = f.choice("funderIdentifierType", FUNDER_TYPES, "DataCite funderIdentifierType")
        value, name = f.text("funderIdentifier"), f.text("funderName")
        if value and kind == "Crossref Funder ID" and not value.lower().startswith(("http", "10.")):
            value = "10.13039/" + value
        pid = ""
        if value:
            pid = (ror_iri(value) or (doi_iri(value) and value)
                   or _as_iri(value, f.text("funderSchemeUri") or f.text("schemeUri")) or value)
        elif name:
            pid = name
        if pid:
            self._organization(pid, name)
        return e.Funding(pid, kind, f.text("awardNumber"), f.iri("awardUri"), f.text("awardTitle"))

    def _item(self, x: Fields, n: int) -> e.RelatedItem:
        relation = x.text("relationType")
        if relation not in _RELATIONS:
            raise RecordInvalid(f"not a DataCite relation type: {relation!r}" if relation else "missing",
                                field=x.at("relationType"))
        ident = x.object("relatedItemIdentifier")
        value = ident.text("relatedItemIdentifier") if ident else ""
        kind = (ident.text("relatedItemIdentifierType") if ident else "") or ("URL" if value else "")
        if kind == "DOI" and doi_iri(value) is None:
            raise RecordInvalid(f"not a DOI: {value!r}", field=x.at("relatedItemIdentifier"))
        rel = e.RelatedIdentifier(
            relation, value, kind, "", x.text("relationTypeInformation"),
            ident.text("relatedMetadataScheme") if ident else "", ident.iri("schemeUri") if ident else "",
            ident.text("schemeType") if ident else "",
        )
        agents = tuple(
            self._agent(a, role or a.choice("contributorType", CONTRIBUTOR_TYPES, "DataCite contributorType")
                        or "Other",
                        f"relatedItem{n}-{key[:-1]}{m}")
            for key, role in (("creators", "Creator"), ("contributors", ""))
            for m, a in enumerate(x.items(key), 1)
        )
        return e.RelatedItem(
            rel, x.choice("relatedItemType", RESOURCE_TYPES, "DataCite resourceTypeGeneral"),
            tuple(e.Text(t.text("title"), t.choice("titleType", TITLE_TYPES, "DataCite titleType"), t.lang())
                  for t in x.items("titles") if t.text("title")),
            agents, x.year("publicationYear"), x.text("volume"), x.text("issue"), x.text("number"),
            x.choice("numberType", NUMBER_TYPES, "DataCite numberType"), x.text("firstPage"), x.text("lastPage"),
            x.text("publisher"), x.text("edition"),
        )
