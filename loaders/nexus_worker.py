"""Reading NeXus files in a worker process, because libhdf5 can loop forever on a damaged file.

Fuzzing found it (issue 12): one bit flipped in the global heap of a NeXus file makes libhdf5 spin at full
CPU inside the read of a variable-length string attribute (the ``NX_class`` of a group), in C code that no
Python signal, exception or timeout reaches: ``pankg load nexus`` never ended. So the harvest
(:func:`loaders.nexus_read.read_file`, attributes and single values only) runs in a child process: one per
process that loads NeXus files, started on first use and reused from file to file. A file the child has
not read within :data:`HARVEST_SECONDS` is an error naming the file, and the child is killed (the next file
starts a new one); a child that dies while reading (a crash inside libhdf5) is an error naming the file too.
What the child read comes back as the plain data of :mod:`loaders.nexus_read`, and its errors as pankg errors.

The child is a fresh interpreter (``python -m loaders.nexus_worker``), not a fork: the loading process holds the
store's threads, which a fork would copy in whatever state they are in, and multiprocessing's ``spawn`` would
import the caller's main script again in the child. The two talk over a pair of pipes.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from graph.errors import RecordInvalid, SourceUnavailable
from loaders.nexus_read import NexusFile, read_file
from loaders.records import bare_message

HARVEST_SECONDS = 60.0
"""How long the harvest of one file may take: its metadata is a few kB, read in milliseconds when the file is
sound, so a file still being read after this is one libhdf5 will not finish."""

_lock = threading.Lock()
_child: tuple[subprocess.Popen[bytes], Connection, Connection] | None = None


def harvest(path: Path, seconds: float | None = None) -> NexusFile:
    """:func:`loaders.nexus_read.read_file` of ``path``, in the worker process, within ``seconds``
    (default :data:`HARVEST_SECONDS`)."""
    limit = HARVEST_SECONDS if seconds is None else seconds
    with _lock:  # one file at a time through the one child
        process, to_child, from_child = _started()
        try:
            to_child.send(str(path))
            if not from_child.poll(limit):
                _stop()
                raise RecordInvalid(f"libhdf5 did not finish reading its metadata within {limit:g} s: a damaged "
                                    "HDF5 file (the reader was stopped)", file=str(path))
            answer = from_child.recv()
        except (EOFError, OSError):  # the child died: a crash inside libhdf5
            code = process.poll()
            _stop()
            raise RecordInvalid(f"the HDF5 reader crashed on it (exit status {code}): a damaged HDF5 file",
                                file=str(path)) from None
    return _result(answer)


def _result(answer: tuple[Any, ...]) -> NexusFile:
    kind = answer[0]
    if kind == "ok":
        return answer[1]
    if kind == "invalid":
        _, message, file, record, field = answer
        raise RecordInvalid(message, file=file, record=record, field=field)
    raise SourceUnavailable(answer[1])


_CHILD = ("import os, runpy, sys; sys.path[:0] = sys.argv.pop(1).split(os.pathsep); "
          "runpy.run_module('loaders.nexus_worker', run_name='__main__')")
"""The child's command: this process's import path first (the same pankg, wherever it was imported from),
then this module as ``__main__`` with the two descriptors as its arguments."""


def _started() -> tuple[subprocess.Popen[bytes], Connection, Connection]:
    global _child
    if _child is None or _child[0].poll() is not None:
        _stop()
        down_read, down_write = os.pipe()
        up_read, up_write = os.pipe()
        process = subprocess.Popen(  # libhdf5's own complaints about a damaged file are noise: not shown
            [sys.executable, "-c", _CHILD, os.pathsep.join(p for p in sys.path if p), str(down_read), str(up_write)],
            pass_fds=(down_read, up_write), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        os.close(down_read)
        os.close(up_write)
        _child = (process, Connection(down_write, readable=False), Connection(up_read, writable=False))
    return _child


def _stop() -> None:
    """Kill the child (if any) and forget it."""
    global _child
    if _child is None:
        return
    process, to_child, from_child = _child
    _child = None
    to_child.close()
    from_child.close()
    if process.poll() is None:
        process.kill()
    process.wait()


def _serve(requests: Connection, answers: Connection) -> None:
    """The child: read each path sent, answer with the harvest or the error, until the pipe closes."""
    while True:
        try:
            path = requests.recv()
        except (EOFError, OSError):
            return
        try:
            answer: tuple[Any, ...] = ("ok", read_file(Path(path)))
        except RecordInvalid as exc:
            answer = ("invalid", bare_message(exc), exc.file, exc.record, exc.field)
        except SourceUnavailable as exc:
            answer = ("unavailable", str(exc))
        except Exception as exc:  # noqa: BLE001 - whatever h5py raised on a damaged file: the file's fault
            answer = ("invalid", f"cannot read as HDF5: {type(exc).__name__}: {exc}", str(path), "", "")
        answers.send(answer)


atexit.register(lambda: _stop())

if __name__ == "__main__":  # the child (see _CHILD): READ_FD WRITE_FD
    _serve(Connection(int(sys.argv[1]), writable=False), Connection(int(sys.argv[2]), readable=False))
