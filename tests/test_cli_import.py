"""`tracker import`: one line per letter, failures on stderr, re-import safe, dry run writes nothing."""
from __future__ import annotations

import json
import os

import pytest

from conftest import ECON_FILE, EDU_FILE, ECON_TEXT
from ouhai_tracker.cli import app


def test_import_folder_prints_one_line_per_letter(runner, db, letters_dir):
    result = runner.invoke(app, ["import", str(letters_dir)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines == [f"{ECON_FILE}: 6 commitments, 1 policies, 3 departments, added",
                     f"{EDU_FILE}: 2 commitments, 1 policies, 2 departments, added",
                     "2 files: 2 added"]


def test_reimport_reports_unchanged(runner, db, letters_dir):
    runner.invoke(app, ["import", str(letters_dir)])
    result = runner.invoke(app, ["import", str(letters_dir / ECON_FILE)])
    assert result.exit_code == 0
    assert result.stdout.strip().endswith("unchanged")
    listed = json.loads(runner.invoke(app, ["list", "--status", "all", "--json"]).stdout)
    assert len(listed) == 8


def test_bad_files_fail_alone_and_exit_1(runner, db, letters_dir):
    (letters_dir / "notes.txt").write_text("购物清单: 牛奶, 面包", encoding="utf-8")
    (letters_dir / "scan.txt").write_bytes(b"\xff\xfe\x00garbage\x9c")
    (letters_dir / ".DS_Store").write_bytes(b"\x00\x01")  # hidden: skipped, not reported
    missing = letters_dir / "missing.docx"
    result = runner.invoke(app, ["--db", db, "import", str(letters_dir), str(missing)])
    assert result.exit_code == 1
    assert "added" in result.stdout and ECON_FILE in result.stdout and EDU_FILE in result.stdout
    errors = result.stderr.splitlines()
    assert len(errors) == 3 and all(line.startswith("tracker: error: ") for line in errors)
    assert any("notes.txt: not a reply letter" in line for line in errors)
    assert any("scan.txt" in line for line in errors)
    assert any("missing.docx" in line and "no such file" in line for line in errors)
    assert "Traceback" not in result.output
    docs = json.loads(runner.invoke(app, ["docs", "--json"]).stdout)
    assert sorted(d["file"] for d in docs) == [ECON_FILE, EDU_FILE]


def test_dry_run_shows_and_writes_nothing(runner, db, letters_dir, tmp_path):
    result = runner.invoke(app, ["import", "--dry-run", str(letters_dir / ECON_FILE)], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "would add" in result.stdout and "我局计划开展专精特新专题培训班" in result.stdout
    assert not (tmp_path / "tracker.db").exists()


def test_dry_run_says_what_import_then_does(runner, db, letters_dir):
    assert runner.invoke(app, ["import", str(letters_dir)]).exit_code == 0
    before = runner.invoke(app, ["list", "--status", "all", "--json"]).stdout
    again = runner.invoke(app, ["import", "--dry-run", str(letters_dir)])
    assert again.exit_code == 0
    assert [line.rsplit(", ", 1)[1] for line in again.stdout.splitlines()[:2]] == ["unchanged", "unchanged"]
    assert again.stdout.splitlines()[-1] == "dry run, nothing written: 2 files: 2 unchanged"

    econ = letters_dir / ECON_FILE
    econ.write_text(econ.read_text(encoding="utf-8").replace("我局计划开展专精特新专题培训班", "我局计划开展专题培训班"),
                    encoding="utf-8")
    dry = runner.invoke(app, ["import", "--dry-run", str(econ)])
    dry_line = dry.stdout.splitlines()[0]
    assert ", would update (" in dry_line, dry.stdout
    # In a pipe, what the letter would hold comes one commitment a line, whole and unpadded.
    preview = [line for line in runner.invoke(app, ["import", "--dry-run", str(econ)],
                                              env={"TRACKER_FORMAT": None}).stdout.splitlines()[1:-1]]
    assert preview and all(line.count("\t") == 3 and not line.endswith(" ") for line in preview)
    assert len(preview) == int(dry_line.split(": ", 1)[1].split(" commitments")[0])  # one per commitment
    assert runner.invoke(app, ["list", "--status", "all", "--json"]).stdout == before  # nothing written
    real = runner.invoke(app, ["import", str(econ)])
    assert real.stdout.splitlines()[0] == dry_line.replace(", would update (", ", updated (")
    assert real.stdout.splitlines()[-1] == "1 file: 1 updated"


def test_import_json_is_only_json(runner, db, letters_dir):
    result = runner.invoke(app, ["import", "--json", str(letters_dir)])
    rows = json.loads(result.stdout)
    assert [r["status"] for r in rows] == ["added", "added"] and rows[0]["file"] == ECON_FILE


@pytest.mark.parametrize("newer_first", [True, False])
def test_two_versions_of_one_letter_in_one_run(runner, db, letters_dir, tmp_path, newer_first):
    """Two files in one import that are one letter: the newer (the letter's date, then the file's
    time) is stored and the other reported, whichever is read first, and every run again gives
    the same letter, the same lines and the same exit status."""
    other = tmp_path / "copy"
    other.mkdir()
    (other / ECON_FILE).write_text(ECON_TEXT + "\n补充。", encoding="utf-8")
    old, new = letters_dir / ECON_FILE, other / ECON_FILE
    os.utime(old, (1_700_000_000, 1_700_000_000))
    os.utime(new, (1_700_000_100, 1_700_000_100))
    folders = [other, letters_dir] if newer_first else [letters_dir, other]
    previous = None
    for run in range(3):
        result = runner.invoke(app, ["import", *map(str, folders)])
        assert result.exit_code == 0, result.output
        assert f"{ECON_FILE}: 6 commitments, 1 policies, 3 departments, older version, not stored; letter #" \
            in result.stdout
        docs = json.loads(runner.invoke(app, ["docs", "--json"]).stdout)
        assert sorted(d["file"] for d in docs) == [ECON_FILE, EDU_FILE]
        assert next(d["path"] for d in docs if d["file"] == ECON_FILE) == str(new)
        if run > 1:
            assert result.stdout.splitlines() == previous
        previous = result.stdout.splitlines()
