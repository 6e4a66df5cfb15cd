"""The human and search-engine views of a Linked Data description: an HTML page and a schema.org ``Dataset``.

Both are built from the same triples the RDF formats serialize (``resolvers/linked_data.py``), so a page never
shows more than the caller's scope holds: an embargoed dataset's page and its schema.org record carry the
public stub only. Links to IRIs minted under the store's base go to this server's ``/id/`` pages; every other
IRI (DOIs, ORCIDs, RORs, PaNET terms, SPDX licences) links out to its own resolver as it is.
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from graph.query.terms import Literal, NamedNode
from ontology.namespaces import DCAT, DCTERMS, RDF, STANDARD
from ontology.terms import PANKG

if TYPE_CHECKING:
    from graph.query.describe import Description

PREFIXES = {v.prefix: v.iri for v in STANDARD} | {"pankg": PANKG.NS}
CATALOGUE_NAME = "pankg: the photon and neutron knowledge graph"
STYLE = """body{font-family:system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:1rem 0;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .8rem;
text-align:left;vertical-align:top}th{white-space:nowrap;font-weight:600}code,small{font-size:.85em;color:#555}
ul{margin:0;padding-left:1rem}.embargo{background:#fff4d6;padding:.5rem 1rem;border-radius:.3rem}"""


def prefixed(iri: str) -> str:
    """``dcterms:title`` for a term of a known vocabulary, else the IRI itself."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def href(iri: str, base: str, home: str) -> str | None:
    """Where a link goes: this server's ``/id/`` page for a minted IRI, else the IRI (DOI, ORCID, ROR, PaNET...);
    None for an IRI that is not http(s): a ``javascript:`` or ``data:`` IRI written through the Graph Store is
    shown as text, never as a link a reader could click.

    >>> href("javascript:alert(1)", "https://w3id.org/pankg/id/", "/") is None
    True
    """
    if iri.startswith(base):
        return f"{home}id/{iri[len(base):]}"
    return iri if linkable(iri) else None


def linkable(iri: str) -> bool:
    """True for an http(s) IRI: the only ones a page turns into links."""
    return iri.partition(":")[0].lower() in ("http", "https")


def link(target: str | None, text: str) -> str:
    """``<a href>`` to ``target`` showing ``text`` (both escaped), or the text in ``<code>`` when there is no target."""
    esc = html.escape
    return f'<a href="{esc(target)}">{esc(text)}</a>' if target is not None else f"<code>{esc(text)}</code>"


def _term(term: Any, d: Description, labels: dict[str, str], home: str) -> str:
    esc = html.escape
    if isinstance(term, NamedNode):
        iri = term.value
        text = labels.get(iri) or (unquote(iri[len(d.base) :]) if iri.startswith(d.base) else prefixed(iri))
        small = f" <small>{esc(iri)}</small>" if labels.get(iri) else ""
        return link(href(iri, d.base, home), text) + small
    if isinstance(term, Literal):
        datatype = prefixed(term.datatype.value) if term.datatype else ""
        hint = f' title="{esc(datatype)}"' if datatype and datatype != "xsd:string" else ""
        lang = f" <small>@{esc(term.language)}</small>" if term.language else ""
        return f"<span{hint}>{esc(term.value)}</span>{lang}"
    return f"<code>{esc(str(term))}</code>"


def _json_script(data: dict[str, Any]) -> str:
    """JSON-LD for a <script> element: '<' escaped so no value can close the element."""
    return json.dumps(data, ensure_ascii=False, indent=1).replace("<", "\\u003c")


def html_page(d: Description, home: str, schema: dict[str, Any] | None) -> bytes:
    """A small page: the entity's name, its properties with their values as links, and the other formats."""
    esc = html.escape
    labels = d.labels()
    title = labels.get(d.iri) or d.first(DCTERMS.identifier) or unquote(d.iri[len(d.base) :])
    by_predicate: dict[str, list[Any]] = {}
    for t in d.triples:
        if isinstance(t.subject, NamedNode) and t.subject.value == d.iri:
            by_predicate.setdefault(t.predicate.value, []).append(t.object)
    order = sorted(by_predicate, key=lambda p: (p != RDF.type, prefixed(p)))
    rows = []
    for p in order:
        values = sorted(by_predicate[p], key=str)
        cells = [_term(v, d, labels, home) for v in values]
        shown = cells[0] if len(cells) == 1 else "<ul>" + "".join(f"<li>{c}</li>" for c in cells) + "</ul>"
        rows.append(f'<tr><th>{link(p if linkable(p) else None, prefixed(p))}</th><td>{shown}</td></tr>')
    embargo = ""
    if PANKG.Restricted in {o.value for o in d.objects(PANKG.accessLevel)}:
        until = d.first(PANKG.embargoEndDate)
        embargo = (
            '<p class="embargo">Under embargo' + (f" until {esc(until)}" if until else "")
            + ": only the public record is shown (identifiers, facility, instrument, proposal, technique).</p>"
        )
    formats = " · ".join(
        f'<a href="?format={key}">{name}</a>'
        for key, name in (("ttl", "Turtle"), ("nt", "N-Triples"), ("jsonld", "JSON-LD"), ("rdf", "RDF/XML"))
    ) + (' · <a href="?format=schema">schema.org</a>' if schema is not None else "")
    alternates = "".join(
        f'<link rel="alternate" type="{media}" href="?format={key}">'
        for key, media in (("ttl", "text/turtle"), ("jsonld", "application/ld+json"), ("rdf", "application/rdf+xml"))
    )
    script = f'<script type="application/ld+json">\n{_json_script(schema)}\n</script>' if schema is not None else ""
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(title)} · pankg</title>
{f'<link rel="canonical" href="{esc(d.iri)}">' if linkable(d.iri) else ""}{alternates}
<style>{STYLE}</style>{script}</head><body>
<p><a href="{esc(home)}">pankg</a></p>
<h1>{esc(title)}</h1>
<p><code>{esc(d.iri)}</code></p>{embargo}
<table>{"".join(rows)}</table>
<p>Also as {formats}.</p>
</body></html>"""
    return page.encode()


def not_found_page(message: str) -> bytes:
    """The 404 page a browser gets: the same message as the JSON error, readable."""
    esc = html.escape
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found · pankg</title>'
        f"<style>{STYLE}</style></head><body><h1>Not found</h1><p>{esc(message)}</p>"
        f'<p><a href="/">pankg home</a></p></body></html>'
    ).encode()


def _one_or_many(values: list[Any]) -> Any:
    return values[0] if len(values) == 1 else values


def schema_dataset(d: Description, home: str) -> dict[str, Any]:
    """The dataset as a schema.org ``Dataset`` in the shape Google Dataset Search reads.

    Values come from the description's triples only; a field the scope does not show (an embargoed title,
    creators, licence) is left out, and the name and description then say what the stub holds.
    """
    labels = d.labels()

    def named(kind: str, iri: str) -> dict[str, Any]:
        node: dict[str, Any] = {"@type": kind, "@id": iri, "name": labels.get(iri, iri)}
        if iri.startswith(("https://orcid.org/", "https://ror.org/")):
            node["identifier"] = iri
        return node

    pid = d.first(DCTERMS.identifier)
    dois = [o.value for o in d.objects(PANKG.doi)]
    restricted = PANKG.Restricted in {o.value for o in d.objects(PANKG.accessLevel)}
    facility = [labels.get(o.value, o.value) for o in d.objects(PANKG.facility)]
    instrument = [labels.get(o.value, o.value) for o in d.objects(PANKG.instrument)]
    techniques = [o.value for o in d.objects(PANKG.technique)]
    description = d.first(DCTERMS.description)
    if not description:
        what = ", ".join(labels.get(t, t) for t in techniques) or "a measurement"
        where = " on ".join(filter(None, [", ".join(instrument), ", ".join(facility)]))
        description = f"Dataset {pid or d.iri}: {what}" + (f" at {where}" if where else "") + "."
    doc: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": d.iri,
        "url": d.iri,
        "name": d.first(DCTERMS.title) or f"Dataset {pid or d.iri}",
        "description": description,
        "identifier": _one_or_many(dois + ([pid] if pid else [])),
    }
    if licenses := [o.value for o in d.objects(DCTERMS.license)]:
        doc["license"] = _one_or_many(licenses)
    if creators := [named("Person", o.value) for o in d.objects(DCTERMS.creator)]:
        doc["creator"] = creators
    if created := d.first(DCTERMS.created):
        doc["dateCreated"] = created
        doc["temporalCoverage"] = created
    if techniques:
        doc["measurementTechnique"] = [
            {"@type": "DefinedTerm", "@id": t, "name": labels.get(t, t), "url": t} for t in techniques
        ]
    if keywords := [o.value for o in d.objects(DCAT.keyword)]:
        doc["keywords"] = keywords
    if facilities := [named("Organization", o.value) for o in d.objects(PANKG.facility)]:
        doc["provider"] = _one_or_many(facilities)
    if restricted:
        until = d.first(PANKG.embargoEndDate)
        doc["conditionsOfAccess"] = "Under embargo" + (f" until {until}" if until else "") + "; then public."
        doc["isAccessibleForFree"] = False
    doc["includedInDataCatalog"] = {"@type": "DataCatalog", "name": CATALOGUE_NAME, "url": home}
    label = labels.get(d.iri)
    if label and label != doc["name"]:
        doc["alternateName"] = label
    return doc
