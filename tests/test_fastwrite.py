"""The SQLite write path of `done`: it leaves the database exactly as the ORM path does (every
table, row for row, the clock's columns aside), answers the same, and `undo` takes it back."""
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
from ouhai_tracker import fastwrite
from ouhai_tracker.errors import TrackerError
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


def test_the_plain_case_is_served_here(imported):
    ids = plain_open_ids(imported)[:2]
    results = fastwrite.mark_done(imported, ids, "已办结", None, TODAY, "#x")
    assert [r["result"] for r in results] == ["done", "done"]
    assert {c["id"]: c["status"] for c in Tracker(imported).find_commitments(status="all")}[ids[0]] == "done"


@pytest.mark.parametrize("case", ["recurring", "done already", "unknown id", "--on before the letter",
                                  "--on in the future", "deleted"])
def test_anything_else_is_left_to_the_orm_path(imported, case):
    tracker = Tracker(imported)
    every = tracker.find_commitments(status="all")
    plain = plain_open_ids(imported)[0]
    ids, on = [plain], None
    if case == "recurring":
        ids = [next(c["id"] for c in every if c["due_kind"] == "recurring")]
    elif case == "done already":
        tracker.mark_done([plain], as_of=TODAY)
    elif case == "unknown id":
        ids = [plain, 999]
    elif case == "--on before the letter":
        on = date(2000, 1, 1)
    elif case == "--on in the future":
        on = date(2030, 1, 1)
    else:
        tracker.delete([plain])
    forget_engines()
    before = dump(imported)
    assert fastwrite.mark_done(imported, ids, None, on, TODAY, "#x") is None
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
            with mock.patch.object(fastwrite, "mark_done", return_value=None):
                expected = run(orm_db, step)
            assert run(fast_db, step) == expected, step
            forget_engines()
            assert dump(fast_file) == dump(orm_file), step


def test_done_loads_no_sqlalchemy(imported, monkeypatch):
    # The point of this path: SQLAlchemy alone costs ~190 ms, twice Taskwarrior's whole `task done`.
    plain = plain_open_ids(imported)[0]
    forget_engines()
    printed, loaded = run_counting_modules(["done", str(plain)])
    assert printed.startswith(f"#{plain}: done: ") and loaded == []
    assert Tracker(imported).undo_plan()[0]["command"] == "done"
