"""`import --evidence` of later documents on SQLite without SQLAlchemy (fastevidence.py): the same
rows as the SQLAlchemy path, for a first import, a re-import, a changed document and a rejected
link; and no SQLAlchemy loaded."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import ouhai_tracker.extract
from ouhai_tracker import fastevidence
from ouhai_tracker.extract.pipeline import run as real_extraction
from ouhai_tracker.tracker import Tracker

from conftest import sqlite_only

FIXTURES = Path(__file__).parent / "fixtures" / "evidence"
TABLES = {
    "evidence_documents": "SELECT id, file, path, content_hash, text, title, doc_date, author, letter_id, problem, "
                          "imported_at IS NOT NULL FROM evidence_documents ORDER BY id",
    "evidence_links": "SELECT id, commitment_id, document_id, start_offset, end_offset, sentence, sentence_hash, "
                      "outcome, confidence, reason, state, decided_outcome, later_commitment_id, "
                      "created_at IS NOT NULL FROM evidence_links ORDER BY id",
    "evidence_terms": "SELECT * FROM evidence_terms ORDER BY commitment_id",
}

pytestmark = sqlite_only  # the fast path is for SQLite files


@pytest.fixture(autouse=True)
def real(monkeypatch):
    monkeypatch.setattr(ouhai_tracker.extract, "extract_letter",
                        lambda text, name="", settings=None, fallbacks=None: real_extraction(
                            text, name, settings, fallbacks or {}))


def rows(db: Path) -> dict[str, list]:
    with sqlite3.connect(db) as connection:
        return {name: connection.execute(sql).fetchall() for name, sql in TABLES.items()}


def history(db: Path, tmp_path: Path, monkeypatch, fast: bool) -> tuple[dict, list]:
    """An earlier letter, then a later document imported, imported again, a link rejected, the
    document changed and imported again (the same file: the rows must not differ by its path)."""
    monkeypatch.setattr(fastevidence, "open_writer", fastevidence.open_writer if fast else lambda db: None)
    tracker = Tracker(str(db))
    tracker.import_paths([FIXTURES / "earlier_songling.txt"])
    summary = tmp_path / "summary_songling.txt"
    summary.write_text((FIXTURES / "summary_songling.txt").read_text(encoding="utf-8"), encoding="utf-8")
    results = [tracker.import_evidence([summary])]
    results.append(tracker.import_evidence([summary]))  # unchanged
    first = tracker.evidence()[0]
    tracker.decide_evidence(first["id"], "reject")
    summary.write_text(summary.read_text(encoding="utf-8").replace("培训410人次", "培训420人次"), encoding="utf-8")
    results.append(tracker.import_evidence([summary]))  # updated: its proposals made again
    for result in results:
        for r in result:
            r.pop("path")
    return rows(db), results


def test_the_fast_path_writes_what_the_sqlalchemy_path_writes(tmp_path, monkeypatch):
    fast, fast_results = history(tmp_path / "fast.db", tmp_path, monkeypatch, fast=True)
    slow, slow_results = history(tmp_path / "slow.db", tmp_path, monkeypatch, fast=False)
    assert [[r["status"] for r in result] for result in fast_results] == [["added"], ["unchanged"], ["updated"]]
    assert fast_results == slow_results
    assert fast["evidence_links"] and fast["evidence_terms"]
    assert {row[10] for row in fast["evidence_links"]} == {"proposed", "rejected"}
    assert fast == slow


def test_linking_documents_loads_no_sqlalchemy(tmp_path):
    db = tmp_path / "tracker.db"
    Tracker(str(db)).import_paths([FIXTURES / "earlier_songling.txt"])
    code = ("import sys; from ouhai_tracker.tracker import Tracker; "
            "print(Tracker(sys.argv[1]).import_evidence([sys.argv[2]])[0]['links'], 'sqlalchemy' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, str(db), str(FIXTURES / "summary_songling.txt")],
                          capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["5", "False"]
    # a reply letter among them is imported as a letter: through SQLAlchemy
    done = subprocess.run([sys.executable, "-c", code, str(db), str(FIXTURES / "reply_songling.txt")],
                          capture_output=True, text=True, check=True)
    assert done.stdout.split()[1] == "True"
