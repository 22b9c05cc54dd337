"""Each letter in its own transaction: a letter that fails while being stored leaves nothing
behind, is reported, and the others are imported; the exit status says some failed."""
from __future__ import annotations

import functools
import json

import pytest

from conftest import ECON_FILE, EDU_FILE
from ouhai_tracker.cli import app


@pytest.mark.parametrize("path", ["orm", "fast"])
def test_failure_while_storing_one_letter_leaves_nothing_of_it(runner, db, letters_dir, monkeypatch, path):
    with monkeypatch.context() as faults:
        _import_with_a_fault(runner, letters_dir, faults, path)
    # The same letter imports whole once the fault is gone.
    again = runner.invoke(app, ["import", str(letters_dir)])
    assert again.exit_code == 0 and f"{ECON_FILE}: 6 commitments" in again.stdout


def _import_with_a_fault(runner, letters_dir, monkeypatch, path):
    import ouhai_tracker.store.bulk as bulk
    import ouhai_tracker.store.upsert as upsert

    if path == "orm":  # the ORM upsert (re-imports), made to store new letters too
        real_fill = upsert._fill_commitment
        filled = []

        def fill_then_break(row, found, *args):
            real_fill(row, found, *args)
            filled.append(found.text)
            if row.letter.file == ECON_FILE and len(filled) == 3:  # midway: letter, departments, 2 promises
                row.letter.departments  # noqa: B018 - a query: flushes what is pending
                raise RuntimeError("disk full")

        monkeypatch.setattr(upsert, "_fill_commitment", fill_then_break)
        monkeypatch.setattr(upsert, "store_letter", functools.partial(upsert.store_letter, fast=False))
    else:  # the fast path for new letters (store/bulk.py)
        real_insert = bulk._insert

        def insert_then_break(connection, table, rows, ids=False):
            if table is bulk.EVENTS and rows[0]["note"] == f"from {ECON_FILE}":  # the rest of it is in
                raise RuntimeError("disk full")
            return real_insert(connection, table, rows, ids)

        monkeypatch.setattr(bulk, "_insert", insert_then_break)
    result = runner.invoke(app, ["import", str(letters_dir)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"tracker: error: {letters_dir / ECON_FILE}: failed: could not store it "
                                     "(RuntimeError: disk full); nothing of it was kept")
    assert result.stdout.startswith(f"{EDU_FILE}: 2 commitments")
    docs = json.loads(runner.invoke(app, ["docs", "--json"]).stdout)
    assert [d["file"] for d in docs] == [EDU_FILE]
    listed = json.loads(runner.invoke(app, ["list", "--status", "all", "--json"]).stdout)
    assert {c["document"] for c in listed} == {EDU_FILE} and len(listed) == 2
    depts = {d["name"] for d in json.loads(runner.invoke(app, ["depts", "--json"]).stdout)}
    assert depts == {"区教育局", "区经济和信息化局"}  # nothing of the econ letter's 工商联 / 住建局


def test_extraction_crash_in_one_letter_does_not_stop_the_others(runner, db, letters_dir, monkeypatch):
    import ouhai_tracker.extract
    from conftest import fake_extract_letter

    def flaky(text, file_name="", *args):
        if file_name == ECON_FILE:
            raise IndexError("string index out of range")
        return fake_extract_letter(text, file_name, *args)

    monkeypatch.setattr(ouhai_tracker.extract, "extract_letter", flaky)
    result = runner.invoke(app, ["import", str(letters_dir)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "extraction failed (IndexError" in result.stderr and ECON_FILE in result.stderr
    assert EDU_FILE in result.stdout
