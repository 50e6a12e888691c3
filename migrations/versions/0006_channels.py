"""messenger channels: connections and their chats

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 06:24:41
"""
import sqlalchemy as sa
from alembic import op

import core.db


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('channel_connections',
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('bot_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('token_ciphertext', sa.LargeBinary(), nullable=False),
    sa.Column('token_key_id', sa.String(length=16), nullable=False),
    sa.Column('token_hint', sa.String(length=8), nullable=False),
    sa.Column('webhook_secret_sha256', sa.String(length=64), nullable=True),
    sa.Column('account', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False, server_default='active'),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('dead_letters', sa.JSON(), nullable=False, server_default='[]'),
    sa.Column('commands_version_id', sa.Uuid(), nullable=True),
    sa.Column('received', sa.BigInteger(), nullable=False, server_default='0'),
    sa.Column('sent', sa.BigInteger(), nullable=False, server_default='0'),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['bot_id'], ['bots.id'], name=op.f('fk_channel_connections_bot_id_bots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_channel_connections_org_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_connections')),
    sa.UniqueConstraint('bot_id', 'kind', name=op.f('uq_channel_connections_bot_id_kind'))
    )
    with op.batch_alter_table('channel_connections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_channel_connections_org_id'), ['org_id'], unique=False)

    op.create_table('channel_chats',
    sa.Column('connection_id', sa.Uuid(), nullable=False),
    sa.Column('chat_id', sa.String(length=64), nullable=False),
    sa.Column('conversation_id', sa.Uuid(), nullable=False),
    sa.Column('delivered_seq', sa.Integer(), nullable=False, server_default='0'),
    sa.Column('updated_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['connection_id'], ['channel_connections.id'], name=op.f('fk_channel_chats_connection_id_channel_connections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_channel_chats_conversation_id_conversations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('connection_id', 'chat_id', name=op.f('pk_channel_chats'))
    )
    with op.batch_alter_table('channel_chats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_channel_chats_conversation_id'), ['conversation_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('channel_chats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_channel_chats_conversation_id'))

    op.drop_table('channel_chats')
    with op.batch_alter_table('channel_connections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_channel_connections_org_id'))

    op.drop_table('channel_connections')
