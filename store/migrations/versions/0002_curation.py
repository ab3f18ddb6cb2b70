"""curation: annotations, actions and their row changes (history and undo), figure flag and supersession

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, not batch mode: a batch rebuild of `figures` drops the table, and with
    # foreign keys on, that would cascade into anchors. superseded_by_id is checked by the store.
    op.add_column('figures', sa.Column('flag', sa.Text(), nullable=False, server_default=''))
    op.add_column('figures', sa.Column('superseded_by_id', sa.Integer(), nullable=True))
    op.create_table('annotations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('target', sa.String(length=16), nullable=False),
        sa.Column('figure_id', sa.Integer(), nullable=True),
        sa.Column('cluster_id', sa.Integer(), nullable=True),
        sa.Column('document_id', sa.Integer(), nullable=True),
        sa.Column('start', sa.Integer(), nullable=True),
        sa.Column('end', sa.Integer(), nullable=True),
        sa.Column('quote', sa.Text(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_by', sa.String(length=128), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['figure_id'], ['figures.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['cluster_id'], ['clusters.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_annotations_figure_id', 'annotations', ['figure_id'])
    op.create_index('ix_annotations_cluster_id', 'annotations', ['cluster_id'])
    op.create_index('ix_annotations_document_id', 'annotations', ['document_id'])
    op.create_table('actions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('label', sa.Text(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('undoes_id', sa.Integer(), nullable=True),
        sa.Column('by', sa.String(length=128), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['undoes_id'], ['actions.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table('changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('action_id', sa.Integer(), nullable=False),
        sa.Column('table', sa.String(length=32), nullable=False),
        sa.Column('row_id', sa.Integer(), nullable=False),
        sa.Column('figure_id', sa.Integer(), nullable=True),
        sa.Column('before', sa.JSON(), nullable=True),
        sa.Column('after', sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(['action_id'], ['actions.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_changes_action_id', 'changes', ['action_id'])
    op.create_index('ix_changes_figure_id', 'changes', ['figure_id'])
    op.create_index('ix_changes_row', 'changes', ['table', 'row_id'])


def downgrade() -> None:
    op.drop_table('changes')
    op.drop_table('actions')
    op.drop_table('annotations')
    op.drop_column('figures', 'superseded_by_id')
    op.drop_column('figures', 'flag')
