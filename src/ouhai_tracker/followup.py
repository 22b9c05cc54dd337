"""Following up, for the CLI and a user's script: review, outcomes, members' feedback, settings, calendar.

Like api.py: plain dicts out, ``db`` is a URL, a path or None, one transaction per change.

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

from ouhai_tracker.api import as_date, commitment_dict, show
from ouhai_tracker.errors import BadInput
from ouhai_tracker.store import followup_queries as fq
from ouhai_tracker.store import queries
from ouhai_tracker.store.engine import session_scope
from ouhai_tracker.store.models import FEEDBACK_RATINGS, OUTCOMES, DISSATISFIED  # noqa: F401 - re-exported

# What A/B/C mean where the tracker was first used; a district sets its own with `tracker config set`.
DEFAULT_SETTINGS = {
    "class.A": "所提问题已经解决或基本解决、建议已采纳",
    "class.B": "所提问题正在解决或已列入计划逐步解决",
    "class.C": "因条件限制或其他原因暂时无法解决",
}
_KEY = re.compile(r"class\.[A-Za-z]")


# ---- review ---------------------------------------------------------------------------------

def review_queue(db: str | None = None, *, order: str = "confidence", dept: str | None = None) -> list[int]:
    """Ids of unreviewed commitments: lowest confidence first (``order='letter'``: letter by letter)."""
    with session_scope(db) as session:
        return fq.review_queue(session, order, dept)


def review_item(commitment_id: int, db: str | None = None) -> dict:
    """What the reviewer sees: `show`'s commitment in its paragraph."""
    return show(commitment_id, db)


def review(commitment_id: int, action: str, db: str | None = None, *, owner: str | None = None,
           due: date | str | None = None, note: str | None = None) -> dict:
    """accept, reject, or correct (owner and/or due); each verdict is a dated 'reviewed' event."""
    due_date = as_date(due, "due date")
    with session_scope(db, write=True) as session:
        commitment = queries.get_commitment(session, commitment_id)
        return fq.review(session, commitment, action, owner=owner, due=due_date, note=note)


# ---- outcomes -------------------------------------------------------------------------------

def rate(commitment_id: int, outcome: str, db: str | None = None, *, evidence: str | None = None,
         note: str | None = None, on: date | str | None = None) -> dict:
    """Record an outcome (a dated event with its evidence); the status is left alone."""
    on_date = as_date(on, "--on")
    if on_date and on_date > date.today():
        raise BadInput(f"bad --on {on_date}: an outcome cannot be dated in the future")
    with session_scope(db, write=True) as session:
        commitment = queries.get_commitment(session, commitment_id)
        result = fq.set_outcome(commitment, outcome, evidence=_evidence(evidence), note=note, on=on_date,
                                today=date.today())
        result["schedule"] = fq.schedule_state(commitment, date.today())
        return result


def _evidence(value: str | None) -> str | None:
    """A URL as given; a file that exists here as its absolute path, so the link still works from elsewhere."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", value):
        return value
    path = Path(value).expanduser()
    return str(path.resolve()) if path.exists() else value


# ---- members' feedback ----------------------------------------------------------------------

def feedback(doc: str, rating: str, db: str | None = None, *, note: str | None = None,
             on: date | str | None = None) -> dict:
    """Record a member's rating of a letter (DOC: id, file name, or a unique part of one)."""
    on_date = as_date(on, "--on")
    with session_scope(db, write=True) as session:
        return fq.add_feedback(session, fq.find_letter(session, doc), rating, note, on_date)


def documents(db: str | None = None, *, second_reply: bool = False) -> list[dict]:
    """api.documents() with each letter's latest member rating and the class mark's meaning;
    ``second_reply``: only the letters whose latest rating is 不满意 (they need a second reply)."""
    from ouhai_tracker.api import _letter_dict

    with session_scope(db) as session:
        latest = fq.latest_feedback(session)
        meanings = _class_meanings(fq.get_settings(session))
        rows = []
        for letter in queries.letters(session):
            given = latest.get(letter.id) or {}
            if second_reply and given.get("rating") != DISSATISFIED:
                continue
            rows.append({**_letter_dict(letter), "id": letter.id,
                         "class_meaning": class_meaning(letter.class_mark, meanings),
                         "feedback": given.get("rating"), "feedback_note": given.get("note"),
                         "feedback_on": given.get("on") or (given.get("at") or "")[:10] or None,
                         "feedback_ratings": given.get("ratings", 0),
                         "second_reply": given.get("rating") == DISSATISFIED})
        return rows


# ---- settings -------------------------------------------------------------------------------

def _check_key(key: str) -> str:
    key = key.strip()
    if not _KEY.fullmatch(key):
        raise BadInput(f"unknown setting {key!r}: settings are class.A, class.B, class.C … "
                       "(what each class mark means)")
    return f"class.{key[-1].upper()}"


def config_set(key: str, value: str, db: str | None = None) -> dict:
    key = _check_key(key)
    if not value.strip():
        raise BadInput(f"empty value for {key}: use `tracker config unset {key}` to go back to the default")
    with session_scope(db, write=True) as session:
        old = fq.set_setting(session, key, value.strip())
    return {"key": key, "value": value.strip(), "old": old if old is not None else DEFAULT_SETTINGS.get(key)}


def config_unset(key: str, db: str | None = None) -> dict:
    key = _check_key(key)
    with session_scope(db, write=True) as session:
        old = fq.unset_setting(session, key)
    return {"key": key, "old": old, "value": DEFAULT_SETTINGS.get(key)}


def config_list(db: str | None = None) -> list[dict]:
    with session_scope(db) as session:  # the tracker's own rows (database.id) are not settings
        stored = {k: v for k, v in fq.get_settings(session).items() if _KEY.fullmatch(k)}
    keys = sorted({*DEFAULT_SETTINGS, *stored})
    return [{"key": k, "value": stored.get(k, DEFAULT_SETTINGS.get(k)),
             "source": "set" if k in stored else "default"} for k in keys]


def config_get(key: str, db: str | None = None) -> dict:
    key = _check_key(key)
    return next((row for row in config_list(db) if row["key"] == key),
                {"key": key, "value": None, "source": "unset"})


def _class_meanings(stored: dict[str, str]) -> dict[str, str]:
    return {**DEFAULT_SETTINGS, **stored}


def class_meaning(mark: str | None, meanings: dict[str, str]) -> str | None:
    if not mark:
        return None
    try:
        return meanings.get(f"class.{fq.normalize_class_mark(mark)}")
    except BadInput:
        return None


# ---- calendar -------------------------------------------------------------------------------

def calendar_events(db: str | None = None, *, dept: str | None = None) -> list[dict]:
    """The open, dated commitments (rejected ones left out) that the calendar shows."""
    from ouhai_tracker.api import find_commitments

    return [row for row in find_commitments(db, dept=dept, status="open") if row["due"]]


def export_ics(db: str | None = None, *, dept: str | None = None) -> bytes:
    """An iCalendar file: one all-day event per dated open commitment on its due date.

    The UID is the commitment's id and the database's own random id: stable, so importing the
    file again updates the events instead of doubling them, and never the UID of an event from
    another database.
    """
    from icalendar import Calendar, Event

    from ouhai_tracker.store.models import DATABASE_ID

    with session_scope(db) as session:
        database_id = fq.get_settings(session).get(DATABASE_ID, "")

    calendar = Calendar()
    calendar.add("prodid", "-//ouhai-tracker//commitments//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "答复函承诺事项")
    stamp = _utc_now()
    for row in calendar_events(db, dept=dept):
        due = date.fromisoformat(row["due"])
        event = Event()
        event.add("uid", f"commitment-{row['id']}-{database_id}@ouhai-tracker")
        event.add("dtstamp", stamp)
        event.add("dtstart", due)
        event.add("dtend", due + timedelta(days=1))  # all-day: the end is exclusive
        event.add("summary", f"{row['owner_short'] or '未定'}: {_short(row['text'])}"
                  + (" (日期推定)" if row["due_inferred"] else ""))
        lines = [row["sentence"] or row["text"], "", f"来函: {row['document']}"]
        if row["letter_title"]:
            lines.append(f"《{row['letter_title']}》")
        lines.append(f"tracker show {row['id']}")
        event.add("description", "\n".join(lines))
        event.add("categories", [row["due_kind"]])
        calendar.add_component(event)
    return calendar.to_ical()


def _short(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _utc_now():
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).replace(microsecond=0)


__all__ = ["OUTCOMES", "FEEDBACK_RATINGS", "commitment_dict", "review_queue", "review_item", "review", "rate",
           "feedback", "documents", "config_set", "config_unset", "config_list", "config_get", "export_ics"]
