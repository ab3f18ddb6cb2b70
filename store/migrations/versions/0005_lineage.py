"""lineage: links between a figure and the figure it restates (a news figure and its official source)

Revision ID: 0005
Revises: 0004

A new table only: nothing existing is rebuilt, so the figure_sources view (0004) is untouched.
A removed link stays as a row with status "removed": proposing again never brings it back.
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'lineage_links',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('figure_id', sa.Integer(), sa.ForeignKey('figures.id', ondelete='CASCADE'), nullable=False),
        sa.Column('source_id', sa.Integer(), sa.ForeignKey('figures.id', ondelete='CASCADE'), nullable=False),
        sa.Column('verdict', sa.String(length=16), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('created_by', sa.String(length=128), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('decided_by', sa.String(length=128), nullable=False),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.UniqueConstraint('figure_id', 'source_id', name='uq_lineage_links_pair'),
    )
    op.create_index('ix_lineage_links_figure_id', 'lineage_links', ['figure_id'])
    op.create_index('ix_lineage_links_source_id', 'lineage_links', ['source_id'])


def downgrade() -> None:
    op.drop_index('ix_lineage_links_source_id', 'lineage_links')
    op.drop_index('ix_lineage_links_figure_id', 'lineage_links')
    op.drop_table('lineage_links')
