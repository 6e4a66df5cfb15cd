"""The examples in docstrings are tests too (as oxigraph runs its Python docstrings)."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize("module", ["graph.model.nt", "graph.model.nterms", "graph.model.iris", "graph.model.writer", "graph.model.units", "loaders.records"])
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0
    assert result.failed == 0
