"""Find a renamed letter fast; room for a person's review of an extracted commitment

Re-import matches a letter that comes back under another file name by its replying
unit, date and proposal title: the index serves that look-up. ``review_state``
(NULL until someone reviews; then e.g. confirmed / rejected) is where a reviewer's
verdict on an extracted commitment will be kept.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.create_index('ix_letters_identity', ['replying_unit', 'letter_date'], unique=False)
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_state', sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.drop_column('review_state')
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_index('ix_letters_identity')
