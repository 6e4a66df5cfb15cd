"""``pankg export``: what the graph knows, written in a standard metadata format (DataCite XML).

The local CLI is the data manager's: it reads everything, embargoed details included (``docs/access.md``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from pankg.cli_common import DataOption, DebugOption, app, errors, handled, open_store

export_app = typer.Typer(help="Write what the graph knows in a standard metadata format.", no_args_is_help=True)
app.add_typer(export_app, name="export")


@export_app.command("datacite")
def export_datacite(
    pid: Annotated[
        str, typer.Argument(help="The DOI (10.x/..., doi:..., or https://doi.org/...).", show_default=False)
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the XML to this file (default: stdout).")
    ] = None,
    data: DataOption = None,
    debug: DebugOption = False,
) -> None:
    """Write a DOI's DataCite metadata (kernel-4.7 XML) from the graph; unavailable required values are ':unav'."""
    from graph.exports.datacite import export_record
    from graph.exports.datacite_xml import to_bytes

    with handled(debug), open_store(data) as store:
        record = export_record(store, pid)
        xml = to_bytes(record.values)
        if output is not None:
            output.write_bytes(xml)
        else:
            sys.stdout.buffer.write(xml)
            sys.stdout.flush()
    for element in record.missing:
        errors.print(f"[yellow]not in the graph:[/yellow] {escape(element)} (written as DataCite's ':unav' where the "
                     "schema allows it)", highlight=False, soft_wrap=True)


