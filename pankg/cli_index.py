"""``pankg index``: the search index beside the store (docs/search.md).

The index is derived from the graph and rebuilt when it lags the store's write version; ``pankg index rebuild``
rebuilds it on demand (after an upgrade, or to measure it).
"""

from __future__ import annotations

import typer

from pankg.cli_common import DataOption, DebugOption, app, console, handled, open_store

index_app = typer.Typer(help="The search index beside the store (lists, searches, facets).", no_args_is_help=True)
app.add_typer(index_app, name="index")


@index_app.command("rebuild")
def index_rebuild(data: DataOption = None, debug: DebugOption = False) -> None:
    """Rebuild the search index from the graph: every dataset, in one commit (searches see the old index until
    then)."""
    from graph.search.index import SearchIndex

    with handled(debug), open_store(data) as store:
        done = SearchIndex.open(store, catch_up=False).rebuild()
    console.print(f"indexed {done.documents:,} documents ({done.datasets:,} datasets) in {done.seconds:.1f} s, "
                  f"store write version {done.version}", highlight=False)
