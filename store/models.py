"""The schema: documents, the cluster taxonomy, metrics, figures and their anchors.

A figure's value is kept twice on purpose: `value` (a float) for sorting,
charting and aggregate queries, and `value_text` (the exact decimal or p/q
fraction) for display and export, so that nothing is silently rounded.
Offsets in anchors count Python code points of `Document.text`, which is also
what SQLite's and PostgreSQL's substr() count.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.sql.expression import false


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Key/value facts about the store itself (e.g. when the seeds were loaded)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Document(Base):
    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255), unique=True)
    title: Mapped[str] = mapped_column(Text)
    title_supplied: Mapped[bool] = mapped_column(Boolean, default=False)
    publisher: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[str] = mapped_column(String(32), default="")
    date_basis: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(16), default="")
    language_notes: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(Text, default="", server_default="")
    place: Mapped[str] = mapped_column(Text, default="", server_default="")
    # official | news | other ('' = not yet known)
    kind: Mapped[str] = mapped_column(String(16), default="", server_default="")
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    encoding: Mapped[str] = mapped_column(String(32), default="utf-8")
    origin: Mapped[str] = mapped_column(String(16), default="seed")
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Grouping(Base):
    __tablename__ = "groupings"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("groupings.id"), index=True)


cluster_groupings = Table(
    "cluster_groupings",
    Base.metadata,
    Column("cluster_id", ForeignKey("clusters.id", ondelete="CASCADE"), primary_key=True),
    Column("grouping_id", ForeignKey("groupings.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_cluster_groupings_grouping", "grouping_id"),
)


class Cluster(Base):
    __tablename__ = "clusters"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")
    aliases: Mapped[list] = mapped_column(JSON, default=list)
    name_zh: Mapped[str] = mapped_column(Text, default="", server_default="")
    groupings: Mapped[list[Grouping]] = relationship(secondary=cluster_groupings)


class Entity(Base):
    __tablename__ = "entities"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32), default="")
    aliases: Mapped[list] = mapped_column(JSON, default=list)
    name_zh: Mapped[str] = mapped_column(Text, default="", server_default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"))


class Metric(Base):
    __tablename__ = "metrics"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(Text)
    unit_kind: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text, default="")
    # Other names in either language (研发投入, R&D spending): matched when an import reads a metric.
    aliases: Mapped[list | None] = mapped_column(JSON, default=list)
    name_zh: Mapped[str] = mapped_column(Text, default="", server_default="")


class Figure(Base):
    __tablename__ = "figures"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(String(64), unique=True)
    value: Mapped[float] = mapped_column(Float)
    value_text: Mapped[str] = mapped_column(String(64))
    value_max: Mapped[float | None] = mapped_column(Float)
    value_max_text: Mapped[str | None] = mapped_column(String(64))
    unit: Mapped[str] = mapped_column(String(64))
    scale: Mapped[str] = mapped_column(String(32), default="")
    qualifier: Mapped[str] = mapped_column(String(32), default="")
    period: Mapped[str] = mapped_column(String(32), default="")
    period_start: Mapped[str | None] = mapped_column(String(7))
    period_end: Mapped[str | None] = mapped_column(String(7))
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"))
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("clusters.id"))
    metric_id: Mapped[int] = mapped_column(ForeignKey("metrics.id"))
    status: Mapped[str] = mapped_column(String(16), default="candidate")
    status_reason: Mapped[str] = mapped_column(Text, default="")
    status_by: Mapped[str] = mapped_column(String(128), default="")
    status_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Set when the typed value disagrees with the number in the quote (kept, shown, never silent).
    flag: Mapped[str] = mapped_column(Text, default="", server_default="")
    superseded_by_id: Mapped[int | None] = mapped_column(Integer)  # a figure id; checked by store.curation
    # What the figure means as the text states it (migration 0003): the words that name the metric,
    # level or change (and a change's stated base), a target rather than an outcome, and the words
    # each part was read from ({"period": "2025年", ...}), shown to the reviewer.
    metric_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    growth: Mapped[str] = mapped_column(String(16), default="", server_default="")
    growth_base: Mapped[str] = mapped_column(Text, default="", server_default="")
    projected: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    reading: Mapped[dict | None] = mapped_column(JSON)

    entity: Mapped[Entity] = relationship()
    cluster: Mapped[Cluster | None] = relationship()
    metric: Mapped[Metric] = relationship()
    anchor: Mapped[Anchor] = relationship(back_populates="figure", uselist=False)

    __table_args__ = (
        Index("ix_figures_cluster", "cluster_id"),
        Index("ix_figures_metric_period", "metric_id", "period_start"),
        Index("ix_figures_entity", "entity_id"),
        Index("ix_figures_status", "status"),
        Index("ix_figures_value", "value"),
    )


class Anchor(Base):
    """Where a figure is stated: the exact span of its document."""

    __tablename__ = "anchors"
    id: Mapped[int] = mapped_column(primary_key=True)
    figure_id: Mapped[int] = mapped_column(ForeignKey("figures.id", ondelete="CASCADE"))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    quote: Mapped[str] = mapped_column(Text)
    prefix: Mapped[str] = mapped_column(Text, default="")
    suffix: Mapped[str] = mapped_column(Text, default="")
    doc_sha256: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16), default="exact")

    figure: Mapped[Figure] = relationship(back_populates="anchor")
    document: Mapped[Document] = relationship()

    __table_args__ = (UniqueConstraint("figure_id", name="uq_anchors_figure"),)


class Annotation(Base):
    """A curator's note on a figure, a cluster, or a span of a document. Always shown as plain text."""

    __tablename__ = "annotations"
    id: Mapped[int] = mapped_column(primary_key=True)
    target: Mapped[str] = mapped_column(String(16))  # figure | cluster | span
    figure_id: Mapped[int | None] = mapped_column(ForeignKey("figures.id", ondelete="CASCADE"), index=True)
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("clusters.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    quote: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)


class Action(Base):
    """One user action, written in one transaction: an edit, or the undo of an earlier action."""

    __tablename__ = "actions"
    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16), default="edit")  # edit | undo | revert
    undoes_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id"))
    by: Mapped[str] = mapped_column(String(128), default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Change(Base):
    """A row as it was before and after an action (None: it did not exist). Undo replays `before`."""

    __tablename__ = "changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id"), index=True)
    table: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[int] = mapped_column(Integer)
    figure_id: Mapped[int | None] = mapped_column(Integer, index=True)  # the figure a change belongs to, for its history
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)

    __table_args__ = (Index("ix_changes_row", "table", "row_id"),)


class LineageLink(Base):
    """One figure restates another (store.lineage): `figure_id` restates `source_id`, the official (or earlier)
    side. Never deleted: a curator's removal is status "removed", so a later proposal does not bring it back."""

    __tablename__ = "lineage_links"
    id: Mapped[int] = mapped_column(primary_key=True)
    figure_id: Mapped[int] = mapped_column(ForeignKey("figures.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("figures.id", ondelete="CASCADE"), index=True)
    verdict: Mapped[str] = mapped_column(String(16))  # corroborates | rounds | differs
    status: Mapped[str] = mapped_column(String(16), default="proposed")  # proposed | confirmed | removed
    created_by: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_by: Mapped[str] = mapped_column(String(128), default="")
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (UniqueConstraint("figure_id", "source_id", name="uq_lineage_links_pair"),)
