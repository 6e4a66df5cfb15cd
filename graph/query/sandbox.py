"""No network for the query engine: the kernel, not a text check, keeps SPARQL from fetching URLs.

oxigraph fetches whatever a ``SERVICE`` or a ``LOAD`` names, and pyoxigraph has no switch to turn that off.
A check of the query's text can only ever be as good as its agreement with oxigraph's parser (a prefixed
name ``e:a\\#`` once made a text check skip the rest of a query as a comment). So every thread or process that
runs a caller's SPARQL is put in a seccomp filter first: from then on the kernel answers ``socket()`` for any
address family but ``AF_UNIX`` with ``ENETUNREACH``, and ``io_uring_setup`` (which could open sockets behind
the filter's back) likewise. Pipes, files, ``AF_UNIX`` socket pairs (how worker processes talk to the server)
and everything else keep working. A filter cannot be lifted: a sandboxed thread stays one, and so does any
process it starts.

- :func:`deny_network` puts the calling thread (or, ``whole_process=True``, every thread of the process) in
  the filter: worker processes do this first thing.
- :func:`offline` runs a function on one of a few threads that are in the filter, for the in-process paths
  (SPARQL Update's scratch store, an in-memory store's queries, a parsed request body).
- :func:`network_refused` tells an engine error caused by the filter from other errors, so an endpoint can
  answer 403 "SERVICE refused" instead of a bare 500.

Linux on x86-64 and aarch64 only; elsewhere :func:`available` is False, and callers fall back to refusing,
from the parsed query, anything that could reach the network (``docs/limits.md``).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import platform
import struct
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

DENIED = errno.ENETUNREACH
"""The errno a refused ``socket()`` gets: "Network is unreachable", which no file operation of a store returns."""

# struct seccomp_data: int nr; u32 arch; u64 instruction_pointer; u64 args[6]
_NR, _ARCH, _ARG0 = 0, 4, 16
# Classic BPF opcodes
_LD_W_ABS, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06
_RET_ALLOW, _RET_ERRNO = 0x7FFF0000, 0x00050000
_X32_SYSCALL_BIT = 0x40000000
_AF_UNIX = 1
# machine -> (AUDIT_ARCH_*, __NR_socket, __NR_io_uring_setup)
_ARCHES = {"x86_64": (0xC000003E, 41, 425), "aarch64": (0xC00000B7, 198, 425)}
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_SYS_SECCOMP = {"x86_64": 317, "aarch64": 277}
_SECCOMP_SET_MODE_FILTER, _SECCOMP_FILTER_FLAG_TSYNC = 1, 1


class SandboxUnavailable(OSError):
    """This platform or kernel cannot put a thread in the filter."""


def _program(machine: str) -> bytes:
    """The filter: ``socket(domain, ...)`` is refused unless ``domain`` is ``AF_UNIX``; so is ``io_uring_setup``
    and any system call of another ABI (32-bit ``int 0x80``, x32), which has its own ``socket`` numbers."""
    arch, nr_socket, nr_uring = _ARCHES[machine]
    deny = _RET_ERRNO | DENIED

    def op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
        return struct.pack("HBBI", code, jt, jf, k)

    return b"".join([
        op(_LD_W_ABS, _ARCH),
        op(_JEQ_K, arch, 1, 0),           # our ABI: go on
        op(_RET_K, deny),                 # another ABI: refused
        op(_LD_W_ABS, _NR),
        op(_JGE_K, _X32_SYSCALL_BIT, 0, 1),
        op(_RET_K, deny),                 # x32 system calls: refused
        op(_JEQ_K, nr_uring, 0, 1),
        op(_RET_K, deny),
        op(_JEQ_K, nr_socket, 1, 0),
        op(_RET_K, _RET_ALLOW),           # any other system call
        op(_LD_W_ABS, _ARG0),             # socket(): its address family
        op(_JEQ_K, _AF_UNIX, 0, 1),
        op(_RET_K, _RET_ALLOW),
        op(_RET_K, deny),
    ])


class _Filter(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def available() -> bool:
    """True where :func:`deny_network` can work (Linux, x86-64 or aarch64)."""
    return sys.platform == "linux" and platform.machine() in _ARCHES


def deny_network(whole_process: bool = False) -> None:
    """Refuse network sockets to the calling thread (``whole_process``: to every thread of the process) for good.

    Raises :class:`SandboxUnavailable` where the filter cannot be installed; then nothing changed.
    """
    machine = platform.machine()
    if not available():
        raise SandboxUnavailable(f"no network sandbox on {sys.platform}/{machine}")
    code = _program(machine)
    buffer = ctypes.create_string_buffer(code, len(code))
    prog = _Filter(len(code) // 8, ctypes.addressof(buffer))
    libc = ctypes.CDLL(None, use_errno=True)
    # Without no_new_privs an unprivileged process may not install a filter; it also keeps setuid programs
    # started from here from regaining what the filter takes.
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise SandboxUnavailable(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    if whole_process:
        done = libc.syscall(_SYS_SECCOMP[machine], _SECCOMP_SET_MODE_FILTER, _SECCOMP_FILTER_FLAG_TSYNC,
                            ctypes.byref(prog))
    else:
        done = libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0)
    if done != 0:
        raise SandboxUnavailable(ctypes.get_errno(), "seccomp filter refused by the kernel")


def network_refused(exc: BaseException) -> bool:
    """True if ``exc`` is the engine reporting a socket the filter refused (a SERVICE or LOAD it tried)."""
    return f"os error {DENIED})" in str(exc) or getattr(exc, "errno", None) == DENIED


_EXECUTOR: ThreadPoolExecutor | None = None
_EXECUTOR_LOCK = threading.Lock()
OFFLINE_THREADS = 2


def _enter() -> None:
    # Where it cannot, callers check available() and refuse network-capable SPARQL from its parsed form instead.
    with contextlib.suppress(SandboxUnavailable):
        deny_network()


def offline(fn: Callable[..., T], *args: object) -> T:
    """``fn(*args)`` on a thread without network, waiting for it; exceptions come back as raised.

    Call it from a worker thread (it blocks). The threads are few and shared: this is for short work (an
    update on a scratch store, a parsed body), not for long reads, which have their own bounded pools.
    """
    global _EXECUTOR
    with _EXECUTOR_LOCK:
        if _EXECUTOR is None:
            _EXECUTOR = ThreadPoolExecutor(OFFLINE_THREADS, "pankg-offline", initializer=_enter)
    return _EXECUTOR.submit(fn, *args).result()
