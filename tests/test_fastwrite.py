"""SQLite's stdlib path of a person's change (done, rate, reopen, delete, restore): it leaves the
database exactly as the SQLAlchemy path does (every table, row for row, the clock's columns
aside), answers and refuses the same, and `undo` takes it back."""
from __future__ import annotations

import re
import shutil
import sqlite3
from datetime import date
from unittest import mock

import pytest
from conftest import fresh_database, run_counting_modules, sqlite_only
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ouhai_tracker.errors import TrackerError
from ouhai_tracker.store import change_plan, fastwrite
from ouhai_tracker.store.engine import forget_engines
from ouhai_tracker.tracker import Tracker

pytestmark = sqlite_only  # the stdlib write path writes SQLite files only

TODAY = date(2025, 6, 30)
CLOCK = {"at", "created_at", "updated_at"}  # when a row was written: differs between two runs


STAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?")


def unclocked(value):
    """A value with the times written into it blanked (an undo's note names the undone event's time)."""
    return STAMP.sub("<time>", value) if isinstance(value, str) else value


def dump(path) -> dict[str, list[tuple]]:
    """Every table's rows (ids included, so the order they were written in counts), the clock's columns blanked."""
    connection = sqlite3.connect(path)
    try:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        out = {}
        for table in tables:
            cursor = connection.execute(f'SELECT * FROM "{table}"')
            names = [d[0] for d in cursor.description]
            out[table] = sorted((tuple(None if n in CLOCK else unclocked(v) for n, v in zip(names, row)) for row in cursor),
                                key=repr)
        return out
    finally:
        connection.close()


def outcome(call):
    try:
        return call()
    except TrackerError as err:
        return type(err).__name__, str(err)


def plain_open_ids(db: str) -> list[int]:
    return [c["id"] for c in Tracker(db).find_commitments(status="open") if c["due_kind"] != "recurring"]


def test_done_is_served_here_recurring_too(imported):
    ids = plain_open_ids(imported)[:2]
    recurring = next(c["id"] for c in Tracker(imported).find_commitments(status="all") if c["due_kind"] == "recurring")
    decide = lambda states: change_plan.plan_done(states, "#x", "已办结", None, TODAY)  # noqa: E731
    results = fastwrite.change(imported, [*ids, recurring], decide)
    assert [r["result"] for r in results] == ["done", "done", "period done"]
    assert {c["id"]: c["status"] for c in Tracker(imported).find_commitments(status="all")}[ids[0]] == "done"


@pytest.mark.parametrize(("case", "error"), [("unknown id", "no commitment with id 999"),
                                             ("--on before the letter", "was promised in a letter dated"),
                                             ("--on in the future", "cannot be dated in the future"),
                                             ("deleted", "is deleted")])
def test_a_refused_change_writes_nothing_and_says_why(imported, case, error):
    tracker = Tracker(imported)
    plain = plain_open_ids(imported)[0]
    ids, on = [plain], None
    if case == "unknown id":
        ids = [plain, 999]
    elif case == "--on before the letter":
        on = date(2000, 1, 1)
    elif case == "--on in the future":
        on = date(2030, 1, 1)
    else:
        tracker.delete([plain])
    forget_engines()
    before = dump(imported)
    with pytest.raises(TrackerError, match=error):
        fastwrite.change(imported, ids, lambda states: change_plan.plan_done(states, "#x", None, on, TODAY))
    assert dump(imported) == before


def test_a_file_at_another_schema_is_left_to_sqlalchemy(imported):
    with sqlite3.connect(imported) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'older'")
    before = dump(imported)
    assert fastwrite.change(imported, [1],
                            lambda states: change_plan.plan_done(states, "#x", None, None, TODAY)) is None
    assert dump(imported) == before


# One step of a person's day: done on some ids (an unknown one among them), with or without a
# note and a day; a rating, a reopening, a deletion, an undo in between.
ID = st.integers(1, 13)
DAY = st.sampled_from([None, date(2000, 1, 1), date(2023, 7, 1), TODAY, date(2030, 1, 1)])
STEP = st.one_of(
    st.tuples(st.just("done"), st.lists(ID, min_size=1, max_size=4), st.sampled_from([None, "已办", "a'b\"c"]), DAY),
    st.tuples(st.just("rate"), ID, st.sampled_from(["in-the-works", "kept", "stalled"])),
    st.tuples(st.just("reopen"), ID),
    st.tuples(st.just("delete"), ID),
    st.tuples(st.just("restore"), ID),
    st.tuples(st.just("undo")),
)


def run(db: str, step) -> object:
    tracker = Tracker(db)
    kind, *args = step
    if kind == "done":
        ids, note, on = args
        return outcome(lambda: tracker.mark_done(ids, note=note, on=on, as_of=TODAY))
    if kind == "rate":
        return outcome(lambda: tracker.rate(args[0], args[1], on=date(2024, 1, 1)))
    if kind == "reopen":
        return outcome(lambda: tracker.reopen(args[0]))
    if kind == "delete":
        return outcome(lambda: tracker.delete([args[0]]))
    if kind == "restore":
        return outcome(lambda: tracker.restore([args[0]]))
    plan = tracker.undo_plan()
    return without_clock(outcome(lambda: tracker.undo([plan[0]["id"]]))) if plan else None


def without_clock(value):
    """``value`` with every change's time left out: the two paths' runs may straddle a second."""
    if isinstance(value, dict):
        return {key: without_clock(v) for key, v in value.items() if key != "at"}
    if isinstance(value, list):
        return [without_clock(v) for v in value]
    return value


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, min_size=1, max_size=6))
def test_both_paths_leave_the_same_database(imported, tmp_path_factory, steps):
    forget_engines()
    folder = tmp_path_factory.mktemp("paths")
    orm_file, fast_file = folder / "orm.db", folder / "fast.db"
    shutil.copy(imported, orm_file)
    shutil.copy(imported, fast_file)
    with fresh_database(orm_file) as orm_db, fresh_database(fast_file) as fast_db:
        for step in steps:
            with mock.patch.object(fastwrite, "change", return_value=None):
                expected = run(orm_db, step)
            assert run(fast_db, step) == expected, step
            forget_engines()
            assert dump(fast_file) == dump(orm_file), step


@pytest.mark.parametrize("command", ["done", "done recurring", "reopen", "delete", "restore", "rate"])
def test_a_change_loads_no_sqlalchemy(imported, command):
    # The point of this path: SQLAlchemy alone costs ~190 ms, twice Taskwarrior's whole `task done`.
    every = Tracker(imported).find_commitments(status="all")
    target = plain_open_ids(imported)[0]
    if command == "done recurring":
        target = next(c["id"] for c in every if c["due_kind"] == "recurring")
    elif command == "reopen":
        Tracker(imported).mark_done([target])
    elif command == "restore":
        Tracker(imported).delete([target])
    forget_engines()
    printed, loaded = run_counting_modules([command.split()[0], str(target), *(["--outcome", "kept"] if command == "rate" else [])])
    assert printed.startswith(f"#{target}: ") and loaded == []
    assert Tracker(imported).undo_plan()[0]["command"] == command.split()[0]
