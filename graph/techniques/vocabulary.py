"""The technique names a load resolves against: the technique ontologies in the store plus pinned names.

A catalogue's free-text techniques are resolved while it loads (:mod:`graph.techniques.names`), against the
ontologies loaded before it (sources of kind ``panet``) and a facility's mapping file. The vocabulary's
fingerprint goes into every source's content hash, so loading a new PaNET version or editing the mapping
file makes the next ``pankg load`` of a catalogue resolve its names again instead of saying "unchanged".
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from graph.errors import LoaderError
from graph.techniques.names import TechniqueNames, Term
from ontology.namespaces import RDFS, SKOS
from ontology.terms import PANKG

if TYPE_CHECKING:  # a store is given, never opened here: techniques sit below the store
    from graph.store.embedded import GraphStore

ONTOLOGY_KINDS = ("panet",)
TECHNIQUE_ROOTS = ("http://purl.org/pan-science/PaNET/PaNET00001",)
"""Roots of the technique trees ("photon and neutron technique"): a term under one wins over a namesake
outside them (PaNET's specifier classes share ~70 labels with techniques)."""

_cache: weakref.WeakKeyDictionary[GraphStore, tuple[tuple[str, ...], list[Term]]] = weakref.WeakKeyDictionary()


def read_pinned(path: str | Path) -> dict[str, str]:
    """A facility's mapping file: YAML ``name: IRI`` pairs (the names as its catalogue writes them)."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise LoaderError(f"{path}: cannot read the technique names file: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise LoaderError(f"{path}: not YAML: {exc}") from None
    if not isinstance(data, dict):
        raise LoaderError(f"{path}: expected a mapping of technique names to IRIs")
    pinned = {}
    for name, target in data.items():
        if not isinstance(target, str) or not target.startswith(("http://", "https://")):
            raise LoaderError(f"{path}: name {name!r}: expected an IRI, got {target!r}")
        pinned[str(name)] = target
    return pinned


def technique_names(store: GraphStore, pinned: Mapping[str, str] | None = None) -> TechniqueNames | None:
    """The vocabulary of ``store`` (None when it holds no technique ontology and nothing is pinned)."""
    terms = _terms(store)
    if not terms and not pinned:
        return None
    return TechniqueNames(terms, dict(pinned or {}))


def _terms(store: GraphStore) -> list[Term]:
    graphs = tuple(
        sorted(g.iri for info in store.sources.values() if info.kind in ONTOLOGY_KINDS for g in info.graphs)
    )
    cached = _cache.get(store)
    if cached is not None and cached[0] == graphs:
        return cached[1]
    terms = _read(store, graphs) if graphs else []
    _cache[store] = (graphs, terms)
    return terms


def _read(store: GraphStore, graphs: tuple[str, ...]) -> list[Term]:
    values = " ".join(f"<{g}>" for g in graphs)
    roots = " ".join(f"<{r}>" for r in TECHNIQUE_ROOTS)
    _, rows = store.query(
        f"""SELECT ?t ?p ?name WHERE {{
              VALUES ?g {{ {values} }}
              GRAPH ?g {{
                ?t a <{PANKG.Technique}> .
                {{ ?t ?p ?name . VALUES ?p {{ <{RDFS.label}> <{SKOS.altLabel}> }} }}
                UNION {{ ?t <{PANKG.subTechniqueOf}> ?root . VALUES ?root {{ {roots} }}
                         BIND(<{PANKG.Technique}> AS ?p) }}
              }}
            }}"""
    )
    labels: defaultdict[str, list[str]] = defaultdict(list)
    synonyms: defaultdict[str, list[str]] = defaultdict(list)
    rooted: set[str] = set()
    for t, p, name in rows:
        if p.value == PANKG.Technique:
            rooted.add(t.value)
        elif p.value == RDFS.label:
            labels[t.value].append(name.value)
        else:
            synonyms[t.value].append(name.value)
    everything = set(labels) | set(synonyms)
    return [
        Term(t, tuple(labels[t]), tuple(synonyms[t]), technique=not rooted or t in rooted)
        for t in sorted(everything)
    ]
