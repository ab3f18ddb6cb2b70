"""Help › Guide, Help › Keyboard Shortcuts and Help › About.

Everything shown here is our own words and the window's own action names and keys (escaped all the
same), never a document, note or store text: the guide may use simple HTML, the others are plain text.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QTextBrowser, QVBoxLayout

from gui.resources import app_icon
from gui.shortcuts import key_owners

APP_TITLE = "Cluster Explorer"

GUIDE = """
<h2>Cluster Explorer in one page</h2>
<p>A <b>figure</b> is one quantity a document states about an industrial cluster: a metric
(revenue, number of firms…), an entity or cluster, a period, a value and its unit. Each figure is
<b>anchored</b> to the exact words that state it: its <b>anchor</b> is the span of the source
text, shown highlighted in the Document pane. Select a figure anywhere (table, chart, pivot,
tree, document) and every view shows the same figure and its words.</p>
<p>Every figure has a <b>review status</b>: <i>candidate</i> (found, not yet checked),
<i>verified</i> (the figure says what the text says), <i>disputed</i> (the text is likely
wrong, with a reason), <i>rejected</i> (not a figure) or <i>superseded</i> (another figure
replaces it). The tree marks what needs attention: \u26a0 conflict, \u2717 disputed,
? not yet reviewed, \u270e annotated.</p>
<p>A <b>conflict</b> is two or more figures that state the same metric for the same entity,
cluster, period and unit with values that cannot both be true: they differ beyond rounding, or
one lies outside the other's bound ("over 50%" and 40%; "over 50%" and 56.2% agree). The
Conflicts tab shows them side by side with their quotes; <i>Resolve\u2026</i> keeps one and sets the others aside.</p>
<p>A news figure often <b>restates an official source</b> (a government work report). When the
store holds that source, the figure is linked to it: the table's <i>Official</i> column shows
\u2713 (the source states the same value, or the same rounded), \u2260 (it states another value) or
\u2013 (none found), and the tree counts \u2713 and \u2260. Figure \u203a Official Sources shows the linked
figures; click one to read its sentence beside the news sentence, and confirm or remove the link.
View \u203a Language of Names shows names in English or Chinese; the filters match either.</p>
<p>To <b>find figures</b>, type words in the filter box: they match a figure's own fields (metric,
entity, cluster, quote, note, period, status); <i>title:robot</i> or the <i>Titles</i> box match
document titles too. The value box compares values as the table shows them: <i>&gt;100</i>,
<i>10..100</i>, <i>100-200</i>, <i>=31.2</i>, <i>&gt;500 billion yuan</i>, <i>&lt;5 %</i>. In the
<b>Facets</b> pane (View \u203a Facets) tick values to narrow the table: values of one facet add
up, facets combine, and a count is the figures with that value among those the other filters
keep. Right-click a column header for its statistics.</p>
<p>To add a figure, select its words in the document and choose Figure \u203a Add Figure from
Selection. Every change can be undone, and each figure keeps its history.</p>
<h3>Main shortcuts</h3>
"""

MAIN_ACTIONS = ("Find Figures", "Filter Clusters", "Add Figure from Selection\u2026", "Edit Figure\u2026",
                "Verify", "Dispute\u2026", "Reject", "Next to Review", "Undo", "Redo", "Annotate\u2026",
                "Official Sources", "Copy Rows", "Export Figures\u2026")


def _keys_by_action(window) -> dict[str, list[str]]:
    """Action name -> its keys as this platform writes them, without the keyboards' dedicated keys
    (Qt's Undo, Find, Help... keys) that no one looks for in a list."""
    native: dict[str, list[str]] = {}
    for key, names in key_owners(window).items():
        shown = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
        if "+" not in shown and not shown[1:].isdigit():
            continue
        for name in names:
            native.setdefault(name, []).append(shown)
    return native


def _table(rows: list[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><td>{html.escape(keys)}</td><td>&nbsp;&nbsp;{html.escape(name)}</td></tr>"
                    for keys, name in rows)
    return f"<table>{cells}</table>"


def guide_html(window) -> str:
    keys = _keys_by_action(window)
    rows = []
    for name in MAIN_ACTIONS:
        found = next((v for k, v in keys.items() if k == name or k.startswith(name + " ")), None)  # "Undo Verify"
        if found:
            rows.append((", ".join(found[:2]), name))
    return GUIDE + _table(rows) + "<p>Help \u203a Keyboard Shortcuts lists every key.</p>"


def shortcuts_html(window) -> str:
    rows = sorted(((", ".join(keys), name) for name, keys in _keys_by_action(window).items()), key=lambda r: r[1])
    return "<h3>Keyboard shortcuts</h3>" + _table(rows)


def _show_text(window, title: str, text_html: str, size: tuple[int, int]) -> QDialog:
    dialog = QDialog(window)
    dialog.setWindowTitle(title)
    text = QTextBrowser(dialog)
    text.setOpenLinks(False)
    text.setHtml(text_html)  # our words and action names only, escaped (see the module's docstring)
    text.setAccessibleName(title)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=dialog)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(text)
    layout.addWidget(buttons)
    dialog.resize(*size)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.help_dialog = dialog
    dialog.open()
    return dialog


def show_guide(window) -> QDialog:
    return _show_text(window, f"{APP_TITLE} Guide", guide_html(window), (560, 640))


def show_shortcuts(window) -> QDialog:
    return _show_text(window, "Keyboard Shortcuts", shortcuts_html(window), (440, 640))


def about_text(window) -> str:
    from PySide6 import __version__ as pyside_version

    from gui.version import version
    store = window.store
    where = store.where if store else "not open"  # Store.where never shows a password
    return (f"Version {version()}\n\n"
            "Explore and curate the figures public documents state about industrial clusters, "
            "each tied to the exact words that state it.\n\n"
            f"Store: {where}{' (read-only)' if store is not None and store.read_only else ''}\n\n"
            f"PySide6 {pyside_version}")


def show_about(window) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Information, f"About {APP_TITLE}", APP_TITLE, parent=window)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setInformativeText(about_text(window))
    box.setIconPixmap(app_icon().pixmap(64, 64))
    window.help_dialog = box
    box.open()
    return box
