"""Members' feedback per letter, second replies, and the class-mark settings behind `list --class`."""
from __future__ import annotations

import dataclasses
import json

import pytest

import conftest
from ouhai_tracker.cli import app


def docs(runner, *args) -> list[dict]:
    result = runner.invoke(app, ["docs", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_feedback_by_file_or_id_and_docs_show_it(runner, imported):
    result = runner.invoke(app, ["feedback", "L_econ.txt", "--rating", "满意"])
    assert result.exit_code == 0 and result.stdout.strip() == "L_econ.txt: 满意"
    edu_id = next(d["id"] for d in docs(runner) if d["file"] == "L_edu.txt")
    result = runner.invoke(app, ["feedback", str(edu_id), "--rating", "不满意", "--note", "积分办法未公开",
                                 "--on", "2024-11-20"])
    assert result.exit_code == 0
    assert result.stdout.strip() == "L_edu.txt: 不满意; listed for a second reply (tracker docs --second-reply)"
    rows = {d["file"]: d for d in docs(runner)}
    assert rows["L_econ.txt"]["feedback"] == "满意" and rows["L_econ.txt"]["second_reply"] is False
    assert rows["L_edu.txt"]["feedback"] == "不满意" and rows["L_edu.txt"]["feedback_note"] == "积分办法未公开"
    assert rows["L_edu.txt"]["feedback_on"] == "2024-11-20"
    # The contract's fields are all still there.
    assert {"file", "title", "replying_unit", "date", "proposers", "session", "contact_name",
            "contact_phone"} <= set(rows["L_edu.txt"])
    table = runner.invoke(app, ["docs"], env={"COLUMNS": "200"}).stdout
    assert "满意" in table and "不满意: listed for a second reply" in table


def test_second_reply_lists_the_dissatisfied_by_latest_rating(runner, imported):
    runner.invoke(app, ["feedback", "econ", "--rating", "不满意"])
    runner.invoke(app, ["feedback", "edu", "--rating", "不满意"])
    runner.invoke(app, ["feedback", "edu", "--rating", "基本满意", "--note", "二次答复后"])  # answered again
    assert [d["file"] for d in docs(runner, "--second-reply")] == ["L_econ.txt"]
    assert docs(runner)[1]["feedback_ratings"] == 2
    out = runner.invoke(app, ["docs", "--second-reply"], env={"COLUMNS": "200"}).stdout
    assert "L_econ.txt" in out and "L_edu.txt" not in out and "second reply" in out
    runner.invoke(app, ["feedback", "econ", "--rating", "不满意", "--note", "人才公寓未回应"])
    assert "人才公寓未回应" in runner.invoke(app, ["docs", "--second-reply"], env={"COLUMNS": "200"}).stdout


def test_feedback_errors_are_one_line(runner, imported):
    cases = [(["feedback", "L_econ.txt", "--rating", "很好"], "bad rating '很好': expected one of 满意, 基本满意, 不满意", 2),
             (["feedback", "nosuch.txt", "--rating", "满意"], "no letter matches 'nosuch.txt'", 1),
             (["feedback", "L_", "--rating", "满意"], "matches several letters", 1)]
    for args, message, code in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == code and result.stderr.startswith("tracker: error: ") and message in result.stderr
    assert all(d["feedback"] is None for d in docs(runner))


def test_feedback_note_is_shown_literally(runner, imported):
    runner.invoke(app, ["feedback", "L_econ.txt", "--rating", "不满意", "--note", "[red]x[/] \x1b[31m"])
    assert docs(runner)[0]["feedback_note"] == "[red]x[/] \x1b[31m"


@pytest.fixture
def classed(monkeypatch, db, letters_dir):
    """The econ letter printed 'B类', the edu letter 'A'."""
    from ouhai_tracker.tracker import Tracker

    def marked(builder, mark):
        def build(text):
            facts = builder(text)
            facts.meta = dataclasses.replace(facts.meta, class_mark=mark)
            return facts
        return build

    monkeypatch.setitem(conftest.BUILDERS, conftest.ECON_FILE, marked(conftest.econ_facts, "B类"))
    monkeypatch.setitem(conftest.BUILDERS, conftest.EDU_FILE, marked(conftest.edu_facts, "A"))
    Tracker(db).import_paths([letters_dir])
    return db


def test_list_by_class_mark_as_printed(runner, classed):
    def ids(*args):
        return sorted(r["id"] for r in json.loads(runner.invoke(app, ["list", "--status", "all", *args, "--json"]).stdout))
    assert ids("--class", "B") == ids("--class", "b类") == [1, 2, 3, 4, 5, 6]
    assert ids("--class", "A") == [7, 8] and ids("--class", "C") == []
    row = json.loads(runner.invoke(app, ["list", "--class", "B", "--json"]).stdout)[0]
    assert row["class_mark"] == "B类"  # stored raw, as printed


def test_class_meanings_are_settings(runner, classed):
    rows = {d["file"]: d for d in docs(runner)}
    assert rows["L_econ.txt"]["class_mark"] == "B类" and "正在解决" in rows["L_econ.txt"]["class_meaning"]
    result = runner.invoke(app, ["config", "set", "class.B", "列入计划、分步实施"])
    assert result.exit_code == 0 and result.stdout.startswith("class.B = 列入计划、分步实施 (was ")
    assert runner.invoke(app, ["config", "get", "class.b"]).stdout.strip() == "列入计划、分步实施"
    assert {d["file"]: d["class_meaning"] for d in docs(runner)}["L_econ.txt"] == "列入计划、分步实施"
    listing = json.loads(runner.invoke(app, ["config", "list", "--json"]).stdout)
    assert {r["key"]: r["source"] for r in listing} == {"class.A": "default", "class.B": "set", "class.C": "default"}
    assert runner.invoke(app, ["config", "unset", "class.B"]).exit_code == 0
    assert "正在解决" in runner.invoke(app, ["config", "get", "class.B"]).stdout


def test_config_errors_are_one_line(runner, db):
    for args, message, code in [(["config", "set", "colour", "red"], "unknown setting 'colour'", 2),
                                (["config", "set", "class.B", " "], "empty value for class.B", 2),
                                (["config", "unset", "class.Q"], "no setting 'class.Q'", 1),
                                (["list", "--class", "类"], "bad class mark '类'", 2)]:
        result = runner.invoke(app, args)
        assert result.exit_code == code and result.stderr.startswith("tracker: error: ") and message in result.stderr
