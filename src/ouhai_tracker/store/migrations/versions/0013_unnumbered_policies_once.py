"""One row per policy without a document number, as with one

The unique key (title, doc_number) let two rows of one title without a number in: NULLs do not
collide, so two importers storing the same unnumbered policy at once (PostgreSQL) stored it
twice. A unique index on (title, coalesce(doc_number, '')) makes the second wait and retry. The
rows stored twice before are made one: the first keeps its id, the letters and commitments citing
the others cite it.

Revision ID: 0013_unnumbered_policies_once
Revises: 0012_superseded_letters
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = '0013_unnumbered_policies_once'
down_revision = '0012_superseded_letters'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    twice = bind.execute(sa.text(
        "SELECT p.id, (SELECT min(q.id) FROM policies q WHERE q.title = p.title "
        "AND coalesce(q.doc_number, '') = coalesce(p.doc_number, '')) AS first FROM policies p")).all()
    for policy_id, first in twice:
        if policy_id == first:
            continue
        for table, owner in (("letter_policies", "letter_id"), ("commitment_policies", "commitment_id")):
            bind.execute(sa.text(
                f"INSERT INTO {table} ({owner}, policy_id) SELECT {owner}, :first FROM {table} t "
                f"WHERE t.policy_id = :id AND NOT EXISTS (SELECT 1 FROM {table} u "
                f"WHERE u.{owner} = t.{owner} AND u.policy_id = :first)"), {"id": policy_id, "first": first})
            bind.execute(sa.text(f"DELETE FROM {table} WHERE policy_id = :id"), {"id": policy_id})
        bind.execute(sa.text("DELETE FROM policies WHERE id = :id"), {"id": policy_id})
    op.create_index('uq_policies_title_number', 'policies', ['title', sa.text("coalesce(doc_number, '')")],
                    unique=True)


def downgrade() -> None:
    op.drop_index('uq_policies_title_number', table_name='policies')
