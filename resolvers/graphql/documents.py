"""Documents seen lately, parsed and validated once.

Clients send the same few documents again and again with other variables (a page walked with cursors, a
dataset by PID), and an attacker the same alias bomb fifty times a second: parsing and validating each one
again cost the server's one interpreter several milliseconds a time, taken from every other request. So the
parse (with its kind, :func:`resolvers.graphql.http.read_document`) and the validation errors of the
:data:`SIZE` most recent documents are kept, keyed by their text; documents longer than :data:`LONGEST`
characters are not kept (a few hundred of them would hold megabytes). A cached document is the same
immutable graphql-core tree for every request, as strawberry's own parser cache shares it. Used on the event
loop only.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")

SIZE = 256
LONGEST = 20_000


class Recent(Generic[V]):
    """The ``size`` most recently used values, by key; keys whose text is over ``longest`` are never kept."""

    def __init__(self, size: int = SIZE, longest: int = LONGEST) -> None:
        self.size, self.longest = size, longest
        self._values: OrderedDict[Hashable, V] = OrderedDict()

    def get(self, key: Hashable) -> V | None:
        value = self._values.get(key)
        if value is not None:
            self._values.move_to_end(key)
        return value

    def put(self, key: Hashable, text: str, value: V) -> None:
        if len(text) > self.longest:
            return
        self._values[key] = value
        self._values.move_to_end(key)
        while len(self._values) > self.size:
            self._values.popitem(last=False)

    def __len__(self) -> int:
        return len(self._values)
