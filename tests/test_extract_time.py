"""Time expressions resolved against the letter's date (the genre's deadline conventions), one per line."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ouhai_tracker.extract.timeexpr import cn_number, find_times

LETTER = date(2023, 7, 12)  # a Wednesday

DATES = [
    ("2024年底前", "2024-12-31"),
    ("2024年年底前", "2024-12-31"),
    ("2024年底", "2024-12-31"),
    ("2024年6月底前", "2024-06-30"),
    ("2024年6月", "2024-06-30"),
    ("今年年底前", "2023-12-31"),
    ("今年底", "2023-12-31"),
    ("年底前", "2023-12-31"),
    ("年内", "2023-12-31"),
    ("今年内", "2023-12-31"),
    ("本年度内", "2023-12-31"),
    ("今年", "2023-12-31"),
    ("明年", "2024-12-31"),
    ("明年上半年", "2024-06-30"),
    ("明年下半年", "2024-12-31"),
    ("明年底前", "2024-12-31"),
    ("后年", "2025-12-31"),
    ("今明两年", "2024-12-31"),
    ("到2025年", "2025-12-31"),
    ("2025年前", "2025-12-31"),
    ("至2026年底", "2026-12-31"),
    ("3年内", "2026-07-12"),
    ("三年内", "2026-07-12"),
    ("两年内", "2025-07-12"),
    ("6个月内", "2024-01-12"),
    ("六个月内", "2024-01-12"),
    ("利用2年时间", "2025-07-12"),
    ("用三个月时间", "2023-10-12"),
    ("30天内", "2023-08-11"),
    ("2024年9月开学前", "2024-09-01"),
    ("9月开学前", "2023-09-01"),
    ("秋季开学前", "2023-09-01"),
    ("今年9月底前", "2023-09-30"),
    ("8月底前", "2023-08-31"),
    ("3月底前", "2024-03-31"),  # March has passed: next March
    ("10月", "2023-10-31"),
    ("9月中旬", "2023-09-20"),
    ("10月上旬", "2023-10-10"),
    ("今年三季度", "2023-09-30"),
    ("第四季度", "2023-12-31"),
    ("2024年第一季度", "2024-03-31"),
    ("上半年", "2023-06-30"),
    ("下半年", "2023-12-31"),
    ("2024年上半年", "2024-06-30"),
    ("二〇二四年底前", "2024-12-31"),
    ("二〇二四年六月底前", "2024-06-30"),
    ("二○二四年底前", "2024-12-31"),  # ○ (a circle) and 0 for 〇, as pages print it
    ("二0二四年六月底前", "2024-06-30"),
    ("十二月底前", "2023-12-31"),
    ("2024—2025年", "2025-12-31"),
    ("2024-2025年", "2025-12-31"),
    ("2024年至2025年", "2025-12-31"),
    ("“十四五”期间", "2025-12-31"),
    ("十四五末", "2025-12-31"),
    ("2023年11月15日前", "2023-11-15"),
    ("11月15日", "2023-11-15"),
    ("2023年5月19日", "2023-05-19"),  # a past day resolves too: callers see it is past
    ("今年1—5月", "2023-05-31"),  # a range of months ends with its last month
    ("月底前", "2023-07-31"),
    ("半年内", "2024-01-12"),
]


@pytest.mark.parametrize(("written", "due"), DATES)
def test_dates(written, due):
    found = find_times(written, LETTER)
    assert [(t.text, t.kind, str(t.due)) for t in found] == [(written, "date", due)]


@pytest.mark.parametrize("written", ["近期", "尽快", "抓紧", "适时", "尽早"])
def test_vague(written):
    assert [(t.text, t.kind) for t in find_times(written, LETTER)] == [(written, "vague")]


@pytest.mark.parametrize("written", ["下一步", "今后", "下阶段"])
def test_undated(written):
    assert [(t.text, t.kind) for t in find_times(written, LETTER)] == [(written, "none")]


@pytest.mark.parametrize(("written", "period", "due"), [
    ("每年", "year", "2023-12-31"),
    ("每季度", "quarter", "2023-09-30"),
    ("每月", "month", "2023-07-31"),
    ("每半年", "half", "2023-12-31"),
    ("每周", "week", "2023-07-16"),
    ("每学期", "term", "2023-07-15"),  # the spring term ends mid-July
    ("定期", "unspecified", "2023-12-31"),
    ("常态化", "unspecified", "2023-12-31"),
    ("每年3月底前", "year", "2024-03-31"),
    ("每学期开学前后", "term", "2023-09-01"),
])
def test_recurring(written, period, due):
    found = find_times(written, LETTER)
    assert [(t.text, t.kind, t.period, str(t.due)) for t in found] == [(written, "recurring", period, due)]


@pytest.mark.parametrize("written", ["今年起", "从2024年起", "2018年以来", "近年来", "近三年", "今年以来"])
def test_starting_points_are_not_deadlines(written):
    assert [t.kind for t in find_times(written, LETTER)] == ["since"]


@pytest.mark.parametrize("text", [
    "瓯委改发〔2023〕1号文件",  # a document number
    "对40周岁以下博士给予补贴",  # an age
    "对毕业5年内的本科生",  # an eligibility period
    "《数字经济一号发展工程》",  # a title
    "《三年行动计划（2021-2023）》",
    "保洁服务费按每户每年150元标准收取",  # a rate
    "审批时限压缩至20个工作日",  # a procedure's duration
])
def test_numbers_that_are_not_deadlines(text):
    assert find_times(text, LETTER) == []


def test_offsets_slice_the_text():
    text = "下一步，我局将于2024年6月底前完成，并每年开展一次检查。"
    for t in find_times(text, LETTER):
        assert text[t.start:t.end] == t.text


@pytest.mark.parametrize(("written", "value"), [("12", 12), ("十二", 12), ("二〇二四", 2024), ("三", 3),
                                                 ("二十一", 21), ("两", 2), ("十", 10)])
def test_chinese_numbers(written, value):
    assert cn_number(written) == value


# Scanning only near each pattern's key characters must find exactly what a scan of the whole
# text finds: checked on text made of the characters time expressions are built from.
TIME_ALPHABET = list("0123456789〇一二两三四五六七八九十年月日号季度底末前内今明后本半上下开学秋春起以来每周定期近尽快适时第到至—-，。的了已将") + ["“十四五”期间", "下一步", "今后"]


def _full_scan(text):
    from ouhai_tracker.extract.rules import timepatterns

    saved = dict(timepatterns.NEEDLES)
    timepatterns.NEEDLES.clear()
    try:
        return find_times(text, LETTER)
    finally:
        timepatterns.NEEDLES.update(saved)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TIME_ALPHABET), max_size=80).map("".join))
def test_windowed_scan_finds_what_a_full_scan_finds(text):
    assert find_times(text, LETTER) == _full_scan(text)
