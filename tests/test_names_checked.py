"""A typo is not "nothing found": unknown names are usage errors naming the nearest known ones,
and a read command on a database file that is not there says so and creates nothing."""
from __future__ import annotations

import pytest

from ouhai_tracker.cli import app


@pytest.mark.parametrize("args", [["due", "--dept", "工商连"], ["list", "--dept", "工商连"],
                                  ["report", "--dept", "工商连"], ["stats", "--dept", "工商连"],
                                  ["export", "--dept", "工商连"], ["review", "--dept", "工商连"]])
def test_a_mistyped_department_is_a_usage_error_naming_the_nearest(runner, imported, args):
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "工商连" in result.stderr and "工商联" in result.stderr and "tracker depts" in result.stderr


def test_a_department_nothing_resembles_is_named_without_suggestions(runner, imported):
    result = runner.invoke(app, ["list", "--dept", "不存在局"])
    assert result.exit_code == 2 and "不存在局" in result.stderr and "did you mean" not in result.stderr


@pytest.mark.parametrize("option, value, nearest", [("--doc", "L_ecom.txt", "L_econ.txt"),
                                                   ("--policy", "人才奖励申报指南", "瓯海区专业技术人才奖补申报指南")])
def test_a_mistyped_letter_or_policy_is_a_usage_error(runner, imported, option, value, nearest):
    result = runner.invoke(app, ["list", option, value])
    assert result.exit_code == 2 and nearest in result.stderr and option in result.stderr


def test_a_known_name_with_nothing_selected_is_no_error(runner, imported):
    result = runner.invoke(app, ["list", "--dept", "工商联", "--status", "withdrawn"])
    assert result.exit_code == 0 and "No commitments match" in result.stdout
    assert runner.invoke(app, ["due", "--dept", "工商联"]).exit_code == 0
    assert runner.invoke(app, ["list", "--doc", "L_edu", "--policy", "入学管理办法"]).exit_code == 0


def test_chinese_mode_names_the_nearest_in_chinese(runner, imported, monkeypatch):
    monkeypatch.setenv("TRACKER_LANG", "zh")
    result = runner.invoke(app, ["due", "--dept", "工商连"])
    assert result.exit_code == 2 and "工商联" in result.stderr and "没有名为" in result.stderr


@pytest.mark.parametrize("args", [["list"], ["due"], ["docs"], ["depts"], ["policies"], ["report"], ["stats"],
                                  ["show", "1"], ["export"], ["undo", "--list"], ["db", "check"]])
def test_reading_a_missing_database_file_says_so_and_creates_nothing(runner, tmp_path, args):
    missing = tmp_path / "typo.db"
    result = runner.invoke(app, ["--db", str(missing), *args])
    assert result.exit_code == 1, result.output
    assert "no database at" in result.stderr and str(missing) in result.stderr
    assert list(tmp_path.iterdir()) == []
