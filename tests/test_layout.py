"""Arrows point down: pankg -> resolvers, loaders -> graph -> ontology. Checked on the imports themselves."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.helpers import ROOT

ALLOWED = {
    "ontology": set(),
    "graph": {"ontology"},
    "loaders": {"graph", "ontology"},
    "resolvers": {"graph", "ontology"},
    "pankg": {"resolvers", "loaders", "graph", "ontology"},
}


def imported_packages(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & set(ALLOWED)


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_imports_point_down(package: str) -> None:
    files = list((ROOT / package).rglob("*.py"))
    assert files
    for path in files:
        wrong = imported_packages(path) - ALLOWED[package] - {package}
        assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}: arrows must point down"


def test_no_module_is_too_big() -> None:
    for package in ALLOWED:
        for path in (ROOT / package).rglob("*.py"):
            assert len(path.read_text().splitlines()) <= 400, f"{path.relative_to(ROOT)}: split it by job"


def test_readme_test_command_is_what_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    commands = [line.strip() for line in readme.splitlines() if line.strip().startswith("python3 -m venv")]
    assert len(commands) >= 2, "README.md must open with the setup-and-run and the test commands"
    test_command = next(c for c in commands if "pytest" in c)
    assert test_command in ci
