"""`tracker import --jobs 2` stores what `--jobs 1` does, and reports failures the same way."""
from __future__ import annotations

import json

import pytest

import ouhai_tracker.extract
from ouhai_tracker.cli import app
from ouhai_tracker.extract.pipeline import run as real_extraction
from test_benchmarks_generate import generate


@pytest.fixture
def letters(tmp_path, monkeypatch):
    monkeypatch.setattr(ouhai_tracker.extract, "extract_letter",
                        lambda text, name="", settings=None, fallbacks=None: real_extraction(text, name, settings, fallbacks or {}))
    folder = generate.write(tmp_path / "letters", 7)[0].parent
    (folder / "notes.txt").write_text("购物清单: 牛奶, 面包", encoding="utf-8")
    return folder


def imported(runner, tmp_path, letters, jobs: str):
    db = str(tmp_path / f"jobs{jobs}.db")
    result = runner.invoke(app, ["--db", db, "import", "--jobs", jobs, str(letters)])
    listed = runner.invoke(app, ["--db", db, "list", "--status", "all", "--json", "--as-of", "2024-01-01"])
    return result, json.loads(listed.stdout)


def test_two_workers_store_what_one_process_does(runner, tmp_path, letters):
    one, rows_one = imported(runner, tmp_path, letters, "1")
    two, rows_two = imported(runner, tmp_path, letters, "2")
    assert one.exit_code == two.exit_code == 1  # notes.txt is not a reply letter, the others import
    assert one.stdout == two.stdout and one.stderr == two.stderr
    assert "notes.txt: not a reply letter" in two.stderr and two.stdout.count(", added\n") == 7
    assert two.stdout.splitlines()[-1] == "8 files: 7 added, 1 not a reply letter"
    assert rows_one == rows_two and len(rows_two) > 20


def test_a_reader_bug_fails_that_file_only(runner, tmp_path, letters, monkeypatch):
    from ouhai_tracker import readers

    real = readers.read_document

    def flaky(path):
        if path.name == "notes.txt":
            raise IndexError("boom")
        return real(path)

    monkeypatch.setattr(readers, "read_document", flaky)
    result = runner.invoke(app, ["--db", str(tmp_path / "t.db"), "import", "--jobs", "1", str(letters)])
    assert result.exit_code == 1 and result.stdout.count(", added\n") == 7
    assert result.stdout.splitlines()[-1] == "8 files: 7 added, 1 failed"
    assert "notes.txt" in result.stderr and "IndexError: boom" in result.stderr
