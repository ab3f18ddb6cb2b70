"""Long text in Qt's text widgets without a freeze.

Qt wraps a word longer than a line by scanning the rest of the word again at every line it breaks:
a line of a million characters with no space took about a minute to lay out, and as long again to
paint. Breaking anywhere is linear, so a text holding such a run is wrapped anywhere (no real word
is that long: it is a hash, base64 or a minified file); other text keeps its word wrap.

A note editor refuses a paste or a drop that would make the note longer than the store accepts,
before Qt lays the text out, with a message saying why.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Signal
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import QPlainTextEdit

UNBROKEN_CHARS = 10_000  # a run of non-space characters this long is wrapped anywhere
TOOLTIP_CHARS = 500  # a note in a tooltip: its start, then "…"


def wrap_mode(text: str) -> QTextOption.WrapMode:
    """Word wrap, unless the text holds a run with no break longer than UNBROKEN_CHARS."""
    if len(text) > UNBROKEN_CHARS and max(map(len, text.split()), default=0) > UNBROKEN_CHARS:
        return QTextOption.WrapMode.WrapAnywhere
    return QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere


def cut(text: str, limit: int = TOOLTIP_CHARS) -> str:
    """The start of a long text, marked as cut."""
    return text if len(text) <= limit else text[:limit] + "\u2026"


class NoteEdit(QPlainTextEdit):
    """A plain-text note editor that refuses a paste or drop past `limit` characters, cheaply."""

    refused = Signal(str)  # why the paste or drop was not taken

    def __init__(self, limit: int, parent=None) -> None:
        super().__init__(parent)
        self.limit = limit

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 - Qt's name
        pasted = source.text() if source.hasText() else ""
        cursor = self.textCursor()
        kept = len(self.toPlainText()) - len(cursor.selectedText())
        if kept + len(pasted) > self.limit:
            self.refused.emit(f"Not pasted: the note would be {kept + len(pasted):,} characters; "
                              f"a note is at most {self.limit:,}.")
            return
        if wrap_mode(pasted) == QTextOption.WrapMode.WrapAnywhere:
            self.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)  # before the layout, which it makes linear
        super().insertFromMimeData(source)
