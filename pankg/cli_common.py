"""What every ``pankg`` command shares: the typer app, the consoles, the ``--data``/``--debug`` options, the
one-line error handling, opening the store and the progress bar. The commands live in ``pankg/cli.py``
(loading and reading), ``pankg/cli_serve.py`` (serving), ``pankg/cli_export.py`` (exports) and
``pankg/cli_index.py`` (the search index).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from graph.errors import PankgError, StoreError
from graph.store.embedded import GraphStore
from pankg.settings import Settings

app = typer.Typer(
    name="pankg",
    help="The knowledge graph of photon and neutron science: datasets, techniques, software, DOIs, papers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console()
errors = Console(stderr=True)


def _print_version(value: bool) -> None:
    if value:
        from pankg import __version__

        console.print(f"pankg {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """The knowledge graph of photon and neutron science: datasets, techniques, software, DOIs, papers."""

DataOption = Annotated[
    str | None,
    typer.Option("--data", help="Store directory (default ./pankg-data).", show_default=False),
]
DebugOption = Annotated[bool, typer.Option("--debug", help="Show the traceback of an error.")]


@contextmanager
def handled(debug: bool) -> Iterator[None]:
    """Turn pankg's errors (and file errors) into one line on stderr and exit status 1.

    The exit is raised outside the ``except`` block so that the error, its traceback and the frames
    it holds (an open store among them) are released at once, not kept as the exit's context.
    """
    try:
        yield
        return
    except (PankgError, OSError) as exc:
        if debug:
            raise
        message = str(exc)
    errors.print(f"[bold red]error:[/bold red] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def open_store(data: str | Settings | None, create: bool = False) -> GraphStore:
    """The store of ``--data`` (or ``PANKG_DATA``, or the default), or of the settings a command built already.

    A command that only reads (``stats``, ``query``, ``validate``, ``release``, ``export``; ``serve`` checks with
    :func:`require_store`)
    passes ``create=False``: a mistyped path must be an error, not a new empty store reported as zeros. The
    commands that write (``load``, ``harvest``) pass ``create=True``; ``demo`` creates its store itself.
    """
    settings = data if isinstance(data, Settings) else Settings.from_env(data)
    if not create:
        require_store(settings.data)
    return GraphStore(settings.data, settings.base_iri)


def require_store(path: Path) -> None:
    """Raise :class:`StoreError` unless ``path`` holds a store; creates and changes nothing.

    A store is the directory of an oxigraph (RocksDB) database, which always holds a ``CURRENT`` file and
    ``OPTIONS-*`` files from its first open on.
    """
    hint = "check --data or PANKG_DATA; `pankg load` or `pankg demo` creates a store"
    if not path.exists():
        raise StoreError(f"no store at {path}: no such directory ({hint})")
    if not path.is_dir():
        raise StoreError(f"store path {path} exists and is not a directory")
    if not (path / "CURRENT").is_file() or not any(path.glob("OPTIONS-*")):
        raise StoreError(f"no store at {path}: the directory holds no pankg store ({hint})")



def progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=errors, transient=True, disable=not errors.is_terminal,
    )
