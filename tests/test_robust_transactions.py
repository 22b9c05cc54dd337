"""Each letter in its own savepoint of a batch's transaction: a letter that fails while being
stored leaves nothing behind, is reported, and the others are imported, those in its batch too;
a batch that cannot commit reports each of its letters failed. The exit status says some failed."""
from __future__ import annotations

import json

import pytest

from conftest import ECON_FILE, ECON_TEXT, EDU_FILE
from ouhai_tracker.cli import app


# Where the econ letter's writing breaks: midway (its letter, departments and policies are in) or
# at its last statement (everything else is in).
FAULTS = {"commitments": lambda rows: rows[0]["text"] in ECON_TEXT,
          "events": lambda rows: rows[0]["note"] == f"from {ECON_FILE}"}


@pytest.mark.parametrize("table", FAULTS)
def test_failure_while_storing_one_letter_leaves_nothing_of_it(runner, db, letters_dir, monkeypatch, table):
    from ouhai_tracker import importer
    from ouhai_tracker.store.importing import LetterBatch

    commits = []
    real_commit = LetterBatch.commit
    monkeypatch.setattr(importer, "IDLE_SECONDS", 30)  # both letters in one batch, whatever the machine's pace
    monkeypatch.setattr(LetterBatch, "commit", lambda self: commits.append(1) or real_commit(self))
    with monkeypatch.context() as faults:
        _import_with_a_fault(runner, letters_dir, faults, table)
    assert len(commits) == 1  # the failed letter rolled back alone, in the batch its neighbour landed in
    # The same letter imports whole once the fault is gone.
    again = runner.invoke(app, ["import", str(letters_dir)])
    assert again.exit_code == 0 and f"{ECON_FILE}: 6 commitments" in again.stdout


def _import_with_a_fault(runner, letters_dir, monkeypatch, table):
    from ouhai_tracker.store import write

    real_insert = write._insert

    def insert_then_break(connection, into, rows, ids=False):
        if into.name == table and FAULTS[table](rows):
            raise RuntimeError("disk full")
        return real_insert(connection, into, rows, ids)

    monkeypatch.setattr(write, "_insert", insert_then_break)
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


def test_a_batch_that_cannot_commit_reports_each_of_its_letters_failed(runner, db, letters_dir, monkeypatch):
    from ouhai_tracker.store.importing import LetterBatch

    def full(self):
        self.close()
        raise OSError("disk full")

    with monkeypatch.context() as fault:
        fault.setattr(LetterBatch, "commit", full)
        result = runner.invoke(app, ["import", str(letters_dir)])
    assert result.exit_code == 1 and result.stdout.strip() == "2 files: 2 failed"
    assert result.stderr.splitlines() == [
        f"tracker: error: {letters_dir / name}: failed: could not store it (OSError: disk full); nothing of it was kept"
        for name in (ECON_FILE, EDU_FILE)]
    assert json.loads(runner.invoke(app, ["docs", "--json"]).stdout) == []
    again = runner.invoke(app, ["import", str(letters_dir)])
    assert again.exit_code == 0 and again.stdout.splitlines()[-1] == "2 files: 2 added"


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
