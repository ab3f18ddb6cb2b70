"""The installed version of the app, Qt-free: the command line prints it before Qt is imported,
and Help › About shows it."""

from __future__ import annotations


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed_version

    try:
        return installed_version("cluster-explorer")
    except PackageNotFoundError:  # a source tree that was never installed: its pyproject.toml says
        import tomllib
        from pathlib import Path

        try:
            pyproject = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8")
            return tomllib.loads(pyproject)["project"]["version"]
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return "unknown"
