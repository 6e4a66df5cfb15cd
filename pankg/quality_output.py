"""How ``pankg validate`` prints its data-quality report: for people, or as JSON."""

from __future__ import annotations

import json
import sys

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from graph.quality.report import QualityReport

_STYLE = {"Violation": "bold red", "Warning": "yellow", "Info": "cyan"}
_PLURAL = {"Violation": "violations", "Warning": "warnings", "Info": "infos"}


def print_quality_json(report: QualityReport) -> None:
    sys.stdout.write(json.dumps(report.as_json(), indent=2) + "\n")


def print_quality(report: QualityReport, console: Console) -> None:
    """Findings by severity, then count: each with its first entities and what to do about it."""
    console.print(
        f"[bold]Data quality of {escape(report.scope.label)}[/bold]: {report.entities:,} entities checked "
        f"in {report.seconds:.1f} s",
        soft_wrap=True,
    )
    if report.skipped_blank_nodes:
        console.print(
            f"[yellow]not checked:[/yellow] {report.skipped_blank_nodes:,} entities without an IRI (blank nodes)"
        )
    if not report.findings:
        console.print("[green]no findings[/green]: every entity conforms to the shapes")
    for finding in report.findings:
        kind = finding.kind
        style = _STYLE.get(kind.severity, "")
        console.print(
            f"\n[{style}]{kind.severity}[/{style}] {finding.count:,} {escape(kind.label)} [dim]({kind.id})[/dim]",
            soft_wrap=True,
        )
        more = finding.count - len(finding.examples)
        listed = ", ".join(f"<{e}>" for e in finding.examples) + (f" and {more:,} more" if more > 0 else "")
        if listed:
            console.print(f"  {escape(listed)}", soft_wrap=True, highlight=False)
        if kind.description:
            console.print(f"  [dim]what to do:[/dim] {escape(kind.description)}", soft_wrap=True)
    table = Table("severity", "findings", "kinds", title="Totals")
    for severity, count in report.totals.items():
        kinds = sum(1 for f in report.findings if f.kind.severity == severity)
        table.add_row(f"[{_STYLE.get(severity, '')}]{severity}[/]", f"{count:,}", f"{kinds:,}")
    console.print()
    console.print(table)
    if report.violations:
        console.print(
            f"[bold red]{report.violations:,} {_PLURAL['Violation']}[/bold red]: the graph breaks the model "
            "(exit status 1)", soft_wrap=True,
        )
    else:
        console.print("[green]no violations[/green] (exit status 0)")
