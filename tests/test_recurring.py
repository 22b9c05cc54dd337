"""Recurring promises roll forward: a 每季度 commitment whose stored quarter has ended is due at the
end of the quarter containing the as-of day (never years overdue), on both read paths, in every
filter and order; `done` closes the period it was done in; the calendar repeats it (RRULE) and
every event reminds (VALARM, --remind)."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from conftest import sqlite_only
from icalendar import Calendar

from ouhai_tracker.store import fastread
from ouhai_tracker.cli import app
from ouhai_tracker.errors import BadInput
from ouhai_tracker.followup import remind_before
from ouhai_tracker.periods import effective_due, next_period_end, period_params
from ouhai_tracker.store import read
from ouhai_tracker.tracker import Tracker

QUARTERLY, YEARLY = 6, 8  # 每季度 (stored 2023-06-30) and 每年 (stored 2024-12-31) in the fixture letters


def test_a_2021_quarterly_promise_is_due_this_quarter_not_years_overdue(runner, imported):
    assert runner.invoke(app, ["edit", str(QUARTERLY), "--due", "2021-06-30"]).exit_code == 0
    rows = {r["id"]: r for r in json.loads(runner.invoke(app, ["due", "--json", "--as-of", "2025-02-10"]).stdout)}
    assert rows[QUARTERLY]["due"] == "2025-03-31" and rows[QUARTERLY]["overdue"] is False
    assert rows[QUARTERLY]["schedule"] == "on-time"
    out = runner.invoke(app, ["due", "--as-of", "2025-02-10"], env={"COLUMNS": "200"}).stdout
    assert "in 49d" in out and "1461" not in out
    report = json.loads(runner.invoke(app, ["report", "--as-of", "2025-02-10", "--format", "json"]).stdout)
    assert QUARTERLY not in [r["id"] for r in report["overdue"]]
    # Its stored period is kept: the history and the export still say what was extracted or set.
    assert json.loads(runner.invoke(app, ["show", str(QUARTERLY), "--json", "--as-of", "2021-06-01"]).stdout)["due"] \
        == "2021-06-30"


def test_filters_and_order_use_the_rolled_date(imported):
    tracker = Tracker(imported)
    as_of = "2024-05-10"  # 每季度 rolls to 2024-06-30; 每年 is still 2024-12-31
    dated = [(r["due"], r["id"]) for r in tracker.due(as_of=as_of) if r["due"]]
    assert dated == sorted(dated)  # by the rolled date: after 1 (2024-06-16), before 7 (2024-08-31)
    assert [i for _, i in dated].index(1) < [i for _, i in dated].index(QUARTERLY) < [i for _, i in dated].index(7)
    assert dict((i, d) for d, i in dated)[QUARTERLY] == "2024-06-30"
    assert QUARTERLY in [r["id"] for r in tracker.find_commitments(due_after="2024-06-01", as_of=as_of)]
    assert QUARTERLY not in [r["id"] for r in tracker.find_commitments(due_before="2024-06-29", as_of=as_of)]
    assert QUARTERLY not in [r["id"] for r in tracker.find_commitments(overdue=True, as_of=as_of)]
    assert [r["id"] for r in tracker.find_commitments(kind="recurring", due_before="2024-06-30", as_of=as_of)] \
        == [QUARTERLY]


STORED = [(date(2021, 6, 30), "quarter"), (date(2022, 2, 28), "month"), (date(2020, 12, 31), "year"),
          (date(2023, 6, 30), "half"), (date(2019, 8, 31), "term"), (date(2022, 5, 6), "week"),
          (date(2021, 3, 31), None), (date(2023, 11, 30), "unspecified")]


def test_sql_and_python_roll_alike_on_every_period(imported):
    """The read layer's SQL (both read paths; PostgreSQL too when the suite runs there) and
    periods.effective_due agree, for every period and many as-of days."""
    from sqlalchemy import update

    from ouhai_tracker.store.engine import session_scope
    from ouhai_tracker.store.models import Commitment

    ids = sorted(r["id"] for r in Tracker(imported).find_commitments(status="all"))
    with session_scope(imported, write=True) as session:
        for commitment_id, (due, period) in zip(ids, STORED):
            session.execute(update(Commitment).where(Commitment.id == commitment_id)
                            .values(due_kind="recurring", due=due, due_period=period))
    stored = dict(zip(ids, STORED))
    days = [date(2024, 1, 1) + timedelta(days=n) for n in range(0, 800, 23)] + [date(2023, 11, 30), date(2024, 2, 29)]
    for as_of in days:
        rows = Tracker(imported).find_commitments(status="all", as_of=as_of)
        assert {r["id"]: r["due"] for r in rows} == {
            i: effective_due(due, "recurring", period, "open", as_of).isoformat() for i, (due, period) in stored.items()}
        assert all(not r["overdue"] and r["due"] >= as_of.isoformat() for r in rows)


@sqlite_only  # the stdlib path reads SQLite files
@pytest.mark.parametrize("as_of", ["2024-01-01", "2025-03-31", "2025-04-01", "2030-12-31"])
def test_both_read_paths_roll_alike(imported, monkeypatch, as_of):
    with monkeypatch.context() as fast_only:
        fast_only.setattr(read, "commitments", None)
        fast = Tracker(imported).due(as_of=as_of)
    monkeypatch.setattr(fastread, "find_page", lambda *args: None)
    assert fast == Tracker(imported).due(as_of=as_of)


def test_period_ends_on_and_after_the_day():
    days = period_params(date(2025, 2, 10))  # a Monday
    assert days["months3_2"] == date(2025, 3, 31) and days["months3_0"] == date(2025, 4, 30)
    assert days["months1_0"] == date(2025, 2, 28) and days["months12_11"] == date(2025, 12, 31)
    assert days["months6_5"] == date(2025, 6, 30) and days["week_1"] == date(2025, 2, 10)
    assert days["week_0"] == date(2025, 2, 16)
    assert effective_due(date(2021, 6, 30), "recurring", "quarter", "open", date(2025, 3, 31)) == date(2025, 3, 31)
    assert effective_due(date(2021, 6, 30), "recurring", "quarter", "done", date(2025, 3, 31)) == date(2021, 6, 30)
    assert effective_due(date(2021, 6, 30), "date", None, "open", date(2025, 3, 31)) == date(2021, 6, 30)


def test_done_closes_the_period_it_was_done_in_and_moves_to_the_next(runner, imported):
    assert runner.invoke(app, ["edit", str(QUARTERLY), "--due", "2021-06-30"]).exit_code == 0
    result = runner.invoke(app, ["done", str(QUARTERLY), "--on", "2025-02-10"])
    assert "quarter period due 2025-03-31 done" in result.stdout and "next due 2025-06-30" in result.stdout
    shown = json.loads(runner.invoke(app, ["show", str(QUARTERLY), "--json", "--as-of", "2025-02-11"]).stdout)
    assert shown["status"] == "open" and shown["due"] == "2025-06-30"
    # Done again in the same quarter: that quarter was closed already; the next one stays open.
    again = runner.invoke(app, ["done", str(QUARTERLY), "--on", "2025-03-01"])
    assert again.exit_code == 0
    assert "period due 2025-03-31 was done already; next due 2025-06-30" in again.stdout
    # Done in the next quarter closes that one.
    later = runner.invoke(app, ["done", str(QUARTERLY), "--on", "2025-04-01"])
    assert "period due 2025-06-30 done" in later.stdout and "next due 2025-09-30" in later.stdout


def test_done_again_on_one_day_closes_its_period_once(runner, imported):
    """`done --on 2026-12-01` three times closes 2026, not 2026, 2027 and 2028."""
    outputs = [runner.invoke(app, ["done", str(YEARLY), "--on", "2026-12-01"]).stdout for _ in range(3)]
    assert "year period due 2026-12-31 done" in outputs[0] and "next due 2027-12-31" in outputs[0]
    for output in outputs[1:]:
        assert "year period due 2026-12-31 was done already; next due 2027-12-31" in output
    shown = json.loads(runner.invoke(app, ["show", str(YEARLY), "--json", "--as-of", "2026-12-02"]).stdout)
    assert shown["due"] == "2027-12-31"
    history = [e for e in shown["history"] if e["action"] == "done"]
    assert len(history) == 1, history


# ---- the calendar -------------------------------------------------------------------------------

def events(data: bytes) -> dict[int, object]:
    return {int(str(e["uid"]).split("-")[1]): e for e in Calendar.from_ical(data).walk("VEVENT")}


def test_ics_repeats_recurring_ones_and_every_event_reminds(runner, imported):
    result = runner.invoke(app, ["export", "--format", "ics"])
    assert result.exit_code == 0, result.output
    found = events(result.stdout_bytes)
    quarterly = found[QUARTERLY]
    today = date.today()
    assert quarterly.decoded("dtstart") == effective_due(date(2023, 6, 30), "recurring", "quarter", "open", today)
    assert quarterly["rrule"].to_ical() == b"FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1"
    assert found[YEARLY]["rrule"].to_ical() == b"FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=-1"
    assert "rrule" not in found[7]  # a date is once
    for event in found.values():
        [alarm] = event.walk("VALARM")
        assert alarm["action"] == "DISPLAY" and alarm.decoded("trigger") == timedelta(days=-7)
        assert str(alarm["description"]) == str(event["summary"])
    assert b"TRIGGER:-P7D" in result.stdout_bytes


@pytest.mark.parametrize("value, trigger", [("3d", timedelta(days=-3)), ("36h", timedelta(hours=-36)),
                                            ("2", timedelta(days=-2)), ("365d", timedelta(days=-365))])
def test_remind_takes_days_or_hours(runner, imported, value, trigger):
    result = runner.invoke(app, ["export", "--format", "ics", "--remind", value])
    assert result.exit_code == 0, result.output
    assert {e.walk("VALARM")[0].decoded("trigger") for e in events(result.stdout_bytes).values()} == {trigger}


def test_remind_zero_is_no_reminder(runner, imported):
    data = runner.invoke(app, ["export", "--format", "ics", "--remind", "0"]).stdout_bytes
    assert b"VALARM" not in data and events(data)


@pytest.mark.parametrize("value", ["366d", "8785h", "-1d", "7w", "soon", ""])
def test_remind_out_of_range_or_malformed_is_one_line(runner, imported, value):
    result = runner.invoke(app, ["export", "--format", "ics", "--remind", value])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"tracker: error: bad --remind {value!r}") and len(result.stderr.splitlines()) == 1


def test_remind_is_for_calendars_only(runner, imported):
    result = runner.invoke(app, ["export", "--format", "json", "--remind", "3d"])
    assert result.exit_code == 2 and "--remind is for calendars" in result.stderr


def test_remind_before():
    assert remind_before("7d") == timedelta(days=7) and remind_before("0") is None
    assert remind_before("0h") is None and remind_before(" 12H ") == timedelta(hours=12)
    with pytest.raises(BadInput):
        remind_before("1.5d")


def test_next_period_end_stays_on_month_ends():
    assert next_period_end(date(2024, 11, 30), "quarter") == date(2025, 2, 28)
    assert next_period_end(date(2025, 2, 28), "quarter") == date(2025, 5, 31)
