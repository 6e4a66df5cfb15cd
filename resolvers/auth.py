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

A request without ``Authorization`` is anonymous and reads ``public``; ``Authorization: Bearer <token>``
with a known token reads the caller's :class:`~graph.access.Entitlement`; any other ``Authorization`` is
answered 401 with ``WWW-Authenticate`` (a wrong token must not silently fall back to public: the caller
would take missing data for absent data). Behind a facility's OIDC proxy, the proxy authenticates the
user and forwards a bearer token of this file (one per group or per user); see ``docs/access.md``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from starlette.requests import Request
from starlette.responses import JSONResponse

from graph.access import Entitlement
from graph.errors import PankgError
from graph.store import Scope
from resolvers.errors import error_response

_DIGEST = re.compile(r"^[0-9a-f]{64}$")
CHALLENGE = 'Bearer realm="pankg"'


class Unauthorized(PankgError):
    """An ``Authorization`` header this server does not accept."""

    status = 401


@dataclass(frozen=True)
class Caller:
    """One configured token's holder."""

    name: str
    scope: Entitlement
    update: bool = False


class Tokens:
    """The configured tokens, by SHA-256 digest (lower-case hex)."""

    def __init__(self, callers: dict[str, Caller] | None = None) -> None:
        self.callers = dict(callers or {})

    @staticmethod
    def digest(token: str) -> str:
        """What the tokens file lists for ``token``: ``printf %s TOKEN | sha256sum``."""
        return hashlib.sha256(token.encode()).hexdigest()

    def caller(self, token: str) -> Caller | None:
        return self.callers.get(self.digest(token))

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
        raise PankgError(f"{where}: expected name, groups, proposals, staff, update")
    unknown = set(entry) - {"name", "groups", "proposals", "staff", "update"}
    if unknown:
        raise PankgError(f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")

    def names(field: str) -> frozenset[str]:
        value = entry.get(field) or []
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
            raise PankgError(f"{where}: {field} must be a list of names")
        return frozenset(str(v) for v in value)

    scope = Entitlement(names("groups"), names("proposals"), bool(entry.get("staff", False)))
    return Caller(str(entry.get("name") or digest[:12]), scope, bool(entry.get("update", False)))


def caller_of(request: Request | None) -> Caller | None:
    """The caller a request authenticates as; None when anonymous. Raises :class:`Unauthorized`."""
    header = request.headers.get("authorization") if request is not None else None
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("use Authorization: Bearer <token>")
    tokens: Tokens | None = getattr(request.app.state, "tokens", None)  # type: ignore[union-attr]
    caller = tokens.caller(token.strip()) if tokens is not None else None
    if caller is None:
        raise Unauthorized("unknown or expired token")
    return caller


def scope_of(request: Request | None) -> Scope:
    """The store scope of a request: ``public`` when anonymous, else the caller's entitlement."""
    caller = caller_of(request)
    return "public" if caller is None else caller.scope


async def unauthorized_handler(request: Request, exc: Exception) -> JSONResponse:
    """The JSON error shape with the challenge RFC 6750 asks of a 401."""
    response = error_response(401, "Unauthorized", str(exc))
    response.headers["WWW-Authenticate"] = f'{CHALLENGE}, error="invalid_token"'
    return response
