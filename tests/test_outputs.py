"""Outputs never touch the database: `--output` naming the database (or its -wal, -shm, or a link
to it) is refused; an existing file is replaced only with --force, whole, through a temporary
file; paths are data (# and ? in a database's path), and backups are checked, never empty."""
from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from conftest import ECON_FILE, sqlite_only
from ouhai_tracker.cli import app

OUTPUTS = {  # command line before the path, for each kind of output file
    "report": ["report", "--format", "md", "--output"],
    "report-html": ["report", "--format", "html", "-o"],
    "export-json": ["export", "--format", "json", "--output"],
    "export-ics": ["export", "--format", "ics", "--output"],
    "export-xlsx": ["export", "--format", "xlsx", "--output"],
}


def snapshot(db: str) -> tuple:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        return (con.execute("PRAGMA integrity_check").fetchall(),
                con.execute("SELECT id, status FROM commitments ORDER BY id").fetchall())


@sqlite_only
@pytest.mark.parametrize("kind", sorted(OUTPUTS))
@pytest.mark.parametrize("target", ["db", "db-wal", "db-shm", "link", "hard link", "dotted"])
def test_output_never_lands_on_the_database(runner, imported, tmp_path, kind, target):
    runner.invoke(app, ["done", "1"])
    before = snapshot(imported)
    database = Path(imported)
    path = {"db": database, "db-wal": Path(f"{imported}-wal"), "db-shm": Path(f"{imported}-shm"),
            "link": tmp_path / "report.md", "hard link": tmp_path / "same.db",
            "dotted": tmp_path / "sub" / ".." / database.name}[target]
    if target == "link":
        path.symlink_to(database)
    elif target == "hard link":
        os.link(database, path)
    elif target == "dotted":
        (tmp_path / "sub").mkdir()
    for force in ([], ["--force"]):
        result = runner.invoke(app, [*OUTPUTS[kind], str(path), *force])
        assert result.exit_code == 1, (force, result.output)
        assert result.stderr.startswith(f"tracker: error: {path} is ") and "give another file name" in result.stderr
    assert snapshot(imported) == before
    assert not list(tmp_path.glob("**/*.tmp"))


@sqlite_only
def test_csv_export_never_lands_on_the_database(runner, imported, tmp_path):
    result = runner.invoke(app, ["export", "--format", "csv", "--output", imported, "--force"])
    assert result.exit_code == 1 and "is the database" in result.stderr
    assert snapshot(imported)[0] == [("ok",)]


@pytest.mark.parametrize("kind", sorted(OUTPUTS))
def test_existing_file_is_replaced_only_with_force(runner, imported, tmp_path, kind):
    path = tmp_path / "out.txt"
    path.write_text("a person's own notes", encoding="utf-8")
    path.chmod(0o640)
    refused = runner.invoke(app, [*OUTPUTS[kind], str(path)])
    assert refused.exit_code == 1
    assert refused.stderr.strip() == f"tracker: error: {path} exists: give --force to replace it, or another file name"
    assert path.read_text(encoding="utf-8") == "a person's own notes"
    replaced = runner.invoke(app, [*OUTPUTS[kind], str(path), "--force"])
    assert replaced.exit_code == 0, replaced.output
    assert path.read_bytes() != b"a person's own notes" and path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary file left


def test_a_failed_write_leaves_the_old_file(runner, imported, tmp_path, monkeypatch):
    path = tmp_path / "report.md"
    path.write_text("last year's report", encoding="utf-8")

    def full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    result = runner.invoke(app, ["report", "--output", str(path), "--force"])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"tracker: error: cannot write {path}: No space left on device"
    assert path.read_text(encoding="utf-8") == "last year's report"
    assert not list(tmp_path.glob(".*.tmp"))


def test_csv_folder_with_files_needs_force(runner, imported, tmp_path):
    folder = tmp_path / "export"
    assert runner.invoke(app, ["export", "--format", "csv", "--output", str(folder)]).exit_code == 0
    (folder / "mine.txt").write_text("kept", encoding="utf-8")
    again = runner.invoke(app, ["export", "--format", "csv", "--output", str(folder)])
    assert again.exit_code == 1 and "--force" in again.stderr
    forced = runner.invoke(app, ["export", "--format", "csv", "--output", str(folder), "--force"])
    assert forced.exit_code == 0, forced.output
    assert (folder / "mine.txt").read_text(encoding="utf-8") == "kept" and (folder / "letters.csv").exists()


@sqlite_only
@pytest.mark.parametrize("name", ["my#1.db", "what?.db", "50%.db", "a #b?c=d.db"])
def test_paths_are_data_and_backups_are_checked(runner, tmp_path, letters_dir, name):
    folder = tmp_path / "data"
    folder.mkdir()
    database = folder / name
    assert runner.invoke(app, ["--db", str(database), "import", str(letters_dir)]).exit_code == 0
    copy = tmp_path / "backup.db"
    result = runner.invoke(app, ["--db", str(database), "db", "backup", str(copy)])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(copy) as con:
        assert con.execute("SELECT count(*) FROM commitments").fetchone() == (8,)
        assert con.execute("SELECT file FROM letters ORDER BY id").fetchall() == [(ECON_FILE,), ("L_edu.txt",)]
    con.close()
    # The daily read (stdlib, read-only) reads this very file too.
    listed = runner.invoke(app, ["--db", str(database), "list", "--dept", "经信局", "--json"])
    assert len(json.loads(listed.stdout)) == 6
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(name)) == []  # no stray file ("my")


@sqlite_only
def test_automatic_backup_before_an_upgrade_of_a_path_with_a_hash(runner, tmp_path):
    from test_migrations import build_base_revision_db

    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "my#1.db"
    build_base_revision_db(path)
    result = runner.invoke(app, ["--db", str(path), "list", "--status", "all", "--json"])
    assert result.exit_code == 0, result.output
    [backup] = folder.glob("my#1.db.bak-*")
    with sqlite3.connect(backup) as con:
        assert con.execute("SELECT text FROM commitments").fetchall() == [("我局将修订指南",)]
    con.close()
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith("my#1.db")) == []


@sqlite_only
def test_empty_database_is_not_backed_up(runner, tmp_path):
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).execute("PRAGMA user_version = 1").connection.close()  # a database, no tables
    result = runner.invoke(app, ["--db", str(empty), "db", "backup", str(tmp_path / "copy.db")])
    assert result.exit_code == 1 and "holds no tables" in result.stderr
    assert not (tmp_path / "copy.db").exists()


@sqlite_only
def test_backup_is_not_written_beside_as_the_wal(runner, imported):
    for side in ("-wal", "-shm"):
        result = runner.invoke(app, ["db", "backup", imported + side])
        assert result.exit_code == 1 and "a file of the database" in result.stderr, result.output


def test_the_cli_writes_every_output_file():
    # The service and the renderers return data and bytes; the command line writes them, through
    # outputs.py (whole or not at all, never onto the database). A file written elsewhere would
    # skip those checks.
    import ast

    package = Path(__file__).resolve().parent.parent / "src" / "ouhai_tracker"
    writers = {"write_file", "write_csv"}
    callers = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in writers:
                callers.add(path.relative_to(package).as_posix())
    assert callers == {"cli.py"}
