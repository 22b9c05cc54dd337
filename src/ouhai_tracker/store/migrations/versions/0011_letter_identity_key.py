"""A letter's identity as one unique value; its role, its file's time, the rules it was read with

A letter is now one unit's reply, in one role (lead or co-organiser), to one proposal, with its
own date and title (extract/identity.py). ``letters.identity`` holds that as one value under a
unique index, so two trackers importing one letter at once (PostgreSQL) store it once;
``letters.role`` the unit's role; ``letters.file_modified`` the file's time, which tells the
newer of two versions of one letter dated the same day; ``letters.extracted_with`` the rules and
settings its facts were read with (NULL for the letters stored before: read again by `tracker
reread`). Proposal numbers are stored as numbers
(第036号 -> "36"), and an index on (date, title) serves the look-up of a letter without a number.
Letters stored twice before are kept apart (the later ones' identity names their id).

Revision ID: 0011_letter_identity_key
Revises: 0010_evidence
Create Date: 2026-12-07
"""
import json

import sqlalchemy as sa
from alembic import op

revision = '0011_letter_identity_key'
down_revision = '0010_evidence'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from ouhai_tracker.extract.identity import Identity, letter_role, proposal_number

    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role', sa.String(length=20), server_default='lead', nullable=False))
        batch_op.add_column(sa.Column('identity', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('file_modified', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('extracted_with', sa.JSON(), nullable=True))
    letters = sa.table('letters', sa.column('id', sa.Integer), sa.column('text', sa.Text),
                       sa.column('content_hash', sa.String), sa.column('number', sa.Text),
                       sa.column('session', sa.Text), sa.column('replying_unit', sa.Text),
                       sa.column('proposers', sa.JSON), sa.column('letter_date', sa.Date),
                       sa.column('title', sa.Text), sa.column('role', sa.String), sa.column('identity', sa.String))
    bind = op.get_bind()
    seen = set()
    rows = bind.execute(sa.select(letters.c.id, letters.c.text, letters.c.content_hash, letters.c.number,
                                  letters.c.session, letters.c.replying_unit, letters.c.proposers,
                                  letters.c.letter_date, letters.c.title).order_by(letters.c.id)).all()
    for row in rows:
        proposers = row.proposers if isinstance(row.proposers, list) else json.loads(row.proposers or "[]")
        role = letter_role(row.text or "")
        number = proposal_number(row.number)
        key = Identity(number, row.session, row.replying_unit, role, tuple(proposers or ()), row.letter_date,
                       row.title).key(row.content_hash)
        if key in seen:  # stored twice before: both kept, told apart by id
            key = f"{key[:50]}#{row.id}"
        seen.add(key)
        bind.execute(letters.update().where(letters.c.id == row.id).values(number=number, role=role, identity=key))
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.create_index('ix_letters_date_title', ['letter_date', 'title'], unique=False)
        batch_op.create_index('uq_letters_identity', ['identity'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_index('uq_letters_identity')
        batch_op.drop_index('ix_letters_date_title')
        batch_op.drop_column('extracted_with')
        batch_op.drop_column('file_modified')
        batch_op.drop_column('identity')
        batch_op.drop_column('role')
