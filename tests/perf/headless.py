"""Measurements in the benchmark's own process, without Qt: CSV export and the figure finder.

export_csv_s:        store.export.figures.export_figures(store, path, ExportOptions("csv", DEFAULT_COLUMNS)) over every
                     figure in the store (all columns, so every provenance column and the annotations); the
                     wall time of that call alone (the store is opened before the clock starts). It includes
                     the exporter's own fsync and rename into place: that is what a user waits for.
export_csv_pandas_s: the same rows in a pandas DataFrame, read back from that CSV (dtype=str,
                     keep_default_na=False; not timed), then only df.to_csv(other path, index=False) is timed.
extract_mb_s:        store.finder.find_figures over the five seed documents (seeds/*.txt, UTF-8) joined by
                     "\n\n", that block repeated (again joined by "\n\n") until it is at least 10 MB of UTF-8;
                     ONE call over the whole text, as an import of a 10 MB file makes: find_figures(text) (no
                     publication date, no taxonomy); MB = 10^6 bytes of UTF-8, MB/s = bytes / 10^6 / seconds.
                     A detail reports the same call with the taxonomy of a freshly seeded store, as the
                     importers pass it (find_figures(text, published, load_taxonomy(session))).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from tests.perf.common import ROOT, now

EXTRACT_BYTES = 10_000_000


def export_csv(db_path: Path, details: dict) -> tuple[float, float | None, str | None]:
    """(export_csv_s, export_csv_pandas_s, error of the pandas half or None)."""
    from store.export.figures import DEFAULT_COLUMNS, ExportOptions, export_figures
    from store.opening.config import as_url
    from store.opening.core import open_store

    scratch = Path(tempfile.mkdtemp(prefix="cluster-explorer-perf-export-"))
    try:
        store = open_store(as_url(str(db_path)))
        try:
            target = scratch / "figures.csv"
            started = now()
            report = export_figures(store, target, ExportOptions(format="csv", columns=DEFAULT_COLUMNS))
            export_s = now() - started
        finally:
            store.close()
        size = target.stat().st_size
        details["export"] = {"rows": getattr(report, "rows", None), "columns": len(DEFAULT_COLUMNS),
                             "mb": round(size / 1e6, 1), "mb_s": round(size / 1e6 / export_s, 1) if export_s else None}
        try:
            import pandas as pd

            frame = pd.read_csv(target, dtype=str, keep_default_na=False)
            details["export"]["pandas_rows"] = len(frame)
            started = now()
            frame.to_csv(scratch / "pandas.csv", index=False)
            pandas_s = now() - started
            del frame
            return export_s, pandas_s, None
        except Exception as exc:  # noqa: BLE001 - the exporter's own number still stands
            from tests.perf.common import error_text

            return export_s, None, error_text(exc)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _seed_texts() -> list[str]:
    folder = ROOT / "seeds"
    if not folder.is_dir():
        from store.opening.seed import SEEDS_DIR

        folder = Path(SEEDS_DIR)
    paths = sorted(folder.glob("*.txt"))
    if not paths:
        raise FileNotFoundError(f"no seed documents (*.txt) in {folder}")
    return [path.read_text(encoding="utf-8") for path in paths]


def _seed_taxonomy():
    """The taxonomy a real store starts with: a new store (seeded on open) in a temporary folder."""
    from store.finder.names import load_taxonomy
    from store.opening.config import as_url
    from store.opening.core import open_store

    scratch = Path(tempfile.mkdtemp(prefix="cluster-explorer-perf-taxonomy-"))
    try:
        store = open_store(as_url(str(scratch / "seeded.sqlite3")))
        try:
            with store.read() as session:
                return load_taxonomy(session)
        finally:
            store.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def extract(details: dict) -> float:
    from store.finder import find_figures

    texts = _seed_texts()
    block = "\n\n".join(texts)
    copies = -(-EXTRACT_BYTES // len(block.encode("utf-8")))  # ceil: at least 10 MB
    text = "\n\n".join([block] * copies)
    mb = len(text.encode("utf-8")) / 1e6
    started = now()
    found = find_figures(text)
    seconds = now() - started
    details["extract"] = {"documents": len(texts), "copies": copies, "mb": round(mb, 2),
                          "seconds": round(seconds, 2), "candidates": len(found), "call": "find_figures(text)"}
    del found
    try:
        names = _seed_taxonomy()
        started = now()
        find_figures(text, "", names)
        named = now() - started
        details["extract"]["with_seed_taxonomy_mb_s"] = round(mb / named, 2)
    except Exception as exc:  # noqa: BLE001 - a detail only
        from tests.perf.common import error_text

        details["extract"]["with_seed_taxonomy_error"] = error_text(exc)
    return mb / seconds
