"""Lineage: which figure restates which (a news figure and the official figure it came from).

A link joins two figures that state the same thing (store.conflict_rule's key: metric, entity, cluster,
period, unit, level or change, target or outcome; every part known) in different documents, one of
them official. The official side is the source; when both are official, the earlier published one.
Two news figures are never linked (neither is a source).

The verdict, in exact arithmetic (Fractions of the figures' value texts, never floats):
- `corroborates`: the same value (and the same upper end of a range);
- `rounds`: equal within the precision the texts state: a number is exact to the last digit written,
  in its scale word's unit ("535 billion" to a billion, "4成" to a tenth), one called approximate
  (约, "about") only to its last nonzero digit (store.conflict_rule's steps); a bound ("over 8 trillion",
  "nearly 270", "less than 30") admits only a value on its side of the number, within that digit
  (8 to 9 trillion; 260 to 270);
- `differs`: the same key, a different value: a conflict between a restatement and its source.

Links are proposed (when a document is imported, when a figure is added or edited, when the seeds
load) and decided by a curator: confirmed, or removed. A removed link stays as a row with status
"removed", so proposing again never brings it back. Every write is one undoable action.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from store import conflict_rule as rule
from store.changes import NOTHING, Changes
from store.conflicts import INACTIVE
from store.errors import StoreError
from store.exact import parse_exact
from store.history import action, current_user
from store.models import Anchor, Cluster, Document, Entity, Figure, LineageLink, Metric, utcnow

CORROBORATES, ROUNDS, DIFFERS = "corroborates", "rounds", "differs"
VERDICTS = (CORROBORATES, ROUNDS, DIFFERS)
PROPOSED, CONFIRMED, REMOVED = "proposed", "confirmed", "removed"
OFFICIAL = "official"
LOWER_BOUNDS = ("over", "at least", "exceed", "more than", "above", "超", "突破", "逾", "不低于", "不少于", "至少")
UPPER_BOUNDS = ("nearly", "less than", "under", "below", "up to", "almost", "close to", "近", "接近", "不到", "不足",
                "低于")
_MAX_DECIMALS = 8


@dataclass(frozen=True)
class LinkEnd:
    """One side of a link: a figure, where it is stated and what it says."""

    id: int
    doc: int
    doc_title: str
    doc_kind: str  # official | news | other ('' when the document's kind is not known)
    start: int
    end: int
    quote: str
    value: str  # the value as exact text ("535000000000", "1/3")
    unit: str
    period: str
    metric: str
    entity: str


@dataclass(frozen=True)
class Link:
    id: int
    figure: LinkEnd  # the restatement
    source: LinkEnd  # the official (or earlier) side
    verdict: str  # corroborates | rounds | differs
    status: str  # proposed | confirmed


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


def _has(qualifier: str, words) -> bool:
    text = (qualifier or "").casefold()
    return any(word in text for word in words)


def _bound_admits(stated: Fraction, scale: str, qualifier: str, other: Fraction) -> bool:
    """A bound ("over 8 trillion", "nearly 270") admits a value on its side, within its last nonzero digit."""
    digit = _step(stated, scale, exact_to_units=False)
    if _has(qualifier, LOWER_BOUNDS):
        return stated <= other <= stated + digit
    if _has(qualifier, UPPER_BOUNDS):
        return stated - digit <= other <= stated
    return False


def _ends_agree(a: Fraction, a_row: dict, b: Fraction, b_row: dict) -> bool:
    """A bound on either side decides ("over 8 trillion" is not 7.9 trillion); else rounding, the coarser step."""
    for stated, row, other in ((a, a_row, b), (b, b_row, a)):
        if _has(row["qualifier"], LOWER_BOUNDS + UPPER_BOUNDS):
            return _bound_admits(stated, row["scale"], row["qualifier"], other)
    step_a = _step(a, a_row["scale"], not rule.is_approximate(a_row["qualifier"]))
    step_b = _step(b, b_row["scale"], not rule.is_approximate(b_row["qualifier"]))
    return abs(a - b) * 2 <= max(step_a, step_b)


def verdict(figure: dict, source: dict) -> str:
    """The verdict for two figure rows of one key (value_text, value_max_text, scale, qualifier)."""
    a, b = parse_exact(figure["value_text"]), parse_exact(source["value_text"])
    a_max = parse_exact(figure["value_max_text"]) if figure.get("value_max_text") else None
    b_max = parse_exact(source["value_max_text"]) if source.get("value_max_text") else None
    if a == b and a_max == b_max:
        return CORROBORATES
    if (a_max is None) != (b_max is None):
        return DIFFERS
    if not _ends_agree(a, figure, b, source):
        return DIFFERS
    if a_max is not None and not _ends_agree(a_max, figure, b_max, source):
        return DIFFERS
    return ROUNDS


def _sides(one: dict, other: dict) -> tuple[dict, dict] | None:
    """(restatement, source) for two figures of one key, or None when they are not linked."""
    if one["doc"] == other["doc"]:
        return None
    one_official, other_official = one["doc_kind"] == OFFICIAL, other["doc_kind"] == OFFICIAL
    if not (one_official or other_official):
        return None
    if one_official and other_official:  # two official documents: the earlier one is the source
        first = min((one, other), key=lambda row: (row["published"] or "9999", row["doc"]))
        return (other, one) if first is one else (one, other)
    return (other, one) if one_official else (one, other)


# --- reading figures --------------------------------------------------------------------------------
def _select():
    cluster = aliased(Cluster)
    return (
        select(Figure.id, Figure.value_text, Figure.value_max_text, Figure.unit, Figure.scale, Figure.qualifier,
               Figure.period, Figure.growth, Figure.projected, Figure.status, Figure.metric_id, Figure.entity_id,
               Metric.key.label("metric"), Metric.name.label("metric_name"), Entity.key.label("entity"),
               Entity.name.label("entity_name"), cluster.key.label("cluster"), cluster.name.label("cluster_name"),
               Document.id.label("doc"), Document.title.label("doc_title"), Document.kind.label("doc_kind"),
               Document.published, Anchor.start, Anchor.end, Anchor.quote)
        .join(Anchor, Anchor.figure_id == Figure.id).join(Document, Document.id == Anchor.document_id)
        .join(Metric, Metric.id == Figure.metric_id).join(Entity, Entity.id == Figure.entity_id)
        .outerjoin(cluster, cluster.id == Figure.cluster_id)
    )


def _rows(session: Session, where) -> list[dict]:
    return [dict(row) for row in session.execute(_select().where(where).order_by(Figure.id)).mappings()]


def _chunks(ids: list[int], size: int = 500) -> Iterable[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def _counterparts(session: Session, touched: list[dict]) -> list[dict]:
    """Every active figure that could share a key with a touched one (same metric, entity and period)."""
    triples = {(row["metric_id"], row["entity_id"], row["period"]) for row in touched}
    found: dict[int, dict] = {}
    metrics = sorted({t[0] for t in triples})
    for chunk in _chunks(metrics):
        for row in _rows(session, Figure.metric_id.in_(chunk) & Figure.status.not_in(INACTIVE)):
            if (row["metric_id"], row["entity_id"], row["period"]) in triples:
                found[row["id"]] = row
    return list(found.values())


def _wanted_pairs(touched: list[dict], others: list[dict]) -> dict[tuple[int, int], tuple[dict, dict]]:
    """(figure id, source id) -> (figure row, source row) for every link the rule makes among these figures."""
    by_key: dict[tuple, list[dict]] = {}
    for row in others:
        key = rule.row_key(row)
        if key is not None:
            by_key.setdefault(key, []).append(row)
    pairs = {}
    for row in touched:
        if row["status"] in INACTIVE:
            continue
        for other in by_key.get(rule.row_key(row), []) if rule.row_key(row) is not None else []:
            sides = _sides(row, other)
            if sides is not None:
                pairs[(sides[0]["id"], sides[1]["id"])] = sides
    return pairs


def propose_in(session: Session, figure_ids: Iterable[int] | None, recorder=None, by: str | None = None) -> int:
    """Propose the links of these figures (None: every figure of an official document) within the caller's
    transaction: new links are added, a link whose values changed gets its new verdict, a proposed link
    whose figures no longer share a key goes. Removed links stay removed. With a recorder, every row it
    writes is part of the caller's action (history, undo); without one (loading the seeds), plain rows.
    Returns how many links it added or changed."""
    session.flush()
    if figure_ids is None:
        touched = _rows(session, (Document.kind == OFFICIAL) & Figure.status.not_in(INACTIVE))
        touched_ids = None
    else:
        touched_ids = sorted(set(int(i) for i in figure_ids))
        touched = [row for chunk in _chunks(touched_ids) for row in _rows(session, Figure.id.in_(chunk))]
    if not touched:
        return 0
    pairs = _wanted_pairs(touched, _counterparts(session, touched))
    existing = _existing_links(session, touched_ids if touched_ids is not None else [r["id"] for r in touched])
    changed = 0
    by = by if by is not None else current_user()
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
    for chunk in _chunks(sorted(set(figure_ids))):
        for link in session.scalars(select(LineageLink).where(
                or_(LineageLink.figure_id.in_(chunk), LineageLink.source_id.in_(chunk)))):
            found[(link.figure_id, link.source_id)] = link
    return found


# --- the API ----------------------------------------------------------------------------------------
def propose_links(store, document_ids=None) -> Changes:
    """Propose the links of the figures of these documents (None: all). Idempotent: a second call writes
    nothing (and returns NOTHING); a removed link is never proposed again."""
    with action(store, "Propose lineage links") as recorder:
        session = recorder.session
        if document_ids is None:
            figure_ids = None
        else:
            docs = sorted({int(d) for d in document_ids})
            figure_ids = [fid for chunk in _chunks(docs) for fid in session.scalars(
                select(Anchor.figure_id).where(Anchor.document_id.in_(chunk)))]
        propose_in(session, figure_ids, recorder)
    return recorder.changes if recorder.changes else NOTHING


def _end(row: dict) -> LinkEnd:
    return LinkEnd(id=row["id"], doc=row["doc"], doc_title=row["doc_title"], doc_kind=row["doc_kind"] or "",
                   start=row["start"], end=row["end"], quote=row["quote"], value=row["value_text"],
                   unit=row["unit"], period=row["period"], metric=row["metric"], entity=row["entity"])


def links(store, figure_ids=None, statuses=(PROPOSED, CONFIRMED)) -> list[Link]:
    """The links touching these figures (either side; None: all), in these statuses, by link id."""
    with store.read() as session:
        query = select(LineageLink).where(LineageLink.status.in_(tuple(statuses))).order_by(LineageLink.id)
        if figure_ids is None:
            found = list(session.scalars(query))
        else:
            ids = sorted({int(i) for i in figure_ids})
            found = {link.id: link for chunk in _chunks(ids) for link in session.scalars(query.where(
                or_(LineageLink.figure_id.in_(chunk), LineageLink.source_id.in_(chunk))))}
            found = [found[i] for i in sorted(found)]
        ends = sorted({i for link in found for i in (link.figure_id, link.source_id)})
        rows = {row["id"]: row for chunk in _chunks(ends) for row in _rows(session, Figure.id.in_(chunk))}
    return [Link(id=link.id, figure=_end(rows[link.figure_id]), source=_end(rows[link.source_id]),
                 verdict=link.verdict, status=link.status)
            for link in found if link.figure_id in rows and link.source_id in rows]


def lineage_states(store) -> dict[int, str]:
    """Figure id -> "official" (an official source agrees: corroborates or rounds) or "differs" (a linked
    source states another value; said even when another link agrees, so the curator looks). A figure with
    no link, or in an official document itself, is absent."""
    with store.read() as session:
        found = session.execute(
            select(LineageLink.figure_id, LineageLink.verdict, Document.kind)
            .join(Anchor, Anchor.figure_id == LineageLink.source_id).join(Document, Document.id == Anchor.document_id)
            .where(LineageLink.status.in_((PROPOSED, CONFIRMED)))).all()
        official_figures = set(session.scalars(
            select(Anchor.figure_id).join(Document, Document.id == Anchor.document_id)
            .where(Document.kind == OFFICIAL, Anchor.figure_id.in_({f for f, _v, _k in found}))))
    states: dict[int, str] = {}
    for figure_id, found_verdict, _kind in found:
        if figure_id in official_figures:
            continue
        if found_verdict == DIFFERS:
            states[figure_id] = DIFFERS
        else:
            states.setdefault(figure_id, OFFICIAL)
    return states


def _decide(store, link_id: int, status: str, label: str) -> Changes:
    with action(store, label) as recorder:
        link = recorder.session.get(LineageLink, int(link_id))
        if link is None:
            raise StoreError(f"there is no lineage link {link_id}")
        if link.status == REMOVED and status == CONFIRMED:
            raise StoreError(f"lineage link {link_id} was removed; undo its removal to confirm it")
        recorder.touch(link)
        link.status = status
        link.decided_by = current_user()
        link.decided_at = utcnow()
    return recorder.changes if recorder.changes else NOTHING


def confirm_link(store, link_id: int) -> Changes:
    """A curator says the figure does restate its source."""
    return _decide(store, link_id, CONFIRMED, "Confirm lineage link")


def remove_link(store, link_id: int) -> Changes:
    """A curator says it does not: status "removed" (never proposed again); undo brings it back."""
    return _decide(store, link_id, REMOVED, "Remove lineage link")
