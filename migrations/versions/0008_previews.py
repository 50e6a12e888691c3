"""scenario previews: a draft revision frozen for an author's test conversations

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 08:07:15
"""
import sqlalchemy as sa
from alembic import op

import core.db


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('scenario_previews',
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('bot_id', sa.Uuid(), nullable=False),
    sa.Column('scenario_id', sa.Uuid(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('document_hash', sa.String(length=64), nullable=False),
    sa.Column('author', sa.String(length=80), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['bot_id'], ['bots.id'], name=op.f('fk_scenario_previews_bot_id_bots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_scenario_previews_org_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['scenario_id'], ['scenarios.id'], name=op.f('fk_scenario_previews_scenario_id_scenarios'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scenario_previews')),
    sa.UniqueConstraint('scenario_id', 'revision', name=op.f('uq_scenario_previews_scenario_id_revision'))
    )
    with op.batch_alter_table('scenario_previews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scenario_previews_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scenario_previews_scenario_id'), ['scenario_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('scenario_previews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scenario_previews_scenario_id'))
        batch_op.drop_index(batch_op.f('ix_scenario_previews_org_id'))

    op.drop_table('scenario_previews')
