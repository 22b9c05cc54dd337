"""Each commitment keeps how sure its owner is

Extraction now says how sure each owner is (0-1): the clause's own subject is sure, a unit
guessed from the letter's field of work is not, and an owner below 0.5 is flagged for review
(owner?). Commitments stored before get 0.5: not flagged, and a re-read gives them their own.

Revision ID: 0009_owner_confidence
Revises: 0008_search_in_bulk
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = '0009_owner_confidence'
down_revision = '0008_search_in_bulk'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("commitments", sa.Column("owner_confidence", sa.Float(), nullable=False, server_default="0.5"))


def downgrade() -> None:
    with op.batch_alter_table("commitments") as batch:
        batch.drop_column("owner_confidence")
