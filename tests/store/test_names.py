"""Bilingual names: the seed taxonomy names everything in Chinese too; views pick a language, filters match both."""

from __future__ import annotations

import tomllib

from store.opening.seed import SEEDS_DIR
from store.query import FigureQuery
from store.query.columns import FigureColumns
from store.query.taxonomy import build_tree
from store.values.names import grouping_names_zh, pick

OWN_FILES = ("groupings", "clusters", "entities", "metrics", "added_000", "added_004", "added_b")
HAN = range(0x4E00, 0xA000)


def test_every_seed_name_has_a_chinese_name():
    missing = []
    for stem in OWN_FILES:
        with (SEEDS_DIR / "taxonomy" / f"{stem}.toml").open("rb") as handle:
            for kind, items in tomllib.load(handle).items():
                missing += [f"{stem}:{kind}:{item['key']}" for item in items
                            if not item.get("name_zh") or (item["key"] != "tcl" and not any(ord(c) in HAN for c in item["name_zh"]))]
    assert missing == []


def test_pick_falls_back_to_the_other_language():
    assert pick("Guangdong", "广东省", "zh") == "广东省"
    assert pick("Guangdong", "广东省", "en") == "Guangdong"
    assert pick("TCL", "", "zh") == "TCL"
    assert pick("", "广东省", "en") == "广东省"


def test_the_store_keeps_the_chinese_names_of_groupings_and_clusters(seeded_store):
    with seeded_store.read() as session:
        assert grouping_names_zh(session)["pillar10"] == "十大战略性支柱产业集群"
        tree = build_tree(session)
    nodes = {}

    def walk(node):
        nodes[(node.kind, node.key)] = node
        for child in node.children:
            walk(child)

    walk(tree)
    assert nodes[("grouping", "pillar10")].name_zh == "十大战略性支柱产业集群"
    assert nodes[("cluster", "smart_robots")].name_zh == "智能机器人"


def test_columns_sort_and_name_metrics_in_the_chosen_language(seeded_store):
    with seeded_store.read() as session:
        columns = FigureColumns.load(session)
    english = [name for _, name, _, _ in columns.metric_counts(FigureQuery())]
    columns.set_language("zh")
    chinese = [name for _, name, _, _ in columns.metric_counts(FigureQuery())]
    assert "研发投入强度" in chinese or any("研发" in name for name in chinese)
    assert english != chinese
    ids = columns.select(FigureQuery(sort="cluster"))
    cluster_of = dict(zip(columns.id.tolist(), columns.cluster.tolist()))
    shown = [columns.display_names["cluster"][cluster_of[int(i)]] for i in ids if cluster_of[int(i)] >= 0]
    assert shown == sorted(shown)
    assert "智能机器人" in shown


def test_the_text_filter_matches_either_language(seeded_store):
    with seeded_store.read() as session:
        columns = FigureColumns.load(session)
    robots = set(columns.select(FigureQuery(text="机器人")).tolist())
    smart = {int(i) for i, c in zip(columns.id, columns.cluster) if columns.names["cluster"].get(int(c)) == "Smart robots"}
    assert smart and smart <= robots
    assert set(columns.select(FigureQuery(text="smart robots")).tolist()) >= smart


def test_exports_carry_both_names(seeded_store, tmp_path):
    import json

    from store.export.figures import ExportOptions, export_figures

    out = tmp_path / "figures.json"
    export_figures(seeded_store, out, ExportOptions("json"))
    text = out.read_text(encoding="utf-8")
    records = json.loads(text)
    records = records["figures"] if isinstance(records, dict) and "figures" in records else records
    robot = next(r for r in records if r["cluster"] == "smart_robots")
    assert (robot["cluster_name"], robot["cluster_name_zh"]) == ("Smart robots", "智能机器人")
    assert robot["entity_name_zh"] == "广东省" and robot["metric_name_zh"]
