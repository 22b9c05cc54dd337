"""Dates and times as a person types them (--as-of, --due-before, --on, --all-since …), read or refused.

Plain: the filters' checks (store/filter.py) and the fast paths use them without the service.
"""
from __future__ import annotations

import re
from datetime import date, datetime

from ouhai_tracker.errors import BadOption
from ouhai_tracker.i18n import _
from ouhai_tracker.store.limits import FIRST_DAY, LAST_DAY


def in_range(day: date) -> bool:
    return date.fromisoformat(FIRST_DAY) <= day <= date.fromisoformat(LAST_DAY)


def as_date(value: date | str | None, what: str = "date") -> date | None:
    """``value`` as a date; a malformed string is BadInput naming the option it came from."""
    if value is None or isinstance(value, date):
        return value
    # 2024-06-30, and as people write dates in Chinese: 2024年6月30日, 2024/6/30, 2024.6.30 (ASCII digits)
    match = re.fullmatch(r"\s*(\d{4})(?:-(\d{1,2})-(\d{1,2})|年(\d{1,2})月(\d{1,2})[日号]?|/(\d{1,2})/(\d{1,2})|"
                         r"\.(\d{1,2})\.(\d{1,2}))\s*", value, re.ASCII)
    try:
        day = date(*(int(part) for part in match.groups() if part is not None)) if match else None
    except ValueError:
        day = None
    if day is not None and not in_range(day):
        raise BadOption(_("bad {what} {value!r}: expected a day from {first} to {last}").format(
            what=what, value=value, first=FIRST_DAY, last=LAST_DAY))
    if day is not None:
        return day
    raise BadOption(_("bad {what} {value!r}: expected a date as YYYY-MM-DD, e.g. 2024-06-30").format(
        what=what, value=value))


def as_of_day(value: date | str | None) -> date:
    """The day a listing or a report is judged on: ``value`` (--as-of) read, or today."""
    return as_date(value, "--as-of") or date.today()


def as_datetime(value: datetime | date | str, what: str = "time") -> datetime:
    """``value`` as a local time: 'YYYY-MM-DD' (its midnight), 'YYYY-MM-DD HH:MM[:SS]' or with a T."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if re.fullmatch(r"\s*\d{4}-\d{1,2}-\d{1,2}\s*", value):
        day = as_date(value, what)
        assert day is not None  # a string is a date or BadInput
        return as_datetime(day)
    try:
        if re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?\s*", value, re.ASCII):
            as_date(value.strip()[:10], what)
            return datetime.fromisoformat(value.strip())
    except ValueError:
        pass
    raise BadOption(_("bad {what} {value!r}: expected a day or a time, e.g. 2025-03-01 or '2025-03-01 14:30'").format(
        what=what, value=value))
