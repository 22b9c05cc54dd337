"""Letter identity: a file name is a hint, not a key; each database gets an id of its own

Two letters may now share a file name (two replies saved as 答复.txt in two folders): the
unique constraint on ``letters.file`` becomes a plain index, and an index on the proposal's
number and session serves the look-up that now identifies a letter. Each database gets a
random id in ``settings`` (``database.id``), so calendar events exported from two databases
never share a UID.

Revision ID: 0005_letter_identity
Revises: 0004_department_places
Create Date: 2026-12-02
"""
import uuid
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = '0005_letter_identity'
down_revision = '0004_department_places'
branch_labels = None
depends_on = None

# SQLite keeps the constraint unnamed; a naming convention lets batch mode find it.
_CONVENTION = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _settings():
    return sa.table('settings', sa.column('key', sa.String), sa.column('value', sa.Text),
                    sa.column('updated_at', sa.DateTime))


def upgrade() -> None:
    bind = op.get_bind()
    name = next((u['name'] for u in sa.inspect(bind).get_unique_constraints('letters')
                 if u['column_names'] == ['file']), None) or 'uq_letters_file'
    if bind.dialect.name == 'sqlite':
        with op.batch_alter_table('letters', schema=None, naming_convention=_CONVENTION) as batch_op:
            batch_op.drop_constraint(name, type_='unique')
    else:
        op.drop_constraint(name, 'letters', type_='unique')
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letters_file'), ['file'], unique=False)
        batch_op.create_index('ix_letters_proposal', ['number', 'session'], unique=False)
    op.bulk_insert(_settings(), [{'key': 'database.id', 'value': uuid.uuid4().hex,
                                  'updated_at': datetime.now().replace(microsecond=0)}])


def downgrade() -> None:
    op.execute(_settings().delete().where(sa.column('key') == 'database.id'))
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_index('ix_letters_proposal')
        batch_op.drop_index(batch_op.f('ix_letters_file'))
        batch_op.create_unique_constraint('uq_letters_file', ['file'])
