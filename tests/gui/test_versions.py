"""A new version of a document in the window: figures re-placed, orphans listed and re-attached, all undoable."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from store.opening.seed import SEEDS_DIR
from tests.gui.helpers import click_tree_node

SEED = (SEEDS_DIR / "003_e841e1e603b82c1f.txt").read_text(encoding="utf-8")
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _doc_003(window) -> int:
    from store.curation.documents import list_documents

    with window.store.read() as session:
        return next(d["id"] for d in list_documents(session) if d["file_name"].startswith("003_"))


def test_a_new_version_lists_its_orphans_and_one_is_re_attached(qtbot, window, tmp_path):
    paragraph = next(p for p in SEED.split("\n\n") if "4.1698 million sets" in p)
    edited = SEED.replace(paragraph, "Service robot output was revised later.") + "\n\nRevised: 4.2 million sets.\n"
    path = tmp_path / "003-v2.txt"
    path.write_text(edited, encoding="utf-8")
    click_tree_node(qtbot, window, "all", "all")
    doc_id = _doc_003(window)
    window.selection.set_document(doc_id, None)
    window.versions.import_new_version(doc_id, str(path))
    qtbot.waitUntil(lambda: window.versions.last_report is not None, timeout=10000)
    report = window.versions.last_report
    assert report.orphaned >= 1 and window.tabs.currentWidget() is window.orphans_view
    assert f"{report.orphaned} orphaned" in window.statusBar().currentMessage()
    orphans = window.orphans_view.model
    qtbot.waitUntil(lambda: orphans.rowCount() == report.orphaned)
    lost = [orphans.index(r, 2).data() for r in range(orphans.rowCount())]
    assert "4.1698 million sets" in lost

    row = lost.index("4.1698 million sets")
    index = orphans.index(row, 0)
    QTest.mouseClick(window.orphans_view.table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     window.orphans_view.table.visualRect(index).center())
    figure_id = orphans.index(row, 0).data(Qt.ItemDataRole.UserRole)
    qtbot.waitUntil(lambda: window.selection.figures == (figure_id,))
    start = edited.index("4.2 million sets")
    window.document_view.select_text(start, start + len("4.2 million sets"))
    QTest.keyClick(window, Qt.Key.Key_R, CTRL_SHIFT)
    qtbot.waitUntil(lambda: orphans.rowCount() == report.orphaned - 1)
    assert window.document_view.highlighted_text(figure_id) == "4.2 million sets"

    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the re-attach
    qtbot.waitUntil(lambda: orphans.rowCount() == report.orphaned)
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the new version
    qtbot.waitUntil(lambda: orphans.rowCount() == 0)
    with window.store.read() as session:
        from store.models import Document

        assert session.get(Document, doc_id).text == SEED
