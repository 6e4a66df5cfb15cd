"""DataCite loader: every reference example loads and every value in it can be found by SPARQL; the 39 relation
types; citations found from either side; people merged by ORCID with another loader's; reloads change nothing."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from graph.model.relations import RELATION_TYPES, STANDARD_RELATIONS
from graph.store.embedded import GraphStore
from loaders import LOADERS, scicat
from loaders.base import LoadOptions, LoadReport, load
from tests.helpers import TODAY
from tests.loaders.test_scicat import dataset, write

P = """PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX cito: <http://purl.org/spar/cito/>
PREFIX schema: <http://schema.org/> PREFIX pankg: <https://w3id.org/pankg/ontology#>
PREFIX dcrel: <https://w3id.org/pankg/datacite-relation#> PREFIX dccontrib: <https://w3id.org/pankg/datacite-contributor#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> """
KERNEL = "http://datacite.org/schema/kernel-4"


def load_paths(store: GraphStore, *paths: Path | str, lenient: bool = False) -> list[LoadReport]:
    return [load(store, s, as_of=TODAY) for s in LOADERS["datacite"]([str(p) for p in paths], LoadOptions(lenient))]


def ask(store: GraphStore, body: str) -> bool:
    return bool(store.query(P + "ASK { " + body + " }"))


def xml_record(doi: str, body: str = "", title: str = "A title") -> str:
    return (f'<resource xmlns="{KERNEL}"><identifier identifierType="DOI">{doi}</identifier>'
            f"<creators><creator><creatorName>Lovelace, Ada</creatorName></creator></creators>"
            f"<titles><title>{title}</title></titles><publisher>ESRF</publisher><publicationYear>2025</publicationYear>"
            f'<resourceType resourceTypeGeneral="Dataset">Raw data</resourceType>{body}</resource>')


def related(*pairs: tuple[str, str]) -> str:
    items = "".join(f'<relatedIdentifier relatedIdentifierType="DOI" relationType="{r}">{d}</relatedIdentifier>'
                    for r, d in pairs)
    return f"<relatedIdentifiers>{items}</relatedIdentifiers>"


# ---------------------------------------------------------------- the reference examples

# Attributes whose value is carried by the form of an IRI or by a predicate, not as text (docs/mapping-datacite.md).
IN_THE_IRI = {"nameIdentifierScheme", "affiliationIdentifierScheme", "publisherIdentifierScheme", "rightsIdentifierScheme",
              "nameType", "identifierType", "titleType", "descriptionType", "schemaLocation", "lang"}
IRI_SCHEMES = {"nameIdentifier", "affiliation", "publisher", "funderIdentifier"}  # their schemeURI is in the IRI
MINTED_SAFE = "-._~:@!$'()*+,;="
JSON_NOT_MAPPED = {"schemaOrg", "citeproc", "bibtex", "ris", "schemaVersion", "agency", "state", "id"}


def xml_values(path: Path) -> list[tuple[str, str]]:
    """(where, value) of every text and attribute of a DataCite XML file that the graph must hold."""
    found = []
    for element in ET.parse(path).getroot().iter():
        tag = element.tag.rsplit("}", 1)[-1]
        text = " ".join("".join(t for t in [element.text or ""]).split())
        if text and not len(element):
            found.append((tag, text))
        for key, value in element.attrib.items():
            name = key.rsplit("}", 1)[-1]
            if name in IN_THE_IRI or (name == "schemeURI" and tag in IRI_SCHEMES):
                continue
            found.append((f"{tag}@{name}", value))
    return found


def json_values(data: Any, where: str = "") -> list[tuple[str, str]]:
    if isinstance(data, dict):
        return [v for k, x in data.items() if k not in JSON_NOT_MAPPED | IN_THE_IRI
                and not (k == "schemeUri" and ("nameIdentifiers" in where or "affiliation" in where))
                for v in json_values(x, f"{where}.{k}")]
    if isinstance(data, list):
        return [v for x in data for v in json_values(x, where)]
    return [(where, str(data))] if data not in (None, "") else []


def holds(store: GraphStore, value: str) -> bool:
    """Some subject, predicate or object holds ``value`` (case and whitespace runs aside), or a minted IRI holds it
    percent-encoded (an organization identified by a GRID URL is ``organization/https:%2F%2Fgrid.ac...``)."""
    text = " ".join(value.split()).lower()
    if text.startswith(("http://", "https://")):
        text = text.rstrip("/")
    return any(
        ask(store, f'?s ?p ?o . FILTER(CONTAINS(LCASE(REPLACE(CONCAT(STR(?s), " ", STR(?p), " ", STR(?o)), '
                   f'"\\\\s+", " ")), "{form}"))')
        for form in {t.replace("\\", "\\\\").replace('"', '\\"') for t in (text, quote(text, safe=MINTED_SAFE).lower())}
    )


def examples(shared: Path) -> list[Path]:
    folder = shared / "reference/datacite"
    return sorted((folder / "xml").glob("*.xml")) + sorted((folder / "json").glob("*.json"))


def test_every_reference_example_loads_and_each_of_its_values_is_queryable(shared: Path) -> None:
    files = examples(shared)
    assert len(files) == 9
    for path in files:
        store = GraphStore()
        (report,) = load_paths(store, path)
        assert report.changed and report.entities["DoiRecord"] == 1, path.name
        assert not report.warnings, (path.name, [str(w) for w in report.warnings])
        values = xml_values(path) if path.suffix == ".xml" else json_values(json.loads(path.read_text()))
        assert len(values) > 10
        missing = [(where, value) for where, value in values if not holds(store, value)]
        assert not missing, (path.name, missing)


def test_the_dataset_example_field_by_field(shared: Path, store: GraphStore) -> None:
    load_paths(store, shared / "reference/datacite/xml/datacite-example-dataset-v4.7.xml")
    d = "<https://doi.org/10.82433/9184-dy35>"
    assert ask(store, f'{d} a pankg:DOIRecord ; dcterms:title "External Environmental Data, 2010-2020, National Gallery"@en ;'
                      f' dcterms:type "Dataset" ; pankg:resourceType "Environmental data" ; dcterms:issued "2022"^^xsd:gYear ;'
                      f' dcterms:creator <https://ror.org/043kfff89> ; schema:publisher <https://ror.org/043kfff89> ;'
                      f' dcterms:language "en" ; dcterms:extent "13.6 MB" ; dcterms:format "application/json" ;'
                      f' schema:version "1.0" ; pankg:dateCollected "2010/2020"')
    assert ask(store, f"{d} dccontrib:ContactPerson <https://orcid.org/0000-0002-2572-6428> ; dcterms:contributor ?org ."
                      f" ?org foaf:name 'Building Facilities Department' ; schema:memberOf <https://ror.org/043kfff89> ."
                      f" {d} dccontrib:DataCollector ?org . <https://orcid.org/0000-0002-2572-6428> schema:affiliation <https://ror.org/043kfff89>")
    assert ask(store, f"{d} pankg:qualifiedDate [ pankg:dateType 'Other' ; pankg:dateInformation 'Coverage' ; rdf:value '2010/2020' ]")
    assert ask(store, f"{d} dcterms:subject <https://www.wikidata.org/wiki/Q11466> . <https://www.wikidata.org/wiki/Q11466> "
                      f"skos:prefLabel 'temperature' ; pankg:subjectScheme 'Wikidata' ; skos:inScheme <https://www.wikidata.org/wiki>")
    assert ask(store, f"{d} dcterms:license <https://spdx.org/licenses/CC-BY-4.0>, <https://creativecommons.org/licenses/by-nc/4.0/>")
    assert ask(store, f"{d} dcterms:spatial ?p . ?p rdfs:label 'Roof of National Gallery, London, UK' ; schema:geo ?g ."
                      f" ?g schema:latitude ?lat ; schema:longitude ?lon . FILTER(?lat = 51.50872 && ?lon = -0.12841)")
    assert ask(store, f"{d} schema:funder <https://doi.org/10.13039/100010662> ; schema:funding ?g . ?g schema:identifier '871034' ;"
                      f" schema:url <https://cordis.europa.eu/project/id/871034> ; schema:funder <https://doi.org/10.13039/100010662> ."
                      f" <https://doi.org/10.13039/100010662> foaf:name 'H2020 Excellent Science'")
    # IsSourceOf: written from the derived side; IsDocumentedBy: the documenting DOI cito:documents the record
    assert ask(store, f"<https://research.ng-london.org.uk/scientific/env/> <http://www.w3.org/ns/prov#wasDerivedFrom> {d}")
    assert ask(store, f"<https://doi.org/10.5281/zenodo.7629200> cito:documents {d}")
    assert ask(store, f"{d} pankg:qualifiedRelation [ pankg:relationType 'IsSupplementTo' ; pankg:identifierType 'URL' ;"
                      f" pankg:resourceTypeGeneral 'Report' ]")


def test_the_full_and_related_item_examples(shared: Path, store: GraphStore) -> None:
    folder = shared / "reference/datacite/xml"
    load_paths(store, folder / "datacite-example-affiliation-v4.xml", folder / "datacite-example-relateditem1-v4.7.xml")
    full = "<https://doi.org/10.5072/example-full>"
    assert ask(store, f"{full} pankg:subtitle 'Demonstration of DataCite Properties.'@en-US ;"
                      f" schema:identifier [ schema:propertyID 'URL' ; schema:value ?alt ] ; dcrel:IsReviewedBy <https://arxiv.org/abs/0706.0001>")
    assert ask(store, f"{full} dcterms:spatial/schema:geo ?shape . ?shape schema:box '41.090 -71.032 42.893 -68.211' ;"
                      f" schema:polygon ?polygon . FILTER(STRSTARTS(?polygon, '41.991 -71.032 42.893 -69.622'))")
    assert ask(store, f"{full} pankg:relatedItem ?journal . ?journal dcterms:title 'Physics letters B' ; schema:volumeNumber '776' ;"
                      f" schema:pageStart '249' ; schema:pageEnd '264' . ?journal dcterms:hasPart {full}")
    assert ask(store, f"{full} dcterms:creator <https://orcid.org/0000-0002-1825-0097> . <https://orcid.org/0000-0002-1825-0097>"
                      f" schema:affiliation <https://ror.org/05gq02987>")
    article = "<https://doi.org/10.82433/q54d-pf76>"
    assert ask(store, f"<urn:issn:1234-5678> dcterms:hasPart {article} ; dcterms:type 'Journal' ; schema:issueNumber '4'")


# ---------------------------------------------------------------- relations and citations


def test_all_39_relation_types_are_kept_verbatim_and_standard_ones_in_one_direction(tmp_path: Path, store: GraphStore) -> None:
    assert len(RELATION_TYPES) == 39
    pairs = [(r, f"10.5072/rel-{r.lower()}") for r in RELATION_TYPES]
    path = tmp_path / "all.xml"
    path.write_text(xml_record("10.5072/all", related(*pairs)))
    (report,) = load_paths(store, path)
    assert report.changed
    record = "<https://doi.org/10.5072/all>"
    for relation, doi in pairs:
        target = f"<https://doi.org/{doi}>"
        assert ask(store, f"{record} dcrel:{relation} {target}"), relation
        standard = STANDARD_RELATIONS.get(relation)
        if standard:
            prop, inverse = standard
            triple = f"{target} <{prop}> {record}" if inverse else f"{record} <{prop}> {target}"
            assert ask(store, triple), relation
            reverse = f"{record} <{prop}> {target}" if inverse else f"{target} <{prop}> {record}"
            assert not ask(store, reverse) or relation == "IsIdenticalTo", relation
        else:
            assert not ask(store, f"{{ {record} ?p {target} }} UNION {{ {target} ?p {record} }} "
                                  f"FILTER(!STRSTARTS(STR(?p), 'https://w3id.org/pankg/datacite-relation#'))"), relation
    assert len(STANDARD_RELATIONS) == 28  # 11 have no standard property (docs/mapping-datacite.md)


def test_a_citation_is_found_from_either_side(tmp_path: Path, store: GraphStore) -> None:
    data = tmp_path / "data.xml"
    data.write_text(xml_record("10.5072/DATA-1", related(("IsCitedBy", "10.5072/paper-1"))))
    paper = tmp_path / "paper.json"
    paper.write_text(json.dumps({"data": {"id": "10.5072/paper-2", "type": "dois", "attributes": {
        "doi": "10.5072/paper-2", "titles": [{"title": "A paper"}], "types": {"resourceTypeGeneral": "JournalArticle"},
        "relatedIdentifiers": [{"relatedIdentifier": "10.5072/data-1", "relatedIdentifierType": "DOI", "relationType": "Cites"}],
    }}}))
    load_paths(store, data, paper)
    _, rows = store.query(P + "SELECT ?paper WHERE { ?paper cito:cites <https://doi.org/10.5072/data-1> } ORDER BY ?paper")
    assert [r[0].value for r in rows] == ["https://doi.org/10.5072/paper-1", "https://doi.org/10.5072/paper-2"]


def test_a_person_is_merged_by_orcid_with_a_scicat_owner(tmp_path: Path, store: GraphStore) -> None:
    records = [dataset("ds-1", orcidOfOwner="0000-0002-1825-0097")]
    for source in scicat.sources([str(write(tmp_path, "Dataset.json", records))]):
        load(store, source, as_of=TODAY)
    creator = ('<creators><creator><creatorName nameType="Personal">Carberry, Josiah</creatorName>'
               '<nameIdentifier nameIdentifierScheme="ORCID">https://orcid.org/0000-0002-1825-0097</nameIdentifier>'
               "</creator></creators>")
    path = tmp_path / "doi.xml"
    path.write_text(xml_record("10.5072/merge", "").replace(
        "<creators><creator><creatorName>Lovelace, Ada</creatorName></creator></creators>", creator))
    load_paths(store, path)
    _, rows = store.query(P + "SELECT DISTINCT ?who WHERE { <https://doi.org/10.5072/merge> dcterms:creator ?who ."
                           " ?ds dcterms:identifier 'ds-1' ; dcterms:creator ?who }")
    assert [r[0].value for r in rows] == ["https://orcid.org/0000-0002-1825-0097"]


def test_loading_twice_changes_nothing(shared: Path, store: GraphStore) -> None:
    folder = shared / "reference/datacite"
    first = load_paths(store, folder)
    count = store.count()
    again = load_paths(store, folder)
    assert len(first) == len(again) == 9
    assert all(r.changed for r in first) and not any(r.changed for r in again)
    assert store.count() == count
    forced = [load(store, s, as_of=TODAY, force=True) for s in LOADERS["datacite"]([str(folder)])]
    assert all(r.changed for r in forced) and store.count() == count


def test_a_bundle_of_records_in_one_xml_file(tmp_path: Path, store: GraphStore) -> None:
    path = tmp_path / "bundle.xml"
    path.write_text("<records>" + "".join(xml_record(f"10.5072/b{n}", title=f"Record {n}") for n in range(3)) + "</records>")
    (report,) = load_paths(store, path)
    assert report.entities["DoiRecord"] == 3
    assert ask(store, "<https://doi.org/10.5072/b2> dcterms:title 'Record 2'")


@pytest.mark.parametrize("kind,value,iri", [
    ("Handle", "1234.1675", "https://hdl.handle.net/1234.1675"),
    ("arXiv", "arXiv:0706.0001", "https://arxiv.org/abs/0706.0001"),
    ("ISBN", "978-3-16-148410-0", "urn:isbn:978-3-16-148410-0"),
    ("PMID", "12345", "https://pubmed.ncbi.nlm.nih.gov/12345"),
    ("URL", "https://example.org/x", "https://example.org/x"),
    ("EAN13", "4006381333931", "https://w3id.org/pankg/id/related/EAN13:4006381333931"),
])
def test_related_identifiers_become_iris_by_their_type(tmp_path: Path, store: GraphStore, kind: str, value: str, iri: str) -> None:
    path = tmp_path / "r.xml"
    path.write_text(xml_record("10.5072/r", f'<relatedIdentifiers><relatedIdentifier relatedIdentifierType="{kind}" '
                                            f'relationType="References">{value}</relatedIdentifier></relatedIdentifiers>'))
    load_paths(store, path)
    assert ask(store, f"<https://doi.org/10.5072/r> dcrel:References <{iri}> ; dcterms:references <{iri}>")
