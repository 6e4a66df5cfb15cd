"""Helpers shared by tests (fixtures live in conftest.py)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from pathlib import Path

from loaders.demo import DemoCatalogue, DemoSource

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
TODAY = dt.date(2026, 11, 21)


def demo_source(datasets: int = 300, seed: int = 7) -> DemoSource:
    return DemoSource(DemoCatalogue(datasets=datasets, seed=seed, today=TODAY))


def mapping_tables(doc: Path, sections: Collection[str]) -> dict[str, dict[str, str]]:
    """``{section: {field: RDF cell}}`` from the ``## Section`` tables of a docs/mapping-*.md page."""
    tables: dict[str, dict[str, str]] = {}
    current = None
    for line in doc.read_text().splitlines():
        if line.startswith("## "):
            word = line[3:].split()[0]
            current = word if word in sections else None
        elif current and (row := re.match(r"^\| `([^`]+)` \| (.+) \|$", line)):
            tables.setdefault(current, {})[row.group(1)] = row.group(2)
    return tables
