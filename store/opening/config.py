"""Where the store lives: --db, then CLUSTER_EXPLORER_DB, then the user's data folder.

Also the one place a store's URL is made fit to show: `shown_url` drops the password
(from the user part, from the query, and when an unencoded `@` hides where the password
ends), and `redact` takes it out of any message a driver wrote.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote

import platformdirs

from store.errors import StoreError

ENV_VAR = "CLUSTER_EXPLORER_DB"
APP_NAME = "ClusterExplorer"
HIDDEN = "***"
SECRET_WORDS = ("pass", "pwd", "secret", "token")  # query options whose values are never shown


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "cluster-explorer.sqlite3"


def chosen_store(cli_value: str | None = None) -> str | None:
    """The store the user named (--db, then the environment), or None for the default one.

    `--db ""` is an error, not a fall-back: a script that lost its variable must not open someone
    else's store. An empty CLUSTER_EXPLORER_DB is unset, as the shell convention has it."""
    if cli_value is not None:
        if not cli_value.strip():
            raise StoreError("--db is empty: give a store file's path or a database URL")
        return cli_value
    return os.environ.get(ENV_VAR) or None


def resolve_db_url(cli_value: str | None = None) -> str:
    """Return a SQLAlchemy URL. A bare path is taken as a SQLite file."""
    return as_url(chosen_store(cli_value) or str(default_db_path()))


def as_url(value: str) -> str:
    if not value.strip():
        raise StoreError("the store's name is empty: give a store file's path or a database URL")
    if "://" in value:
        return value
    return "sqlite:///" + str(Path(value).expanduser().absolute())


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and :memory:.

    `sqlite:///file:/x/store.sqlite3?uri=true` names the file /x/store.sqlite3 (SQLite's URI form)."""
    if not url.startswith("sqlite"):
        return None
    _, _, rest = url.partition(":///")
    database, _, query = rest.partition("?")
    if not database or database == ":memory:":
        return None
    if database.startswith("file:") and "uri=true" in query.split("&"):
        database = unquote(re.sub(r"^file:(//localhost(?=/)|//(?=/))?", "", database))
        if not database or database == ":memory:":
            return None
    return Path(database)


def sqlite_options(url: str) -> list[str]:
    """The names of the options a SQLite URL carries (`?uri=true`, `?password=…`, a URI's `?mode=ro`)."""
    _, _, rest = url.partition(":///")
    names = []
    for part in rest.split("?")[1:]:
        names.extend(item.partition("=")[0] for item in part.split("&") if item)
    return names


# --- URLs in messages ------------------------------------------------------------------------------
_QUERY_SECRET = re.compile(r"([?&;\s](?:[^=&\s]*(?:" + "|".join(SECRET_WORDS) + r")[^=&\s]*)=)[^&\s'\"]*",
                           re.IGNORECASE)


def shown_url(url: str) -> str:
    """A URL as a message may show it: the user's name kept, the password (wherever it is) hidden.

    The user part runs to the LAST `@` before the query, so `bob:p@ss@host` hides `p@ss` whole."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return _QUERY_SECRET.sub(r"\1" + HIDDEN, url)
    query_at = rest.find("?")
    head, query = (rest, "") if query_at < 0 else (rest[:query_at], rest[query_at:])
    if "@" in head:
        user_part, _, host = head.rpartition("@")
        user, colon, _password = user_part.partition(":")
        head = f"{user}:{HIDDEN}@{host}" if colon else f"{user}@{host}"
    return scheme + sep + head + _QUERY_SECRET.sub(r"\1" + HIDDEN, query)


def url_secrets(url: str) -> list[str]:
    """The passwords a URL holds (also the pieces of one that holds an unencoded `@`), longest first."""
    _, sep, rest = url.partition("://")
    if not sep:
        return []
    found = []
    head = rest.split("?", 1)[0]
    if "@" in head:
        user_part = head.rpartition("@")[0]
        password = user_part.partition(":")[2]
        found += [password, unquote(password)]
        found += [piece for piece in password.split("@") if len(piece) >= 3]  # what a parser split off at an `@`
        found += [head.partition("@")[2].rpartition("@")[0]]  # the piece a parser took for the host
    found += [m.group(0).partition("=")[2] for m in _QUERY_SECRET.finditer(rest[len(head):])]
    return sorted({s for s in found if len(s) >= 4}, key=len, reverse=True)  # shorter: too common to cut from text


def redact(text: str, url: str | None) -> str:
    """`text` (an error, a warning) with the URL shown without its password, and no password left in it."""
    if not url:
        return text
    text = text.replace(url, shown_url(url))
    for secret in url_secrets(url):
        text = text.replace(secret, HIDDEN)
    return _QUERY_SECRET.sub(r"\1" + HIDDEN, text)
