"""Letters a person merged: ``letters.superseded_by_id`` names the letter one is a superseded version of

`tracker docs merge KEEP OTHER` keeps OTHER as a superseded version of KEEP (its text, and the
commitments that point into it), out of the listings, so that `tracker undo` and `tracker docs
split` can take the merge back. NULL for every letter stored before.

Revision ID: 0012_superseded_letters
Revises: 0011_letter_identity_key
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = '0012_superseded_letters'
down_revision = '0011_letter_identity_key'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('letters', sa.Column('superseded_by_id', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_column('superseded_by_id')
