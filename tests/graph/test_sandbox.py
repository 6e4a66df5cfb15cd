"""The network sandbox: a thread in it cannot open a network socket, whatever runs on it; others still can."""

from __future__ import annotations

import socket
import threading

import pytest

from graph.query import sandbox
from graph.store.embedded import GraphStore

pytestmark = pytest.mark.skipif(not sandbox.available(), reason="the sandbox needs Linux on x86-64 or aarch64")


def on_a_sandboxed_thread(work: object) -> object:
    """Run ``work()`` on a fresh thread put in the sandbox; returns what it returned or raised."""
    outcome: list[object] = []

    def run() -> None:
        sandbox.deny_network()
        try:
            outcome.append(work())  # type: ignore[operator]
        except Exception as exc:  # noqa: BLE001 - the test looks at it
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    return outcome[0]


def test_no_inet_socket_but_unix_pairs_still_work() -> None:
    def attempt() -> object:
        pair = socket.socketpair()  # how worker processes talk to the server
        pair[0].close(), pair[1].close()
        for family in (socket.AF_INET, socket.AF_INET6):
            try:
                socket.socket(family, socket.SOCK_STREAM)
            except OSError as exc:
                assert exc.errno == sandbox.DENIED
            else:
                return f"{family} socket opened"
        return "refused"

    assert on_a_sandboxed_thread(attempt) == "refused"
    socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()  # the other threads keep the network


def test_oxigraph_cannot_fetch_a_service(recorder: tuple[str, list[str]]) -> None:
    url, hits = recorder
    store = GraphStore()
    query = f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
    raised = on_a_sandboxed_thread(lambda: store.query(query))
    assert isinstance(raised, Exception) and sandbox.network_refused(raised), raised
    silent = on_a_sandboxed_thread(lambda: len(store.query(query.replace("SERVICE", "SERVICE SILENT"))[1]))
    assert silent == 1 and hits == []  # one empty solution, nothing fetched


def test_offline_runs_work_and_gives_back_errors() -> None:
    assert sandbox.offline(sum, [1, 2, 3]) == 6
    with pytest.raises(OSError) as raised:
        sandbox.offline(socket.create_connection, ("127.0.0.1", 9))
    assert sandbox.network_refused(raised.value)
