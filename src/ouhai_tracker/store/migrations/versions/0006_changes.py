"""A person's changes, so they can be undone

A table of the commands people ran that changed the database (done, edit, review, depts merge
…), each with what it changed before and after, and a link from each history event to the
command that wrote it. Events written before have none: what was done before this version
cannot be undone by `tracker undo` (it can still be changed back by hand).

Revision ID: 0006_changes
Revises: 0005_letter_identity
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = '0006_changes'
down_revision = '0005_letter_identity'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('command', sa.String(length=20), nullable=False),
    sa.Column('target', sa.Text(), nullable=False),
    sa.Column('by', sa.Text(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('undone_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['undone_by_id'], ['changes.id'], name='fk_changes_undone_by_id_changes'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_changes_at'), ['at'], unique=False)
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('change_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_events_change_id'), ['change_id'], unique=False)
        batch_op.create_foreign_key('fk_events_change_id_changes', 'changes', ['change_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint('fk_events_change_id_changes', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_events_change_id'))
        batch_op.drop_column('change_id')
    with op.batch_alter_table('changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_changes_at'))
    op.drop_table('changes')
