"""Access keys and entitlements: who may read which restricted named graph.

Every quad the model writes carries an *access key* that picks its named graph (``docs/access.md``):

- ``public``: everyone;
- ``restricted``: staff only (personal data, records whose owner is unknown);
- ``restricted:<group>``: the catalogue group that owns the dataset (SciCat ``ownerGroup``);
- ``restricted:proposal:<pid>``: the experimental team of a proposal, when no group is known;
- any of the restricted keys with ``@<yyyy-mm-dd>``: the day the embargo ends, so that
  ``pankg release`` can make the graph public by moving it, without the source files.

The split lives in the store, not in the resolvers: a caller's :class:`Entitlement` selects the graphs of
its query's dataset, so data it is not entitled to is not there for any query to reach.

>>> key = restricted_key("esrf-ma1234", "", dt.date(2029, 1, 1))
>>> key, parse(key)
('restricted:esrf-ma1234@2029-01-01', ('esrf-ma1234', datetime.date(2029, 1, 1)))
>>> Entitlement(groups=frozenset({"esrf-ma1234"})).allows(key), Entitlement().allows(key)
(True, False)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ontology.namespaces import DCTERMS
from ontology.terms import PANKG

PUBLIC = "public"
RESTRICTED = "restricted"
PROPOSAL = "proposal:"


def restricted_key(owner_group: str = "", proposal: str = "", until: dt.date | None = None) -> str:
    """The key of restricted quads owned by ``owner_group`` (else the team of ``proposal``, else staff only),
    hidden ``until`` the embargo end when the restriction comes from a date rather than a flag."""
    group = owner_group or (PROPOSAL + proposal if proposal else "")
    key = f"{RESTRICTED}:{group}" if group else RESTRICTED
    return f"{key}@{until.isoformat()}" if until is not None else key


def parse(key: str) -> tuple[str, dt.date | None]:
    """``(group, embargo end)`` of a restricted key; group ``""`` is staff only, ``proposal:<pid>`` a team."""
    rest = key[len(RESTRICTED) :].removeprefix(":")
    group, at, day = rest.rpartition("@")
    if at:
        try:
            return group, dt.date.fromisoformat(day)
        except ValueError:
            pass  # an "@" that is part of a group's name
    return rest, None


def level(key: str) -> str:
    """``public`` or ``restricted``: the access level of a key (what ``pankg:accessLevel`` records)."""
    return PUBLIC if key == PUBLIC else RESTRICTED


def released(key: str, as_of: dt.date) -> str:
    """The key a graph has once the embargo ended on ``as_of``: public if its date has passed."""
    if key == PUBLIC:
        return key
    _, until = parse(key)
    return PUBLIC if until is not None and until <= as_of else key


def until(key: str) -> dt.date | None:
    """The embargo end a key is dated by, if any."""
    return parse(key)[1] if key != PUBLIC else None


def release_update(released_graph: str, public: str) -> str:
    """The SPARQL update that makes one restricted graph public: flip the stubs of the datasets whose
    details it holds to ``pankg:Public``, copy its triples into the public graph, drop it."""
    rel, pub = f"<{released_graph}>", f"<{public}>"
    access, closed, open_ = f"<{PANKG.accessLevel}>", f"<{PANKG.Restricted}>", f"<{PANKG.Public}>"
    return (
        f"DELETE {{ GRAPH {pub} {{ ?s {access} {closed} }} }} INSERT {{ GRAPH {pub} {{ ?s {access} {open_} }} }}"
        f" WHERE {{ GRAPH {rel} {{ ?s <{DCTERMS.title}> ?title }} GRAPH {pub} {{ ?s {access} {closed} }} }} ;\n"
        f"ADD SILENT GRAPH {rel} TO GRAPH {pub} ;\nDROP SILENT GRAPH {rel}"
    )


@dataclass(frozen=True)
class Entitlement:
    """What an authenticated caller may read besides the public graphs: restricted graphs of its groups and
    proposals (``staff``: every restricted graph). Never the meta graph: that is the local data manager's."""

    groups: frozenset[str] = field(default_factory=frozenset)
    proposals: frozenset[str] = field(default_factory=frozenset)
    staff: bool = False

    def allows(self, key: str) -> bool:
        """True if a graph of access ``key`` is in this caller's dataset."""
        if key == PUBLIC or self.staff:
            return True
        group, _ = parse(key)
        if group.startswith(PROPOSAL):
            return group[len(PROPOSAL) :] in self.proposals
        return bool(group) and group in self.groups
