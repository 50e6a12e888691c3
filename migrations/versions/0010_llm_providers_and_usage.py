"""an organization's LLM providers, and its bots' token and cost accounting per day

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 13:00:00
"""
import sqlalchemy as sa
from alembic import op

import core.db


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('llm_providers',
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('model', sa.String(length=200), nullable=False),
    sa.Column('api_base', sa.String(length=500), nullable=True),
    sa.Column('api_version', sa.String(length=32), nullable=True),
    sa.Column('secret', sa.String(length=64), nullable=True),
    sa.Column('fallbacks', sa.JSON(), nullable=False),
    sa.Column('timeout_seconds', sa.Double(), nullable=False),
    sa.Column('input_cost', sa.Double(), nullable=True),
    sa.Column('output_cost', sa.Double(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_llm_providers_org_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_llm_providers')),
    sa.UniqueConstraint('org_id', 'name', name=op.f('uq_llm_providers_org_id_name'))
    )
    op.create_table('llm_usage',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('bot_id', sa.Uuid(), nullable=False),
    sa.Column('provider', sa.String(length=64), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('calls', sa.Integer(), nullable=False),
    sa.Column('cached', sa.Integer(), nullable=False),
    sa.Column('prompt_tokens', sa.Integer(), nullable=False),
    sa.Column('completion_tokens', sa.Integer(), nullable=False),
    sa.Column('cost', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_llm_usage_org_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_llm_usage')),
    sa.UniqueConstraint('org_id', 'bot_id', 'provider', 'day', name=op.f('uq_llm_usage_org_id_bot_id_provider_day'))
    )


def downgrade() -> None:
    op.drop_table('llm_usage')
    op.drop_table('llm_providers')
