"""One request's time inside the gate of GraphQL requests (:class:`resolvers.capacity.Gate`)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from resolvers.capacity import Gate


class Turn:
    """One request's time inside a :class:`Gate`: whether it shared the server with others while it ran, and
    the store jobs it started. A slow request's slow place is held until the last of them ends: a page cut at
    its deadline left its query running, the next page took the place, and orphaned queries filled every
    thread of the ``reads`` lane while look-ups waited six seconds behind them.

    A request that runs out of time having had the server to itself asked too much (504: ask for less); one
    that shared it lost its time to the others (503: try again). Asked at the moment of the timeout alone,
    the answer depended on whether a look-up happened to be inside in that millisecond.
    """

    def __init__(self, gate: Gate, others_then: bool) -> None:
        self.gate, self.others_then = gate, others_then
        self.admitted_then = gate.admitted
        self.inside = True
        self.jobs = 0
        """Store jobs this request started that have not ended (they may outlive it: a query cannot be stopped)."""
        self._idle: Callable[[], None] | None = None
        self._loop = asyncio.get_running_loop()

    def job(self) -> Callable[[], None]:
        """Count one more store job; the callable to call (from any thread) when it has ended."""
        self.jobs += 1

        def ended() -> None:
            with contextlib.suppress(RuntimeError):  # a closed loop: nothing waits for the count any more
                self._loop.call_soon_threadsafe(self._job_ended)

        return ended

    def _job_ended(self) -> None:
        self.jobs -= 1
        if self.jobs == 0 and self._idle is not None:
            idle, self._idle = self._idle, None
            idle()

    def when_idle(self, then: Callable[[], None]) -> None:
        """Call ``then`` once no store job of this request runs (now, if none does)."""
        if self.jobs == 0:
            then()
        else:
            self._idle = then

    def shared(self) -> bool:
        """True if others were inside or waiting when it entered, came after it, or are inside or waiting now."""
        return self.others_then or self.gate.admitted > self.admitted_then or self.gate.crowded(inside=self.inside)
