"""the organization's module library (modules with a draft, immutable published versions)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 04:05:00.000000
"""
import sqlalchemy as sa
from alembic import op

import core.db

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('org_modules',
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('description', sa.String(length=2000), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('input_schema', sa.JSON(), nullable=False),
    sa.Column('output_schema', sa.JSON(), nullable=False),
    sa.Column('test_cases', sa.JSON(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('latest_version', sa.Integer(), nullable=False),
    sa.Column('cache_seconds', sa.Integer(), nullable=False, server_default='0'),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_org_modules_org_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_modules')),
    sa.UniqueConstraint('org_id', 'name', name=op.f('uq_org_modules_org_id_name'))
    )
    op.create_table('org_module_versions',
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('module_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('input_schema', sa.JSON(), nullable=False),
    sa.Column('output_schema', sa.JSON(), nullable=False),
    sa.Column('changelog', sa.Text(), nullable=False),
    sa.Column('cache_seconds', sa.Integer(), nullable=False, server_default='0'),
    sa.Column('published_by', sa.String(length=80), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['module_id'], ['org_modules.id'], name=op.f('fk_org_module_versions_module_id_org_modules'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_org_module_versions_org_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_module_versions')),
    sa.UniqueConstraint('module_id', 'number', name=op.f('uq_org_module_versions_module_id_number'))
    )
    with op.batch_alter_table('org_module_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_org_module_versions_org_id'), ['org_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('org_module_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_org_module_versions_org_id'))
    op.drop_table('org_module_versions')
    op.drop_table('org_modules')
