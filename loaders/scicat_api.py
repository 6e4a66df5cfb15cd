"""Reading collections from a running SciCat backend over its REST API.

``GET <base>/<collection>?filter={"limits": {"limit": N, "skip": S}}`` page after page (the filter
syntax of SciCat's backend, v4 and its ``/api/v3`` routes) until a page comes back shorter than asked.
A bearer token, when the load's ``scicat_token`` option holds one (``pankg`` sets it from
:data:`TOKEN_SETTING`), goes in the ``Authorization`` header; it never appears in a location, a message or the
store.

The content hash of an API source is the SHA-256 of the pages as received, so an unchanged catalogue
is not rewritten; reading it means fetching it all, which the source then keeps for mapping.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import httpx
import orjson

from graph.errors import RecordInvalid, SourceUnavailable
from loaders.scicat_values import as_records

TOKEN_SETTING = "PANKG_SCICAT_TOKEN"
"""The setting (an environment variable of ``pankg``) that holds the token: what a refusal names."""
PAGE_SIZE = 1000
TIMEOUT_SECONDS = 60.0

# Collection name (as pankg names it) -> the path segment of its REST route.
ROUTES = {
    "instrument": "instruments",
    "proposal": "proposals",
    "sample": "samples",
    "dataset": "datasets",
    "origdatablock": "origdatablocks",
    "publisheddata": "publisheddata",
    "job": "jobs",
}


def split_url(url: str) -> tuple[str, list[str]]:
    """``(base, collections)`` of a URL: a collection's own route gives that one, an API base gives all.

    >>> split_url("https://scicat.example.org/api/v3/datasets")
    ('https://scicat.example.org/api/v3', ['dataset'])
    >>> split_url("https://scicat.example.org/api/v3/")[1][:2]
    ['instrument', 'proposal']
    """
    base = url.rstrip("/")
    last = base.rsplit("/", 1)[-1].lower()
    for collection, route in ROUTES.items():
        if last == route:
            return base[: -len(last) - 1], [collection]
    return base, list(ROUTES)


def fetch(url: str, page_size: int = PAGE_SIZE, token: str = "") -> tuple[list[Any], str]:
    """Every record of one collection route, and the SHA-256 of the pages as received; ``token``: the bearer
    token to send ("": none)."""
    headers = {"Accept": "application/json"}
    token = token.strip()
    if token:
        headers["Authorization"] = f"Bearer {token}"
    records: list[Any] = []
    digest = hashlib.sha256()
    skip = 0
    try:
        with httpx.Client(headers=headers, timeout=TIMEOUT_SECONDS, follow_redirects=True) as client:
            while True:
                query = json.dumps({"limits": {"limit": page_size, "skip": skip}}, separators=(",", ":"))
                response = client.get(url, params={"filter": query})
                _check(response, url, token)
                digest.update(response.content)
                try:
                    page = as_records(orjson.loads(response.content), url)
                except orjson.JSONDecodeError:
                    raise RecordInvalid(f"the page at skip={skip} is not valid JSON", file=url) from None
                records += page
                if len(page) < page_size:
                    return records, digest.hexdigest()
                skip += len(page)
    except httpx.HTTPError as exc:
        raise SourceUnavailable(f"{url}: {type(exc).__name__}: {exc}") from None


def _check(response: httpx.Response, url: str, token: str) -> None:
    if response.status_code in (401, 403):
        hint = "the token was refused" if token else f"set {TOKEN_SETTING} to a SciCat access token"
        raise SourceUnavailable(f"{url}: HTTP {response.status_code} {response.reason_phrase}: {hint}")
    if response.status_code >= 400:
        raise SourceUnavailable(f"{url}: HTTP {response.status_code} {response.reason_phrase}")
