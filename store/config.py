"""Where the store lives: --db, then CLUSTER_EXPLORER_DB, then the user's data folder."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_VAR = "CLUSTER_EXPLORER_DB"
APP_NAME = "ClusterExplorer"


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "cluster-explorer.sqlite3"


def resolve_db_url(cli_value: str | None = None) -> str:
    """Return a SQLAlchemy URL. A bare path is taken as a SQLite file."""
    value = cli_value or os.environ.get(ENV_VAR) or str(default_db_path())
    return as_url(value)


def as_url(value: str) -> str:
    if "://" in value:
        return value
    return "sqlite:///" + str(Path(value).expanduser().absolute())


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and :memory:."""
    if not url.startswith("sqlite"):
        return None
    _, _, rest = url.partition(":///")
    if not rest or rest == ":memory:":
        return None
    return Path(rest.split("?", 1)[0])
