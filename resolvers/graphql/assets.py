"""GraphiQL's browser files, fetched once from the npm registry into a cache, so the IDE needs no CDN.

Why not a CDN: a beamline workstation often has no internet, and a page that loads React from unpkg shows
nothing there. Why not files committed to the repository: 4 MB of minified JavaScript in every clone and
diff. So ``pankg assets`` (and ``pankg serve`` when they are missing) downloads three pinned npm tarballs,
checks each against its pinned sha512 ``integrity`` (the value ``npm view PKG@VERSION dist.integrity``
prints, the same npm itself checks), and keeps only the four files a browser needs plus the licences.

A tarball that fails its check, or holds a member that would land outside the directory (``../x``, an
absolute path, a link), is refused before anything is written; the files are written to a temporary
directory beside the cache and moved into place only when all of them are there.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import httpx

from graph.errors import PankgError

BUNDLE = "graphiql-3.8.3"
"""The cache directory's name and the version part of the asset URLs: change it with the pins."""
DEFAULT_REGISTRY = "https://registry.npmjs.org"
MAX_FILE = 16 * 1024 * 1024  # the biggest file kept (graphiql.min.js) is 3.5 MB


class AssetsUnavailable(PankgError):
    """GraphiQL's files could not be fetched or checked; the simple query page is served instead."""


@dataclass(frozen=True)
class Package:
    """One pinned npm tarball and the files taken from it: ``{path under package/: name in the cache}``."""

    name: str
    version: str
    integrity: str
    files: dict[str, str]

    def url(self, registry: str) -> str:
        return f"{registry.rstrip('/')}/{self.name}/-/{self.name.split('/')[-1]}-{self.version}.tgz"


PINS: tuple[Package, ...] = (
    Package("graphiql", "3.8.3",
            "sha512-cuPDYtXVKV86Pu5PHBX642Odi/uVEE2y1Jxq5rGO/Qy1G2lRp7ZZ7a/T30RzxhuLSWo9zUbzq0P3U49//H0Ugw==",
            {"graphiql.min.js": "graphiql.min.js", "graphiql.min.css": "graphiql.min.css",
             "LICENSE": "LICENSE.graphiql"}),
    Package("react", "18.3.1",
            "sha512-wS+hAgJShR0KhEvPJArfuPVN1+Hz1t0Y6n5jLrGQbkb4urgPE/0Rve+1kMB1v/oWgHgm4WIcV+i7F2pTVj+2iQ==",
            {"umd/react.production.min.js": "react.production.min.js", "LICENSE": "LICENSE.react"}),
    Package("react-dom", "18.3.1",
            "sha512-5m4nQKp+rZRb09LNH59GM4BxTh9251/ylbKIbpe7TpGxfJ+9kv6BLkLBXIjjspbgbnIBNqlI23tRnTWT0snUIw==",
            {"umd/react-dom.production.min.js": "react-dom.production.min.js", "LICENSE": "LICENSE.react-dom"}),
)


def names() -> list[str]:
    """Every file name the cache holds when complete (also the only names the asset route serves)."""
    return [name for package in PINS for name in package.files.values()]


def present(where: Path) -> bool:
    """Whether every file is in the cache ``where`` (a partly filled directory counts as missing)."""
    return all((where / name).is_file() for name in names())


def check_integrity(data: bytes, integrity: str, what: str) -> None:
    """Refuse ``data`` unless its sha512 is the pinned Subresource-Integrity value ``sha512-<base64>``."""
    algorithm, _, expected = integrity.partition("-")
    if algorithm != "sha512":
        raise AssetsUnavailable(f"{what}: pinned integrity must be sha512, not {algorithm!r}")
    actual = base64.b64encode(hashlib.sha512(data).digest()).decode()
    if not hmac.compare_digest(actual, expected):
        raise AssetsUnavailable(f"{what}: integrity mismatch (expected sha512-{expected}, got sha512-{actual})")


def _unpack(data: bytes, package: Package, into: Path, what: str) -> None:
    """Write ``package.files`` from the tarball into ``into``, refusing any unsafe member of the archive."""
    wanted = {f"package/{path}": name for path, name in package.files.items()}
    staging = into / f".{package.name}"
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            members = tar.getmembers()
            for member in members:
                tarfile.data_filter(member, str(staging))  # raises on ../, absolute paths, links out
            found = {m.name: m for m in members if m.name in wanted and m.isfile() and m.size <= MAX_FILE}
            missing = sorted(set(wanted) - set(found))
            if missing:
                raise AssetsUnavailable(f"{what}: the tarball has no {', '.join(missing)}")
            for member_name, name in wanted.items():
                tar.extract(found[member_name], staging, filter="data")
                os.replace(staging / member_name, into / name)
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise AssetsUnavailable(f"{what}: not a safe npm tarball ({exc})") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _download(client: httpx.Client, url: str) -> bytes:
    try:
        response = client.get(url)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise AssetsUnavailable(f"{url}: {str(exc) or type(exc).__name__}") from None
    return response.content


def fetch(where: Path, source: str = DEFAULT_REGISTRY, *, force: bool = False, timeout: float = 30.0) -> Path:
    """Download, check and unpack the pinned tarballs from the registry ``source`` into ``where`` (pankg's
    settings give both: ``PANKG_ASSETS``, ``PANKG_NPM_REGISTRY``).

    Nothing is fetched when the cache is complete, unless ``force``. Every tarball is checked before any
    file is moved into ``where``, so a failure leaves the cache as it was. Raises :class:`AssetsUnavailable`.
    """
    if present(where) and not force:
        return where
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{where.name}-", dir=where.parent))
    except OSError as exc:
        raise AssetsUnavailable(f"cannot write {where.parent}: {exc}") from None
    try:
        with httpx.Client(timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)), follow_redirects=True) as client:
            for package in PINS:
                url = package.url(source)
                data = _download(client, url)
                check_integrity(data, package.integrity, url)
                _unpack(data, package, work, url)
        where.mkdir(parents=True, exist_ok=True)
        for name in names():
            os.replace(work / name, where / name)
    except OSError as exc:
        raise AssetsUnavailable(f"cannot write {where}: {exc}") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return where
