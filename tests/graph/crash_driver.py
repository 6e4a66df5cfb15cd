"""The crash tests' subprocess: the real ``pankg`` command line with one crash point armed.

``python -m tests.graph.crash_driver [--small-chunks] POINT[:N] [pankg arguments...]`` runs ``pankg`` with those
arguments and SIGKILLs itself the N-th time (default: the first) the store reaches POINT (:mod:`graph.store.faults`:
``stage``, ``swap``, ``swapped``, ``drop``, ``release``). If it never does, the command runs to its end as
usual. Only this module arms the points: ``pankg`` itself has no setting that does.

``--small-chunks`` stages in chunks of 5,000 quads, every one through ``bulk_load``, as a large source is
staged: a small demo then reaches the store in many chunks, two being written while the next are made, so a
kill at ``stage:N`` lands with bulk loads in flight.
"""

from __future__ import annotations

import sys

import graph.store.bulk
from graph.store import faults
from pankg.cli import app


def main(argv: list[str]) -> None:
    if argv[0] == "--small-chunks":
        graph.store.bulk.CHUNK_QUADS, graph.store.bulk.SMALL_BYTES = 5_000, 0
        argv = argv[1:]
    where, *args = argv
    try:
        faults.kill_at(where)
    except ValueError as exc:
        raise SystemExit(str(exc)) from None
    app(args, prog_name="pankg")


if __name__ == "__main__":
    main(sys.argv[1:])
