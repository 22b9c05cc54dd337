"""A person's changes wait for the disk; an import's letters (files that can be imported again) need not."""
from __future__ import annotations

from conftest import sqlite_only
from sqlalchemy import text

from ouhai_tracker.store.engine import session_scope

FULL, NORMAL = 2, 1


@sqlite_only
def test_writes_are_durable_unless_an_import_says_otherwise(db):
    with session_scope(db, write=True) as session:
        assert session.execute(text("PRAGMA synchronous")).scalar() == FULL
    with session_scope(db, write=True, durable=False) as session:
        assert session.execute(text("PRAGMA synchronous")).scalar() == NORMAL
    with session_scope(db, write=True) as session:  # the pooled connection does not keep the import's setting
        assert session.execute(text("PRAGMA synchronous")).scalar() == FULL
