"""The window's menu actions, declared once: label, keys, whether they write, and a tip.

An `Act` is what an action is; an `ActionSet` makes its QAction (keys through
gui.shortcuts.bind, so no key is bound twice) and finds it again by the Act,
never by its label. Read-only mode disables every Act with `writes=True`; the
figures table's context menu lists Acts (TABLE_MENU). Renaming a label changes
nothing but the label.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from gui.shortcuts import Key, bind

Std = QKeySequence.StandardKey


@dataclass(frozen=True)
class Act:
    name: str  # stable identity (tests and code refer to it; the label may change)
    text: str
    key: Key = None
    also: tuple[str, ...] = ()  # more keys for the same action
    writes: bool = False  # disabled on a read-only store
    tip: str = ""
    checkable: bool = False


# --- File -----------------------------------------------------------------------------------
OPEN_STORE = Act("open_store", "&Open Store\u2026", Std.Open, tip="Open another Cluster Explorer store file")
IMPORT = Act("import", "&Import Documents\u2026", "Ctrl+I", writes=True,
             tip="Import text or HTML files; their figures become candidates to review (or drop files here)")
NEW_VERSION = Act("new_version", "Import New &Version of Document\u2026", writes=True,
                  tip="Replace the open document's text; every figure is re-placed on the new words")
EXPORT = Act("export", "&Export Figures\u2026", "Ctrl+Shift+E",
             tip="Export the selected figures, or the whole view, with their sources")
SAVE_COMPARISON = Act("save_comparison", "&Comparison Chart\u2026")
SAVE_TREND = Act("save_trend", "&Trend Chart\u2026")
SAVE_COMPARISON_SELECTION = Act("save_comparison_selection", "Comparison Chart with the &Selection\u2026")
SAVE_TREND_SELECTION = Act("save_trend_selection", "Trend Chart with the S&election\u2026")
BACK_UP = Act("back_up", "&Back Up Store Now", tip="Copy the store to its backups folder (one is also made each day)")
RESTORE = Act("restore", "&Restore Backup\u2026",
              tip="Put a backup in the store's place (the store as it is now is kept)")
RELOAD = Act("reload", "Re&load Store", "F5", tip="Read the store again, with what other curators have saved since")
QUIT = Act("quit", "&Quit", Std.Quit)

# --- Edit -----------------------------------------------------------------------------------
COPY_ROWS = Act("copy_rows", "&Copy Rows", Std.Copy, tip="Copy the selected figures as tab-separated text with headers")
SELECT_ALL = Act("select_all", "Select &All Figures", Std.SelectAll)
FIND = Act("find", "&Find Figures", Std.Find)
FILTER_TREE = Act("filter_tree", "Filter C&lusters", "Ctrl+L")

# --- Figure ---------------------------------------------------------------------------------
NEW_DOCUMENT = Act("new_document", "&New Document\u2026", Std.New, writes=True,
                   tip="Paste or type a new source document with its citation")
ADD_FIGURE = Act("add_figure", "&Add Figure from Selection\u2026", "Ctrl+Shift+A", writes=True,
                 tip="Add a figure stated by the words selected in the document")
EDIT_FIGURE = Act("edit_figure", "&Edit Figure\u2026", "Ctrl+E", writes=True, tip="Edit the selected figure")
REATTACH = Act("reattach", "&Re-attach to Selected Words", "Ctrl+Shift+R", writes=True,
               tip="Anchor the selected figure (an orphan, say) to the words selected in its document")
ANNOTATE = Act("annotate", "&Annotate\u2026", "Ctrl+Shift+N", writes=True,
               tip="Add a note on the selected figure, the selected words, or the selected cluster")
HISTORY = Act("history", "&History\u2026", "Ctrl+H", tip="Every change to the selected figure")
OFFICIAL_SOURCES = Act("official_sources", "Official &Sources", "Ctrl+Shift+O",
                       tip="What official sources say of the selected figure; open one beside it")

# --- Document -------------------------------------------------------------------------------
EDIT_CITATION = Act("edit_citation", "Edit &Citation\u2026", "Ctrl+Shift+I", writes=True,
                    tip="Correct the open document's title, publisher, author, date, place, URL, language or kind")

# --- Review ---------------------------------------------------------------------------------
VERIFY = Act("verify", "&Verify", "Ctrl+1", writes=True, tip="The figure says what the text says")
DISPUTE = Act("dispute", "&Dispute\u2026", "Ctrl+2", writes=True, tip="The text is likely wrong: say why")
REJECT = Act("reject", "&Reject", "Ctrl+3", writes=True, tip="Not a figure")
SUPERSEDE = Act("supersede", "&Supersede\u2026", "Ctrl+4", writes=True, tip="Another figure replaces this one")
TO_CANDIDATE = Act("to_candidate", "Back to &Candidate", "Ctrl+0", writes=True, tip="Needs review again")
NEXT_TO_REVIEW = Act("next_to_review", "&Next to Review", "F8", tip="The next candidate figure")
PREVIOUS_TO_REVIEW = Act("previous_to_review", "&Previous to Review", "Shift+F8", tip="The previous candidate figure")
ADVANCE = Act("advance", "&Advance After Reviewing", checkable=True)

# --- View and Help --------------------------------------------------------------------------
SHOW_FIGURES = Act("show_figures", "&Figures", "Alt+1")
SHOW_PIVOT = Act("show_pivot", "&Pivot", "Alt+2")
SHOW_CONFLICTS = Act("show_conflicts", "&Conflicts", "Alt+3")
SHOW_ORPHANS = Act("show_orphans", "&Orphans", "Alt+4")
RESET_LAYOUT = Act("reset_layout", "&Reset Layout")
GUIDE = Act("guide", "&Guide", Std.HelpContents,
            tip="What a figure, an anchor, a review status and a conflict are; the main keys")
SHORTCUTS = Act("shortcuts", "&Keyboard Shortcuts")
ADD_LAUNCHER = Act("add_launcher", "Add to Applications &Menu",
                   tip="Put Cluster Explorer in the desktop's applications menu, with its icon")
ABOUT = Act("about", "&About Cluster Explorer")

TABLE_MENU: tuple[Act | None, ...] = (COPY_ROWS, EXPORT, None, EDIT_FIGURE, ANNOTATE, HISTORY, OFFICIAL_SOURCES, None,
                                      VERIFY, DISPUTE, REJECT)
"""The figures table's context menu: the actions on selected figures (None: a separator)."""


class ActionSet:
    """The QActions of one window, made from Acts and found by them."""

    def __init__(self, parent: QObject) -> None:
        self._parent = parent
        self._made: dict[str, QAction] = {}
        self._acts: dict[str, Act] = {}

    def add(self, menu, act: Act, slot: Callable | None = None) -> QAction:
        """Make the act's QAction (once), connect it to slot and put it in menu."""
        if act.name in self._made:
            raise ValueError(f"the action {act.name!r} is declared twice")
        action = bind(QAction(act.text, self._parent), act.key, *act.also)
        action.setObjectName(f"action_{act.name}")
        action.setStatusTip(act.tip)
        if act.checkable:
            action.setCheckable(True)
            action.setChecked(True)
            if slot is not None:
                action.toggled.connect(slot)
        elif slot is not None:
            action.triggered.connect(slot)
        self._made[act.name], self._acts[act.name] = action, act
        if menu is not None:
            menu.addAction(action)
        return action

    def __getitem__(self, act: Act) -> QAction:
        return self._made[act.name]

    def __contains__(self, act: Act) -> bool:
        return act.name in self._made

    def writing(self) -> list[QAction]:
        return [self._made[name] for name, act in self._acts.items() if act.writes]

    def set_read_only(self, read_only: bool) -> None:
        """Disable every action that writes on a read-only store (and enable them again on another)."""
        for action in self.writing():
            action.setEnabled(not read_only)

    def fill(self, menu, acts: tuple[Act | None, ...]) -> None:
        """Put these acts' actions in a (context) menu, in order; None is a separator."""
        for act in acts:
            if act is None:
                menu.addSeparator()
            elif act in self:
                menu.addAction(self[act])
