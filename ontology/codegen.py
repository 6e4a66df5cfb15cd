"""Generate ``ontology/terms.py`` from ``ontology/pankg.ttl``.

Run ``python -m ontology.codegen`` after editing the ontology; ``tests/test_ontology.py``
regenerates it and fails when the committed module is stale, so code and ontology never drift.
"""

from __future__ import annotations

import sys
from pathlib import Path

import rdflib

from ontology import ONTOLOGY_DIR, PANKG_TTL

NAMESPACE = "https://w3id.org/pankg/ontology#"
TERMS_PY = ONTOLOGY_DIR / "terms.py"


def render(ttl: Path = PANKG_TTL) -> str:
    """Return the text of ``terms.py``: one ``str`` constant per term of the pankg namespace."""
    graph = rdflib.Graph().parse(ttl, format="turtle")
    names: dict[str, str] = {}
    for subject in set(graph.subjects()):
        iri = str(subject)
        if iri.startswith(NAMESPACE) and len(iri) > len(NAMESPACE):
            comment = graph.value(subject, rdflib.RDFS.comment) or graph.value(subject, rdflib.RDFS.label)
            names[iri[len(NAMESPACE):]] = " ".join(str(comment or "").split())
    lines = [
        f'"""IRIs of the pankg ontology. Generated from {ttl.name} by `python -m ontology.codegen`: do not edit."""',
        "",
        "from __future__ import annotations",
        "",
        "",
        "class PANKG:",
        '    """Terms of https://w3id.org/pankg/ontology# as plain ``str`` IRIs."""',
        "",
        f'    NS = "{NAMESPACE}"',
    ]
    for name in sorted(names, key=lambda n: (n[0].islower(), n)):
        lines.append(f'    {name} = "{NAMESPACE}{name}"')
        if names[name]:
            lines.append(f'    """{names[name]}"""')
    return "\n".join(lines) + "\n"


def main() -> None:
    """Write ``terms.py`` (or, with ``--check``, exit 1 when it is stale)."""
    text = render()
    if "--check" in sys.argv[1:]:
        sys.exit(0 if TERMS_PY.read_text() == text else 1)
    TERMS_PY.write_text(text)


if __name__ == "__main__":
    main()
