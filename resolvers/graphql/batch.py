"""Batch loading: every link and every node's properties go through one DataLoader per request.

Keys are ``(link, iri)``. Whatever the resolvers of one level of a query ask for in the same tick (the
titles of 100 datasets, their techniques, DOIs, software and citing papers) is answered by ONE SPARQL
query: a UNION with one branch per link kind, each branch with its own ``VALUES ?s { ... }``. So the
number of store queries grows with the depth of the GraphQL query, never with the page size.

A link is a SPARQL group pattern that, given ``?s``, binds ``?o`` (and, for properties, ``?x``, the
predicate). ``SELECT DISTINCT`` makes a citing work count once whatever the number of sources stating it.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any, cast

from strawberry.dataloader import DataLoader

from graph.model.schema import scalar_predicates
from ontology.namespaces import RDF
from resolvers.graphql.sparql import iri, literal

PROPERTIES = tuple(f"<{p}>" for p in scalar_predicates((RDF.type,)))
"""The scalar properties a node type may show (every field of :mod:`graph.model.schema`, and the types); one
branch fetches them for nodes of every type at once."""

CITING = "{ ?s pankg:doi ?d . ?o cito:cites ?d } UNION { ?o cito:cites ?s }"

LINKS: dict[str, str] = {
    # a FILTER, not VALUES ?x: oxigraph would scan every triple of the 38 predicates before joining ?s
    "props": f"?s ?x ?o . FILTER(?x IN ({', '.join(PROPERTIES)}))",
    # dataset
    "technique": "?s pankg:technique ?o .",
    "instrument": "?s pankg:instrument ?o .",
    "facility": "?s pankg:facility ?o .",
    "proposal": "?s pankg:proposal ?o .",
    "sample": "?s pankg:sample ?o .",
    "parameter": "?s pankg:parameter ?o .",
    "file": "?s dcterms:hasPart ?o . ?o a pankg:File .",
    "doi": "?s pankg:doi ?o .",
    "creator": "?s dcterms:creator ?o .",
    "generatedBy": "?s prov:wasGeneratedBy ?o .",
    "datasetSoftware": "?s prov:wasGeneratedBy ?r . ?r pankg:usedSoftware ?o .",
    "derivedFrom": "?s prov:wasDerivedFrom ?o . ?o a dcat:Dataset .",
    "derivatives": "?o prov:wasDerivedFrom ?s . ?o a dcat:Dataset .",
    "usedBy": "?o prov:used ?s .",
    "citedBy": CITING,
    "cites": "{ ?s cito:cites ?o } UNION { ?s pankg:doi ?d . ?d cito:cites ?o }",
    # run
    "used": "?s prov:used ?o .",
    "generated": "?o prov:wasGeneratedBy ?s .",
    "runSoftware": "?s pankg:usedSoftware ?o .",
    "agent": "?s prov:wasAssociatedWith ?o .",
    # software and versions
    "versions": "?s dcterms:hasVersion ?o . ?o a pankg:SoftwareVersion .",
    "versionOf": "?s dcterms:isVersionOf ?o .",
    "runs": "?o pankg:usedSoftware ?s .",
    "versionDatasets": "?r pankg:usedSoftware ?s . ?o prov:wasGeneratedBy ?r .",
    "softwareCitedBy": f"{{ {CITING} }} UNION {{ ?s dcterms:hasVersion ?v . ?v pankg:doi ?d . ?o cito:cites ?d }}",
    # people, places, techniques
    "personDatasets": "?o dcterms:creator ?s . ?o a dcat:Dataset .",
    "personPublications": "?o dcterms:creator ?s . ?o a pankg:Publication .",
    "affiliation": "?s schema:affiliation ?o .",
    "parents": "?s rdfs:subClassOf ?o .",
    "children": "?o rdfs:subClassOf ?s .",
    "instruments": "?o pankg:facility ?s . ?o a pankg:Instrument .",
    "principalInvestigator": "?s pankg:principalInvestigator ?o .",
    # publications and DOI records
    "parts": "?s dcterms:hasPart ?o . ?o a dcat:Dataset .",
    "doiSoftware": "?o pankg:doi ?s . ?o a pankg:SoftwareVersion .",
}

Row = tuple[Any, Any]  # (?o, ?x)


def batch_query(keys: list[tuple[str, str]]) -> str:
    """One SELECT answering every ``(link, iri)`` key: a UNION of one branch per link kind."""
    groups: dict[str, list[str]] = defaultdict(list)
    for link, node in dict.fromkeys(keys):
        groups[link].append(iri(node))
    branches = [
        f"{{ VALUES ?s {{ {' '.join(nodes)} }} {LINKS[link]} BIND({literal(link)} AS ?k) }}"
        for link, nodes in groups.items()
    ]
    body = "\nUNION ".join(branches)
    return f"SELECT DISTINCT ?k ?s ?o ?x WHERE {{\n{body}\n}}"


SETTLE_TICKS = 10
"""Event-loop turns a batch waits before it goes out. graphql-core completes the items of a list over a few
turns (each list, each nested await adds one), so a DataLoader that dispatches on the next turn splits
one level into two or three queries. Waiting ten turns costs microseconds and gathers the whole level."""


class SettlingLoop:
    """The running loop, except that ``call_soon`` (the DataLoader's dispatch) runs ``SETTLE_TICKS`` turns later."""

    def __init__(self, loop: asyncio.AbstractEventLoop, ticks: int = SETTLE_TICKS) -> None:
        self._loop = loop
        self._ticks = ticks

    def create_future(self) -> asyncio.Future[Any]:
        return self._loop.create_future()

    def call_soon(self, callback: Callable[..., Any], *args: Any) -> None:
        def step(remaining: int) -> None:
            if remaining:
                self._loop.call_soon(step, remaining - 1)
            else:
                callback(*args)

        self._loop.call_soon(step, self._ticks)


class BatchLoader:
    """A strawberry DataLoader over ``(link, iri)`` keys, answering each batch with one store query.

    Made per request, inside the request's event loop (the loop is taken when the first key is loaded)."""

    def __init__(self, select: Callable[[str], Awaitable[list[list[Any]]]]) -> None:
        self._select = select
        self._loader: DataLoader[tuple[str, str], list[Row]] | None = None
        self._known: dict[tuple[str, str], list[Row]] = {}

    @property
    def loader(self) -> DataLoader[tuple[str, str], list[Row]]:
        if self._loader is None:
            loop = SettlingLoop(asyncio.get_running_loop())
            self._loader = DataLoader(load_fn=self._load, loop=cast(asyncio.AbstractEventLoop, loop))  # duck-typed
        return self._loader

    async def _load(self, keys: list[tuple[str, str]]) -> list[list[Row]]:
        rows = await self._select(batch_query(keys))
        found: dict[tuple[str, str], list[Row]] = defaultdict(list)
        for link, subject, obj, extra in rows:
            found[(link, subject)].append((obj, extra))
        answers = [found.get(key, []) for key in keys]
        self._known.update(zip(keys, answers, strict=True))
        return answers

    async def prefetch(self, keys: list[tuple[str, str]]) -> None:
        """Load ``keys`` now (one batch with whatever else this tick asks), so that the resolvers reading them
        later find them loaded and answer at once (:mod:`resolvers.graphql.lookahead`)."""
        missing = [k for k in keys if k not in self._known]
        if missing:
            await self.loader.load_many(missing)

    def loaded(self, link: str, node: str) -> list[Any]:
        """The objects of ``link`` from ``node`` if loaded (else none): for looking further ahead."""
        return [obj for obj, _ in self._known.get((link, node), [])]

    async def links(self, link: str, node: str) -> list[Any]:
        """The objects of ``link`` from ``node``, in a stable order."""
        return sorted({obj for obj, _ in await self._settled(link, node)}, key=str)

    async def props(self, node: str) -> dict[str, list[Any]]:
        """``{predicate IRI: [values]}`` of a node's scalar properties."""
        found: dict[str, list[Any]] = defaultdict(list)
        for obj, predicate in await self._settled("props", node):
            found[predicate].append(obj)
        return found

    async def _settled(self, link: str, node: str) -> list[Row]:
        """The rows of a key: at once when loaded; else the batch's answer, through a future of this caller's own
        (asyncio refuses two eager coroutines awaiting one pending future: :mod:`resolvers.graphql.eager`)."""
        known = self._known.get((link, node))
        if known is not None:
            return known
        if link not in LINKS:
            raise KeyError(link)
        shared = cast(asyncio.Future[list[Row]], self.loader.load((link, node)))
        if shared.done():
            return shared.result()
        mine: asyncio.Future[list[Row]] = asyncio.get_running_loop().create_future()
        shared.add_done_callback(lambda done: _copy(done, mine))
        return await mine


def _copy(source: asyncio.Future[Any], target: asyncio.Future[Any]) -> None:
    """Settle ``target`` as ``source`` settled (unless its waiter has gone)."""
    if target.done():
        return
    if source.cancelled():
        target.cancel()
    elif (error := source.exception()) is not None:
        target.set_exception(error)
    else:
        target.set_result(source.result())
