"""Word search: an index over the commitments' text

`--search` now takes words, each a substring of the commitment's text. On SQLite an FTS5
table with the trigram tokenizer indexes the text, kept up to date by triggers and filled here
from the rows already stored; a SQLite without FTS5 or its trigram tokenizer gets no index and
search reads every row. On PostgreSQL a pg_trgm GIN index serves ILIKE, when this role may
create the extension (else there is none, and the upgrade still succeeds).

Revision ID: 0007_search
Revises: 0006_changes
Create Date: 2026-12-03
"""
from alembic import op

revision = '0007_search'
down_revision = '0006_changes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from ouhai_tracker.store.word_search import create_index

    create_index(op.get_bind())


def downgrade() -> None:
    from ouhai_tracker.store.word_search import drop_index

    drop_index(op.get_bind())
