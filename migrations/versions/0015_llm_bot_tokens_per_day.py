"""llm bot tokens per day

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-26 15:48:24.757001
"""
from alembic import op
import sqlalchemy as sa
import core.db


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Token limits go up to 10^12 a day (the API allows it): 64-bit columns, the
    # organization's daily limit too (an int32 refused a large limit with a server error).
    with op.batch_alter_table('llm_quotas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bot_tokens_per_day', sa.BigInteger(), nullable=True))
        batch_op.alter_column('tokens_per_day', existing_type=sa.Integer(),
                              type_=sa.BigInteger(), existing_nullable=True)
    with op.batch_alter_table('llm_usage', schema=None) as batch_op:
        for column in ('prompt_tokens', 'completion_tokens'):
            batch_op.alter_column(column, existing_type=sa.Integer(), type_=sa.BigInteger(),
                                  existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('llm_usage', schema=None) as batch_op:
        for column in ('prompt_tokens', 'completion_tokens'):
            batch_op.alter_column(column, existing_type=sa.BigInteger(), type_=sa.Integer(),
                                  existing_nullable=False)
    with op.batch_alter_table('llm_quotas', schema=None) as batch_op:
        batch_op.alter_column('tokens_per_day', existing_type=sa.BigInteger(),
                              type_=sa.Integer(), existing_nullable=True)
        batch_op.drop_column('bot_tokens_per_day')
