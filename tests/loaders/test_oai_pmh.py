"""OAI-PMH harvesting against a real OAI-PMH server on 127.0.0.1 (http.server in a thread) that pages its
ListRecords answers with resumption tokens, filters by set and dates, lists deleted records, and can be told
to fail, stall or answer garbage on a given page; its request log shows what the harvester asked."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

import pytest
from typer.testing import CliRunner

from graph.errors import RecordInvalid, SourceUnavailable
from graph.store.embedded import GraphStore
from loaders import oai_pmh
from loaders.datacite_oai import OAI_DATACITE
from loaders.oai_pages import parse_page
from loaders.oai_pmh import HarvestReport, HarvestStopped, read_state, record_location
from pankg.cli import app
from tests.loaders.test_datacite import xml_record

OAI_NS = "http://www.openarchives.org/OAI/2.0/"


def harvest(store: GraphStore, endpoint: str, **options: Any) -> HarvestReport:
    """``pankg harvest``: oai_datacite records, mapped by the DataCite family's format."""
    return oai_pmh.harvest(store, endpoint, metadata=OAI_DATACITE, **options)


@dataclass
class Item:
    identifier: str
    datestamp: str
    resource: str = ""
    sets: tuple[str, ...] = ()
    deleted: bool = False


@dataclass
class OaiServer:
    """The repository, its paging and its misbehaviours; ``requests`` logs every query it was sent."""

    items: list[Item] = field(default_factory=list)
    page_size: int = 3
    requests: list[dict[str, str]] = field(default_factory=list)
    fail: dict[int, str] = field(default_factory=dict)  # page number -> "500", "stall", "garbage", "badToken"
    stall_seconds: float = 1.0
    url: str = ""

    def answer(self, query: dict[str, str]) -> tuple[int, bytes]:
        self.requests.append(query)
        if query.get("verb") != "ListRecords":
            return 200, self.error("badVerb", "only ListRecords here")
        if "resumptionToken" in query:
            if set(query) != {"verb", "resumptionToken"} or not re.fullmatch(r"\d+\|.*\|.*\|.*", query["resumptionToken"]):
                return 200, self.error("badResumptionToken", "not a token of mine")
            offset, set_, from_, until = query["resumptionToken"].split("|")
        else:
            if query.get("metadataPrefix") != "oai_datacite":
                return 200, self.error("cannotDisseminateFormat", "oai_datacite only")
            offset, set_, from_, until = "0", query.get("set", ""), query.get("from", ""), query.get("until", "")
            if from_ and not re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\dZ)?", from_):
                return 200, self.error("badArgument", f"from={from_}")
        page = int(offset) // self.page_size + 1
        trouble = self.fail.get(page)
        if trouble == "500":
            return 500, b"Internal Server Error"
        if trouble == "stall":
            time.sleep(self.stall_seconds)
        if trouble == "garbage":
            return 200, b"<OAI-PMH xmlns='" + OAI_NS.encode() + b"'><ListRecords><record></ListRecords>"
        if trouble == "badToken":
            return 200, self.error("badResumptionToken", "expired")
        chosen = sorted((i for i in self.items if (not set_ or set_ in i.sets) and (not from_ or i.datestamp >= from_)
                         and (not until or i.datestamp <= until)), key=lambda i: (i.datestamp, i.identifier))
        if not chosen:
            return 200, self.error("noRecordsMatch", "")
        start = int(offset)
        body = "".join(self.record(i) for i in chosen[start : start + self.page_size])
        if start + self.page_size < len(chosen):
            body += (f'<resumptionToken completeListSize="{len(chosen)}" cursor="{start}">'
                     f"{start + self.page_size}|{set_}|{from_}|{until}</resumptionToken>")
        elif start:
            body += f'<resumptionToken completeListSize="{len(chosen)}" cursor="{start}"/>'
        return 200, self.envelope(f"<ListRecords>{body}</ListRecords>")

    def record(self, item: Item) -> str:
        specs = "".join(f"<setSpec>{s}</setSpec>" for s in item.sets)
        status = ' status="deleted"' if item.deleted else ""
        header = (f"<header{status}><identifier>{item.identifier}</identifier>"
                  f"<datestamp>{item.datestamp}</datestamp>{specs}</header>")
        if item.deleted:
            return f"<record>{header}</record>"
        payload = ('<oai_datacite xmlns="http://schema.datacite.org/oai/oai-1.1/"><schemaVersion>4</schemaVersion>'
                   f"<datacentreSymbol>PAN.TEST</datacentreSymbol><payload>{item.resource}</payload></oai_datacite>")
        return f"<record>{header}<metadata>{payload}</metadata></record>"

    def envelope(self, body: str) -> bytes:
        return (f'<?xml version="1.0" encoding="UTF-8"?><OAI-PMH xmlns="{OAI_NS}">'
                f"<responseDate>2026-11-21T00:00:00Z</responseDate><request>{escape(self.url)}</request>"
                f"{body}</OAI-PMH>").encode()

    def error(self, code: str, text: str) -> bytes:
        return self.envelope(f'<error code="{code}">{escape(text)}</error>')

    def asked(self, key: str) -> list[str | None]:
        """The value of ``key`` in every first request of a ListRecords sequence (those without a token)."""
        return [q.get(key) for q in self.requests if "resumptionToken" not in q]


@pytest.fixture
def server() -> Iterator[OaiServer]:
    repository = OaiServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
            status, body = repository.answer(query)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "text/xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                pass  # the client gave up (the stall test)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    repository.url = f"http://127.0.0.1:{httpd.server_address[1]}/oai"
    try:
        yield repository
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def doi(n: int) -> str:
    return f"10.5072/oai.{n}"


def generated(n: int, datestamp: str, *, title: str = "", sets: tuple[str, ...] = ("raw",)) -> Item:
    return Item(f"oai:pan.test:{n}", datestamp, xml_record(doi(n), title=title or f"Dataset {n}"), sets)


def seven(server: OaiServer) -> None:
    """Seven records over three pages of three; record 5 is deleted; 1-3 in set ``raw``, 4-7 in ``derived``."""
    server.items = [generated(n, f"2026-01-0{n}", sets=("raw",) if n <= 3 else ("derived",)) for n in range(1, 8)]
    server.items[4] = Item("oai:pan.test:5", "2026-01-05", sets=("derived",), deleted=True)


def oai_sources(store: GraphStore) -> set[str]:
    return {s.location for s in store.sources.values() if s.kind == "oai"}


def has_doi(store: GraphStore, n: int) -> bool:
    return bool(store.query(f"ASK {{ GRAPH ?g {{ <https://doi.org/{doi(n)}> ?p ?o }} }}"))


def test_full_harvest_follows_resumption_tokens(store: GraphStore, server: OaiServer) -> None:
    seven(server)
    report = harvest(store, server.url)
    assert (report.pages, report.loaded, report.deleted, report.removed) == (3, 6, 1, 0)
    assert len(oai_sources(store)) == 6
    assert record_location(server.url, "oai:pan.test:1") in oai_sources(store)
    assert all(has_doi(store, n) for n in (1, 2, 3, 4, 6, 7)) and not has_doi(store, 5)
    assert [q.get("resumptionToken") for q in server.requests] == [None, "3|||", "6|||"]
    assert server.requests[0]["metadataPrefix"] == "oai_datacite"
    assert report.datestamp == read_state(store, server.url, None) == "2026-01-07"


def test_a_deleted_record_is_removed_from_the_graph(store: GraphStore, server: OaiServer) -> None:
    seven(server)
    harvest(store, server.url)
    assert has_doi(store, 2)
    server.items[1] = Item("oai:pan.test:2", "2026-02-01", sets=("raw",), deleted=True)
    report = harvest(store, server.url)
    assert (report.deleted, report.removed) == (1, 1)
    assert not has_doi(store, 2)
    assert record_location(server.url, "oai:pan.test:2") not in oai_sources(store)
    assert len(oai_sources(store)) == 5


def test_incremental_harvest_asks_only_from_the_last_datestamp(store: GraphStore, server: OaiServer) -> None:
    seven(server)
    harvest(store, server.url)
    server.items[2] = generated(3, "2026-03-01", title="Dataset 3, corrected")
    server.requests.clear()
    report = harvest(store, server.url)
    assert server.asked("from") == ["2026-01-07"]
    assert (report.pages, report.loaded, report.unchanged) == (1, 1, 1)  # 3 changed; 7 again, unchanged (from is inclusive)
    assert store.query('ASK { GRAPH ?g { ?d <http://purl.org/dc/terms/title> "Dataset 3, corrected" } }')
    assert read_state(store, server.url, None) == "2026-03-01"


def test_sets_and_dates_filter_and_keep_their_own_state(store: GraphStore, server: OaiServer) -> None:
    seven(server)
    report = harvest(store, server.url, set_="raw")
    assert (report.pages, report.loaded) == (1, 3)
    assert server.asked("set") == ["raw"]
    assert read_state(store, server.url, "raw") == "2026-01-03" and read_state(store, server.url, None) is None
    report = harvest(store, server.url, set_="derived", from_="2026-01-05", until="2026-01-06")
    assert (server.asked("from")[-1], server.asked("until")[-1]) == ("2026-01-05", "2026-01-06")
    assert (report.loaded, report.deleted) == (1, 1)
    assert has_doi(store, 6) and not has_doi(store, 4) and not has_doi(store, 7)


def test_harvesting_again_changes_nothing(store: GraphStore, server: OaiServer) -> None:
    seven(server)
    harvest(store, server.url)
    before = (store.count(), {s.iri: s.generation for s in store.sources.values()})
    report = harvest(store, server.url, from_="2000-01-01")
    assert (report.loaded, report.unchanged, report.deleted, report.removed) == (0, 6, 1, 0)
    assert (store.count(), {s.iri: s.generation for s in store.sources.values()}) == before


def test_an_error_mid_way_keeps_the_pages_before_and_the_rerun_resumes(store: GraphStore, server: OaiServer) -> None:
    seven(server)
    server.fail[2] = "500"
    with pytest.raises(HarvestStopped) as stopped:
        harvest(store, server.url)
    assert isinstance(stopped.value.cause, SourceUnavailable) and "HTTP 500" in str(stopped.value)
    assert "\n" not in str(stopped.value) and "resumes from 2026-01-03" in str(stopped.value)
    assert len(oai_sources(store)) == 3 and read_state(store, server.url, None) == "2026-01-03"
    server.fail.clear()
    server.requests.clear()
    report = harvest(store, server.url)
    assert server.asked("from") == ["2026-01-03"]
    assert (report.loaded, report.unchanged) == (3, 1)
    assert len(oai_sources(store)) == 6


@pytest.mark.parametrize(
    ("trouble", "message", "cause"),
    [("badToken", "OAI-PMH badResumptionToken: expired", SourceUnavailable),
     ("garbage", "not well-formed XML", RecordInvalid),
     ("stall", "no answer within 0.3 s", SourceUnavailable)],
)
def test_a_bad_second_page_is_one_clear_error(
    store: GraphStore, server: OaiServer, trouble: str, message: str, cause: type
) -> None:
    seven(server)
    server.fail[2] = trouble
    with pytest.raises(HarvestStopped) as stopped:
        harvest(store, server.url, timeout=0.3)
    assert isinstance(stopped.value.cause, cause) and message in str(stopped.value)
    assert len(oai_sources(store)) == 3 and read_state(store, server.url, None) == "2026-01-03"


def test_a_page_in_an_encoding_expat_cannot_read_is_refused_not_a_crash() -> None:
    """An encoding declaration expat does not know raised LookupError out of the harvest (a traceback); the
    shared XML reader refuses it as malformed XML naming the page, as it does for DataCite files and ICAT dumps."""
    with pytest.raises(RecordInvalid, match=r"^file https://oai\.test: page 1: not well-formed XML"):
        parse_page(b'<?xml version="1.0" encoding="UTV-8"?><OAI-PMH/>', "https://oai.test")


def test_oai_errors_of_the_first_request(store: GraphStore, server: OaiServer) -> None:
    seven(server)
    with pytest.raises(HarvestStopped, match="OAI-PMH badArgument: from=yesterday"):
        harvest(store, server.url, from_="yesterday")
    report = harvest(store, server.url, from_="2030-01-01")  # noRecordsMatch: no error, nothing to do
    assert (report.pages, report.records) == (0, 0)
    assert read_state(store, server.url, None) is None


def test_invalid_datacite_fails_strict_and_is_skipped_lenient(store: GraphStore, server: OaiServer) -> None:
    seven(server)
    server.items[1] = Item("oai:pan.test:2", "2026-01-02", xml_record(doi(2)).replace("<titles>", "<x>").replace(
        "</titles>", "</x>"), ("raw",))
    with pytest.raises(HarvestStopped, match="record oai:pan.test:2") as stopped:
        harvest(store, server.url)
    assert isinstance(stopped.value.cause, RecordInvalid)
    assert oai_sources(store) == {record_location(server.url, "oai:pan.test:1")}
    assert read_state(store, server.url, None) is None  # page 1 was not completed
    report = harvest(store, server.url, lenient=True)
    assert len(report.skipped) == 1 and "oai:pan.test:2" in report.skipped[0]
    assert len(oai_sources(store)) == 5


def test_the_shared_datacite_examples_harvest(store: GraphStore, server: OaiServer, shared: Path) -> None:
    files = sorted((shared / "reference" / "datacite" / "xml").glob("*.xml"))
    assert files
    for n, path in enumerate(files, 1):
        text = re.sub(r"^\s*<\?xml[^>]*\?>", "", path.read_text(encoding="utf-8"))
        server.items.append(Item(f"oai:datacite.example:{n}", f"2026-02-{n:02d}", text))
    report = harvest(store, server.url)
    assert report.loaded == len(files) and report.pages == -(-len(files) // server.page_size)
    assert len(oai_sources(store)) == len(files)


def test_the_harvest_command(tmp_path: Path, server: OaiServer) -> None:
    seven(server)
    runner = CliRunner()
    data = str(tmp_path / "kg")
    result = runner.invoke(app, ["harvest", server.url, "--data", data])
    assert result.exit_code == 0, result.output
    assert "3 pages, 6 loaded" in result.output and "starts from 2026-01-07" in result.output
    server.fail[1] = "500"
    result = runner.invoke(app, ["harvest", server.url, "--data", data])
    assert result.exit_code == 1
    assert "error: harvest stopped:" in result.output and "HTTP 500" in result.output
