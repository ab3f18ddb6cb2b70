"""Bilingual names: a metric, cluster, entity or grouping has an English name and a Chinese one.

A view shows the name in the language the user chose (English or 中文) and falls back to the
other when one is missing; a filter matches either. Groupings have no name_zh column (the
schema's bilingual names came with migration 0003, for metrics, clusters and entities only):
their Chinese names are kept in the meta table, written with the seeds.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the GUI imports pick() before the first paint; SQLAlchemy loads after it
    from sqlalchemy.orm import Session

LANGUAGES = ("en", "zh")
LANGUAGE_NAMES = {"en": "English", "zh": "中文"}
GROUPING_NAMES_KEY = "grouping_names_zh"


def pick(name: str | None, name_zh: str | None, language: str) -> str:
    """The name in `language`, else the other one ('' when there is neither)."""
    first, second = (name_zh, name) if language == "zh" else (name, name_zh)
    return (first or "").strip() or (second or "").strip()


def both(name: str | None, name_zh: str | None) -> str:
    """Both names, case-folded, for a filter that matches either language."""
    return f"{name or ''}\n{name_zh or ''}".casefold()


def grouping_names_zh(session: Session) -> dict[str, str]:
    """Grouping key -> Chinese name (empty for a store seeded before they existed)."""
    from sqlalchemy import select

    from store.models import Meta

    text = session.scalar(select(Meta.value).where(Meta.key == GROUPING_NAMES_KEY))
    try:
        found = json.loads(text) if text else {}
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}
