"""Access keys and entitlements: who may read which restricted named graph.

Every quad the model writes carries an *access key* that picks its named graph (``docs/access.md``):

- ``public``: everyone;
- ``restricted``: staff only (personal data, records whose owner is unknown);
- ``restricted:<group>[,<group>...]``: the catalogue groups that may read the dataset (SciCat ``ownerGroup``
  and ``accessGroups``), deduplicated and sorted, so that datasets read by the same groups share one graph;
- ``restricted:proposal:<pid>``: the experimental team of a proposal, when no group is known;
- any of the restricted keys with ``@<yyyy-mm-dd>``: the day the embargo ends, so that
  ``pankg release`` can make the graph public by moving it, without the source files.

In a key each reader (a group name, or ``proposal:<pid>``) has ``%``, ``,`` and ``@`` percent-encoded, so
any name parses back. Keys of earlier versions named one group as is: they still parse to that group (an
``@`` in it is told from the date's, as before). Only a comma or ``%xx`` in such a raw name would read
differently, and no store holds raw keys: the registry rebuilds them from the meta graph's literals.

The split lives in the store, not in the resolvers: a caller's :class:`Entitlement` selects the graphs of
its query's dataset, so data it is not entitled to is not there for any query to reach.

>>> key = restricted_key(["esrf-ma1234", "esrf-staff", "esrf-ma1234"], "", dt.date(2029, 1, 1))
>>> key, parse(key)
('restricted:esrf-ma1234,esrf-staff@2029-01-01', (('esrf-ma1234', 'esrf-staff'), datetime.date(2029, 1, 1)))
>>> Entitlement(groups=frozenset({"esrf-staff"})).allows(key), Entitlement().allows(key)
(True, False)
>>> restricted_key("team, a@b"), parse(restricted_key("team, a@b"))[0]
('restricted:team%2C a%40b', ('team, a@b',))
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from ontology.namespaces import DCTERMS
from ontology.terms import PANKG

PUBLIC = "public"
RESTRICTED = "restricted"
PROPOSAL = "proposal:"
_ENCODE = {"%": "%25", ",": "%2C", "@": "%40"}
_DECODE = re.compile("%(25|2C|40)", re.IGNORECASE)


def _encode(reader: str) -> str:
    """A reader's name with the characters that delimit a key percent-encoded (``%`` first)."""
    for char, code in _ENCODE.items():
        if char in reader:
            reader = reader.replace(char, code)
    return reader


def _decode(text: str) -> str:
    return _DECODE.sub(lambda m: chr(int(m.group(1), 16)), text) if "%" in text else text


def readers_key(readers: Iterable[str], until: dt.date | None = None) -> str:
    """The key of a graph read by ``readers`` (group names and ``proposal:<pid>``), in canonical order;
    none: staff only. The registry rebuilds keys with it from the meta graph's ``pankg:accessGroup``s."""
    names = ",".join(_encode(r) for r in sorted({r for r in readers if r}))
    key = f"{RESTRICTED}:{names}" if names else RESTRICTED
    return f"{key}@{until.isoformat()}" if until is not None else key


def restricted_key(groups: str | Iterable[str] = (), proposal: str = "", until: dt.date | None = None) -> str:
    """The key of restricted quads read by ``groups`` (one name, or the owner group and the access groups;
    else the team of ``proposal``, else staff only), hidden ``until`` the embargo end when the restriction
    comes from a date rather than a flag."""
    names = {groups} if isinstance(groups, str) else set(groups)
    names.discard("")
    return readers_key(names or ({PROPOSAL + proposal} if proposal else ()), until)


# Cached: a token's scope asks it of every registered graph on every request (4,283 graphs at 100,000 demo
# datasets cost 5 ms a request uncached).
@lru_cache(maxsize=1 << 16)
def parse(key: str) -> tuple[tuple[str, ...], dt.date | None]:
    """``(readers, embargo end)`` of a restricted key: readers are group names and ``proposal:<pid>``
    (a team); none is staff only."""
    rest = key[len(RESTRICTED) :].removeprefix(":")
    names, until = rest, None
    head, at, day = rest.rpartition("@")
    if at:
        # a ValueError: an "@" that is part of a group's name (a key of an earlier version)
        with contextlib.suppress(ValueError):
            names, until = head, dt.date.fromisoformat(day)
    return tuple(_decode(n) for n in names.split(",") if n), until


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
    proposals (``staff``: every graph, the meta graph included, as the local data manager reads: see
    :func:`everything`). Other entitlements never read the meta graph."""

    groups: frozenset[str] = field(default_factory=frozenset)
    proposals: frozenset[str] = field(default_factory=frozenset)
    staff: bool = False

    def allows(self, key: str) -> bool:
        """True if a graph of access ``key`` is in this caller's dataset: any one of its readers will do,
        since each of a dataset's groups may read all of it."""
        if key == PUBLIC or self.staff:
            return True
        return any(self._is(reader) for reader in parse(key)[0])

    def _is(self, reader: str) -> bool:
        """True if the caller is ``reader``: a member of that group, or of that proposal's team."""
        if reader.startswith(PROPOSAL):
            return reader[len(PROPOSAL) :] in self.proposals
        return reader in self.groups


def everything(scope: object) -> bool:
    """True for the scopes that read every graph, the meta graph included: the local CLI's ``all``, and a staff
    token (the facility's data managers), whose reads then take the store's union fast path as the CLI's do:
    a list of thousands of graphs made a staff query 3,500 times slower (bench/README.md, sparql_endpoint.py)."""
    return scope == "all" or (isinstance(scope, Entitlement) and scope.staff)
