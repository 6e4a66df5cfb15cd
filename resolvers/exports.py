"""Exports over HTTP: ``GET /export/datacite/<doi>`` gives a DOI's DataCite kernel-4.7 XML built from the graph.

The same export as ``pankg export datacite`` (``graph/exports/datacite.py``), read in the caller's scope
(``resolvers.auth.scope_of``): anonymously, the public graphs only, so the creators, titles or licences of the
embargoed datasets a DOI covers are not in what the export reads, and values the public graph lacks are
written as DataCite's ``:unav`` like any other missing value. The local CLI is the data manager's and reads
everything (``docs/access.md``). The values left unavailable are named in the ``X-Pankg-Unavailable``
header (comma-separated DataCite element names), as the CLI names them on stderr.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from graph.exports.datacite import export_record
from graph.exports.datacite_xml import to_bytes
from graph.store.embedded import GraphStore, Scope
from resolvers import capacity

DATACITE_XML = "application/xml"

ScopeOf = Callable[[Request], Scope]


def _datacite(store: GraphStore, doi: str, scope: Scope) -> tuple[bytes, list[str]]:
    record = export_record(store, doi, scope)
    return to_bytes(record.values), list(record.missing)


def routes(scope_of: ScopeOf) -> list[Route]:
    """The export routes; ``scope_of`` gives the scope a request reads (anonymous: ``public``)."""

    async def datacite(request: Request) -> Response:
        store: GraphStore = request.app.state.store
        xml, missing = await capacity.read(request, _datacite, store, request.path_params["doi"], scope_of(request))
        headers = {"X-Pankg-Unavailable": ", ".join(missing)} if missing else {}
        return Response(xml, media_type=DATACITE_XML, headers=headers)

    return [Route("/export/datacite/{doi:path}", datacite, methods=["GET", "HEAD"])]
