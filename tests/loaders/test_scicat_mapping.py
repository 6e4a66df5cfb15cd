"""docs/mapping-scicat.md lists every field of the reference records, and every mapped value is in the store.

Each field of each scicatlive record is either "not mapped: <reason>" in the document or has a check
here that finds the record's value by SPARQL in the store the reference files were loaded into. Empty
values write nothing and are not looked for.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from graph.store.embedded import GraphStore
from loaders import scicat
from loaders.base import load
from tests.helpers import ROOT, SHARED, TODAY, mapping_tables

P = """PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX pankg: <https://w3id.org/pankg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX foaf: <http://xmlns.com/foaf/0.1/> PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX schema: <http://schema.org/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX vcard: <http://www.w3.org/2006/vcard/ns#> """
FOLDER = SHARED / "reference/catalogues/scicatlive"
DOC = ROOT / "docs/mapping-scicat.md"
COLLECTIONS = ["Dataset", "OrigDatablock", "PublishedData", "Proposal", "Sample", "Instrument", "Job"]

Check = Callable[[Any, dict[str, Any], "Node"], Iterator[str]]


class Node:
    """IRIs as the store mints them, in SPARQL syntax."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def __call__(self, kind: str, pid: str) -> str:
        return f"<{self.store.minter.iri(kind, pid)}>"


def q(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def when(value: Any) -> str:
    value = value["$date"] if isinstance(value, dict) else value
    return f'"{value}"^^xsd:dateTime'


def day(value: Any) -> str:
    return f'"{(value["$date"] if isinstance(value, dict) else value)[:10]}"^^xsd:date'


def literal(prop: str) -> Check:
    return lambda v, r, n: iter([f"?s {prop} {q(v)}"])


def each(pattern: str) -> Check:
    return lambda v, r, n: (pattern.format(q(x)) for x in v)


def label_of(name: str) -> str:
    return name.split(";")[0].split(".")[-1].replace("_", " ")


def parameters(part: str) -> Check:
    def check(v: Any, r: dict[str, Any], n: Node) -> Iterator[str]:
        for name, entry in r["scientificMetadata"].items():
            if part == "value":
                yield f"?s pankg:parameter ?p . ?p pankg:parameterName {q(name)} ; pankg:value ?v FILTER(?v = {entry['value']})"
            else:
                yield f"?s pankg:parameter ?p . ?p pankg:parameterName {q(name)} ; pankg:unit {q(entry['unit'])} ; pankg:siValue ?si"

    return check


DATASET: dict[str, Check] = {
    "_id": lambda v, r, n: iter([f"?s dcterms:identifier {q(v)}"]),
    "type": lambda v, r, n: iter([f"?s a pankg:{'RawDataset' if v == 'raw' else 'DerivedDataset'}"]),
    "datasetName": lambda v, r, n: iter([f"?s dcterms:title {q(v)} ; rdfs:label {q(v)}"]),
    "description": literal("dcterms:description"),
    "creationTime": lambda v, r, n: iter([f"?s dcterms:created {when(v)}"]),
    "createdAt": lambda v, r, n: iter([f"?s dcterms:dateSubmitted {when(v)}"]),
    "updatedAt": lambda v, r, n: iter([f"?s dcterms:modified {when(v)}"]),
    "owner": lambda v, r, n: iter([f"?s dcterms:creator ?p . ?p foaf:name {q(v)}"]),
    "orcidOfOwner": lambda v, r, n: iter([f"?s dcterms:creator <https://orcid.org/{v}>"]),
    "ownerEmail": lambda v, r, n: iter([f"?s dcterms:creator ?p . ?p schema:email {q(v)}"]),
    "contactEmail": lambda v, r, n: iter(
        [f"?s dcat:contactPoint ?c . ?c a vcard:Kind ; vcard:hasEmail <mailto:{v}>"]
    ),
    "principalInvestigator": lambda v, r, n: iter(
        [f"?s pankg:principalInvestigator ?p . ?p foaf:name {q(v)}"]
    ),
    "investigator": lambda v, r, n: iter(
        [f"?s prov:wasGeneratedBy ?r . ?r prov:wasAssociatedWith ?p . ?p foaf:name {q(v)}"]
    ),
    "isPublished": lambda v, r, n: iter([f"?s pankg:accessLevel pankg:{'Public' if v else 'Restricted'}"]),
    "datasetlifecycle.dateOfPublishing": lambda v, r, n: iter([f"?s pankg:embargoEndDate {day(v)}"]),
    "datasetlifecycle.archiveRetentionTime": lambda v, r, n: iter([f"?s pankg:retentionEndDate {day(v)}"]),
    "size": lambda v, r, n: iter([f"?s dcat:byteSize ?v FILTER(?v = {int(v)})"]),
    "packedSize": lambda v, r, n: iter([f"?s pankg:packedSize ?v FILTER(?v = {int(v)})"]),
    "numberOfFiles": lambda v, r, n: iter([f"?s pankg:numberOfFiles {int(v)}"]),
    "sourceFolder": literal("pankg:sourceFolder"),
    "sourceFolderHost": literal("pankg:sourceFolderHost"),
    "license": lambda v, r, n: iter(
        [f"?s dcterms:license ?l FILTER(CONTAINS(STR(?l), {q(v.replace(' ', '-'))}))"]
    ),
    "ownerGroup": literal("pankg:ownerGroup"),
    "accessGroups": each("?s pankg:accessGroup {}"),
    "techniques[].pid": lambda v, r, n: iter([f"?s pankg:technique <http://purl.org/pan-science/PaNET/{v}>"]),
    "techniques[].name": lambda v, r, n: iter([f"?s pankg:technique ?t . ?t rdfs:label {q(label_of(v))}"]),
    "scientificMetadata.*.value": parameters("value"),
    "scientificMetadata.*.unit": parameters("unit"),
    "sampleId": lambda v, r, n: iter([f"?s pankg:sample {n('sample', v)}"]),
    "instrumentId": lambda v, r, n: iter([f"?s pankg:instrument {n('instrument', v)}"]),
    "proposalId": lambda v, r, n: iter([f"?s pankg:proposal {n('proposal', v)}"]),
    "inputDatasets": lambda v, r, n: (
        f"?s prov:wasDerivedFrom {n('dataset', x)} ; prov:wasGeneratedBy ?r . ?r prov:used {n('dataset', x)}"
        for x in v
    ),
    "usedSoftware": lambda v, r, n: (
        f"?s prov:wasGeneratedBy ?r . ?r prov:qualifiedAssociation ?a . "
        f"?a prov:hadPlan ?v . ?v dcterms:isVersionOf {n('software', x)}"
        for x in v
    ),
}
DATABLOCK: dict[str, Check] = {
    "datasetId": lambda v, r, n: iter([f"{n('dataset', v)} dcterms:hasPart ?f . ?f a pankg:File"]),
    "dataFileList[].path": lambda v, r, n: iter(
        [f"{n('dataset', r['datasetId'])} dcterms:hasPart ?f . ?f pankg:filePath {q(v)}"]
    ),
    "dataFileList[].size": lambda v, r, n: iter(
        [f"{n('dataset', r['datasetId'])} dcterms:hasPart ?f . ?f dcat:byteSize {int(v)}"]
    ),
    "dataFileList[].time": lambda v, r, n: iter(
        [f"{n('dataset', r['datasetId'])} dcterms:hasPart ?f . ?f dcterms:modified {when(v)}"]
    ),
}
PUBLISHED: dict[str, Check] = {
    "_id": lambda v, r, n: iter([f"?s a pankg:DOIRecord ; dcterms:identifier {q(v.lower())}"]),
    "title": lambda v, r, n: iter([f"?s dcterms:title {q(v)} ; rdfs:label {q(v)}"]),
    "creator": lambda v, r, n: (f"?s dcterms:creator ?p . ?p foaf:name {q(x)}" for x in v if x != "al."),
    "publisher": literal("dcterms:publisher"),
    "publicationYear": lambda v, r, n: iter([f'?s dcterms:issued "{v}"^^xsd:gYear']),
    "resourceType": literal("dcterms:type"),
    "abstract": literal("dcterms:abstract"),
    "dataDescription": literal("dcterms:description"),
    "pidArray": lambda v, r, n: (
        f"?s dcterms:hasPart {n('dataset', x)} . {n('dataset', x)} pankg:doi ?s" for x in v
    ),
    "relatedPublications": each("?s dcterms:isReferencedBy {}"),
    "url": lambda v, r, n: iter([f"?s schema:url <{v}>"]),
    "downloadLink": lambda v, r, n: iter([f"?s dcat:downloadURL <{v}>"]),
    "registeredTime": lambda v, r, n: iter([f"?s dcterms:dateSubmitted {when(v)}"]),
}
PROPOSAL: dict[str, Check] = {
    "_id": lambda v, r, n: iter([f"?s a pankg:Proposal ; pankg:proposalId {q(v)}"]),
    "title": lambda v, r, n: iter([f"?s dcterms:title {q(v)} ; rdfs:label {q(v)}"]),
    "abstract": literal("dcterms:description"),
    "pi_firstname": lambda v, r, n: iter(
        [
            f"?s pankg:principalInvestigator ?p . ?p schema:givenName {q(v)} ; foaf:name ?n FILTER(CONTAINS(?n, {q(v)}))"
        ]
    ),
    "pi_lastname": lambda v, r, n: iter(
        [
            f"?s pankg:principalInvestigator ?p . ?p schema:familyName {q(v)} ; foaf:name ?n FILTER(CONTAINS(?n, {q(v)}))"
        ]
    ),
    "pi_email": lambda v, r, n: iter([f"?s pankg:principalInvestigator ?p . ?p schema:email {q(v)}"]),
    "firstname": lambda v, r, n: iter(
        [f"?s dcterms:creator ?p . ?p schema:givenName {q(v)} ; foaf:name ?n FILTER(CONTAINS(?n, {q(v)}))"]
    ),
    "lastname": lambda v, r, n: iter(
        [f"?s dcterms:creator ?p . ?p schema:familyName {q(v)} ; foaf:name ?n FILTER(CONTAINS(?n, {q(v)}))"]
    ),
    "email": lambda v, r, n: iter([f"?s dcterms:creator ?p . ?p schema:email {q(v)}"]),
    "ownerGroup": literal("pankg:ownerGroup"),
    "accessGroups": each("?s pankg:accessGroup {}"),
}
SAMPLE: dict[str, Check] = {
    "_id": lambda v, r, n: iter(["?s a pankg:Sample"]),
    "description": lambda v, r, n: iter([f"?s dcterms:description {q(v)} ; rdfs:label {q(v)}"]),
    "isPublished": lambda v, r, n: iter(
        ["?s a pankg:Sample" if v else "FILTER NOT EXISTS { ?s a pankg:Sample }"]
    ),
    "ownerGroup": literal("pankg:ownerGroup"),
}
INSTRUMENT: dict[str, Check] = {
    "_id": lambda v, r, n: iter(["?s a pankg:Instrument"]),
    "name": lambda v, r, n: iter([f"?s rdfs:label {q(v)}"]),
}
JOB: dict[str, Check] = {
    "_id": lambda v, r, n: iter(["?s a pankg:AnalysisRun"]),
    "id": lambda v, r, n: iter([f"FILTER(?s = {n('run', v)})"]),
    "type": literal("dcterms:type"),
    "statusCode": literal("pankg:status"),
    "jobParams.datasetList[].pid": lambda v, r, n: iter([f"?s prov:used {n('dataset', v)}"]),
    "jobParams.option": lambda v, r, n: iter(
        [f'?s pankg:parameter ?p . ?p pankg:parameterName "option" ; pankg:value {q(v)}']
    ),
    "jobParams.executionTime": lambda v, r, n: iter(
        [f'?s pankg:parameter ?p . ?p pankg:parameterName "executionTime" ; pankg:value {q(v["$date"])}']
    ),
    "createdAt": lambda v, r, n: iter([f"?s prov:startedAtTime {when(v)}"]),
    "updatedAt": lambda v, r, n: iter([f"?s prov:endedAtTime {when(v)}"]),
    "isPublished": lambda v, r, n: iter(
        ["?s a pankg:AnalysisRun" if v else "FILTER NOT EXISTS { ?s a pankg:AnalysisRun }"]
    ),
}
CHECKS = {
    "Dataset": DATASET,
    "OrigDatablock": DATABLOCK,
    "PublishedData": PUBLISHED,
    "Proposal": PROPOSAL,
    "Sample": SAMPLE,
    "Instrument": INSTRUMENT,
    "Job": JOB,
}
# Which node the record is, and the scope its access-dependent checks read.
SUBJECTS: dict[str, Callable[[dict[str, Any], Node], str]] = {
    "Dataset": lambda r, n: n("dataset", r["_id"]),
    "OrigDatablock": lambda r, n: n("dataset", r["datasetId"]),
    "PublishedData": lambda r, n: n("doi", r["_id"]),
    "Proposal": lambda r, n: n("proposal", r["_id"]),
    "Sample": lambda r, n: n("sample", r["_id"]),
    "Instrument": lambda r, n: n("instrument", r["_id"]),
    "Job": lambda r, n: n("run", r["id"]),
}
PUBLIC_SCOPE = {("Sample", "isPublished"), ("Job", "isPublished")}


def doc_tables() -> dict[str, dict[str, str]]:
    """``{collection: {field: RDF cell}}`` from the tables of the mapping page."""
    return mapping_tables(DOC, COLLECTIONS)


def field_values(value: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """``(field path, value)`` of every leaf: ``a.b``, ``list[].key``, ``scientificMetadata.*.value``."""
    if isinstance(value, dict) and set(value) != {"$date"}:
        for key, item in value.items():
            name = f"{prefix}.{key}" if prefix else key
            yield from field_values(item, "scientificMetadata.*" if prefix == "scientificMetadata" else name)
    elif isinstance(value, list) and any(isinstance(item, dict) for item in value):
        for item in value:
            yield from field_values(item, prefix + "[]")
    else:
        yield prefix, value


def records(collection: str) -> list[dict[str, Any]]:
    return json.loads((FOLDER / f"{collection}.json").read_text())  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def store() -> GraphStore:
    if not FOLDER.is_dir():
        pytest.skip(f"the shared reference folder {SHARED} is absent (a clone outside the workplace)")
    s = GraphStore()
    for source in scicat.sources([str(FOLDER)]):
        load(s, source, as_of=TODAY)
    return s


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_the_document_lists_every_field_of_the_reference_records(store: GraphStore, collection: str) -> None:
    table = doc_tables()[collection]
    fields = {name for record in records(collection) for name, _ in field_values(record)}
    assert sorted(fields - set(table)) == [], (
        f"fields of {collection}.json missing from docs/mapping-scicat.md"
    )
    assert sorted(set(table) - fields) == [], f"docs/mapping-scicat.md lists fields {collection}.json lacks"
    for name, cell in table.items():
        assert cell.startswith("not mapped: ") == (name not in CHECKS[collection]), (
            f"{collection}.{name}: a mapped field needs a check here, a field without one needs 'not mapped: reason'"
        )


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_every_mapped_value_is_found_by_sparql(store: GraphStore, collection: str) -> None:
    node = Node(store)
    checked = 0
    for record in records(collection):
        subject = SUBJECTS[collection](record, node)
        seen: dict[str, list[Any]] = {}
        for name, value in field_values(record):
            seen.setdefault(name, []).append(value)
        for name, check in CHECKS[collection].items():
            for value in seen.get(name, []):
                if value in ("", None, []):
                    continue  # empty values write nothing
                scope = "public" if (collection, name) in PUBLIC_SCOPE else "all"
                for body in check(value, record, node):
                    query = P + f"ASK {{ BIND({subject} AS ?s) OPTIONAL {{ ?s ?any ?thing }} {body} }}"
                    assert store.query(query, scope), (
                        f"{collection} {subject} {name}={value!r}: not found by {body}"
                    )
                    checked += 1
    assert checked > 0
