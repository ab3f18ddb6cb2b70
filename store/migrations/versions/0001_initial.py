"""initial schema: documents, taxonomy, figures, anchors

Revision ID: 0001
Revises:
Create Date: 2026-11-24 01:29:06.210156
"""
import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('clusters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('title_supplied', sa.Boolean(), nullable=False),
    sa.Column('publisher', sa.Text(), nullable=False),
    sa.Column('author', sa.Text(), nullable=False),
    sa.Column('published', sa.String(length=32), nullable=False),
    sa.Column('date_basis', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('language_notes', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('encoding', sa.String(length=32), nullable=False),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('file_name')
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_sha256'), ['sha256'], unique=False)

    op.create_table('entities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['entities.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    op.create_table('groupings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['groupings.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    with op.batch_alter_table('groupings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_groupings_parent_id'), ['parent_id'], unique=False)

    op.create_table('meta',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('metrics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('unit_kind', sa.String(length=32), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    op.create_table('cluster_groupings',
    sa.Column('cluster_id', sa.Integer(), nullable=False),
    sa.Column('grouping_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cluster_id'], ['clusters.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['grouping_id'], ['groupings.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cluster_id', 'grouping_id')
    )
    with op.batch_alter_table('cluster_groupings', schema=None) as batch_op:
        batch_op.create_index('ix_cluster_groupings_grouping', ['grouping_id'], unique=False)

    op.create_table('figures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=True),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('value_text', sa.String(length=64), nullable=False),
    sa.Column('value_max', sa.Float(), nullable=True),
    sa.Column('value_max_text', sa.String(length=64), nullable=True),
    sa.Column('unit', sa.String(length=64), nullable=False),
    sa.Column('scale', sa.String(length=32), nullable=False),
    sa.Column('qualifier', sa.String(length=32), nullable=False),
    sa.Column('period', sa.String(length=32), nullable=False),
    sa.Column('period_start', sa.String(length=7), nullable=True),
    sa.Column('period_end', sa.String(length=7), nullable=True),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=True),
    sa.Column('metric_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=False),
    sa.Column('status_by', sa.String(length=128), nullable=False),
    sa.Column('status_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=128), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cluster_id'], ['clusters.id'], ),
    sa.ForeignKeyConstraint(['entity_id'], ['entities.id'], ),
    sa.ForeignKeyConstraint(['metric_id'], ['metrics.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    with op.batch_alter_table('figures', schema=None) as batch_op:
        batch_op.create_index('ix_figures_cluster', ['cluster_id'], unique=False)
        batch_op.create_index('ix_figures_entity', ['entity_id'], unique=False)
        batch_op.create_index('ix_figures_metric_period', ['metric_id', 'period_start'], unique=False)
        batch_op.create_index('ix_figures_status', ['status'], unique=False)
        batch_op.create_index('ix_figures_value', ['value'], unique=False)

    op.create_table('anchors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('figure_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('prefix', sa.Text(), nullable=False),
    sa.Column('suffix', sa.Text(), nullable=False),
    sa.Column('doc_sha256', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ),
    sa.ForeignKeyConstraint(['figure_id'], ['figures.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('figure_id', name='uq_anchors_figure')
    )
    with op.batch_alter_table('anchors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_anchors_document_id'), ['document_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('anchors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_anchors_document_id'))

    op.drop_table('anchors')
    with op.batch_alter_table('figures', schema=None) as batch_op:
        batch_op.drop_index('ix_figures_value')
        batch_op.drop_index('ix_figures_status')
        batch_op.drop_index('ix_figures_metric_period')
        batch_op.drop_index('ix_figures_entity')
        batch_op.drop_index('ix_figures_cluster')

    op.drop_table('figures')
    with op.batch_alter_table('cluster_groupings', schema=None) as batch_op:
        batch_op.drop_index('ix_cluster_groupings_grouping')

    op.drop_table('cluster_groupings')
    op.drop_table('metrics')
    op.drop_table('meta')
    with op.batch_alter_table('groupings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_groupings_parent_id'))

    op.drop_table('groupings')
    op.drop_table('entities')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_sha256'))

    op.drop_table('documents')
    op.drop_table('clusters')
