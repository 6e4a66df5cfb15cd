"""The project ontology parses, its generated terms module is current, and the model uses only its terms."""

from __future__ import annotations

import re

import rdflib

from ontology import PANKG_TTL
from ontology.codegen import TERMS_PY, render
from ontology.namespaces import DCAT, Vocabulary
from ontology.terms import PANKG
from tests.helpers import ROOT


def test_terms_module_is_generated_from_the_ttl() -> None:
    assert TERMS_PY.read_text() == render(), "ontology/terms.py is stale: run `python -m ontology.codegen`"


def test_every_pankg_term_the_code_uses_is_defined_with_a_label_and_comment() -> None:
    graph = rdflib.Graph().parse(PANKG_TTL)
    used = set()
    for path in (ROOT / "graph").rglob("*.py"):
        used |= set(re.findall(r"(?:PANKG|(?<![\w/])pankg)\.(\w+)", path.read_text()))
    assert used, "the model should use pankg terms"
    for name in used:
        term = rdflib.URIRef(PANKG.NS + name)
        assert (term, rdflib.RDF.type, None) in graph, f"pankg:{name} is used but not defined"
        assert graph.value(term, rdflib.RDFS.label) is not None, f"pankg:{name} has no label"
        assert graph.value(term, rdflib.RDFS.comment) is not None, f"pankg:{name} has no comment"


def test_closed_vocabularies_refuse_unknown_terms() -> None:
    assert DCAT.Dataset == "http://www.w3.org/ns/dcat#Dataset"
    try:
        DCAT.Datset  # noqa: B018
    except AttributeError as exc:
        assert "'Datset' is not a term of dcat:" in str(exc)
    else:
        raise AssertionError("a misspelt term must raise")
    assert isinstance(DCAT, Vocabulary)
