"""GraphiQL offline: pinned npm tarballs fetched, checked and unpacked safely; the page and its asset routes.

The registry is a local HTTP server started here, serving tarballs built here, with the pins patched to
their integrity; only the last test talks to the real npm registry (and skips, saying why, without it).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import io
import re
import tarfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from graph.store.embedded import GraphStore
from pankg import cli
from pankg.app import create_app
from pankg.settings import Settings
from resolvers.graphql import assets

CONTENT = {
    "graphiql.min.js": b"window.GraphiQL = function GraphiQL() {};",
    "graphiql.min.css": b".graphiql-container { display: flex; }",
    "react.production.min.js": b"window.React = {};",
    "react-dom.production.min.js": b"window.ReactDOM = {};",
}


def tarball(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def package_members(name: str) -> dict[str, bytes]:
    """The package/ layout of the real tarballs, with a few files that must not be kept."""
    licence = f"MIT License ({name})".encode()
    if name == "graphiql":
        return {"package/package.json": b"{}", "package/LICENSE": licence,
                "package/graphiql.min.js": CONTENT["graphiql.min.js"],
                "package/graphiql.min.css": CONTENT["graphiql.min.css"], "package/graphiql.js": b"dev build"}
    return {"package/package.json": b"{}", "package/LICENSE": licence,
            f"package/umd/{name}.production.min.js": CONTENT[f"{name}.production.min.js"],
            f"package/umd/{name}.development.js": b"dev build"}


class Registry:
    """A stand-in npm registry on 127.0.0.1: ``files`` maps URL paths to bytes; it records the paths asked."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.asked: list[str] = []
        registry = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                registry.asked.append(self.path)
                body = registry.files.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def publish(self, name: str, members: dict[str, bytes]) -> assets.Package:
        """Serve a tarball of ``members`` and return the real pin of ``name`` re-pinned to its integrity."""
        data = tarball(members)
        real = next(p for p in REAL_PINS if p.name == name)
        self.files[f"/{name}/-/{name}-{real.version}.tgz"] = data
        return assets.Package(real.name, real.version, integrity(data), real.files)


REAL_PINS = assets.PINS


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Registry]:
    """A local registry serving good tarballs of the three packages, the pins patched to them, and
    ``PANKG_ASSETS`` / ``PANKG_NPM_REGISTRY`` pointing at a fresh cache and the registry."""
    server = Registry()
    server.thread.start()
    monkeypatch.setattr(assets, "PINS", tuple(server.publish(p.name, package_members(p.name)) for p in REAL_PINS))
    monkeypatch.setenv("PANKG_ASSETS", str(tmp_path / "cache" / assets.BUNDLE))
    monkeypatch.setenv("PANKG_NPM_REGISTRY", server.url)
    try:
        yield server
    finally:
        server.server.shutdown()
        server.server.server_close()
        server.thread.join()


def cache() -> Path:
    """Where pankg's settings put the files: ``PANKG_ASSETS``, as the fixtures set it."""
    return Settings.from_env().assets


def fetch(force: bool = False) -> Path:
    """What ``pankg assets`` does: the files fetched where the settings say, from the registry they name."""
    settings = Settings.from_env()
    return assets.fetch(settings.assets, settings.npm_registry, force=force)


def get(path: str, accept: str = "text/html") -> httpx.Response:
    async def run() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app(GraphStore()))
        async with httpx.AsyncClient(transport=transport, base_url="http://pankg.test") as client:
            return await client.get(path, headers={"accept": accept})

    return asyncio.run(run())


def test_fetch_keeps_only_the_pinned_files(registry: Registry, tmp_path: Path) -> None:
    where = fetch()
    assert where == tmp_path / "cache" / assets.BUNDLE and assets.present(cache())
    assert sorted(p.name for p in where.iterdir()) == sorted(assets.names())
    for name, data in CONTENT.items():
        assert (where / name).read_bytes() == data
    assert (where / "LICENSE.react-dom").read_bytes() == b"MIT License (react-dom)"
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [assets.BUNDLE]  # no temporary directory left
    asked = len(registry.asked)
    fetch()  # complete: nothing fetched again
    assert len(registry.asked) == asked == 3


def test_a_wrong_integrity_is_refused_and_nothing_is_written(registry: Registry, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    graphiql, react, react_dom = assets.PINS
    wrong = assets.Package(react.name, react.version, integrity(b"something else"), react.files)
    monkeypatch.setattr(assets, "PINS", (graphiql, wrong, react_dom))
    with pytest.raises(assets.AssetsUnavailable, match="react-18.3.1.tgz: integrity mismatch"):
        fetch()
    assert not assets.present(cache()) and list((tmp_path / "cache").iterdir()) == []  # graphiql's files were not kept
    # a complete cache is left as it was when a forced fetch fails
    monkeypatch.setattr(assets, "PINS", (graphiql, react, react_dom))
    where = fetch()
    monkeypatch.setattr(assets, "PINS", (graphiql, wrong, react_dom))
    (where / "graphiql.min.js").write_bytes(b"kept")
    with pytest.raises(assets.AssetsUnavailable):
        fetch(force=True)
    assert (where / "graphiql.min.js").read_bytes() == b"kept" and assets.present(cache())


@pytest.mark.parametrize("evil", ["../evil", "package/../../evil", "/tmp/pankg-evil-absolute"])
def test_a_member_outside_the_package_cannot_write_outside_the_cache(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, evil: str
) -> None:
    graphiql, react, react_dom = assets.PINS
    bad = registry.publish("graphiql", {**package_members("graphiql"), evil: b"owned"})
    monkeypatch.setattr(assets, "PINS", (bad, react, react_dom))
    if evil.startswith("/"):  # the data filter reads an absolute name as relative: harmless, and not kept
        assert fetch() == cache() and sorted(p.name for p in cache().iterdir()) == sorted(
            assets.names())
    else:
        with pytest.raises(assets.AssetsUnavailable, match="not a safe npm tarball"):
            fetch()
        assert list((tmp_path / "cache").iterdir()) == []
    assert not list(tmp_path.rglob("*evil*")) and not Path("/tmp/pankg-evil-absolute").exists()


def test_a_link_in_place_of_a_file_is_refused(registry: Registry, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, data in package_members("react").items():
            if name.endswith("production.min.js"):
                link = tarfile.TarInfo(name)
                link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
                tar.addfile(link)
            else:
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    registry.files["/react/-/react-18.3.1.tgz"] = out.getvalue()
    graphiql, react, react_dom = assets.PINS
    monkeypatch.setattr(assets, "PINS", (graphiql, assets.Package("react", "18.3.1", integrity(out.getvalue()),
                                                                  react.files), react_dom))
    with pytest.raises(assets.AssetsUnavailable):
        fetch()
    assert not assets.present(cache()) and list((tmp_path / "cache").iterdir()) == []


def test_the_graphiql_page_names_only_local_assets(registry: Registry) -> None:
    fetch()
    page = get("/graphql")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "GraphiQL.createFetcher({url: \"/graphql\"})" in page.text and "ReactDOM.createRoot(" in page.text
    assert "http://" not in page.text and "https://" not in page.text
    urls = re.findall(r'(?:src|href)="([^"]*)"', page.text)
    base = f"/graphql/assets/{assets.BUNDLE}/"
    assert sorted(urls) == sorted(base + n for n in ("graphiql.min.css", "graphiql.min.js", "react.production.min.js",
                                                     "react-dom.production.min.js"))
    for url in urls:
        got = get(url, accept="*/*")
        kind = "text/css" if url.endswith(".css") else "text/javascript"
        assert got.status_code == 200 and got.headers["content-type"] == f"{kind}; charset=utf-8"
        assert got.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert got.content == CONTENT[url.rsplit("/", 1)[1]]
    licence = get(base + "LICENSE.graphiql", accept="*/*")
    assert licence.headers["content-type"] == "text/plain; charset=utf-8" and licence.text == "MIT License (graphiql)"
    for path in (base + "package.json", base + "graphiql.js", "/graphql/assets/graphiql-0.0.1/graphiql.min.js",
                 base + "..%2F..%2Fetc%2Fpasswd"):
        assert get(path, accept="*/*").status_code == 404, path


def test_without_the_files_the_simple_page_says_how_to_get_graphiql(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PANKG_ASSETS", str(tmp_path / "empty"))
    page = get("/graphql")
    assert page.status_code == 200 and "<textarea" in page.text and "<code>pankg assets</code>" in page.text
    assert "https://" not in page.text and "<script src" not in page.text
    assert get(f"/graphql/assets/{assets.BUNDLE}/graphiql.min.js", accept="*/*").status_code == 404


def test_pankg_assets_and_serve(registry: Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    served: list[Any] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **options: served.append(options))
    runner = CliRunner()
    GraphStore(cache().parent / "kg").close()  # serve opens a store, it does not make one
    # offline: one warning, and the server still starts
    monkeypatch.setenv("PANKG_NPM_REGISTRY", "http://127.0.0.1:1")
    offline = runner.invoke(cli.app, ["serve", "--data", str(cache().parent / "kg")])
    assert offline.exit_code == 0 and len(served) == 1, offline.output
    assert "warning: GraphiQL not available, serving the simple query page" in offline.output
    failed = runner.invoke(cli.app, ["assets"])
    assert failed.exit_code == 1 and failed.output.startswith("error: ") and "Traceback" not in failed.output
    monkeypatch.setenv("PANKG_NPM_REGISTRY", registry.url)
    done = runner.invoke(cli.app, ["assets"])
    assert done.exit_code == 0 and str(cache()) in done.output and assets.present(cache())
    online = runner.invoke(cli.app, ["serve", "--data", str(cache().parent / "kg")])
    assert online.exit_code == 0 and "warning" not in online.output and len(served) == 2


def test_the_real_pins_match_the_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PANKG_NPM_REGISTRY", raising=False)
    try:
        httpx.head(assets.DEFAULT_REGISTRY, timeout=5).raise_for_status()
    except httpx.HTTPError as exc:
        pytest.skip(f"the npm registry {assets.DEFAULT_REGISTRY} is not reachable from here ({exc!r})")
    where = assets.fetch(tmp_path / assets.BUNDLE)
    assert assets.present(where)
    assert b"createFetcher" in (where / "graphiql.min.js").read_bytes()
    assert b"createRoot" in (where / "react-dom.production.min.js").read_bytes()
