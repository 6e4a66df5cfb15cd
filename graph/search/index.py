"""The index on disk beside the store, and how it stays in step with the graph.

An on-disk store at ``DIR`` keeps its index in ``DIR/search/`` (tantivy's files) with ``DIR/search/pankg-search.json``
recording what the index reflects: the store's :attr:`~graph.store.writes.WritePath.write_version` (bumped in the
transaction of every load, removal, release and update, so it survives restarts), the base IRI and the index's
layout (:data:`graph.search.schema.FORMAT`). An in-memory store gets an in-memory index.

**Consistency.** :meth:`SearchIndex.open` compares the recorded version with the store's and rebuilds when they
differ (or when the record is missing, unreadable or of another layout), so a process killed between a store
write and the index update leaves them consistent at the next open. A rebuild deletes every document and adds
the new ones in one tantivy commit: a searcher sees the old index or the new one, never a mix. The record is
written after the commit (atomically: a temporary file renamed), with the store version read *before* the graph
was read, so a write that lands during a rebuild makes the next :meth:`catch_up` rebuild again rather than be
missed; a crash between the commit and the record only costs a rebuild.

**Catching up re-indexes what a write changed.** The record also keeps a fingerprint of every source the index
reflects (its content hash, generation and graphs with their keys and sizes, from the store's registry) and of
the technique tree. Every write pankg makes goes through the registry (a load or removal swaps a source's
graphs, an embargo release moves them, a SPARQL update registers the user graph it wrote), so the sources whose
fingerprint changed name every graph a write touched. Their nodes are re-indexed: those whose documents hold a
fact from one of those graphs (each document lists its ``graphs``: what the graphs said before) and those the
graphs now hold, cite or cite by DOI (:func:`graph.search.facts.touched`: what they say now). Their documents are
deleted by ``iri`` and written again from the graph, in one commit. A changed technique tree (PaNET loaded or
reloaded: every document's ancestors and technique words may change), another base IRI or layout, a record
from before fingerprints, or a change touching more than :data:`INCREMENTAL_SHARE` of the documents rebuilds
everything (a rebuild costs 0.9-1.5 times the load: docs/search.md §5).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tantivy

from graph.errors import StoreError
from graph.search import entities
from graph.search import schema as s
from graph.search.documents import all_documents, to_tantivy
from graph.search.facts import TechniqueTree, dataset_iris, graph_keys, read_chunks, technique_tree, touched
from graph.store.embedded import GraphStore
from graph.store.registry import SourceInfo

if TYPE_CHECKING:
    from graph.search.entities import EntityQuery
    from graph.search.query import DatasetQuery, Order
    from graph.search.search import Page
    from graph.store.reads import Scope

META = "pankg-search.json"
INCREMENTAL_SHARE = 0.3
"""Above this share of the documents touched by a write, a rebuild is cheaper than deleting and re-adding."""
TOTALS_KEPT = 1024
"""Totals kept per generation (then forgotten all at once)."""
WRITER_HEAP = 128_000_000
"""Bytes the index writer buffers before it writes a segment (split between its threads)."""


_OPENED: weakref.WeakKeyDictionary[GraphStore, SearchIndex] = weakref.WeakKeyDictionary()
_OPENED_LOCK = threading.Lock()


@dataclass(frozen=True)
class Rebuilt:
    """What a rebuild did."""

    datasets: int
    documents: int
    seconds: float
    version: int
    incremental: bool = False
    """True when only the nodes a write touched were re-indexed (``datasets``/``documents``: those)."""


class SearchIndex:
    """The search index of one store. Open it with :meth:`open`; every method is safe from any thread (rebuilds
    take turns, searches never wait for them)."""

    def __init__(self, store: GraphStore, index: tantivy.Index, path: Path | None, meta: dict[str, Any]) -> None:
        self.store = store
        self.path = path
        self.schema = s.build_schema()
        self._index = index
        self._index.register_tokenizer(s.ANALYZER, s.analyzer())
        self._meta = meta
        self._lock = threading.Lock()
        self._generation = 0
        self._totals: dict[tuple[Any, ...], int] = {}

    @classmethod
    def of(cls, store: GraphStore) -> SearchIndex:
        """The one index object of ``store`` in this process, opened on first use (not caught up: the first
        search does that). Every app and request on one store shares it: two objects would each keep their own
        copy of an in-memory index, and their writers would contend for one directory's lock."""
        with _OPENED_LOCK:
            found = _OPENED.get(store)
            if found is None:
                found = _OPENED[store] = cls.open(store, catch_up=False)
            return found

    @classmethod
    def open(cls, store: GraphStore, *, catch_up: bool = True) -> SearchIndex:
        """The index beside ``store``, created if missing; with ``catch_up``, rebuilt at once if it does not
        reflect the store's current write version (a new index, an older pankg's, a crash between the two)."""
        path = store.path / "search" if store.path is not None else None
        meta: dict[str, Any] = {}
        if path is None:
            index = tantivy.Index(s.build_schema())
        else:
            meta = _read_meta(path)
            index, reused = _open_index(path, fresh=meta.get("format") != s.FORMAT)
            if not reused:
                meta = {}  # a new, empty index reflects no version of the store
        found = cls(store, index, path, meta)
        if catch_up:
            found.catch_up()
        return found

    # ------------------------------------------------------------------ state

    @property
    def version(self) -> int | None:
        """The store write version the index reflects; None before its first build."""
        value = self._meta.get("store_version")
        return value if isinstance(value, int) else None

    def recorded(self, name: str) -> Any:
        """A figure of the index's record (``datasets``, ``documents``, ``seconds``, ``built``), or None."""
        return self._meta.get(name)

    @property
    def techniques(self) -> frozenset[str]:
        """The techniques the index knows (the tree's and those datasets name): a filter on another is an error."""
        return frozenset(self._meta.get("techniques", ()))

    @property
    def is_current(self) -> bool:
        return self.version == self.store.write_version and self._meta.get("base") == self.store.minter.base

    @property
    def generation(self) -> int:
        """Bumped at every commit this object makes: what a cached answer was computed on."""
        return self._generation

    def _reloaded(self) -> None:
        self._index.reload()
        self._generation += 1
        self._totals = {}

    def total(self, key: tuple[Any, ...], count: Callable[[], int]) -> int:
        """The total of a search, kept per generation: a walk of 200 pages counts its matches once (counting a
        million took 8 ms a page). ``key`` must hold the generation read before the searcher was taken, so a total
        counted on a searcher older than a commit is never given for a newer one."""
        found = self._totals.get(key)
        if found is None:
            found = count()
            if len(self._totals) >= TOTALS_KEPT:
                self._totals = {}
            self._totals[key] = found
        return found

    def boundaries(self, field: str) -> list[str]:
        """The sampled keys of a key order, sorted: marks cutting it into windows of about
        :data:`graph.search.schema.SAMPLE` documents. Hints only (a stale mark, of a document since deleted,
        merely widens a window), so an incremental update only adds marks."""
        found = self._meta.get("boundaries", {}).get(field, [])
        return found if isinstance(found, list) else []

    def searcher(self) -> tantivy.Searcher:
        """A searcher on the last commit: take one per search, and use it for every step of that search."""
        return self._index.searcher()

    def parse(self, text: str) -> tantivy.Query:
        """tantivy's query parser, for the few queries it alone builds (term ranges on text fields): callers
        pass text made of safe characters only (:mod:`graph.search.schema`)."""
        return self._index.parse_query(text, [])

    # ------------------------------------------------------------------ writing

    def catch_up(self) -> Rebuilt | None:
        """Re-index what the store's writes since the index was built changed (or rebuild: see the module's
        documentation); None if it was current."""
        if self.is_current:
            return None
        with self._lock:
            if self.is_current:
                return None
            return self._update()

    def rebuild(self) -> Rebuilt:
        """Read every dataset from the graph and replace the whole index with them, in one commit."""
        with self._lock:
            return self._rebuild()

    def _update(self) -> Rebuilt:
        """Re-index the nodes the changed sources touched, or rebuild when that is not possible or not cheaper."""
        started = time.perf_counter()
        # The version with its registrations, before reading: a write during the update is caught up next time.
        version, registered = self.store.registered()
        sources = _fingerprints(registered)
        tree = technique_tree(self.store)
        before = self._meta.get("sources")
        if (not isinstance(before, dict) or self._meta.get("base") != self.store.minter.base
                or self._meta.get("tree") != _tree_print(tree)):
            return self._rebuild(version, tree, registered)
        changed = {src for src in set(before) | set(sources) if _print(before.get(src)) != _print(sources.get(src))}
        graphs = {g for src in changed for entry in (before.get(src), sources.get(src)) for g in _graphs(entry)}
        searcher = self.searcher()
        nodes = self._documents_from(searcher, graphs)
        if len(nodes) > INCREMENTAL_SHARE * max(searcher.num_docs, 1000):
            return self._rebuild(version, tree, registered)
        nodes |= touched(self.store, graphs)
        if len(nodes) > INCREMENTAL_SHARE * max(searcher.num_docs, 1000):
            return self._rebuild(version, tree, registered)
        marks = {field: set(self.boundaries(field)) for field in s.SORT_FIELDS}  # stale ones only widen a window
        datasets, count, used = self._write(tree, marks, nodes)
        seconds = time.perf_counter() - started
        self._record(version, tree, sources, used | set(self._meta.get("techniques", ())), marks,
                     datasets=self._meta.get("datasets", 0), documents=self.searcher().num_docs, seconds=seconds)
        return Rebuilt(datasets, count, seconds, version, incremental=True)

    def _write(self, tree: TechniqueTree, marks: dict[str, set[str]],
               nodes: set[str] | None = None) -> tuple[int, int, set[str]]:
        """Replace the documents of ``nodes`` (None: of everything) with what the graph says now, in one commit;
        the datasets and documents written, and the techniques they name."""
        keys = graph_keys(self.store)
        iris = dataset_iris(self.store, keys, nodes)
        writer = self._index.writer(WRITER_HEAP, 0)
        count = 0
        used: set[str] = set()
        try:
            if nodes is None:
                writer.delete_all_documents()
            for node in sorted(nodes or ()):
                writer.delete_documents_by_term("iri", node)
            for doc in all_documents(read_chunks(self.store, iris, keys), tree):
                used |= doc.techniques
                writer.add_document(to_tantivy(doc))
                _mark(marks, "dataset", doc.iri, doc.title)
                count += 1
            for entity in entities.read_entities(self.store, keys, tree, nodes):
                writer.add_document(entities.to_tantivy(entity))
                _mark(marks, entity.entity, entity.iri, entity.title)
                count += 1
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()
        self._reloaded()
        return len(iris), count, used

    def _documents_from(self, searcher: tantivy.Searcher, graphs: set[str]) -> set[str]:
        """The nodes whose documents hold a fact from one of ``graphs``."""
        if not graphs:
            return set()
        query = tantivy.Query.term_set_query(self.schema, "graphs", sorted(graphs))
        total = searcher.search(query, 1, count=True).count  # type: ignore[attr-defined]
        if not total:
            return set()
        return {str(searcher.doc(address)["iri"][0]) for _, address in searcher.search(query, total).hits}

    def _record(self, version: int, tree: TechniqueTree, sources: dict[str, Any], techniques: set[str],
                marks: dict[str, set[str]], **figures: Any) -> None:
        meta = {"format": s.FORMAT, "store_version": version, "base": self.store.minter.base, **figures,
                "built": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
                "techniques": sorted(techniques), "tree": _tree_print(tree), "sources": sources,
                "boundaries": {field: sorted(found) for field, found in marks.items()}}
        if self.path is not None:
            _write_meta(self.path, meta)
        self._meta = meta

    def _rebuild(self, version: int | None = None, tree: TechniqueTree | None = None,
                 registered: dict[str, SourceInfo] | None = None) -> Rebuilt:
        started = time.perf_counter()
        if version is None or tree is None:  # before reading: a write during the build is caught up next time
            version, registered = self.store.registered()
            tree = technique_tree(self.store)
        sources = _fingerprints(registered)
        marks: dict[str, set[str]] = {field: set() for field in s.SORT_FIELDS}
        datasets, count, used = self._write(tree, marks)
        seconds = time.perf_counter() - started
        self._record(version, tree, sources, tree.known | used, marks, datasets=datasets, documents=count,
                     seconds=round(seconds, 3))
        return Rebuilt(datasets, count, seconds, version)

    # ------------------------------------------------------------------ reading (graph/search/search.py)

    def search(self, query: DatasetQuery | EntityQuery, scope: Scope = "public", first: int = 50,
               after: str | None = None, order: Order | None = None,
               searcher: tantivy.Searcher | None = None) -> Page:
        """A page of datasets (or of another kind of node): see :func:`graph.search.search.search`."""
        from graph.search.search import search

        return search(self, query, scope, first, after, order, searcher)

    def facets(self, query: DatasetQuery, scope: Scope = "public") -> dict[str, dict[str, int]]:
        """Counts per facet: see :func:`graph.search.search.facets`."""
        from graph.search.search import facets

        return facets(self, query, scope)


def _mark(marks: dict[str, set[str]], entity: str, iri: str, title: str | None) -> None:
    if s.is_sample(iri):
        for field, key in s.sort_keys(entity, iri, title).items():
            marks[field].add(key)


def _fingerprints(registered: dict[str, SourceInfo] | None) -> dict[str, Any]:
    """Source IRI -> what the registry says of it that a write changes, and its graphs."""
    return {src: {"print": hashlib.sha256(json.dumps(
                [info.content_hash, info.generation, str(info.next_release),
                 [[g.iri, g.access_key, g.triples] for g in info.graphs]]).encode()).hexdigest()[:32],
                  "graphs": sorted(g.iri for g in info.graphs)}
            for src, info in (registered or {}).items()}


def _print(entry: Any) -> str | None:
    return entry.get("print") if isinstance(entry, dict) else None


def _graphs(entry: Any) -> list[str]:
    found = entry.get("graphs", []) if isinstance(entry, dict) else []
    return [g for g in found if isinstance(g, str)]


def _tree_print(tree: TechniqueTree) -> str:
    """A digest of the technique tree: what every document's ancestors and technique words come from."""
    text = json.dumps([sorted((t, sorted(w)) for t, w in tree.words.items()),
                       sorted((t, sorted(p)) for t, p in tree.parents.items()), sorted(tree.known)])
    return hashlib.sha256(text.encode()).hexdigest()


def _read_meta(path: Path) -> dict[str, Any]:
    try:
        found = json.loads((path / META).read_text())
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _write_meta(path: Path, meta: dict[str, Any]) -> None:
    """Write the record whole or not at all: a temporary file, flushed, then renamed over the old one."""
    temporary = path / f".{META}.tmp"
    with open(temporary, "w") as out:
        json.dump(meta, out, indent=1)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path / META)


def _open_index(path: Path, fresh: bool) -> tuple[tantivy.Index, bool]:
    """The tantivy index in ``path`` and True; or a new, empty one and False if ``fresh`` or if what is there
    cannot be opened (another layout, a tantivy version that cannot read it, damage): the index is derived data,
    rebuilt from the graph."""
    schema = s.build_schema()
    if not fresh:
        try:
            if tantivy.Index.exists(str(path)) and tantivy.Index.is_compatible(str(path)):
                return tantivy.Index(schema, str(path), reuse=True), True
        except (OSError, ValueError):
            pass
    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(path)
    try:
        path.mkdir(parents=True)
        return tantivy.Index(schema, str(path), reuse=False), False
    except (OSError, ValueError) as exc:
        raise StoreError(f"cannot create the search index in {path}: {exc}") from None
