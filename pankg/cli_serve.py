"""``pankg serve``, ``pankg release`` and ``pankg assets``: the commands that put the graph on the web.

The server's limits and allowlist come from ``PANKG_*`` variables and the options of ``serve``
(``pankg/settings.py``, ``docs/limits.md``): an option wins over the environment, and a malformed value is
refused before anything listens. The app is given them whole (``create_app(store, tokens, limits)``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from graph.errors import PankgError
from graph.search import SearchIndex
from graph.store.embedded import GraphStore
from pankg.cli_common import DataOption, DebugOption, app, console, errors, handled, open_store, require_store
from pankg.settings import Settings
from resolvers.graphql import assets as graphiql_assets


@app.command("assets")
def assets_command(
    force: Annotated[bool, typer.Option("--force", help="Fetch again even when the files are there.")] = False,
    debug: DebugOption = False,
) -> None:
    """Fetch GraphiQL's browser files (pinned npm tarballs, checked by sha512) so /graphql needs no CDN.

    They go to PANKG_ASSETS, else $XDG_CACHE_HOME/pankg/<bundle> (~/.cache by default).

    The registry is PANKG_NPM_REGISTRY (default https://registry.npmjs.org); `pankg serve` runs this when
    they are missing.
    """
    with handled(debug):
        settings = Settings.from_env()
        where = graphiql_assets.fetch(settings.assets, settings.npm_registry, force=force)
        console.print(f"GraphiQL files in {where}", soft_wrap=True, highlight=False)


def _ensure_graphiql(settings: Settings) -> None:
    """Fetch the GraphiQL files if missing; failing (offline) is one warning: /graphql keeps its simple page."""
    if graphiql_assets.present(settings.assets):
        return
    try:
        graphiql_assets.fetch(settings.assets, settings.npm_registry, timeout=10.0)
    except (PankgError, OSError) as exc:
        errors.print(f"[yellow]warning:[/yellow] GraphiQL not available, serving the simple query page: "
                     f"{escape(str(exc))}", highlight=False, soft_wrap=True)


@app.command()
def release(
    as_of: Annotated[dt.datetime | None, typer.Option("--as-of", formats=["%Y-%m-%d"])] = None,
    data: DataOption = None, debug: DebugOption = False) -> None:
    """Make public the data whose embargo ended by --as-of (default today), without a reload (docs/access.md)."""
    with handled(debug), open_store(data) as store:
        done = [f"released {i.kind}:{escape(i.location)}" for i in store.release(as_of.date() if as_of else None)]
        console.print("\n".join(done) or "no embargo to release", soft_wrap=True)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option("--host", help="Interface to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port (default 8000).")] = None,
    tokens: Annotated[Path | None, typer.Option(
        "--tokens", show_default=False,
        help="Bearer tokens file (YAML of sha256 digests, docs/access.md); unset: every caller is anonymous.")] = None,
    query_timeout: Annotated[float | None, typer.Option(
        "--query-timeout", min=0.1, show_default=False,
        help="Seconds a SPARQL query may run before it is stopped (PANKG_QUERY_TIMEOUT, default 30).")] = None,
    query_memory: Annotated[int | None, typer.Option(
        "--query-memory", min=64, show_default=False,
        help="MB of memory a SPARQL query's worker may use (PANKG_QUERY_MEMORY, default 2048).")] = None,
    result_limit: Annotated[int | None, typer.Option(
        "--result-limit", min=1, show_default=False,
        help="Bytes a SPARQL answer may have, serialized (PANKG_QUERY_MAX_BYTES, default 50,000,000).")] = None,
    service: Annotated[list[str] | None, typer.Option(
        "--service", show_default=False,
        help="A SPARQL endpoint URL that SERVICE may call; repeat for more (PANKG_SPARQL_SERVICES).")] = None,
    data: DataOption = None,
    debug: DebugOption = False,
) -> None:
    """Serve the graph over HTTP (uvicorn); embargoes ended by today are released first."""
    import uvicorn

    from pankg.app import create_app

    with handled(debug):
        chosen = {"sparql_timeout": query_timeout, "sparql_memory_mb": query_memory, "sparql_max_bytes": result_limit,
                  "services": service or None}
        settings = Settings.from_env(data, host, port, serving=True, limits=chosen, tokens=tokens)
        if settings.tokens is not None and not settings.tokens.is_file():
            raise PankgError(f"--tokens / PANKG_TOKENS {settings.tokens}: no such file")
        require_store(settings.data)  # a mistyped --data is an error, not a new empty store served as zeros
        _ensure_graphiql(settings)
        with GraphStore(settings.data, settings.base_iri) as store:
            store.release()  # embargoes that ended while the server was down
            search = SearchIndex.of(store)
            search.catch_up()  # before the first search, not during it
            app_ = create_app(store, settings.tokens, settings.limits, assets=settings.assets, search=search)
            console.print(f"serving {settings.data} on http://{settings.host}:{settings.port}/")
            uvicorn.run(app_, host=settings.host, port=settings.port, log_level="info",
                        limit_concurrency=settings.limits.connections, timeout_keep_alive=5)
