"""One Crossref work (the ``message`` of ``/works/{doi}``) -> a publication with its authors and organizations.

Crossref writes dates as ``{"date-parts": [[2024, 3, 5]]}`` (a year alone, or a year and a month, are common),
titles and container titles as lists, ORCID iDs as ``http://orcid.org/...`` URLs, and affiliations as
``{"name": ..., "id": [{"id": "https://ror.org/...", "id-type": "ROR"}]}``. The mapper checks everything
before any entity leaves, so a work is mapped whole or refused whole; errors name the field by its JSON
path (``author[2].ORCID``, counted from 1).

People are merged by ORCID only: an author without a valid ORCID iD is minted inside the work
(``crossref:<doi>#author2``). An affiliation is its ROR IRI, else its name inside the work
(``crossref:<doi>#<name>``): names are never identifiers across records. A reference with a DOI becomes a
``cito:cites`` link to that DOI (the datasets and software DOIs of the graph are reached so); one without
is kept as its citation text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from graph.errors import RecordInvalid
from graph.model import entities as e
from graph.model.iris import doi_iri, orcid_iri, ror_iri
from loaders.fields import Fields

Warn = Callable[[str, str], None]
"""``warn(message, field)``: something to fix that does not stop the work."""

DATE_FIELDS = ("issued", "published", "published-print", "published-online", "created", "accepted")
_TAGS = re.compile(r"<[^>]+>")


def date_parts(f: Fields, key: str) -> str:
    """``"2024"``, ``"2024-03"`` or ``"2024-03-05"`` from Crossref's ``date-parts``; empty when absent."""
    obj = f.object(key)
    if obj is None:
        return ""
    parts = obj.list("date-parts")
    first = parts[0] if parts else None
    if first is None or first == [None] or first == []:
        return ""
    numbers = isinstance(first, list) and all(isinstance(x, int) and not isinstance(x, bool) for x in first)
    if not numbers or len(first) > 3:
        raise RecordInvalid(f"not Crossref date-parts: {first!r}", field=obj.at("date-parts"))
    text = "-".join([f"{first[0]:04d}", *(f"{x:02d}" for x in first[1:])])
    try:
        dt.date.fromisoformat(text if len(first) == 3 else (text + "-01-01")[:10])
    except ValueError:
        raise RecordInvalid(f"not a date: {first!r}", field=obj.at("date-parts")) from None
    return text


class WorkMapper:
    """Maps one work; ``entities`` collects the people and organizations it names."""

    def __init__(self, record: Any, warn: Warn) -> None:
        self.r = Fields(record, "")
        self.warn = warn
        self.entities: list[e.Entity] = []
        self.doi = ""

    def map(self) -> list[e.Entity]:
        r = self.r
        value = r.text("DOI")
        if not value:
            raise RecordInvalid("missing: a work needs its DOI", field="DOI")
        found = doi_iri(value)
        if found is None:
            raise RecordInvalid(f"not a DOI: {value!r}", field="DOI")
        self.doi = found[len("https://doi.org/"):]
        titles = r.texts("title")
        if not titles:
            raise RecordInvalid("missing: a work needs a title", field="title")
        subtitle = r.texts("subtitle")
        title = f"{titles[0]}: {subtitle[0]}" if subtitle else titles[0]
        containers = r.texts("container-title")
        dates = tuple((key, d) for key in DATE_FIELDS if (d := date_parts(r, key)))
        issued = next((d for key, d in dates if key == "issued"), "")
        authors = tuple(self._person(a, f"author{n}") for n, a in enumerate(r.items("author"), 1))
        contributors = tuple(self._person(a, f"{key}{n}") for key in ("editor", "translator", "chair")
                             for n, a in enumerate(r.items(key), 1))
        cites: list[e.Citation] = []
        texts: list[str] = []
        for ref in r.items("reference"):
            target, text = self._reference(ref)
            if target:
                cites.append(e.Citation(target))
            elif text:
                texts.append(text)
        details = e.PublicationDetails(
            work_type=r.text("type"), publisher=r.text("publisher"), containers=containers[1:],
            issns=r.texts("ISSN"), volume=r.text("volume"), issue=r.text("issue"), page=r.text("page"),
            url=r.iri("URL"), abstract=" ".join(_TAGS.sub(" ", r.text("abstract")).split()),
            language=r.text("language"), keywords=r.texts("subject"),
            licenses=tuple(x.iri("URL") for x in r.items("license") if x.text("URL")),
            dates=dates, contributors=contributors, reference_texts=tuple(dict.fromkeys(texts)),
        )
        publication = e.Publication(
            self.doi, title, authors, dt.date.fromisoformat(issued) if len(issued) == 10 else None,
            containers[0] if containers else "", tuple(dict.fromkeys(cites)), details,
        )
        return [*self.entities, publication]

    def _person(self, a: Fields, local: str) -> str:
        """An author or editor: its ORCID iD, else minted in the work (never merged by name)."""
        given, family = a.text("given"), a.text("family")
        name = a.text("name") or " ".join(filter(None, (given, family)))
        if not name:
            raise RecordInvalid("missing: an author needs a name (given, family or name)", field=a.at("family"))
        orcid = a.text("ORCID")
        pid = orcid_iri(orcid) if orcid else None
        if orcid and pid is None:
            self.warn(f"not a valid ORCID iD: {orcid!r}; the person is minted in the work", a.at("ORCID"))
        affiliations = tuple(self._affiliation(x) for x in a.items("affiliation"))
        pid = pid or f"crossref:{self.doi}#{local}"
        self.entities.append(e.Person(pid, name, given, family, tuple(filter(None, affiliations))))
        return pid

    def _affiliation(self, x: Fields) -> str:
        name = x.text("name")
        ror = ""
        for ident in x.items("id"):
            if ident.text("id-type").upper() == "ROR" or ident.text("id").startswith("https://ror.org/"):
                ror = ror_iri(ident.text("id")) or ror_iri("https://ror.org/" + ident.text("id")) or ""
                if not ror:
                    raise RecordInvalid(f"not a ROR id: {ident.text('id')!r}", field=ident.at("id"))
        if not (ror or name):
            return ""
        pid = ror or f"crossref:{self.doi}#{name}"
        self.entities.append(e.Organization(pid, name or ror))
        return pid

    def _reference(self, ref: Fields) -> tuple[str, str]:
        """``(cited DOI, "")`` for a reference with a DOI, else ``("", citation text)``."""
        value = ref.text("DOI")
        if value:
            found = doi_iri(value)
            if found:
                return found[len("https://doi.org/"):], ""
            self.warn(f"not a DOI: {value!r}; the reference is kept as text", ref.at("DOI"))
        text = ref.text("unstructured")
        if not text:
            year = ref.text("year")
            parts = [ref.text("author") + (f" ({year})" if year else ""),
                     ref.text("article-title") or ref.text("volume-title"),
                     " ".join(filter(None, (ref.text("journal-title") or ref.text("series-title"), ref.text("volume"),
                                             ref.text("first-page"))))]
            text = ". ".join(p for p in parts if p.strip()) or value or ref.text("key")
        return "", text
