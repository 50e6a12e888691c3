"""an organization's limits on models: calls per minute, tokens per day, dollars per month

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 13:40:00
"""
import sqlalchemy as sa
from alembic import op


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('llm_quotas',
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('calls_per_minute', sa.Integer(), nullable=True),
    sa.Column('tokens_per_day', sa.Integer(), nullable=True),
    sa.Column('cost_per_month', sa.Double(), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_llm_quotas_org_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', name=op.f('pk_llm_quotas'))
    )


def downgrade() -> None:
    op.drop_table('llm_quotas')
