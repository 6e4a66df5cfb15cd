"""A connection that comes back before its ``Retry-After`` waits out the rest of it before it is heard.

Every 503 the server gives says when to try again (``Retry-After``). A well-behaved client waits; a hostile
one sent 390 requests a second on one connection, each refused in a millisecond and each costing the server
its HTTP parsing and its answer (on one machine, the flood took a fifth of the server's CPU from the pages
being served). So the server remembers, per connection (client address and port: not per address, which many
users behind one proxy or NAT share), until when it asked that connection to wait; a request that arrives on
it sooner is held, as a sleeping coroutine that costs nothing, until then, and then served as usual. A client
that honours ``Retry-After`` never waits here.
"""

from __future__ import annotations

import asyncio
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MOST_REMEMBERED = 10_000
"""Connections remembered at once; past it, those whose time has passed are forgotten (the oldest first if
none has)."""


class PaceRetries:
    """ASGI middleware; see the module docstring."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.retry_at: dict[tuple[str, int], float] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client") if scope["type"] == "http" else None
        if not client:
            await self.app(scope, receive, send)
            return
        connection = (str(client[0]), int(client[1]))
        until = self.retry_at.pop(connection, None)
        if until is not None and until > time.monotonic():
            await asyncio.sleep(until - time.monotonic())

        async def send_noting_retry(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 503:
                after = _retry_after(message.get("headers", []))
                if after is not None:
                    self._remember(connection, time.monotonic() + after)
            await send(message)

        await self.app(scope, receive, send_noting_retry)

    def _remember(self, connection: tuple[str, int], until: float) -> None:
        if len(self.retry_at) >= MOST_REMEMBERED:
            now = time.monotonic()
            for key in [k for k, v in self.retry_at.items() if v <= now] or list(self.retry_at)[:1]:
                del self.retry_at[key]
        self.retry_at[connection] = until


def _retry_after(headers: list[tuple[bytes, bytes]]) -> float | None:
    """Seconds of a ``Retry-After: N`` header (the server only ever sends seconds), capped at a minute."""
    for name, value in headers:
        if name.lower() == b"retry-after":
            try:
                return min(60.0, max(0.0, float(value)))
            except ValueError:
                return None
    return None
