"""Fuzzing every loader with truncated and corrupted files (issue 12).

For each file kind (SciCat, ICAT YAML and XML, DataCite XML and JSON, PaNOSC, CodeMeta, Crossref, software
catalogue, NeXus/HDF5, RDF in each syntax, PaNET OWL) a valid file is loaded, then cut at a byte, or has bits
flipped or bytes inserted, and is loaded again at the same path:

- the load ends in success or in a :class:`graph.errors.PankgError` naming the file, never in another exception
  (``KeyError``, ``UnicodeError``, h5py's ``OSError``, ``RecursionError``...), and a failed load leaves the store
  exactly as it was, the earlier version of the same source included;
- a file whose syntax closes at its end (JSON, XML, RDF/XML, JSON-LD) is an error when cut before it;
- through the command line, a broken file is one ``error:`` line (exit status 1) and never a traceback.

Bounded and repeatable for CI (``derandomize``); ``PANKG_FUZZ_EXAMPLES=N`` runs N examples per test and
``PANKG_FUZZ_RANDOM=1`` new ones each run.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.errors import PankgError, RecordInvalid
from loaders import nexus_worker
from tests.loaders.cli_store import everything, pankg, seeded_store
from tests.loaders.fuzz_checks import check_reload, fuzz, holding, load_all
from tests.loaders.fuzz_files import CUT_IS_ALWAYS_AN_ERROR, SEEDS, Seed, corrupted, cut_inside, seed


@pytest.fixture(autouse=True)
def _bounded(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The same for every example of a test: no HermiT (not what is fuzzed here, and Java is slow to start),
    and a short limit for libhdf5 on a damaged file (sound files are read in milliseconds)."""
    monkeypatch.setenv("PANKG_PANET_REASON", "never")
    monkeypatch.setattr(nexus_worker, "HARVEST_SECONDS", 5.0)
    yield


def load_over(found: Seed, content: bytes) -> tuple[Path, PankgError | None]:
    """Load ``found`` into a store, then ``content`` at the same path: the error it ended in, if any."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = holding(folder, None)
        path = folder / "input" / found.name
        path.parent.mkdir()
        path.write_bytes(found.content)
        load_all(store, found.kind, [path])  # the valid file loads: it is the source's earlier version
        path.write_bytes(content)
        try:
            load_all(store, found.kind, [path])  # a failure must change nothing (checked there)
        except PankgError as error:
            assert str(path) in str(error), str(error)
            assert not isinstance(error, RecordInvalid) or error.file == str(path), (error.file, str(error))
            return path, error
        check_reload(store, found.kind, [path])
        return path, None


@pytest.mark.parametrize("name", SEEDS)
@fuzz(12)
@given(data=st.data())
def test_a_corrupted_file_is_an_error_naming_it_or_loads(name: str, data: st.DataObject) -> None:
    found = data.draw(seed(name), label="seed")
    load_over(found, data.draw(corrupted(found.content), label="corrupted"))


@pytest.mark.parametrize("name", sorted(CUT_IS_ALWAYS_AN_ERROR))
@fuzz(6)
@given(data=st.data())
def test_a_file_cut_before_its_end_is_an_error(name: str, data: st.DataObject) -> None:
    found = data.draw(seed(name), label="seed")
    path, error = load_over(found, data.draw(cut_inside(found.content), label="cut"))
    assert error is not None, f"{path} cut off loaded"


@pytest.mark.parametrize("name", SEEDS)
@fuzz(2)
@given(data=st.data())
def test_the_command_line_says_one_line_never_a_traceback(name: str, data: st.DataObject) -> None:
    found = data.draw(seed(name), label="seed")
    content = data.draw(corrupted(found.content), label="corrupted")
    with tempfile.TemporaryDirectory() as tmp:
        store = seeded_store(Path(tmp))
        before = everything(store)
        path = Path(tmp) / found.name
        path.write_bytes(content)
        result = pankg("load", found.kind, path, "--data", store)
        assert "Traceback" not in result.output and result.exit_code in (0, 1), result.output
        if result.exit_code == 1:
            lines = result.output.strip().splitlines()
            assert lines[0].startswith("error: ") and str(path) in " ".join(result.output.split()), result.output
            assert everything(store) == before
        else:
            assert result.exception is None, repr(result.exception)


def test_every_loader_kind_is_fuzzed() -> None:
    """A new loader kind must get seeds here (and records in test_fuzz_records if it reads records)."""
    from loaders import LOADERS

    assert {name.split(".")[0] for name in SEEDS} == set(LOADERS)
