"""The probe set of issue 7: every read interface, asked anonymously, by another team and by the entitled team.

One embargoed proposal of the demo is the secret: its datasets' titles and file paths, values that no public
record shares. Anonymous callers and a token of another proposal must find none of them in any answer
(GraphQL, SPARQL with ``GRAPH ?g``, property paths, DESCRIBE and CONSTRUCT, Linked Data in every format, the
DataCite export); the team's token must find them, so the probes are known to reach the data at all.
Issue 12 adds the people of an embargoed SciCat dataset: their names and their IRIs, minted from its PID.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Any

import httpx
import pytest

from graph.model import entities as e
from graph.model.writer import RdfModel
from graph.store.embedded import GraphStore
from loaders import scicat
from loaders.base import load
from pankg.app import create_app
from tests.helpers import TODAY, demo_source

TEAM, OTHER = "probe-team-token", "probe-other-token"
DOI = "10.5072/pankg-test.probe"
TITLE, FILE_PATH = "http://purl.org/dc/terms/title", "https://w3id.org/pankg/ontology#filePath"
PREFIXES = "PREFIX dct: <http://purl.org/dc/terms/> PREFIX pankg: <https://w3id.org/pankg/ontology#> " \
           "PREFIX prov: <http://www.w3.org/ns/prov#> "


def secret(store: GraphStore) -> tuple[str, list[str], set[str]]:
    """An embargoed proposal, its datasets' PIDs, and the values only its team may read."""
    _, rows = store.query(PREFIXES + """SELECT ?proposal ?pid WHERE {
        ?d pankg:accessLevel pankg:Restricted ; dct:identifier ?pid ; pankg:proposal ?p . ?p pankg:proposalId ?proposal
    } ORDER BY ?proposal ?pid""", "all")
    proposal = rows[0][0].value
    pids = [r[1].value for r in rows if r[0].value == proposal]
    values = f"VALUES ?pid {{ {' '.join(json.dumps(p) for p in pids)} }}"
    query = PREFIXES + f"SELECT ?v WHERE {{ {values} ?d dct:identifier ?pid {{ ?d dct:title ?v }} UNION {{ ?d dct:hasPart/pankg:filePath ?v }} }}"
    everything = {r[0].value for r in store.query(query, "all")[1]}
    public = {r[0].value for r in store.query("SELECT ?v WHERE { ?s ?p ?v FILTER(isLiteral(?v)) }", "public")[1]}
    hidden = everything - public
    assert len(hidden) >= 2, "the demo must have an embargoed proposal with values of its own"
    return proposal, pids, hidden


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    store = GraphStore()
    load(store, demo_source(300, seed=23), as_of=TODAY)
    proposal, pids, hidden = secret(store)
    # A DOI minted for the proposal before its data opens (the demo mints DOIs for open data only): its record
    # names no creators, so the export would take them from the datasets it covers.
    model = RdfModel(store.minter, as_of=TODAY)
    doi = e.DoiRecord(DOI, f"Data of proposal {proposal}", publisher="pankg demo", year=TODAY.year, parts=tuple(pids))
    store.replace_source("test", "test:doi", "1", list(model.quads(doi)), as_of=TODAY)
    tokens = tmp_path_factory.mktemp("probe") / "tokens.yaml"
    digest = {t: hashlib.sha256(t.encode()).hexdigest() for t in (TEAM, OTHER)}
    tokens.write_text(f"tokens:\n  {digest[TEAM]}: {{name: team, proposals: [{json.dumps(proposal)}]}}\n"
                      f"  {digest[OTHER]}: {{name: other, proposals: [NOT-{proposal}]}}\n")
    return {"store": store, "tokens": tokens, "proposal": proposal, "pids": pids, "hidden": hidden}


def requests(p: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, httpx options) of every probe."""
    pid, iri = p["pids"][0], p["store"].minter.iri("dataset", p["pids"][0])
    sparql = [
        f"SELECT ?t WHERE {{ ?d <{TITLE}> ?t }}",
        f"SELECT ?g ?t WHERE {{ GRAPH ?g {{ ?d <{TITLE}> ?t }} }}",
        PREFIXES + "SELECT ?v WHERE { ?d (dct:title|dct:hasPart/pankg:filePath) ?v }",
        PREFIXES + "SELECT ?t WHERE { ?d (^prov:wasDerivedFrom|prov:wasDerivedFrom)*/dct:title ?t }",
        f"DESCRIBE <{iri}>",
        "CONSTRUCT WHERE { ?s ?p ?o }",
    ]
    graphql = ("{ dataset(pid: %s) { title files { path } } datasets(first: 100) { edges { node { title } } } }"
               % json.dumps(pid))
    ld = "/id/dataset/" + iri.split("/id/dataset/", 1)[1]
    return [
        *[("GET", "/sparql", {"params": {"query": q}, "headers": {"accept": "*/*"}}) for q in sparql],
        ("POST", "/graphql", {"json": {"query": graphql}}),
        *[("GET", ld, {"headers": {"accept": media}}) for media in
          ("text/turtle", "text/html", "application/ld+json", 'application/ld+json; profile="https://schema.org"')],
        ("GET", f"/export/datacite/{DOI}", {}),
    ]


def answers(p: dict[str, Any], token: str | None) -> list[str]:
    async def run() -> list[str]:
        transport = httpx.ASGITransport(app=create_app(p["store"], p["tokens"]))
        auth = {"authorization": f"Bearer {token}"} if token else {}
        async with httpx.AsyncClient(transport=transport, base_url="http://pankg.test") as client:
            texts = []
            for method, path, options in requests(p):
                options = {**options, "headers": {**options.get("headers", {}), **auth}}
                got = await client.request(method, path, **options)
                assert got.status_code == 200, (path, got.text[:300])
                texts.append(got.text)
            return texts

    return asyncio.run(run())


def found(text: str, hidden: set[str]) -> set[str]:
    return {v for v in hidden if v in text or json.dumps(v)[1:-1] in text}


@pytest.mark.parametrize("token", [None, OTHER])
def test_no_probe_finds_an_embargoed_value(probe: dict[str, Any], token: str | None) -> None:
    for (method, path, options), text in zip(requests(probe), answers(probe, token), strict=True):
        assert not found(text, probe["hidden"]), (method, path, options)


def test_the_entitled_team_finds_them_through_every_interface(probe: dict[str, Any]) -> None:
    texts = answers(probe, TEAM)
    probes = requests(probe)
    reached = {(method, path) for (method, path, _), text in zip(probes, texts, strict=True) if found(text, probe["hidden"])}
    assert ("GET", "/sparql") in reached and ("POST", "/graphql") in reached
    assert any(path.startswith("/id/dataset/") for _, path in reached)
    every_value = set().union(*(found(t, probe["hidden"]) for t in texts))
    assert every_value == probe["hidden"]


# ------------------------------------------------------------------------------------------------------------
# Issue 12, "Embargo leak": the people of an embargoed SciCat dataset are known from it only, so every interface
# hides them (their names and their IRIs, which are minted from the dataset's PID) with the dataset.

SCICAT_PID = "PID.SAMPLE.PREFIX/desy_ds1"
PEOPLE = {"Grace Hopper", "Alan Turing", "Hedy Lamarr"}
PERSON_IRI_PART = "desy_ds1%23"  # the start of the fragment of every person minted in the record


@pytest.fixture(scope="module")
def people_probe(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("people")
    record = {"_id": SCICAT_PID, "type": "derived", "datasetName": "Secret scan", "isPublished": False,
              "ownerGroup": "p100", "datasetlifecycle": {"dateOfPublishing": "2029-01-01T00:00:00Z"},
              "owner": "Grace Hopper", "principalInvestigator": "Alan Turing", "investigator": "Hedy Lamarr",
              "usedSoftware": ["https://github.com/example/reduce"]}
    (folder / "Dataset.json").write_text(json.dumps([record]))
    store = GraphStore()
    for source in scicat.sources([str(folder)]):
        load(store, source, as_of=TODAY)
    tokens = folder / "tokens.yaml"
    digest = {t: hashlib.sha256(t.encode()).hexdigest() for t in (TEAM, OTHER)}
    tokens.write_text(f"tokens:\n  {digest[TEAM]}: {{name: team, groups: [p100]}}\n"
                      f"  {digest[OTHER]}: {{name: other, groups: [p200]}}\n")
    return {"store": store, "tokens": tokens}


def people_requests(store: GraphStore) -> list[tuple[str, str, dict[str, Any], bool]]:
    """(method, path, httpx options, whether the page exists for anonymous callers) of every people probe."""
    dataset = store.minter.iri("dataset", SCICAT_PID)
    owner = store.minter.iri("person", f"dataset:{SCICAT_PID}#owner")
    foaf = "PREFIX foaf: <http://xmlns.com/foaf/0.1/> "
    sparql = [
        foaf + "SELECT ?s ?n WHERE { ?s foaf:name ?n }",
        foaf + "SELECT ?g ?s WHERE { GRAPH ?g { ?s a foaf:Person } }",
        PREFIXES + foaf
        + "SELECT ?n WHERE { ?x (dct:creator|pankg:principalInvestigator|prov:wasAssociatedWith)/foaf:name ?n }",
        f"DESCRIBE <{owner}>",
        f"DESCRIBE <{dataset}>",
        "CONSTRUCT WHERE { ?s ?p ?o }",
    ]
    graphql = ("{ people(filter: {text: \"Hopper\"}) { edges { node { name } } } person(pid: %s) { name } "
               "dataset(pid: %s) { creators { name } generatedBy { agent { name } } } }"
               % (json.dumps(owner), json.dumps(SCICAT_PID)))
    base = store.minter.base
    return [
        *[("GET", "/sparql", {"params": {"query": q}, "headers": {"accept": "*/*"}}, True) for q in sparql],
        ("POST", "/graphql", {"json": {"query": graphql}}, True),
        *[("GET", "/id/" + iri[len(base):], {"headers": {"accept": media}}, iri == dataset)
          for iri in (owner, dataset) for media in ("text/turtle", "text/html", "application/ld+json")],
    ]


def people_answers(p: dict[str, Any], token: str | None) -> list[tuple[int, str]]:
    async def run() -> list[tuple[int, str]]:
        transport = httpx.ASGITransport(app=create_app(p["store"], p["tokens"]))
        auth = {"authorization": f"Bearer {token}"} if token else {}
        async with httpx.AsyncClient(transport=transport, base_url="http://pankg.test") as client:
            got = []
            for method, path, options, _ in people_requests(p["store"]):
                options = {**options, "headers": {**options.get("headers", {}), **auth}}
                response = await client.request(method, path, **options)
                got.append((response.status_code, response.text))
            return got

    return asyncio.run(run())


@pytest.mark.parametrize("token", [None, OTHER])
def test_no_probe_finds_a_person_of_an_embargoed_dataset(people_probe: dict[str, Any], token: str | None) -> None:
    probes = people_requests(people_probe["store"])
    for (method, path, options, exists), (status, text) in zip(probes, people_answers(people_probe, token), strict=True):
        assert status == (200 if exists else 404), (path, status, text[:300])
        assert not found(text, PEOPLE), (method, path, options)
        assert status == 404 or PERSON_IRI_PART not in text, (method, path, options)  # a 404 names what was asked


def test_the_entitled_team_finds_the_people_and_their_links(people_probe: dict[str, Any]) -> None:
    answers_ = people_answers(people_probe, TEAM)
    assert all(status == 200 for status, _ in answers_)
    probes = people_requests(people_probe["store"])
    reached = {(m, path) for (m, path, _, _), (_, text) in zip(probes, answers_, strict=True) if found(text, PEOPLE)}
    assert ("GET", "/sparql") in reached and ("POST", "/graphql") in reached
    assert any(path.startswith("/id/person/") for _, path in reached)
    assert set().union(*(found(text, PEOPLE) for _, text in answers_)) == PEOPLE
