"""Settings from options and environment variables (options win)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from graph.errors import PankgError
from graph.iris import DEFAULT_BASE, Minter

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

    @classmethod
    def from_env(
        cls, data: str | None = None, host: str | None = None, port: int | None = None, *, serving: bool = False
    ) -> Settings:
        """Settings from the options given, then the environment, then the defaults; a bad value is a
        :class:`PankgError` naming the variable. ``PANKG_PORT`` is only read when ``serving``."""
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
        )
