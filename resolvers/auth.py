"""Bearer tokens to scopes: who is calling, and which graphs of the store that caller reads.

The tokens file (``PANKG_TOKENS``, YAML) maps the SHA-256 digest of each bearer token to its caller, so the
file holds no secret a reader of it could replay::

    tokens:
      3f79bb7b435b05321651daefd374cdc681dc06faa65e374e38337b88ca046dea:
        name: ma-1234 team
        groups: [esrf-ma1234]        # owner groups of the catalogue (SciCat ownerGroup)
        proposals: [MA-1234]         # proposals whose team sees their embargoed data
        staff: false                 # true: every graph, the meta graph included (data managers)
        update: false                # may run SPARQL Update on user graphs (docs/sparql.md)
        expires: 2027-06-30          # optional: refused from that day on (a date, or an ISO date-time)

A request without ``Authorization`` is anonymous and reads ``public``; ``Authorization: Bearer <token>``
with a known, unexpired token reads the caller's :class:`~graph.model.access.Entitlement`; any other
``Authorization`` is answered 401 with ``WWW-Authenticate`` (a wrong token must not silently fall back to
public: the caller would take missing data for absent data). :class:`Authenticate` decides that once per
request, for every route (the home page and ``/healthz`` too), before anything else runs, and marks every
answer ``Cache-Control: private`` and ``Vary: Authorization``: what pankg answers depends on who asks, so a
shared cache must never hand one caller's answer to another.

The file is read again when it changes (checked at most once a second): a revoked token stops working
without a restart. A file that no longer parses refuses every token (503) until it is fixed, rather than
keep honouring the tokens it held. Behind a facility's OIDC proxy, the proxy authenticates the user and
forwards a bearer token of this file (one per group or per user); see ``docs/access.md``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import yaml
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Send
from starlette.types import Scope as AsgiScope

from graph.errors import PankgError
from graph.model.access import Entitlement
from graph.store.embedded import Scope
from resolvers.errors import error_response

_DIGEST = re.compile(r"^[0-9a-f]{64}$")
CHALLENGE = 'Bearer realm="pankg"'
FIELDS = {"name", "groups", "proposals", "staff", "update", "expires"}
RECHECK_SECONDS = 1.0
log = logging.getLogger("pankg.auth")


class Unauthorized(PankgError):
    """An ``Authorization`` header this server does not accept."""

    status = 401


class TokensUnavailable(PankgError):
    """The tokens file changed and no longer parses: no token is honoured until it is fixed."""

    status = 503


@dataclass(frozen=True)
class Caller:
    """One configured token's holder."""

    name: str
    scope: Entitlement
    update: bool = False
    expires: dt.datetime | None = None
    """From this moment (UTC) on the token is refused."""

    def expired(self, now: dt.datetime | None = None) -> bool:
        return self.expires is not None and (now or dt.datetime.now(dt.UTC)) >= self.expires


class Tokens:
    """The configured tokens, by SHA-256 digest (lower-case hex)."""

    def __init__(self, callers: dict[str, Caller] | None = None) -> None:
        self.callers = dict(callers or {})

    @staticmethod
    def digest(token: str) -> str:
        """What the tokens file lists for ``token``: ``printf %s TOKEN | sha256sum``."""
        return hashlib.sha256(token.encode()).hexdigest()

    def caller(self, token: str) -> Caller | None:
        """The holder of ``token``; None for an unknown or expired one."""
        caller = self.callers.get(self.digest(token))
        return None if caller is None or caller.expired() else caller

    @classmethod
    def load(cls, path: Path | str) -> Tokens:
        """Read a tokens file; a bad file is a :class:`PankgError` naming it and the entry (never a token)."""
        try:
            data = yaml.safe_load(Path(path).read_text()) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise PankgError(f"PANKG_TOKENS: cannot read {path}: {exc}") from None
        entries = data.get("tokens", data) if isinstance(data, dict) else None
        if not isinstance(entries, dict):
            raise PankgError(f"PANKG_TOKENS: {path} must map token digests to callers")
        return cls({str(k).lower(): _caller(str(k), v, path) for k, v in entries.items()})


def _caller(digest: str, entry: Any, path: Path | str) -> Caller:
    if not _DIGEST.match(digest.lower()):  # never echo it: it may be a token pasted by mistake
        raise PankgError(f"PANKG_TOKENS: {path}: every key must be a token's SHA-256 digest (64 hex digits)")
    where = f"PANKG_TOKENS: {path}: entry {digest[:12]}..."
    if not isinstance(entry, dict):
        raise PankgError(f"{where}: expected {', '.join(sorted(FIELDS))}")
    unknown = set(entry) - FIELDS
    if unknown:
        raise PankgError(f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")

    def names(field: str) -> frozenset[str]:
        value = entry.get(field) or []
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
            raise PankgError(f"{where}: {field} must be a list of names")
        return frozenset(str(v) for v in value)

    scope = Entitlement(names("groups"), names("proposals"), bool(entry.get("staff", False)))
    return Caller(str(entry.get("name") or digest[:12]), scope, bool(entry.get("update", False)),
                  _expiry(entry.get("expires"), where))


def _expiry(value: Any, where: str) -> dt.datetime | None:
    """``expires``: a date (the token works until that day begins, UTC) or an ISO date-time (naive means UTC)."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise PankgError(f"{where}: expires must be a date (2027-06-30) or an ISO date-time, "
                             f"not {value!r}") from None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    raise PankgError(f"{where}: expires must be a date (2027-06-30) or an ISO date-time")


class TokenFile:
    """A tokens file kept current: read again when its modification time, size or inode changes.

    Checked at most once every :data:`RECHECK_SECONDS`, so a revoked token stops working within about a
    second and a request pays one ``stat`` at most. A change that does not parse refuses every token
    (:class:`TokensUnavailable`, 503) until the file is fixed: keeping the old tokens would keep a revoked
    one working.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stamp = self._stat()
        self._tokens: Tokens | None = Tokens.load(path)  # a bad file at start stops the server: raised here
        self._broken = ""
        self._checked = time.monotonic()

    def _stat(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return st.st_mtime_ns, st.st_size, st.st_ino

    def current(self) -> Tokens:
        """The tokens as the file says now; raises :class:`TokensUnavailable` while it does not parse."""
        now = time.monotonic()
        if now - self._checked >= RECHECK_SECONDS:
            with self._lock:
                if now - self._checked >= RECHECK_SECONDS:
                    self._checked = now
                    stamp = self._stat()
                    if stamp != self._stamp:
                        self._stamp = stamp
                        self._reload()
        if self._tokens is None:
            raise TokensUnavailable(f"the server's tokens file cannot be read ({self._broken}); try again later")
        return self._tokens

    def _reload(self) -> None:
        try:
            self._tokens, self._broken = Tokens.load(self.path), ""
            log.info("tokens file %s read again: %d tokens", self.path, len(self._tokens.callers))
        except PankgError as exc:
            self._tokens, self._broken = None, str(exc)
            log.error("tokens file changed and cannot be read; every token is refused until it is fixed: %s", exc)

    def caller(self, token: str) -> Caller | None:
        return self.current().caller(token)


def authenticate(header: str | None, tokens: Tokens | TokenFile | None) -> Caller | None:
    """The caller an ``Authorization`` header names; None when there is none. Raises :class:`Unauthorized`."""
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("use Authorization: Bearer <token>")
    caller = tokens.caller(token.strip()) if tokens is not None else None
    if caller is None:
        raise Unauthorized("unknown or expired token")
    return caller


_UNSET = object()


def caller_of(request: Request | None) -> Caller | None:
    """The caller a request authenticates as; None when anonymous. Raises :class:`Unauthorized`.

    :class:`Authenticate` has decided it already for requests through the app; this reads its answer.
    """
    if request is None:
        return None
    decided = request.scope.get("state", {}).get("caller", _UNSET)
    if decided is not _UNSET:
        return cast("Caller | None", decided)
    return authenticate(request.headers.get("authorization"), getattr(request.app.state, "tokens", None))


def scope_of(request: Request | None) -> Scope:
    """The store scope of a request: ``public`` when anonymous, else the caller's entitlement."""
    caller = caller_of(request)
    return "public" if caller is None else caller.scope


async def unauthorized_handler(request: Request, exc: Exception) -> JSONResponse:
    """The JSON error shape with the challenge RFC 6750 asks of a 401."""
    return _refusal(exc)


def _refusal(exc: Exception) -> JSONResponse:
    status = getattr(exc, "status", 401)
    response = error_response(status, type(exc).__name__, str(exc))
    if status == 401:
        response.headers["WWW-Authenticate"] = f'{CHALLENGE}, error="invalid_token"'
    else:
        response.headers["Retry-After"] = "5"
    return response


class Authenticate:
    """ASGI middleware: every request is authenticated once, before routing, whatever its path.

    A request with an ``Authorization`` the server does not accept gets 401 on every route, ``/`` and
    ``/healthz`` included (``docs/access.md``). Every answer says it depends on who asks:
    ``Vary: Authorization`` and, unless the view chose its own (GraphiQL's files are the same for all),
    ``Cache-Control: private``; and how long the server took: ``Server-Timing: app;dur=<ms>``.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: AsgiScope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        arrived = time.monotonic()
        tokens = getattr(scope["app"].state, "tokens", None) if "app" in scope else None
        try:
            caller = authenticate(Headers(scope=scope).get("authorization"), tokens)
        except (Unauthorized, TokensUnavailable) as exc:
            await _private(_refusal(exc))(scope, receive, send)
            return
        scope.setdefault("state", {})["caller"] = caller

        async def send_private(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.add_vary_header("Authorization")
                if "cache-control" not in headers:
                    headers["Cache-Control"] = "private"
                # How long the server took, as the client cannot tell apart from the network (W3C Server Timing).
                headers.append("Server-Timing", f"app;dur={(time.monotonic() - arrived) * 1000:.1f}")
            await send(message)

        await self.app(scope, receive, send_private)


def _private(response: JSONResponse) -> JSONResponse:
    response.headers.add_vary_header("Authorization")
    response.headers["Cache-Control"] = "private"
    return response
