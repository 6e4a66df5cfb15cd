"""What fuzzing the loaders found (issue 12), each kept as the input that found it.

Before the fixes each of these ended in an exception that was no pankg error (``OverflowError``,
``UnicodeEncodeError``, ``RecursionError``, ``LookupError``, owlready2's ``TypeError``, h5py's sort of a name
that is not UTF-8), in an error that named no file or no record, in a valid value refused, in a record
refused for a link it could have left out, or, for one damaged HDF5 file, in a load that never ended. Each is loaded as ``pankg load KIND FILE`` over a store holding an
earlier source (a failure must leave it as it was) and checked for its outcome: loaded (with the warning it
gives), or refused naming file, record and field (file only where the fault is the file's text as a whole).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import h5py
import pytest

from graph.errors import RecordInvalid
from graph.store.embedded import GraphStore
from loaders import nexus_worker
from tests.loaders.fuzz_checks import holding, load_all
from tests.loaders.nexus_files import saxs_entry, write_nexus
from tests.loaders.panet_files import MINI


@dataclass(frozen=True)
class Found:
    """One input and what it must give: an error naming ``record``, ``field`` and ``says``, or a load that warns
    ``warns`` (and whose graph holds ``holds``, a SPARQL pattern)."""

    kind: str
    name: str
    content: str | bytes
    record: str = ""
    field: str = ""
    says: str = ""
    warns: str = ""
    holds: str = ""
    loads: bool = False


def dataset(**fields: object) -> str:
    return json.dumps([{"_id": "ds1", "type": "raw", **fields}])


DEEP = 2000
CASES = {
    # lone surrogates: valid JSON (and YAML) escapes that no text can be written with (UnicodeEncodeError)
    "codemeta-lone-surrogate": Found("codemeta", "codemeta.json", '{"name": "x\\ud800y", "version": "1"}',
                                     says="the string at name holds a lone surrogate"),
    "crossref-lone-surrogate": Found("crossref", "work.json", '{"DOI": "10.1234/a", "title": ["x\\udc00"]}',
                                     says="the string at title[0] holds a lone surrogate"),
    "datacite-lone-surrogate": Found("datacite", "d.json", '{"doi": "10.1234/a", "titles": [{"title": "\\ud800"}]}',
                                     says="titles[0].title holds a lone surrogate"),
    "icat-yaml-lone-surrogate": Found("icat", "d.yaml", 'facility:\n  f:\n    name: "x\\ud800"\n',
                                      says="the string at [0].facility.f.name holds a lone surrogate"),
    "software-yaml-lone-surrogate": Found("software", "c.yaml", 'software:\n  - name: "x\\ud800"\n',
                                          says="software[0].name holds a lone surrogate"),
    # numbers beyond a double or beyond Python's 4,300-digit int (OverflowError, ValueError)
    "crossref-5000-digit-number": Found("crossref", "work.json",
                                        '{"DOI": "10.1234/a", "title": ["t"], "volume": ' + "9" * 5000 + "}",
                                        loads=True),
    "scicat-numberLong-1e400": Found("scicat", "Dataset.json", dataset(size={"$numberLong": "1e400"}),
                                     record="ds1", field="size", says="expected a whole number >= 0, got a number inf"),
    "scicat-numberLong-exact": Found("scicat", "Dataset.json", dataset(size={"$numberLong": "123456789012345678901"}),
                                     loads=True, holds='?d <http://www.w3.org/ns/dcat#byteSize> ?n '
                                                       'FILTER(STR(?n) = "123456789012345678901")'),
    "scicat-parameter-1e400": Found("scicat", "Dataset.json", dataset(scientificMetadata={
        "x": {"value": {"$numberLong": "1e400"}, "unit": "keV"}, "y": {"value": 10**30, "unit": "kelvinz"}}),
        loads=True, warns="unknown unit 'kelvinz'"),
    "panosc-size-1e400": Found("panosc", "db.json", '{"Dataset": {"1": {"pid": "d", "title": "t", "size": 1e400}}}',
                               record="Dataset d", field="size", says="expected a whole number >= 0, got a number inf"),
    "panosc-value-10**400": Found("panosc", "db.json", json.dumps({"Dataset": {"d": {"pid": "d", "title": "t"}},
                                  "Parameter": {"1": {"id": 1, "name": "n", "value": 10**400, "unit": "keV",
                                                      "datasetId": "d"}}}), loads=True),
    "icat-xml-5000-digit-size": Found("icat", "d.xml", '<icatdata><data><facility id="f"><name>F</name></facility>'
                                      '<investigation id="i"><name>I</name><facility ref="f"/></investigation>'
                                      '<dataset id="d"><name>D</name><investigation ref="i"/></dataset>'
                                      f'<datafile id="x"><name>x</name><fileSize>{"9" * 5000}</fileSize>'
                                      '<dataset ref="d"/></datafile></data></icatdata>',
                                      record="d", field="fileSize", says="expected a whole number >= 0, got a number inf"),
    # dates that do not exist (OverflowError, ValueError, OSError)
    "scicat-epoch-1e300": Found("scicat", "Dataset.json", dataset(creationTime={"$date": 1e300}), record="ds1",
                                field="creationTime", says="within years 1 to 9999"),
    "scicat-epoch-year-3170843": Found("scicat", "Dataset.json", dataset(creationTime=1e17), record="ds1",
                                       field="creationTime", says="within years 1 to 9999"),
    "icat-yaml-30-february": Found("icat", "d.yaml", "facility:\n  f:\n    name: F\ninvestigation:\n  i:\n    "
                                   "facility: f\n    name: I\n    releaseDate: 2020-02-30\n", record="i",
                                   field="releaseDate", says="expected an ISO 8601 date, got text '2020-02-30'"),
    "icat-yaml-float-tag": Found("icat", "d.yaml", "facility:\n  f:\n    name: !!float abc\n",
                                 says="not valid YAML: ValueError"),
    # nesting too deep to read (RecursionError)
    "crossref-deep-json": Found("crossref", "work.json", "[" * DEEP + "]" * DEEP, says="nested too deeply"),
    "icat-deep-yaml": Found("icat", "d.yaml", "facility:\n  f:\n    name: " + "[" * DEEP + "]" * DEEP + "\n",
                            says="nested too deeply"),
    "software-deep-yaml": Found("software", "c.yaml", "software: " + "[" * DEEP + "]" * DEEP, says="nested too deeply"),
    "datacite-deep-xml": Found("datacite", "d.xml", '<resource xmlns="http://datacite.org/schema/kernel-4">'
                               + "<a>" * DEEP + "</a>" * DEEP + "</resource>", says="nested too deeply to read"),
    "icat-deep-xml": Found("icat", "d.xml", '<icatdata><data><facility id="f"><name>F</name>' + "<a><b>" * DEEP
                           + "</b></a>" * DEEP + "</facility></data></icatdata>", record="f",
                           says="the object is nested too deeply to read"),
    "scicat-metadata-40-deep": Found("scicat", "Dataset.json", '[{"_id": "ds1", "type": "raw", "scientificMetadata": '
                                     + '{"a":' * 40 + "1" + "}" * 41 + "]", record="ds1",
                                     field="scientificMetadata" + ".a" * 33, says="groups nested more than 32 deep"),
    # an encoding declaration expat does not know (LookupError)
    "datacite-xml-encoding": Found("datacite", "d.xml", b'<?xml version="1.0" encoding="UTV-8"?><resource/>',
                                   says="not well-formed XML: unknown encoding: UTV-8"),
    "icat-xml-encoding": Found("icat", "d.xml", b'<?xml version="1.0" encoding="ETF-8"?><icatdata/>',
                               says="not well-formed XML: unknown encoding: ETF-8"),
    # valid values that were refused, or refused without naming the record
    "datacite-coordinate-exponent": Found("datacite", "d.json", json.dumps({
        "doi": "10.1234/geo", "titles": [{"title": "t"}],
        "geoLocations": [{"geoLocationPoint": {"pointLatitude": 1e-05, "pointLongitude": "-6.9e-280"}}]}),
        loads=True, holds='?p <http://schema.org/latitude> "0.00001"^^<http://www.w3.org/2001/XMLSchema#decimal> ; '
                          '<http://schema.org/longitude> "0"^^<http://www.w3.org/2001/XMLSchema#decimal>'),
    "datacite-identifier-in-scheme": Found("datacite", "d.json", json.dumps({
        "doi": "10.1234/who", "titles": [{"title": "t"}], "creators": [{"name": "Ada", "nameIdentifiers": [
            {"nameIdentifier": "a b{", "nameIdentifierScheme": "Local", "schemeUri": "https://ids.example.org"}]}]}),
        loads=True, holds="?p <http://schema.org/sameAs> <https://ids.example.org/a%20b%7B>"),
    "icat-facility-url": Found("icat", "d.yaml", "facility:\n  f:\n    name: F\n    url: not a link\n", loads=True,
                               warns="not an http(s) IRI: 'not a link' (not mapped)"),
    "panosc-blank-facility": Found("panosc", "db.json", '{"Instrument": {"1": {"pid": "i", "name": "I", '
                                   '"facility": "  "}}}', loads=True),
    "panosc-blank-title": Found("panosc", "db.json", '{"Dataset": {"1": {"pid": "d", "title": " "}}}',
                                record="Dataset d", field="title", says="missing (only blanks)"),
    "panosc-licence-text": Found("panosc", "db.json", json.dumps({
        "Dataset": {"1": {"pid": "d", "title": "t"}}, "Document": {"1": {"pid": "p", "type": "proposal", "title": "t",
                                                                        "license": "CC BY (any version)"}},
        "DocumentDataset": {"1": {"datasetId": "d", "documentId": "p"}}}), loads=True,
        warns="not a licence IRI or SPDX id: 'CC BY (any version)' (not mapped)"),
    "panosc-record-named-by-its-key": Found("panosc", "db.json", json.dumps({"Person": {"7": json.dumps(
        {"id": {"a": 1}, "fullName": "Ada"})}}), record="Person 7", field="id", says="expected text or an integer"),
    "scicat-licence-not-in-the-spdx-list": Found("scicat", "Dataset.json", dataset(license="proprietary"), loads=True,
                                                 warns="not a licence IRI or SPDX id: 'proprietary' (not mapped)"),
    "scicat-licence-url-with-space": Found("scicat", "Dataset.json", dataset(license="https://x.org/a b"), loads=True,
                                           warns="not a licence IRI or SPDX id"),
    "scicat-pid-key-named": Found("scicat", "OrigDatablock.json", json.dumps([{"_id": [], "datasetId": "d",
                                                                              "dataFileList": []}]),
                                  record="#1", field="_id", says="the record has no PID"),
    "codemeta-status-not-an-iri": Found("codemeta", "codemeta.json", json.dumps({
        "name": "x", "developmentStatus": "https://www.repostatus.org/#active now"}), record="x",
        field="developmentStatus", says="not an absolute IRI"),
    "software-swhid-not-an-iri": Found("software", "c.yaml", "software:\n  - name: x\n    swhid: swh:1:dir:<0>\n",
                                       record="x", field="swhid", says="not an absolute IRI"),
    # owlready2's metaclass conflict on a class typed with a misspelt owl:Class and used as a superclass
    "panet-misspelt-owl-class": Found("panet", "PaNET.ttl", MINI.replace(
        "ex:Diffraction a owl:Class .", "ex:Diffraction a <http://www.w3.org/20G02/07/owl#Class> ."),
        says="owlready2 cannot read it as OWL: TypeError"),
}


@pytest.fixture(autouse=True)
def _no_reasoner(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PANKG_PANET_REASON", "never")


def ask(store: GraphStore, pattern: str) -> bool:
    return bool(store.query(f"ASK {{ {pattern} }}"))


@pytest.mark.parametrize("found", list(CASES.values()), ids=list(CASES))
def test_what_fuzzing_found(tmp_path: Path, found: Found) -> None:
    store = holding(tmp_path, None)
    path = tmp_path / found.name
    path.write_bytes(found.content if isinstance(found.content, bytes) else found.content.encode())
    if found.loads:
        (report,) = load_all(store, found.kind, [path])
        assert report.changed
        assert not found.warns or any(found.warns in str(w) for w in report.warnings), report.warnings
        assert not found.holds or ask(store, found.holds), found.holds
        return
    with pytest.raises(RecordInvalid) as caught:
        load_all(store, found.kind, [path])
    error = caught.value
    assert (error.file, error.record, error.field) == (str(path), found.record, found.field), str(error)
    assert found.says in str(error), str(error)


def test_a_nexus_name_that_is_not_utf8_is_not_read(tmp_path: Path) -> None:
    """h5py gives such a name as bytes, and sorting it among the others' text failed (TypeError)."""
    path = write_nexus(tmp_path / "scan.nxs", {"entry": saxs_entry()})
    with h5py.File(path, "a") as handle:
        handle["entry"].create_dataset(b"caf\xe9", data=1)  # Latin-1: no UTF-8 text
    (report,) = load_all(holding(tmp_path, None), "nexus", [path])
    assert report.entities["Dataset"] == 1


def test_a_nexus_attribute_that_is_not_utf8_is_not_read(tmp_path: Path) -> None:
    """h5py decodes a variable-length string attribute with surrogateescape: "Ang\\udcf3" reached the N-Triples
    writer (UnicodeEncodeError). Such units are no units: the field loads without them, with a warning."""
    path = write_nexus(tmp_path / "scan.nxs", {"entry": saxs_entry()})
    with h5py.File(path, "a") as handle:
        handle["entry/instrument/monochromator/wavelength"].attrs.create(
            "units", b"Ang\xf3", dtype=h5py.string_dtype("utf-8"))
    (report,) = load_all(holding(tmp_path, None), "nexus", [path])
    assert any("no units attribute on a length" in str(w) for w in report.warnings), report.warnings


def test_a_damaged_nexus_file_that_hangs_libhdf5_is_an_error_in_bounded_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One bit flipped in the global heap (byte 2729 of this file, as h5py 3.16 writes it) made libhdf5 spin for
    ever reading the entry's NX_class: the harvest now runs in a worker that is stopped at its time limit.
    Another HDF5 build may lay the file out otherwise; whatever it does, the load ends within the limit."""
    monkeypatch.setattr(nexus_worker, "HARVEST_SECONDS", 3.0)
    content = bytearray(write_nexus(tmp_path / "seed.nxs", {"entry": saxs_entry()}).read_bytes())
    content[2729] ^= 4
    path = tmp_path / "scan.nxs"
    path.write_bytes(bytes(content))
    started = time.monotonic()
    try:
        load_all(holding(tmp_path, None), "nexus", [path])
    except RecordInvalid as error:
        assert error.file == str(path), str(error)
    assert time.monotonic() - started < 15
    assert len(nexus_worker.harvest(tmp_path / "seed.nxs").entries) == 1  # the next file gets a new reader



YAML_BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
    for prev, name in zip(["", *"abcdefgh"], "abcdefghi")
)


def test_a_yaml_alias_bomb_is_refused_and_few_aliases_are_read(tmp_path: Path) -> None:
    """Nine nested levels of nine aliases: a few hundred bytes standing for 387 million nodes (YAML's billion
    laughs). A loader walking that would never end; it is refused while it is read."""
    from loaders.json_yaml import MAX_ALIASED_NODES, read_yaml

    bomb = tmp_path / "dump.yaml"
    bomb.write_text(YAML_BOMB)
    started = time.monotonic()
    with pytest.raises(RecordInvalid, match="aliases stand for more than") as refused:
        read_yaml(bomb)
    assert refused.value.file == str(bomb) and time.monotonic() - started < 5
    fine = tmp_path / "fine.yaml"
    fine.write_text("base: &b {unit: K}\nsample: {temperature: *b}\nother: {temperature: *b}\n")
    assert read_yaml(fine)["other"]["temperature"] == {"unit": "K"} and MAX_ALIASED_NODES >= 1000
