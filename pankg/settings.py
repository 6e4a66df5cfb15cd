"""Settings from options and environment variables (options win)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from graph.iris import DEFAULT_BASE

DEFAULT_DATA = "./pankg-data"


@dataclass(frozen=True)
class Settings:
    data: Path
    """The store directory: ``--data`` or ``PANKG_DATA``, default ``./pankg-data``."""
    base_iri: str = DEFAULT_BASE
    """Base of minted IRIs: ``PANKG_BASE_IRI``. Changing it re-mints every IRI, so set it once."""
    host: str = "127.0.0.1"
    port: int = 8000

    @classmethod
    def from_env(cls, data: str | None = None, host: str | None = None, port: int | None = None) -> Settings:
        return cls(
            data=Path(data or os.environ.get("PANKG_DATA") or DEFAULT_DATA),
            base_iri=os.environ.get("PANKG_BASE_IRI") or DEFAULT_BASE,
            host=host or os.environ.get("PANKG_HOST") or "127.0.0.1",
            port=port or int(os.environ.get("PANKG_PORT") or 8000),
        )
