"""The same store on PostgreSQL, when one is at hand: TRACKER_TEST_PG_URL=postgresql+psycopg:///db.

Skipped otherwise (nothing keeps a server running in CI). The tables are dropped afterwards.
"""
from __future__ import annotations

import os

import pytest

from ouhai_tracker import api

PG_URL = os.environ.get("TRACKER_TEST_PG_URL")
pytestmark = pytest.mark.skipif(not PG_URL, reason="set TRACKER_TEST_PG_URL to run against PostgreSQL")


@pytest.fixture
def pg(letters_dir):
    from ouhai_tracker.store.engine import get_engine, resolve_url
    from ouhai_tracker.store.models import Base

    engine = get_engine(resolve_url(PG_URL))
    Base.metadata.drop_all(engine)
    get_engine.cache_clear()  # so the next get_engine creates the schema again
    yield PG_URL
    Base.metadata.drop_all(get_engine(resolve_url(PG_URL)))
    get_engine.cache_clear()


def test_import_query_and_change_on_postgres(pg, letters_dir):
    assert [r.status for r in api.import_paths([letters_dir], pg)] == ["added", "added"]
    assert [r.status for r in api.import_paths([letters_dir], pg)] == ["unchanged", "unchanged"]
    found = api.find_commitments(pg, dept="工商联", status="all")
    assert [c["text"] for c in found] == ["同时联合区工商联等部门,继续实施“瓯商提升”工程"]
    rows = api.find_commitments(pg, status="all")
    assert rows[-1]["due"] is None  # undated last on PostgreSQL too
    api.mark_done([found[0]["id"]], pg, note="ok")
    assert api.find_commitments(pg, status="done")[0]["id"] == found[0]["id"]
