"""What a new user tries first: --version, -h, completion, one-line usage errors (exit 2), a
hint for a global option given after the command, id ranges, and commands that say what they did."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from conftest import sqlite_only

from ouhai_tracker.cli import app


def show(runner, commitment_id: int) -> dict:
    return json.loads(runner.invoke(app, ["show", str(commitment_id), "--json"]).stdout)


def test_version():
    from importlib.metadata import version

    result = subprocess.run([sys.executable, "-m", "ouhai_tracker", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == f"tracker {version('ouhai-tracker')}"


@pytest.mark.parametrize("args", [["-h"], ["--help"], ["list", "-h"], ["done", "--help"]])
def test_short_and_long_help(runner, args):
    result = runner.invoke(app, args)
    assert result.exit_code == 0 and result.stdout.startswith("Usage: tracker")


def test_top_level_help_has_an_example(runner):
    assert "Example: tracker import" in runner.invoke(app, ["--help"]).stdout


def test_usage_names_several_ids_without_braces(runner):
    usage = runner.invoke(app, ["done", "--help"]).stdout.splitlines()[0]
    assert usage == "Usage: tracker done [OPTIONS] ID..."


def test_shell_completion_script():
    # Typer finds the shell among the command's parent processes: run it from one, as a person
    # does (a test runner started in the background has none above it).
    result = subprocess.run(["bash", "-c", '"$0" -m ouhai_tracker --show-completion bash; exit $?', sys.executable],
                            capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "SHELL": "/bin/bash"})
    assert result.returncode == 0 and "complete" in result.stdout and "_TRACKER_COMPLETE" in result.stdout


def complete(runner, words: str) -> list[str]:
    """What bash completion offers for the last of ``words`` (as the completion script asks)."""
    env = {"_TRACKER_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split(" ")) - 1)}
    result = runner.invoke(app, [], env=env, prog_name="tracker")
    assert result.exit_code == 0, result.output
    return result.stdout.split()


@sqlite_only  # completion reads SQLite files through the stdlib, as the fast path does
def test_completion_offers_the_databases_departments(runner, imported):
    offered = complete(runner, "tracker due --dept 区")
    assert "区经信局" in offered and "区工商联" in offered and all(name.startswith("区") for name in offered)
    assert complete(runner, f"tracker --db {imported} list --dept 工商") == ["工商联", "工商业联合会"]


def test_completion_of_a_missing_database_offers_nothing_and_creates_nothing(runner, tmp_path):
    missing = tmp_path / "none.db"
    assert complete(runner, f"tracker --db {missing} due --dept 区") == [] and not missing.exists()


@pytest.mark.parametrize("words, offered", [
    ("tracker list --status d", ["done", "deleted"]),
    ("tracker due --kind r", ["recurring"]),
    ("tracker list --review ", ["unreviewed", "accepted", "corrected", "rejected", "all"]),
    ("tracker export --outcome p", ["partly-kept"]),
    ("tracker list --sort o", ["owner"]),
    ("tracker due --format t", ["table", "tsv"]),
])
def test_completion_offers_an_options_values(runner, words, offered):
    assert complete(runner, words) == offered


@pytest.mark.parametrize("args, message", [
    (["list", "--no-such-option"], "No such option: --no-such-option"),
    (["lst"], "No such command 'lst'"),
    (["due", "--within", "soon"], "'soon' is not a valid int"),
])
def test_click_usage_errors_are_one_line_exit_2(runner, db, args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tracker: error: ") and message in lines[0], result.stderr
    assert "--help`)" in lines[0]


def test_global_option_after_the_command_is_explained(runner, db, tmp_path):
    result = runner.invoke(app, ["list", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2
    assert "--db goes before the command: tracker --db VALUE list" in result.stderr


def test_done_takes_ranges_and_several_ids(runner, imported):
    result = runner.invoke(app, ["done", "1-3", "5"])
    assert result.exit_code == 0, result.output
    assert [int(re.match(r"#(\d+): done: ", line).group(1)) for line in result.stdout.splitlines()] == [1, 2, 3, 5]
    assert [show(runner, i)["status"] for i in (1, 2, 3, 4, 5)] == ["done", "done", "done", "open", "done"]


@pytest.mark.parametrize("ids, message", [
    (["3-1"], "bad id '3-1'"), (["1-"], "bad id '1-'"), (["x"], "bad id 'x'"), (["0"], "bad id '0'")])
def test_bad_id_ranges_are_usage_errors(runner, imported, ids, message):
    result = runner.invoke(app, ["done", *ids])
    assert result.exit_code == 2 and result.stderr.startswith(f"tracker: error: {message}")
    assert show(runner, 1)["status"] == "open"


def test_done_is_not_dated_before_its_letter(runner, imported):
    letter_date = show(runner, 1)["letter"]["date"]  # 2023-06-16
    result = runner.invoke(app, ["done", "1", "--on", "2020-01-01"])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"tracker: error: bad --on 2020-01-01: #1 was promised in a letter dated {letter_date}"
    assert show(runner, 1)["status"] == "open"
    assert runner.invoke(app, ["done", "1", "--on", letter_date]).exit_code == 0


def test_rate_kept_closes_and_leaves_due(runner, imported):
    due_before = [r["id"] for r in json.loads(runner.invoke(app, ["due", "--json"]).stdout)]
    target = next(i for i in due_before if show(runner, i)["due_kind"] != "recurring")
    result = runner.invoke(app, ["rate", str(target), "--outcome", "kept"])
    assert result.exit_code == 0 and result.stdout.rstrip().endswith("closed, as done")
    assert show(runner, target)["status"] == "done"
    assert target not in [r["id"] for r in json.loads(runner.invoke(app, ["due", "--json"]).stdout)]
