"""One entity's description in one scope: its outgoing triples and the labels of what it links to.

What Linked Data serves at ``/id/<kind>/<pid>`` (``resolvers/linked_data.py``), in every RDF format and as the
HTML and schema.org views (``resolvers/linked_data_views.py``), all built from the same plain triples, so no
view shows more than the caller's scope holds. One query, one snapshot: never one query per link.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from graph.errors import NotFound
from graph.query.dataset import is_iri
from graph.query.terms import BlankNode, Literal, NamedNode, Triple
from ontology.namespaces import DCAT, RDF, RDFS

if TYPE_CHECKING:
    from graph.store.reads import ReadPath, Scope

DESCRIBE = """
CONSTRUCT {{ {iri} ?p ?o . ?linked <{label}> ?name }}
WHERE {{
  {{ {iri} ?p ?o }}
  UNION
  {{ {iri} ?q ?linked . FILTER(isIRI(?linked)) ?linked <{label}> ?name }}
}}"""


@dataclass(frozen=True)
class Description:
    """What the store holds about one IRI in one scope: its triples (plain values, :mod:`graph.query.terms`) and
    the labels of its links; ``base`` is the store's base IRI, which tells minted IRIs from others."""

    iri: str
    triples: list[Triple]
    base: str

    def objects(self, predicate: str) -> list[NamedNode | BlankNode | Literal]:
        """The entity's values of ``predicate``, in a stable order."""
        found = [t.object for t in self.triples
                 if isinstance(t.subject, NamedNode) and t.subject.value == self.iri and t.predicate.value == predicate
                 and not isinstance(t.object, Triple)]
        return sorted(found, key=str)

    def first(self, predicate: str) -> str:
        """The entity's (sorted) first value of ``predicate`` as text, or ''."""
        values = self.objects(predicate)
        return values[0].value if values else ""

    def labels(self) -> dict[str, str]:
        """``{IRI: label}`` for the entity and the things it links to (one label each, the smallest)."""
        found: dict[str, str] = {}
        for t in self.triples:
            if t.predicate.value == RDFS.label and isinstance(t.object, Literal) and not isinstance(t.subject, Triple):
                key = t.subject.value
                if key not in found or t.object.value < found[key]:
                    found[key] = t.object.value
        return found

    @property
    def is_dataset(self) -> bool:
        return any(o.value == DCAT.Dataset for o in self.objects(RDF.type))


def describe(store: ReadPath, iri: str, scope: Scope) -> Description:
    """The entity's description in ``scope``; :class:`NotFound` when it has no triple there."""
    if not is_iri(iri):  # a minted IRI never holds '<', '>', '"', spaces
        raise ValueError(f"not an IRI: {iri!r}")
    node = NamedNode(iri)
    triples = store.query(DESCRIBE.format(iri=node, label=RDFS.label), scope)
    unique = list(dict.fromkeys(triples))  # the same triple may sit in several graphs
    if not any(t.subject == node for t in unique):
        raise NotFound(f"{iri} has no description here" + ("" if scope == "all" else " that you may see"))
    return Description(iri, unique, store.minter.base)
