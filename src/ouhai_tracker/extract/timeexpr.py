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

from ouhai_tracker.extract.prefilter import guarded
from ouhai_tracker.extract.rules import letters as L
from ouhai_tracker.extract.rules import timepatterns as T

# The value of each digit a number may be written in (二〇二四, 两年, 十二).
CN_DIGITS = {**{zero: 0 for zero in L.YEAR_DIGITS[:4]}, "两": 2, **{d: i for i, d in enumerate(L.CN_DIGITS, 1)}}


@dataclass(frozen=True)
class TimeMention:
    start: int
    end: int
    text: str
    kind: str  # date, vague, none, recurring, since
    due: date | None = None  # for date: end of the period; for recurring: end of the current period
    period: str | None = None  # recurring period, or the precision of a date (day, month, quarter, half, year)
    rule: str = ""
    framed: bool = False  # a month whose year is the one its paragraph named before it (今年…。4月份…)


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
    mask = re.compile(guarded("|".join(f"(?:{p})" for p in T.NOT_TIME_PATTERNS)))
    patterns = [(name, kind, re.compile(guarded(rx))) for name, kind, rx in T.TIME_PATTERNS]
    return mask, patterns


# More digits or numerals in a row than any date or count has: no time, blanked before the patterns
# run, so that none of them is tried at each of its digits (40,000 digits took minutes).
LONG_NUMBER = re.compile(r"[\d〇零一二两三四五六七八九十百千万]{13,}")


def _mask(text: str) -> str:
    mask, _ = _compiled()
    text = LONG_NUMBER.sub(lambda m: "\u3000" * len(m.group()), text)
    return mask.sub(lambda m: "\u3000" * len(m.group()), text)


def find_times(text: str, letter_date: date) -> list[TimeMention]:
    """All time expressions in ``text``, leftmost-longest, resolved against ``letter_date``."""
    masked = _mask(text)
    _, patterns = _compiled()
    candidates: list[tuple[int, int, str, str, re.Match]] = []
    windows_of: dict[tuple[str, ...], list[tuple[int, int]]] = {}  # several patterns share needles (年, 月)
    for name, kind, rx in patterns:
        needles = T.NEEDLES.get(name)
        if needles is not None and needles not in windows_of:
            windows_of[needles] = _windows(masked, needles)
        windows = [(0, len(masked))] if needles is None else windows_of[needles]
        seen: set[tuple[int, int]] = set()
        for lo, hi in windows:
            for m in rx.finditer(masked, lo, hi):
                if m.end() > m.start() and m.span() not in seen:
                    seen.add(m.span())
                    candidates.append((m.start(), -(m.end() - m.start()), name, kind, m))
    candidates.sort(key=lambda c: (c[0], c[1]))
    found: list[TimeMention] = []
    taken_until = -1
    # The year a paragraph names (今年我们计划…。4月份…, 5月份…): its bare months are that year's.
    frame: tuple[int, int] | None = None  # (year, where the paragraph it was named in ends)
    for start, neg_len, name, kind, m in candidates:
        if start < taken_until:
            continue
        if frame is not None and start >= frame[1]:
            frame = None
        mention, year = _resolve(name, kind, m, text, letter_date, frame[0] if frame else None)
        if mention is None:
            continue
        if year is not None and kind == "date":
            end = text.find("\n", start)
            frame = (year, len(text) if end == -1 else end)
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


def _year_of(groups: dict, letter_date: date) -> tuple[int | None, str]:
    """The year a match names (its named groups): explicit, relative (今年/明年) or none."""
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


@dataclass(frozen=True)
class Found:
    """What a resolver sees of one match."""

    groups: dict
    written: str
    year: int | None  # the year the match names (explicit or 今年/明年/次年 …), else None
    year_rule: str
    letter_date: date
    before: str  # the two characters before the match


# A resolver turns a match into (due, period, rule), or None when the match is no time after all.
Resolved = tuple[date | None, str | None, str] | None


def _start_point(f: Found) -> Resolved:
    return None, None, "a starting point, not a deadline"


def _vague(f: Found) -> Resolved:
    return None, None, "vague: default period applies"


def _undated(f: Found) -> Resolved:
    return None, None, "no date: default period applies"


def _recurring(f: Found) -> Resolved:
    if f.before in T.RATE_PREFIXES:
        return None  # 每人每年120元 is a rate
    period = T.RECURRING_WORDS.get(f.groups.get("rec") or "", "unspecified")
    return _recurring_due(period, f.groups, f.letter_date), period, f"recurring ({period}): end of the current period"


def _number(text: str) -> int:
    """A group its pattern reads as a number; one that is none is no time expression (the
    ValueError _resolve catches)."""
    n = cn_number(text)
    if n is None:
        raise ValueError(f"not a number: {text}")
    return n


def _year_range(f: Found) -> Resolved:
    y2 = _number(f.groups["y2"])
    return date(y2, 12, 31), "year", f"range ends {y2}: end of {y2}"


def _five_year_plan(f: Found) -> Resolved:
    ends = T.FIVE_YEAR_PLAN_ENDS[f.groups["plan"]]
    return date(ends, 12, 31), "year", f"{f.groups['plan']} ends {ends}"


def _within(f: Found) -> Resolved:
    n, unit, letter_date = cn_number(f.groups["n"]), f.groups["unit"], f.letter_date
    if not n:
        return None
    if unit == "年":
        due = add_months(letter_date, 12 * n)
    elif unit == "月":
        due = add_months(letter_date, n)
    else:
        due = date.fromordinal(letter_date.toordinal() + (7 * n if unit == "周" else n))
    return due, "day", f"{f.written}: letter date + {n}{unit}"


def _day(f: Found) -> Resolved:
    month, day = _number(f.groups["m"]), _number(f.groups["d"])
    year = f.year if f.year is not None else _month_year(month, f.letter_date)
    return date(year, month, day), "day", "that day"


def _term_start(f: Found) -> Resolved:
    month = _number(f.groups["m"]) if f.groups.get("m") else (3 if "春季" in f.written else 9)
    year = f.year if f.year is not None else _month_year(month, f.letter_date)
    return date(year, month, 1), "day", f"term starts {year}-{month:02d}-01"


def _month(f: Found) -> Resolved:  # 今年1—5月 ends with May
    month = cn_number(f.groups["m"])
    if not month or month > 12:
        return None
    year = f.year if f.year is not None else _month_year(month, f.letter_date)
    edge = f.groups.get("edge") or ""
    if edge in ("初", "上旬"):
        due = date(year, month, 10)
    elif edge == "中旬":
        due = date(year, month, 20)
    else:
        due = _end_of_month(year, month)
    return due, "month", f"end of {year}-{month:02d}"


def _quarter(f: Found) -> Resolved:
    q = _number(f.groups["q"])
    year = f.year if f.year is not None else f.letter_date.year
    return _end_of_month(year, q * 3), "quarter", f"end of Q{q} {year}"


def _half(f: Found) -> Resolved:
    year = f.year if f.year is not None else f.letter_date.year
    month = 6 if f.groups["half"] == "上半年" else 12
    return _end_of_month(year, month), "half", f"end of {f.groups['half']} {year}"


def _year(f: Found) -> Resolved:
    if f.year is None:
        return None
    return date(f.year, 12, 31), "year", f"end of {f.year}" + (f" ({f.year_rule})" if f.year_rule else "")


def _this_month(f: Found) -> Resolved:
    return _end_of_month(f.letter_date.year, f.letter_date.month), "month", "end of the letter's month"


def _half_year(f: Found) -> Resolved:
    return add_months(f.letter_date, 6), "day", "letter date + 6 months"


def _this_year(f: Found) -> Resolved:
    rel = f.groups["rel"]
    year = f.letter_date.year + (1 if rel.startswith("今明两年") else 0)
    return date(year, 12, 31), "year", f"{rel}: end of {year}"


# Every pattern of rules/timepatterns.py, by name, and the function that resolves it (a test
# checks that none is missing).
RESOLVERS = {
    "since-year": _start_point, "since-recent": _start_point, "recurring": _recurring,
    "year-range": _year_range, "ymd": _day, "ym-term": _term_start, "ym-range": _month, "ym": _month,
    "quarter": _quarter, "half": _half, "year": _year, "rel-year": _year, "this-year": _this_year,
    "this-month": _this_month, "half-year": _half_year, "five-year-plan": _five_year_plan, "within": _within,
    "time-taken": _within,
    "vague": _vague, "undated": _undated,
}


def _resolve(name: str, kind: str, m: re.Match, text: str, letter_date: date,
             frame_year: int | None = None) -> tuple[TimeMention | None, int | None]:
    """The mention, and the year it names itself (None when it names none). A month with no
    year of its own takes ``frame_year``, the year its paragraph named before it."""
    try:
        groups = m.groupdict()
        year, year_rule = _year_of(groups, letter_date)
        named = year
        framed = year is None and frame_year is not None and name in T.MONTH_PATTERNS
        if framed:
            year, year_rule = frame_year, f"the year named before it ({frame_year})"
        resolved = RESOLVERS[name](Found(groups, text[m.start():m.end()], year, year_rule, letter_date,
                                         text[max(0, m.start() - 2):m.start()]))
    except (ValueError, TypeError, KeyError):
        return None, None  # an impossible date (13月, 2月30日): not a time expression
    if resolved is None:
        return None, None
    due, period, rule = resolved
    return TimeMention(m.start(), m.end(), text[m.start():m.end()], kind, due, period, rule, framed), named


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
