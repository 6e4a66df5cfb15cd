"""Vocabularies of pankg: the standard ones it reuses and its own small ontology (``pankg.ttl``).

This package imports nothing of pankg; every other layer takes its IRIs from here.
"""

from __future__ import annotations

from pathlib import Path

ONTOLOGY_DIR = Path(__file__).parent
PANKG_TTL = ONTOLOGY_DIR / "pankg.ttl"
