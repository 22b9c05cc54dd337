"""Following up: outcomes with evidence, members' feedback on letters, settings

Adds the outcome of each commitment (kept apart from its status) with the day it took
effect, evidence on history events, a table of members' ratings of each letter, and a
key/value settings table (what class marks A/B/C mean here). Commitments already done
are taken as kept, on the day their last 'done' event says.

Revision ID: 0003_followup
Revises: 0002
Create Date: 2026-11-27
"""
from datetime import date, datetime

import sqlalchemy as sa
from alembic import op

revision = '0003_followup'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outcome', sa.String(length=20), server_default='not-yet-rated',
                                      nullable=False))
        batch_op.add_column(sa.Column('outcome_on', sa.Date(), nullable=True))
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('evidence', sa.Text(), nullable=True))
    op.create_table('letter_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('letter_id', sa.Integer(), nullable=False),
    sa.Column('rating', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['letter_id'], ['letters.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('letter_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_feedback_letter_id'), ['letter_id'], unique=False)
    op.create_table('settings',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    _done_means_kept()


def _done_means_kept() -> None:
    """`done` always meant kept: say so in the new column, dated by the last done event."""
    commitments = sa.table('commitments', sa.column('id', sa.Integer), sa.column('status', sa.String),
                           sa.column('outcome', sa.String), sa.column('outcome_on', sa.Date))
    events = sa.table('events', sa.column('commitment_id', sa.Integer), sa.column('action', sa.String),
                      sa.column('at', sa.DateTime), sa.column('on_date', sa.Date), sa.column('id', sa.Integer))
    connection = op.get_bind()
    done_ids = connection.execute(sa.select(commitments.c.id).where(commitments.c.status == 'done')).scalars().all()
    for commitment_id in done_ids:
        last = connection.execute(sa.select(events.c.on_date, events.c.at)
                                  .where(events.c.commitment_id == commitment_id, events.c.action == 'done')
                                  .order_by(events.c.id.desc()).limit(1)).first()
        on = None
        if last is not None:
            on = last.on_date or last.at
            if isinstance(on, str):  # SQLite hands back text in a lightweight table
                on = date.fromisoformat(on[:10])
            elif isinstance(on, datetime):
                on = on.date()
        connection.execute(commitments.update().where(commitments.c.id == commitment_id)
                           .values(outcome='kept', outcome_on=on))


def downgrade() -> None:
    op.drop_table('settings')
    with op.batch_alter_table('letter_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_feedback_letter_id'))
    op.drop_table('letter_feedback')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('evidence')
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.drop_column('outcome_on')
        batch_op.drop_column('outcome')
