"""Lineage's rule: when one figure restates another, with what verdict, and proposing those links.

The decisions a curator makes on links (confirm, remove, undo) are in store.curation.lineage, which
also explains the verdicts. This part only reads figures and writes proposals inside the caller's
transaction, so the seed loader (store.opening) proposes links as an import or an edit does.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, aliased

from store.models import Anchor, Cluster, Document, Entity, Figure, LineageLink, Metric, utcnow
from store.query import conflict_rule as rule
from store.query.conflicts import INACTIVE
from store.values.exact import parse_exact

CORROBORATES, ROUNDS, DIFFERS = "corroborates", "rounds", "differs"
VERDICTS = (CORROBORATES, ROUNDS, DIFFERS)
PROPOSED, CONFIRMED, REMOVED = "proposed", "confirmed", "removed"
OFFICIAL = "official"
_MAX_DECIMALS = 8


# --- the rule -------------------------------------------------------------------------------------
def _step(value: Fraction, scale: str, exact_to_units: bool) -> Fraction:
    """The place of the last nonzero digit as written, in base units; exact_to_units: at most 1 of the scale."""
    factor = Fraction(rule.scale_factor(scale)).limit_denominator()
    mantissa = abs(value / factor)
    if mantissa == 0:
        return factor
    step = Fraction(0)  # no finite last digit (1/3): exact
    for exponent in range(15, -_MAX_DECIMALS - 1, -1):
        place = Fraction(10) ** exponent
        if (mantissa / place).denominator == 1:
            step = place
            break
    if exact_to_units:
        step = min(step, Fraction(1))
    return step * factor


def _ends_agree(a: Fraction, a_row: LinkableRow, b: Fraction, b_row: LinkableRow) -> bool:
    """store.query.conflict_rule's reading, exactly: rounding for two stated values, else their intervals
    ("over 8 trillion" is not 7.9 trillion, but is 8.2 trillion)."""
    step_a = _step(a, a_row.scale, not rule.is_approximate(a_row.qualifier))
    step_b = _step(b, b_row.scale, not rule.is_approximate(b_row.qualifier))
    sides = (rule.bound(a_row.qualifier), rule.bound(b_row.qualifier))
    return not rule.disagree(a, step_a, b, step_b, sides, half=Fraction(1, 2))


def verdict(figure: LinkableRow, source: LinkableRow) -> str:
    """The verdict for two figure rows of one key (value_text, value_max_text, scale, qualifier)."""
    a, b = parse_exact(figure.value_text), parse_exact(source.value_text)
    a_max = parse_exact(figure.value_max_text) if figure.value_max_text else None
    b_max = parse_exact(source.value_max_text) if source.value_max_text else None
    if a == b and a_max == b_max and rule.bound(figure.qualifier) == rule.bound(source.qualifier):
        return CORROBORATES
    if (a_max is None) != (b_max is None):
        return DIFFERS
    if not _ends_agree(a, figure, b, source):
        return DIFFERS
    if a_max is not None and not _ends_agree(a_max, figure, b_max, source):
        return DIFFERS
    return ROUNDS


def _sides(one: LinkableRow, other: LinkableRow) -> tuple[LinkableRow, LinkableRow] | None:
    """(restatement, source) for two figures of one key, or None when they are not linked."""
    if one.document_id == other.document_id:
        return None
    one_official, other_official = one.doc_kind == OFFICIAL, other.doc_kind == OFFICIAL
    if not (one_official or other_official):
        return None
    if one_official and other_official:  # two official documents: the earlier one is the source
        first = min((one, other), key=lambda row: (row.published or "9999", row.document_id))
        return (other, one) if first is one else (one, other)
    return (other, one) if one_official else (one, other)


# --- reading figures --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class LinkableRow:
    """A figure as the lineage rule reads it: its conflict key's parts, its value and its document."""

    id: int
    value_text: str
    value_max_text: str | None
    unit: str
    scale: str
    qualifier: str
    period: str
    growth: str
    projected: bool
    status: str
    metric_id: int
    entity_id: int
    metric: str  # keys and English names, as in store.query.rows.FigureRow
    metric_name: str
    entity: str
    entity_name: str
    cluster: str | None
    cluster_name: str | None
    document_id: int
    doc_title: str
    doc_kind: str | None  # "official" for a statistics bureau's or a government's document
    published: str  # the document's publication date as given ("" unknown): the earlier official is the source
    start: int
    end: int
    quote: str


def _select():
    cluster = aliased(Cluster)
    return (
        select(Figure.id, Figure.value_text, Figure.value_max_text, Figure.unit, Figure.scale, Figure.qualifier,
               Figure.period, Figure.growth, Figure.projected, Figure.status, Figure.metric_id, Figure.entity_id,
               Metric.key.label("metric"), Metric.name.label("metric_name"), Entity.key.label("entity"),
               Entity.name.label("entity_name"), cluster.key.label("cluster"), cluster.name.label("cluster_name"),
               Document.id.label("document_id"), Document.title.label("doc_title"), Document.kind.label("doc_kind"),
               Document.published, Anchor.start, Anchor.end, Anchor.quote)
        .join(Anchor, Anchor.figure_id == Figure.id).join(Document, Document.id == Anchor.document_id)
        .join(Metric, Metric.id == Figure.metric_id).join(Entity, Entity.id == Figure.entity_id)
        .outerjoin(cluster, cluster.id == Figure.cluster_id)
    )


def linkable_rows(session: Session, where) -> list[LinkableRow]:
    return [LinkableRow(**row) for row in session.execute(_select().where(where).order_by(Figure.id)).mappings()]


def id_chunks(ids: list[int], size: int = 500) -> Iterable[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


_FEW_KEYS = 50  # up to this many (metric, entity, period) triples: indexed look-ups; more: one pass over all


def _counterparts(session: Session, touched: list[LinkableRow]) -> list[LinkableRow]:
    """Every active figure that could share a key with a touched one (same metric, entity and period)."""
    triples = sorted({(row.metric_id, row.entity_id, row.period) for row in touched})
    if len(triples) > _FEW_KEYS:  # every official figure (the seeds, a big import): one read beats many scans
        wanted = set(triples)
        return [row for row in linkable_rows(session, Figure.status.not_in(INACTIVE))
                if (row.metric_id, row.entity_id, row.period) in wanted]
    same = or_(*(and_(Figure.metric_id == metric, Figure.entity_id == entity, Figure.period == period)
                 for metric, entity, period in triples))
    return linkable_rows(session, same & Figure.status.not_in(INACTIVE))


def _wanted_pairs(touched: list[LinkableRow], others: list[LinkableRow]
                  ) -> dict[tuple[int, int], tuple[LinkableRow, LinkableRow]]:
    """(figure id, source id) -> (figure row, source row) for every link the rule makes among these figures."""
    by_key: dict[tuple, list[LinkableRow]] = {}
    for row in others:
        key = rule.conflict_key(row)
        if key is not None:
            by_key.setdefault(key, []).append(row)
    pairs = {}
    for row in touched:
        if row.status in INACTIVE:
            continue
        for other in by_key.get(rule.conflict_key(row), []) if rule.conflict_key(row) is not None else []:
            sides = _sides(row, other)
            if sides is not None:
                pairs[(sides[0].id, sides[1].id)] = sides
    return pairs


def propose_in(session: Session, figure_ids: Iterable[int] | None, recorder=None, by: str | None = None) -> int:
    """Propose the links of these figures (None: every figure of an official document) within the caller's
    transaction: new links are added, a link whose values changed gets its new verdict, a proposed link
    whose figures no longer share a key goes. Removed links stay removed. With a recorder, every row it
    writes is part of the caller's action (history, undo); without one (loading the seeds), plain rows.
    Returns how many links it added or changed."""
    session.flush()
    if figure_ids is None:
        touched = linkable_rows(session, (Document.kind == OFFICIAL) & Figure.status.not_in(INACTIVE))
        touched_ids = None
    else:
        touched_ids = sorted(set(int(i) for i in figure_ids))
        touched = [row for chunk in id_chunks(touched_ids) for row in linkable_rows(session, Figure.id.in_(chunk))]
    if not touched:
        return 0
    pairs = _wanted_pairs(touched, _counterparts(session, touched))
    existing = _existing_links(session, touched_ids if touched_ids is not None else [r.id for r in touched])
    changed = 0
    by = by if by is not None else (recorder.action.by if recorder is not None else "")
    now = utcnow()
    for pair, (figure, source) in pairs.items():
        found = verdict(figure, source)
        link = existing.pop(pair, None)
        if link is None:
            link = LineageLink(figure_id=pair[0], source_id=pair[1], verdict=found, status=PROPOSED,
                               created_by=by, created_at=now, decided_by="", decided_at=None, version=1)
            recorder.add(link) if recorder is not None else session.add(link)
            changed += 1
        elif link.status != REMOVED and link.verdict != found:
            if recorder is not None:
                recorder.touch(link)
            link.verdict = found
            changed += 1
    for link in existing.values():  # no longer the same key (an edit): a proposal goes, a decision stays
        if link.status == PROPOSED:
            recorder.delete(link) if recorder is not None else session.delete(link)
            changed += 1
    return changed


def _existing_links(session: Session, figure_ids: list[int]) -> dict[tuple[int, int], LineageLink]:
    found = {}
    for chunk in id_chunks(sorted(set(figure_ids))):
        for link in session.scalars(select(LineageLink).where(
                or_(LineageLink.figure_id.in_(chunk), LineageLink.source_id.in_(chunk)))):
            found[(link.figure_id, link.source_id)] = link
    return found
