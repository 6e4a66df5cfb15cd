"""The import graph, walked on the parsed source: what may import what, beyond the arrows of test_layout.

- pyoxigraph is imported only inside ``graph/`` (the store is behind it; tests of graph/ itself may look at
  the on-disk store directly);
- the process environment is read only by ``pankg/settings.py`` (every setting is one field of one object);
- no loader imports another source's modules (shared parts live in modules of no source);
- no import circle between pankg's own modules, counting imports inside functions (not the names a type
  checker reads under ``if TYPE_CHECKING:``, such as GraphQL types that refer to each other).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import ROOT

CODE = ("graph", "loaders", "resolvers", "pankg", "ontology")

FAMILIES = ("codemeta", "crossref", "datacite", "icat", "nexus", "oai", "panet", "panosc", "rdf", "scicat",
            "software_catalogue")
"""A source is the loader modules whose names start with its name; ``demo`` builds its data through any."""


def modules(*packages: str) -> dict[str, Path]:
    """Dotted module name -> file, for every module of ``packages``."""
    found = {}
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


MODULES = set(modules(*CODE)) | set(modules("tests", "bench"))


def _type_checking_blocks(tree: ast.AST) -> set[ast.AST]:
    """The statements under ``if TYPE_CHECKING:``: names for the type checker, never imported when run."""
    inside: set[ast.AST] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", getattr(node.test, "attr", "")) == "TYPE_CHECKING":
            inside |= {n for stmt in node.body for n in ast.walk(stmt)}
    return inside


def imports(path: Path) -> Iterator[tuple[str, int]]:
    """Every absolute import of ``path`` that runs (``from a.b import c`` gives ``a.b.c`` if it is a module, else
    ``a.b``), with its line: at the top, in functions, anywhere but under ``if TYPE_CHECKING:``."""
    tree = ast.parse(path.read_text(), str(path))
    skipped = _type_checking_blocks(tree)
    for node in ast.walk(tree):
        if node in skipped:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:  # a submodule if there is one, else a name of the module
                yield (f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in MODULES else node.module,
                       node.lineno)


def test_pyoxigraph_is_imported_only_inside_graph() -> None:
    files = [p for p in ROOT.glob("*/**/*.py") if p.parts[len(ROOT.parts)] in (*CODE, "bench", "tests")
             and p.parts[len(ROOT.parts)] != "graph" and "tests/graph" not in p.as_posix()]
    assert len(files) > 100
    wrong = [f"{p.relative_to(ROOT)}:{line}" for p in files for name, line in imports(p)
             if name.split(".")[0] == "pyoxigraph"]
    assert not wrong, f"pyoxigraph outside graph/ (use the store's public methods): {wrong}"


def reads_environment(path: Path) -> list[int]:
    """Lines of ``path`` that read the process environment: ``os.environ``, ``os.getenv``, ``from os import ...``."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "os" and (
                node.attr in ("environ", "getenv", "environb", "getenvb")):
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module == "os" and any(
                a.name in ("environ", "getenv", "environb", "getenvb") for a in node.names):
            lines.append(node.lineno)
    return lines


def test_only_the_settings_read_the_environment() -> None:
    files = modules(*CODE)
    assert "pankg.settings" in files and reads_environment(files["pankg.settings"])  # the check sees a real read
    wrong = [f"{p.relative_to(ROOT)}:{line}" for name, p in files.items() if name != "pankg.settings"
             for line in reads_environment(p)]
    assert not wrong, f"os.environ read outside pankg/settings.py (add a field to Settings): {wrong}"


def family(module: str) -> str | None:
    """The source a loader module belongs to, or None for the shared modules."""
    leaf = module.split(".")[1] if module.count(".") else ""
    return next((f for f in FAMILIES if leaf == f or leaf.startswith(f + "_")), None)


@pytest.mark.parametrize("module", sorted(m for m in modules("loaders") if family(m)))
def test_no_loader_imports_another_source(module: str) -> None:
    path, own = modules("loaders")[module], family(module)
    others = sorted({name for name, _ in imports(path) if name.startswith("loaders.")
                     and family(name) not in (None, own)})
    assert not others, f"{module} ({own}) imports {others}: move what they share to a module of no source"


def test_the_source_families_are_what_the_loaders_are() -> None:
    names = {m.split(".")[1] for m in modules("loaders") if m.count(".")}
    assert {f for f in FAMILIES if any(n == f or n.startswith(f + "_") for n in names)} == set(FAMILIES)


def import_graph() -> dict[str, set[str]]:
    files = modules(*CODE)
    return {name: {m for m, _ in imports(path) if m in files and m != name} for name, path in files.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            child = next(edges, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    part = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        part.append(member)
                        if member == node:
                            break
                    if len(part) > 1:
                        found.append(sorted(part))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def test_circles_are_found() -> None:
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_no_import_circle() -> None:
    graph = import_graph()
    assert len(graph) > 100
    assert not circles(graph), f"import circles (a module of one job should not need its user): {circles(graph)}"


GRAPH_LAYERS = ("errors", "techniques", "model", "query", "store", "search", "quality", "exports")
"""graph/'s packages in reading order (graph/__init__.py): each runs with only those before it."""


def test_graph_packages_are_layered() -> None:
    assert {p.name for p in (ROOT / "graph").iterdir() if p.is_dir() and (p / "__init__.py").exists()} | {
        "errors"} == set(GRAPH_LAYERS)
    for name, path in modules("graph").items():
        if name.count(".") < 2:
            continue
        own = GRAPH_LAYERS.index(name.split(".")[1])
        later = sorted({m for m, _ in imports(path) if m.startswith("graph.") and m.count(".") >= 1
                        and m.split(".")[1] in GRAPH_LAYERS and GRAPH_LAYERS.index(m.split(".")[1]) > own})
        assert not later, f"{name} imports {later}, a later layer of graph/ (graph/__init__.py gives the order)"
