"""Crossref loader: every field of a realistic work answer found by SPARQL; a paper's reference list reaches the
dataset and software DOIs of the graph, found from the dataset's side and counted once; people merged by ORCID
across Crossref, CodeMeta and SciCat but never by name; reloads change nothing; bad input names file, record
and field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graph.errors import RecordInvalid
from graph.store.embedded import GraphStore
from loaders import LOADERS
from loaders.base import LoadOptions, LoadReport, load
from tests.helpers import TODAY
from tests.loaders.test_scicat import dataset, write

P = """PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX cito: <http://purl.org/spar/cito/>
PREFIX schema: <http://schema.org/> PREFIX pankg: <https://w3id.org/pankg/ontology#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX dcrel: <https://w3id.org/pankg/datacite-relation#> """
CARBERRY = "0000-0002-1825-0097"
PAPER = "https://doi.org/10.1107/s2059798326000001"


def work(doi: str = "10.1107/S2059798326000001", **fields: Any) -> dict[str, Any]:
    """A work as Crossref's REST API gives it (``/works/{doi}``, ``message``), trimmed of bookkeeping."""
    return {
        "indexed": {"date-parts": [[2026, 3, 4]], "date-time": "2026-03-04T10:11:12Z", "timestamp": 1772619072000},
        "reference-count": 3, "publisher": "International Union of Crystallography (IUCr)", "issue": "3",
        "license": [{"start": {"date-parts": [[2026, 3, 1]]}, "content-version": "vor", "delay-in-days": 0,
                     "URL": "https://creativecommons.org/licenses/by/4.0/"}],
        "content-domain": {"domain": [], "crossmark-restriction": False},
        "short-container-title": ["Acta Cryst D"],
        "abstract": "<jats:p>Room-temperature data of <jats:italic>lysozyme</jats:italic>.</jats:p>",
        "DOI": doi, "type": "journal-article",
        "created": {"date-parts": [[2026, 2, 20]], "date-time": "2026-02-20T08:00:00Z", "timestamp": 1771574400000},
        "page": "101-110", "source": "Crossref", "is-referenced-by-count": 0,
        "title": ["Room-temperature lysozyme"], "subtitle": ["a serial study"], "prefix": "10.1107", "volume": "82",
        "author": [
            {"ORCID": f"https://orcid.org/{CARBERRY}", "authenticated-orcid": True, "given": "Josiah",
             "family": "Carberry", "sequence": "first",
             "affiliation": [{"name": "ESRF", "id": [{"id": "https://ror.org/02550n020", "id-type": "ROR",
                                                       "asserted-by": "publisher"}]}]},
            {"given": "Ada", "family": "Lovelace", "sequence": "additional", "affiliation": [{"name": "Analytical Engine Lab"}]},
        ],
        "editor": [{"given": "Grace", "family": "Hopper", "sequence": "first", "affiliation": []}],
        "member": "55", "reference": [
            {"key": "ref1", "doi-asserted-by": "publisher", "DOI": "10.5072/ESRF-ES-1"},
            {"key": "ref2", "DOI": "10.5281/zenodo.100", "doi-asserted-by": "crossref"},
            {"key": "ref3", "unstructured": "Kabsch, W. (2010). XDS. Acta Cryst. D66, 125-132."},
            {"key": "ref4", "author": "Winn", "year": "2011", "journal-title": "Acta Cryst. D", "volume": "67",
             "first-page": "235"},
        ],
        "container-title": ["Acta Crystallographica Section D Structural Biology"], "original-title": [],
        "language": "en", "link": [], "deposited": {"date-parts": [[2026, 3, 2]]}, "score": 1,
        "issued": {"date-parts": [[2026, 3]]}, "published": {"date-parts": [[2026, 3]]},
        "published-online": {"date-parts": [[2026, 3, 1]]}, "published-print": {"date-parts": [[2026, 3]]},
        "URL": "https://doi.org/10.1107/S2059798326000001", "ISSN": ["2059-7983"],
        "issn-type": [{"value": "2059-7983", "type": "electronic"}], "subject": ["Structural Biology"],
        **fields,
    }


def answer(*works: dict[str, Any]) -> dict[str, Any]:
    if len(works) == 1:
        return {"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": works[0]}
    return {"status": "ok", "message-type": "work-list", "message-version": "1.0.0",
            "message": {"items-per-page": 20, "query": {"start-index": 0}, "total-results": len(works), "items": list(works)}}


def load_crossref(store: GraphStore, *paths: Path, lenient: bool = False) -> list[LoadReport]:
    return [load(store, s, as_of=TODAY) for s in LOADERS["crossref"]([str(p) for p in paths], LoadOptions(lenient))]


def data_triples(store: GraphStore) -> int:
    """Triples of the loaded sources (the store's own base-IRI record aside)."""
    _, rows = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "public")
    return int(next(iter(rows))[0].value)


def ask(store: GraphStore, body: str) -> bool:
    return bool(store.query(P + "ASK { " + body + " }"))


def test_every_field_of_a_work_is_in_the_graph(tmp_path: Path, store: GraphStore) -> None:
    (report,) = load_crossref(store, write(tmp_path, "work.json", answer(work())))
    assert report.entities["Publication"] == 1 and report.warnings == []
    p = f"<{PAPER}>"
    for body in [
        f"{p} a pankg:Publication, foaf:Document ; dcterms:title 'Room-temperature lysozyme: a serial study'",
        f"{p} dcterms:type 'journal-article' ; dcterms:publisher 'International Union of Crystallography (IUCr)'",
        f"{p} dcterms:bibliographicCitation 'Acta Crystallographica Section D Structural Biology'",
        f"{p} schema:issn '2059-7983' ; schema:volumeNumber '82' ; schema:issueNumber '3' ; schema:pagination '101-110'",
        f"{p} dcterms:abstract 'Room-temperature data of lysozyme .' ; dcterms:language 'en'",
        f"{p} schema:url <https://doi.org/10.1107/S2059798326000001> ; schema:keywords 'Structural Biology'",
        f"{p} dcterms:license <https://creativecommons.org/licenses/by/4.0/>",
        f"{p} dcterms:issued '2026-03'^^<http://www.w3.org/2001/XMLSchema#gYearMonth>",
        f"{p} schema:datePublished '2026-03-01'^^xsd:date ; dcterms:created '2026-02-20'^^xsd:date",
        f"{p} dcterms:creator <https://orcid.org/{CARBERRY}> . <https://orcid.org/{CARBERRY}> foaf:name 'Josiah Carberry' ;"
        " schema:givenName 'Josiah' ; schema:familyName 'Carberry' ; schema:affiliation <https://ror.org/02550n020> ."
        " <https://ror.org/02550n020> foaf:name 'ESRF'",
        f"{p} dcterms:creator ?ada . ?ada foaf:name 'Ada Lovelace' ; schema:affiliation ?lab . ?lab foaf:name 'Analytical Engine Lab'",
        f"{p} dcterms:contributor ?ed . ?ed foaf:name 'Grace Hopper'",
        f"{p} cito:cites <https://doi.org/10.5072/esrf-es-1>, <https://doi.org/10.5281/zenodo.100>",
        f"{p} dcterms:references 'Kabsch, W. (2010). XDS. Acta Cryst. D66, 125-132.', 'Winn (2011). Acta Cryst. D 67 235'",
    ]:
        assert ask(store, body), body


def test_a_full_date_is_an_xsd_date_and_a_list_page_loads_every_work(tmp_path: Path, store: GraphStore) -> None:
    works = [work("10.5072/p1", issued={"date-parts": [[2025, 1, 2]]}), work("10.5072/p2", issued={"date-parts": [[2024]]})]
    (report,) = load_crossref(store, write(tmp_path, "page.json", answer(*works)))
    assert report.entities["Publication"] == 2
    assert ask(store, "<https://doi.org/10.5072/p1> dcterms:issued '2025-01-02'^^xsd:date")
    assert ask(store, "<https://doi.org/10.5072/p2> dcterms:issued '2024'^^xsd:gYear")


def test_a_citation_is_found_from_the_dataset_side_and_counted_once(tmp_path: Path, store: GraphStore) -> None:
    """The dataset comes from SciCat (PublishedData covers it with a DOI); the DataCite record of that DOI says
    IsCitedBy the paper, and the paper's Crossref reference list cites the DOI: one edge."""
    write(tmp_path, "Dataset.json", [dataset("ds-1")])
    write(tmp_path, "PublishedData.json", [{"_id": "10.5072/ESRF-ES-1", "title": "Data", "creator": ["Ada Lovelace"],
                                            "publicationYear": 2025, "pidArray": ["ds-1"]}])
    for source in LOADERS["scicat"]([str(tmp_path / "Dataset.json"), str(tmp_path / "PublishedData.json")]):
        load(store, source, as_of=TODAY)
    datacite = write(tmp_path / "..", "dc.json", {"data": {"id": "10.5072/esrf-es-1", "type": "dois", "attributes": {
        "doi": "10.5072/esrf-es-1", "titles": [{"title": "Data"}], "types": {"resourceTypeGeneral": "Dataset"},
        "relatedIdentifiers": [{"relatedIdentifier": "10.1107/S2059798326000001", "relatedIdentifierType": "DOI",
                                "relationType": "IsCitedBy"}]}}})
    for source in LOADERS["datacite"]([str(datacite)]):
        load(store, source, as_of=TODAY)
    crossref_dir = tmp_path / "crossref"
    crossref_dir.mkdir()
    load_crossref(store, write(crossref_dir, "work.json", answer(work())))
    ds = f"<{store.minter.iri('dataset', 'ds-1')}>"
    _, rows = store.query(P + f"SELECT DISTINCT ?paper ?title WHERE {{ {ds} pankg:doi ?doi . ?paper cito:cites ?doi ; dcterms:title ?title }}")
    assert [(r[0].value, r[1].value) for r in rows] == [(PAPER, "Room-temperature lysozyme: a serial study")]
    _, rows = store.query(P + "SELECT (COUNT(DISTINCT ?paper) AS ?n) WHERE { ?paper cito:cites <https://doi.org/10.5072/esrf-es-1> }")
    assert [int(r[0].value) for r in rows] == [1]
    # The API counts the edge once although two sources state it (the GraphQL citation fields, issue 6).
    from tests.resolvers.test_graphql_helpers import gql

    found = gql(store, '{ dataset(pid: "ds-1") { citationCount citedBy { iri } dois { citationCount } } }')["dataset"]
    assert found == {"citationCount": 1, "citedBy": [{"iri": PAPER}], "dois": [{"citationCount": 1}]}


def test_people_merge_by_orcid_across_sources_and_never_by_name(tmp_path: Path, store: GraphStore) -> None:
    write(tmp_path, "Dataset.json", [dataset("ds-1", orcidOfOwner=CARBERRY, owner="Josiah Carberry")])
    for source in LOADERS["scicat"]([str(tmp_path / "Dataset.json")]):
        load(store, source, as_of=TODAY)
    (tmp_path / "cr").mkdir()
    load_crossref(store, write(tmp_path / "cr", "work.json", answer(work())))
    codemeta = {"@type": "SoftwareSourceCode", "name": "lysotools", "author": [
        {"@type": "Person", "@id": f"http://orcid.org/{CARBERRY}", "givenName": "Josiah", "familyName": "Carberry",
         "affiliation": {"@type": "Organization", "@id": "https://ror.org/02550n020", "name": "ESRF"}},
        {"@type": "Person", "givenName": "Ada", "familyName": "Lovelace", "affiliation": "Analytical Engine Lab"}]}
    for source in LOADERS["codemeta"]([str(_codemeta(tmp_path, codemeta))]):
        load(store, source, as_of=TODAY)
    ds = f"<{store.minter.iri('dataset', 'ds-1')}>"
    sw = f"<{store.minter.iri('software', 'lysotools')}>"
    _, rows = store.query(P + f"SELECT DISTINCT ?who WHERE {{ <{PAPER}> dcterms:creator ?who . {sw} schema:author ?who ."
                              f" ?ds dcterms:creator|pankg:principalInvestigator ?who FILTER(?ds = {ds}) }}")
    assert [r[0].value for r in rows] == [f"https://orcid.org/{CARBERRY}"]
    _, rows = store.query(P + "SELECT DISTINCT ?who WHERE { ?who foaf:name 'Ada Lovelace' }")
    assert len(list(rows)) == 2, "the same name in two records is two people"
    _, rows = store.query(P + "SELECT DISTINCT ?org WHERE { ?org foaf:name 'Analytical Engine Lab' }")
    assert len(list(rows)) == 2, "an affiliation without ROR stays on its record"
    assert ask(store, "<https://ror.org/02550n020> foaf:name 'ESRF' . ?a schema:affiliation <https://ror.org/02550n020>")


def _codemeta(folder: Path, record: dict[str, Any]) -> Path:
    path = folder / "codemeta.json"
    path.write_text(json.dumps(record))
    return path


def test_reloading_changes_nothing(tmp_path: Path, store: GraphStore) -> None:
    path = write(tmp_path, "work.json", answer(work()))
    (first,) = load_crossref(store, path)
    count = store.count()
    (again,) = load_crossref(store, path)
    assert first.changed and not again.changed and store.count() == count
    (forced,) = [load(store, s, as_of=TODAY, force=True) for s in LOADERS["crossref"]([str(path)])]
    assert forced.changed and store.count() == count


@pytest.mark.parametrize("change,record,field", [
    ({"DOI": None}, "#2", "DOI"),
    ({"DOI": "not-a-doi"}, "not-a-doi", "DOI"),
    ({"title": "A title, not a list"}, "10.5072/bad", "title"),
    ({"title": []}, "10.5072/bad", "title"),
    ({"issued": {"date-parts": [["2026", 3]]}}, "10.5072/bad", "issued.date-parts"),
    ({"author": [{"given": "X", "family": "Y", "affiliation": "ESRF"}]}, "10.5072/bad", "author[1].affiliation"),
    ({"reference": {"DOI": "10.5072/x"}}, "10.5072/bad", "reference"),
])
def test_a_bad_work_fails_its_file_strictly_and_is_skipped_leniently(
    tmp_path: Path, store: GraphStore, change: dict[str, Any], record: str, field: str
) -> None:
    bad = {**work("10.5072/bad"), **change}
    if bad["DOI"] is None:
        del bad["DOI"]
    path = write(tmp_path, "works.json", answer(work("10.5072/good"), bad))
    empty = data_triples(store)
    with pytest.raises(RecordInvalid) as caught:
        load_crossref(store, path)
    assert (caught.value.file, caught.value.record, caught.value.field) == (str(path), record, field)
    assert data_triples(store) == empty
    (report,) = load_crossref(store, path, lenient=True)
    assert report.entities["Publication"] == 1 and len(report.skipped) == 1
    assert (report.warnings[-1].record, report.warnings[-1].field) == (record, field)
    assert ask(store, "<https://doi.org/10.5072/good> a pankg:Publication")


def test_malformed_json_loads_nothing_in_either_mode(tmp_path: Path, store: GraphStore) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"status": "ok", "message": {"DOI": ')
    empty = data_triples(store)
    for lenient in (False, True):
        with pytest.raises(RecordInvalid, match="not valid JSON") as caught:
            load_crossref(store, path, lenient=lenient)
        assert caught.value.file == str(path)
    assert data_triples(store) == empty


def test_an_invalid_orcid_is_a_warning_and_the_person_is_minted_in_the_work(tmp_path: Path, store: GraphStore) -> None:
    author = {"ORCID": "https://orcid.org/0000-0002-1825-0098", "given": "J", "family": "C", "sequence": "first"}
    (report,) = load_crossref(store, write(tmp_path, "w.json", answer(work("10.5072/o", author=[author]))))
    assert [(w.record, w.field) for w in report.warnings] == [("10.5072/o", "author[1].ORCID")]
    assert ask(store, "<https://doi.org/10.5072/o> dcterms:creator ?p . ?p foaf:name 'J C' FILTER(!STRSTARTS(STR(?p), 'https://orcid.org/'))")
