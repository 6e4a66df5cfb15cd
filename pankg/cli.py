"""The ``pankg`` command line: load, harvest, demo, query, stats, validate here; assets, release, serve in
``pankg/cli_serve.py``; export in ``pankg/cli_export.py``; what they share in ``pankg/cli_common.py``.

Every command takes ``--data DIR`` (or ``PANKG_DATA``) and ``--debug``. Errors are one line a person
understands and a non-zero exit status; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from graph.errors import PankgError
from graph.quality.report import QualityReport
from graph.quality.report import validate as check_quality
from graph.store.embedded import GraphStore
from graph.store.stats import stats as graph_stats
from graph.techniques.vocabulary import read_pinned, technique_names
from loaders import LOADERS
from loaders.base import LoadOptions, LoadReport, load
from loaders.datacite_oai import OAI_DATACITE
from loaders.demo import DemoCatalogue, DemoSource
from loaders.oai_pmh import HarvestReport, harvest
from pankg import cli_export, cli_index  # noqa: F401  (their commands register on the app)
from pankg.cli_common import DataOption, DebugOption, app, console, errors, handled, open_store, progress_bar
from pankg.cli_serve import serve
from pankg.output import QueryFormat, print_query, print_report, print_stats
from pankg.quality_output import print_quality, print_quality_json
from pankg.settings import Settings


@app.command("load")
def load_command(
    kind: Annotated[str, typer.Argument(help=f"Source kind: {', '.join(sorted(LOADERS))}.", show_default=False)],
    paths: Annotated[list[str], typer.Argument(
        help="Files or directories (scicat also takes the URL of a SciCat API, panet the URL of a PaNET release).",
        show_default=False)],
    lenient: Annotated[
        bool,
        typer.Option("--lenient", help="Skip bad records and sources, load the rest and list what was skipped "
                                       "(exit status 0)."),
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Reload sources even when unchanged.")] = False,
    technique_names_file: Annotated[
        Path | None,
        typer.Option(
            "--technique-names",
            help="YAML file of 'name: IRI' pairs: the facility's own technique names, pinned to ontology IRIs.",
            show_default=False,
        ),
    ] = None,
    data: DataOption = None,
    debug: DebugOption = False,
) -> None:
    """Load sources of one KIND into the graph; each file replaces what it loaded before, atomically.

    Strict by default: a bad record fails its whole source, and the first source that fails stops the
    command (sources loaded before it stay, the failed one changes nothing). With --lenient bad records
    are skipped and listed, and sources that still fail are listed at the end.
    """
    with handled(debug):
        if kind not in LOADERS:
            raise PankgError(f"unknown source kind {kind!r}; known kinds: {', '.join(sorted(LOADERS))}")
        settings = Settings.from_env(data, technique_names=technique_names_file)
        options = LoadOptions(lenient, panet_reason=settings.panet_reason, scicat_token=settings.scicat_token)
        sources = LOADERS[kind](paths, options)
        failures: list[str] = []
        pinned = read_pinned(settings.technique_names) if settings.technique_names else None
        with open_store(settings, create=True) as store, progress_bar() as progress:
            names = technique_names(store, pinned)  # the ontologies loaded before this command, read once
            task = progress.add_task(f"loading {kind}", total=len(sources))
            for source in sources:
                progress.update(task, description=f"loading {Path(source.location).name}")
                try:
                    print_report(load(store, source, force=force, techniques=names), console)
                except PankgError as exc:
                    if not lenient:
                        raise
                    failures.append(str(exc))
                progress.advance(task)
        for failure in failures:
            errors.print(f"[yellow]not loaded:[/yellow] {escape(failure)}", highlight=False, soft_wrap=True)


@app.command("harvest")
def harvest_command(
    url: Annotated[str, typer.Argument(help="The OAI-PMH endpoint (base URL).", show_default=False)],
    set_: Annotated[str | None, typer.Option("--set", help="Harvest one OAI set.", show_default=False)] = None,
    from_: Annotated[
        str | None,
        typer.Option("--from", help="Records changed from this datestamp (default: the last one harvested).",
                     show_default=False),
    ] = None,
    until: Annotated[str | None, typer.Option("--until", help="Records changed until this datestamp.",
                                                 show_default=False)] = None,
    lenient: Annotated[bool, typer.Option(
        "--lenient", help="Skip records that are not valid DataCite, and list them.")] = False,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds to wait for each answer.")] = 60.0,
    data: DataOption = None,
    debug: DebugOption = False,
) -> None:
    """Harvest oai_datacite records from an OAI-PMH endpoint; each record replaces what it loaded before.

    A deleted record is removed from the graph. Without --from the harvest starts at the newest datestamp
    of the last harvest of URL (and --set). A failure keeps what was harvested before it; run again to resume.
    """
    with handled(debug):
        with open_store(data, create=True) as store, progress_bar() as progress:
            task = progress.add_task(f"harvesting {url}", total=None)
            report = harvest(
                store, url, metadata=OAI_DATACITE, set_=set_, from_=from_, until=until, lenient=lenient,
                timeout=timeout,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
        _print_harvest(report)


def _print_harvest(report: HarvestReport) -> None:
    parts = ", ".join(f"{n:,} {k}" for k, n in sorted(report.entities.items()))
    console.print(f"[green]harvested[/green] {escape(report.endpoint)}: {report.summary()}"
                  f"{'; ' + parts if parts else ''}", soft_wrap=True, highlight=False)
    for warning in report.warnings:
        console.print(f"  [yellow]warning[/yellow] {escape(str(warning))}", soft_wrap=True, highlight=False)
    for skipped in report.skipped:
        errors.print(f"[yellow]skipped:[/yellow] {escape(skipped)}", highlight=False, soft_wrap=True)
    if report.datestamp:
        console.print(f"the next harvest starts from {report.datestamp}", soft_wrap=True, highlight=False)


@app.command()
def demo(
    datasets: Annotated[int, typer.Option("--datasets", min=1, help="How many datasets to generate.")] = 3000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed: the same seed gives the same graph.")] = 42,
    serve_after: Annotated[bool, typer.Option("--serve", help="Start the server when loaded.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Reload even when the same demo is loaded.")] = False,
    data: DataOption = None,
    debug: DebugOption = False,
) -> None:
    """Generate a realistic demo catalogue and load it into the embedded store."""
    with handled(debug):
        settings = Settings.from_env(data)
        catalogue = DemoCatalogue(datasets=datasets, seed=seed, today=dt.date.today())
        with GraphStore(settings.data, settings.base_iri) as store:
            report = _load_demo(store, catalogue, force)
            print_report(report, console)
            if report.changed:
                console.print("generated: " + ", ".join(f"{n:,} {k}" for k, n in sorted(catalogue.summary.items())))
            print_stats(graph_stats(store), console)
        console.print(
            "\n[bold]Try next[/bold]\n"
            f"  pankg stats --data {settings.data}\n"
            f"  pankg query --data {settings.data} 'SELECT ?title WHERE {{ ?d a <http://www.w3.org/ns/dcat#Dataset> ;"
            " <http://purl.org/dc/terms/title> ?title } LIMIT 5'\n"
            f"  pankg serve --data {settings.data}   (then open http://{settings.host}:{settings.port}/)",
            soft_wrap=True,
        )
    if serve_after:
        serve(host=None, port=None, data=data, debug=debug)


def _load_demo(store: GraphStore, catalogue: DemoCatalogue, force: bool) -> LoadReport:
    with progress_bar() as progress:
        task = progress.add_task("generating and loading the demo", total=catalogue.datasets)
        catalogue.on_dataset = lambda: progress.advance(task)
        return load(store, DemoSource(catalogue), force=force)


@app.command()
def query(
    sparql: Annotated[str | None, typer.Argument(help="The SPARQL query.", show_default=False)] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Read the query from a file.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json (SPARQL JSON results) or csv.")] = "table",
    data: DataOption = None,
    debug: DebugOption = False,
) -> None:
    """Run a SPARQL query over the whole graph (the local user sees everything, embargoed data included)."""
    with handled(debug):
        if (sparql is None) == (file is None):
            raise PankgError("give the query as an argument or with --file (exactly one of them)")
        if fmt not in ("table", "json", "csv"):
            raise PankgError(f"unknown format {fmt!r}; use table, json or csv")
        text = file.read_text() if file is not None else str(sparql)
        with open_store(data) as store:
            format_: QueryFormat = fmt  # type: ignore[assignment]
            print_query(store, text, format_, console)


@app.command()
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
    data: DataOption = None,
    debug: DebugOption = False,
) -> None:
    """Counts per entity kind and per source graph."""
    with handled(debug), open_store(data) as store:
        result = graph_stats(store)
        if as_json:
            sys.stdout.write(json.dumps(result.as_json(), indent=2) + "\n")
        else:
            print_stats(result, console)


@app.command("validate")
def validate_command(
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            help="Check only the entities of one source: KIND:LOCATION (as `pankg stats` lists it) or a graph IRI.",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    examples: Annotated[int, typer.Option("--examples", min=0, help="Entities listed per finding.")] = 5,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", min=1, help="Worker processes for pySHACL (default: one per CPU, at most 8).",
                     show_default=False),
    ] = None,
    data: DataOption = None,
    debug: DebugOption = False,
) -> None:
    """Check the graph against the SHACL shapes of the model (ontology/shapes.ttl): a data-quality report.

    Per kind of finding, how many entities have it, the first few and what to do. Exit status 1 when
    there are violations (the graph breaks the model); warnings and infos leave it at 0.
    """
    with handled(debug), open_store(data) as store:
        report = _check_quality(store, source, examples, jobs)
    if as_json:
        print_quality_json(report)
    else:
        print_quality(report, console)
    if report.violations:
        raise typer.Exit(1)


def _check_quality(store: GraphStore, source: str | None, examples: int, jobs: int | None) -> QualityReport:
    with progress_bar() as progress:
        task = progress.add_task("validating", total=None)
        return check_quality(
            store, source, examples=examples, jobs=jobs,
            progress=lambda done, total: progress.update(task, completed=done, total=total),
        )


def main() -> None:
    """Entry point of the ``pankg`` console script."""
    app()
