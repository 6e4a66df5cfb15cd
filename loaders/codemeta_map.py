"""One CodeMeta record (a repository's ``codemeta.json``, CodeMeta 2 or 3) -> software, its version, people.

CodeMeta is JSON-LD with schema.org terms, and the same property comes in several shapes: a value or a list
of values, text or an object (``programmingLanguage: "Python"`` or ``{"@type": "ComputerLanguage", "name":
..., "version": ...}``; ``license: "MIT"``, ``"https://spdx.org/licenses/MIT"`` or ``{"@id": ...}``), and
``identifier`` as text, URL or ``PropertyValue``. The mapper reads the compacted form every CodeMeta tool
writes (the terms of the CodeMeta context, with or without a ``schema:`` / ``codemeta:`` prefix), and
checks everything before any entity leaves, so a record is mapped whole or refused whole.

The software's PID is its ``identifier`` when that is a name (``codemetar``), else its ``name``: the same
short name a facility catalogue and analysis runs use, so they meet on one node. A DOI is the software's
``pankg:doi``, a SWHID its ``schema:identifier``. ``version`` is a :class:`graph.model.entities.SoftwareVersion`
of its own, the node analysis runs use as their plan. People are merged by ORCID only (their ``@id`` or
``identifier``); one without is minted inside the record and role (``codemeta:<software>#author2``).
Organizations are their ROR IRI or other ``@id``, else their name inside the record.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from graph.errors import RecordInvalid
from graph.model import entities as e
from graph.model.iris import doi_iri, orcid_iri, ror_iri
from loaders.fields import Fields, as_iri, as_text, described
from loaders.licences import spdx_id

Warn = Callable[[str, str], None]

_WEB = ("http://", "https://")
AGENT_ROLES = ("author", "contributor", "maintainer", "copyrightHolder", "funder")


def _unprefixed(record: dict[str, Any]) -> dict[str, Any]:
    """Drop ``schema:`` / ``codemeta:`` / ``sdo:`` prefixes from keys (the expanded-then-compacted forms)."""
    return {key.split(":", 1)[1] if key.split(":", 1)[0] in ("schema", "codemeta", "sdo") else key: value
            for key, value in record.items()}


class Values(Fields):
    """A CodeMeta object read through :class:`loaders.fields.Fields`, with CodeMeta's shapes: keys without their
    ``schema:`` / ``codemeta:`` prefix, a property as one value or a list of them, and an object standing for its
    ``@id``, ``name`` or ``value`` where text is asked for."""

    __slots__ = ()

    def __init__(self, obj: Any, path: str = "") -> None:
        super().__init__(obj, path)
        self.obj = _unprefixed(self.obj)

    def many(self, key: str) -> list[tuple[str, Any]]:
        """``(path, value)`` of a value or of each item of a list (CodeMeta allows both)."""
        value = self.obj.get(key)
        if value is None:
            return []
        if isinstance(value, list):
            return [(f"{self.at(key)}[{n}]", v) for n, v in enumerate(value, 1) if v is not None]
        return [(self.at(key), value)]

    def text(self, key: str) -> str:
        """One text: a list is refused (``name``, ``version``... have one value)."""
        if isinstance(self.obj.get(key), list):
            raise RecordInvalid("expected one value, got a list", field=self.at(key))
        found = self.texts(key)
        return found[0] if found else ""

    def texts(self, key: str) -> tuple[str, ...]:
        """Texts of a value or list; an object stands for its ``@id``, ``name`` or ``value``."""
        found = []
        for path, value in self.many(key):
            if isinstance(value, dict):  # one without any of them stays an object, which as_text refuses
                value = value.get("@id") or value.get("name") or value.get("value") or value
            if text := as_text(value, path, numbers=True):
                found.append(text)
        return tuple(found)


class CodemetaMapper:
    """Maps one codemeta.json; ``entities`` collects its people and organizations."""

    def __init__(self, record: Any, warn: Warn) -> None:
        self.r = Values(record, "")
        self.warn = warn
        self.entities: list[e.Entity] = []
        self.pid = ""

    def map(self) -> list[e.Entity]:
        r = self.r
        kind = r.text("@type")
        if kind and kind.rsplit("/", 1)[-1].rsplit(":", 1)[-1] not in ("SoftwareSourceCode", "SoftwareApplication"):
            raise RecordInvalid(f"not a software record: @type {kind!r}", field="@type")
        name = r.text("name")
        if not name:
            raise RecordInvalid("missing: a software record needs its name", field="name")
        doi = swhid = ""
        identifiers: list[str] = []
        for path, value in r.many("identifier") + r.many("@id"):
            text = value.get("value") or value.get("@id") if isinstance(value, dict) else value
            if not isinstance(text, str):
                raise RecordInvalid(f"expected text, got {described(text)}", field=path)
            text = text.strip()
            if found := doi_iri(text):
                doi = doi or found[len("https://doi.org/"):]
            elif text.startswith("swh:1:"):
                swhid = swhid or text
            elif text and path.startswith("identifier"):
                identifiers.append(text)
        local = next((i for i in identifiers if not i.startswith(_WEB)), "")
        self.pid = local or name
        licenses = [self._license(path, v) for path, v in r.many("license")]
        if len(licenses) > 1:
            self.warn(f"only the first licence is kept: {licenses[1:]}", "license")
        agents = tuple(e.Role(self._agent(Values(v, path), f"{role}{n}"), role)
                       for role in AGENT_ROLES for n, (path, v) in enumerate(self._objects(role), 1))
        details = e.SoftwareDetails(
            identifiers=tuple(identifiers), swhid=swhid, url=r.iri("url"),
            keywords=tuple(k.strip() for text in r.texts("keywords") for k in text.split(",") if k.strip()),
            languages=self._dependencies("programmingLanguage"),
            requirements=self._dependencies("softwareRequirements"),
            suggestions=self._dependencies("softwareSuggestions"), agents=agents,
            issue_tracker=r.iri("issueTracker"), continuous_integration=r.iri("continuousIntegration"),
            development_status=r.iri("developmentStatus") if r.text("developmentStatus").startswith(_WEB)
            else r.text("developmentStatus"), runtime_platforms=r.texts("runtimePlatform"),
            operating_systems=r.texts("operatingSystem"), categories=r.texts("applicationCategory"),
            readme=r.iri("readme"), download_url=r.iri("downloadUrl"), date_created=r.text("dateCreated"),
            date_modified=r.text("dateModified"), date_published=r.text("datePublished"),
            references=tuple(d[len("https://doi.org/"):] for d in map(doi_iri, r.texts("referencePublication")) if d),
        )
        software = e.Software(self.pid, name, r.text("description"), r.iri("codeRepository"),
                              licenses[0] if licenses else "", doi, details=details)
        version = r.text("version") or r.text("softwareVersion")
        versions = [e.SoftwareVersion(self.pid, version)] if version else []
        return [*self.entities, software, *versions]

    def _objects(self, key: str) -> list[tuple[str, Any]]:
        return [(p, v) for p, v in self.r.many(key) if not (isinstance(v, str) and not v.strip())]

    def _license(self, path: str, value: Any) -> str:
        text = value.get("@id") or value.get("url") or value.get("identifier") if isinstance(value, dict) else value
        if not isinstance(text, str) or not text.strip():
            raise RecordInvalid("expected an SPDX id or a licence IRI", field=path)
        text = text.strip()
        if text.startswith(_WEB):
            return as_iri(text, path)
        found = spdx_id(text)
        if found is None:
            raise RecordInvalid(f"not an SPDX licence id: {text!r}", field=path)
        return found

    def _dependencies(self, key: str) -> tuple[e.Dependency, ...]:
        found = []
        for path, value in self.r.many(key):
            if isinstance(value, str):
                if value.strip():
                    web = value.strip().startswith(_WEB)
                    url = Values({"u": value.strip()}, path).iri("u") if web else ""
                    found.append(e.Dependency(value.strip(), url=url))
                continue
            v = Values(value, path)
            name = v.text("name") or v.text("identifier") or v.text("@id")
            if not name:
                raise RecordInvalid("missing: a dependency needs a name", field=v.at("name"))
            provider = v.obj.get("provider")
            found.append(e.Dependency(name, v.text("version") or v.text("softwareVersion"), v.iri("url"),
                                      v.text("identifier"),
                                      self._organization(Values(provider, v.at("provider"))) if provider else ""))
        return tuple(found)

    def _organization(self, o: Values) -> str:
        """An organization: its ROR IRI or other ``@id``, else its name inside this record."""
        ident, name = o.text("@id") or o.text("identifier"), o.text("name")
        pid = (ror_iri(ident) or ident) if ident.startswith(_WEB) else ""
        if not (pid or name):
            raise RecordInvalid("missing: an organization needs a name or an @id", field=o.at("name"))
        pid = pid or f"codemeta:{self.pid}#{name}"
        self.entities.append(e.Organization(pid, name or pid))
        return pid

    def _agent(self, a: Values, local: str) -> str:
        """A person (by ORCID, else minted in the record and role) or an organization (``@type`` Organization)."""
        if a.text("@type").endswith("Organization"):
            return self._organization(a)
        given, family = a.text("givenName"), a.text("familyName")
        name = a.text("name") or " ".join(filter(None, (given, family)))
        if not name:
            raise RecordInvalid("missing: a person needs a name (givenName, familyName or name)",
                                field=a.at("familyName"))
        pid = ""
        for value in (a.text("@id"), *a.texts("identifier")):
            if "orcid.org" in value or re.fullmatch(r"\d{4}-\d{4}-\d{4}-\d{3}[\dXx]", value):
                pid = orcid_iri(value) or ""
                if not pid:
                    self.warn(f"not a valid ORCID iD: {value!r}; the person is minted in the record", a.at("@id"))
                break
        affiliations = tuple(self._affiliation(p, v) for p, v in a.many("affiliation"))
        pid = pid or f"codemeta:{self.pid}#{local}"
        self.entities.append(e.Person(pid, name, given, family, affiliations, a.text("email")))
        return pid

    def _affiliation(self, path: str, value: Any) -> str:
        return self._organization(Values({"name": value} if isinstance(value, str) else value, path))
