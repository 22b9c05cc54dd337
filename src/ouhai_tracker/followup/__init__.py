"""Following up: what class marks mean, evidence, the calendar; reports in followup/report.py.

Plain functions on plain data; the Tracker (tracker.py) reads and writes the database.

Outcomes follow the promise trackers (PolitiFact's, Polimeter): the outcome is a verdict
kept apart from the status (the work state) and from the letter's own class mark (the
department grading itself); every change is dated and may carry evidence; "not yet rated"
is no verdict, not "no progress" (that is ``stalled``).

Settings (``tracker config``) live in the database's ``settings`` table, so everyone using
one database sees the same meaning of each class mark:

    class.A, class.B, class.C, ...   what the letter's class mark means here
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from ouhai_tracker.errors import BadOption
from ouhai_tracker.i18n import N_, _

# What A/B/C mean where the tracker was first used; a district sets its own with `tracker config set`.
DEFAULT_SETTINGS = {
    "class.A": "所提问题已经解决或基本解决、建议已采纳",
    "class.B": "所提问题正在解决或已列入计划逐步解决",
    "class.C": "因条件限制或其他原因暂时无法解决",
}
_KEY = re.compile(r"class\.[A-Za-z]")


def setting_key(key: str) -> str:
    """class.b -> class.B; anything else is not a setting."""
    key = key.strip()
    if not _KEY.fullmatch(key):
        raise BadOption(_("unknown setting {key!r}: settings are class.A, class.B, class.C … "
                          "(what each class mark means)").format(key=key))
    return f"class.{key[-1].upper()}"


def settings_rows(stored: dict[str, str]) -> list[dict]:
    """Every setting, set or default (the tracker's own rows, such as database.id, are no settings)."""
    stored = {k: v for k, v in stored.items() if _KEY.fullmatch(k)}
    keys = sorted({*DEFAULT_SETTINGS, *stored})
    return [{"key": k, "value": stored.get(k, DEFAULT_SETTINGS.get(k)),
             "source": N_("set") if k in stored else N_("default")} for k in keys]


def class_meanings(stored: dict[str, str]) -> dict[str, str]:
    return {**DEFAULT_SETTINGS, **stored}


def class_meaning(mark: str | None, meanings: dict[str, str]) -> str | None:
    if not mark:
        return None
    value = mark.strip().removesuffix("类").strip().upper()
    return meanings.get(f"class.{value}") if value else None


def link_rating(outcome: str, due, on) -> str:
    """The outcome a commitment is rated when a person accepts a link as ``outcome``: kept, partly
    kept; not kept is broken once its due date had passed by the document's day, else stalled, as
    is a promise made again with nothing reported of it."""
    from ouhai_tracker.store.states import BROKEN, KEPT, PARTLY_KEPT, STALLED

    if outcome == "kept":
        return KEPT
    if outcome == "partly":
        return PARTLY_KEPT
    if outcome == "not_kept" and due is not None and on is not None and due < on:
        return BROKEN
    return STALLED


def evidence_reference(value: str | None) -> str | None:
    """A URL as given; a file that exists here as its absolute path, so the link still works from elsewhere."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", value):
        return value
    path = Path(value).expanduser()
    return str(path.resolve()) if path.exists() else value


MAX_REMIND = timedelta(days=365)


def remind_before(value: str) -> timedelta | None:
    """How long before its due day an event reminds: '7d', '12h', '7' (days); '0' for no reminder."""
    match = re.fullmatch(r"\s*(\d{1,6})\s*([dDhH]?)\s*", value or "")
    if match:
        amount = int(match.group(1))
        before = timedelta(hours=amount) if match.group(2).lower() == "h" else timedelta(days=amount)
        if before <= MAX_REMIND:
            return before or None
    raise BadOption(_("bad --remind {value!r}: expected days or hours before the due day such as 7d or 12h "
                      "(0: no reminder), at most {days}d").format(value=value, days=MAX_REMIND.days))


def recurrence(period: str | None, due: date) -> dict:
    """The RRULE of a recurring commitment's events: every period, on the last day of the month
    when its periods end on month ends (FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1 for a quarter)."""
    from ouhai_tracker.periods import WEEK, months_of

    if period == WEEK:
        return {"freq": "weekly"}
    rule: dict[str, str | int] = {"freq": "monthly"}
    if months_of(period) > 1:
        rule["interval"] = months_of(period)
    if (due + timedelta(days=1)).day == 1:  # else a 31st would skip the months without one
        rule["bymonthday"] = -1
    return rule


def ics(rows: list[dict], database_id: str, remind: timedelta | None = None) -> bytes:
    """An iCalendar file: one all-day event per commitment row on its due date; a recurring one
    repeats every period (RRULE) from its current period's end. With ``remind``, every event
    has a reminder (VALARM) that long before its day.

    The UID is the commitment's id and the database's own random id: stable, so importing the
    file again updates the events instead of doubling them, and never the UID of an event from
    another database.
    """
    from icalendar import Alarm, Calendar, Event

    from ouhai_tracker.extract.model import RECURRING

    calendar = Calendar()
    calendar.add("prodid", "-//ouhai-tracker//commitments//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "答复函承诺事项")
    stamp = _utc_now()
    for row in rows:
        due = date.fromisoformat(row["due"])
        event = Event()
        event.add("uid", f"commitment-{row['id']}-{database_id}@ouhai-tracker")
        event.add("dtstamp", stamp)
        event.add("dtstart", due)
        event.add("dtend", due + timedelta(days=1))  # all-day: the end is exclusive
        summary = f"{row['owner_short'] or '未定'}: {_short(row['text'])}" + (" (日期推定)" if row["due_inferred"] else "")
        event.add("summary", summary)
        if row["due_kind"] == RECURRING:
            event.add("rrule", recurrence(row["due_period"], due))
        lines = [row["sentence"] or row["text"], "", f"来函: {row['document']}"]
        if row["letter_title"]:
            lines.append(f"《{row['letter_title']}》")
        lines.append(f"tracker show {row['id']}")
        event.add("description", "\n".join(lines))
        event.add("categories", [row["due_kind"]])
        if remind is not None:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", summary)
            alarm.add("trigger", -remind)
            event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()


def _short(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _utc_now():
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).replace(microsecond=0)
