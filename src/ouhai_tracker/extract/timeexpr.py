"""Find time expressions in text and resolve them against the letter's date.

Pure functions. The patterns live in ``rules/timepatterns.py``; this module
only scans (leftmost-longest, after masking numbers that are not times) and
turns the named groups of a match into a date.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from ouhai_tracker.extract.rules import timepatterns as T

CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass(frozen=True)
class TimeMention:
    start: int
    end: int
    text: str
    kind: str  # date, vague, none, recurring, since
    due: date | None = None  # for date: end of the period; for recurring: end of the current period
    period: str | None = None  # recurring period, or the precision of a date (day, month, quarter, half, year)
    rule: str = ""

    def is_past(self, letter_date: date) -> bool:
        return self.kind == "date" and self.due is not None and self.due < letter_date


def cn_number(text: str) -> int | None:
    """'12' -> 12, '十二' -> 12, '二〇二四' -> 2024, '三' -> 3, '二十一' -> 21."""
    if text.isdigit():
        return int(text)
    if all(ch in CN_DIGITS for ch in text):  # digit by digit: 二〇二四
        value = 0
        for ch in text:
            value = value * 10 + CN_DIGITS[ch]
        return value
    total, current = 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


@lru_cache(maxsize=1)
def _compiled():
    mask = re.compile("|".join(f"(?:{p})" for p in T.NOT_TIME_PATTERNS))
    patterns = [(name, kind, re.compile(rx)) for name, kind, rx in T.TIME_PATTERNS]
    return mask, patterns


def _mask(text: str) -> str:
    mask, _ = _compiled()
    return mask.sub(lambda m: "\u3000" * len(m.group()), text)


def find_times(text: str, letter_date: date) -> list[TimeMention]:
    """All time expressions in ``text``, leftmost-longest, resolved against ``letter_date``."""
    masked = _mask(text)
    _, patterns = _compiled()
    candidates: list[tuple[int, int, str, str, re.Match]] = []
    for name, kind, rx in patterns:
        needles = T.NEEDLES.get(name)
        windows = [(0, len(masked))] if needles is None else _windows(masked, needles)
        seen: set[tuple[int, int]] = set()
        for lo, hi in windows:
            for m in rx.finditer(masked, lo, hi):
                if m.end() > m.start() and m.span() not in seen:
                    seen.add(m.span())
                    candidates.append((m.start(), -(m.end() - m.start()), name, kind, m))
    candidates.sort(key=lambda c: (c[0], c[1]))
    found: list[TimeMention] = []
    taken_until = -1
    for start, neg_len, name, kind, m in candidates:
        if start < taken_until:
            continue
        mention = _resolve(name, kind, m, text, letter_date)
        if mention is None:
            continue
        found.append(mention)
        taken_until = start - neg_len
    return found


def _windows(masked: str, needles: tuple[str, ...]) -> list[tuple[int, int]]:
    """Stretches of text around each needle, merged: a pattern that needs 月 is only run near one.

    Scanning a whole letter with every pattern was most of the extraction's time; a match always
    holds its needle within T.REACH characters of either end, so nothing outside is lost.
    """
    before, after = T.REACH
    spans = []
    for needle in needles:
        i = masked.find(needle)
        while i != -1:
            spans.append((max(0, i - before), min(len(masked), i + len(needle) + after)))
            i = masked.find(needle, i + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(d: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has no such day."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _year_of(m: re.Match, letter_date: date) -> tuple[int | None, str]:
    """The year a match names: explicit, relative (今年/明年) or none."""
    groups = m.groupdict()
    if groups.get("y"):
        return cn_number(groups["y"]), "explicit year"
    rel = groups.get("rel")
    if rel:
        if rel.startswith("明") or rel.startswith("次"):
            return letter_date.year + 1, f"{rel} = {letter_date.year + 1}"
        if rel.startswith("后"):
            return letter_date.year + 2, f"{rel} = {letter_date.year + 2}"
        if rel.startswith("今明两年"):
            return letter_date.year + 1, f"{rel} = end of {letter_date.year + 1}"
        return letter_date.year, f"{rel} = {letter_date.year}"
    return None, ""


def _month_year(month: int, letter_date: date) -> int:
    """A month without a year is the next such month on or after the letter's date."""
    return letter_date.year if month >= letter_date.month else letter_date.year + 1


def _resolve(name: str, kind: str, m: re.Match, text: str, letter_date: date) -> TimeMention | None:
    start, end = m.start(), m.end()
    written = text[start:end]
    g = m.groupdict()

    def mention(due: date | None, period: str | None, rule: str, k: str = kind) -> TimeMention:
        return TimeMention(start, end, written, k, due, period, rule)

    if kind == "since":
        return mention(None, None, "a starting point, not a deadline")
    if kind == "vague":
        return mention(None, None, "vague: default period applies")
    if kind == "none":
        return mention(None, None, "no date: default period applies")
    if kind == "recurring":
        prefix = text[max(0, start - 2):start]
        if prefix in T.RATE_PREFIXES:
            return None  # 每人每年120元 is a rate
        period = T.RECURRING_WORDS.get(g.get("rec") or "", "unspecified")
        due = _recurring_due(period, g, letter_date)
        return mention(due, period, f"recurring ({period}): end of the current period")

    try:
        year, year_rule = _year_of(m, letter_date)
        if name == "year-range":
            y2 = cn_number(g["y2"])
            return mention(date(y2, 12, 31), "year", f"range ends {y2}: end of {y2}")
        if name == "five-year-plan":
            ends = {"十三五": 2020, "十四五": 2025, "十五五": 2030}[g["plan"]]
            return mention(date(ends, 12, 31), "year", f"{g['plan']} ends {ends}")
        if name == "within":
            n = cn_number(g["n"])
            unit = g["unit"]
            if n is None or n == 0:
                return None
            if unit == "年":
                due = add_months(letter_date, 12 * n)
            elif unit == "月":
                due = add_months(letter_date, n)
            elif unit == "周":
                due = date.fromordinal(letter_date.toordinal() + 7 * n)
            else:
                due = date.fromordinal(letter_date.toordinal() + n)
            return mention(due, "day", f"{written}: letter date + {n}{unit}")
        if name in ("ymd",):
            month, day = cn_number(g["m"]), cn_number(g["d"])
            y = year if year is not None else _month_year(month, letter_date)
            return mention(date(y, month, day), "day", "that day")
        if name == "ym-term":
            month = cn_number(g["m"]) if g.get("m") else 9
            if "春季" in written and not g.get("m"):
                month = 3
            y = year if year is not None else _month_year(month, letter_date)
            return mention(date(y, month, 1), "day", f"term starts {y}-{month:02d}-01")
        if name in ("ym", "ym-range"):  # 今年1—5月 ends with May
            month = cn_number(g["m"])
            if not month or month > 12:
                return None
            y = year if year is not None else _month_year(month, letter_date)
            edge = g.get("edge") or ""
            if edge in ("初", "上旬"):
                due = date(y, month, 10)
            elif edge == "中旬":
                due = date(y, month, 20)
            else:
                due = _end_of_month(y, month)
            return mention(due, "month", f"end of {y}-{month:02d}")
        if name == "quarter":
            q = cn_number(g["q"])
            y = year if year is not None else letter_date.year
            return mention(_end_of_month(y, q * 3), "quarter", f"end of Q{q} {y}")
        if name == "half":
            y = year if year is not None else letter_date.year
            month = 6 if g["half"] == "上半年" else 12
            return mention(_end_of_month(y, month), "half", f"end of {g['half']} {y}")
        if name in ("year", "rel-year"):
            if year is None:
                return None
            return mention(date(year, 12, 31), "year", f"end of {year}" + (f" ({year_rule})" if year_rule else ""))
        if name == "this-month":
            return mention(_end_of_month(letter_date.year, letter_date.month), "month", "end of the letter's month")
        if name == "half-year":
            return mention(add_months(letter_date, 6), "day", "letter date + 6 months")
        if name == "this-year":
            rel = g["rel"]
            y = letter_date.year + (1 if rel.startswith("今明两年") else 0)
            return mention(date(y, 12, 31), "year", f"{rel}: end of {y}")
    except (ValueError, TypeError, KeyError):
        return None  # an impossible date (13月, 2月30日): not a time expression
    return None


def _recurring_due(period: str, g: dict, letter_date: date) -> date:
    """End of the period that contains the letter's date (or the anchor inside it)."""
    if g.get("m"):
        month = cn_number(g["m"])
        if month and 1 <= month <= 12:
            y = _month_year(month, letter_date)
            return _end_of_month(y, month)
    if g.get("term"):
        return date(_month_year(9, letter_date), 9, 1)
    y, mth = letter_date.year, letter_date.month
    if period == "month":
        return _end_of_month(y, mth)
    if period == "quarter":
        return _end_of_month(y, ((mth - 1) // 3 + 1) * 3)
    if period == "half":
        return _end_of_month(y, 6 if mth <= 6 else 12)
    if period == "week":
        return date.fromordinal(letter_date.toordinal() + 6 - letter_date.weekday())
    if period == "term":
        return date(y, 1, 31) if mth == 1 else (date(y, 7, 15) if mth <= 7 else date(y + 1, 1, 31))
    return date(y, 12, 31)
