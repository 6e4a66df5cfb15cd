"""The search index against the graph: for every filter, order and scope, the index finds what SPARQL over the
graph finds in the same scope, cursors walk every match once, and embargoed details stay hidden by every field.

A real store (the demo and a mini PaNET, so technique subtrees are real) and a real index; the SPARQL of each
filter is written here, beside the query that must agree with it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graph.errors import QueryError
from graph.model.access import Entitlement
from graph.model.units import to_si
from graph.search import DatasetQuery, EntityQuery, Order, ParameterRange, SearchIndex, schema
from graph.search.facts import as_datetime
from graph.store.embedded import GraphStore
from graph.store.reads import Scope
from loaders import rdf
from loaders.base import load
from loaders.demo import DemoCatalogue, DemoSource
from tests.helpers import TODAY, demo_source
from tests.loaders.panet_files import MINI, load_panet, write

PREFIXES = """PREFIX pankg: <https://w3id.org/pankg/ontology#>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
PANET = "http://purl.org/pan-science/PaNET/"
SAS, SAXS = PANET + "PaNET01124", PANET + "PaNET01188"  # small angle scattering: SAXS and GISAXS below it
ESRF = "https://ror.org/02550n020"
CC_BY = "https://spdx.org/licenses/CC-BY-4.0"
ENERGY = "kg*m**2/s**2"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[GraphStore, SearchIndex, str]:
    """300 demo datasets, a mini PaNET, the index; and the proposal of some embargoed datasets."""
    store = GraphStore()
    load(store, demo_source(300, seed=7), as_of=TODAY)
    load_panet(store, write(tmp_path_factory.mktemp("panet") / "mini.ttl", MINI))
    _, rows = store.values(PREFIXES + "SELECT ?pid WHERE { ?d pankg:accessLevel pankg:Restricted ; pankg:proposal ?p . "
                                      "?p pankg:proposalId ?pid } ORDER BY ?pid LIMIT 1")
    return store, SearchIndex.open(store), rows[0][0]


def sparql(store: GraphStore, where: str, scope: Scope) -> set[str]:
    _, rows = store.values(f"{PREFIXES}SELECT DISTINCT ?d WHERE {{ ?d a dcat:Dataset . {where} }}", scope)
    return {r[0] for r in rows}


def found(index: SearchIndex, query: DatasetQuery, scope: Scope, first: int = 1000,
          order: Order | None = None) -> list[str]:
    """Every hit, page after page, in order; each page's total is the number of hits."""
    hits: list[str] = []
    after = None
    while True:
        page = index.search(query, scope, first, after, order)
        hits += [h.iri for h in page.hits]
        assert len(page.hits) <= first
        if not page.has_next:
            assert page.total == len(hits)
            return hits
        after = page.hits[-1].cursor


def words_where(*words: str) -> str:
    """A word of the title, description or a technique's name, as the index's analyzer cuts words."""
    return " ".join(
        f'FILTER EXISTS {{ {{ ?d dcterms:title|dcterms:description ?w{k} }} UNION {{ ?d pankg:technique ?t{k} . '
        f'?t{k} a pankg:Technique ; rdfs:label|skos:altLabel ?w{k} }} '
        f'FILTER(REGEX(STR(?w{k}), "\\\\b{w}\\\\b", "i")) }}'
        for k, w in enumerate(words))


def parameter_where(name: str, lo: float | None, hi: float | None, unit: str, k: int = 0) -> str:
    """``?d`` has a parameter ``name`` within the bounds (converted to SI, with GraphQL's tolerance)."""
    si = to_si(1.0, unit)[1]
    tests = [f"?v{k} >= {(v := to_si(lo, unit)[0]) - abs(v) * 1e-9!r}"] if lo is not None else []
    tests += [f"?v{k} <= {(v := to_si(hi, unit)[0]) + abs(v) * 1e-9!r}"] if hi is not None else []
    return (f'?d pankg:parameter ?p{k} . ?p{k} pankg:parameterName "{name}" ; pankg:siValue ?v{k} ; '
            f'pankg:siUnit "{si}" . FILTER({" && ".join(tests)})')


def cases(proposal: str, pid: str, instrument: str) -> dict[str, tuple[DatasetQuery, str]]:
    """Each filter (and a few combinations) with the SPARQL pattern it must agree with."""
    in_2022 = ('?d dcterms:created ?c . FILTER(?c >= "2022-01-01T00:00:00Z"^^xsd:dateTime && '
               '?c < "2023-01-01T00:00:00Z"^^xsd:dateTime)')
    subtree = f"?d pankg:technique ?t . {{ FILTER(?t = <{SAS}>) }} UNION {{ ?t pankg:subTechniqueOf <{SAS}> }}"
    return {
        "everything": (DatasetQuery(), ""),
        "technique subtree": (DatasetQuery(technique=SAS), subtree),
        "technique leaf": (DatasetQuery(technique=SAXS), f"?d pankg:technique <{SAXS}>"),
        "facility": (DatasetQuery(facility=ESRF), f"?d pankg:facility <{ESRF}>"),
        "instrument": (DatasetQuery(instrument=instrument), f"?d pankg:instrument <{instrument}>"),
        "proposal": (DatasetQuery(proposal=proposal), f"?d pankg:proposal/pankg:proposalId {_text(pid)}"),
        "kind": (DatasetQuery(kind="derived"), "?d a pankg:DerivedDataset"),
        "licence": (DatasetQuery(licence=CC_BY), f"?d dcterms:license <{CC_BY}>"),
        "access": (DatasetQuery(access="restricted"), "?d pankg:accessLevel pankg:Restricted"),
        "created": (DatasetQuery(created_from=dt.date(2022, 1, 1), created_to=dt.date(2022, 12, 31)), in_2022),
        "embargo end": (DatasetQuery(embargo_end_from=dt.date(2027, 1, 1)),
                        '?d pankg:embargoEndDate ?e . FILTER(?e >= "2027-01-01"^^xsd:date)'),
        "energy in keV": (DatasetQuery(parameters=(ParameterRange("photon_energy", 8, 12, "keV"),)),
                          parameter_where("photon_energy", 8, 12, "keV")),
        "energy in eV": (DatasetQuery(parameters=(ParameterRange("photon_energy", 8000, 12000, "eV"),)),
                         parameter_where("photon_energy", 8, 12, "keV")),
        "temperature in degC": (DatasetQuery(parameters=(ParameterRange("temperature", -20, 30, "degC"),)),
                                parameter_where("temperature", 253.15, 303.15, "K")),
        "has a DOI": (DatasetQuery(has_doi=True), "FILTER EXISTS { ?d pankg:doi ?x }"),
        "cited": (DatasetQuery(cited=True),
                  "FILTER EXISTS { { ?d pankg:doi ?x . ?w cito:cites ?x } UNION { ?w cito:cites ?d } }"),
        "not cited": (DatasetQuery(cited=False),
                      "FILTER NOT EXISTS { { ?d pankg:doi ?x . ?w cito:cites ?x } UNION { ?w cito:cites ?d } }"),
        "text": (DatasetQuery(text="lysozyme"), words_where("lysozyme")),
        "text of techniques": (DatasetQuery(text="SAXS scattering"), words_where("saxs", "scattering")),
        "technique and facility and year": (
            DatasetQuery(technique=SAS, facility=ESRF, created_from=dt.date(2022, 1, 1),
                         created_to=dt.date(2022, 12, 31)),
            f"{subtree} . ?d pankg:facility <{ESRF}> . {in_2022}"),
        "text and kind": (DatasetQuery(text="scan", kind="raw"), f"{words_where('scan')} ?d a pankg:RawDataset"),
        "parameter and access": (
            DatasetQuery(access="public", parameters=(ParameterRange("temperature", 200, None, "K"),
                                                      ParameterRange("wavelength", None, 1.5, "angstrom"))),
            "?d pankg:accessLevel pankg:Public . " + parameter_where("temperature", 200, None, "K")
            + " " + parameter_where("wavelength", None, 1.5, "angstrom", 1)),
    }


def _text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def scopes(proposal: str) -> dict[str, Scope]:
    return {"public": "public", "all": "all", "team": Entitlement(proposals=frozenset({proposal})),
            "other team": Entitlement(groups=frozenset({"nobody"}), proposals=frozenset({"XX-1"})),
            "staff": Entitlement(staff=True)}


def test_every_filter_finds_what_sparql_finds_in_each_scope(demo: tuple[GraphStore, SearchIndex, str]) -> None:
    store, index, proposal = demo
    instrument = store.minter.iri("instrument", "ESRF/ID02")
    checked = 0
    for name, (query, where) in cases(store.minter.iri("proposal", proposal), proposal, instrument).items():
        for scope_name, scope in scopes(proposal).items():
            expected = sparql(store, where, scope)
            hits = found(index, query, scope)
            assert len(hits) == len(set(hits)), (name, scope_name)
            assert set(hits) == expected, (name, scope_name, sorted(set(hits) ^ expected)[:5])
            checked += bool(expected)
    assert checked > 80  # most cases find something in most scopes: the comparisons are not of empty sets


def test_scopes_differ_as_the_graph_does(demo: tuple[GraphStore, SearchIndex, str]) -> None:
    store, index, proposal = demo
    team = Entitlement(proposals=frozenset({proposal}))
    text = DatasetQuery(text="scan")
    public, mine, everything = (set(found(index, text, s)) for s in ("public", team, "all"))
    assert public < mine < everything  # the team finds its own embargoed titles, and only those


@pytest.mark.parametrize("first", [7, 50])
def test_a_cursor_walk_gives_every_match_once_in_order(demo: tuple[GraphStore, SearchIndex, str], first: int) -> None:
    store, index, _ = demo
    _, rows = store.values(PREFIXES + "SELECT ?d ?c ?t WHERE { ?d a dcat:Dataset "
                                      "OPTIONAL { ?d dcterms:created ?c } OPTIONAL { ?d dcterms:title ?t } }", "public")
    created = {d: as_datetime(c) for d, c, _ in rows}
    titles = {d: t for d, _, t in rows}
    # newest first: by date to the second, then a hash of the IRI, then the IRI (schema.created_number)
    newest = sorted(created, key=lambda d: (schema.created_number(created[d], d), d), reverse=True)
    assert found(index, DatasetQuery(), "public", first) == newest
    stamps = [_stamp(created[d]) for d in newest]
    assert stamps == sorted(stamps, reverse=True) and "" in stamps  # by date; undated (stubs) last
    assert found(index, DatasetQuery(), "public", first, Order.CREATED_ASC) == newest[::-1]
    by_title = sorted(titles, key=lambda d: (titles[d].lower().encode() if titles[d] else b"\xff", d.encode()))
    assert len({titles[d] for d in by_title}) < len(by_title) - 50  # many equal titles: ties go by IRI
    assert found(index, DatasetQuery(), "public", first, Order.TITLE) == by_title


def _stamp(value: dt.datetime | None) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S") if value else ""


@pytest.mark.parametrize("first", [7, 50])
def test_relevance_walks_to_the_end_by_score(demo: tuple[GraphStore, SearchIndex, str], first: int) -> None:
    store, index, _ = demo
    query = DatasetQuery(text="scan 1")
    scores: list[float] = []
    hits: list[str] = []
    after = None
    while True:
        page = index.search(query, "all", first, after)
        scores += [h.score for h in page.hits if h.score is not None]
        hits += [h.iri for h in page.hits]
        if not page.has_next:
            break
        after = page.hits[-1].cursor
    assert len(scores) == len(hits) == len(set(hits)) == page.total
    assert set(hits) == sparql(store, words_where("scan", "1"), "all")
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]
    assert hits == found(index, query, "all", 1000)  # the same order whatever the page size


def test_an_anonymous_search_finds_no_embargoed_detail(demo: tuple[GraphStore, SearchIndex, str]) -> None:
    store, index, _ = demo
    _, rows = store.values(PREFIXES + """SELECT ?d ?pid ?title ?description ?created ?name ?v WHERE {
        ?d pankg:accessLevel pankg:Restricted ; dcterms:identifier ?pid ; dcterms:title ?title ;
           dcterms:description ?description ; dcterms:created ?created ;
           pankg:parameter [ pankg:parameterName ?name ; pankg:siValue ?v ] } ORDER BY ?d""", "all")
    embargoed = {r[0] for r in rows}
    assert len(embargoed) > 30
    for d, pid, title, description, created, name, value in rows[::3]:
        day = as_datetime(created).date()  # type: ignore[union-attr]
        hidden = [DatasetQuery(text=title), DatasetQuery(text=description), DatasetQuery(licence=CC_BY),
                  DatasetQuery(created_from=day, created_to=day), DatasetQuery(text=f"{title} {description}"),
                  DatasetQuery(parameters=(ParameterRange(name, value, value),))]
        for query in hidden:
            assert d not in found(index, query, "public"), (d, query)
            assert d in found(index, query, "all"), (d, query)
        stub = [DatasetQuery(pid=pid), DatasetQuery(access="restricted"), DatasetQuery(proposal=_proposal(store, d))]
        for query in stub:
            assert d in found(index, query, "public"), (d, query)
    everyone = index.facets(DatasetQuery(), "public")
    assert sum(everyone["licence"].values()) == len(sparql(store, f"?d dcterms:license <{CC_BY}>", "public"))
    assert sum(everyone["year"].values()) == len(sparql(store, "?d dcterms:created ?c", "public"))
    by_title = found(index, DatasetQuery(), "public", order=Order.TITLE)
    stubs = sparql(store, "?d pankg:accessLevel pankg:Restricted", "public")
    assert embargoed < stubs and by_title[-len(stubs):] == sorted(stubs)  # no title to sort by: last, by IRI


def _proposal(store: GraphStore, dataset: str) -> str:
    _, rows = store.values(f"SELECT ?p WHERE {{ <{dataset}> <https://w3id.org/pankg/ontology#proposal> ?p }}")
    return str(rows[0][0])


def test_facets_count_what_the_graph_holds_rolled_up_the_tree(demo: tuple[GraphStore, SearchIndex, str]) -> None:
    store, index, proposal = demo
    for scope in ("public", Entitlement(proposals=frozenset({proposal}))):
        counts = index.facets(DatasetQuery(), scope)
        _, rows = store.values(PREFIXES + "SELECT ?f (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a dcat:Dataset ; "
                                          "pankg:facility ?f } GROUP BY ?f", scope)
        assert counts["facility"] == {f: n for f, n in rows}
        _, rows = store.values(PREFIXES + "SELECT ?y (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a dcat:Dataset ; "
                                          "dcterms:created ?c BIND(YEAR(?c) AS ?y) } GROUP BY ?y", scope)
        assert counts["year"] == {str(y): n for y, n in rows}
        subtree = f"?d pankg:technique ?t . {{ FILTER(?t = <{SAS}>) }} UNION {{ ?t pankg:subTechniqueOf <{SAS}> }}"
        assert counts["technique"][SAS] == len(sparql(store, subtree, scope)) >= counts["technique"][SAXS] > 0
        assert counts["technique"][PANET + "PaNET00001"] >= counts["technique"][SAS]  # the root counts all below
        assert counts["kind"]["raw"] + counts["kind"]["derived"] == len(sparql(store, "", scope))
        assert counts["access"]["restricted"] == len(sparql(store, "?d pankg:accessLevel pankg:Restricted", scope))
        assert set(counts) == {"technique", "facility", "instrument", "year", "licence", "kind", "access"}
    filtered = index.facets(DatasetQuery(facility=ESRF, text="scan"), "public")
    assert filtered["facility"] == {ESRF: len(found(index, DatasetQuery(facility=ESRF, text="scan"), "public"))}


@pytest.mark.parametrize("text", ['"', "title:x", "(a OR b", "*", "AND", 'lysozyme" OR "*', "[x TO y]", "a:b:c\\",
                                  "pid:* OR readers:public", "\x00", "🧪 lysozyme"])
def test_query_syntax_in_free_text_is_text(demo: tuple[GraphStore, SearchIndex, str], text: str) -> None:
    _, index, _ = demo
    for order in (None, Order.TITLE, Order.RELEVANCE):
        page = index.search(DatasetQuery(text=text), "public", 20, order=order)
        assert page.total >= len(page.hits)
    assert index.facets(DatasetQuery(text=text), "public") is not None
    if text in ("*", '"', "\x00"):
        assert index.search(DatasetQuery(text=text), "all").total == 0  # no word: nothing, not everything


def test_bad_filters_are_clear_errors(demo: tuple[GraphStore, SearchIndex, str]) -> None:
    _, index, _ = demo
    bad = {"'furlongs'": DatasetQuery(parameters=(ParameterRange("photon_energy", 1, 2, "furlongs"),)),
           "cannot express": DatasetQuery(parameters=(ParameterRange("photon_energy", 1, 2, "K"),)),
           "unknown parameter 'spin'": DatasetQuery(parameters=(ParameterRange("spin", 1, 2),)),
           "unknown technique": DatasetQuery(technique=PANET + "PaNET99999"),
           "kind must be one of": DatasetQuery(kind="cooked"),
           "access must be one of": DatasetQuery(access="secret")}
    for message, query in bad.items():
        with pytest.raises(QueryError, match=message):
            index.search(query, "public")
    with pytest.raises(QueryError, match="not a cursor"):
        index.search(DatasetQuery(), "public", 5, "not-a-cursor")
    title_cursor = index.search(DatasetQuery(), "public", 5, order=Order.TITLE).hits[-1].cursor
    with pytest.raises(QueryError, match="another order"):
        index.search(DatasetQuery(), "public", 5, title_cursor, Order.CREATED)


def test_the_index_of_a_store_in_memory_is_in_memory(demo: tuple[GraphStore, SearchIndex, str]) -> None:
    _, index, _ = demo
    assert index.path is None and index.is_current
    assert index.version == index.store.write_version == 2  # the demo and PaNET


def test_key_pages_in_windows_are_the_pages_of_the_whole_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """With a boundary every few documents, pages are searched in small windows, widened where a filter is sparse:
    the walk is exactly the walk without windows, in every key order, for dense and sparse filters and scopes,
    also after an incremental update."""
    store = GraphStore()
    load(store, demo_source(250, seed=12), as_of=TODAY)
    monkeypatch.setattr(schema, "SAMPLE", 3)
    windowed = SearchIndex.open(store)
    assert all(len(windowed.boundaries(f)) > 60 for f in schema.SORT_FIELDS)
    monkeypatch.setattr(schema, "SAMPLE", 10**9)
    whole = SearchIndex.open(store)
    assert not any(whole.boundaries(f) for f in schema.SORT_FIELDS)

    def same_walks() -> int:
        compared = 0
        for order in (Order.IRI, Order.TITLE, Order.CREATED, Order.CREATED_ASC):
            for query in (DatasetQuery(), DatasetQuery(kind="derived"), DatasetQuery(text="scan"),
                          DatasetQuery(parameters=(ParameterRange("photon_energy", 8, 8.5, "keV"),))):
                for scope in ("public", "all"):
                    ours, theirs = found(windowed, query, scope, 7, order), found(whole, query, scope, 7, order)
                    assert ours == theirs and len(set(ours)) == len(ours), (order, query, scope)
                    compared += bool(ours)
            for kind in ("publication", "person", "instrument", "software"):
                ours, theirs = (found(i, EntityQuery(kind), "public", 5, order) for i in (windowed, whole))
                assert ours == theirs and len(set(ours)) == len(ours) > 5, (order, kind)
        return compared

    assert same_walks() == 32  # every walk finds something, or it would prove nothing
    monkeypatch.setattr(schema, "SAMPLE", 3)
    load(store, DemoSource(DemoCatalogue(9, 13, TODAY), location="pankg:more"), as_of=TODAY)
    assert windowed.catch_up() is not None and whole.catch_up() is not None
    assert same_walks() == 32


DATE_TIME = "<http://www.w3.org/2001/XMLSchema#dateTime>"


def test_datasets_of_one_second_are_ordered_by_iri_across_pages(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The date order sorts numbers (seconds, then a hash of the IRI) and breaks what ties remain by IRI: 40
    datasets of one second, 10 of another and 5 without a date are walked in pages of 3 in both directions, each
    once, in that order; with every hash equal (the worst case), in (date, IRI) order."""
    lines = []
    for k in range(55):
        node = f"<https://example.org/d/{k:03d}>"
        lines.append(f"{node} a <http://www.w3.org/ns/dcat#Dataset> .")
        if k < 50:
            second = "2024-05-01T10:00:00Z" if k % 5 else "2023-01-01T08:00:00Z"
            lines.append(f'{node} <http://purl.org/dc/terms/created> "{second}"^^{DATE_TIME} .')
    ttl = tmp_path / "ties.ttl"
    ttl.write_text("\n".join(lines))
    store = GraphStore()
    for source in rdf.sources([str(ttl)]):
        load(store, source, as_of=TODAY)
    index = SearchIndex.open(store)
    later, earlier = dt.datetime(2024, 5, 1, 10, tzinfo=dt.UTC), dt.datetime(2023, 1, 1, 8, tzinfo=dt.UTC)
    dates = {f"https://example.org/d/{k:03d}": None if k >= 50 else later if k % 5 else earlier for k in range(55)}
    for hashed in (True, False):
        if not hashed:  # every IRI hashes alike: runs of equal numbers, ordered by IRI
            monkeypatch.setattr(schema, "tie", lambda iri: 0)
            index.rebuild()
        created = {d: schema.created_number(day, d) for d, day in dates.items()}
        oldest_first = sorted(created, key=lambda d: (created[d], d))
        assert [d[-3:] for d in found(index, DatasetQuery(), "all", 3, Order.CREATED_ASC)] == [
            d[-3:] for d in oldest_first]
        assert found(index, DatasetQuery(), "all", 3, Order.CREATED) == oldest_first[::-1]
        assert found(index, DatasetQuery(), "all", 50, Order.CREATED) == oldest_first[::-1]
