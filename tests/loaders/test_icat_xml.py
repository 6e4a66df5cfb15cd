"""ICAT XML dumps (``icatdump -f XML``): the same triples as the YAML dump, and unsafe or malformed XML refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pytest
import yaml

from graph.errors import LoaderError, RecordInvalid
from graph.store.embedded import GraphStore
from loaders import icat
from loaders.icat_read import read_yaml
from loaders.icat_xml import read_xml
from tests.loaders.test_icat import icatdump, load_all, write

TRIPLES = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(!CONTAINS(STR(?g), 'graph/meta')) }"
HEAD = """<?xml version='1.0' encoding='UTF-8'?>
<icatdata>
  <head>
    <date>2024-01-03T13:24:51Z</date>
    <service>https://icat.example.com:8181/ICATService/ICAT?wsdl</service>
    <apiversion>6.0.0</apiversion>
    <generator>icatdump (python-icat 1.2.0)</generator>
  </head>
"""


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _fields(obj: dict[str, Any], keys: set[str], indent: str) -> list[str]:
    """An object's fields as python-icat writes them: attributes, then references, then one-to-many items."""
    attrs, refs, many = [], [], []
    for name, value in sorted(obj.items()):
        if isinstance(value, list):
            for item in value:
                many += [f"{indent}<{name}>", *_fields(item, keys, indent + "  "), f"{indent}</{name}>"]
        elif isinstance(value, str) and value in keys:
            refs.append(f"{indent}<{name} ref={quoteattr(value)}/>")
        elif value is not None:
            attrs.append(f"{indent}<{name}>{escape(_scalar(value))}</{name}>")
    return attrs + refs + many


def to_xml(documents: list[dict[str, Any]]) -> str:
    """The XML dump of the same content as a YAML icatdump: one ``<data>`` chunk per YAML document."""
    keys = {key for document in documents for objects in document.values() for key in objects}
    out = [HEAD]
    for document in documents:
        out.append("  <data>\n")
        for entity, objects in document.items():
            for key, obj in objects.items():
                lines = [f"    <{entity} id={quoteattr(key)}>", *_fields(obj, keys, "      "), f"    </{entity}>"]
                out.append("\n".join(lines) + "\n")
        out.append("  </data>\n")
    return "".join(out) + "</icatdata>\n"


def triples(*paths: Path) -> set[tuple[str, str, str]]:
    store = GraphStore()
    load_all(store, *paths)
    _, rows = store.query(TRIPLES)
    return {(str(r[0]), str(r[1]), str(r[2])) for r in rows}


def test_an_xml_dump_gives_the_triples_of_its_yaml_dump(tmp_path: Path) -> None:
    yaml_path = write(tmp_path, icatdump())
    xml_path = tmp_path / "dump.xml"
    xml_path.write_text(to_xml(icatdump()), encoding="utf-8")
    assert read_xml(xml_path) == read_yaml(yaml_path)  # the same objects: icat_map/icat_pub see no difference
    from_yaml, from_xml = triples(yaml_path), triples(xml_path)
    assert len(from_yaml) > 100
    assert from_xml == from_yaml


def test_the_reference_icatdump_as_xml(shared: Path, tmp_path: Path) -> None:
    reference = shared / "reference/catalogues/icat/icatdump-simple.yaml"
    documents = [d for d in yaml.safe_load_all(reference.read_text(encoding="utf-8")) if d]
    xml_path = tmp_path / "icatdump-simple.xml"
    xml_path.write_text(to_xml(documents), encoding="utf-8")
    assert read_xml(xml_path) == read_yaml(reference)
    assert triples(xml_path) == triples(reference)


def test_python_icat_layout_literally(tmp_path: Path) -> None:
    """Pretty-printed as python-icat writes it: typed numbers and booleans, nested items, a second chunk."""
    path = tmp_path / "d.xml"
    path.write_text(HEAD + """  <data>
    <facility id="Facility_name-HZX">
      <name>HZX</name>
    </facility>
  </data>
  <data>
    <!-- a comment -->
    <dataset id="Dataset_1">
      <complete>false</complete>
      <description></description>
      <name>007</name>
      <investigation ref="Investigation_1"/>
      <parameters>
        <numericValue>2.5</numericValue>
        <type ref="ParameterType_t"/>
      </parameters>
      <parameters>
        <numericValue>3</numericValue>
        <type ref="ParameterType_t"/>
      </parameters>
    </dataset>
    <datafile id="Datafile_1"><fileSize>12</fileSize><name>f</name><dataset ref="Dataset_1"/></datafile>
  </data>
</icatdata>
""", encoding="utf-8")
    dialect, sections = read_xml(path)
    assert dialect == "icatdump"
    assert sections == {
        "facility": {"Facility_name-HZX": {"name": "HZX"}},
        "dataset": {"Dataset_1": {
            "complete": False, "description": "", "name": "007", "investigation": "Investigation_1",
            "parameters": [{"numericValue": 2.5, "type": "ParameterType_t"},
                           {"numericValue": 3, "type": "ParameterType_t"}],
        }},
        "datafile": {"Datafile_1": {"fileSize": 12, "name": "f", "dataset": "Dataset_1"}},
    }


def test_a_directory_stands_for_its_xml_files_too(tmp_path: Path) -> None:
    write(tmp_path, icatdump(), "a.yml")
    (tmp_path / "b.xml").write_text(to_xml(icatdump()), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("x")
    assert [Path(s.location).name for s in icat.sources([str(tmp_path)])] == ["a.yml", "b.xml"]


def test_malformed_xml_names_file_and_line(tmp_path: Path, store: GraphStore) -> None:
    path = tmp_path / "bad.xml"
    path.write_text(to_xml(icatdump()), encoding="utf-8")
    load_all(store, path)
    before = store.count()
    path.write_text(HEAD + "  <data>\n    <facility id='F'><name>X</facility>\n  </data>\n</icatdata>\n")
    with pytest.raises(RecordInvalid, match=r"bad\.xml: not well-formed XML: mismatched tag: line 10"):
        load_all(store, path)
    assert store.count() == before  # the previous load of the file stays as it was


def test_not_an_icat_dump_and_an_object_without_its_key(tmp_path: Path) -> None:
    other = tmp_path / "other.xml"
    other.write_text("<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'/>")
    with pytest.raises(RecordInvalid, match=r"other\.xml.*not an ICAT XML dump"):
        read_xml(other)
    nokey = tmp_path / "nokey.xml"
    nokey.write_text("<icatdata>\n<data>\n<facility><name>X</name></facility>\n</data>\n</icatdata>")
    with pytest.raises(RecordInvalid, match=r"nokey\.xml.*field facility: line 3: an object needs the id"):
        read_xml(nokey)


def test_a_bad_value_fails_its_record_and_lenient_skips_it(tmp_path: Path) -> None:
    docs = icatdump()
    docs[1]["datafile"]["Datafile_f1"]["fileSize"] = "12 kB"
    path = tmp_path / "d.xml"
    path.write_text(to_xml(docs), encoding="utf-8")
    with pytest.raises(RecordInvalid, match="record Dataset_raw1, field fileSize"):
        load_all(GraphStore(), path)
    [report] = load_all(GraphStore(), path, lenient=True)
    assert len(report.skipped) == 1 and "Dataset_raw1" in report.skipped[0]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE icatdata [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<icatdata><data><facility id="F"><name>&lol3;</name></facility></data></icatdata>
"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE icatdata [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<icatdata><data><facility id="F"><name>&secret;</name></facility></data></icatdata>
"""
EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE icatdata SYSTEM "http://example.org/icat.dtd">
<icatdata><data><facility id="F"><name>X</name></facility></data></icatdata>
"""


@pytest.mark.parametrize("content", [BILLION_LAUGHS, XXE, EXTERNAL_DTD], ids=["billion-laughs", "xxe", "external-dtd"])
def test_entities_and_external_references_are_refused(tmp_path: Path, content: str) -> None:
    path = tmp_path / "evil.xml"
    path.write_text(content)
    with pytest.raises(LoaderError, match=r"evil\.xml.*refused"):
        load_all(GraphStore(), path)
