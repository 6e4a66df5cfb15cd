"""Fuzzing the catalogue loaders with generated records (issue 12): SciCat, ICAT, DataCite, PaNOSC and CodeMeta.

Three families of input, each loaded as ``pankg load KIND`` loads it into a store that already holds data
(another source, and a valid version of the same files, so "changes nothing" means something):

- **valid** records with random but well-typed values (any Unicode, dates from 1900 to 2100, numbers that fit
  a double, known units, optional fields left out, duplicated PIDs, dangling references): they load, and
  loading them again changes nothing;
- **odd** records, still well typed but at the edges (blank and huge text, impossible dates, numbers beyond
  64 bits, infinity, units pint does not know): they load, or are refused with a ``RecordInvalid`` naming
  the file, the record and the field, and lenient mode skips that record and lists it;
- **broken** records (a required field dropped, a value of another type, a record nested in a list): a
  refusal names the file, the broken record and the broken field (the record alone when the record itself
  is not an object).

Never an exception other than a pankg error, and a failed load changes nothing (:mod:`tests.loaders.fuzz_checks`).
The number of examples is bounded for CI and repeatable (``derandomize``); ``PANKG_FUZZ_EXAMPLES=N`` runs N
per test and ``PANKG_FUZZ_RANDOM=1`` new ones each run.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.errors import RecordInvalid
from graph.store.embedded import GraphStore
from tests.loaders import fuzz_datacite, fuzz_icat, fuzz_records
from tests.loaders.fuzz_cases import Case
from tests.loaders.fuzz_checks import (
    check_lenient,
    check_refusal,
    check_reload,
    fuzz,
    holding,
    load_all,
    write,
)

STRATEGIES = {"scicat": fuzz_records.scicat, "icat": fuzz_icat.icat, "datacite": fuzz_datacite.datacite,
              "panosc": fuzz_records.panosc, "codemeta": fuzz_records.codemeta}


def replace_files(folder: Path, case: Case) -> list[Path]:
    """The case's files in ``folder`` (the earlier version's files there removed: a new export replaces them)."""
    for old in folder.glob("*"):
        old.unlink()
    return write(case, folder)


def refused_or_loaded(case: Case, previous: Case | None, reload: bool = True) -> RecordInvalid | None:
    """Load ``case`` strictly over ``previous``: None when it loaded (and, with ``reload``, loading it again
    changed nothing), else the refusal, once checked that lenient mode lists the same file, record and field."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = holding(folder, previous)
        paths = replace_files(folder / "input", case)
        try:
            load_all(store, case.kind, paths)
        except RecordInvalid as error:
            check_refusal(error, paths, case.broken)
            check_lenient(load_all(GraphStore(), case.kind, paths, lenient=True), error)
            return error
        if reload:
            check_reload(store, case.kind, paths)
        return None


@pytest.mark.parametrize("kind", sorted(STRATEGIES))
@fuzz(25)
@given(data=st.data())
def test_valid_records_load_and_load_again_unchanged(kind: str, data: st.DataObject) -> None:
    case = data.draw(STRATEGIES[kind](), label="case")
    assert refused_or_loaded(case, None) is None


@pytest.mark.parametrize("kind", sorted(STRATEGIES))
@fuzz(25)
@given(data=st.data())
def test_odd_values_load_or_are_refused_naming_file_record_and_field(kind: str, data: st.DataObject) -> None:
    case = data.draw(STRATEGIES[kind](odd=True), label="case")
    error = refused_or_loaded(case, None)
    if error is not None:  # an odd value is always in a record's field
        assert error.record and error.field, str(error)


@pytest.mark.parametrize("kind", sorted(STRATEGIES))
@fuzz(30)
@given(data=st.data())
def test_a_broken_record_is_refused_naming_file_record_and_field(kind: str, data: st.DataObject) -> None:
    case = data.draw(STRATEGIES[kind](broken=True), label="case")
    error = refused_or_loaded(case, case.intact, reload=False)
    assert case.broken is not None and (error is not None or not case.broken.must_refuse), case.broken.how
