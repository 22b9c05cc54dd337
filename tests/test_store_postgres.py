"""The same store on PostgreSQL: runs when TRACKER_TEST_DB_URL names a server (`.ci/run` sets it).

Every test that uses the `db` fixture runs on PostgreSQL then; this one also checks the
PostgreSQL-specific parts: the dialect really is PostgreSQL and ordering puts undated last.
"""
from __future__ import annotations

from conftest import postgres_only
from ouhai_tracker.tracker import Tracker

pytestmark = postgres_only


def test_import_query_and_change_on_postgres(db, letters_dir):
    from ouhai_tracker.store.engine import get_engine, resolve_url

    assert get_engine(resolve_url(db)).dialect.name == "postgresql"
    assert [r.status for r in Tracker(db).import_paths([letters_dir])] == ["added", "added"]
    assert [r.status for r in Tracker(db).import_paths([letters_dir])] == ["unchanged", "unchanged"]
    found = Tracker(db).find_commitments(dept="工商联", status="all")
    assert [c["text"] for c in found] == ["同时联合区工商联等部门,继续实施“瓯商提升”工程"]
    rows = Tracker(db).find_commitments(status="all")
    assert rows[-1]["due"] is None  # undated last on PostgreSQL too
    Tracker(db).mark_done([found[0]["id"]], note="ok")
    assert Tracker(db).find_commitments(status="done")[0]["id"] == found[0]["id"]
