"""Departments with their place and function classes; where a letter's unit and date came from

A body is now named as it names itself, with its place (温州市瓯海区经济和信息化局), and
matched by its function classes (经信局 matches 科技经信局). Existing departments get the
place and classes their names state; aliases and merges a person made are left as they are.
Letters record where their replying unit and date were read (signature, title line, page).

Revision ID: 0004_department_places
Revises: 0003_followup
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = '0004_department_places'
down_revision = '0003_followup'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('place', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('functions', sa.Text(), server_default='', nullable=False))
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_source', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('date_source', sa.Text(), nullable=True))
    _read_names()


def _read_names() -> None:
    """Each stored name read again by the name grammar, for its place and function classes."""
    from ouhai_tracker.extract.departments import department_from_name

    departments = sa.table('departments', sa.column('id', sa.Integer), sa.column('name', sa.Text),
                           sa.column('place', sa.Text), sa.column('functions', sa.Text))
    connection = op.get_bind()
    for department_id, name in connection.execute(sa.select(departments.c.id, departments.c.name)).all():
        found = department_from_name(name)
        if found is None:
            continue
        connection.execute(departments.update().where(departments.c.id == department_id).values(
            place=found.place, functions=" " + " ".join(found.functions) + " " if found.functions else ""))


def downgrade() -> None:
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_column('date_source')
        batch_op.drop_column('unit_source')
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.drop_column('functions')
        batch_op.drop_column('place')
