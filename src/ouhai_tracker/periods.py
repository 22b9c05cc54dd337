"""Periods of recurring commitments (每月, 每季度, 每年 …) and the due date they roll forward to.

A recurring commitment keeps in the database the end of the period it was extracted for, or
the next one after the last period a person marked done. When that day has passed, the
promise is not overdue: it is due at the end of the period containing the as-of day. That
effective due date is computed in SQL by the read layer (store/read.py), so filters and the
order of every listing use it on both read paths; the candidate dates it chooses from come
from ``period_params`` here, and ``effective_due`` is the same rule in Python for the writes
(closing a period). Periods end on month ends in step with the stored date (a quarter that
ended on 2021-06-30 is followed by 09-30, 12-31, 03-31 …); a week's in step with its weekday.

No SQLAlchemy here: the stdlib paths (store/fastread.py, store/change_plan.py) import it.
"""
from __future__ import annotations

import calendar
from datetime import date, timedelta

from ouhai_tracker.extract.model import RECURRING

# How far one period reaches, in months (a week is 7 days; a period not named is a year).
PERIOD_MONTHS = {"month": 1, "quarter": 3, "half": 6, "term": 6, "year": 12, "unspecified": 12}
MONTH_STEPS = sorted(set(PERIOD_MONTHS.values()))  # 1, 3, 6, 12: each divides a year
WEEK = "week"


def months_of(period: str | None) -> int:
    return PERIOD_MONTHS.get(period or "unspecified", 12)


def month_end(index: int) -> date:
    """The last day of the month ``index`` months after January of year 0."""
    year, month = divmod(index, 12)
    return date(year, month + 1, calendar.monthrange(year, month + 1)[1])


def next_period_end(due: date, period: str | None) -> date:
    """The end of the period after the one ending ``due`` (2024-03-31, quarter -> 2024-06-30)."""
    if period == WEEK:
        return due + timedelta(days=7)
    return month_end(due.year * 12 + due.month - 1 + months_of(period))


def weekday(day: date) -> int:
    """0 Sunday … 6 Saturday, as SQL's extract(dow) counts."""
    return (day.weekday() + 1) % 7


def param_name(period: str | None, due: date) -> str:
    """The name of the candidate date a recurring commitment stored as due ``due`` rolls to."""
    if period == WEEK:
        return f"week_{weekday(due)}"
    months = months_of(period)
    return f"months{months}_{(due.month - 1) % months}"


def period_params(today: date) -> dict[str, date]:
    """For each period length and each alignment of its ends, the end of the period containing
    ``today``: months3_1 is the end of the quarter containing today among the quarters ending in
    Feb, May, Aug and Nov; week_0 is the first Sunday on or after today."""
    params = {}
    current = today.year * 12 + today.month - 1
    for months in MONTH_STEPS:
        for remainder in range(months):
            index = current + (remainder - current) % months  # the first month on or after today's in step
            params[f"months{months}_{remainder}"] = month_end(index)
    for day in range(7):
        params[f"week_{day}"] = today + timedelta(days=(day - weekday(today)) % 7)
    return params


def effective_due(due: date | None, kind: str | None, period: str | None, status: str | None,
                  today: date) -> date | None:
    """The due date a commitment is judged by on ``today``: an open recurring one whose stored
    period has ended is due at the end of the period containing today; anything else as stored."""
    if due is None or kind != RECURRING or status != "open" or due >= today:
        return due
    return period_params(today)[param_name(period, due)]


def period_containing(due: date, period: str | None, day: date) -> date:
    """The end of the period containing ``day``, among the periods in step with ``due``."""
    return period_params(day)[param_name(period, due)]
