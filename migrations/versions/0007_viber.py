"""messenger channels: Viber (receipts of sent messages, chats' subscription, the update that
started a chat's conversation)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 07:33:29
"""
import sqlalchemy as sa
from alembic import op

import core.db


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('channel_receipts',
    sa.Column('connection_id', sa.Uuid(), nullable=False),
    sa.Column('message_token', sa.String(length=24), nullable=False),
    sa.Column('chat_id', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=True),
    sa.Column('updated_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['connection_id'], ['channel_connections.id'], name=op.f('fk_channel_receipts_connection_id_channel_connections'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('connection_id', 'message_token', name=op.f('pk_channel_receipts'))
    )
    with op.batch_alter_table('channel_receipts', schema=None) as batch_op:
        batch_op.create_index('ix_channel_receipts_chat', ['connection_id', 'chat_id', 'seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_channel_receipts_updated_at'), ['updated_at'], unique=False)

    with op.batch_alter_table('channel_chats', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subscribed', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('started_by', sa.String(length=64), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('channel_chats', schema=None) as batch_op:
        batch_op.drop_column('started_by')
        batch_op.drop_column('subscribed')

    with op.batch_alter_table('channel_receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_channel_receipts_updated_at'))
        batch_op.drop_index('ix_channel_receipts_chat')

    op.drop_table('channel_receipts')
