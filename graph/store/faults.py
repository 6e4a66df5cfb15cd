"""Named points of a write where a crash test may stop the process: for tests only, inactive unless one arms it.

The store promises that a process killed at any moment leaves the graph exactly as it was before the load
or as it is after it, and that the next open and a rerun of the load just work (docs/store.md §4). That is
only believable if a test kills a real load at the moments that matter, and does so deterministically, not
by sleeping and hoping. The write path therefore calls :func:`reached` at these points:

``stage``
    a chunk of a source's new graphs has reached the store (``graph/store/bulk.py``); nothing is registered yet;
``swap``
    the new graphs are staged and counted, the swap update that registers them is about to run;
``swapped``
    the swap update has committed; the old generation is not yet dropped;
``drop``
    one transaction of the garbage collector has committed (``graph/store/collect.py``): after a swap, part of
    the old generation is gone; after an open, part of a crashed load's leftovers;
``release``
    ``GraphStore.release`` has committed the release of one source.

:func:`reached` does nothing unless a hook was installed with :func:`arm`, which only the crash tests do
(``tests/graph/crash_driver.py`` runs the real ``pankg`` command line with a hook that SIGKILLs the
process at the named point). No setting or environment variable arms it: a deployed pankg never stops here.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable

POINTS = ("stage", "swap", "swapped", "drop", "release")

_hook: Callable[[str], None] | None = None


def reached(point: str) -> None:
    """The write has reached ``point`` (one of :data:`POINTS`); calls the armed hook, if any."""
    if _hook is not None:
        _hook(point)


def arm(hook: Callable[[str], None] | None) -> None:
    """Install ``hook`` (None: disarm). For crash tests only."""
    global _hook
    _hook = hook


def kill_at(where: str) -> None:
    """Arm a hook that SIGKILLs this process the N-th time (default: the first) the write reaches POINT, given as
    ``POINT[:N]``; raises ``ValueError`` for a point not in :data:`POINTS`. For crash tests and benches only."""
    point, _, nth = where.partition(":")
    if point not in POINTS:
        raise ValueError(f"unknown crash point {point!r}; known: {', '.join(POINTS)}")
    left = [int(nth or 1)]

    def crash(reached: str) -> None:
        if reached == point:
            left[0] -= 1
            if not left[0]:
                os.kill(os.getpid(), signal.SIGKILL)

    arm(crash)
