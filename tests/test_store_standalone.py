"""The .db file stands alone: when a command that wrote ends, the WAL is folded back into the
database file, so a person who copies or mails tracker.db (not knowing about -wal) has it all."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess

from conftest import TRACKER, sqlite_only
from ouhai_tracker.cli import app


def copy_alone(db: str, tmp_path) -> sqlite3.Connection:
    """The .db file copied elsewhere without its -wal and -shm, as a person would mail it."""
    copy = tmp_path / "mailed" / "tracker.db"
    copy.parent.mkdir()
    shutil.copyfile(db, copy)
    return sqlite3.connect(copy)


@sqlite_only
def test_db_file_stands_alone_after_import_and_done(runner, db, letters_dir, tmp_path):
    assert runner.invoke(app, ["import", str(letters_dir)]).exit_code == 0
    assert runner.invoke(app, ["done", "3", "--note", "协会已成立"]).exit_code == 0
    assert os.path.getsize(db + "-wal") == 0  # everything folded back
    con = copy_alone(db, tmp_path)
    try:
        assert con.execute("SELECT count(*) FROM letters").fetchone() == (2,)
        assert con.execute("SELECT status FROM commitments WHERE id = 3").fetchone() == ("done",)
        assert ("协会已成立",) in con.execute("SELECT note FROM events WHERE action = 'done'").fetchall()
    finally:
        con.close()


@sqlite_only
def test_db_file_stands_alone_after_a_tracker_process_ends(tmp_path):
    from conftest import SEED_LETTER

    db = tmp_path / "tracker.db"
    env = {**os.environ, "TRACKER_DB": str(db)}
    for command in (["import", str(SEED_LETTER)], ["done", "1"]):
        assert subprocess.run([*TRACKER, *command], env=env, capture_output=True).returncode == 0
    con = copy_alone(str(db), tmp_path)
    try:
        assert con.execute("SELECT count(*) FROM commitments").fetchone()[0] >= 10
        assert con.execute("SELECT status FROM commitments WHERE id = 1").fetchone() == ("done",)
    finally:
        con.close()
