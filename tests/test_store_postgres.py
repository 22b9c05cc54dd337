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


def test_two_importers_storing_one_unnumbered_policy_at_once_store_it_once(db, tmp_path):
    """Two letters of two units citing one policy without a document number, stored at once: the
    second importer waits for the first's policy, then stores its letter citing it (NULL numbers
    did not collide in the unique key: the policy was stored twice)."""
    import os
    import subprocess
    import time

    from sqlalchemy import text

    from conftest import TRACKER
    from ouhai_tracker.extract.model import Settings
    from ouhai_tracker.extract.pipeline import run
    from ouhai_tracker.store.engine import session_scope
    from ouhai_tracker.store.upsert import store_letter
    from test_letter_identity import letter

    promise = "按照《瓯海区快递业发展规划》出台实施办法"
    first = letter(1, "马文清", promise=promise)
    (tmp_path / "2.txt").write_text(letter(2, "李华", promise=promise, unit="瓯海区财政局"), encoding="utf-8")
    assert [p.doc_number for p in run(first, "1.txt", Settings(), {}).policies] == [None]
    with session_scope(db, write=True) as session:
        store_letter(session, run(first, "1.txt", Settings(), {}), "1.txt", str(tmp_path / "1.txt"))
        session.flush()  # the policy's row written, not committed: the other importer comes now
        other = subprocess.Popen([*TRACKER, "import", str(tmp_path / "2.txt")], env={**os.environ, "TRACKER_DB": db},
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(3)
    out, err = other.communicate(timeout=60)
    assert (other.returncode, err) == (0, ""), out + err
    assert out.splitlines()[0].endswith(", added")
    with session_scope(db) as session:
        assert session.execute(text("SELECT title, doc_number FROM policies")).all() == [("瓯海区快递业发展规划", None)]
        assert session.execute(text("SELECT count(*) FROM letter_policies")).scalar() == 2
