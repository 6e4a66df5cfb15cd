"""datasets(filter:, first:, after:, orderBy:) on the demo: every filter against the same question in SPARQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.store.embedded import GraphStore
from loaders import rdf
from loaders.base import load
from loaders.demo import DemoCatalogue
from loaders.demo_data import FACILITIES, TECHNIQUES
from tests.helpers import TODAY, demo_source
from tests.resolvers.test_graphql_helpers import all_pages, gql, iris, sparql

PANET = "http://purl.org/pan-science/PaNET/"


def test_forward_pagination_reaches_every_dataset_once(demo_store: tuple[GraphStore, DemoCatalogue]) -> None:
    store, catalogue = demo_store
    found, total = all_pages(store, first=37)
    assert total == catalogue.datasets == len(found) == len(set(found))
    assert set(found) == iris(store, "")


def test_filter_by_technique_iri_and_name(demo_store: tuple[GraphStore, DemoCatalogue]) -> None:
    store, _ = demo_store
    saxs = TECHNIQUES["SAXS"]
    expected = iris(store, f"?d pankg:technique <{saxs.iri}>")
    assert len(expected) > 0
    for name in (saxs.iri, saxs.label.upper(), "PaNET01188"):
        found, total = all_pages(store, {"technique": name})
        assert set(found) == expected and total == len(expected), name


@pytest.fixture(scope="module")
def store_with_closure(tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    """The demo plus a hand-written piece of PaNET's closure: SAXS and GISAXS below small angle scattering."""
    store = GraphStore()
    load(store, demo_source(150, seed=3), as_of=TODAY)
    ttl = Path(tmp_path_factory.mktemp("panet")) / "closure.ttl"
    lines = [f"<{PANET}PaNET01124> a <https://w3id.org/pankg/ontology#Technique> ; "
             f"<http://www.w3.org/2000/01/rdf-schema#label> \"small angle scattering\" ."]
    for child in ("PaNET01188", "PaNET01162", "PaNET01124"):
        lines.append(f"<{PANET}{child}> <https://w3id.org/pankg/ontology#subTechniqueOf> <{PANET}PaNET01124> .")
        lines.append(f"<{PANET}{child}> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <{PANET}PaNET01124> ."
                     if child != "PaNET01124" else "")
    ttl.write_text("\n".join(lines))
    for source in rdf.sources([str(ttl)]):
        load(store, source, as_of=TODAY)
    return store


def test_technique_takes_in_its_sub_techniques(store_with_closure: GraphStore) -> None:
    store = store_with_closure
    expected = iris(store, f"VALUES ?t {{ <{PANET}PaNET01188> <{PANET}PaNET01162> }} ?d pankg:technique ?t")
    assert len(expected) > 0
    found, total = all_pages(store, {"technique": "small angle scattering"})
    assert set(found) == expected and total == len(expected)
    tree = gql(store, '{ technique(pid: "PaNET01124") { label children { iri } datasets(first: 1) { totalCount } } }')
    assert {c["iri"] for c in tree["technique"]["children"]} == {PANET + "PaNET01188", PANET + "PaNET01162"}
    assert tree["technique"]["datasets"]["totalCount"] == len(expected)


def test_filter_by_facility_instrument_proposal_and_kind(demo_store: tuple[GraphStore, DemoCatalogue]) -> None:
    store, _ = demo_store
    fac = FACILITIES[0]
    expected = iris(store, f"?d pankg:facility <{fac.ror}>")
    for name in (fac.ror, fac.short.lower(), fac.name):
        assert set(all_pages(store, {"facility": name})[0]) == expected, name
    instrument, proposal = sparql(store, "SELECT ?i ?p WHERE { ?d pankg:instrument ?i ; pankg:proposal ?p } LIMIT 1")[0]
    label = sparql(store, f"SELECT ?l WHERE {{ <{instrument}> rdfs:label ?l }}")[0][0]
    pid = sparql(store, f"SELECT ?id WHERE {{ <{proposal}> pankg:proposalId ?id }}")[0][0]
    assert set(all_pages(store, {"instrument": label})[0]) == iris(store, f"?d pankg:instrument <{instrument}>")
    assert set(all_pages(store, {"proposal": pid})[0]) == iris(store, f"?d pankg:proposal <{proposal}>")
    assert set(all_pages(store, {"kind": "DERIVED"})[0]) == iris(store, "?d a pankg:DerivedDataset")


def test_filter_by_dates_text_doi_citation_and_embargo(demo_store: tuple[GraphStore, DemoCatalogue]) -> None:
    store, catalogue = demo_store
    expected = iris(store, '?d dcterms:created ?c FILTER(?c >= "2021-01-01T00:00:00Z"^^xsd:dateTime && '
                           '?c < "2022-01-01T00:00:00Z"^^xsd:dateTime)'.replace("xsd:", "<http://www.w3.org/2001/XMLSchema#")
                    .replace("dateTime", "dateTime>"))
    assert len(expected) > 0
    assert set(all_pages(store, {"created": {"from": "2021-01-01", "to": "2021-12-31"}})[0]) == expected
    texts: dict[str, str] = {}
    for d, t in sparql(store, "SELECT ?d ?t WHERE { ?d a dcat:Dataset ; dcterms:title|dcterms:description ?t }"):
        texts[d] = texts.get(d, "") + " | " + t.lower()
    expected = {d for d, t in texts.items() if "tomography" in t and "scan" in t}
    assert set(all_pages(store, {"text": "Tomography SCAN"})[0]) == expected and len(expected) > 0
    with_doi = iris(store, "?d pankg:doi ?x")
    assert set(all_pages(store, {"hasDoi": True})[0]) == with_doi and len(with_doi) > 0
    assert len(all_pages(store, {"hasDoi": False})[0]) == catalogue.datasets - len(with_doi)
    cited = iris(store, "?d pankg:doi ?x . ?p cito:cites ?x")
    assert set(all_pages(store, {"cited": True})[0]) == cited and 0 < len(cited) < len(with_doi) + 1
    embargoed = all_pages(store, {"embargoed": True})[0]
    assert len(embargoed) == catalogue.summary["embargoed datasets"]


def test_parameter_range_in_any_compatible_unit(demo_store: tuple[GraphStore, DemoCatalogue]) -> None:
    store, _ = demo_store
    rows = sparql(store, 'SELECT ?d ?v ?u WHERE { ?d pankg:parameter ?p . ?p pankg:parameterName "photon_energy" ; '
                         "pankg:value ?v ; pankg:unit ?u }")
    in_ev = {d: float(v) * (1000 if u == "keV" else 1) for d, v, u in rows}
    expected = {d for d, ev in in_ev.items() if 8000 <= ev <= 12000}
    assert {u for *_, u in rows} == {"keV", "eV"} and len(expected) > 0
    for bounds in ({"min": 8, "max": 12, "unit": "keV"}, {"min": 8000, "max": 12000, "unit": "eV"}):
        found, total = all_pages(store, {"parameters": [{"name": "photon_energy", **bounds}]})
        assert set(found) == expected and total == len(expected), bounds
    assert any(u == "eV" for d, _, u in rows if d in expected)  # eV-recorded values found through keV bounds
    kelvin = {d for d, v, u in sparql(store, 'SELECT ?d ?v ?u WHERE { ?d pankg:parameter ?p . ?p pankg:parameterName '
                                             '"temperature" ; pankg:value ?v ; pankg:unit ?u }')
              if 200 <= (float(v) + (273.15 if u == "degC" else 0)) <= 300}
    found, _ = all_pages(store, {"parameters": [{"name": "temperature", "min": -73.15, "max": 26.85, "unit": "degC"}]})
    assert set(found) == kelvin


def test_order_by_created_and_other_connections(demo_store: tuple[GraphStore, DemoCatalogue]) -> None:
    store, catalogue = demo_store
    page = gql(store, '{ datasets(first: 50, orderBy: CREATED_DESC, filter: {embargoed: false}) '
                      "{ edges { node { created } } } }")["datasets"]["edges"]
    created = [e["node"]["created"] for e in page]
    assert created == sorted(created, reverse=True) and len(created) == 50
    counts = gql(store, "{ publications { totalCount } softwareList { totalCount } instruments { totalCount } "
                        "people { totalCount } }")
    assert counts["publications"]["totalCount"] == catalogue.summary["publications"]
    assert counts["softwareList"]["totalCount"] == catalogue.summary["software"]
    assert counts["instruments"]["totalCount"] == catalogue.summary["instruments"]
    assert counts["people"]["totalCount"] == catalogue.summary["people"]
    esrf = gql(store, '{ instruments(filter: {facility: "ESRF"}, first: 100) { edges { node { facility { shortName } } } } }')
    assert {e["node"]["facility"]["shortName"] for e in esrf["instruments"]["edges"]} == {"ESRF"}
