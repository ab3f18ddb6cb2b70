"""The queries behind the views: SQL paging, sorting, filtering, tree counts, conflicts."""

import pytest
from sqlalchemy import func, select

from store.curation.documents import document_with_spans, list_documents
from store.models import Anchor, Figure
from store.query import FigureQuery
from store.query.browse import SORT_KEYS, count_figures, figure_ids, figure_page, row_of_figure
from store.query.conflicts import conflict_groups, conflict_ids
from store.query.taxonomy import build_tree


def _all_rows(session, query):
    return figure_page(session, query, 0, 100000)


@pytest.mark.parametrize("sort", sorted(SORT_KEYS))
@pytest.mark.parametrize("descending", [False, True])
def test_row_of_figure_agrees_with_the_paged_order(seeded_store, sort, descending):
    query = FigureQuery(sort=sort, descending=descending)
    with seeded_store.read() as session:
        rows = _all_rows(session, query)
        for position in range(0, len(rows), 7):
            assert row_of_figure(session, query, rows[position].id) == position


def test_pages_are_disjoint_and_cover_the_set(seeded_store):
    query = FigureQuery(sort="value", descending=True)
    with seeded_store.read() as session:
        total = count_figures(session, query)
        paged = [r.id for offset in range(0, total, 25) for r in figure_page(session, query, offset, 25)]
        assert paged == figure_ids(session, query)
        assert len(set(paged)) == total == session.scalar(select(func.count()).select_from(Figure))


def test_the_text_filter_needs_every_word_and_ignores_case(seeded_store):
    with seeded_store.read() as session:
        rows = _all_rows(session, FigureQuery(text="ROBOT 2025"))
        assert rows
        for r in rows:
            hay = " ".join(str(getattr(r, k) or "") for k in ("cluster_name", "entity_name", "metric_name", "quote", "doc_title", "note", "period", "status", "qualifier")).lower()
            assert "robot" in hay and "2025" in hay
        assert _all_rows(session, FigureQuery(text="100%_no_such")) == []


def test_tree_counts_come_from_the_figures(seeded_store):
    with seeded_store.read() as session:
        tree = build_tree(session)
        total = session.scalar(select(func.count()).select_from(Figure))
        assert tree.counts.figures == total
        for node in tree.children:
            if node.kind == "grouping":
                assert node.counts.figures == count_figures(session, FigureQuery(cluster_ids=node.cluster_ids))
        unclustered = tree.children[-1]
        assert unclustered.kind == "unclustered"
        assert unclustered.counts.figures == session.scalar(
            select(func.count()).select_from(Figure).where(Figure.cluster_id.is_(None)))


def test_a_cluster_under_two_groupings_appears_under_both(seeded_store):
    with seeded_store.read() as session:
        tree = build_tree(session)
    parents = []

    def walk(node, parent):
        if node.kind == "cluster" and node.key == "new_energy":
            parents.append(parent.key)
        for child in node.children:
            walk(child, node)

    walk(tree, None)
    assert {"emerging10", "tier_trillion", "tier_500bn"} <= set(parents)


def test_conflicts_are_same_key_different_value_and_never_a_period_difference(seeded_store):
    with seeded_store.write() as session:
        a = session.scalars(select(Figure).where(Figure.unit == "%").order_by(Figure.id)).first()
        twin = Figure(value=a.value + 1, value_text="99.5", unit=a.unit, qualifier="", period=a.period,
                      period_start=a.period_start, period_end=a.period_end, entity_id=a.entity_id,
                      cluster_id=a.cluster_id, metric_id=a.metric_id, status="candidate")
        other_period = Figure(value=1, value_text="1", unit=a.unit, period="1999", period_start="1999-01",
                              period_end="1999-12", entity_id=a.entity_id, cluster_id=a.cluster_id,
                              metric_id=a.metric_id, status="candidate")
        session.add_all([twin, other_period])
        session.flush()
        session.add(Anchor(figure_id=twin.id, document_id=a.anchor.document_id, start=a.anchor.start,
                           end=a.anchor.end, quote=a.anchor.quote, doc_sha256=a.anchor.doc_sha256))
        session.add(Anchor(figure_id=other_period.id, document_id=a.anchor.document_id, start=a.anchor.start,
                           end=a.anchor.end, quote=a.anchor.quote, doc_sha256=a.anchor.doc_sha256))
        ids = (a.id, twin.id, other_period.id)
    with seeded_store.read() as session:
        found = conflict_ids(session)
        assert ids[0] in found and ids[1] in found and ids[2] not in found
        assert any(set(group) >= {ids[0], ids[1]} for group in conflict_groups(session))


def test_a_span_that_no_longer_matches_is_flagged(seeded_store):
    with seeded_store.write() as session:
        anchor = session.scalars(select(Anchor).order_by(Anchor.id)).first()
        anchor.quote = anchor.quote + " (edited)"
        victim, document_id = anchor.figure_id, anchor.document_id
    with seeded_store.read() as session:
        _doc, spans = document_with_spans(session, document_id)
        statuses = {fid: status for fid, _s, _e, status in spans}
        assert statuses[victim] == "flagged"
        assert sum(1 for s in statuses.values() if s == "flagged") == 1
        assert {d["id"]: d["figures"] for d in list_documents(session)}[document_id] == len(spans)
