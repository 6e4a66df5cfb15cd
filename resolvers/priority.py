"""CPU priorities: the event loop first, short store work next, long store work last.

On two cores, the server's answers are due at deadlines while its store work cannot be interrupted: four
query threads and the SPARQL worker processes left the event loop waiting for a core (answers came half a
second late), and one runaway query (a cross product, a property path over every link) took a core from
every other caller for its whole 30 s. So store work runs below the loop (:data:`BACKGROUND_NICE`), and a job
drops as it runs on (:data:`LEVELS`: to :data:`LONG_NICE` after half a second, to :data:`RUNAWAY_NICE` after
five) until it ends (:class:`Demoter`), as a multilevel feedback scheduler would: it still gets every cycle
nobody else wants, but a look-up by PID that arrives meanwhile runs first, and a page before a runaway.
Linux nice values weigh a thread's share of a busy core: nice 0 gets 1024 shares, nice 5 335, nice 10 110,
nice 19 15.

A thread's priority is its own on Linux only (``setpriority`` on its thread id); elsewhere threads are left
alone (a thread id there would be the whole process, the event loop with it), and only worker processes
are demoted. Raising a priority back needs ``CAP_SYS_NICE`` (root has it) or a ``RLIMIT_NICE`` that allows
it; without, a demoted thread keeps its lower priority and a demoted worker process is replaced.
"""

from __future__ import annotations

import itertools
import os
import sys
import threading
import time

BACKGROUND_NICE = 5
"""Lane threads and SPARQL worker processes: below the event loop (nice 0)."""
LONG_NICE = 10
"""A job that has run longer than :data:`LONG_AFTER` (a page of fifty sorted over every dataset): below every
short one."""
LONG_AFTER = 0.5
"""Seconds after which a job is long: a look-up takes milliseconds, a page of fifty over 20,000 datasets about
one second."""
RUNAWAY_NICE = 19
"""A job that has run longer than :data:`RUNAWAY_AFTER` (a cross product, a property path over every link):
below every long one too, so one runaway query does not halve the pages' share of the machine."""
RUNAWAY_AFTER = 5.0
LEVELS = ((LONG_AFTER, LONG_NICE), (RUNAWAY_AFTER, RUNAWAY_NICE))
"""Seconds of running after which a job drops to a nice value, in order."""
THREADS_OWN_PRIORITY = sys.platform == "linux"


def own_id() -> int:
    """The id ``setpriority`` takes for the calling thread (Linux), else 0 (the calling process)."""
    return threading.get_native_id() if THREADS_OWN_PRIORITY else 0


def set_nice(ident: int, nice: int) -> bool:
    """Give thread or process ``ident`` the nice value ``nice``; False when the system refuses."""
    try:
        os.setpriority(os.PRIO_PROCESS, ident, nice)
        return True
    except (OSError, AttributeError):
        return False


def nice_of(ident: int) -> int:
    """The nice value of thread or process ``ident``."""
    return os.getpriority(os.PRIO_PROCESS, ident)


def lower_priority() -> None:
    """Give the calling thread (Linux) or process the :data:`BACKGROUND_NICE` nice value; never fails."""
    set_nice(own_id(), BACKGROUND_NICE)


class Demoter:
    """One daemon thread that lowers the priority of every watched job as it runs on (``levels``: seconds, nice).

    It sleeps while nothing is watched and wakes when the next job comes due, so it costs nothing on an idle
    server and a few wake-ups a second on a busy one. A job is demoted under the lock that :meth:`end` takes,
    so a job that has ended is never demoted afterwards.
    """

    def __init__(self, levels: tuple[tuple[float, int], ...] = LEVELS) -> None:
        self.levels = levels
        self._jobs: dict[int, list[float]] = {}
        """token -> [thread or process id, start, levels passed]"""
        self._tokens = itertools.count()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None

    def start(self, ident: int) -> int:
        """Watch the job now running on thread or process ``ident``; the token to give :meth:`end`."""
        with self._cond:
            token = next(self._tokens)
            self._jobs[token] = [ident, time.monotonic(), 0]
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._watch, name="pankg-demoter", daemon=True)
                self._thread.start()
            self._cond.notify()
            return token

    def end(self, token: int) -> bool:
        """Stop watching; True if the job had been demoted (its thread or process is still at a lower priority)."""
        with self._cond:
            job = self._jobs.pop(token, None)
            return job is not None and job[2] > 0

    def _due(self, job: list[float]) -> float:
        return job[1] + self.levels[int(job[2])][0] if job[2] < len(self.levels) else float("inf")

    def _watch(self) -> None:
        with self._cond:
            while True:
                due = min(((self._due(job), token) for token, job in self._jobs.items()), default=None)
                if due is None or due[0] == float("inf"):
                    self._cond.wait()
                    continue
                if due[0] > time.monotonic():
                    self._cond.wait(due[0] - time.monotonic())
                    continue
                job = self._jobs[due[1]]
                if set_nice(int(job[0]), self.levels[int(job[2])][1]):
                    job[2] += 1
                else:  # the thread or process has gone, or the system refuses: stop trying
                    job[2] = len(self.levels)


DEMOTER = Demoter()
"""The demoter of the lanes' threads (GraphQL, Linked Data, exports)."""
SPARQL_DEMOTER = Demoter(((LONG_AFTER, RUNAWAY_NICE),))
"""The demoter of SPARQL worker processes: a SPARQL query that runs past half a second drops straight to
:data:`RUNAWAY_NICE`. The endpoint takes any query anyone writes, and its cross products took half of the
pages' share of a core for their first five seconds; past half a second it still gets every idle cycle."""
