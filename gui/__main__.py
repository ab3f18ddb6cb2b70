"""`python -m gui` (or the `cluster-explorer` launcher): start the desktop app.

`cluster-explorer PATH...` opens the app and imports the given files as File › Import does.
`--screenshot PATH` renders the main window offscreen (`--size WxH`, `--theme light|dark`), with
the store loaded (and any files given imported), as it opens or with `--select KIND:KEY` and its
first row selected, writes a PNG and exits.
`--install-launcher` / `--uninstall-launcher` add the app to (or remove it from) the desktop's
applications menu; like `--version` they need no display.
"""

from __future__ import annotations

import argparse
import os
import sys

from gui.version import version


class _Version(argparse.Action):
    """--version, with the version looked up only when asked (reading package metadata takes time)."""

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"cluster-explorer {version()}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cluster-explorer", description="Cluster Explorer desktop app")
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="documents to import on start (.txt, .md, .html, a document-dataset .csv), "
                             "as File \u203a Import does")
    parser.add_argument("--db", metavar="URL", help="store to open: a SQLite file or a database URL "
                        "(default: $CLUSTER_EXPLORER_DB, else the user data folder)")
    parser.add_argument("--screenshot", metavar="PATH", help="render the main window to a PNG and exit")
    parser.add_argument("--size", default="1280x800", metavar="WxH", help="window size for --screenshot")
    parser.add_argument("--select", default="", metavar="KIND:KEY",
                        help="tree node to select for --screenshot, with its first row (e.g. "
                             "grouping:tier_trillion; default: the window as it opens)")
    parser.add_argument("--theme", choices=("system", "light", "dark"),
                        help="colours for --screenshot (default: the one chosen in View \u203a Theme)")
    launcher = parser.add_mutually_exclusive_group()
    launcher.add_argument("--install-launcher", action="store_true",
                          help="add Cluster Explorer to the applications menu (Linux: the user's XDG folders)")
    launcher.add_argument("--uninstall-launcher", action="store_true", help="remove what --install-launcher wrote")
    parser.add_argument("--version", action=_Version, nargs=0, help="print the version and exit")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.install_launcher or args.uninstall_launcher:
        from gui.launcher import main as launcher_main  # no Qt: works without a display

        return launcher_main(install_it=args.install_launcher)
    from store.opening.process import (
        ignore_file_size_signal,  # a full disk or a file-size limit is an error, not a kill
    )

    ignore_file_size_signal()
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    args.paths = [os.path.abspath(path) for path in args.paths]
    from gui.app import run  # Qt is imported only once the arguments are known to be good

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
