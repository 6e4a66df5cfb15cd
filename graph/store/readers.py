"""Keeps track of readers so a writer never deletes a graph that a running query may still read.

Each swap of a source's graphs opens a new epoch. A reader belongs to the epoch in which it started;
before old graphs are dropped the writer waits until every reader of an older epoch has finished.
Readers never wait for writers.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager


class ReaderEpochs:
    """Counts running readers per epoch."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._epoch = 0
        self._active: Counter[int] = Counter()

    @contextmanager
    def reading(self) -> Iterator[int]:
        """Mark the current thread as a reader for the duration of the block; yields its epoch."""
        with self._cond:
            epoch = self._epoch
            self._active[epoch] += 1
        try:
            yield epoch
        finally:
            with self._cond:
                self._active[epoch] -= 1
                if not self._active[epoch]:
                    del self._active[epoch]
                self._cond.notify_all()

    def advance(self) -> int:
        """Start a new epoch (after a swap) and return it."""
        with self._cond:
            self._epoch += 1
            return self._epoch

    def oldest(self) -> int | None:
        """The oldest epoch that still has a reader running; None when no reader runs."""
        with self._cond:
            return min(self._active, default=None)

    def wait_for_older(self, epoch: int, timeout: float | None = None) -> bool:
        """Wait until no reader of an epoch before ``epoch`` runs; False if ``timeout`` passed first."""
        with self._cond:
            return self._cond.wait_for(lambda: all(e >= epoch for e in self._active), timeout)
