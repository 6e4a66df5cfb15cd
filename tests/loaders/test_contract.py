"""The loader contract, on the code itself: families import no other family, loaders read no environment.

A family is the modules of one source, named by its prefix (``scicat.py``, ``scicat_api.py``, ...). A module of a
family imports its own family's modules and the shared ones (which belong to no source); a shared module imports
only shared ones. The demo generator may import any loader (it builds demo data through them), and the package's
``__init__`` imports every loader to list them. The imports are read with ``ast``, those inside functions too.
"""

from __future__ import annotations

import ast
import doctest
import importlib
from pathlib import Path

import pytest

import loaders
from loaders.base import DEFAULT_OPTIONS, LoadOptions
from tests.helpers import ROOT

FOLDER = ROOT / "loaders"
FAMILIES = ("codemeta", "crossref", "datacite", "icat", "nexus", "oai", "panet", "panosc", "scicat",
            "software_catalogue", "rdf", "demo")
SHARED = frozenset({"base", "records", "fields", "json_yaml", "safe_xml", "licences", "dates"})
"""The modules that belong to no source; a new one is added here on purpose, not by a name outside every family."""
ANY_LOADER = frozenset({"__init__", "demo"})


def family(module: str) -> str | None:
    return next((f for f in FAMILIES if module == f or module.startswith(f + "_")), None)


def loader_imports(path: Path) -> set[str]:
    """The ``loaders`` modules a file imports (``from loaders import x``, ``from loaders.x import y``,
    ``import loaders.x``), wherever in the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            if parts[0] != "loaders":
                continue
            if len(parts) > 1:
                found.add(parts[1])
            else:
                found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name.split(".")[1] for alias in node.names
                      if alias.name.startswith("loaders.") and alias.name.count(".") >= 1}
    return found


MODULES = sorted(path.stem for path in FOLDER.glob("*.py"))


def test_every_module_is_of_a_family_or_declared_shared() -> None:
    assert {m for m in MODULES if family(m) is None and m != "__init__"} == SHARED


@pytest.mark.parametrize("module", [m for m in MODULES if m not in ANY_LOADER])
def test_a_module_imports_only_its_family_and_the_shared_modules(module: str) -> None:
    mine = family(module)
    wrong = {m for m in loader_imports(FOLDER / f"{module}.py") if m not in SHARED and family(m) != mine}
    assert not wrong, (f"loaders/{module}.py ({'shared' if mine is None else 'family ' + mine}) imports "
                       f"{sorted(wrong)}: move what they share into a shared module (SHARED)")


def test_the_check_sees_a_sideways_import(tmp_path: Path) -> None:
    path = tmp_path / "x.py"
    path.write_text("from loaders.datacite_map import Fields\nimport loaders.scicat_values\n\n"
                    "def f():\n    from loaders import fields, panosc\n")
    assert loader_imports(path) == {"datacite_map", "scicat_values", "fields", "panosc"}


def test_no_loader_reads_the_environment() -> None:
    """Settings reach loaders as :class:`loaders.base.LoadOptions`, from ``pankg``'s settings."""
    for path in FOLDER.glob("*.py"):
        tree = ast.parse(path.read_text())
        names = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        names |= {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
        assert not names & {"environ", "getenv", "environb"}, f"{path.name} reads the environment"


def test_every_kind_is_a_loader_module_of_its_own_family() -> None:
    assert set(loaders.LOADERS) == {module.NAME for module in loaders.MODULES}
    for module in loaders.MODULES:
        assert family(module.__name__.removeprefix("loaders.")) is not None, module.__name__


def test_options_default_to_strict_and_never_show_the_token() -> None:
    strict = LoadOptions(lenient=False, panet_reason="auto", scicat_token="")
    assert strict == DEFAULT_OPTIONS
    assert "s3cret" not in repr(LoadOptions(scicat_token="s3cret"))


@pytest.mark.parametrize("name", ["fields", "licences", "dates"])
def test_the_examples_in_the_shared_modules_run(name: str) -> None:
    module = importlib.import_module(f"loaders.{name}")
    failures, tried = doctest.testmod(module)
    assert tried and not failures
