"""NeXus files written with h5py load as raw datasets; their data arrays are never read; bad files load nothing."""

from __future__ import annotations

import doctest
import tracemalloc
from pathlib import Path
from typing import Any

import h5py
import pytest

from graph.errors import RecordInvalid, SourceUnavailable
from graph.model.writer import RdfModel
from graph.store.embedded import GraphStore
from loaders import nexus, nexus_map, nexus_techniques
from loaders.base import LoadOptions, LoadReport, load
from tests.helpers import ROOT, TODAY
from tests.loaders.nexus_files import Big, saxs_entry, write_nexus

PREFIXES = """PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX pankg: <https://w3id.org/pankg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <http://schema.org/>
"""
ID = "https://w3id.org/pankg/id/"


def load_paths(store: GraphStore, *paths: Path, lenient: bool = False) -> list[LoadReport]:
    return [load(store, s, as_of=TODAY) for s in nexus.sources([str(p) for p in paths], LoadOptions(lenient))]


def select(store: GraphStore, query: str, scope: Any = "all") -> list[tuple[str, ...]]:
    _, rows = store.query(PREFIXES + query, scope)
    return sorted(tuple(term.value if term is not None else "" for term in row) for row in rows)


def parameter(store: GraphStore, name: str) -> list[tuple[str, ...]]:
    """(dataset, value, unit, SI value to 6 digits, SI unit) of every parameter called ``name``."""
    rows = select(store, f"""SELECT ?d ?v ?u ?si ?siu WHERE {{ ?d pankg:parameter ?p . ?p pankg:parameterName "{name}" ;
        pankg:value ?v . OPTIONAL {{ ?p pankg:unit ?u }} OPTIONAL {{ ?p pankg:siValue ?si ; pankg:siUnit ?siu }} }}""")
    return [(d, v, u, f"{float(si):.6g}" if si else "", siu) for d, v, u, si, siu in rows]


# -- the mapping ------------------------------------------------------------------------------------


def test_a_saxs_file_becomes_a_raw_dataset_with_sample_instrument_people_and_technique(
        tmp_path: Path, store: GraphStore) -> None:
    write_nexus(tmp_path / "saxs" / "run_0001.nxs", {"entry": saxs_entry()})
    (report,) = load_paths(store, tmp_path)
    assert report.warnings == []
    assert dict(report.entities) == {"Technique": 1, "Sample": 1, "Instrument": 1, "Organization": 1,
                                     "Person": 2, "Dataset": 1}
    ds = f"{ID}dataset/saxs%2Frun_0001.nxs%23entry"
    assert select(store, """SELECT ?d ?id ?title ?created ?desc ?tech ?techLabel ?proposal WHERE {
        ?d a pankg:RawDataset ; dcterms:identifier ?id ; dcterms:title ?title ; dcterms:created ?created ;
           dcterms:description ?desc ; pankg:technique ?tech ; pankg:proposal ?proposal .
        ?tech rdfs:label ?techLabel }""") == [(
        ds, "saxs/run_0001.nxs#entry", "Silica nanoparticles in water, 25 C", "2021-03-14T09:26:53+01:00",
        "Aggregation of silica nanoparticles under shear.", "http://purl.org/pan-science/PaNET/PaNET01188",
        "small angle x-ray scattering", f"{ID}proposal/SC-5432")]
    assert select(store, """SELECT ?name ?formula ?desc WHERE { ?d pankg:sample ?s .
        ?s a pankg:Sample ; rdfs:label ?name ; pankg:chemicalFormula ?formula ; dcterms:description ?desc }""") == [
        ("SiO2 nanoparticles, 20 nm", "SiO2", "Ludox TM-50 diluted to 1 wt%")]
    assert parameter(store, "temperature") == [(ds, "298.15", "K", "298.15", "K")]
    assert parameter(store, "thickness") == [(ds, "1.5", "mm", "0.0015", "m")]
    assert parameter(store, "wavelength") == [(ds, "0.99987", "Angstrom", "9.9987e-11", "m")]
    assert parameter(store, "source_probe") == [(ds, "x-ray", "", "", "")]
    assert parameter(store, "source_type") == [(ds, "Synchrotron X-ray Source", "", "", "")]
    assert parameter(store, "program_version") == [(ds, "1.11.0", "", "", "")]
    assert parameter(store, "entry_identifier") == [(ds, "17", "", "", "")]  # a scan number: kept, not the PID
    assert parameter(store, "unit_cell_abc") == []  # an array: not read
    assert select(store, "SELECT ?i ?label WHERE { ?d pankg:instrument ?i . ?i a pankg:Instrument ; rdfs:label ?label }") == [
        (f"{ID}instrument/ESRF%2FID02", "ID02 Time-Resolved Ultra Small-Angle X-Ray Scattering")]
    assert select(store, """SELECT ?p ?name ?aff WHERE { ?d dcterms:creator ?p . ?p rdfs:label ?name ;
        schema:affiliation ?aff }""") == [
        ("https://orcid.org/0000-0002-1825-0097", "Josiah Carberry", f"{ID}organization/Brown%20University"),
        (f"{ID}person/user_lc@saxs%2Frun_0001.nxs%23entry", "Local Contact", "https://ror.org/02550n020")]
    assert select(store, "SELECT ?path ?size WHERE { ?d dcterms:hasPart ?f . ?f pankg:filePath ?path ; <http://www.w3.org/ns/dcat#byteSize> ?size }") == [
        ("saxs/run_0001.nxs", str((tmp_path / "saxs" / "run_0001.nxs").stat().st_size))]


def test_personal_contact_data_never_reaches_the_graph(tmp_path: Path, store: GraphStore) -> None:
    load_paths(store, write_nexus(tmp_path / "a.nxs", {"entry": saxs_entry()}))
    assert store.query('ASK { GRAPH ?g { ?s ?p ?o FILTER(CONTAINS(STR(?o), "example.org")) } }') is False
    assert store.query('ASK { GRAPH ?g { ?s ?p ?o FILTER(CONTAINS(STR(?o), "principal_investigator")) } }') is False


def test_two_entries_give_two_datasets_sharing_instrument_technique_and_orcid_person(
        tmp_path: Path, store: GraphStore) -> None:
    path = write_nexus(tmp_path / "two.nxs", {"entry1": saxs_entry("First"), "entry2": saxs_entry("Second")})
    (report,) = load_paths(store, path)
    assert report.entities["Dataset"] == 2
    assert report.entities["Instrument"] == report.entities["Technique"] == 1
    assert report.entities["Person"] == 3  # one ORCID person, and the local contact once per dataset
    assert select(store, "SELECT ?id ?t WHERE { ?d a pankg:RawDataset ; dcterms:identifier ?id ; dcterms:title ?t }") == [
        ("two.nxs#entry1", "First"), ("two.nxs#entry2", "Second")]
    assert select(store, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?d dcterms:creator ?p }") == [("3",)]


def test_people_are_identified_by_orcid_and_never_merged_by_name(tmp_path: Path, store: GraphStore) -> None:
    other = saxs_entry()
    del other["user_pi"]["ORCID"]
    other["user_pi"]["facility_user_id"] = "0000-0002-1825-0097"  # an ORCID-looking identifier
    bad = saxs_entry()
    bad["user_pi"]["ORCID"] = "0000-0002-1825-0098"  # wrong check digit
    reports = load_paths(store, write_nexus(tmp_path / "a.nxs", {"entry": saxs_entry()}),
                         write_nexus(tmp_path / "b.nxs", {"entry": other}),
                         write_nexus(tmp_path / "c.nxs", {"entry": bad}))
    people = select(store, "SELECT ?d ?p WHERE { ?d dcterms:creator ?p ; dcterms:identifier ?id }")
    carberry = {d for d, p in people if p == "https://orcid.org/0000-0002-1825-0097"}
    assert carberry == {f"{ID}dataset/a.nxs%23entry", f"{ID}dataset/b.nxs%23entry"}
    assert (f"{ID}dataset/c.nxs%23entry", f"{ID}person/user_pi@c.nxs%23entry") in people
    local = {p for _, p in people if "user_lc" in p}
    assert len(local) == 3  # the same name in three datasets: three people
    (warning,) = reports[2].warnings
    assert (warning.record, warning.field) == ("/entry", "/entry/user_pi/ORCID")
    assert "not a valid ORCID" in warning.message


def test_kev_and_ev_give_equal_si_values(tmp_path: Path, store: GraphStore) -> None:
    load_paths(store, write_nexus(tmp_path / "kev.nxs", {"entry": saxs_entry(energy=(8, "keV"))}),
               write_nexus(tmp_path / "ev.nxs", {"entry": saxs_entry(energy=(8000, "eV"))}))
    rows = parameter(store, "incident_energy")
    assert [(v, u) for _, v, u, _, _ in rows] == [("8000", "eV"), ("8", "keV")]
    assert select(store, """SELECT (COUNT(DISTINCT ?si) AS ?n) (COUNT(?d) AS ?datasets) WHERE {
        ?d pankg:parameter ?p . ?p pankg:parameterName "incident_energy" ; pankg:siValue ?si }""") == [("1", "2")]
    assert select(store, """SELECT ?id WHERE { ?d dcterms:identifier ?id ; pankg:parameter ?p .
        ?p pankg:parameterName "incident_energy" ; pankg:siValue ?si FILTER(?si > 1.28e-15 && ?si < 1.29e-15) }""") == [
        ("ev.nxs#entry",), ("kev.nxs#entry",)]


@pytest.mark.parametrize(("fields", "pid"), [
    ({}, "sub/run.nxs#entry"),
    ({"entry_identifier": "10.5072/ESRF-SC-5432-17"}, "https://doi.org/10.5072/esrf-sc-5432-17"),
    ({"entry_identifier": "20.500.12269/0f4e5a"}, f"{ID}dataset/20.500.12269%2F0f4e5a"),
    ({"entry_identifier_uuid": "B6E2E3F6-1D2C-4F4B-9A38-0C5D0F3E7A11"},
     f"{ID}dataset/urn:uuid:b6e2e3f6-1d2c-4f4b-9a38-0c5d0f3e7a11"),
])
def test_the_pid_rule(tmp_path: Path, store: GraphStore, fields: dict[str, str], pid: str) -> None:
    entry = saxs_entry()
    entry.update(fields)
    write_nexus(tmp_path / "sub" / "run.nxs", {"entry": entry})
    load_paths(store, tmp_path)
    (dataset,) = select(store, "SELECT ?d WHERE { ?d a pankg:RawDataset }")
    assert dataset[0] == (pid if pid.startswith("http") else f"{ID}dataset/{pid.replace('/', '%2F').replace('#', '%23')}")


def test_a_file_given_by_itself_is_named_relative_to_its_directory_and_a_doi_covers_the_dataset(
        tmp_path: Path, store: GraphStore) -> None:
    entry = saxs_entry()
    entry["experiment_identifier"] = "doi:10.5072/ESRF-ES-1234"  # an experiment DOI: it covers the dataset
    load_paths(store, write_nexus(tmp_path / "sub" / "run.nxs", {"entry": entry}))
    assert select(store, "SELECT ?id ?doi WHERE { ?d dcterms:identifier ?id ; pankg:doi ?doi }") == [
        ("run.nxs#entry", "https://doi.org/10.5072/esrf-es-1234")]
    assert select(store, "SELECT ?p WHERE { ?d pankg:proposal ?p }") == []


@pytest.mark.parametrize(("definition", "probe", "technique"), [
    ("NXsas", "neutron", "PaNET01189"),
    ("NXsas", "muon", "PaNET01124"),
    ("NXmx", "x-ray", "PaNET01164"),
    ("NXtomo", "x-ray", "PaNET01207"),
    ("NXscan", "x-ray", None),
])
def test_the_application_definition_and_probe_give_the_technique(
        tmp_path: Path, store: GraphStore, definition: str, probe: str, technique: str | None) -> None:
    entry = saxs_entry()
    entry["definition"] = definition
    entry["instrument"]["source"]["probe"] = probe
    load_paths(store, write_nexus(tmp_path / "a.nxs", {"entry": entry}))
    found = [t for (t,) in select(store, "SELECT ?t WHERE { ?d pankg:technique ?t }")]
    assert found == ([f"http://purl.org/pan-science/PaNET/{technique}"] if technique else [])


def test_a_subentry_definition_adds_its_technique_and_a_second_sample_qualifies_its_parameters(
        tmp_path: Path, store: GraphStore) -> None:
    entry = saxs_entry()
    entry["xas"] = {"@NX_class": "NXsubentry", "definition": "NXxas"}
    entry["sample_cell"] = {"@NX_class": "NXsample", "name": "Quartz capillary", "temperature": (300.0, {"units": "K"})}
    load_paths(store, write_nexus(tmp_path / "a.nxs", {"entry": entry}))
    assert select(store, "SELECT ?t WHERE { ?d pankg:technique ?t }") == [
        ("http://purl.org/pan-science/PaNET/PaNET01188",), ("http://purl.org/pan-science/PaNET/PaNET01196",)]
    assert select(store, "SELECT ?name WHERE { ?d pankg:sample ?s . ?s rdfs:label ?name }") == [
        ("Quartz capillary",), ("SiO2 nanoparticles, 20 nm",)]
    assert [v for _, v, *_ in parameter(store, "temperature")] == ["298.15"]
    assert [v for _, v, *_ in parameter(store, "sample_cell/temperature")] == ["300"]


def test_the_technique_table_holds_real_panet_terms(shared: Path) -> None:
    import rdflib
    from rdflib.namespace import OWL, RDF, RDFS

    panet = rdflib.Graph().parse(shared / "reference" / "panet" / "PaNET-1.3.0.owl")
    for definition, row in nexus_techniques.BY_DEFINITION.items():
        for technique in row.values():
            term = rdflib.URIRef(technique.iri)
            assert (term, RDF.type, OWL.Class) in panet, f"{definition}: {technique.iri} is not a PaNET class"
            assert str(panet.value(term, RDFS.label)) == technique.label, definition


def test_module_examples_and_mapping_doc_are_in_step_with_the_code() -> None:
    assert doctest.testmod(nexus_techniques).failed == 0
    doc = (ROOT / "docs" / "mapping-nexus.md").read_text()
    for definition, row in nexus_techniques.BY_DEFINITION.items():
        assert f"`{definition}`" in doc
        assert all(t.iri.rsplit("/", 1)[1] in doc for t in row.values()), definition
    for fields in nexus_map.QUANTITIES.values():
        assert all(f"`{name}`" in doc for name in fields)


# -- what is never read ---------------------------------------------------------------------------


def test_the_detector_arrays_are_never_read(tmp_path: Path, store: GraphStore) -> None:
    """Arrays whose values live in external raw files, which are then deleted: reading any element now
    raises. The 2000x2000 image (in NXdetector, linked from NXdata) and a one-element NXdata field prove
    those groups are never entered; a 100000-element array in NXsample proves that the groups which are
    entered have their arrays skipped. The load succeeds and the harvest met no read error."""
    entry = saxs_entry(detector=Big((2000, 2000), external=tmp_path / "image.raw"))
    entry["data"]["count_time"] = Big((1,), "float64", external=tmp_path / "count_time.raw")
    entry["sample"]["temperature_log"] = Big((100_000,), "float64", external=tmp_path / "log.raw")
    path = write_nexus(tmp_path / "saxs.nxs", {"entry": entry})
    for raw in ("image.raw", "count_time.raw", "log.raw"):
        (tmp_path / raw).unlink()
    with h5py.File(path) as handle:
        for name in ("entry/data/data", "entry/instrument/detector/data", "entry/data/count_time",
                     "entry/sample/temperature_log"):
            with pytest.raises(OSError, match="external raw data file"):
                handle[name][(0,) * handle[name].ndim]
    (source,) = nexus.sources([str(path)])
    report = load(store, source, as_of=TODAY)
    assert report.warnings == [] and report.entities["Dataset"] == 1
    harvest = source.harvest()
    fields = [f for e in harvest.entries for g in e.groups for f in g.fields.values()]
    assert [f.path for f in fields if f.problem] == []
    assert {g.nx_class for e in harvest.entries for g in e.groups} == {
        "NXentry", "NXsample", "NXinstrument", "NXsource", "NXmonochromator", "NXuser"}


def test_an_in_file_array_is_not_read_into_memory(tmp_path: Path) -> None:
    """tracemalloc sees numpy's buffers: reading the 32 MB image would show as a 32 MB peak."""
    path = write_nexus(tmp_path / "saxs.nxs", {"entry": saxs_entry(detector=Big((2000, 2000), "float64"))})
    assert path.stat().st_size > 32_000_000
    (source,) = nexus.sources([str(path)])
    tracemalloc.start()
    try:
        source.content_hash()
        quads = list(source.quads(RdfModel(), LoadReport(nexus.NAME, source.location)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(quads) > 50
    assert peak < 2_000_000


# -- bad input ------------------------------------------------------------------------------------


def with_sample_field(name: str, value: Any) -> dict[str, Any]:
    entry = saxs_entry("Bad one")
    entry["sample"][name] = value
    return entry


def test_a_wrong_type_in_strict_mode_loads_nothing_and_leaves_the_store_as_it_was(
        tmp_path: Path, store: GraphStore) -> None:
    path = write_nexus(tmp_path / "two.nxs", {"entry1": saxs_entry("Good")})
    load_paths(store, path)
    count, titles = store.count(), select(store, "SELECT ?t WHERE { ?d dcterms:title ?t }")
    write_nexus(path, {"entry1": saxs_entry("Good, again"), "entry2": with_sample_field("temperature", ("hot", {"units": "K"}))})
    with pytest.raises(RecordInvalid, match=r"^file .*two\.nxs, record /entry2, field /entry2/sample/temperature: "
                                            r"expected a number, got text 'hot'$"):
        load_paths(store, path)
    assert store.count() == count
    assert select(store, "SELECT ?t WHERE { ?d dcterms:title ?t }") == titles == [("Good",)]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("title", 3.5, "expected text, got a number 3.5"),
    ("definition", 7, "expected text, got an integer 7"),
    ("entry_identifier_uuid", "run-17", "not a UUID: 'run-17'"),
])
def test_wrong_entry_fields_name_the_field(tmp_path: Path, store: GraphStore, field: str, value: Any, message: str) -> None:
    entry = saxs_entry()
    entry[field] = value
    with pytest.raises(RecordInvalid, match=rf"record /entry, field /entry/{field}: {message}$"):
        load_paths(store, write_nexus(tmp_path / "a.nxs", {"entry": entry}))
    assert len(store.sources) == 0


def test_lenient_loads_the_good_entries_and_lists_the_bad(tmp_path: Path, store: GraphStore) -> None:
    bad_date = saxs_entry("Bad date")
    bad_date["start_time"] = "yesterday"
    path = write_nexus(tmp_path / "three.nxs", {
        "entry1": saxs_entry("Good"),
        "entry2": with_sample_field("temperature", ("hot", {"units": "K"})),
        "entry3": bad_date,
    })
    (report,) = load_paths(store, path, lenient=True)
    assert report.entities["Dataset"] == 1
    assert select(store, "SELECT ?t WHERE { ?d a pankg:RawDataset ; dcterms:title ?t }") == [("Good",)]
    assert [(w.file, w.record, w.field) for w in report.warnings] == [
        (str(path), "/entry2", "/entry2/sample/temperature"), (str(path), "/entry3", "/entry3/start_time")]
    assert "expected an ISO 8601 date and time, got text 'yesterday'" in report.skipped[1]


def test_an_unknown_unit_is_a_warning_and_the_parameter_is_kept(tmp_path: Path, store: GraphStore) -> None:
    entry = with_sample_field("pressure", (2.5, {"units": "mbarg"}))
    entry["sample"]["temperature"] = (25.0, {"units": "C"})  # UDUNITS' C is the coulomb
    entry["sample"]["magnetic_field"] = (1.5, {})
    (report,) = load_paths(store, write_nexus(tmp_path / "a.nxs", {"entry": entry}))
    assert report.entities["Dataset"] == 1
    assert sorted((w.field, w.message) for w in report.warnings) == [
        ("/entry/sample/pressure", "unknown unit 'mbarg': kept without an SI value"),
        ("/entry/sample/temperature", "unit 'C' is not a unit of temperature: kept without an SI value")]
    ds = f"{ID}dataset/a.nxs%23entry"
    assert parameter(store, "pressure") == [(ds, "2.5", "mbarg", "", "")]
    assert parameter(store, "temperature") == [(ds, "25", "C", "", "")]
    assert parameter(store, "magnetic_field") == [(ds, "1.5", "", "1.5", "")]  # NX_ANY: no unit is no error


def test_a_missing_title_and_an_array_where_a_value_belongs_are_warnings(tmp_path: Path, store: GraphStore) -> None:
    entry = saxs_entry()
    del entry["title"]
    entry["sample"]["temperature"] = ([290.0, 291.0, 292.5], {"units": "K"})
    (report,) = load_paths(store, write_nexus(tmp_path / "a.nxs", {"entry": entry}))
    assert [(w.field, w.message) for w in report.warnings] == [
        ("/entry/title", "no title: titled 'a.nxs, entry' after its file and entry"),
        ("/entry/sample/temperature", "an array of shape (3,), not read (only single values are harvested)")]
    assert select(store, "SELECT ?t WHERE { ?d dcterms:title ?t }") == [("a.nxs, entry",)]


@pytest.mark.parametrize(("content", "message"), [
    (b"title,temperature\nsilica,298\n", r"not an HDF5 file"),
    (None, r"cannot read as HDF5"),  # the first 2 kB of a real NeXus file: a signature, then nothing
    ("no entry", r"no NXentry group at the top of the file: not a NeXus file"),
])
def test_files_that_are_not_nexus_fail_naming_the_file_in_both_modes(
        tmp_path: Path, store: GraphStore, content: bytes | str | None, message: str) -> None:
    load_paths(store, write_nexus(tmp_path / "good.nxs", {"entry": saxs_entry()}))
    count = store.count()
    path = tmp_path / "bad.nxs"
    if content is None:
        path.write_bytes((tmp_path / "good.nxs").read_bytes()[:2048])
    elif isinstance(content, str):
        with h5py.File(path, "w") as handle:
            handle.create_group("scan").create_dataset("counts", data=[1, 2, 3])
    else:
        path.write_bytes(content)
    for lenient in (False, True):
        with pytest.raises(RecordInvalid, match=rf"^file {path}: {message}"):
            load_paths(store, path, lenient=lenient)
    assert store.count() == count


# -- sources and reloads --------------------------------------------------------------------------


def test_reloading_the_same_file_gives_identical_counts(tmp_path: Path, store: GraphStore) -> None:
    path = write_nexus(tmp_path / "two.nxs", {"entry1": saxs_entry("First"), "entry2": saxs_entry("Second")})
    (first,) = load_paths(store, path)
    count = store.count()
    (again,) = load_paths(store, path)
    assert not again.changed and store.count() == count
    (source,) = nexus.sources([str(path)])
    forced = load(store, source, as_of=TODAY, force=True)
    assert forced.changed and forced.entities == first.entities and store.count() == count
    assert first.result is not None and forced.result is not None
    assert [g.triples for g in forced.result.source.graphs] == [g.triples for g in first.result.source.graphs]


def test_embargo_follows_the_measurement_dates(tmp_path: Path, store: GraphStore) -> None:
    recent, undated = saxs_entry("Recent"), saxs_entry("Undated")
    recent["start_time"], recent["end_time"] = "2026-10-01T08:00:00", "2026-10-02T08:00:00"
    del undated["start_time"], undated["end_time"]
    load_paths(store, write_nexus(tmp_path / "a.nxs", {"old": saxs_entry("Old"), "recent": recent, "undated": undated}))
    assert select(store, "SELECT ?t WHERE { ?d dcterms:title ?t }", "public") == [("Old",)]
    assert select(store, "SELECT ?id ?end WHERE { ?d pankg:accessLevel pankg:Restricted ; dcterms:identifier ?id "
                         "OPTIONAL { ?d pankg:embargoEndDate ?end } }", "public") == [
        ("a.nxs#recent", "2029-10-02"), ("a.nxs#undated", "")]
    assert select(store, "SELECT ?c WHERE { ?d dcterms:title 'Recent' ; dcterms:created ?c }") == [
        ("2026-10-01T08:00:00",)]  # no offset in the file: none invented


def test_sources_find_nexus_files_under_directories(tmp_path: Path) -> None:
    for name in ("a.nxs", "sub/b.h5", "sub/c.HDF5", "d.nx5"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "notes.txt").write_text("not NeXus")
    found = nexus.sources([str(tmp_path), str(tmp_path / "a.nxs"), str(tmp_path / "notes.txt")])
    assert [s.relative for s in found] == ["a.nxs", "d.nx5", "sub/b.h5", "sub/c.HDF5", "notes.txt"]
    with pytest.raises(SourceUnavailable, match="no such file"):
        nexus.sources([str(tmp_path / "missing.nxs")])
