"""`tracker due`: overdue first, inferred dates marked, conditional ones last with their condition."""
from __future__ import annotations

import json

from ouhai_tracker.cli import app


def test_overdue_first_then_upcoming_then_conditional(runner, imported):
    result = runner.invoke(app, ["due", "--as-of", "2024-01-01"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    out = result.stdout
    # 每季度 (stored 2023-06-30) is due at the end of the quarter containing the as-of day, not overdue.
    assert out.index("OVERDUE 107d") < out.index("in 90d") < out.index("in 167d") < out.index("Waiting on a condition")
    assert "2023-09-16*" in out and "* inferred" in out
    conditional = out[out.index("Waiting on a condition"):]
    assert "待正式入选后制定相应的实施方案" in conditional and "正式入选" in conditional


def test_json_same_objects_as_list_in_due_order(runner, imported):
    rows = json.loads(runner.invoke(app, ["due", "--json", "--as-of", "2024-01-01"]).stdout)
    listed = {r["id"]: r for r in json.loads(runner.invoke(app, ["list", "--json", "--as-of", "2024-01-01"]).stdout)}
    assert all(row == listed[row["id"]] for row in rows)
    assert [r["overdue"] for r in rows[:3]] == [True, False, False]
    assert rows[-1]["due_kind"] == "conditional"


def test_within_and_dept(runner, imported):
    rows = json.loads(runner.invoke(app, ["due", "--json", "--as-of", "2024-01-01", "--within", "250",
                                          "--dept", "教育局"]).stdout)
    assert [r["due"] for r in rows] == ["2024-08-31"]


def test_done_ones_are_not_due(runner, imported):
    runner.invoke(app, ["done", "5"])
    rows = json.loads(runner.invoke(app, ["due", "--json"]).stdout)
    assert 5 not in [r["id"] for r in rows]


def test_the_table_shows_the_most_urgent_and_says_how_many_more(runner, imported):
    every = json.loads(runner.invoke(app, ["due", "--json", "--as-of", "2024-01-01"]).stdout)
    assert len(every) > 2
    result = runner.invoke(app, ["due", "--limit", "2", "--as-of", "2024-01-01"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert f"… and {len(every) - 2} more" in result.stdout
    assert str(every[0]["id"]) in result.stdout
    full = runner.invoke(app, ["due", "--all", "--limit", "2", "--as-of", "2024-01-01"], env={"COLUMNS": "200"})
    assert "more" not in full.stdout
    assert len(json.loads(runner.invoke(app, ["due", "--json", "--limit", "1"]).stdout)) == 1
    bad = runner.invoke(app, ["due", "--limit", "0"])
    assert bad.exit_code == 2 and "Invalid value for '--limit'" in bad.stderr
