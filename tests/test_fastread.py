"""The SQLite read path: its SQL is the store's queries compiled, and its rows are the ORM path's."""
from __future__ import annotations

from pathlib import Path

import pytest

from ouhai_tracker import api, fastread
from ouhai_tracker.store.engine import resolve_url
from ouhai_tracker.store.models import STATUSES


def test_sql_is_the_compiled_store_queries():
    assert fastread.SQL == fastread.generated_sql(), "run `python -m ouhai_tracker.fastread` to regenerate"


def test_statuses_mirror_the_models():
    assert fastread.STATUSES == STATUSES


@pytest.mark.parametrize("db", [None, "x/tracker.db", "sqlite:///x/tracker.db"])
def test_reads_the_file_the_engine_opens(db, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRACKER_DB", raising=False)
    assert fastread.sqlite_file(db) == Path(resolve_url(db).database).resolve()


def test_other_databases_take_the_orm_path():
    assert fastread.sqlite_file("postgresql+psycopg://u@h/db") is None


@pytest.mark.parametrize("dept", [None, "工商联", "经信局", "区教育局", "局", "%", "_", "无此部门"])
@pytest.mark.parametrize("status", ["open", "done", "all"])
def test_rows_equal_the_orm_rows(imported, monkeypatch, dept, status):
    from ouhai_tracker import followup

    every = api.find_commitments(imported, status="all")
    api.mark_done([every[0]["id"]], imported)
    followup.rate(every[1]["id"], "stalled", imported)
    followup.review(every[2]["id"], "reject", imported)  # rejected ones leave both paths alike
    fast = api.find_commitments(imported, dept=dept, status=status, as_of="2024-01-01")
    monkeypatch.setattr(fastread, "find_commitments", lambda *args: None)
    orm = api.find_commitments(imported, dept=dept, status=status, as_of="2024-01-01")
    assert fast == orm


def test_missing_file_is_left_to_the_orm_path(db):
    assert fastread.find_commitments(db, None, "open", None) is None


@pytest.mark.parametrize("dept", [None, "经信局", "无此部门"])
@pytest.mark.parametrize("limit", [1, 3, 1000])
def test_a_page_is_the_head_of_the_whole_list_on_both_paths(imported, monkeypatch, dept, limit):
    whole = api.due(imported, dept=dept, as_of="2024-01-01")
    fast = api.due_page(imported, dept=dept, as_of="2024-01-01", limit=limit)
    monkeypatch.setattr(fastread, "find_page", lambda *args: None)
    orm = api.due_page(imported, dept=dept, as_of="2024-01-01", limit=limit)
    assert fast == orm == (whole[:limit], len(whole))
