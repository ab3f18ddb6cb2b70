"""figure_sources: a read-only view of every figure with its names, its document and its anchor

Revision ID: 0004
Revises: 0003

Datasette, DB Browser for SQLite or `pandas.read_sql("select * from figure_sources", con)` read
curated figures from it without joining six tables. One row per figure: left joins, so a figure
without a cluster (or, in a damaged store, without an anchor) is still there, with NULLs.

The same SQL runs on SQLite and PostgreSQL: every name is quoted ("end", "start", "key" are keywords).
The view depends on the columns it names. On PostgreSQL a later migration that drops or retypes one
of them must drop the view first and make it again; on SQLite a batch migration (which rebuilds a table
and renames it into place) must do the same, since SQLite checks the views when a table is renamed.
"""
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# (output name, source): the figure's own columns first, then what it is about, where it is stated, and its words.
COLUMNS = (
    ('id', 'f."id"'),
    ('key', 'f."key"'),
    ('metric_key', 'm."key"'),
    ('metric', 'm."name"'),
    ('entity_key', 'e."key"'),
    ('entity', 'e."name"'),
    ('cluster_key', 'c."key"'),
    ('cluster', 'c."name"'),
    ('period', 'f."period"'),
    ('period_start', 'f."period_start"'),
    ('period_end', 'f."period_end"'),
    ('value', 'f."value"'),
    ('value_text', 'f."value_text"'),
    ('value_max', 'f."value_max"'),
    ('value_max_text', 'f."value_max_text"'),
    ('unit', 'f."unit"'),
    ('scale', 'f."scale"'),
    ('qualifier', 'f."qualifier"'),
    ('status', 'f."status"'),
    ('metric_text', 'f."metric_text"'),
    ('growth', 'f."growth"'),
    ('projected', 'f."projected"'),
    ('flag', 'f."flag"'),
    ('document_id', 'd."id"'),
    ('document', 'd."file_name"'),
    ('title', 'd."title"'),
    ('publisher', 'd."publisher"'),
    ('published', 'd."published"'),
    ('url', 'd."url"'),
    ('document_kind', 'd."kind"'),
    ('quote', 'a."quote"'),
    ('start', 'a."start"'),
    ('end', 'a."end"'),
    ('prefix', 'a."prefix"'),
    ('suffix', 'a."suffix"'),
    ('anchor_state', 'a."state"'),
)

VIEW = 'figure_sources'
SELECT = (
    'SELECT ' + ', '.join(f'{source} AS "{name}"' for name, source in COLUMNS) + ' '
    'FROM "figures" f '
    'LEFT JOIN "metrics" m ON m."id" = f."metric_id" '
    'LEFT JOIN "entities" e ON e."id" = f."entity_id" '
    'LEFT JOIN "clusters" c ON c."id" = f."cluster_id" '
    'LEFT JOIN "anchors" a ON a."figure_id" = f."id" '
    'LEFT JOIN "documents" d ON d."id" = a."document_id"'
)


def upgrade() -> None:
    op.execute(f'CREATE VIEW "{VIEW}" AS {SELECT}')


def downgrade() -> None:
    op.execute(f'DROP VIEW IF EXISTS "{VIEW}"')
