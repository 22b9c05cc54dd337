"""Later documents as evidence, and the links proposed from them

Three tables: the later documents read as evidence of what became of earlier promises (a reply
a year on, a 回头看 report, a work summary), with their text, and the links between an earlier
commitment and a sentence of one of them: proposed with an outcome, then accepted or rejected
by a person; and what the linker read from each commitment, kept so that one more document
is linked without reading every promise again.

Revision ID: 0010_evidence
Revises: 0009_owner_confidence
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = '0010_evidence'
down_revision = '0009_owner_confidence'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('evidence_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file', sa.Text(), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('doc_date', sa.Date(), nullable=True),
    sa.Column('author', sa.Text(), nullable=True),
    sa.Column('letter_id', sa.Integer(), nullable=True),
    sa.Column('problem', sa.Text(), nullable=True),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['letter_id'], ['letters.id'], name='fk_evidence_documents_letter_id_letters',
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('evidence_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_documents_content_hash'), ['content_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_documents_file'), ['file'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_documents_letter_id'), ['letter_id'], unique=False)
    op.create_table('evidence_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('start_offset', sa.Integer(), nullable=False),
    sa.Column('end_offset', sa.Integer(), nullable=False),
    sa.Column('sentence', sa.Text(), nullable=False),
    sa.Column('sentence_hash', sa.String(length=64), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('decided_outcome', sa.String(length=20), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('later_commitment_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitments.id'], name='fk_evidence_links_commitment_id_commitments',
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['evidence_documents.id'],
                            name='fk_evidence_links_document_id_evidence_documents', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['later_commitment_id'], ['commitments.id'],
                            name='fk_evidence_links_later_commitment_id_commitments', ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('commitment_id', 'document_id', 'sentence_hash',
                        name='uq_evidence_links_commitment_id_document_id_sentence_hash')
    )
    with op.batch_alter_table('evidence_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_links_commitment_id'), ['commitment_id'], unique=False)
        batch_op.create_index('ix_evidence_links_document_state', ['document_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_links_later_commitment_id'), ['later_commitment_id'],
                              unique=False)


    op.create_table('evidence_terms',
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('text_pairs', sa.Text(), nullable=False),
    sa.Column('context_pairs', sa.Text(), nullable=False),
    sa.Column('numbers', sa.Text(), nullable=False),
    sa.Column('whole', sa.Boolean(), nullable=False),
    sa.Column('context', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitments.id'],
                            name='fk_evidence_terms_commitment_id_commitments', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('commitment_id')
    )


def downgrade() -> None:
    op.drop_table('evidence_terms')
    op.drop_table('evidence_links')
    op.drop_table('evidence_documents')
