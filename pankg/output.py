"""How the CLI prints results: query results as a table, JSON or CSV; stats and load reports."""

from __future__ import annotations

import sys
from typing import Literal

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from graph.query import terms
from graph.query.formats import RdfSyntax, ResultsSyntax
from graph.store.embedded import GraphStore
from graph.store.stats import Stats
from loaders.base import LoadReport

QueryFormat = Literal["table", "json", "csv"]

_SELECT_FORMATS = {"json": ResultsSyntax.JSON, "csv": ResultsSyntax.CSV}
_GRAPH_FORMATS = {"json": RdfSyntax.JSON_LD, "csv": RdfSyntax.N_TRIPLES}


def print_query(store: GraphStore, sparql: str, fmt: QueryFormat, console: Console) -> None:
    """Run ``sparql`` over everything the local user sees and print it in ``fmt``.

    json is SPARQL 1.1 JSON results (JSON-LD for CONSTRUCT/DESCRIBE), csv is SPARQL CSV results
    (N-Triples for graphs), table is for people.
    """
    if fmt != "table":
        data = store.serialize(sparql, _SELECT_FORMATS[fmt], _GRAPH_FORMATS[fmt])
        sys.stdout.write(data.decode())
        return
    result = store.query(sparql)
    if isinstance(result, bool):
        console.print("true" if result else "false")
        return
    if isinstance(result, list):  # CONSTRUCT / DESCRIBE
        for triple in result:
            console.print(f"{triple} .", highlight=False, markup=False)
        console.print(f"[dim]{len(result)} triple{'s' if len(result) != 1 else ''}[/dim]")
        return
    variables, rows = result
    table = Table(*variables)
    for row in rows:
        table.add_row(*(_short(term) for term in row))
    console.print(table)
    console.print(f"[dim]{len(rows)} row{'s' if len(rows) != 1 else ''}[/dim]")


def _short(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, (terms.Literal, terms.NamedNode)):
        return term.value
    return str(term)


def print_stats(stats: Stats, console: Console) -> None:
    table = Table("entity kind", "count", title="Entities")
    for name, count in stats.entities.items():
        table.add_row(name, f"{count:,}")
    table.add_row("embargoed datasets", f"{stats.embargoed_datasets:,}")
    console.print(table)
    # One row per source and access level: a catalogue's restricted details are one graph per owner group,
    # thousands of rows that say nothing apart (``--json`` lists every graph).
    rows: dict[tuple[str, str, str], list[int]] = {}
    for g in stats.graphs:
        row = rows.setdefault((g.source_kind, g.location, g.access), [0, 0])
        row[0] += 1
        row[1] += g.triples
    graphs = Table("source", "location", "access", "graphs", "triples", title="Source graphs")
    for (kind, location, access), (count, triples) in rows.items():
        graphs.add_row(kind, location, access, f"{count:,}", f"{triples:,}")
    graphs.add_row("", "", "total", f"{len(stats.graphs):,}", f"{stats.triples:,}")
    console.print(graphs)


def print_report(report: LoadReport, console: Console) -> None:
    for passed in report.passed_over:
        console.print(f"[yellow]skipped[/yellow] {escape(passed)}", soft_wrap=True, highlight=False)
    if not report.changed:
        console.print(f"[yellow]unchanged[/yellow] {report.location} (already loaded; --force reloads it)",
                      soft_wrap=True)
        return
    assert report.result is not None
    info = report.result.source
    parts = ", ".join(f"{n:,} {k}" for k, n in sorted(report.entities.items()))
    levels: dict[str, list[int]] = {}
    for g in info.graphs:
        level = levels.setdefault(g.access, [0, 0])
        level[0] += 1
        level[1] += g.triples
    graphs = ", ".join(
        f"{triples:,} {access}" + (f" (in {count:,} graphs)" if count > 1 else "")
        for access, (count, triples) in levels.items()
    )
    console.print(
        f"[green]loaded[/green] {report.location}: {parts or 'nothing'}; triples: {graphs or '0'}", soft_wrap=True
    )
    for warning in report.warnings:
        console.print(f"  [yellow]warning[/yellow] {escape(str(warning))}", soft_wrap=True)
