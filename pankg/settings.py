"""Every setting of pankg in one object, built once by the composition root (options win over the environment).

:class:`Settings` is the only reader of ``os.environ`` in pankg: the CLI builds it once per command and hands
its values to the store, the app and the loaders as arguments, so no other module depends on the process
environment (a test passes an ``env`` mapping instead of patching it). Every variable is in the table of
``docs/cli.md`` (a test checks both ways). A dataclass rather than pydantic-settings: the limits are a nested
dataclass of the resolvers whose fields name their variables, options must win over the environment, and a
bad value must be one line naming its variable; that is forty lines here, and one dependency less.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import PankgError
from graph.model.iris import DEFAULT_BASE, Minter
from resolvers.graphql.assets import BUNDLE, DEFAULT_REGISTRY
from resolvers.limits import ServerLimits
from resolvers.sparql_limits import Limits

DEFAULT_DATA = "./pankg-data"
REASON_MODES = ("auto", "always", "never")

VARIABLES: dict[str, str] = {
    "PANKG_DATA": "data", "PANKG_BASE_IRI": "base_iri", "PANKG_HOST": "host", "PANKG_PORT": "port",
    "PANKG_TOKENS": "tokens", "PANKG_TECHNIQUE_NAMES": "technique_names", "PANKG_SCICAT_TOKEN": "scicat_token",
    "PANKG_PANET_REASON": "panet_reason", "PANKG_ASSETS": "assets", "PANKG_NPM_REGISTRY": "npm_registry",
}
"""Variable -> :class:`Settings` field, for the settings not in :class:`ServerLimits` (whose fields name theirs)."""


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
    technique_names: Path | None = None
    """Pinned technique names for ``load`` (``PANKG_TECHNIQUE_NAMES``, ``--technique-names``)."""
    scicat_token: str = field(default="", repr=False)
    """The bearer token ``load scicat URL`` sends (``PANKG_SCICAT_TOKEN``); never printed, so not in the repr."""
    panet_reason: str = "auto"
    """When ``load panet`` runs HermiT (``PANKG_PANET_REASON``): ``auto``, ``always`` or ``never``."""
    assets: Path = Path.home() / ".cache" / "pankg" / BUNDLE
    """GraphiQL's files (``PANKG_ASSETS``, else ``$XDG_CACHE_HOME/pankg/<bundle>``)."""
    npm_registry: str = DEFAULT_REGISTRY
    """The npm registry (or mirror) ``assets`` downloads the pinned tarballs from (``PANKG_NPM_REGISTRY``)."""

    @classmethod
    def from_env(
        cls, data: str | None = None, host: str | None = None, port: int | None = None, *, serving: bool = False,
        limits: Mapping[str, Any] | None = None, tokens: Path | None = None, technique_names: Path | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Settings:
        """Settings from the options given, then ``env`` (default: the process environment), then the defaults; a
        bad value is a :class:`PankgError` naming the variable. ``PANKG_PORT`` and the limits are only read when
        ``serving``; ``limits``: the ``serve`` options that set limits (:func:`limits_from`), None where not given."""
        env = os.environ if env is None else env
        base_iri = env.get("PANKG_BASE_IRI") or DEFAULT_BASE
        try:
            Minter(base_iri)
        except ValueError as exc:
            raise PankgError(f"PANKG_BASE_IRI: {exc}") from None
        port_text = (env.get("PANKG_PORT") or "8000") if serving else "8000"
        if port is None:
            if not port_text.isdigit() or not 0 < int(port_text) < 65536:
                raise PankgError(f"PANKG_PORT must be a port number, not {port_text!r}")
            port = int(port_text)
        reason = env.get("PANKG_PANET_REASON", "").strip().lower() or "auto"
        if reason not in REASON_MODES:
            raise PankgError(f"PANKG_PANET_REASON must be one of {', '.join(REASON_MODES)}, not {reason!r}")
        cache = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return cls(
            data=Path(data or env.get("PANKG_DATA") or DEFAULT_DATA),
            base_iri=base_iri,
            host=host or env.get("PANKG_HOST") or "127.0.0.1",
            port=port,
            tokens=tokens or _path(env, "PANKG_TOKENS"),
            limits=limits_from(env, **(limits or {})) if serving else ServerLimits(),
            technique_names=technique_names or _path(env, "PANKG_TECHNIQUE_NAMES"),
            scicat_token=env.get("PANKG_SCICAT_TOKEN", "").strip(),
            panet_reason=reason,
            assets=_path(env, "PANKG_ASSETS") or Path(cache) / "pankg" / BUNDLE,
            npm_registry=env.get("PANKG_NPM_REGISTRY") or DEFAULT_REGISTRY,
        )


def _path(env: Mapping[str, str], name: str) -> Path | None:
    return Path(env[name]) if env.get(name) else None


def limits_from(env: Mapping[str, str], **chosen: Any) -> ServerLimits:
    """The server's limits from ``env`` (``PANKG_*``), then ``chosen`` (``serve`` options, by field name; a
    ``sparql_`` prefix for the per-query ones, e.g. ``sparql_timeout``); a bad value names its variable.

    >>> limits_from({"PANKG_QUERY_TIMEOUT": "5"}, sparql_memory_mb=512).sparql
    Limits(timeout=5.0, memory_mb=512, max_bytes=50000000, workers=4)
    """
    per_query = {f.name: _number(env, f.metadata["env"], f.default) for f in dataclasses.fields(Limits)}
    per_query |= {name[len("sparql_"):]: v for name, v in chosen.items()
                  if name.startswith("sparql_") and v is not None}
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
