"""Every number on the command line is range-checked (ids 1..2^63-1, months 1..120, days
0..36500, counts from 1): out of range is a usage error (exit 2), never a traceback, never a
date in 1981, never blamed on a letter; nothing reaches the database unchecked."""
from __future__ import annotations

import json

import pytest

from conftest import ECON_FILE
from ouhai_tracker.cli import app
from ouhai_tracker.errors import BadInput, NotFound
from ouhai_tracker.extract.model import Settings
from ouhai_tracker.tracker import Tracker

TOO_BIG = str(2**63)  # one past the largest id SQLite stores
LARGEST = str(2**63 - 1)


@pytest.mark.parametrize("args", [
    ["done", TOO_BIG], ["done", "1", TOO_BIG], ["done", "0"], ["show", TOO_BIG], ["show", "--", "-1"],
    ["reopen", TOO_BIG], ["edit", TOO_BIG, "--note", "x"], ["rate", TOO_BIG, "--outcome", "kept"],
    ["due", "--limit", TOO_BIG], ["due", "--limit", "0"], ["due", "--within", "99999999999"],
    ["due", "--within", "-1"], ["due", "--within", "36501"], ["review", "--limit", "0"],
    ["report", "--year", "99999"], ["stats", "--year", "0"],
    ["import", "--undated-months", "-500", "{letter}"], ["import", "--vague-months", "99999999", "{letter}"],
    ["import", "--vague-months", "0", "{letter}"], ["import", "--undated-months", "121", "{letter}"],
    ["import", "--jobs", "0", "{letter}"], ["import", "--file-timeout", "0", "{letter}"],
], ids=lambda args: " ".join(a for a in args if a != "{letter}"))
def test_out_of_range_is_a_usage_error(runner, imported, letters_dir, args):
    before = json.loads(runner.invoke(app, ["list", "--status", "all", "--json"]).stdout)
    result = runner.invoke(app, [a.replace("{letter}", str(letters_dir / ECON_FILE)) for a in args])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output, result.output
    assert "is not in the range" in result.stderr or "expected ids from 1 to" in result.stderr, result.stderr
    assert json.loads(runner.invoke(app, ["list", "--status", "all", "--json"]).stdout) == before


@pytest.mark.parametrize("args, message", [
    (["show", LARGEST], f"no commitment with id {LARGEST}"),
    (["done", "1", LARGEST], f"no commitment with id {LARGEST}"),
    (["feedback", TOO_BIG, "--rating", "满意"], f"no letter matches '{TOO_BIG}'"),
    (["due", "--within", "36500", "--as-of", "2024-01-01", "--json"], None),
    (["import", "--undated-months", "120", "--vague-months", "1", "--dry-run", "{letter}"], None),
])
def test_the_edges_of_each_range_are_accepted(runner, imported, letters_dir, args, message):
    result = runner.invoke(app, [a.replace("{letter}", str(letters_dir / ECON_FILE)) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    if message is None:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 1 and result.stderr.strip() == f"tracker: error: {message}" + (
            " (see `tracker list --status all`)" if "commitment" in message else " (see `tracker docs`)")


def test_the_api_checks_too(imported):
    with pytest.raises(NotFound):
        Tracker(imported).mark_done([2**63])
    with pytest.raises(NotFound):
        Tracker(imported).show(-5)
    with pytest.raises(BadInput):
        Tracker(imported).due(within=10**12)
    with pytest.raises(BadInput):
        Tracker(imported).import_paths([], Settings(undated_months=-500))
