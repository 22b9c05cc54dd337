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


def done_ids(runner) -> list[int]:
    return [r["id"] for r in json.loads(runner.invoke(app, ["list", "--status", "done", "--json"]).stdout)]


def test_a_co_organisers_unsigned_reply_never_replaces_the_lead_units_letter(runner, db, tmp_path, real):
    """The same proposal answered by a co-organiser without a signature: nothing says whose it is,
    so it is a new letter, with a warning naming the lead unit's; that one keeps every promise."""
    lead = letter(36, "马文清").replace("。\n感谢", "。我局将会同区财政局开展专项检查。\n感谢")
    (tmp_path / "主办.txt").write_text(lead, encoding="utf-8")
    unsigned = letter(36, "马文清", promise="配合做好相关工作").rsplit(f"{UNIT}\n", 1)[0]
    (tmp_path / "协办.txt").write_text(unsigned, encoding="utf-8")
    assert imported(runner, tmp_path / "主办.txt")[0].exit_code == 0
    assert runner.invoke(app, ["done", "1"]).exit_code == 0
    result, docs = imported(runner, tmp_path / "协办.txt")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].endswith(", added")
    assert "may be #1 主办.txt (第36号, 区政协六届四次会议)" in result.stderr
    assert sorted(d["file"] for d in docs) == ["主办.txt", "协办.txt"]
    rows = json.loads(runner.invoke(app, ["list", "--status", "all", "--json"]).stdout)
    assert [(r["status"], r["document"]) for r in rows if r["document"] == "主办.txt"] == [
        ("done", "主办.txt"), ("open", "主办.txt")]


def test_a_co_organisers_reply_is_another_letter_than_the_lead_units(runner, db, tmp_path, real):
    (tmp_path / "主办.txt").write_text(letter(36, "马文清"), encoding="utf-8")
    co = letter(36, "马文清", promise="配合做好相关工作").replace("现将办理情况", "我局作为协办单位，现将办理情况")
    (tmp_path / "协办.txt").write_text(co, encoding="utf-8")
    result, docs = imported(runner, tmp_path / "主办.txt", tmp_path / "协办.txt")
    assert result.exit_code == 0 and result.stdout.count(", added\n") == 2, result.output
    assert sorted((d["file"], d["role"]) for d in docs) == [("主办.txt", "lead"), ("协办.txt", "co-organizer")]


@pytest.mark.parametrize("change", ["title", "date"])
def test_two_letters_named_alike_without_a_number_stay_two(runner, db, tmp_path, real, change):
    """答复.txt in two folders, one unit, one proposer, no number: another title or date is another letter."""
    first, second = tmp_path / "2023", tmp_path / "2024"
    first.mkdir(), second.mkdir()
    (first / "答复.txt").write_text(letter(None, "马文清"), encoding="utf-8")
    other = letter(None, "马文清", promise="开展专项检查")
    other = (other.replace("保障快递从业人员合法权益", "加强外卖骑手交通安全管理") if change == "title"
             else other.replace("2024年5月20日", "2023年4月2日"))
    (second / "答复.txt").write_text(other, encoding="utf-8")
    assert imported(runner, first / "答复.txt")[0].exit_code == 0
    result, docs = imported(runner, second / "答复.txt")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].endswith(", added"), result.output
    assert "#1 答复.txt" in result.stderr  # named: they share a file name
    assert len(docs) == 2
    assert json.loads(runner.invoke(app, ["list", "--status", "withdrawn", "--json"]).stdout) == []


@pytest.mark.parametrize("number, unit", [("３６", UNIT), ("036", UNIT), ("36", "瓯海区人社局"),
                                          ("36", "温州市" + UNIT)])
def test_one_letter_whatever_the_number_is_written_as_and_with_or_without_its_city(runner, db, tmp_path, real,
                                                                                   number, unit):
    (tmp_path / "a.txt").write_text(letter(36, "马文清"), encoding="utf-8")
    (tmp_path / "b.txt").write_text(letter(number, "马文清", promise="出台实施办法并开展专项检查", unit=unit),
                                    encoding="utf-8")
    result, docs = imported(runner, tmp_path / "a.txt", tmp_path / "b.txt")
    if unit == "瓯海区人社局":  # a short form is not the same unit's name: nothing says they are one
        assert len(docs) == 2
        return
    assert result.exit_code == 0, result.output
    assert len(docs) == 1 and docs[0]["number"] == "36", result.output
    assert runner.invoke(app, ["db", "check"]).exit_code == 0  # the search index took the second version too
    assert len(json.loads(runner.invoke(app, ["list", "--search", "专项检查", "--json"]).stdout)) == 1
