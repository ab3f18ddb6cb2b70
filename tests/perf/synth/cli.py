"""`python -m store synth`: fill a store with synthetic documents and figures (see tests.perf.synth).

For trying the app and its queries at scale on a fresh file, e.g.
`python -m store synth --figures 1000000 --documents 5000 --db /tmp/big.sqlite3`.
Prints one summary line; progress goes to stderr, and only when it is a terminal,
so scripts and tests see the summary alone. Refusals are StoreErrors (one line, exit 2).
"""

from __future__ import annotations

import argparse
import sys

from tests.perf.synth import synth


def add_parser(sub, add_db_option, add_filters) -> str:
    parser = sub.add_parser(
        "synth", help="add synthetic documents and figures, for trying the app at scale",
        description="Add N synthetic figures in D synthetic documents (and a grown taxonomy) to a store, "
                    "deterministically from a seed. The store is marked synthetic and synth refuses to run twice on it.",
    )
    parser.add_argument("--figures", type=int, required=True, metavar="N", help="how many figures to add")
    parser.add_argument("--documents", type=int, required=True, metavar="D", help="how many documents (D <= N)")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0): same seed, same store")
    add_db_option(parser)
    return "synth"


def _progress_line(done: int, total: int) -> None:
    sys.stderr.write(f"\r  {done:,} of {total:,} figures")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def run(store, args: argparse.Namespace) -> int:
    progress = _progress_line if sys.stderr.isatty() else None
    report = synth(store, args.figures, args.documents, seed=args.seed, progress=progress)
    print(f"added {report.figures:,} synthetic figures in {report.documents:,} documents and {report.clusters:,} "
          f"clusters (seed {args.seed}) in {report.seconds:.1f} s, {_rate(report.figures, report.seconds)} figures/s; "
          f"rows written (figures, anchors, documents, revisions, taxonomy, notes): {report.rows:,} in all, "
          f"{_rate(report.rows, report.seconds)}/s over the whole run, {_rate(report.rows, report.write_seconds)}/s "
          f"over the {report.write_seconds:.1f} s in SQLite (inserts, indexes, checks, commit), "
          f"{_rate(report.inserted, report.insert_seconds)}/s over the {report.insert_seconds:.1f} s of inserts: "
          f"{store.path}")
    return 0


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}" if seconds > 0 else "-"
