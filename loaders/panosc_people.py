"""PaNOSC people and affiliations, restricted with the proposals that alone name them.

A Person or Affiliation record is its own record, but the search API knows people only as members of
documents. A proposal document under embargo (``isPublic`` false, or no flag and a ``releaseDate`` ahead)
hides its team: the PI link, and every person and affiliation no public document names, go to the graph
of the proposal's team (docs/access.md §1; the model judges the date, so ``pankg release`` publishes them
with the data). DOI records and publications are public in the model, so their members are public.

One entity is written per access a person is named under, each with the affiliations of those
memberships: a person a public document names stays public with what it says, and an embargoed
proposal's membership (its affiliation included) is seen by its team only.

>>> closed = e.RecordAccess(public=False, proposal="p1")
>>> [p.known_from for p in people([e.Person("x", "Ada")], {"x": [(closed, "ESS")]})]
[RecordAccess(public=False, embargo_end=None, owner_group='', access_groups=(), proposal='p1')]
>>> [(p.known_from, p.affiliations) for p in people([e.Person("x", "Ada")], {"x": [(closed, "ESS"), (None, "")]})]
[(RecordAccess(public=False, embargo_end=None, owner_group='', access_groups=(), proposal='p1'), ('ESS',)), (None, ())]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any

from graph.model import entities as e

Membership = tuple[e.RecordAccess | None, str]
"""The access of the document a member record links to (None: public), and the member's affiliation name."""


def document_access(document: Mapping[str, Any], proposal: bool) -> e.RecordAccess | None:
    """What is known from a document only is read as the document says: a proposal by its ``isPublic``, else
    its ``releaseDate`` (by its team, readers of ``proposal:<pid>``); DOI records and publications are public."""
    if not proposal or document.get("isPublic") is True:
        return None
    return e.RecordAccess(public=document.get("isPublic"), embargo_end=document.get("releaseDate"),
                          proposal=str(document["pid"]))


def _by_access(memberships: Iterable[Membership]) -> dict[e.RecordAccess | None, list[str]]:
    """Affiliation names grouped by the access they are known under (a person named by none: public)."""
    found: dict[e.RecordAccess | None, list[str]] = {}
    for access, affiliation in memberships:
        names = found.setdefault(access, [])
        if affiliation and affiliation not in names:
            names.append(affiliation)
    return found or {None: []}


def people(persons: Iterable[e.Person], memberships: Mapping[str, list[Membership]]) -> Iterator[e.Person]:
    """Each person record (without affiliations yet) once per access it is named under, with the
    affiliations of those memberships."""
    for person in persons:
        for access, affiliations in _by_access(memberships.get(person.pid, ())).items():
            yield replace(person, affiliations=tuple(affiliations), known_from=access)


def organizations(names: Iterable[str], memberships: Mapping[str, list[Membership]]) -> Iterator[e.Organization]:
    """The affiliations, each public unless only embargoed proposals' members name it."""
    named: dict[str, list[e.RecordAccess | None]] = {}
    for found in memberships.values():
        for access, affiliation in found:
            if affiliation and access not in named.setdefault(affiliation, []):
                named[affiliation].append(access)
    for name in names:
        for access in named.get(name) or [None]:
            yield e.Organization(name, name, known_from=access)
