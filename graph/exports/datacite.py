"""Gather what the graph knows of one DOI into a DataCite record (the way back out of :mod:`graph.model.datacite_rdf`).

A record loaded from DataCite comes back element by element: its qualified nodes (dates, related
identifiers, alternate identifiers, funding, places) are read in their record order (the ``-n`` of their
IRIs). A DOI that no DataCite record described (the demo's, SciCat's PublishedData, a paper's) is built
from what the graph knows around it: the datasets it covers (their creators, licences, facility), the
papers that cite it, the standard triples of :data:`graph.model.relations.STANDARD_RELATIONS` read backwards.
Required elements the graph does not hold are DataCite's ``:unav`` (unavailable) and listed in
``Record.missing``, never invented. The record is plain data shaped like the XML (element and attribute
names of kernel 4.7); :mod:`graph.exports.datacite_xml` writes it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graph.errors import NotFound
from graph.exports.datacite_facts import Facts, _iris, _lang, _nt, _order, _text, _texts, describe, identifier_of
from graph.model.datacite_rdf import DATE_PROPERTIES, DESCRIPTION_PROPERTIES
from graph.model.datacite_vocab import DATACITE_CONTRIBUTOR, dcterms2, rdf2, schema2, skos2
from graph.model.iris import doi_iri
from graph.model.nterms import cito, dcat, dcterms, foaf, pankg, rdf, rdfs, schema
from graph.model.relations import STANDARD_RELATIONS
from ontology.namespaces import DATACITE_RELATION

if TYPE_CHECKING:
    from graph.store.embedded import GraphStore, Scope

UNAVAILABLE = ":unav"
"""DataCite's standard value for information that is unavailable (Metadata Schema, appendix 3)."""

RESOURCE_TYPES = frozenset(
    ["Audiovisual", "Award", "Book", "BookChapter", "Collection", "ComputationalNotebook", "ConferencePaper",
     "ConferenceProceeding", "DataPaper", "Dataset", "Dissertation", "Event", "Image", "Instrument",
     "InteractiveResource", "Journal", "JournalArticle", "Model", "OutputManagementPlan", "PeerReview",
     "PhysicalObject", "Poster", "Preprint", "Presentation", "Project", "Report", "Service", "Software", "Sound",
     "Standard", "StudyRegistration", "Text", "Workflow", "Other"]
)
_DATE_TYPES = {prop: kind for kind, prop in DATE_PROPERTIES.items() if prop}
_DESCRIPTION_TYPES = {prop: kind for kind, prop in DESCRIPTION_PROPERTIES.items() if kind}
_TITLE_TYPES = {dcterms2.alternative: "AlternativeTitle", pankg.subtitle: "Subtitle", pankg.otherTitle: "Other"}
_DCREL, _DCCONTRIB = DATACITE_RELATION.iri, DATACITE_CONTRIBUTOR.iri
_SCHEMES = {"https://orcid.org/": ("ORCID", "https://orcid.org"), "https://ror.org/": ("ROR", "https://ror.org"),
            "https://isni.org/": ("ISNI", "https://isni.org/isni/"), "http://www.wikidata.org/": ("Wikidata", "")}


@dataclass
class Record:
    """One DOI's DataCite record, element by element, with the required elements the graph did not hold."""

    values: dict[str, Any] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    def required(self, element: str, value: str) -> str:
        """``value``, or ``:unav`` noted as missing: the schema needs the element, the graph does not have it."""
        if value:
            return value
        self.missing.append(element)
        return UNAVAILABLE


class Exporter:
    """Reads one DOI's neighbourhood with a few queries and fills a :class:`Record`."""

    def __init__(self, store: GraphStore, doi: str, scope: Scope = "all") -> None:
        iri = doi_iri(doi)
        if iri is None:
            raise NotFound(f"not a DOI: {doi!r}")
        self.store, self.s, self.base, self.scope = store, iri, store.minter.base, scope
        self.facts = describe(store, [iri], scope)[iri]
        if not self.facts:
            raise NotFound(f"DOI {doi} is not in the graph")
        self.record = Record()
        self.nodes = describe(store, sorted({o.value for objs in self.facts.values() for o in objs
                                             if type(o).__name__ == "NamedNode"}), scope)

    def owned(self, iri: str) -> bool:
        return iri.startswith(self.base)

    def export(self) -> Record:
        f, out, r = self.facts, self.record.values, self.record
        out["identifier"] = _text(f, dcterms.identifier) or self.s[len("https://doi.org/"):]
        parts = _iris(f, dcterms.hasPart)
        self.parts = describe(self.store, parts, self.scope)
        creators = _iris(f, dcterms.creator) or sorted(
            {c for p in self.parts.values() for c in _iris(p, dcterms.creator)})
        agents = describe(self.store, creators + _iris(f, dcterms.contributor), self.scope)
        orgs = {o for a in agents.values() for o in _iris(a, schema.affiliation) + _iris(a, schema2.memberOf)}
        self.orgs = describe(self.store, sorted(orgs), self.scope)
        out["creators"] = [self._agent(c, agents[c]) for c in creators]
        if not out["creators"]:
            out["creators"] = [{"name": r.required("creators", "")}]
        out["titles"] = self._titles(f, required=True)
        out["publisher"] = self._publisher()
        out["publicationYear"] = self._year()
        out["resourceType"] = {"resourceTypeGeneral": self._general(), "text": _text(f, pankg.resourceType)}
        out["subjects"] = self._subjects()
        out["contributors"] = self._contributors(agents)
        out["dates"] = self._dates()
        out["language"] = _text(f, dcterms2.language)
        out["alternateIdentifiers"] = [
            {"text": _text(n, schema2.value), "alternateIdentifierType": _text(n, schema2.propertyID)}
            for n in map(self.nodes.__getitem__, sorted(_iris(f, schema.identifier), key=_order))
            if _text(n, schema2.propertyID)]
        out["relatedIdentifiers"] = self._related()
        out["sizes"], out["formats"] = _texts(f, dcterms2.extent), _texts(f, dcterms2.format)
        out["version"] = _text(f, schema2.version) or self._software_version()
        out["rightsList"] = self._rights()
        out["descriptions"] = [{"text": o.value, "descriptionType": kind, "lang": _lang(o)}
                               for prop, kind in _DESCRIPTION_TYPES.items() for o in f.get(prop, [])]
        out["geoLocations"] = [self._geo(n) for n in sorted(_iris(f, dcterms2.spatial), key=_order)]
        out["fundingReferences"] = self._funding()
        out["relatedItems"] = self._items()
        return self.record

    def _agent(self, iri: str, a: Facts) -> dict[str, Any]:
        """A creator or contributor: name, its type, given and family name, ORCID/ROR/other ids, affiliations."""
        types = _iris(a, rdf.type)
        ids = self.name_identifiers("" if self.owned(iri) else iri, _iris(a, schema2.sameAs))
        kind = ("Organizational" if foaf.Organization[1:-1] in types
                else "Personal" if foaf.Person[1:-1] in types else "")
        orgs = _iris(a, schema.affiliation) + _iris(a, schema2.memberOf)
        return {"name": _text(a, foaf.name) or _text(a, rdfs.label) or UNAVAILABLE, "nameType": kind,
                "givenName": _text(a, schema.givenName), "familyName": _text(a, schema.familyName),
                "nameIdentifiers": ids, "affiliations": [self._affiliation(o) for o in orgs]}

    def _affiliation(self, org: str) -> dict[str, str]:
        name = _text(self.orgs.get(org, {}), foaf.name) or org
        if org.startswith("https://ror.org/"):
            return {"text": name, "affiliationIdentifier": org, "affiliationIdentifierScheme": "ROR",
                    "schemeURI": "https://ror.org"}
        return {"text": name}

    @staticmethod
    def name_identifiers(iri: str, same_as: list[str]) -> list[dict[str, str]]:
        """ORCID or ROR (the agent's own IRI) and its other identifiers (``schema:sameAs``)."""
        found = []
        for value in ([iri] if iri else []) + same_as:
            for prefix, (scheme, uri) in _SCHEMES.items():
                if value.startswith(prefix):
                    found.append({"text": value, "nameIdentifierScheme": scheme, "schemeURI": uri})
                    break
            else:
                if value in same_as:
                    found.append({"text": value, "nameIdentifierScheme": "URL", "schemeURI": ""})
        return found

    def _titles(self, f: Facts, required: bool) -> list[dict[str, str]]:
        """The main title (``rdfs:label``) first, then the others with their titleType."""
        main = f.get(rdfs.label, [])[:1]
        titles = [{"text": o.value, "titleType": "", "lang": _lang(o)} for o in main]
        for o in sorted(f.get(dcterms.title, []), key=str):
            if o not in main:
                other_lang = main and _lang(o) and _lang(o) != _lang(main[0])
                titles.append({"text": o.value, "titleType": "TranslatedTitle" if other_lang else "", "lang": _lang(o)})
        for prop, kind in _TITLE_TYPES.items():
            titles += [{"text": o.value, "titleType": kind, "lang": _lang(o)} for o in f.get(prop, [])]
        if required and not titles:
            titles = [{"text": self.record.required("titles", ""), "titleType": "", "lang": ""}]
        return titles

    def _facility(self) -> tuple[str, Facts]:
        """The facility of the first covered dataset: who made the data available, for a record without publisher."""
        facilities = sorted({x for p in self.parts.values() for x in _iris(p, pankg.facility)})
        if not facilities:
            return "", {}
        return facilities[0], describe(self.store, facilities[:1], self.scope)[facilities[0]]

    def _publisher(self) -> dict[str, str]:
        """``dcterms:publisher`` with its organization (4.5 publisherIdentifier), else the covered datasets'
        facility."""
        name = _text(self.facts, dcterms.publisher)
        orgs = _iris(self.facts, schema2.publisher)
        if not name and not orgs:
            facility, facts = self._facility()
            name, orgs = _text(facts, foaf.name), [facility] if facility else []
        org = orgs[0] if orgs else ""
        name = name or _text(self.nodes.get(org, {}), foaf.name)
        out = {"text": self.record.required("publisher", name)}
        if org.startswith("https://ror.org/"):
            out |= {"publisherIdentifier": org, "publisherIdentifierScheme": "ROR", "schemeURI": "https://ror.org/"}
        return out

    def _year(self) -> str:
        """``dcterms:issued`` (or an Issued/Available/Created date, or the covered datasets' earliest date).

        The schema's publicationYear is four digits, so ``:unav`` cannot stand for it: when the graph
        holds no date at all, the export year is written and reported as missing.
        """
        props = (dcterms.issued, dcterms2.available, dcterms.created)
        candidates = [o.value[:4] for p in props for o in self.facts.get(p, [])]
        candidates += sorted(o.value[:4] for d in self.parts.values() for p in props for o in d.get(p, []))
        year = next((c for c in candidates if c.isdigit() and len(c) == 4), "")
        if not year:
            self.record.missing.append(f"publicationYear (wrote the export year {dt.date.today().year})")
            return str(dt.date.today().year)
        return year

    def _general(self) -> str:
        general = _text(self.facts, dcterms.type)
        if general in RESOURCE_TYPES:
            return general
        types = _iris(self.facts, rdf.type)
        if pankg.Publication[1:-1] in types:
            return "JournalArticle"
        return "Dataset" if dcat.Dataset[1:-1] in types else "Other"

    def _subjects(self) -> list[dict[str, str]]:
        """Keywords; one with a concept (scheme, valueURI, code) carries its attributes."""
        concepts = {}
        for c in sorted(_iris(self.facts, dcterms.subject), key=_order):
            n = self.nodes[c]
            concepts[_text(n, skos2.prefLabel)] = {
                "subjectScheme": _text(n, pankg.subjectScheme), "schemeURI": _text(n, skos2.inScheme),
                "valueURI": "" if self.owned(c) else c, "classificationCode": _text(n, skos2.notation)}
        keywords = sorted(self.facts.get(dcat.keyword, []), key=str) or sorted(
            {o for p in self.parts.values() for o in p.get(dcat.keyword, [])}, key=str)
        subjects = [{"text": o.value, "lang": _lang(o), **concepts.get(o.value, {})} for o in keywords]
        slots: list[dict[str, str] | None] = [None] * len(subjects)
        for c in sorted(_iris(self.facts, dcterms.subject), key=_order):  # a minted concept keeps its place (-n)
            pos, label = _order(c)[0], _text(self.nodes[c], skos2.prefLabel)
            found = next((x for x in subjects if x["text"] == label), None)
            if found is not None and pos <= len(slots) and slots[pos - 1] is None:
                slots[pos - 1] = found
        placed = [id(x) for x in slots if x is not None]
        rest = iter(x for x in subjects if id(x) not in placed)
        return [x if x is not None else next(rest) for x in slots]

    def _contributors(self, agents: dict[str, Facts]) -> list[dict[str, Any]]:
        """One contributor per (agent, contributorType): the verbatim ``dccontrib:`` triples, else ``Other``."""
        found = []
        for c in _iris(self.facts, dcterms.contributor):
            roles = sorted(p[len(_DCCONTRIB) + 1:-1] for p, objs in self.facts.items()
                           if p.startswith("<" + _DCCONTRIB) and any(o.value == c for o in objs))
            found += [self._agent(c, agents[c]) | {"contributorType": role} for role in roles or ["Other"]]
        return found

    def _dates(self) -> list[dict[str, str]]:
        qualified = sorted(_iris(self.facts, pankg.qualifiedDate), key=_order)
        if qualified:
            return [{"text": _text(n, rdf2.value), "dateType": _text(n, pankg.dateType),
                     "dateInformation": _text(n, pankg.dateInformation)}
                    for n in map(self.nodes.__getitem__, qualified)]
        return [{"text": o.value, "dateType": kind, "dateInformation": ""}  # a bare year issued is publicationYear
                for prop, kind in _DATE_TYPES.items() for o in self.facts.get(prop, [])
                if not (prop == dcterms.issued and len(o.value) == 4)]

    def _related(self) -> list[dict[str, str]]:
        """Qualified relations in record order, then bare ``dcrel:`` links, then standard triples read backwards."""
        found, seen = [], set(_iris(self.facts, pankg.relatedItem))
        for q in sorted(_iris(self.facts, pankg.qualifiedRelation), key=_order):
            n = self.nodes[q]
            target = _text(n, pankg.relatedResource)
            seen.add(target)
            found.append({"text": _text(n, dcterms.identifier) or identifier_of(target)[0],
                          "relatedIdentifierType": _text(n, pankg.identifierType) or identifier_of(target)[1],
                          "relationType": _text(n, pankg.relationType),
                          "resourceTypeGeneral": _text(n, pankg.resourceTypeGeneral),
                          "relatedMetadataScheme": _text(n, pankg.relatedMetadataScheme),
                          "schemeURI": _text(n, pankg.schemeURI), "schemeType": _text(n, pankg.schemeType),
                          "relationTypeInformation": _text(n, pankg.relationTypeInformation)})
        for p in sorted(self.facts):
            if p.startswith("<" + _DCREL):
                for target in _iris(self.facts, p):
                    if target not in seen:
                        seen.add(target)
                        found.append(self._link(p[len(_DCREL) + 1:-1], target))
        for relation, target in self._standard_links():
            if target not in seen and target != self.s:
                seen.add(target)
                found.append(self._link(relation, target))
        return found

    @staticmethod
    def _link(relation: str, target: str) -> dict[str, str]:
        value, kind = identifier_of(target)
        return {"text": value, "relatedIdentifierType": kind, "relationType": relation}

    def _standard_links(self) -> list[tuple[str, str]]:
        """(relationType, target) from the standard triples around the DOI, the first type of each property wins."""
        found: list[tuple[str, str]] = []
        backwards: dict[str, str] = {}
        for relation, (prop, inverse) in STANDARD_RELATIONS.items():
            if inverse:
                backwards.setdefault(f"<{prop}>", relation)
            elif f"<{prop}>" in self.facts:
                found += [(relation, t) for t in _iris(self.facts, f"<{prop}>")]
        values = " ".join(backwards)
        _, rows = self.store.query(
            f"SELECT DISTINCT ?x ?p WHERE {{ VALUES ?p {{ {values} }} ?x ?p <{self.s}> FILTER(isIRI(?x)) }}",
            self.scope)
        found += sorted((backwards[_nt(p)], x.value) for x, p in rows)
        _, rows = self.store.query(
            f"SELECT DISTINCT ?x WHERE {{ ?x {cito.cites} <{self.s}> FILTER(isIRI(?x)) }}", self.scope)
        found += [("IsCitedBy", x.value) for (x,) in rows]
        return found

    def _software_version(self) -> str:
        _, rows = self.store.query(
            f"SELECT ?v WHERE {{ ?x {pankg.doi} <{self.s}> ; {schema.softwareVersion} ?v }}", self.scope)
        return min((r[0].value for r in rows), default="")

    def _rights(self) -> list[dict[str, str]]:
        """Licences (one per rights statement: the spdx.org twin of a rightsURI is folded in) and bare rights text."""
        found, f = [], self.facts
        licences = _iris(f, dcterms.license) or sorted(
            {x for p in self.parts.values() for x in _iris(p, dcterms.license)})
        nodes = describe(self.store, licences, self.scope)
        notations = {_text(nodes[x], skos2.notation) for x in licences if not x.startswith("https://spdx.org/")}
        for x in licences:
            n = nodes[x]
            spdx = x.startswith("https://spdx.org/licenses/")
            if spdx and _text(n, skos2.notation) in notations - {""}:
                continue
            label = n.get(rdfs.label, [None])[0]
            found.append({"text": label.value if label else "", "lang": _lang(label) if label else "",
                          "rightsURI": "" if self.owned(x) else x, "rightsIdentifier": _text(n, skos2.notation)
                          or (x.rsplit("/", 1)[1] if spdx else ""), "schemeURI": _text(n, skos2.inScheme),
                          "rightsIdentifierScheme": "SPDX" if spdx or "spdx.org" in _text(n, skos2.inScheme) else ""})
        return found + [{"text": o.value, "lang": _lang(o)} for o in f.get(dcterms2.rights, [])]

    def _geo(self, place: str) -> dict[str, Any]:
        n = self.nodes[place]
        shapes = describe(self.store, _iris(n, schema2.geo), self.scope)
        geo: dict[str, Any] = {"place": _text(n, rdfs.label), "polygons": []}
        for shape in shapes.values():
            if _text(shape, schema2.latitude):
                geo["point"] = (_text(shape, schema2.longitude), _text(shape, schema2.latitude))
            if _text(shape, schema2.box):
                south, west, north, east = _text(shape, schema2.box).split()
                geo["box"] = (west, east, south, north)
            inside = _text(shape, pankg.inPolygonPoint).split()
            for polygon in _texts(shape, schema2.polygon):
                v = polygon.split()
                geo["polygons"].append(([(v[i + 1], v[i]) for i in range(0, len(v) - 1, 2)],
                                        (inside[1], inside[0]) if len(inside) == 2 else None))
        return geo

    def _funding(self) -> list[dict[str, str]]:
        grants = sorted(_iris(self.facts, schema2.funding), key=_order)
        funder_iris = {x for g in grants for x in _iris(self.nodes[g], schema2.funder)}
        funders = describe(self.store, sorted(funder_iris), self.scope)
        found = []
        for g in map(self.nodes.__getitem__, grants):
            funder = (_iris(g, schema2.funder) or [""])[0]
            facts = funders.get(funder, {})
            found.append({"funderName": self.record.required("funderName", _text(facts, foaf.name)),
                          "funderIdentifier": "" if not funder or self.owned(funder) else funder,
                          "funderIdentifierType": _text(facts, pankg.identifierType) or "Other",
                          "awardNumber": _text(g, schema.identifier), "awardURI": _text(g, schema.url),
                          "awardTitle": _text(g, schema.name)})
        return found

    def _items(self) -> list[dict[str, Any]]:
        """Related items (4.4): the relation type is the verbatim ``dcrel:`` triple that reaches the item."""
        items = sorted(_iris(self.facts, pankg.relatedItem), key=_order)
        people = describe(self.store, sorted({a for i in items for p in (dcterms.creator, dcterms.contributor)
                                              for a in _iris(self.nodes[i], p)}), self.scope)
        found = []
        for i in items:
            n = self.nodes[i]
            relation = next((p[len(_DCREL) + 1:-1] for p in sorted(self.facts) if p.startswith("<" + _DCREL)
                             and i in _iris(self.facts, p)), "Other")
            kind = _text(n, pankg.identifierType)
            value, kind = identifier_of(i, kind) if not self.owned(i) else ("", "")
            roles = {p[len(_DCCONTRIB) + 1:-1]: _iris(n, p) for p in n if p.startswith("<" + _DCCONTRIB)}
            found.append({
                "relatedItemType": _text(n, dcterms.type) or "Other", "relationType": relation,
                "relationTypeInformation": _text(n, pankg.relationTypeInformation),
                "identifier": {"text": value, "relatedItemIdentifierType": kind,
                               "relatedMetadataScheme": _text(n, pankg.relatedMetadataScheme),
                               "schemeURI": _text(n, pankg.schemeURI), "schemeType": _text(n, pankg.schemeType)},
                "creators": [self._agent(a, people[a]) for a in _iris(n, dcterms.creator)],
                "titles": self._titles(n, required=False),
                "publicationYear": _text(n, dcterms.issued)[:4],
                "volume": _text(n, schema2.volumeNumber), "issue": _text(n, schema2.issueNumber),
                "number": _text(n, pankg.itemNumber), "numberType": _text(n, pankg.numberType),
                "firstPage": _text(n, schema2.pageStart), "lastPage": _text(n, schema2.pageEnd),
                "publisher": _text(n, dcterms.publisher), "edition": _text(n, schema2.bookEdition),
                "contributors": [self._agent(a, people[a]) | {"contributorType": role}
                                 for role, agents in sorted(roles.items()) for a in agents],
            })
        return found


def export_record(store: GraphStore, doi: str, scope: Scope = "all") -> Record:
    """The DataCite record of ``doi`` as a reader of ``scope`` sees it (the local CLI: ``all``; an HTTP caller:
    its own scope, so an embargoed dataset's details never reach an export); :class:`NotFound` when that
    reader's graph has no such DOI."""
    return Exporter(store, doi, scope).export()
