"""How long a job or request has been taking lately, to refuse at once what would not be answered in time."""

from __future__ import annotations

import math
import threading
import time


class ServiceTime:
    """How long a job (or request) has been taking lately: exponentially weighted mean and mean deviation.

    It tells a newcomer, before it waits, whether its answer would come before its deadline: when it would
    not, refusing it at once (503) is kinder than letting it time out, and costs the server nothing. Jobs
    differ (a lookup, a page of fifty), so the newcomer's own run is reckoned at mean + 2 deviations, as TCP
    reckons a round trip, and the wait for those ahead of it at the mean.
    """

    ALPHA, BETA = 0.2, 0.25
    HALF_LIFE = 30.0
    """Seconds over which an estimate nothing renews loses half its weight (:meth:`long_run`)."""

    def __init__(self) -> None:
        self.mean = 0.0
        self.deviation = 0.0
        self.last = 0.0
        self.inside = 0
        """Requests of this kind running now (a gate's kinds): one at a time may measure a kind that was slow."""
        self._seen = False
        self._lock = threading.Lock()

    def add(self, seconds: float) -> None:
        with self._lock:
            self.last = time.monotonic()
            if not self._seen:
                self.mean, self.deviation, self._seen = seconds, seconds / 2, True
                return
            self.deviation += self.BETA * (abs(seconds - self.mean) - self.deviation)
            self.mean += self.ALPHA * (seconds - self.mean)

    @property
    def measured(self) -> bool:
        return self._seen

    def long_run(self, faded: bool = True) -> float:
        """A long run of one more: mean + 2 deviations, fading (``faded``) with the time since the last one
        ended: an estimate that refuses every request of a kind is never renewed, so after a while one is let
        through to measure again."""
        if not self._seen:
            return 0.0
        fade = 0.5 ** ((time.monotonic() - self.last) / self.HALF_LIFE) if faded else 1.0
        return (self.mean + 2 * self.deviation) * fade

    def wait(self, ahead: int, servers: int) -> float:
        """The expected wait behind ``ahead`` jobs served ``servers`` at a time."""
        return math.ceil(max(0, ahead) / max(1, servers)) * self.mean

    def answer(self, ahead: int, servers: int) -> float:
        """When a newcomer behind ``ahead`` jobs may expect its answer: the wait, then a long run of its own."""
        return self.wait(ahead, servers) + self.mean + 2 * self.deviation
