"""Choosing the database: --db before the command, or TRACKER_DB; bad ones are one-line errors."""
from __future__ import annotations

import json

import pytest

from conftest import sqlite_only
from ouhai_tracker.cli import app


@sqlite_only
def test_db_option_beats_env(runner, imported, tmp_path):
    other = tmp_path / "other.db"
    missing = runner.invoke(app, ["--db", str(other), "docs", "--json"])  # a typo is not an empty database
    assert missing.exit_code == 1 and missing.stdout == "" and "no database at" in missing.stderr
    assert not other.exists()
    assert len(json.loads(runner.invoke(app, ["docs", "--json"]).stdout)) == 2  # TRACKER_DB
    assert len(json.loads(runner.invoke(app, ["--db", f"sqlite:///{imported}", "docs", "--json"]).stdout)) == 2


@pytest.mark.parametrize("value, message", [
    ("nosuchdialect://host/db", "cannot use database"),
    ("sqlite:////no/such/folder/t.db", "no database at /no/such/folder/t.db"),
    ("postgresql+nosuchdriver://u@h/db", "cannot use database"),
])
def test_bad_db_is_one_line(runner, value, message):
    result = runner.invoke(app, ["--db", value, "list"])
    assert result.exit_code == 1
    assert result.stderr.startswith("tracker: error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and result.stdout == ""


def test_bad_db_from_env(runner, monkeypatch):
    monkeypatch.setenv("TRACKER_DB", "nosuchdialect://x")
    result = runner.invoke(app, ["due"])
    assert result.exit_code == 1 and "tracker: error:" in result.stderr


def test_every_command_has_an_example(runner):
    for command in ["import", "list", "due", "done", "reopen", "edit", "show", "depts", "policies", "docs",
                    "depts alias", "depts merge", "db", "db upgrade", "db backup", "db check", "export"]:
        result = runner.invoke(app, [*command.split(), "--help"])
        assert result.exit_code == 0 and "Example: tracker" in result.stdout, command
