"""`python -m gui` (or the `cluster-explorer` launcher): start the desktop app.

`--screenshot PATH` renders the main window offscreen at its default size, with
the store loaded and a cluster and a figure selected, writes a PNG and exits.
"""

from __future__ import annotations

import argparse
import os
import sys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cluster-explorer", description="Cluster Explorer desktop app")
    parser.add_argument("--db", metavar="URL", help="store to open: a SQLite file or a database URL "
                        "(default: $CLUSTER_EXPLORER_DB, else the user data folder)")
    parser.add_argument("--screenshot", metavar="PATH", help="render the main window to a PNG and exit")
    parser.add_argument("--size", default="1280x800", metavar="WxH", help="window size for --screenshot")
    parser.add_argument("--select", default="grouping:tier_trillion", metavar="KIND:KEY",
                        help="tree node to select for --screenshot (default grouping:tier_trillion)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from store.process import ignore_file_size_signal  # a full disk or a file-size limit is an error, not a kill

    ignore_file_size_signal()
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from gui.app import run  # Qt is imported only once the arguments are known to be good

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
