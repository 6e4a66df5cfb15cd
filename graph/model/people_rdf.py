"""How people and organizations become RDF (part of :mod:`graph.model.writer`, which dispatches here).

A person or organization is public, except when its loader says it is known from a record under a data
policy (``known_from``, :class:`graph.model.entities.RecordAccess`): while that record is restricted, every triple of
the node, its types and name included, goes to the record's restricted graph. A node minted from an
embargoed dataset's PID (``person/dataset:P#owner``) would otherwise tell anonymous readers, by its IRI and
name, the very link the embargo hides; and an ORCID named by embargoed records only would be found by
``?s a foaf:Person``. The e-mail address is personal data: staff only, whatever the record.

>>> from graph.model.writer import RdfModel
>>> import datetime as dt
>>> model = RdfModel(as_of=dt.date(2026, 1, 1))
>>> secret = e.RecordAccess(public=False, owner_group="p100")
>>> {q[3] for q in model.quads(e.Person("dataset:ds1#owner", "Grace Hopper", known_from=secret))}
{'restricted:p100'}
>>> {q[3] for q in model.quads(e.Person("dataset:ds2#owner", "Ada Lovelace", known_from=e.RecordAccess(public=True)))}
{'public'}
"""

from __future__ import annotations

from collections.abc import Iterator

from graph.model import entities as e
from graph.model.context import MappingContext
from graph.model.nt import literal
from graph.model.nterms import foaf, prov, rdf, rdfs, schema
from graph.model.quads import RESTRICTED, Quad


def organization_quads(m: MappingContext, o: e.Organization) -> Iterator[Quad]:
    s, acc = m.node("organization", o.pid), m.record_key(o.known_from)
    yield s, rdf.type, foaf.Organization, acc
    yield s, rdf.type, prov.Organization, acc
    yield s, foaf.name, literal(o.name), acc
    yield s, rdfs.label, literal(o.name), acc


def person_quads(m: MappingContext, p: e.Person) -> Iterator[Quad]:
    s, acc = m.node("person", p.pid), m.record_key(p.known_from)
    yield s, rdf.type, foaf.Person, acc
    yield s, rdf.type, prov.Person, acc
    yield s, foaf.name, literal(p.name), acc
    yield s, rdfs.label, literal(p.name), acc
    if p.given_name:
        yield s, schema.givenName, literal(p.given_name), acc
    if p.family_name:
        yield s, schema.familyName, literal(p.family_name), acc
    for org in p.affiliations:
        yield s, schema.affiliation, m.node("organization", org), acc
    if p.email:  # personal data: for staff only, whatever the access of the records naming the person
        yield s, schema.email, literal(p.email), RESTRICTED
