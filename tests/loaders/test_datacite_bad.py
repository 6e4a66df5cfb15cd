"""DataCite loader, bad input: unsafe or malformed XML, records without an identifier, unknown relation types,
wrong types. Each error names file, record and field; strict loads nothing of the file, lenient skips and lists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.errors import RecordInvalid
from graph.store.embedded import GraphStore
from tests.loaders.test_datacite import KERNEL, ask, load_paths, related, xml_record

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<resource xmlns="http://datacite.org/schema/kernel-4"><identifier identifierType="DOI">10.5072/x</identifier>
<titles><title>&lol9;</title></titles></resource>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<resource xmlns="http://datacite.org/schema/kernel-4"><titles><title>&x;</title></titles></resource>"""


def bundle(tmp_path: Path, *records: str, name: str = "records.xml") -> Path:
    path = tmp_path / name
    path.write_text("<records>" + "".join(records) + "</records>")
    return path


@pytest.mark.parametrize("text,message", [
    (BILLION_LAUGHS, "refused: DTD"),
    (EXTERNAL_ENTITY, "refused: DTD"),
    ("<resource><titles>", "not well-formed XML"),
    ('<resource xmlns="http://datacite.org/schema/kernel-3"><identifier>10.5072/x</identifier></resource>',
     "not DataCite kernel-4 XML"),
    ("<html><body/></html>", "no <resource> element"),
])
def test_unsafe_malformed_or_foreign_xml_fails_the_file_in_both_modes(
    tmp_path: Path, store: GraphStore, text: str, message: str
) -> None:
    path = tmp_path / "bad.xml"
    path.write_text(text)
    for lenient in (False, True):
        with pytest.raises(RecordInvalid, match=message) as error:
            load_paths(store, path, lenient=lenient)
        assert error.value.file == str(path.resolve())
    assert not store.sources


def test_malformed_json_fails_the_file(tmp_path: Path, store: GraphStore) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"data": [')
    with pytest.raises(RecordInvalid, match="not valid JSON"):
        load_paths(store, path, lenient=True)


def test_a_record_without_identifier_fails_strict_and_is_listed_lenient(tmp_path: Path, store: GraphStore) -> None:
    good = xml_record("10.5072/good")
    path = bundle(tmp_path, good, xml_record("10.5072/x").replace('<identifier identifierType="DOI">10.5072/x</identifier>', ""))
    with pytest.raises(RecordInvalid) as error:
        load_paths(store, path)
    assert (error.value.file, error.value.record, error.value.field) == (str(path.resolve()), "#2", "identifier")
    assert not store.sources  # nothing of the file, not even the good record
    (report,) = load_paths(store, path, lenient=True)
    assert report.entities["DoiRecord"] == 1
    assert ask(store, "<https://doi.org/10.5072/good> dcterms:title 'A title'")
    assert len(report.skipped) == 1 and "record #2, field identifier: missing" in report.skipped[0]


def test_an_unknown_relation_type_names_record_and_field(tmp_path: Path, store: GraphStore) -> None:
    path = bundle(tmp_path, xml_record("10.5072/good"), xml_record("10.5072/BAD", related(("IsCitedBy", "10.5072/a"),
                                                                                          ("IsLovedBy", "10.5072/b"))))
    with pytest.raises(RecordInvalid, match="not a DataCite relation type: 'IsLovedBy'") as error:
        load_paths(store, path)
    assert (error.value.record, error.value.field) == ("10.5072/BAD", "relatedIdentifiers[2].relationType")
    (report,) = load_paths(store, path, lenient=True)
    assert report.entities["DoiRecord"] == 1 and "10.5072/BAD" in report.skipped[0]
    assert not ask(store, "<https://doi.org/10.5072/bad> ?p ?o")


@pytest.mark.parametrize("attributes,field,message", [
    ({"creators": "Ada"}, "creators", "expected a list, got text 'Ada'"),
    ({"publicationYear": ["2020"]}, "publicationYear", "expected text, got a list"),
    ({"publicationYear": "twenty"}, "publicationYear", "not a year"),
    ({"titles": [{"title": "T", "lang": "en_GB!"}]}, "titles[1].lang", "not a language tag"),
    ({"dates": [{"date": "2020", "dateType": "Published"}]}, "dates[1].dateType", "not a DataCite dateType"),
    ({"contributors": [{"name": "X", "contributorType": "Boss"}]}, "contributors[1].contributorType",
     "not a DataCite contributorType"),
    ({"geoLocations": [{"geoLocationPoint": {"pointLatitude": "95", "pointLongitude": "0"}}]},
     "geoLocations[1].geoLocationPoint.pointLatitude", "not a coordinate"),
    ({"rightsList": [{"rightsUri": "not an iri"}]}, "rightsList[1].rightsUri", "not an absolute IRI"),
    ({"titles": []}, "titles", "missing"),
    ({"doi": "not-a-doi"}, "identifier", "not a DOI"),
])
def test_a_wrong_type_names_the_field(tmp_path: Path, store: GraphStore, attributes: dict, field: str, message: str) -> None:
    record = {"doi": "10.5072/typed", "titles": [{"title": "T"}], **attributes}
    path = tmp_path / "typed.json"
    path.write_text(json.dumps({"data": [{"id": "x", "type": "dois", "attributes": record}]}))
    with pytest.raises(RecordInvalid, match=message) as error:
        load_paths(store, path)
    assert error.value.field == field
    assert error.value.record == record["doi"]


def test_a_failed_reload_keeps_what_the_store_had(tmp_path: Path, store: GraphStore) -> None:
    path = tmp_path / "one.xml"
    path.write_text(xml_record("10.5072/keep"))
    load_paths(store, path)
    count = store.count()
    path.write_text(f'<resource xmlns="{KERNEL}"><titles><title>no identifier</title></titles></resource>')
    with pytest.raises(RecordInvalid, match="field identifier"):
        load_paths(store, path)
    assert store.count() == count
    assert ask(store, "<https://doi.org/10.5072/keep> dcterms:title 'A title'")
