"""What a folder and its files can do to an import: nothing in a folder is skipped without a word,
a file that takes too long fails alone, each line is out as soon as its letter is stored, and
the per-file report survives a failure of the closing step."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import ECON_FILE, EDU_FILE, SEED_LETTER
from ouhai_tracker.cli import app
from test_robust_crash import descendants, survivors


def error_lines(result) -> list[str]:
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert all(line.startswith("tracker: error: ") for line in lines), result.stderr
    return lines


def test_nothing_in_a_folder_is_skipped_silently(runner, db, letters_dir, monkeypatch):
    (letters_dir / "dangling.txt").symlink_to(letters_dir / "gone.txt")
    (letters_dir / "loop.txt").symlink_to(letters_dir / "loop.txt")
    (letters_dir / "back").symlink_to(letters_dir)  # a folder link leading back up: a loop
    os.mkfifo(letters_dir / "pipe.txt")
    locked = letters_dir / "locked"
    locked.mkdir()
    (locked / "inside.txt").write_text("x", encoding="utf-8")
    locked.chmod(0)
    if os.geteuid() == 0:  # root lists anything: make the listing fail as it does for a user
        real = os.listdir

        def listdir(path="."):
            if Path(path) == locked:
                raise PermissionError(13, "Permission denied", str(path))
            return real(path)

        monkeypatch.setattr(os, "listdir", listdir)
    try:
        result = runner.invoke(app, ["import", str(letters_dir)])
    finally:
        locked.chmod(0o755)
    assert result.exit_code == 1
    assert result.stdout.count(", added\n") == 2  # the letters themselves are imported
    errors = error_lines(result)
    expected = {
        "back": "a link back to a folder that contains it",
        "dangling.txt": "a broken link (its target",
        "locked": "cannot read this folder (Permission denied)",
        "loop.txt": "a link loop",
        "pipe.txt": "a named pipe (FIFO), not a letter file",
    }
    assert len(errors) == len(expected), errors
    for line, (name, reason) in zip(errors, sorted(expected.items())):
        assert line.startswith(f"tracker: error: {letters_dir / name}: failed: ") and reason in line, line


def test_a_fifo_given_by_name_is_refused_without_reading_it(runner, db, tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")  # reading it would wait for a writer for ever
    result = runner.invoke(app, ["import", str(tmp_path / "pipe.txt")])
    assert result.exit_code == 1
    assert error_lines(result) == [f"tracker: error: {tmp_path / 'pipe.txt'}: failed: a named pipe (FIFO), "
                                   "not a letter file; not read"]


def test_per_file_report_survives_a_failed_closing_step(runner, db, letters_dir, monkeypatch):
    from ouhai_tracker.errors import DatabaseError
    from ouhai_tracker.store.importing import LetterStore

    def disk_full(store):
        raise DatabaseError("database error: database or disk is full")

    monkeypatch.setattr(LetterStore, "analyze", disk_full)
    result = runner.invoke(app, ["import", str(letters_dir)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"{ECON_FILE}: 6 commitments, 1 policies, 3 departments, added",
                                          f"{EDU_FILE}: 2 commitments, 1 policies, 2 departments, added",
                                          "2 files: 2 added"]
    assert error_lines(result) == ["tracker: error: the letters above were stored, but refreshing the database's "
                                   "statistics (ANALYZE) failed: database error: database or disk is full"]
    again = runner.invoke(app, ["import", "--json", str(letters_dir / ECON_FILE)])  # JSON too
    assert json.loads(again.stdout)[0]["status"] == "unchanged"
    (letters_dir / EDU_FILE).write_text((letters_dir / EDU_FILE).read_text(encoding="utf-8") + "附件略。\n",
                                        encoding="utf-8")
    changed = runner.invoke(app, ["import", "--json", str(letters_dir / EDU_FILE)])
    assert changed.exit_code == 1 and json.loads(changed.stdout)[0]["status"] == "updated"


# A tracker whose extraction never ends on one file (as a hostile file could make it), the
# real one on the others: run as a user runs it, in a process of its own.
HANGING_TRACKER = textwrap.dedent("""
    import sys, time
    import ouhai_tracker.extract as extract
    real = extract.extract_letter

    def extract_letter(text, name="", settings=None, fallbacks=None):
        if "hang" in name:
            time.sleep(3600)
        return real(text, name, settings, fallbacks)

    extract.extract_letter = extract_letter
    from ouhai_tracker.cli import main
    sys.argv[0] = "tracker"
    main()
""")


def test_slow_file_fails_alone_and_lines_come_out_as_letters_are_stored(tmp_path):
    folder = tmp_path / "letters"
    folder.mkdir()
    text = SEED_LETTER.read_text(encoding="utf-8")
    for name, title in (("a_first.txt", "第一项"), ("b_hang.txt", "第二项"), ("c_last.txt", "第三项")):
        (folder / name).write_text(text.replace("加快产业数字化转型发展", f"加快产业数字化转型发展{title}"),
                                   encoding="utf-8")
    env = {**os.environ, "TRACKER_DB": str(tmp_path / "tracker.db")}
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-c", HANGING_TRACKER, "import", "--file-timeout", "3", str(folder)],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = process.stdout.readline()
        first_at = time.monotonic() - started
        workers = descendants(process.pid)
        rest, errors = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    ended_at = time.monotonic() - started
    assert re.fullmatch(r"a_first\.txt: \d+ commitments, \d+ policies, \d+ departments, added", first.strip())
    assert ended_at >= 3 and first_at < ended_at - 1.5  # out long before the slow file gave up
    assert rest.splitlines() == [first.strip().replace("a_first", "c_last"), "3 files: 2 added, 1 failed"]
    assert errors.strip() == (f"tracker: error: {folder / 'b_hang.txt'}: failed: took longer than 3 s to read "
                              "(--file-timeout); is it really a reply letter?")
    assert process.returncode == 1
    assert not survivors(workers)  # the stuck worker was killed, not left behind


@pytest.mark.parametrize("name", ["a\nb.txt", "tab\there.txt"])
def test_a_control_character_in_a_file_name_stays_on_its_line(runner, db, tmp_path, name):
    (tmp_path / name).write_text("购物清单: 牛奶, 面包", encoding="utf-8")  # not a letter: an error line
    result = runner.invoke(app, ["import", str(tmp_path / name)])
    shown = name.replace("\n", "\\n").replace("\t", "\\t")
    [line] = result.stderr.splitlines()  # one line, the name's control character shown, not obeyed
    assert line.startswith(f"tracker: error: {tmp_path / shown}: not a ") and "\t" not in line


def test_import_line_escapes_a_newline_in_a_stored_file_name(runner, db, tmp_path, monkeypatch):
    from conftest import BUILDERS, ECON_TEXT, econ_facts

    name = "x\ny.txt: 99 commitments, 0 policies, 0 departments, added"
    monkeypatch.setitem(BUILDERS, name, econ_facts)
    (tmp_path / name).write_text(ECON_TEXT, encoding="utf-8")
    result = runner.invoke(app, ["import", str(tmp_path / name)])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [name.replace("\n", "\\n") + ": 6 commitments, 1 policies, "
                                                                     "3 departments, added", "1 file: 1 added"]
