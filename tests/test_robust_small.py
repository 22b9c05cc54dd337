"""The smaller holes: reopen keeps an open one's outcome, the Markdown report shows letter text
without running it, exported notes are masked, an empty file is no database, a database in a
read-only folder can be read, a re-import logs a changed due date as such."""
from __future__ import annotations

import json
import os
import shlex
import shutil
import sqlite3
import subprocess
from datetime import date

import pytest

from conftest import (BUILDERS, ECON_FILE, ECON_TEXT, JXJ, TRACKER, commitment, econ_facts, ids_by_text,
                      sqlite_only)
from ouhai_tracker.cli import app
from ouhai_tracker.extract.model import DATE, Deadline, LetterFacts, LetterMeta


def test_reopen_of_an_open_commitment_keeps_its_outcome(runner, imported):
    assert runner.invoke(app, ["rate", "2", "--outcome", "partly-kept", "--on", "2024-05-01"]).exit_code == 0
    result = runner.invoke(app, ["reopen", "2"])
    assert result.exit_code == 0 and result.stdout.strip() == "#2: already open"
    shown = json.loads(runner.invoke(app, ["show", "2", "--json"]).stdout)
    assert (shown["outcome"], shown["outcome_on"]) == ("partly-kept", "2024-05-01")
    assert [e["action"] for e in shown["history"]] == ["imported", "rated"]
    # Rated kept, it was closed; reopening it takes back its 'kept'.
    assert runner.invoke(app, ["rate", "2", "--outcome", "kept", "--on", "2024-05-02"]).exit_code == 0
    assert runner.invoke(app, ["reopen", "2"]).stdout.strip() == "#2: reopened"
    shown = json.loads(runner.invoke(app, ["show", "2", "--json"]).stdout)
    assert (shown["status"], shown["outcome"]) == ("open", "not-yet-rated")


HOSTILE = "我局将于2023年底前<img src=x onerror=alert(1)>完成[点此](javascript:alert(1))改造<script>x()</script>"


def test_markdown_report_shows_letter_text_and_never_runs_it(runner, db, tmp_path, monkeypatch):
    text = f"关于第9号建议的答复\n张三代表：\n{HOSTILE}。\n区经信局\n2023年3月1日\n"

    def facts(letter: str) -> LetterFacts:
        return LetterFacts(text=letter, meta=LetterMeta(title="<b>标题</b>", replying_unit="区经信局",
                                                        replying_department=JXJ, date=date(2023, 3, 1)),
                           commitments=[commitment(letter, HOSTILE, JXJ, Deadline(DATE, date(2023, 12, 31), False))])

    monkeypatch.setitem(BUILDERS, "hostile.txt", facts)
    (tmp_path / "hostile.txt").write_text(text, encoding="utf-8")
    assert runner.invoke(app, ["import", str(tmp_path / "hostile.txt")]).exit_code == 0
    md = runner.invoke(app, ["report", "--as-of", "2024-07-01"]).stdout
    assert "1 days overdue" not in md and "days overdue" in md  # it is in the overdue list
    for raw in ("<img", "<script", "[点此](javascript"):
        assert raw not in md, raw
    assert "&lt;img src=x onerror=alert(1)&gt;完成\\[点此\\](javascript:alert(1))改造&lt;script&gt;" in md


def test_exported_notes_are_masked_like_the_letter(runner, imported):
    ids = ids_by_text(imported)
    note = "联系人梅建中，电话88502273，确认已办"
    assert runner.invoke(app, ["done", str(ids["我局计划开展专精特新专题培训班"]), "--note", note]).exit_code == 0
    masked = runner.invoke(app, ["export"]).stdout
    assert "梅建中" not in masked and "88502273" not in masked
    assert "联系人＊＊＊，电话＊＊＊＊＊＊＊＊，确认已办" in masked
    full = json.loads(runner.invoke(app, ["export", "--with-contacts"]).stdout)
    assert note in [e["note"] for e in full["tables"]["events"]]


@sqlite_only
def test_an_empty_file_is_not_taken_for_a_database(runner, tmp_path, letters_dir):
    notes = tmp_path / "notes.txt"
    notes.touch()
    for command in (["list"], ["import", str(letters_dir)], ["db", "check"]):
        result = runner.invoke(app, ["--db", str(notes), *command])
        assert result.exit_code == 1, (command, result.output)
        assert result.stderr.strip() == (f"tracker: error: {notes} is an empty file, not a tracker database: give "
                                         "another path, or delete the file to start a new database there")
    assert notes.read_bytes() == b""
    assert runner.invoke(app, ["--db", str(tmp_path / "new.db"), "import", str(letters_dir)]).exit_code == 0


def unprivileged(argv: list[str]) -> list[str] | None:
    """``argv`` run so that file modes bind it: as it is for a user; for root, without the
    capabilities that let root write anywhere (None where that cannot be done)."""
    if os.geteuid() != 0:
        return argv
    capsh = shutil.which("capsh")
    if capsh is None:
        return None
    return [capsh, "--drop=cap_dac_override,cap_dac_read_search", "--", "-c", shlex.join(argv)]


@sqlite_only
def test_a_database_in_a_read_only_folder_can_be_read(tmp_path):
    from conftest import SEED_LETTER

    folder = tmp_path / "shared"
    folder.mkdir()
    db = folder / "tracker.db"
    env = {**os.environ, "TRACKER_DB": str(db)}
    assert subprocess.run([*TRACKER, "import", str(SEED_LETTER)], env=env, capture_output=True).returncode == 0
    con = sqlite3.connect(db)  # the last connection out removes -wal and -shm, as after a clean exit
    con.execute("SELECT count(*) FROM letters").fetchone()
    con.close()
    assert sorted(p.name for p in folder.iterdir()) == ["tracker.db"]
    folder.chmod(0o555)
    try:
        if unprivileged(["true"]) is None:
            pytest.skip("running as root without capsh: cannot make a folder read-only for this process")

        def tracker(*args):
            return subprocess.run(unprivileged([*TRACKER, *args]), env=env, capture_output=True, text=True)

        listed = tracker("list", "--json")
        assert listed.returncode == 0, listed.stderr
        assert len(json.loads(listed.stdout)) >= 10
        shown = tracker("show", "1")
        assert shown.returncode == 0 and "#1" in shown.stdout, shown.stderr
        assert tracker("docs").returncode == 0
        changed = tracker("done", "1")
        assert changed.returncode == 1 and changed.stderr.startswith("tracker: error: ")
        assert "read-only" in changed.stderr and len(changed.stderr.strip().splitlines()) == 1
    finally:
        folder.chmod(0o755)
    assert sorted(p.name for p in folder.iterdir()) == ["tracker.db"]  # nothing written beside it


def test_a_changed_due_date_is_logged_as_such_on_reimport(runner, imported, letters_dir, monkeypatch):
    ids = ids_by_text(imported)
    revision = "我局将修订《瓯海区专业技术人才奖补申报指南》"

    def later(text: str) -> LetterFacts:
        facts = econ_facts(text)
        for found in facts.commitments:
            if found.text == revision:
                found.deadline = Deadline(DATE, date(2025, 6, 30), False, "2025年6月底前", rule="end of June 2025")
        return facts

    monkeypatch.setitem(BUILDERS, ECON_FILE, later)
    (letters_dir / ECON_FILE).write_text(ECON_TEXT.replace("2024年底前", "2025年6月底前"), encoding="utf-8")
    result = runner.invoke(app, ["import", str(letters_dir / ECON_FILE)])
    assert result.exit_code == 0 and "updated" in result.stdout, result.output
    history = json.loads(runner.invoke(app, ["show", str(ids[revision]), "--json"]).stdout)["history"]
    assert [(e["action"], e["field"], e["old"], e["new"]) for e in history] == [
        ("imported", None, None, None), ("updated", "due", "2024-12-31", "2025-06-30")]
