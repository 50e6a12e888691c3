"""conversations summed up by a model (the report block)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26 13:40:00
"""
import sqlalchemy as sa
from alembic import op

import core.db


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('llm_reports',
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('bot_id', sa.Uuid(), nullable=False),
    sa.Column('conversation_id', sa.Uuid(), nullable=False),
    sa.Column('block_id', sa.String(length=64), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('provider', sa.String(length=64), nullable=False),
    sa.Column('model', sa.String(length=200), nullable=False),
    sa.Column('messages', sa.Integer(), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_llm_reports_org_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_llm_reports'))
    )
    with op.batch_alter_table('llm_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_llm_reports_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_llm_reports_org_id'), ['org_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('llm_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_llm_reports_org_id'))
        batch_op.drop_index(batch_op.f('ix_llm_reports_conversation_id'))

    op.drop_table('llm_reports')
