"""Child process: the GUI timings on one store, and this process's peak RSS.

    python -m tests.perf.gui_probe --db PATH

Prints one JSON object per line: the results so far after each phase (so that a crash
late in the run keeps the earlier numbers); the parent reads the last one. Keys:
select_p95_ms, filter_p95_ms, sort_ms, rss_mb (peak RSS in MiB, from ru_maxrss), load_ms,
"details" (per phase) and "errors" (metric -> one line).

Every timing runs from just before the action to just after a forced repaint:
settle() (process events until idle, waiting for any worker thread of the global
QThreadPool and the results it queues), then figures_panel.table.viewport().repaint()
and charts.repaint(), which paint synchronously.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import sys
import tempfile
import time

from tests.perf.common import error_text, median, p95

# The node select_p95_ms alternates with the root: the cluster or grouping node whose figure count is
# nearest this (by ratio). A synthetic million-figure store spreads its figures over ~3,300 clusters
# (the largest holds ~1,500), so there the nearest is a grouping of clusters (tier_trillion, ~8,700).
TARGET_FIGURES = 10_000
NODE_KINDS = ("cluster", "grouping")
SELECTIONS = 20
FILTER_WORD = "robot"
SETTLE_TIMEOUT_S = 900.0


def rss_mb() -> float:
    # ru_maxrss is in KiB on Linux (bytes on macOS).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def _distance(figures: int) -> float:
    return abs(math.log(figures / TARGET_FIGURES))


class Probe:
    def __init__(self, db: str) -> None:
        from PySide6.QtCore import QSettings

        from gui.app import make_application
        from gui.window.main_window import MainWindow
        from store.opening.config import as_url

        self.url = as_url(db)
        self.app = make_application()
        ini = os.path.join(tempfile.mkdtemp(prefix="cluster-explorer-perf-"), "settings.ini")
        self.window = MainWindow(QSettings(ini, QSettings.Format.IniFormat), self.url)
        self.result: dict = {"details": {}, "errors": {}}

    # --- helpers --------------------------------------------------------------------
    def settle(self) -> None:
        """Process events until idle: no worker running in the global pool, nothing left queued."""
        from PySide6.QtCore import QThreadPool

        pool = QThreadPool.globalInstance()
        deadline = time.perf_counter() + SETTLE_TIMEOUT_S
        while True:
            self.app.processEvents()
            if pool.activeThreadCount():
                pool.waitForDone(5)
            else:
                self.app.processEvents()  # what a finished worker queued, and what that posted
                if not pool.activeThreadCount():
                    return
            if time.perf_counter() > deadline:
                raise TimeoutError(f"events did not settle within {SETTLE_TIMEOUT_S:.0f} s")

    def facets(self):
        """The facets pane beside the table, or None (an app before facets)."""
        return getattr(self.window.figures_panel, "facets_panel", None)

    def repaint(self) -> None:
        self.window.figures_panel.table.viewport().repaint()
        self.window.charts.repaint()
        facets = self.facets()
        if facets is not None and facets.isVisible():
            facets.tree.viewport().repaint()

    def timed(self, action) -> float:
        """ms from before `action()` to after the views have repainted what it changed."""
        started = time.perf_counter()
        action()
        self.settle()
        self.repaint()
        return (time.perf_counter() - started) * 1000

    def emit(self) -> None:
        self.result["rss_mb"] = rss_mb()
        print(json.dumps(self.result), flush=True)

    def rows(self) -> int | None:
        try:
            return self.window.figures_panel.table.model().rowCount()
        except Exception:  # noqa: BLE001
            return None

    # --- phases ---------------------------------------------------------------------
    def load(self) -> None:
        """Show the window and open the store synchronously, as open_store_async's worker would."""
        self.window.show()
        self.settle()
        started = time.perf_counter()
        loaded = getattr(self.window, "_store_loaded", None)
        try:
            from gui.window.main_window import load_store
        except ImportError:
            load_store = None
        if loaded is not None and load_store is not None:
            loaded(load_store(self.url))
        else:  # the entry points moved: open as the app does and wait for the store
            self.window.open_store_async()
            deadline = time.perf_counter() + SETTLE_TIMEOUT_S
            while getattr(self.window, "store", None) is None:
                self.app.processEvents()
                time.sleep(0.005)
                if time.perf_counter() > deadline:
                    raise TimeoutError("the store did not open")
        self.settle()
        self.repaint()
        self.result["load_ms"] = round((time.perf_counter() - started) * 1000, 1)
        facets = self.facets()
        self.result["details"]["load"] = {"rows": self.rows(),
                                          "facets_shown": bool(facets is not None and facets.isVisible())}

    def find_nodes(self):
        """Walk the tree model (model.node(index) -> TreeNode) for the root and a ~10,000-figure node."""
        from PySide6.QtCore import QModelIndex

        model = self.window.tree_panel.model
        root, best = None, None
        stack = [QModelIndex()]
        while stack:
            parent = stack.pop()
            for row in range(model.rowCount(parent)):
                index = model.index(row, 0, parent)
                node = model.node(index)
                if node is None:
                    continue
                if node.kind == "all" and root is None:
                    root = node
                if node.kind in NODE_KINDS and node.counts.figures > 0 and (
                        best is None or _distance(node.counts.figures) < _distance(best.counts.figures)):
                    best = node
                stack.append(index)
        if root is None or best is None:
            raise LookupError(f"tree has no {'root' if root is None else 'cluster or grouping'} node with figures")
        return root, best

    def select(self) -> None:
        root, node = self.find_nodes()
        panel = self.window.tree_panel
        targets = [(node.kind, node.key), (root.kind, root.key)]
        times = {"node": [], "root": []}

        def choose(kind: str, key: str) -> None:
            if not panel.select(kind, key):
                raise LookupError(f"tree_panel.select({kind!r}, {key!r}) found no node")

        for i in range(SELECTIONS):  # root is selected after loading: node, root, node, ...
            kind, key = targets[i % 2]
            times["node" if i % 2 == 0 else "root"].append(self.timed(lambda: choose(kind, key)))
        every = times["node"] + times["root"]
        self.result["select_p95_ms"] = round(p95(every), 1)
        self.result["details"]["select"] = {
            "node": f"{node.kind}:{node.key} ({node.name})", "node_figures": node.counts.figures,
            "root_figures": root.counts.figures,
            "node_median_ms": round(median(times["node"]), 1), "node_max_ms": round(max(times["node"]), 1),
            "root_median_ms": round(median(times["root"]), 1), "root_max_ms": round(max(times["root"]), 1),
        }

    def _select_root(self) -> None:
        if not self.window.tree_panel.select("all", "all"):
            raise LookupError("tree_panel.select('all', 'all') found no root")
        self.settle()

    def filter(self) -> None:
        from PySide6.QtCore import Qt, QTimer
        from PySide6.QtTest import QTest

        self._select_root()
        panel = self.window.figures_panel
        edit = panel.filter_edit
        edit.setFocus()
        apply = getattr(panel, "_apply_filter", None)
        # The facet counts follow a pause in the typing (a timer the loop below stops): each keystroke is
        # timed with them, as the keystroke after which the user stops typing has them.
        recount = getattr(panel, "update_facets", None)
        keys = [(ch, None) for ch in FILTER_WORD] + [(None, Qt.Key.Key_Backspace)] * len(FILTER_WORD)
        times, counts, facet_times = [], [], []
        for char, key in keys:
            def keystroke(char=char, key=key) -> None:
                if char is not None:
                    QTest.keyClick(edit, char)
                else:
                    QTest.keyClick(edit, key)
                if apply is not None:
                    # The panel debounces typing (a single-shot timer, ~150 ms) before it filters. To time the
                    # filtering, not the wait, apply it at once and stop the pending debounce so that it does
                    # not filter a second time inside a later keystroke's timing.
                    apply()
                    for timer in panel.findChildren(QTimer):
                        if timer.isSingleShot() and timer.isActive():
                            timer.stop()
                    if recount is not None:
                        started = time.perf_counter()
                        recount()
                        facet_times.append((time.perf_counter() - started) * 1000)
                else:
                    self._wait_reset()

            times.append(self.timed(keystroke))
            counts.append(self.rows())
        self.result["filter_p95_ms"] = round(p95(times), 1)
        self.result["details"]["filter"] = {
            "keystrokes": len(times), "word": FILTER_WORD, "median_ms": round(median(times), 1),
            "max_ms": round(max(times), 1), "rows_after_each": counts,
            "timing": "keystroke + _apply_filter() (debounce skipped)" if apply is not None
            else "keystroke until the table model resets (includes the debounce)",
        }
        if facet_times:
            self.result["details"]["filter"].update(
                timing="keystroke + _apply_filter() + update_facets() (the debounce and typing pause skipped)",
                facets_median_ms=round(median(facet_times), 1), facets_max_ms=round(max(facet_times), 1))

    def _wait_reset(self) -> None:
        model = self.window.figures_panel.table.model()
        seen = []
        model.modelReset.connect(lambda: seen.append(1))
        deadline = time.perf_counter() + 30
        while not seen and time.perf_counter() < deadline:
            self.app.processEvents()
            time.sleep(0.001)
        if not seen:
            raise TimeoutError("the figures table did not reset within 30 s of a keystroke")

    def sort(self) -> None:
        from PySide6.QtCore import Qt

        from gui.views.figures_model import COLUMN_INDEX

        self._select_root()
        table = self.window.figures_panel.table
        column = COLUMN_INDEX["value"]
        ms = self.timed(lambda: table.sortByColumn(column, Qt.SortOrder.DescendingOrder))
        self.result["sort_ms"] = round(ms, 1)
        self.result["details"]["sort"] = {"column": column, "rows": self.rows(), "order": "descending"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.perf.gui_probe")
    parser.add_argument("--db", required=True)
    args = parser.parse_args(argv)
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    probe = Probe(args.db)
    phases = (("load_ms", probe.load), ("select_p95_ms", probe.select), ("filter_p95_ms", probe.filter),
              ("sort_ms", probe.sort))
    for name, phase in phases:
        try:
            phase()
        except Exception as exc:  # noqa: BLE001 - a failing row is reported, the others still run
            probe.result["errors"][name] = error_text(exc)
            if name == "load_ms":
                for later, _ in phases[1:]:
                    probe.result["errors"][later] = f"not run: the store did not load ({error_text(exc)})"
                probe.emit()
                break
        probe.emit()
    sys.stdout.flush()
    os._exit(0)  # skip teardown: the numbers are out, and closing a million-row window measures nothing


if __name__ == "__main__":
    sys.exit(main())
