"""RDF files load as they are; a file that does not parse loads nothing and says where it broke."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import RecordInvalid, SourceUnavailable
from graph.store.embedded import GraphStore
from loaders import LOADERS
from loaders.base import load

TTL = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""


def write_ttl(path: Path, n: int, broken_at: int | None = None) -> Path:
    lines = [TTL]
    for i in range(n):
        if i == broken_at:
            lines.append("<https://example.org/ds/broken> dcterms:title 'no end .\n")
        lines.append(f"<https://example.org/ds/{i}> a dcat:Dataset ; dcterms:title \"Dataset {i}\" .\n")
    path.write_text("".join(lines))
    return path


def test_a_turtle_file_loads_and_reloads_idempotently(tmp_path: Path, store: GraphStore) -> None:
    path = write_ttl(tmp_path / "a.ttl", 100)
    (source,) = LOADERS["rdf"]([str(path)])
    first = load(store, source)
    assert first.changed and first.entities["triples"] == 200
    assert first.result is not None and first.result.source.triples == 200
    assert store.count("public") == 200
    again = load(store, source)
    assert not again.changed and again.skipped


def test_a_file_broken_half_way_changes_nothing(tmp_path: Path, store: GraphStore) -> None:
    path = write_ttl(tmp_path / "a.ttl", 100)
    (source,) = LOADERS["rdf"]([str(path)])
    load(store, source)
    _, before = store.query("SELECT ?t WHERE { ?d <http://purl.org/dc/terms/title> ?t } ORDER BY ?t")
    count = store.count()
    write_ttl(path, 5000, broken_at=4000)
    with pytest.raises(RecordInvalid, match=r"file .*a\.ttl: not valid Turtle: .*line 4003"):
        load(store, source)
    _, after = store.query("SELECT ?t WHERE { ?d <http://purl.org/dc/terms/title> ?t } ORDER BY ?t")
    assert store.count() == count and after == before


def test_directories_and_missing_paths(tmp_path: Path) -> None:
    write_ttl(tmp_path / "a.ttl", 1)
    (tmp_path / "sub").mkdir()
    write_ttl(tmp_path / "sub" / "b.ttl", 1)
    (tmp_path / "notes.txt").write_text("not RDF")
    assert [Path(s.location).name for s in LOADERS["rdf"]([str(tmp_path)])] == ["a.ttl", "b.ttl"]
    with pytest.raises(SourceUnavailable, match="no such file"):
        LOADERS["rdf"]([str(tmp_path / "missing.ttl")])
    with pytest.raises(SourceUnavailable, match="unknown RDF file type '.txt'"):
        LOADERS["rdf"]([str(tmp_path / "notes.txt")])


def test_blank_nodes_of_two_files_stay_apart(tmp_path: Path, store: GraphStore) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.ttl").write_text(f'_:b0 <http://purl.org/dc/terms/title> "{name}" .\n')
        (source,) = LOADERS["rdf"]([str(tmp_path / f"{name}.ttl")])
        load(store, source)
    _, rows = store.query("SELECT DISTINCT ?s WHERE { ?s <http://purl.org/dc/terms/title> ?t }")
    assert len(rows) == 2
