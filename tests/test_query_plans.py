"""The filters people run every day are served by an index on SQLite (EXPLAIN QUERY PLAN)."""
from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from conftest import sqlite_only

from ouhai_tracker.store.fast_sql import READ as SQL
from ouhai_tracker.periods import period_params
from ouhai_tracker.store.dept_filter import dept_query

pytestmark = sqlite_only  # SQLite's planner; PostgreSQL plans its own way
# The as-of day and the period ends recurring commitments roll forward to (periods.py).
PERIODS = {"as_of": "2024-01-01", **{name: day.isoformat() for name, day in period_params(date(2024, 1, 1)).items()}}


@pytest.fixture
def grown(imported) -> str:
    """The imported letters' commitments copied to ~2,000 rows over 50 owners, then ANALYZEd as an
    import does: the planner's choices depend on the statistics of a database of some size."""
    with sqlite3.connect(imported) as connection:
        connection.executemany("INSERT INTO departments (name, short) VALUES (?, ?)",
                               [(f"测试部门{i}", f"测试{i}") for i in range(50)])
        columns = [row[1] for row in connection.execute("PRAGMA table_info(commitments)") if row[1] != "id"]
        copied = ", ".join("abs(random()) % 50 + 1" if c == "owner_id" else c for c in columns)
        for _ in range(8):
            connection.execute(f"INSERT INTO commitments ({', '.join(columns)}) SELECT {copied} FROM commitments")
        connection.execute("ANALYZE")
    return imported


def plan(db: str, variant: str, dept: str = "测试部门1") -> str:
    params = {**dept_query(dept), "status": "open", "limit": 50, **PERIODS}
    with sqlite3.connect(db) as connection:
        return "\n".join(row[-1] for row in connection.execute("EXPLAIN QUERY PLAN " + SQL[variant]["rows"], params))


def test_due_by_department_uses_the_owner_status_due_index(grown):
    # The department's ids come from the owner and partner indexes; the rows by primary key
    # (ANALYZE after each import keeps the planner off the status index, which would read
    # every open commitment).
    text = plan(grown, "dept,status,limit")
    assert "SEARCH commitments USING INTEGER PRIMARY KEY (rowid=?)" in text, text
    assert "USING COVERING INDEX ix_commitments_owner_status_due (owner_id=?)" in text, text
    assert "SCAN commitments" not in text and "ix_commitments_status_due" not in text, text


def test_list_all_statuses_by_department_uses_the_owner_index(grown):
    text = plan(grown, "dept")
    assert "USING COVERING INDEX ix_commitments_owner_status_due (owner_id=?)" in text, text
    assert "SCAN commitments" not in text, text


def test_department_names_are_a_small_scan(imported):
    with sqlite3.connect(imported) as connection:
        text = "\n".join(r[-1] for r in connection.execute(
            "EXPLAIN QUERY PLAN " + SQL["dept,status"]["rows"], {**dept_query("瓯海区经信局"), "status": "open", **PERIODS}))
    assert "SCAN commitments" not in text  # the department's ids first, from the departments alone
