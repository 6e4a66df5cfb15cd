"""graph.store.rdf_input: RDF/XML is read by expat before oxigraph sees it; DTDs, cut-off XML and remote JSON-LD
contexts are refused with an error naming the file."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

from graph.errors import RecordInvalid
from graph.query.formats import RdfSyntax
from graph.query.terms import Triple
from graph.store import rdf_input

RDF_OPEN = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:ex="http://example.org/">\n')
PLAIN = ('<?xml version="1.0"?>\n' + RDF_OPEN
         + '  <rdf:Description rdf:about="http://example.org/a"><ex:p>one</ex:p></rdf:Description>\n'
         + '  <rdf:Description rdf:about="http://example.org/b"><ex:p>two</ex:p></rdf:Description>\n'
         + '</rdf:RDF>\n')
# Billion laughs, kept at 3 levels of 10 (1,000 characters expanded) so that even a parser that expanded it
# would not hurt the machine: it is refused for having a DTD at all.
LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n <!ENTITY a "aaaaaaaaaa">\n'
          ' <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n]>\n'
          + RDF_OPEN + '  <rdf:Description rdf:about="http://example.org/a"><ex:p>&c;</ex:p></rdf:Description>\n'
          '</rdf:RDF>\n')
EXTERNAL = ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n <!ENTITY x SYSTEM "file:///etc/passwd">\n]>\n' + RDF_OPEN
            + '  <rdf:Description rdf:about="http://example.org/a"><ex:p>&x;</ex:p></rdf:Description>\n</rdf:RDF>\n')


def quads(data: rdf_input.Input, fmt: RdfSyntax = RdfSyntax.RDF_XML, name: str = "in.rdf") -> list[Triple]:
    return list(rdf_input.triples(data, fmt, name=name))


def test_plain_rdf_xml_parses_from_bytes_and_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "plain.rdf"
    path.write_text(PLAIN)
    assert len(quads(PLAIN.encode())) == len(quads(path)) == 2


@pytest.mark.parametrize("text", [LAUGHS, EXTERNAL, '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF>\n' + RDF_OPEN + "</rdf:RDF>"],
                         ids=["billion-laughs", "external-entity", "bare-doctype"])
def test_a_dtd_is_refused_before_oxigraph_parses(tmp_path: Path, text: str) -> None:
    path = tmp_path / "hostile.rdf"
    path.write_text(text)
    for data in (path, text.encode()):
        with pytest.raises(RecordInvalid, match=r"file .*hostile\.rdf: RDF/XML with a DTD is refused.* line 2") as caught:
            quads(data, name=str(path))
        assert caught.value.file == str(path)


def test_a_dtd_after_many_chunks_of_comments_is_still_found(tmp_path: Path) -> None:
    """The check streams the file chunk by chunk and does not stop at the first one."""
    path = tmp_path / "late.rdf"
    path.write_text("<!-- " + "x" * (3 * rdf_input.CHUNK) + " -->\n" + LAUGHS.split("\n", 1)[1])
    with pytest.raises(RecordInvalid, match="with a DTD is refused"):
        quads(path)


@pytest.mark.parametrize("cut", [0.3, 0.5, 0.9, -2])
def test_rdf_xml_cut_off_is_refused_with_where_it_stops(cut: float) -> None:
    """oxigraph's RDF/XML parser stops at the end of its input without a word; expat does not."""
    end = int(len(PLAIN) * cut) if cut > 0 else len(PLAIN) + int(cut)
    text = PLAIN[:end]
    with pytest.raises(RecordInvalid, match=r"file in\.rdf: not valid RDF/XML: .*line \d+, column \d+"):
        quads(text.encode())


def test_not_well_formed_and_unknown_encodings_name_line_and_column() -> None:
    with pytest.raises(RecordInvalid, match=r"not well-formed XML at line 3, column \d+: mismatched tag"):
        quads(PLAIN.replace("</ex:p></rdf:Description>\n  <rdf:Description rdf:about=\"http://example.org/b\">",
                            "</ex:q></rdf:Description>\n  <rdf:Description rdf:about=\"http://example.org/b\">",
                            1).encode())
    with pytest.raises(RecordInvalid, match=r"not well-formed XML at line 1, column \d+: undefined entity"):
        quads(b"<rdf:RDF>&undeclared;</rdf:RDF>")
    for encoding in ("x-no-such-encoding", "shift_jis"):
        with pytest.raises(RecordInvalid, match="expat cannot read its encoding"):
            quads(PLAIN.replace('version="1.0"', f'version="1.0" encoding="{encoding}"').encode())


def test_an_empty_document_is_no_triples_not_an_error() -> None:
    """Callers judge emptiness: a Graph Store PUT of nothing clears a graph, a loader refuses the file."""
    assert quads(b"") == quads(b" \n") == []


def test_a_remote_json_ld_context_is_named_and_never_fetched(tmp_path: Path,
                                                              recorder: tuple[str, list[str]]) -> None:
    url, hits = recorder
    context = url.replace("/sparql", "/context.jsonld")
    path = tmp_path / "remote.jsonld"
    path.write_text(f'{{"@context": ["{context}"], "@id": "http://example.org/a", "name": "x"}}')
    with pytest.raises(RecordInvalid) as caught:
        quads(path, RdfSyntax.JSON_LD, name=str(path))
    assert str(caught.value) == (f"file {path}: its JSON-LD @context {context} is remote, and pankg never fetches a "
                                 'context: put the context\'s object in the file instead ("@context": {...})')
    assert hits == []
    inline = '{"@context": {"name": "http://schema.org/name"}, "@id": "http://example.org/a", "name": "x"}'
    assert len(quads(inline.encode(), RdfSyntax.JSON_LD)) == 1


def test_other_syntax_errors_keep_oxigraphs_line() -> None:
    with pytest.raises(RecordInvalid, match=r"file x\.ttl: not valid Turtle: .*line 2"):
        quads(b'<http://e.org/a> <http://e.org/p> "one" .\n<http://e.org/b> <http://e.org/p> "tw',
              RdfSyntax.TURTLE, name="x.ttl")


def test_the_docstring_examples_run() -> None:
    result = doctest.testmod(rdf_input)
    assert result.attempted > 0 and result.failed == 0
