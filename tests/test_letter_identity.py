"""A letter is its proposal (number and session, else proposers) and its replying unit; the file
name is a hint. Two replies to two proposals are two letters, whatever their files are called;
one letter saved under two names is one; `import` says which stored letter a file was taken for."""
from __future__ import annotations

import json

import pytest

from ouhai_tracker.cli import app
from test_robust_bad_input import real_extraction

UNIT = "瓯海区人力资源和社会保障局"


def letter(number: int | None, proposer: str, promise: str = "出台快递从业人员权益保护实施办法",
           unit: str = UNIT) -> str:
    """A reply to one proposal: one unit, one day, one title; the number and proposer vary."""
    numbered = f"（第{number}号）" if number else ""
    return (f"{proposer}委员：\n"
            f"您在区政协六届四次会议期间领衔提出的《关于保障快递从业人员合法权益的提案》{numbered}收悉。"
            "现将办理情况答复如下：\n"
            f"一、下一步工作\n我局将于2024年底前{promise}。\n"
            f"感谢您对人力社保工作的关心和支持。\n{unit}\n2024年5月20日\n")


@pytest.fixture
def real(monkeypatch):
    real_extraction(monkeypatch)


def imported(runner, *paths) -> tuple[object, list[dict]]:
    result = runner.invoke(app, ["import", *map(str, paths)])
    return result, json.loads(runner.invoke(app, ["docs", "--json"]).stdout)


def test_two_replies_to_two_proposals_are_two_letters(runner, db, tmp_path, real):
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "答复106.txt").write_text(letter(106, "马文清"), encoding="utf-8")
    (folder / "答复113.txt").write_text(letter(113, "李华"), encoding="utf-8")
    result, docs = imported(runner, folder)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["答复106.txt: 1 commitments, 0 policies, 1 departments, added",
                                          "答复113.txt: 1 commitments, 0 policies, 1 departments, added",
                                          "2 files: 2 added"]
    assert sorted((d["number"], d["proposers"][0]) for d in docs) == [("106", "马文清"), ("113", "李华")]

    # Statuses stay where they were put, however often the folder is imported again.
    rows = json.loads(runner.invoke(app, ["list", "--json"]).stdout)
    first = next(r["id"] for r in rows if r["document"] == "答复106.txt")
    assert runner.invoke(app, ["done", str(first)]).exit_code == 0
    for _ in range(2):
        again, docs = imported(runner, folder)
        assert again.exit_code == 0 and again.stdout.count(", unchanged\n") == 2, again.output
    rows = {r["document"]: r for r in json.loads(runner.invoke(app, ["list", "--status", "all", "--json"]).stdout)}
    assert rows["答复106.txt"]["status"] == "done" and rows["答复106.txt"]["id"] == first
    assert rows["答复113.txt"]["status"] == "open" and len(docs) == 2


def test_same_letter_under_two_names_is_one_and_import_says_which(runner, db, tmp_path, real):
    (tmp_path / "a.txt").write_text(letter(106, "马文清"), encoding="utf-8")
    (tmp_path / "b.txt").write_text(letter(106, "马文清", promise="出台实施办法并开展专项检查"), encoding="utf-8")
    (tmp_path / "c.txt").write_text(letter(106, "马文清", promise="出台实施办法并开展专项检查"), encoding="utf-8")
    assert imported(runner, tmp_path / "a.txt")[0].exit_code == 0
    result, docs = imported(runner, tmp_path / "b.txt")  # a corrected version under another name
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "b.txt: 1 commitments, 0 policies, 1 departments, updated (0 added, 1 updated, 0 unchanged, 0 withdrawn); "
        "letter #1, stored as a.txt, matched by proposal number and session", "1 file: 1 updated"]
    result, docs = imported(runner, tmp_path / "c.txt")  # the same text again, under a third name
    assert result.stdout.strip().startswith("c.txt: 1 commitments, 0 policies, 1 departments, unchanged; letter #1, "
                                            "stored as b.txt")
    assert [d["file"] for d in docs] == ["b.txt"]  # one letter, the name it was last stored under
    listed = json.loads(runner.invoke(app, ["import", "--json", str(tmp_path / "c.txt")]).stdout)
    assert (listed[0]["letter_id"], listed[0]["matched_file"]) == (1, "b.txt")


def test_another_proposal_under_a_stored_name_is_a_new_letter(runner, db, tmp_path, real):
    """答复.txt of last session and 答复.txt of this one: two letters, and the user is told."""
    old, new = tmp_path / "2023", tmp_path / "2024"
    old.mkdir(), new.mkdir()
    (old / "答复.txt").write_text(letter(106, "马文清"), encoding="utf-8")
    (new / "答复.txt").write_text(letter(7, "李华"), encoding="utf-8")
    assert imported(runner, old / "答复.txt")[0].exit_code == 0
    result, docs = imported(runner, new / "答复.txt")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("added")
    assert result.stderr.startswith(f"tracker: warning: {new / '答复.txt'}: stored as a new letter: the letter "
                                    "stored under the same file name, #1 答复.txt (第106号, 区政协六届四次会议), "
                                    "answers another proposal")
    assert sorted(d["number"] for d in docs) == ["106", "7"]
    # Both at once, in one import: both stored.
    third = tmp_path / "2025"
    third.mkdir()
    (third / "答复.txt").write_text(letter(9, "王芳"), encoding="utf-8")
    result, docs = imported(runner, old, new, third)
    assert result.exit_code == 0 and result.stdout.count(", unchanged") == 2 and result.stdout.count(", added") == 1
    assert len(docs) == 3


def test_without_a_number_the_proposers_tell_letters_apart(runner, db, tmp_path, real):
    (tmp_path / "x.txt").write_text(letter(None, "马文清"), encoding="utf-8")
    (tmp_path / "y.txt").write_text(letter(None, "李华"), encoding="utf-8")
    result, docs = imported(runner, tmp_path / "x.txt", tmp_path / "y.txt")
    assert result.exit_code == 0 and result.stdout.count(", added\n") == 2, result.output
    assert len(docs) == 2


def test_two_units_replies_to_one_proposal_are_two_letters(runner, db, tmp_path, real):
    (tmp_path / "主办.txt").write_text(letter(106, "马文清"), encoding="utf-8")
    (tmp_path / "会办.txt").write_text(letter(106, "马文清", unit="瓯海区财政局"), encoding="utf-8")
    result, docs = imported(runner, tmp_path / "主办.txt", tmp_path / "会办.txt")
    assert result.exit_code == 0 and result.stdout.count(", added\n") == 2, result.output
    assert sorted(d["replying_unit"] for d in docs) == ["瓯海区人力资源和社会保障局", "瓯海区财政局"]
