"""Load seeds/ into a store: documents, taxonomy, and the curated figures.

The loader trusts nothing: each document must match the sha256 of its manifest
entry, every quote must be the text at its offsets, every key must exist, and
every value must be exact. The first failure stops the load, names the file,
row and figure, and nothing is written (one transaction).
"""

from __future__ import annotations

import csv
import hashlib
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from store.errors import SeedError, StoreError
from store.models import Anchor, Cluster, Document, Entity, Figure, Grouping, Meta, Metric
from store.opening.paths import SEEDS_DIR
from store.query.provenance import span_context, span_matches
from store.status import SEEDABLE
from store.values.exact import canonical, parse_exact
from store.values.names import GROUPING_NAMES_KEY
from store.values.periods import parse_period

FIGURE_COLUMNS = (
    "key", "start", "end", "quote", "value", "value_max", "unit", "scale", "qualifier",
    "period", "entity", "cluster", "metric", "status", "note",
)
OPTIONAL_COLUMNS = ("growth",)  # level | change, where the curators state the kind (else the metric's name says)
GROWTH_KINDS = {"", "level", "change"}
SEED_REVIEWER = "seed curators"


@dataclass
class SeedReport:
    documents: int
    figures_by_doc: dict[str, int]

    @property
    def figures(self) -> int:
        return sum(self.figures_by_doc.values())


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SeedError(f"{path.name}: {exc}") from exc


def read_taxonomy(seeds: Path = SEEDS_DIR) -> dict[str, list[dict]]:
    """seeds/taxonomy/*.toml merged: {'grouping': [...], 'cluster': [...], 'entity': [...], 'metric': [...]}."""
    merged: dict[str, list[dict]] = {"grouping": [], "cluster": [], "entity": [], "metric": []}
    for path in sorted((seeds / "taxonomy").glob("*.toml")):
        for kind, items in _read_toml(path).items():
            if kind not in merged:
                raise SeedError(f"{path.name}: unknown table [[{kind}]]")
            merged[kind].extend(items)
    for kind, items in merged.items():
        seen: set[str] = set()
        for item in items:
            if item["key"] in seen:
                raise SeedError(f"taxonomy: {kind} key {item['key']!r} is defined twice")
            seen.add(item["key"])
    return merged


def _load_taxonomy(session: Session, taxonomy: dict[str, list[dict]]) -> dict[str, dict[str, object]]:
    groupings: dict[str, Grouping] = {}
    for position, item in enumerate(taxonomy["grouping"]):
        parent = item.get("parent")
        if parent and parent not in groupings:
            raise SeedError(f"grouping {item['key']!r}: parent {parent!r} must be defined before it")
        grouping = Grouping(
            key=item["key"], name=item["name"], kind=item.get("kind", ""), note=item.get("note", ""),
            position=position, parent_id=None,
        )
        if parent:
            grouping.parent_id = groupings[parent].id
        session.add(grouping)
        session.flush()
        groupings[item["key"]] = grouping
    clusters = {}
    for item in taxonomy["cluster"]:
        missing = [g for g in item.get("groupings", []) if g not in groupings]
        if missing or not item.get("groupings"):
            raise SeedError(f"cluster {item['key']!r}: unknown or missing groupings {missing}")
        cluster = Cluster(
            key=item["key"], name=item["name"], note=item.get("note", ""),
            aliases=list(item.get("aliases", [])), name_zh=item.get("name_zh", ""),
            groupings=[groupings[g] for g in item["groupings"]],
        )
        session.add(cluster)
        clusters[item["key"]] = cluster
    entities: dict[str, Entity] = {}
    for item in taxonomy["entity"]:
        parent = item.get("parent")
        if parent and parent not in entities:
            raise SeedError(f"entity {item['key']!r}: parent {parent!r} must be defined before it")
        entity = Entity(
            key=item["key"], name=item["name"], kind=item.get("kind", ""),
            aliases=list(item.get("aliases", [])), name_zh=item.get("name_zh", ""),
        )
        if parent:
            session.flush()
            entity.parent_id = entities[parent].id
        session.add(entity)
        entities[item["key"]] = entity
    metrics = {}
    for item in taxonomy["metric"]:
        metric = Metric(
            key=item["key"], name=item["name"], unit_kind=item["unit_kind"],
            description=item.get("description", ""),
            aliases=list(item.get("aliases", [])), name_zh=item.get("name_zh", ""),
        )
        session.add(metric)
        metrics[item["key"]] = metric
    session.flush()
    return {"cluster": clusters, "entity": entities, "metric": metrics}


def _load_documents(session: Session, seeds: Path) -> dict[str, Document]:
    documents = {}
    for item in _read_toml(seeds / "documents.toml")["document"]:
        path = seeds / item["file"]
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise SeedError(f"document {item['file']}: {exc.strerror}") from exc
        digest = hashlib.sha256(raw).hexdigest()
        if digest != item["sha256"]:
            raise SeedError(f"document {item['file']}: sha256 {digest} differs from documents.toml")
        document = Document(
            file_name=item["file"], title=item["title"], title_supplied=item.get("title_supplied", False),
            publisher=item.get("publisher", ""), author=item.get("author", ""),
            published=item.get("published", ""), date_basis=item.get("date_basis", ""),
            language=item.get("language", ""), language_notes=item.get("language_notes", ""),
            url=item.get("url", ""), place=item.get("place", ""), kind=item.get("kind", ""),
            text=raw.decode("utf-8"), sha256=digest, encoding="utf-8", origin="seed",
        )
        session.add(document)
        documents[item["file"][:3]] = document
    session.flush()
    return documents


def _figure_from_row(row: dict, where: str, document: Document, keys: dict) -> Figure:
    def lookup(kind: str, optional: bool = False):
        name = row[kind].strip()
        if not name and optional:
            return None
        if name not in keys[kind]:
            raise SeedError(f"{where}: unknown {kind} {name!r}")
        return keys[kind][name]

    try:
        start, end = int(row["start"]), int(row["end"])
        value = parse_exact(row["value"])
        value_max = parse_exact(row["value_max"]) if row["value_max"].strip() else None
        period = parse_period(row["period"])
    except (ValueError, StoreError) as exc:
        raise SeedError(f"{where}: {exc}") from exc
    if not span_matches(document.text, start, end, row["quote"]):
        found = document.text[start:end]
        raise SeedError(
            f"{where}: quote {row['quote']!r} is not the text at {start}:{end} of {document.file_name} "
            f"(found {found!r})"
        )
    growth = (row.get("growth") or "").strip()
    if growth not in GROWTH_KINDS:
        raise SeedError(f"{where}: growth {growth!r} is not one of level, change or empty")
    if row["status"] not in SEEDABLE:
        raise SeedError(f"{where}: status {row['status']!r} is not one of {sorted(SEEDABLE)}")
    prefix, suffix = span_context(document.text, start, end)
    figure = Figure(
        key=row["key"], value=float(value), value_text=canonical(value),
        value_max=float(value_max) if value_max is not None else None,
        value_max_text=canonical(value_max) if value_max is not None else None,
        unit=row["unit"].strip(), scale=row["scale"].strip(), qualifier=row["qualifier"].strip(),
        period=period.text, period_start=period.start, period_end=period.end,
        entity=lookup("entity"), cluster=lookup("cluster", optional=True), metric=lookup("metric"),
        status=row["status"], status_reason=row["note"] if row["status"] == "disputed" else "",
        status_by=SEED_REVIEWER, note=row["note"], created_by=SEED_REVIEWER, growth=growth,
    )
    figure.anchor = Anchor(
        document=document, start=start, end=end, quote=row["quote"], prefix=prefix, suffix=suffix,
        doc_sha256=document.sha256, state="exact",
    )
    return figure


def _load_figures(session: Session, seeds: Path, documents: dict[str, Document], keys: dict) -> dict[str, int]:
    counts = {}
    seen: set[str] = set()
    for path in sorted((seeds / "figures").glob("*.csv")):
        document = documents.get(path.stem)
        if document is None:
            raise SeedError(f"figures/{path.name}: no document numbered {path.stem} in documents.toml")
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            header = tuple(reader.fieldnames or ())
            if header[:len(FIGURE_COLUMNS)] != FIGURE_COLUMNS or header[len(FIGURE_COLUMNS):] not in (
                    (), OPTIONAL_COLUMNS):
                raise SeedError(f"figures/{path.name}: header must be {','.join(FIGURE_COLUMNS)} "
                                f"(then optionally {','.join(OPTIONAL_COLUMNS)})")
            count = 0
            for line, row in enumerate(reader, start=2):
                where = f"figures/{path.name} line {line}, figure {row['key']}"
                if row["key"] in seen:
                    raise SeedError(f"{where}: key used twice")
                seen.add(row["key"])
                session.add(_figure_from_row(row, where, document, keys))
                count += 1
        counts[document.file_name] = count
    return counts


def load_seeds(session: Session, seeds: Path = SEEDS_DIR) -> SeedReport:
    """Load everything in `seeds` within the caller's transaction."""
    if not (seeds / "documents.toml").is_file():
        raise SeedError(f"no seed data at {seeds} (documents.toml is missing)")
    taxonomy = read_taxonomy(seeds)
    keys = _load_taxonomy(session, taxonomy)
    documents = _load_documents(session, seeds)
    counts = _load_figures(session, seeds, documents, keys)
    from store.query.lineage_rule import propose_in

    propose_in(session, None, by=SEED_REVIEWER)  # each restatement linked to its official source, as proposals
    session.merge(Meta(key="seeds_loaded", value=str(seeds)))
    zh = {item["key"]: item["name_zh"] for item in taxonomy["grouping"] if item.get("name_zh")}
    session.merge(Meta(key=GROUPING_NAMES_KEY, value=json.dumps(zh, ensure_ascii=False)))
    session.flush()
    return SeedReport(documents=len(documents), figures_by_doc=counts)
