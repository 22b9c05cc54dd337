"""The search index takes new commitments in bulk

The SQLite search index (0007_search) took each new commitment through a trigger, row by row:
a third of the time an import spent writing a letter. New commitments are now indexed in one
statement when the transaction that stored them commits (word_search.index_new), ten times
faster; the triggers for changed and removed rows stay. PostgreSQL's index needs no trigger.

Revision ID: 0008_search_in_bulk
Revises: 0007_search
Create Date: 2026-12-02
"""
from alembic import op

revision = '0008_search_in_bulk'
down_revision = '0007_search'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from ouhai_tracker.store.word_search import INSERT_TRIGGER

    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP TRIGGER IF EXISTS {INSERT_TRIGGER}")


def downgrade() -> None:
    from ouhai_tracker.store.word_search import INDEX_NEW, INSERT_TRIGGER_DDL, has_sqlite_index

    connection = op.get_bind()
    if connection.dialect.name == "sqlite" and has_sqlite_index(connection):
        op.execute(INDEX_NEW)  # up to date, then kept so by the trigger again
        op.execute(INSERT_TRIGGER_DDL)
