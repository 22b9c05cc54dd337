"""`tracker list`: filters people type, and the JSON contract scripts rely on."""
from __future__ import annotations

import json

import pytest

from ouhai_tracker.cli import app

CONTRACT_FIELDS = {"id", "text", "owner", "partners", "status", "due", "due_kind", "due_text",
                   "due_inferred", "condition", "document", "policies"}


def listed(runner, *args) -> list[dict]:
    result = runner.invoke(app, ["list", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_has_the_contract_fields(runner, imported):
    rows = listed(runner, "--status", "all")
    assert len(rows) == 8 and all(CONTRACT_FIELDS <= row.keys() for row in rows)
    school = next(r for r in rows if r["document"] == "L_edu.txt" and r["due_kind"] == "date")
    assert school == {**school, "owner": "区教育局", "partners": [], "status": "open", "due": "2024-08-31",
                      "due_text": "2024年9月开学前", "due_inferred": False, "condition": None,
                      "policies": ["温州市瓯海区高层次人才和企业人才子女入学管理办法"]}
    conditional = next(r for r in rows if r["due_kind"] == "conditional")
    assert conditional["due"] is None and conditional["condition"] == "正式入选"


def test_dept_short_form_in_the_table(runner, imported):
    result = runner.invoke(app, ["list", "--dept", "工商联"])
    assert result.exit_code == 0
    assert "瓯商提升" in result.stdout and "专精特新" not in result.stdout


def test_inferred_dates_are_marked(runner, imported):
    out = runner.invoke(app, ["list", "--kind", "vague"]).stdout
    assert "2023-09-16*" in out and "* inferred" in out


def test_letter_markup_prints_literally(runner, imported):
    out = runner.invoke(app, ["list", "--doc", "edu", "--kind", "date"], env={"COLUMNS": "200"}).stdout
    assert "[bold]x[/]" in out


def test_status_done_and_all(runner, imported):
    runner.invoke(app, ["done", "3"])
    assert [r["id"] for r in listed(runner, "--status", "done")] == [3]
    assert 3 not in [r["id"] for r in listed(runner)]
    assert len(listed(runner, "--status", "all")) == 8


def test_nothing_matches_says_so(runner, imported):
    result = runner.invoke(app, ["list", "--search", "没有这句话"])
    assert result.exit_code == 0 and "No commitments match" in result.stdout


@pytest.mark.parametrize("args, message", [
    (["--due-before", "2024-13-01"], "bad --due-before '2024-13-01'"),
    (["--due-after", "June"], "bad --due-after 'June'"),
    (["--status", "finished"], "bad status 'finished'"),
    (["--kind", "soon"], "bad deadline kind 'soon'"),
])
def test_bad_values_are_one_line_errors(runner, imported, args, message):
    result = runner.invoke(app, ["list", *args])
    assert result.exit_code == 2  # a usage error, like a misspelt option
    assert result.stderr.startswith("tracker: error: ") and message in result.stderr
    assert result.stdout == ""


def test_partner_lists_only_what_a_department_takes_part_in(runner, imported):
    # 区经信局 owns five promises of its own letter and is a partner (会同) in one of 区教育局's.
    rows = listed(runner, "--partner", "经信局")
    assert [(r["owner"], r["partners"]) for r in rows] == [("区教育局", ["区经济和信息化局"])]
    assert "人才子女入学调研" in rows[0]["text"]
    assert len(listed(runner, "--dept", "经信局")) == 6  # --dept: owner or partner
    # Any of its names, as --dept takes them; with --dept in the same listing, both hold.
    assert [r["id"] for r in listed(runner, "--partner", "区经济和信息化局")] == [rows[0]["id"]]
    assert [r["id"] for r in listed(runner, "--partner", "经信", "--dept", "教育局")] == [rows[0]["id"]]
    assert listed(runner, "--partner", "经信局", "--dept", "工商联") == []
    table = runner.invoke(app, ["list", "--partner", "工商联"]).stdout
    assert "瓯商提升" in table and "专精特新" not in table and "人才子女" not in table
    assert listed(runner, "--partner", "教育局") == []  # an owner, never a partner


def test_partner_that_names_no_department_is_refused(runner, imported):
    result = runner.invoke(app, ["list", "--partner", "工商连"])
    assert result.exit_code == 2 and "--partner: no department is named '工商连'" in result.stderr
    assert "did you mean 工商联、区工商联" in result.stderr


def test_partner_is_offered_and_helped_in_chinese(runner, imported, monkeypatch):
    for command in ("list", "due", "export", "report", "stats"):
        assert "--partner" in runner.invoke(app, [command, "--help"]).stdout
    monkeypatch.setenv("TRACKER_LANG", "zh")
    assert "仅列出该单位为配合单位的事项" in runner.invoke(app, ["list", "--help"]).stdout


def test_every_declared_filter_is_an_option_of_list(runner):
    from ouhai_tracker.store.filter import FILTERS

    shown = runner.invoke(app, ["list", "--help"], env={"COLUMNS": "200"}).stdout
    assert [spec.flag for spec in FILTERS if spec.flag not in shown] == []


def test_a_reading_command_pauses_the_cyclic_collector_only_while_it_runs(runner, imported, monkeypatch):
    import gc

    from ouhai_tracker import tracker

    seen = []
    find = tracker.Tracker.find_commitments
    monkeypatch.setattr(tracker.Tracker, "find_commitments",
                        lambda self, **kw: seen.append(gc.isenabled()) or find(self, **kw))
    assert gc.isenabled()
    listed(runner, "--status", "all")
    assert seen == [False] and gc.isenabled()  # a caller that goes on (this test run) collects again
    assert runner.invoke(app, ["docs"]).exit_code == 0 and gc.isenabled()


@pytest.mark.parametrize("args", [[], ["--status", "all"], ["--dept", "经信局"], ["--sort", "owner"],
                                  ["--search", "人才"], ["--review", "all", "--status", "all"],
                                  ["--repeated", "--status", "all"]])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_table_reads_only_what_it_shows_and_shows_the_same(runner, imported, monkeypatch, args, lang):
    # A table's rows are brief (rows.BRIEF_COLUMNS, on the stdlib path and the other): the table
    # they print is the one the whole rows print, a done, a rejected and a rated promise among them.
    from ouhai_tracker.tracker import Tracker

    every = Tracker(imported).find_commitments(status="all")
    Tracker(imported).mark_done([every[0]["id"]])
    Tracker(imported).review(every[1]["id"], "reject")
    Tracker(imported).rate(every[2]["id"], "stalled")
    assert all(row["sentence"] is None for row in Tracker(imported).find_commitments(status="all", brief=True))
    monkeypatch.setenv("TRACKER_LANG", lang)
    monkeypatch.setenv("COLUMNS", "120")
    brief = runner.invoke(app, ["list", "--format", "table", *args])
    whole = Tracker.find_commitments
    monkeypatch.setattr(Tracker, "find_commitments", lambda self, brief=False, **options: whole(self, **options))
    assert brief.exit_code == 0 and brief.stdout == runner.invoke(app, ["list", "--format", "table", *args]).stdout
