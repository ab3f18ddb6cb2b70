"""meaning: citation fields of a document (url, place, kind) and what a figure means as read (metric words, growth, projected), bilingual names

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN with server defaults (see 0002: a batch rebuild of `figures` would cascade).
    op.add_column('documents', sa.Column('url', sa.Text(), nullable=False, server_default=''))
    op.add_column('documents', sa.Column('place', sa.Text(), nullable=False, server_default=''))
    # official | news | other ('' = not yet known): which side of a restatement is the source.
    op.add_column('documents', sa.Column('kind', sa.String(length=16), nullable=False, server_default=''))
    # The words that say what is measured, as written ("全省生产总值", "industrial robot output").
    op.add_column('figures', sa.Column('metric_text', sa.Text(), nullable=False, server_default=''))
    # level | change ('' = not known); for a change, its base where the text states one.
    op.add_column('figures', sa.Column('growth', sa.String(length=16), nullable=False, server_default=''))
    op.add_column('figures', sa.Column('growth_base', sa.Text(), nullable=False, server_default=''))
    # A target or plan (预期目标, 力争, "aims to"), not an outcome.
    op.add_column('figures', sa.Column('projected', sa.Boolean(), nullable=False, server_default=sa.false()))
    # What the finder read each part of the meaning from: {"period": "2025年", "metric": "...", ...}.
    op.add_column('figures', sa.Column('reading', sa.JSON(), nullable=True))
    # Bilingual names: a metric's aliases (研发投入, R&D spending, ...) teach the next import;
    # a Chinese name beside the English one for metrics, clusters and entities.
    op.add_column('metrics', sa.Column('aliases', sa.JSON(), nullable=True))
    for table in ('metrics', 'clusters', 'entities'):
        op.add_column(table, sa.Column('name_zh', sa.Text(), nullable=False, server_default=''))


def downgrade() -> None:
    for table in ('metrics', 'clusters', 'entities'):
        op.drop_column(table, 'name_zh')
    op.drop_column('metrics', 'aliases')
    for column in ('reading', 'projected', 'growth_base', 'growth', 'metric_text'):
        op.drop_column('figures', column)
    for column in ('kind', 'place', 'url'):
        op.drop_column('documents', column)
