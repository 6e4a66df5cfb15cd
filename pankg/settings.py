"""Settings from options and environment variables (options win)."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import PankgError
from graph.iris import DEFAULT_BASE, Minter
from resolvers.limits import ServerLimits
from resolvers.sparql_limits import Limits

DEFAULT_DATA = "./pankg-data"


@dataclass(frozen=True)
class Settings:
    data: Path
    """The store directory: ``--data`` or ``PANKG_DATA``, default ``./pankg-data``."""
    base_iri: str = DEFAULT_BASE
    """Base of minted IRIs: ``PANKG_BASE_IRI``. Changing it re-mints every IRI, so set it once."""
    host: str = "127.0.0.1"
    port: int = 8000
    tokens: Path | None = None
    """The bearer tokens file (``PANKG_TOKENS``, YAML: ``docs/access.md``); unset: every caller is anonymous."""
    limits: ServerLimits = field(default_factory=ServerLimits)
    """The server's limits (``PANKG_QUERY_*``, ``PANKG_*_MAX_BODY``, ...: ``docs/limits.md``)."""

    @classmethod
    def from_env(
        cls, data: str | None = None, host: str | None = None, port: int | None = None, *, serving: bool = False,
        limits: Mapping[str, Any] | None = None,
    ) -> Settings:
        """Settings from the options given, then the environment, then the defaults; a bad value is a
        :class:`PankgError` naming the variable. ``PANKG_PORT`` and the limits are only read when ``serving``;
        ``limits``: the ``serve`` options that set limits (:func:`limits_from`), None where not given."""
        base_iri = os.environ.get("PANKG_BASE_IRI") or DEFAULT_BASE
        try:
            Minter(base_iri)
        except ValueError as exc:
            raise PankgError(f"PANKG_BASE_IRI: {exc}") from None
        port_text = (os.environ.get("PANKG_PORT") or "8000") if serving else "8000"
        if port is None:
            if not port_text.isdigit() or not 0 < int(port_text) < 65536:
                raise PankgError(f"PANKG_PORT must be a port number, not {port_text!r}")
            port = int(port_text)
        return cls(
            data=Path(data or os.environ.get("PANKG_DATA") or DEFAULT_DATA),
            base_iri=base_iri,
            host=host or os.environ.get("PANKG_HOST") or "127.0.0.1",
            port=port,
            tokens=Path(os.environ["PANKG_TOKENS"]) if os.environ.get("PANKG_TOKENS") else None,
            limits=limits_from(os.environ, **(limits or {})) if serving else ServerLimits(),
        )


def limits_from(env: Mapping[str, str], **chosen: Any) -> ServerLimits:
    """The server's limits from ``env`` (``PANKG_*``), then ``chosen`` (``serve`` options, by field name; a
    ``sparql_`` prefix for the per-query ones, e.g. ``sparql_timeout``); a bad value names its variable.

    >>> limits_from({"PANKG_QUERY_TIMEOUT": "5"}, sparql_memory_mb=512).sparql
    Limits(timeout=5.0, memory_mb=512, max_bytes=50000000, workers=4)
    """
    per_query = {f.name: _number(env, f.metadata["env"], f.default) for f in dataclasses.fields(Limits)}
    per_query |= {name[len("sparql_"):]: v for name, v in chosen.items() if name.startswith("sparql_") and v is not None}
    values: dict[str, Any] = {name: _number(env, var, default) for var, name, default in ServerLimits.settings()}
    values |= {name: v for name, v in chosen.items() if not name.startswith("sparql_") and v is not None}
    services = chosen.get("services")
    if services is None:
        services = [u for u in re.split(r"[\s,]+", env.get("PANKG_SPARQL_SERVICES", "")) if u]
    for url in services:
        if not url.startswith(("http://", "https://")):
            raise PankgError(f"PANKG_SPARQL_SERVICES / --service {url}: not an http(s) URL of a SPARQL endpoint")
    values["services"] = frozenset(services)
    return ServerLimits(sparql=Limits(**per_query), **values)


def _number(env: Mapping[str, str], name: str, default: Any) -> Any:
    """``env[name]`` as a positive number of ``default``'s type; a malformed one is a :class:`PankgError`."""
    text = env.get(name)
    if not text:
        return default
    try:
        value = type(default)(text)
    except ValueError:
        value = None
    if value is None or value <= 0:
        raise PankgError(f"{name} must be a positive number, not {text!r}")
    return value
