"""`tracker docs merge KEEP OTHER` and `tracker docs split ID`: a person says which stored letters
are one. Nothing is lost either way: the other letter stays as a superseded version, its
commitments' statuses, notes, ratings and history reach the kept letter, and `undo` or `split`
puts every row back."""
from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ouhai_tracker.cli import app
from ouhai_tracker.store.letter_merge import LetterSide, Side, plan_merge
from test_letter_identity import UNIT, letter
from test_robust_bad_input import real_extraction

SIGNED = letter(36, "马文清").replace("。\n感谢", "。我局将会同区财政局开展专项检查。\n感谢")
# The same reply, unsigned and undated, and corrected: the matcher cannot tell they are one.
UNSIGNED = letter(36, "马文清").replace("。\n感谢", "。我局将于2025年6月底前建成快递驿站服务网络。\n感谢").rsplit(
    f"{UNIT}\n", 1)[0]


@pytest.fixture
def real(monkeypatch):
    real_extraction(monkeypatch)


@pytest.fixture
def two(runner, db, tmp_path, real):
    """主办.txt stored as #1 (#1 出台…办法, #2 专项检查), 未签.txt as #2 (#3 出台…办法, #4 快递驿站)."""
    (tmp_path / "主办.txt").write_text(SIGNED, encoding="utf-8")
    (tmp_path / "未签.txt").write_text(UNSIGNED, encoding="utf-8")
    assert runner.invoke(app, ["import", str(tmp_path / "主办.txt")]).exit_code == 0
    result = runner.invoke(app, ["import", str(tmp_path / "未签.txt")])
    assert result.exit_code == 0 and "may be #1 主办.txt" in result.stderr, result.output
    assert result.stderr.strip().endswith("both are kept (`tracker docs merge` makes them one)")
    assert [(r["id"], r["document"]) for r in rows(runner)] == [
        (1, "主办.txt"), (2, "主办.txt"), (3, "未签.txt"), (4, "未签.txt")]
    return tmp_path


def rows(runner) -> list[dict]:
    return sorted(json.loads(runner.invoke(app, ["list", "--status", "all", "--json"]).stdout), key=lambda r: r["id"])


def state(runner) -> tuple:
    """Everything a person sees: each commitment where it is, the letters with their ratings, each
    commitment's history (the merge's own lines, marked undone, stay after an undo: left out)."""
    shown = [json.loads(runner.invoke(app, ["show", str(r["id"]), "--json"]).stdout) for r in rows(runner)]
    merges = ("merged into #", "undid ")
    return ([(r["id"], r["status"], r["outcome"], r["review"], r["due"], r["owner"], r["document"], r["text"],
              r["start"], r["end"]) for r in rows(runner)],
            [(d["id"], d["file"], d["title"], d["date"], d["feedback"])
             for d in json.loads(runner.invoke(app, ["docs", "--json"]).stdout)],
            [[(e["action"], e["field"], e["note"]) for e in s["history"]
              if not any(m in (e["note"] or "") for m in merges)] for s in shown])


def test_merge_keeps_every_promise_once_with_what_a_person_did_and_undo_takes_it_back(runner, two):
    assert runner.invoke(app, ["done", "3", "--note", "办法已印发"]).exit_code == 0
    assert runner.invoke(app, ["feedback", "2", "--rating", "满意"]).exit_code == 0
    before = state(runner)

    result = runner.invoke(app, ["docs", "merge", "1", "2"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        "merged letter #2 into #1, which holds the newer version's text (主办.txt): 1 promises in both, 0 moved, "
        "1 withdrawn (only in the older version), 1 members' ratings and 0 evidence links moved; "
        "`tracker undo` takes it back")
    # One letter: the signed one is newer (dated); #1 took #3's done and its note; #3 is its duplicate.
    assert [(d["id"], d["file"], d["feedback"]) for d in json.loads(runner.invoke(app, ["docs", "--json"]).stdout)] \
        == [(1, "主办.txt", "满意")]
    assert [(r["id"], r["status"], r["document"]) for r in rows(runner)] == [
        (1, "done", "主办.txt"), (2, "open", "主办.txt"), (3, "deleted", "未签.txt"), (4, "withdrawn", "未签.txt")]
    kept = json.loads(runner.invoke(app, ["show", "1", "--json"]).stdout)
    assert {e["note"] for e in kept["history"] if e["action"] == "done"} == {"办法已印发"}
    assert kept["history"][-1]["note"] == "letter #2 merged into #1: #3 is the same promise"
    # The merged version stays, marked, and importing either file again makes no new letter.
    shown = runner.invoke(app, ["docs", "2", "--format", "table"])
    assert "A superseded version of letter #1, merged into it" in shown.stdout
    again = runner.invoke(app, ["import", str(two / "未签.txt"), str(two / "主办.txt")])
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines() == [
        "未签.txt: 2 commitments, 0 policies, 2 departments, older version, not stored; letter #1 is stored from "
        "主办.txt, a newer version (by the letter's date, then the file's)",
        "主办.txt: 2 commitments, 0 policies, 2 departments, unchanged", "2 files: 1 unchanged, 1 older version, not stored"]
    assert len(json.loads(runner.invoke(app, ["docs", "--json"]).stdout)) == 1
    merged = [(r["id"], r["status"]) for r in rows(runner)]
    reread = runner.invoke(app, ["reread"])  # reads the letter, not its merged version
    assert reread.exit_code == 0 and len(reread.stdout.splitlines()) == 2, reread.output
    assert [(r["id"], r["status"]) for r in rows(runner)] == merged
    refused = runner.invoke(app, ["feedback", "2", "--rating", "不满意"])
    assert refused.exit_code == 1 and refused.stderr.strip() == "tracker: error: letter #2 is merged into #1: rate #1"

    undone = runner.invoke(app, ["undo", "--yes"])
    assert undone.exit_code == 0, undone.output
    assert "letter #2 a letter of its own again, out of #1, with its text and its commitments" in undone.stdout
    assert state(runner) == before


def test_keeping_the_older_letter_takes_the_newer_text_and_split_takes_it_back(runner, two):
    """KEEP is the older version: it keeps its ids and takes the newer text; each commitment points
    into the text it was read from, wherever that text is now."""
    assert runner.invoke(app, ["rate", "1", "--outcome", "in-the-works", "--note", "起草中"]).exit_code == 0
    before = state(runner)
    result = runner.invoke(app, ["docs", "merge", "未签.txt", "1"])
    assert result.exit_code == 0, result.output
    assert "merged letter #1 into #2, which holds the newer version's text (主办.txt): 1 promises in both, " \
           "1 moved, 1 withdrawn" in result.stdout
    after = {r["id"]: r for r in rows(runner)}
    assert {i: (r["status"], r["outcome"], r["document"]) for i, r in after.items()} == {
        3: ("open", "in-the-works", "主办.txt"),  # #2's survivor, with #1's rating and the signed text
        2: ("open", "not-yet-rated", "主办.txt"),  # only in the newer text: it follows it
        1: ("deleted", "in-the-works", "未签.txt"),  # the duplicate, holding the older text
        4: ("withdrawn", "not-yet-rated", "未签.txt")}  # only in the older version
    signed = json.loads(runner.invoke(app, ["docs", "2", "--json"]).stdout)
    assert signed["file"] == "主办.txt" and signed["replying_unit"] == UNIT
    for r in after.values():  # every commitment's offsets point into its letter's text
        shown = json.loads(runner.invoke(app, ["show", str(r["id"]), "--json", "--with-contacts"]).stdout)
        assert r["text"] in shown["sentence"]
    assert "起草中" in runner.invoke(app, ["show", "3"]).stdout

    split = runner.invoke(app, ["docs", "split", "1"])
    assert split.exit_code == 0, split.output
    assert split.stdout.startswith("letter #1 is a letter of its own again, apart from #2 (change #2 undone;")
    assert state(runner) == before
    again = runner.invoke(app, ["docs", "split", "1"])
    assert again.exit_code == 1
    assert again.stderr.strip() == ("tracker: error: letter #1 is one letter: nothing was merged into it and no "
                                    "import updated it")


def test_a_conflict_keeps_the_kept_ones_and_says_so(runner, two):
    assert runner.invoke(app, ["rate", "1", "--outcome", "stalled"]).exit_code == 0
    assert runner.invoke(app, ["rate", "3", "--outcome", "kept"]).exit_code == 0
    result = runner.invoke(app, ["docs", "merge", "1", "2"])
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == ("tracker: warning: #1 and #3 differ in their outcome: #1 keeps its own; "
                                     "#3 stays in `tracker show 3` as it was")
    assert {r["id"]: r["outcome"] for r in rows(runner)}[1] == "stalled"
    assert {r["id"]: r["outcome"] for r in rows(runner)}[3] == "kept"


def test_what_cannot_be_merged_or_split_is_refused(runner, two, tmp_path):
    for args, message in (
            (["docs", "merge", "1", "1"], "#1 is one letter: name two letters to merge"),
            (["docs", "merge", "1", "9"], "no letter matches '9' (see `tracker docs`)"),
            (["docs", "split", "2"], "letter #2 is one letter: nothing was merged into it and no import updated it")):
        result = runner.invoke(app, args)
        assert result.exit_code == 1 and result.stderr.strip() == f"tracker: error: {message}", result.output
    # A letter an import updated in place: its earlier text is gone, and the command says so.
    (tmp_path / "修改稿.txt").write_text(SIGNED.replace("专项检查", "专项执法检查"), encoding="utf-8")
    assert "updated" in runner.invoke(app, ["import", str(tmp_path / "修改稿.txt")]).stdout
    result = runner.invoke(app, ["docs", "split", "1"])
    assert result.exit_code == 1
    assert result.stderr.startswith("tracker: error: letter #1 cannot be split: an import updated it in place "
                                    "(re-imported from 修改稿.txt, ")
    assert "an import keeps no copy of the text it replaced" in result.stderr

    assert runner.invoke(app, ["docs", "merge", "1", "2"]).exit_code == 0
    result = runner.invoke(app, ["docs", "merge", "1", "2"])
    assert result.stderr.strip() == ("tracker: error: letter #2 is merged into #1 already (`tracker docs split 2` "
                                     "takes it back)")
    # A merge whose letter was imported again since is not taken back over it.
    (tmp_path / "修改稿.txt").write_text(SIGNED.replace("专项检查", "专项联合检查"), encoding="utf-8")
    assert "updated" in runner.invoke(app, ["import", str(tmp_path / "修改稿.txt")]).stdout
    result = runner.invoke(app, ["docs", "split", "2"])
    assert result.exit_code == 1
    assert result.stderr.strip() == ("tracker: error: cannot undo change #1 (docs merge #1 #2): letter #1 holds "
                                     "another text since (imported again, or merged); nothing was undone")


def test_merge_and_split_speak_chinese(runner, db, tmp_path, real, monkeypatch):
    monkeypatch.setenv("TRACKER_LANG", "zh")
    (tmp_path / "主办.txt").write_text(SIGNED, encoding="utf-8")
    (tmp_path / "未签.txt").write_text(UNSIGNED, encoding="utf-8")
    imported = runner.invoke(app, ["import", str(tmp_path / "主办.txt"), str(tmp_path / "未签.txt")])
    assert "两者都保留（`tracker docs merge` 可将二者合为一件）" in imported.stderr, imported.output
    result = runner.invoke(app, ["docs", "merge", "1", "2"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("已将答复函 #2 并入 #1，采用较新版本的正文（主办.txt）：两件都有的承诺 1 项")
    shown = "".join(runner.invoke(app, ["show", "3"]).stdout.split())  # the table wraps its cells
    assert "与#1是同一项承诺：答复函#2已并入#1" in shown
    assert "答复函 #1 的旧版本，已并入该函" in runner.invoke(app, ["docs", "2", "--format", "table"]).stdout
    assert "合并答复函" in runner.invoke(app, ["undo", "--list"]).stdout
    result = runner.invoke(app, ["docs", "split", "2"])
    assert result.exit_code == 0 and result.stdout.startswith("答复函 #2 已与 #1 分开，重新成为独立的答复函")
    result = runner.invoke(app, ["docs", "split", "2"])
    assert result.stderr.strip() == "tracker: 错误：答复函 #2 是一件独立的答复函：没有答复函并入它，也没有导入更新过它"
    assert "指明两件答复函是同一件" in runner.invoke(app, ["docs", "merge", "--help"]).stdout


def test_evidence_links_follow_the_kept_commitment(runner, db, tmp_path, real):
    """The signed letter's promises were linked to a work summary and one link accepted; kept as
    the unsigned letter's ids, its promises carry the links and the verdict, and undo takes them back."""
    from test_cli_evidence import FIXTURES

    text = (FIXTURES / "earlier_songling.txt").read_text(encoding="utf-8")
    (tmp_path / "主办.txt").write_text(text, encoding="utf-8")
    (tmp_path / "未签.txt").write_text(text.replace("青溪市松岭区民政局\n2023年5月10日", ""), encoding="utf-8")
    assert runner.invoke(app, ["import", str(tmp_path / "主办.txt"), str(tmp_path / "未签.txt")]).exit_code == 0
    assert runner.invoke(app, ["import", "--evidence", str(FIXTURES / "summary_songling.txt")]).exit_code == 0

    def links() -> list[tuple]:
        found = json.loads(runner.invoke(app, ["evidence", "--json", "--state", "all"]).stdout)
        return sorted((link["id"], link["commitment"], link["state"]) for link in found)

    before = links()
    assert len(before) == 5 and all(commitment <= 6 for _, commitment, _ in before)  # the signed letter's
    first = before[0]
    assert runner.invoke(app, ["review", "--evidence", "--link", str(first[0]), "--accept"]).exit_code == 0
    decided = links()
    by_text = {r["id"]: r["text"] for r in rows(runner)}

    result = runner.invoke(app, ["docs", "merge", "未签.txt", "主办.txt"])
    assert result.exit_code == 0, result.output
    assert "6 promises in both" in result.stdout and "5 evidence links moved" in result.stdout
    after = links()
    live = {r["id"]: r for r in rows(runner) if r["status"] != "deleted"}
    assert all(commitment in live for _, commitment, _ in after)  # each link on a live commitment ...
    assert [by_text[c] for _, c, _ in after] == [by_text[c] for _, c, _ in decided]  # ... of the same promise
    kept = next(c for i, c, _ in after if i == first[0])
    assert (after[0][2], live[kept]["outcome"], live[kept]["status"]) == ("accepted", "kept", "done")

    assert runner.invoke(app, ["undo", "--yes"]).exit_code == 0
    assert links() == decided


# ---- the plan, without a database --------------------------------------------------------------

PROMISES = ["出台办法", "开展检查", "建成驿站", "完成培训", "修订指南"]


def sides(draw, first_id: int) -> tuple[Side, ...]:
    texts = draw(st.lists(st.sampled_from(PROMISES), unique=True, max_size=5))
    statuses = draw(st.lists(st.sampled_from(["open", "done", "withdrawn", "deleted"]), min_size=len(texts),
                             max_size=len(texts)))
    return tuple(Side(first_id + i, t, t + "。", i * 10, s, "not-yet-rated", None) for i, (t, s)
                 in enumerate(zip(texts, statuses)))


@st.composite
def two_letters(draw) -> tuple[LetterSide, LetterSide]:
    keep_date, other_date = draw(st.sampled_from([date(2024, 5, 1), date(2024, 6, 1)])), draw(
        st.sampled_from([date(2024, 5, 1), date(2024, 6, 1)]))
    return (LetterSide(1, (keep_date, "a"), sides(draw, 1)), LetterSide(2, (other_date, "b"), sides(draw, 100)))


@settings(max_examples=200, deadline=None)
@given(two_letters())
def test_every_commitment_has_one_place_after_a_merge(letters):
    keep, other = letters
    plan = plan_merge(keep, other)
    newer, older = (other, keep) if plan.swap else (keep, other)
    kept_ids, other_ids = {c.id for c in keep.commitments}, {c.id for c in other.commitments}
    paired = [i for pair in plan.pairs for i in pair]
    assert len(paired) == len(set(paired))
    assert all(k in kept_ids and o in other_ids for k, o in plan.pairs)  # the kept letter's id lives on
    # Each promise once: a pair, or one text's own; only the older text's are withdrawn or noted.
    assert {c.text for c in newer.commitments} | {c.text for c in older.commitments} == \
        {c.text for c in keep.commitments + other.commitments}
    assert len(plan.pairs) == len({c.text for c in keep.commitments} & {c.text for c in other.commitments})
    older_only = {c.id for c in older.commitments} - set(paired)
    assert set(plan.withdrawn) | set(plan.noted) <= older_only
    assert set(plan.withdrawn) == {c.id for c in older.commitments if c.id in older_only and c.status == "open"}
    # When the texts change rows, exactly the unpaired commitments follow their text.
    unpaired = (kept_ids | other_ids) - set(paired)
    assert set(plan.moving) == (unpaired if plan.swap else set())
    assert set(plan.arriving) == (unpaired & other_ids if plan.swap else set())


def test_three_letters_merged_into_one_are_split_one_at_a_time(runner, two):
    """A person may merge any two letters (here a third reply, to another proposal, after the
    second); `split` of the letter they went into asks which, and each is split off by its id."""
    (two / "第37号.txt").write_text(letter(37, "李华"), encoding="utf-8")
    assert runner.invoke(app, ["import", str(two / "第37号.txt")]).stdout.splitlines()[0].endswith(", added")
    assert runner.invoke(app, ["docs", "merge", "1", "2"]).exit_code == 0
    assert runner.invoke(app, ["docs", "merge", "1", "3"]).exit_code == 0
    assert [d["id"] for d in json.loads(runner.invoke(app, ["docs", "--json"]).stdout)] == [1]
    result = runner.invoke(app, ["docs", "split", "1"])
    assert result.exit_code == 1
    assert result.stderr.strip() == ("tracker: error: several letters were merged into #1 (#3, #2): name the one "
                                     "to split off")
    assert runner.invoke(app, ["docs", "split", "3"]).exit_code == 0
    assert runner.invoke(app, ["docs", "split", "1"]).exit_code == 0  # the one left: #2
    assert sorted(d["id"] for d in json.loads(runner.invoke(app, ["docs", "--json"]).stdout)) == [1, 2, 3]
    assert {r["status"] for r in rows(runner)} == {"open"}
