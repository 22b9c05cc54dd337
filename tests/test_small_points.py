"""The smaller points a committee's staff met: a CSV file where a file was named, the byte-order
mark Excel needs, a range deleted only after asking, an edit that changes nothing left out of the
history, owners in pinyin order, and `due --dept` saying whether the department owns or partners."""
from __future__ import annotations

import json

from ouhai_tracker import cli
from ouhai_tracker.cli import app


def test_csv_export_to_a_file_name_writes_that_file(runner, imported, tmp_path):
    target = tmp_path / "承诺.csv"
    result = runner.invoke(app, ["export", "--format", "csv", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert target.is_file()
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads Chinese by the byte-order mark
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("id,") and "letter_title" in lines[0] and len(lines) == 1 + 8
    folder = tmp_path / "all"
    assert runner.invoke(app, ["export", "--format", "csv", "--output", str(folder)]).exit_code == 0
    assert (folder / "commitments.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_a_listing_as_csv_into_a_file_carries_the_byte_order_mark(imported, tmp_path):
    """`tracker list --format csv > 学位.csv` opens in Excel; a pipe to a script gets no mark."""
    import subprocess

    from conftest import TRACKER

    target = tmp_path / "学位.csv"
    with target.open("wb") as out:
        subprocess.run([*TRACKER, "--db", imported, "list", "--format", "csv"], stdout=out, check=True)
    assert target.read_bytes().startswith(b"\xef\xbb\xbfid,")
    piped = subprocess.run([*TRACKER, "--db", imported, "list", "--format", "csv"], capture_output=True, check=True)
    assert piped.stdout.startswith(b"id,")


def test_deleting_several_at_a_terminal_asks_first(runner, imported, monkeypatch):
    monkeypatch.setattr(cli, "_interactive", lambda: True)
    result = runner.invoke(app, ["delete", "1-3"], input="n\n")
    assert result.exit_code == 0 and "Delete these 3 commitments (#1 … #3)?" in result.stdout
    assert "Nothing deleted." in result.stdout
    assert json.loads(runner.invoke(app, ["list", "--status", "deleted", "--json"]).stdout) == []
    assert "deleted" in runner.invoke(app, ["delete", "1-2"], input="y\n").stdout
    assert "?" not in runner.invoke(app, ["delete", "3-4", "--yes"]).stdout
    assert "?" not in runner.invoke(app, ["delete", "5"]).stdout  # one: nothing to ask
    assert len(json.loads(runner.invoke(app, ["list", "--status", "deleted", "--json"]).stdout)) == 5


def test_an_edit_that_changes_nothing_is_not_recorded(runner, imported):
    result = runner.invoke(app, ["edit", "4", "--due", "2024-12-31"])  # the date its letter wrote
    assert result.exit_code == 0 and "#4: nothing changed" in result.stdout
    assert runner.invoke(app, ["undo", "--list"]).stdout == "No changes yet.\n"
    history = json.loads(runner.invoke(app, ["show", "4", "--json"]).stdout)["history"]
    assert [e["action"] for e in history] == ["imported"]
    # The same day as an inferred date is a change: it is now a date a person set.
    assert "#1: due 2024-06-16 -> 2024-06-16" in runner.invoke(app, ["edit", "1", "--due", "2024-06-16"]).stdout


def test_sort_by_owner_is_in_pinyin_order(runner, imported):
    rows = json.loads(runner.invoke(app, ["list", "--status", "all", "--sort", "owner", "--json"]).stdout)
    owners = list(dict.fromkeys(r["owner"] for r in rows))
    # 教 jiao, 经 jing, 住 zhu (by code point 住 would come first)
    assert owners == ["区教育局", "区经济和信息化局", "区住房和城乡建设局"]
    assert [r["owner"] for r in json.loads(runner.invoke(
        app, ["list", "--status", "all", "--sort", "owner", "--limit", "2", "--json"]).stdout)] == ["区教育局"] * 2


def test_due_dept_says_whether_the_department_owns_or_partners(runner, imported):
    result = runner.invoke(app, ["due", "--dept", "经信局", "--as-of", "2024-01-01"], env={"COLUMNS": "160"})
    lines = result.stdout.splitlines()
    partnered = next(i for i, line in enumerate(lines) if line.strip().startswith("8 "))
    assert "区教育局" in lines[partnered] and "(--dept: partner)" in lines[partnered + 1]
    rows = {r["id"]: r for r in json.loads(runner.invoke(
        app, ["due", "--dept", "经信局", "--as-of", "2024-01-01", "--json"]).stdout)}
    assert rows[8]["role"] == "partner" and rows[8]["matched"] == ["区经济和信息化局"]
    assert rows[1]["role"] == "owner"
