"""The pages of an OAI-PMH ``ListRecords`` answer, read strictly: the transport half of ``pankg harvest``.

The HTTP side (the request, the resumption-token loop, the timeout, OAI-PMH error codes as exceptions) is
oaipmh-scythe's: it is maintained, typed, follows resumption tokens and has a timeout per request. Two
things it does not do the way a graph that must stay consistent needs, so they are done here:

- it parses answers with lxml in *recover* mode, which turns malformed XML into whatever it could salvage;
  every page is therefore parsed again through :mod:`loaders.safe_xml` (defusedxml: no DTD, no entities), and
  a page that does not parse stops the harvest before the next page is asked for;
- it looks for an OAI-PMH ``<error>`` before the HTTP status, and a 5xx answer whose body is not XML
  makes it fail with an unrelated error; an httpx event hook refuses any 4xx/5xx answer first.

Pages are produced lazily: the next page is requested only when the caller has finished with the one
before, so a failure never leaves a page half-read behind a later one. Every failure is a
:class:`SourceUnavailable` (the endpoint or the network) or :class:`RecordInvalid` (the answer is not
OAI-PMH) whose message is one line naming the endpoint; ``noRecordsMatch`` is no failure, only no pages.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx2
from oaipmh_scythe import Scythe
from oaipmh_scythe import exceptions as oai_errors
from oaipmh_scythe.config import HTTPConfig
from oaipmh_scythe.iterator import OAIResponseIterator
from oaipmh_scythe.response import OAIResponse

from graph.errors import RecordInvalid, SourceUnavailable
from loaders import safe_xml

OAI = "{http://www.openarchives.org/OAI/2.0/}"


@dataclass(frozen=True)
class OaiRecord:
    """One record of a page: its header, and the ``<metadata>`` element unless the record is deleted."""

    identifier: str
    datestamp: str
    deleted: bool
    metadata: ET.Element | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Page:
    """One answer of the ListRecords sequence; ``size`` is the server's completeListSize when it gives one."""

    number: int
    records: list[OaiRecord]
    token: str | None
    size: int | None = None


def list_records(
    endpoint: str,
    *,
    set_: str | None = None,
    from_: str | None = None,
    until: str | None = None,
    timeout: float = 60.0,
    metadata_prefix: str,
) -> Iterator[Page]:
    """The pages of ``ListRecords`` of ``metadata_prefix`` records at ``endpoint``, following resumption tokens to
    the end.

    ``timeout`` bounds every request (connect and each read), so a stalled server is an error, not a hang.
    """
    scythe = Scythe(endpoint, http_config=HTTPConfig(timeout=timeout), iterator=OAIResponseIterator)
    with scythe:
        scythe.client.event_hooks["response"].append(_refuse_http_errors)
        answers = scythe.list_records(from_=from_, until=until, metadata_prefix=metadata_prefix, set_=set_)
        number = 0
        while True:
            try:
                answer = next(answers)
            except StopIteration:
                return
            except oai_errors.NoRecordsMatch:
                return  # not an error: nothing changed since ``from_``
            except oai_errors.OAIPMHException as exc:
                code = type(exc).__name__
                code = "error" if code == "GeneralOAIPMHError" else code[0].lower() + code[1:]
                raise SourceUnavailable(f"{endpoint}: OAI-PMH {code}{': ' + str(exc) if str(exc) else ''}") from None
            except httpx2.TimeoutException:
                raise SourceUnavailable(f"{endpoint}: no answer within {timeout:g} s (the server stalled)") from None
            except httpx2.HTTPError as exc:
                raise SourceUnavailable(f"{endpoint}: {exc}") from None
            number += 1
            assert isinstance(answer, OAIResponse)  # OAIResponseIterator yields whole answers, never records
            yield parse_page(answer.http_response.content, endpoint, number)


def _refuse_http_errors(response: httpx2.Response) -> None:
    """An httpx response hook: a 4xx/5xx answer is an error whatever its body (HTML, text, nothing)."""
    if response.status_code >= 400:
        raise SourceUnavailable(
            f"{response.request.url.copy_with(query=None)}: HTTP {response.status_code} {response.reason_phrase}"
        )


def parse_page(data: bytes, endpoint: str, number: int = 1) -> Page:
    """One ListRecords answer: its records and its resumption token (None on the last page)."""
    where = f"{endpoint}: page {number}"
    root = safe_xml.parse(data, where, "an OAI-PMH answer has no DTD and declares no entities")
    if root.tag != f"{OAI}OAI-PMH":
        raise RecordInvalid(f"not an OAI-PMH answer (the root is <{root.tag}>)", file=where)
    error = root.find(f"{OAI}error")
    if error is not None:  # scythe raises these first; kept for an answer it could not read
        code = error.get("code", "error")
        if code == "noRecordsMatch":
            return Page(number, [], None)
        raise SourceUnavailable(f"{endpoint}: OAI-PMH {code}: {' '.join((error.text or '').split())}")
    listing = root.find(f"{OAI}ListRecords")
    if listing is None:
        raise RecordInvalid("an OAI-PMH answer without <ListRecords>", file=where)
    records = [_record(element, where) for element in listing.findall(f"{OAI}record")]
    token_element = listing.find(f"{OAI}resumptionToken")
    token = (token_element.text or "").strip() if token_element is not None else ""
    size = token_element.get("completeListSize", "") if token_element is not None else ""
    return Page(number, records, token or None, int(size) if size.isdigit() else None)


def _record(element: ET.Element, where: str) -> OaiRecord:
    header = element.find(f"{OAI}header")
    if header is None:
        raise RecordInvalid("a <record> without <header>", file=where)
    identifier = " ".join((header.findtext(f"{OAI}identifier") or "").split())
    datestamp = (header.findtext(f"{OAI}datestamp") or "").strip()
    if not identifier:
        raise RecordInvalid("a record header without <identifier>", file=where)
    if not datestamp:
        raise RecordInvalid("a record header without <datestamp>", file=where, record=identifier)
    deleted = header.get("status") == "deleted"
    return OaiRecord(identifier, datestamp, deleted, None if deleted else element.find(f"{OAI}metadata"))
