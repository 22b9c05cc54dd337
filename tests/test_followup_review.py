"""`tracker review`: the unreviewed commitments one at a time, driven through its prompts."""
from __future__ import annotations

import dataclasses
import json

import pytest

import conftest
from ouhai_tracker.cli import app

# Lowest confidence first: 5 (0.2), 2 (0.3), 8 (0.4), 3 (0.6), 6 (0.7), 4 (0.8), 1 (0.9), 7 (0.95).
CONFIDENCE = {"我局计划开展专精特新专题培训班": 0.9, "同时联合区工商联等部门,继续实施“瓯商提升”工程": 0.3,
              "待正式入选后制定相应的实施方案": 0.6, "我局将修订《瓯海区专业技术人才奖补申报指南》": 0.8,
              "住建局牵头在谋划制定企业人才购房的相关政策": 0.2, "每季度对规上企业进行人才密度调研": 0.7,
              "我局将于2024年9月开学前完成积分入学办法修订[bold]x[/]": 0.95,
              "区教育局将会同区经信局每年开展人才子女入学调研": 0.4}


def with_confidence(builder):
    def build(text):
        facts = builder(text)
        facts.commitments = [dataclasses.replace(c, confidence=CONFIDENCE[c.text]) for c in facts.commitments]
        return facts
    return build


@pytest.fixture
def scored(monkeypatch, db, letters_dir):
    from ouhai_tracker.tracker import Tracker

    monkeypatch.setitem(conftest.BUILDERS, conftest.ECON_FILE, with_confidence(conftest.econ_facts))
    monkeypatch.setitem(conftest.BUILDERS, conftest.EDU_FILE, with_confidence(conftest.edu_facts))
    assert [r.status for r in Tracker(db).import_paths([letters_dir])] == ["added", "added"]
    return db


def listed(runner, *args) -> list[dict]:
    result = runner.invoke(app, ["list", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def history(runner, commitment_id: int) -> list[dict]:
    return json.loads(runner.invoke(app, ["show", str(commitment_id), "--json"]).stdout)["history"]


def test_review_walks_lowest_confidence_first_through_its_prompts(runner, scored):
    keys = "\n".join(["a",                      # 5: accept
                      "r",                      # 2: reject
                      "o", "经信局",             # 8: owner corrected ...
                      "d", "2025-01-31",        # ... and its due date
                      "a",                      # ... and on to the next, still 'corrected'
                      "",                       # 3: Enter skips
                      "q"]) + "\n"              # 6: quit
    result = runner.invoke(app, ["review"], input=keys, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    # Shown one at a time, in order, each in its paragraph with the keys to press.
    shown = [out.index(f"#{i}  confidence") for i in (5, 2, 8, 3, 6)]
    assert shown == sorted(shown) and "#4  confidence" not in out
    assert "2024年底前,我局将修订《瓯海区专业技术人才奖补申报指南》。近期住建局牵头" in out  # 5's paragraph
    assert "[a]ccept  [o]wner  [d]ue  [r]eject  [s]kip  [q]uit" in out
    assert "#8: owner 区教育局 -> 区经济和信息化局" in out and "#8: due 2024-12-31 -> 2025-01-31" in out
    assert out.strip().endswith("reviewed: 1 accepted, 1 corrected, 1 rejected, 1 skipped; 5 left unreviewed")

    states = {r["id"]: r["review"] for r in listed(runner, "--status", "all")}
    assert states == {1: "unreviewed", 2: "rejected", 3: "unreviewed", 4: "unreviewed", 5: "accepted",
                      6: "unreviewed", 7: "unreviewed", 8: "corrected"}
    # Rejected: gone from the default views, still in the database and its history.
    assert 2 not in [r["id"] for r in listed(runner)]
    assert 2 not in [r["id"] for r in json.loads(runner.invoke(app, ["due", "--json"]).stdout)]
    assert [r["id"] for r in listed(runner, "--review", "rejected")] == [2]
    assert [r["id"] for r in listed(runner, "--review", "corrected")] == [8]
    # Every verdict is a dated event.
    reviewed = [e for e in history(runner, 8) if e["action"] == "reviewed"]
    assert [(e["old"], e["new"]) for e in reviewed] == [("unreviewed", "corrected")] and reviewed[0]["at"]
    assert [(e["action"], e["field"]) for e in history(runner, 8)][1:3] == [("edited", "owner"), ("reviewed", "review")]
    assert [(e["action"], e["new"]) for e in history(runner, 2)][-1] == ("reviewed", "rejected")
    assert not [e for e in history(runner, 3) if e["action"] == "reviewed"]  # a skip changes nothing


def test_review_again_continues_with_what_is_left(runner, scored):
    runner.invoke(app, ["review", "--limit", "2"], input="a\na\n")
    result = runner.invoke(app, ["review", "--limit", "1"], input="a\n", env={"COLUMNS": "200"})
    assert "#8  confidence" in result.stdout and "1 accepted" in result.stdout
    assert "5 left unreviewed" in result.stdout


def test_review_in_letter_order(runner, scored):
    result = runner.invoke(app, ["review", "--order", "letter"], input="q\n", env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "1/8  #1  confidence 0.90  L_econ.txt" in result.stdout
    assert "8 left unreviewed" in result.stdout


def test_review_filtered_by_department(runner, scored):
    result = runner.invoke(app, ["review", "--dept", "住建局"], input="a\n", env={"COLUMNS": "200"})
    assert "1/1  #5" in result.stdout and "1 accepted" in result.stdout


def test_bad_answers_ask_again_and_end_of_input_quits(runner, scored):
    keys = "x\no\n财政局\nd\n明天\n"  # an unknown key, an unknown department, a bad date, then input ends
    result = runner.invoke(app, ["review"], input=keys, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "press a, o, d, r, s or q" in result.stdout
    assert "tracker: error: no department matches '财政局'" in result.stderr
    assert "tracker: error: bad due date '明天'" in result.stderr
    assert "0 accepted, 0 corrected, 0 rejected, 0 skipped; 8 left unreviewed" in result.stdout
    assert listed(runner, "--review", "unreviewed")[0]["review"] == "unreviewed"


def test_review_survives_reimport_of_a_corrected_letter(runner, scored, letters_dir):
    from ouhai_tracker.tracker import Tracker

    runner.invoke(app, ["review"], input="o\n区住房和城乡建设局\na\nr\nq\n")  # 5 corrected, 2 rejected
    (letters_dir / conftest.ECON_FILE).write_text(conftest.ECON_TEXT + "附件:无\n", encoding="utf-8")
    assert [r.status for r in Tracker().import_paths([letters_dir / conftest.ECON_FILE])] == ["updated"]
    rows = {r["id"]: r for r in listed(runner, "--status", "all")}
    assert rows[5]["review"] == "corrected" and rows[5]["owner"] == "区住房和城乡建设局"
    assert rows[2]["review"] == "rejected"


def test_nothing_to_review(runner, empty_db):
    result = runner.invoke(app, ["review"])
    assert result.exit_code == 0 and "Nothing to review" in result.stdout


def test_bad_order_is_one_line(runner, scored):
    result = runner.invoke(app, ["review", "--order", "random"])
    assert result.exit_code == 2 and result.stderr.strip() == \
        "tracker: error: bad order 'random': expected one of confidence, letter"


def test_rejected_ones_are_marked_where_they_are_listed(runner, scored):
    runner.invoke(app, ["review"], input="r\nq\n")  # rejects #5
    for args in (["--status", "all"], ["--review", "rejected"]):
        out = runner.invoke(app, ["list", *args], env={"COLUMNS": "200"}).stdout
        assert "open (rejected)" in out and "住建局牵头" in out
    assert "住建局牵头" not in runner.invoke(app, ["list"], env={"COLUMNS": "200"}).stdout
