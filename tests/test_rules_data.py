"""The rule tables checked as data, one row a test (as dateparser checks its language data):
every time pattern has a resolver and an example, every vocabulary list is read by something."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ouhai_tracker.extract import owners
from ouhai_tracker.extract.model import Department
from ouhai_tracker.extract.rules import cues as C
from ouhai_tracker.extract.rules import departments as R
from ouhai_tracker.extract.rules import timepatterns as T
from ouhai_tracker.extract.timeexpr import RESOLVERS, find_times

LETTER_DATE = date(2023, 6, 16)

# One example per pattern: (text, kind, due) resolved against LETTER_DATE.
EXAMPLES = {
    "since-year": ("2024年起", "since", None),
    "since-recent": ("近年来", "since", None),
    "recurring": ("每季度", "recurring", date(2023, 6, 30)),
    "year-range": ("2024—2025年", "date", date(2025, 12, 31)),
    "ymd": ("2023年8月7日", "date", date(2023, 8, 7)),
    "ym-term": ("2024年9月开学前", "date", date(2024, 9, 1)),
    "ym-range": ("今年1—5月", "date", date(2023, 5, 31)),
    "ym": ("8月中旬", "date", date(2023, 8, 20)),
    "quarter": ("今年第四季度", "date", date(2023, 12, 31)),
    "half": ("明年上半年", "date", date(2024, 6, 30)),
    "year": ("2024年底前", "date", date(2024, 12, 31)),
    "rel-year": ("次年底前", "date", date(2024, 12, 31)),
    "this-year": ("年内", "date", date(2023, 12, 31)),
    "this-month": ("本月底前", "date", date(2023, 6, 30)),
    "half-year": ("半年内", "date", date(2023, 12, 16)),
    "five-year-plan": ("“十四五”期间", "date", date(2025, 12, 31)),
    "within": ("3年内", "date", date(2026, 6, 16)),
    "time-taken": ("利用2年时间", "date", date(2025, 6, 16)),
    "vague": ("尽快", "vague", None),
    "undated": ("下一步", "none", None),
}


def test_every_pattern_has_a_resolver_and_every_resolver_a_pattern():
    assert all(isinstance(row, T.TimePattern) and row.kind in ("date", "vague", "none", "recurring", "since")
               for row in T.TIME_PATTERNS)
    names = [row.name for row in T.TIME_PATTERNS]
    assert len(names) == len(set(names))
    assert set(names) == set(RESOLVERS)


def test_every_pattern_has_an_example():
    assert {name for name, _, _ in T.TIME_PATTERNS} == set(EXAMPLES)


@pytest.mark.parametrize("name", [name for name, _, _ in T.TIME_PATTERNS])
def test_each_pattern_resolves_its_example(name):
    text, kind, due = EXAMPLES[name]
    [found] = find_times(text, LETTER_DATE)
    assert (found.text, found.kind, found.due) == (text, kind, due)


@pytest.mark.parametrize("word", T.VAGUE_WORDS)
def test_each_vague_word(word):
    assert [t.kind for t in find_times(f"我局将{word}推进", LETTER_DATE)] == ["vague"]


@pytest.mark.parametrize("word", list(T.UNDATED_WORDS))
def test_each_undated_word(word):
    assert [t.kind for t in find_times(f"{word}，我局将推进", LETTER_DATE)] == ["none"]


@pytest.mark.parametrize(("word", "period"), list(T.RECURRING_WORDS.items()))
def test_each_recurring_word(word, period):
    [found] = find_times(f"{word}开展一次检查", LETTER_DATE)
    assert (found.kind, found.period) == ("recurring", period)


@pytest.mark.parametrize("word", R.SELF_WORDS)
def test_each_self_word_is_the_replying_unit(word):
    replying = Department("江州市临湖区教育局", "临湖区教育局", "区")
    [actor] = owners.actors(f"{word}将加强管理", [], replying, {})
    assert actor.text == word and (actor.department is replying or word == "我们")


@pytest.mark.parametrize(("word", "level"), list(R.PLACE_SELF.items()))
def test_each_place_word_is_that_places_government(word, level):
    [actor] = owners.actors(f"{word}将加强管理", [], None, {level: "江州" + level})
    assert actor.department.name == f"江州{level}" + ("办事处" if level == "街道" else "人民政府")


@pytest.mark.parametrize("table", ["STRONG_CUES", "WEAK_CUES", "PAST_MARKERS", "PAST_PLAN", "CONDITIONS",
                                   "QUALIFIED_CONDITIONS"])
def test_every_cue_compiles_and_holds_no_empty_match(table):
    for rx in getattr(C, table):
        assert not re.compile(rx).fullmatch(""), rx


# Clauses shaped like the condition patterns: a lead (start, a mark their lookbehinds ask for,
# 一是), a cue, ordinary words, the word a condition ends on, what follows; and pieces at random.
LEADS = ["", "我局", "，", "。", "：", "\n", "一是", "二是", "期"]
CUES = ["待", "若", "如", "如果", "只要", "一旦", "视", "在", "对于", "对", "针对", "条件成熟", "时机成熟", "条件具备", "具备条件",
        "有条件", ""]
WORDS = ["项目", "资金", "我局", "完成", "未", "没有", "尚未", "符合", "需要", "有", "的", "2024", "年", "成熟"]
ENDS = ["后", "之后", "前", "之前", "的前提下", "情况", "进展", "确定后", "批准后", "到位后", "成立后", "成熟", "的",
        "的路口", ""]
TAILS = ["", "，", ",", "再", "即可", "方可", "而定", "。"]
CLAUSES = st.tuples(st.sampled_from(LEADS), st.sampled_from(CUES), st.lists(st.sampled_from(WORDS), max_size=4),
                    st.sampled_from(ENDS), st.sampled_from(TAILS)).map(lambda t: t[0] + t[1] + "".join(t[2]) + t[3] + t[4])
PIECES = st.lists(st.sampled_from(LEADS + CUES + WORDS + ENDS + TAILS), max_size=14).map("".join)


@settings(max_examples=2000, deadline=None)
@given(st.one_of(CLAUSES, PIECES))
def test_the_quick_test_for_conditions_misses_none(text):
    # It looks only where CONDITION_START says a condition can start: a new condition pattern
    # opening elsewhere must be added there, or this fails.
    from ouhai_tracker.extract import deadlines

    if any(rx.search(text) for rx, _ in deadlines._condition_res()):
        assert deadlines._any_condition().search(text), text


GUARDED = [rx for _, _, rx in T.TIME_PATTERNS] + list(T.NOT_TIME_PATTERNS) + [C.POLICY_GRANT, *C.CONDITIONS]
SEED_TEXT = (Path(__file__).resolve().parent.parent / "seeds" / "000_f0f5a9deaa56be68.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("pattern", GUARDED)
def test_a_guarded_pattern_finds_what_the_pattern_finds_in_the_seed_letter(pattern):
    from ouhai_tracker.extract.prefilter import guarded

    assert [m.span() for m in re.finditer(guarded(pattern), SEED_TEXT)] == [
        m.span() for m in re.finditer(pattern, SEED_TEXT)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(sorted(set(SEED_TEXT[:1500]))), max_size=40).map("".join))
def test_a_guarded_pattern_finds_what_the_pattern_finds_anywhere(text):
    from ouhai_tracker.extract.prefilter import guarded

    for pattern in GUARDED:
        assert [m.span() for m in re.finditer(guarded(pattern), text)] == [
            m.span() for m in re.finditer(pattern, text)], pattern


SOURCE = Path(__file__).resolve().parent.parent / "src" / "ouhai_tracker"


def test_numerals_and_item_markers_are_declared_once():
    # The digits one to nine and the item markers live in rules/letters.py; a module that spells
    # them out again keeps a second list that can drift from the first (〇 written 0, ⑴ beside ①).
    from ouhai_tracker.extract.rules import letters as L

    spelled = [str(path.relative_to(SOURCE)) for path in SOURCE.rglob("*.py")
               if path.name != "letters.py" and any(word in path.read_text(encoding="utf-8")
                                                     for word in (L.CN_DIGITS, "①②③"))]
    assert spelled == []


@pytest.mark.parametrize(("marker", "item"), [
    ("一是", True), ("（三）", True), ("(12)", True), ("3.", True), ("4、", True), ("⑤", True), ("⑵", True),
    ("十一、", True), ("第二，", True), ("3.5", False), ("2023年", False),
])
def test_item_markers(marker, item):
    assert bool(re.match(C.ITEM_MARKER, marker + "加强管理")) is item


@pytest.mark.parametrize("line", ["索引号：11330304/2023-001", "【打印】", "当前位置：首页 > 政务公开", "Copyright © 2023",
                                  "来源：区教育局", "上一篇：关于…的答复"])
def test_a_page_furniture_line_is_furniture_to_the_reader_and_to_the_extractor_alike(line):
    from ouhai_tracker.extract.commitments import FURNITURE
    from ouhai_tracker.readers import html

    assert FURNITURE.match(line) and html._is_furniture(line)


def test_every_rule_table_is_read():
    # A list in extract/rules/ that no code reads is vocabulary a person may edit to no effect.
    sources = {path: path.read_text(encoding="utf-8") for path in SOURCE.rglob("*.py")}
    unread = []
    for path in (SOURCE / "extract" / "rules").glob("*.py"):
        for name in re.findall(r"^([A-Z][A-Z0-9_]+)\s*[:=]", sources[path], flags=re.M):
            word = re.compile(rf"\b{name}\b")
            uses = sum(len(word.findall(text)) for text in sources.values())
            if uses < 2:  # its definition, and at least one reader
                unread.append(f"{path.name}: {name}")
    assert unread == []


def test_the_department_tables_are_rows_that_agree():
    # One row a class, each name a full name with its short forms; no short form or stem may stand
    # for two bodies (住建局 is one name's short form), no key or local form may be given twice.
    assert all(isinstance(f, R.Function) and all(isinstance(n, R.Name) for n in f.names) for f in R.FUNCTIONS)
    keys = [f.key for f in R.FUNCTIONS]
    assert len(keys) == len(set(keys))
    meaning: dict[str, set] = {}
    for f in R.FUNCTIONS:
        for name in f.names:
            for form in (name.full, *name.shorts):
                meaning.setdefault(form, set()).add((f.key, name.full))
    assert {form: m for form, m in meaning.items() if len(m) > 1} == {}
    stems = [stem for f in R.FUNCTIONS for stem in f.stems]
    assert len(stems) == len(set(stems))
    local_forms = [form for bodies in R.LOCAL_BODIES for form in bodies.forms]
    assert len(local_forms) == len(set(local_forms))


@pytest.mark.parametrize("pattern", GUARDED + ["|".join(words) for words in (
    C.STRONG_CUES, C.WEAK_CUES, C.PAST_MARKERS, C.BOILERPLATE)] + [C.THANKS_FIELD])
def test_a_pattern_the_engine_would_try_everywhere_gets_its_guard(pattern):
    # The guard is read from the pattern's own words and classes: a rule written in a way that
    # reader does not follow would lose it silently, and extraction would slow down.
    from ouhai_tracker.extract.prefilter import first_characters, guarded, opens_plainly

    if pattern in C.CONDITIONS:  # read by their own quick test (deadlines.CONDITION_START)
        return
    assert opens_plainly(pattern) or (first_characters(pattern) and guarded(pattern) != pattern)
