"""Helpers shared by tests (fixtures live in conftest.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from loaders.demo import DemoCatalogue, DemoSource

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
TODAY = dt.date(2026, 11, 21)


def demo_source(datasets: int = 300, seed: int = 7) -> DemoSource:
    return DemoSource(DemoCatalogue(datasets=datasets, seed=seed, today=TODAY))
