"""Write what is generated from the model's description: the table of ``docs/model.md`` and SHACL shapes.

Run ``python -m graph.model.generate`` after editing :mod:`graph.model.schema`; ``tests/graph/test_schema.py``
fails while a committed file differs from what this writes, so the docs and the shapes cannot drift from the
description. Each generated part sits between two marker lines in its file; the rest of the file is hand-written.
"""

from __future__ import annotations

import sys
from pathlib import Path

from graph.model.schema import KINDS, XSD_OF, Field, Kind, Link
from ontology import ONTOLOGY_DIR

ROOT = Path(__file__).resolve().parents[2]
MODEL_MD = ROOT / "docs" / "model.md"
SHAPES_TTL = ONTOLOGY_DIR / "shapes.ttl"
BEGIN, END = "generated from graph/model/schema.py by `python -m graph.model.generate`: do not edit", "end of generated"

_PREFIXES = {"http://purl.org/dc/terms/": "dcterms:", "http://www.w3.org/ns/dcat#": "dcat:",
             "https://w3id.org/pankg/ontology#": "pankg:", "http://www.w3.org/ns/prov#": "prov:",
             "http://xmlns.com/foaf/0.1/": "foaf:", "http://schema.org/": "schema:",
             "http://www.w3.org/2004/02/skos/core#": "skos:", "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
             "http://purl.org/spar/cito/": "cito:"}


def short(iri: str) -> str:
    """``dcterms:title`` for a term of a prefix of docs/model.md §1, else the IRI."""
    return next((p + iri[len(ns):] for ns, p in _PREFIXES.items() if iri.startswith(ns)), f"<{iri}>")


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def model_table() -> str:
    """One row per field and link of every kind: what GraphQL shows it as, its RDF and what an embargo does."""
    rows = ["| kind | field | GraphQL | predicate | value | under embargo |", "|---|---|---|---|---|---|"]
    for kind in KINDS:
        for f in kind.fields:
            value = f.datatype + (", many" if f.many else "")
            shown = f"`{camel(f.name)}`" if f.graphql and kind.graphql else "-"
            rows.append(f"| {kind.name} | {f.name} | {shown} | `{short(f.predicate)}` | {value} "
                        f"| {_embargo(kind, f)} |")
        for link in kind.links:
            value = ("<- " if link.inverse else "-> ") + link.target + (", many" if link.many else "")
            rows.append(f"| {kind.name} | {link.name} | `{camel(link.name)}` | `{short(link.predicate)}` | {value} "
                        f"| {_embargo(kind, link)} |")
    return "\n".join(rows)


def _embargo(kind: Kind, part: Field | Link) -> str:
    if kind.name != "dataset":
        return ""
    return "public stub" if part.embargo == "stub" else "restricted"


def shapes() -> str:
    """The datatype-and-cardinality shape of every field marked ``shape``, and a node shape per kind holding them."""
    out = []
    for kind in KINDS:
        marked = [f for f in kind.fields if f.shape]
        if not marked:
            continue
        ids = [_shape_id(kind, f) for f in marked]
        out.append(f"shapes:{kind.record}Fields a sh:NodeShape ;\n    rdfs:label \"{kind.name} fields\" ;\n"
                   f"    sh:targetClass <{kind.classes[0]}> ;\n    sh:property {', '.join(ids)} .\n")
        for f, shape_id in zip(marked, ids, strict=True):
            words = f.name.replace("_", " ")
            count = "" if f.many else " sh:maxCount 1 ;"
            one = "" if f.many else "at most one "
            out.append(
                f"{shape_id} a sh:PropertyShape ;\n"
                f"    rdfs:label \"{kind.name}s with a malformed {words}\" ;\n"
                f"    sh:path <{f.predicate}> ;{count} sh:datatype <{XSD_OF[f.datatype]}> ;\n"
                f"    sh:severity sh:Violation ;\n"
                f"    sh:message \"A {kind.name} has {one}{short(f.predicate)}, an xsd:{f.datatype}.\" ;\n"
                f"    sh:description \"Fix the {words} in the source.\" .\n")
    return "\n".join(out)


def _shape_id(kind: Kind, f: Field) -> str:
    return f"shapes:{kind.name}-{f.name.replace('_', '-')}"


def spliced(text: str, generated: str, comment: tuple[str, str]) -> str:
    """``text`` with the part between its marker lines (comments ``comment[0] ... comment[1]``) replaced."""
    begin, end = f"{comment[0]}{BEGIN}{comment[1]}", f"{comment[0]}{END}{comment[1]}"
    head, found, rest = text.partition(begin)
    if not found or end not in rest:
        raise ValueError(f"no generated part (a line {begin!r} ... {end!r})")
    return f"{head}{begin}\n{generated.strip()}\n{end}{rest.split(end, 1)[1]}"


def targets() -> dict[Path, str]:
    """Each generated file and the text it should have."""
    return {MODEL_MD: spliced(MODEL_MD.read_text(), model_table(), ("<!-- ", " -->")),
            SHAPES_TTL: spliced(SHAPES_TTL.read_text(), shapes(), ("# ", ""))}


def main() -> int:
    for path, text in targets().items():
        if path.read_text() != text:
            path.write_text(text)
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
