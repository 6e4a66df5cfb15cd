"""The model writes what docs/model.md says, in the graph the access level says."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.errors import RecordInvalid
from graph.model import entities as e
from graph.model.access import level
from graph.model.writer import RdfModel
from graph.query.formats import RdfSyntax
from graph.store import rdf_input

TODAY = dt.date(2026, 11, 21)
PANKG = "https://w3id.org/pankg/ontology#"
BASE = "https://w3id.org/pankg/id/"


def graph_of(*items: object, access: str | None = None) -> set[tuple[str, str, str]]:
    """The triples of the entities, parsed back by oxigraph (so the N-Triples text is checked too); ``access``
    is a level (``public``/``restricted``: any restricted key, :mod:`graph.model.access`)."""
    model = RdfModel(as_of=TODAY)
    lines = [f"{s} {p} {o} ." for item in items for s, p, o, acc in model.quads(item) if access in (None, level(acc))]
    return {
        (t.subject.value, t.predicate.value, t.object.value)
        for t in rdf_input.triples("\n".join(lines).encode(), RdfSyntax.N_TRIPLES)
    }


def test_a_derived_dataset_and_its_run_form_a_prov_chain() -> None:
    run = e.AnalysisRun("run-1", "pyfai@2024.2.0", inputs=("raw-1", "raw-2"), outputs=("der-1",),
                        agent="0000-0002-1825-0097")
    triples = graph_of(run, e.SoftwareVersion("pyfai", "2024.2.0"))
    run_iri, der, plan = f"{BASE}run/run-1", f"{BASE}dataset/der-1", f"{BASE}software-version/pyfai@2024.2.0"
    prov = "http://www.w3.org/ns/prov#"
    assert (run_iri, f"{prov}used", f"{BASE}dataset/raw-1") in triples
    assert (der, f"{prov}wasGeneratedBy", run_iri) in triples
    assert (der, f"{prov}wasDerivedFrom", f"{BASE}dataset/raw-2") in triples
    assoc = f"{BASE}association/run-1"
    assert (run_iri, f"{prov}qualifiedAssociation", assoc) in triples
    assert (assoc, f"{prov}hadPlan", plan) in triples
    assert (assoc, f"{prov}agent", "https://orcid.org/0000-0002-1825-0097") in triples
    assert (plan, "http://purl.org/dc/terms/isVersionOf", f"{BASE}software/pyfai") in triples


def test_an_embargoed_dataset_keeps_only_its_stub_public() -> None:
    dataset = e.Dataset(
        pid="ds-1", title="Secret", description="Hidden", facility="https://ror.org/02550n020",
        instrument="ESRF/ID02", proposal="ESRF-1", techniques=("http://purl.org/pan-science/PaNET/PaNET01188",),
        creators=("0000-0002-1825-0097",), parameters=(e.Parameter("temperature", 300.0, "K", 300.0, "K"),),
        files=(e.File("/data/a.nxs", 10),), embargo_end=TODAY + dt.timedelta(days=1),
    )
    public = {p.removeprefix(PANKG) for _, p, _ in graph_of(dataset, access="public")}
    hidden = {p for _, p, _ in graph_of(dataset, access="restricted")}
    assert public == {
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://purl.org/dc/terms/identifier", "accessLevel",
        "embargoEndDate", "facility", "instrument", "proposal", "technique",
    }
    assert "http://purl.org/dc/terms/title" in hidden and "http://purl.org/dc/terms/creator" in hidden
    assert f"{PANKG}parameter" in hidden and "http://purl.org/dc/terms/hasPart" in hidden
    assert (f"{BASE}dataset/ds-1", f"{PANKG}accessLevel", f"{PANKG}Restricted") in graph_of(dataset)


def test_the_embargo_is_judged_against_the_day_and_the_next_release_is_remembered() -> None:
    model = RdfModel(as_of=TODAY)
    soon, later = TODAY + dt.timedelta(days=5), TODAY + dt.timedelta(days=500)
    assert not model.is_restricted(e.Dataset("a", "a", embargo_end=TODAY))
    assert model.is_restricted(e.Dataset("b", "b", embargo_end=later))
    assert model.is_restricted(e.Dataset("c", "c", embargo_end=soon))
    assert model.next_release == soon
    assert model.is_restricted(e.Dataset("d", "d", public=False))
    assert not model.is_restricted(e.Dataset("e", "e", public=True, embargo_end=later))


def test_a_paper_citing_a_dataset_doi_is_found_from_either_side() -> None:
    paper = e.Publication("10.1107/S1600577525005272", "A paper", cites=(e.Citation("10.5072/DATA.1", "citesAsDataSource"),))
    doi = e.DoiRecord("10.5072/data.1", "Data", parts=("ds-1",))
    triples = graph_of(paper, doi)
    paper_iri, doi_iri = "https://doi.org/10.1107/s1600577525005272", "https://doi.org/10.5072/data.1"
    assert (paper_iri, "http://purl.org/spar/cito/cites", doi_iri) in triples
    assert (paper_iri, "http://purl.org/spar/cito/citesAsDataSource", doi_iri) in triples
    assert (doi_iri, "http://purl.org/dc/terms/hasPart", f"{BASE}dataset/ds-1") in triples
    assert (f"{BASE}dataset/ds-1", f"{PANKG}doi", doi_iri) in triples


def test_datacite_relations_are_kept_verbatim_and_mapped_where_standard() -> None:
    doi = e.DoiRecord("10.5072/b", "B", related=(e.RelatedIdentifier("IsCitedBy", "10.5072/paper"),
                                                  e.RelatedIdentifier("IsSupplementTo", "10.5072/c")))
    triples = graph_of(doi)
    assert ("https://doi.org/10.5072/b", "https://w3id.org/pankg/datacite-relation#IsCitedBy",
            "https://doi.org/10.5072/paper") in triples
    assert ("https://doi.org/10.5072/paper", "http://purl.org/spar/cito/cites", "https://doi.org/10.5072/b") in triples
    assert ("https://doi.org/10.5072/b", "https://w3id.org/pankg/datacite-relation#IsSupplementTo",
            "https://doi.org/10.5072/c") in triples
    with pytest.raises(RecordInvalid, match="record 10.5072/x, field relationType"):
        graph_of(e.DoiRecord("10.5072/x", "X", related=(e.RelatedIdentifier("Is Cited By", "10.5072/y"),)))


def test_one_orcid_or_ror_named_by_two_records_is_one_node() -> None:
    a = e.Person("https://orcid.org/0000-0002-1825-0097", "Josiah Carberry", affiliations=("https://ror.org/02550n020",))
    b = e.Dataset("ds", "t", creators=("0000-0002-1825-0097",), facility="https://ror.org/02550n020")
    subjects_and_objects = {x for s, _, o in graph_of(a, b) for x in (s, o)}
    assert "https://orcid.org/0000-0002-1825-0097" in subjects_and_objects
    assert "https://ror.org/02550n020" in subjects_and_objects
    assert not any(x.startswith(f"{BASE}person/") or x.startswith(f"{BASE}facility/") for x in subjects_and_objects)


def test_literals_survive_quotes_newlines_and_unicode() -> None:
    title = 'Ti-6Al-4V "weld"\nline 2 \\ µm'
    assert (f"{BASE}dataset/x", "http://purl.org/dc/terms/title", title) in graph_of(e.Dataset("x", title))


def test_parameters_of_a_dataset_and_a_run_with_the_same_pid_do_not_collide() -> None:
    p = (e.Parameter("threads", 4),)
    triples = graph_of(e.Dataset("same", "t", parameters=p), e.AnalysisRun("same", parameters=p))
    params = {o for _, pred, o in triples if pred == f"{PANKG}parameter"}
    assert len(params) == 2


def test_an_unknown_entity_is_refused() -> None:
    with pytest.raises(TypeError, match="no RDF mapping for str"):
        list(RdfModel().quads("not an entity"))
