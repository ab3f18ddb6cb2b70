"""The document reader: a source text with every figure's span highlighted by review status.

Document text, titles and citation fields are untrusted: they only ever reach
Qt as plain text (setPlainText, labels with Qt.PlainText), never as HTML, so
no markup is rendered, no link is followed and no resource is loaded.

Spans arrive as Python code-point offsets; QTextDocument counts UTF-16 units.
Every offset crossing into or out of Qt goes through gui.views.text_offsets.OffsetMap.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPlainTextEdit,
    QSizePolicy,
    QStackedWidget,
    QTextEdit,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from gui.theme import tone
from gui.views.long_text import wrap_mode
from gui.views.text_offsets import OffsetMap
from store.values.display import counted

# Background colours by status; the text on them is always drawn black so a dark theme stays readable.
STATUS_COLOURS = {
    "candidate": "#fff3a8",
    "verified": "#c9f0c4",
    "disputed": "#f8d2ee",
    "rejected": "#e0e0e0",
    "superseded": "#e0e0e0",
    "flagged": "#ffc9c4",
}
STRUCK = {"rejected", "superseded"}
FLAG_UNDERLINE = "#d00000"
STRONG_COLOUR = "#ff9a2e"
NOTE_UNDERLINE = "#1f5fbf"
STATUS_WORDS = {
    "candidate": "candidate (not yet reviewed)",
    "verified": "verified",
    "disputed": "disputed",
    "rejected": "rejected",
    "superseded": "superseded by a newer figure",
    "flagged": "flagged: the quote no longer matches the text at its anchor",
}
LEGEND = (
    ("candidate", "candidate"), ("verified", "verified"), ("disputed", "disputed"),
    ("rejected", "rejected / superseded"), ("flagged", "anchor changed"), ("strong", "selected"),
)
TEXT_FLAGS = Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard


def _status_format(status: str) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setBackground(QColor(STATUS_COLOURS.get(status, STATUS_COLOURS["candidate"])))
    fmt.setForeground(QColor("black"))
    if status in STRUCK:
        fmt.setFontStrikeOut(True)
    if status == "flagged":
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        fmt.setUnderlineColor(QColor(FLAG_UNDERLINE))
    return fmt


def _plain_label(text: str = "") -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setOpenExternalLinks(False)
    label.setText(text)
    return label


def _one_line(value) -> str:
    return " ".join(str(value).split()) if value not in (None, "") else ""


class FlowLayout(QLayout):
    """Lays its items out left to right and wraps them, so the legend fits a narrow dock."""

    def __init__(self, parent=None, spacing: int = 10) -> None:
        super().__init__(parent)
        self._items = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int):
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int):
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, apply: bool) -> int:
        x, y, line_height = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > rect.right() + 1 and line_height > 0:
                x, y, line_height = rect.x(), y + line_height + 2, 0
            if apply:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y()


class DocumentView(QWidget):
    figureClicked = Signal(int)  # the user clicked (or pressed Enter) inside a highlighted span
    documentRequested = Signal(int)  # the user picked a document in the chooser

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._doc_id: int | None = None
        self._text = ""
        self._map = OffsetMap("")
        self._spans: list[tuple[int, int, int, str]] = []  # (figure_id, qt_start, qt_end, status), by start
        self._by_id: dict[int, tuple[int, int, str]] = {}  # figure_id -> (qt_start, qt_end, status): its first span
        self._base: list[QTextEdit.ExtraSelection] = []
        self._notes: list[QTextEdit.ExtraSelection] = []  # annotated words, under the figure colours
        self._strong: list[int] = []
        self._pending: list[QTextEdit.ExtraSelection] | None = None  # strong selections not yet applied
        self._pending_centre: int | None = None  # Qt position to centre once the editor is visible
        self._formats = {status: _status_format(status) for status in STATUS_COLOURS}
        self._strong_format = QTextCharFormat()
        self._strong_format.setBackground(QColor(STRONG_COLOUR))
        self._strong_format.setForeground(QColor("black"))

        self.chooser = QComboBox()
        self.chooser.setPlaceholderText("Choose a document…")
        self.chooser.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.chooser.setMinimumContentsLength(12)
        self.chooser.setToolTip("Documents in the store")
        self.chooser.activated.connect(self._chosen)

        self.title_label = _plain_label()
        title_font = QFont(self.title_label.font())
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.1)
        self.title_label.setFont(title_font)
        self.title_label.setWordWrap(True)
        self.title_label.setTextInteractionFlags(TEXT_FLAGS)
        self.meta_label = _plain_label()
        meta_font = QFont(self.meta_label.font())
        meta_font.setPointSizeF(meta_font.pointSizeF() * 0.9)
        self.meta_label.setFont(meta_font)
        self.meta_label.setWordWrap(True)
        self.meta_label.setTextInteractionFlags(TEXT_FLAGS)
        tone(self.meta_label)  # a caption's grey that stays readable on a dark window too

        self.legend = QWidget()
        legend_layout = FlowLayout(self.legend)
        for key, word in LEGEND:
            legend_layout.addWidget(self._legend_item(key, word, meta_font))

        self.editor = QPlainTextEdit()
        self.editor.setReadOnly(True)
        self.editor.setTextInteractionFlags(TEXT_FLAGS)
        self.editor.setUndoRedoEnabled(False)
        self.editor.setAcceptDrops(False)
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.editor.setWordWrapMode(wrap_mode(""))
        self.editor.setCenterOnScroll(True)  # lets set_selected centre a span near the end too
        self.editor.installEventFilter(self)
        self.editor.viewport().installEventFilter(self)

        self.message = _plain_label()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        tone(self.message)
        self.message.setMargin(16)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.editor)
        self.stack.addWidget(self.message)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.chooser)
        layout.addWidget(self.title_label)
        layout.addWidget(self.meta_label)
        layout.addWidget(self.legend)
        layout.addWidget(self.stack, 1)
        self.clear("No document.")

    def _legend_item(self, key: str, word: str, font: QFont) -> QWidget:
        item = QWidget()
        row = QHBoxLayout(item)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(3)
        swatch = QLabel()
        swatch.setFixedSize(11, 11)
        colour = STRONG_COLOUR if key == "strong" else STATUS_COLOURS[key]
        border = FLAG_UNDERLINE if key == "flagged" else "#808080"
        swatch.setStyleSheet(f"background-color: {colour}; border: 1px solid {border};")
        text = _plain_label(word)
        word_font = QFont(font)
        word_font.setStrikeOut(key in STRUCK)
        text.setFont(word_font)
        tone(text)
        row.addWidget(swatch)
        row.addWidget(text)
        item.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        return item

    # --- documents ---------------------------------------------------------------------
    def set_documents(self, docs: list[dict]) -> None:
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for doc in docs:
            title = _one_line(doc.get("title")) or _one_line(doc.get("file_name")) or f"Document {doc['id']}"
            count = int(doc.get("figures") or 0)
            published = _one_line(doc.get("published"))
            label = f"{title} — {published}" if published else title
            self.chooser.addItem(f"{label} ({counted(count, 'figure')})", doc["id"])
        self._sync_chooser()
        self.chooser.blockSignals(False)

    def _sync_chooser(self) -> None:
        blocked = self.chooser.blockSignals(True)
        index = self.chooser.findData(self._doc_id) if self._doc_id is not None else -1
        self.chooser.setCurrentIndex(index)
        self.chooser.blockSignals(blocked)

    def _chosen(self, index: int) -> None:
        doc_id = self.chooser.itemData(index)
        self._sync_chooser()  # the view changes only when show_document is called
        if doc_id is not None:
            self.documentRequested.emit(int(doc_id))

    def show_document(self, doc: dict, spans: list[tuple[int, int, int, str]]) -> None:
        text = doc.get("text") or ""
        same_text = self._doc_id == doc["id"] and text == self._text and self.stack.currentWidget() is self.editor
        self._doc_id = doc["id"]
        self.title_label.setText(_one_line(doc.get("title")) or _one_line(doc.get("file_name")) or "Untitled")
        meta = [_one_line(doc.get(k)) for k in ("publisher", "author", "published", "file_name")]
        self.meta_label.setText(" · ".join(m for m in meta if m))
        self.meta_label.setToolTip(_one_line(doc.get("language_notes")))
        self.meta_label.setVisible(any(meta))
        self.title_label.show()
        self.legend.show()
        self.stack.setCurrentWidget(self.editor)  # before the text: a hidden editor makes cursors very slow
        if not same_text:  # re-showing the same text keeps the reader's place
            self._text = text
            self._map = OffsetMap(text)
            self.editor.setExtraSelections([])
            self._notes = []
            mode = wrap_mode(text)  # linear, not quadratic, for a line with no break
            if mode != self.editor.wordWrapMode():
                self.editor.clear()  # or the old text is laid out again in the new mode
                self.editor.setWordWrapMode(mode)
            self.editor.setPlainText(text)
        self._set_spans(spans)
        self._strong, self._pending_centre = [], None
        self._apply_selections()
        self._sync_chooser()

    def _set_spans(self, spans) -> None:
        """Convert and index every span, and build the status ExtraSelections in one pass."""
        to_qt, length, document = self._map.to_qt, len(self._text), self.editor.document()
        converted, by_id, base = [], {}, []
        # Inside an edit block QTextCursor skips laying out the block to find its x (slow for a long
        # paragraph in a hidden editor, whose block layouts QPlainTextEdit throws away).
        batch = QTextCursor(document)
        batch.beginEditBlock()
        for figure_id, start, end, status in sorted(spans, key=lambda s: (s[1], s[2])):
            start, end = max(0, int(start)), min(length, int(end))
            if start >= end:
                continue
            qt_start, qt_end = to_qt(start), to_qt(end)
            converted.append((figure_id, qt_start, qt_end, status))
            by_id.setdefault(figure_id, (qt_start, qt_end, status))
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(document)
            cursor.setPosition(qt_start)
            cursor.setPosition(qt_end, QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selection.format = self._formats.get(status, self._formats["candidate"])
            base.append(selection)
        batch.endEditBlock()
        self._spans, self._by_id, self._base = converted, by_id, base

    def _apply_selections(self) -> None:
        strong = []
        for figure_id in self._strong:
            qt_start, qt_end, _status = self._by_id[figure_id]
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.editor.document())
            cursor.setPosition(qt_start)
            cursor.setPosition(qt_end, QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selection.format = self._strong_format
            strong.append(selection)
        # A hidden QPlainTextEdit keeps no block layouts, and setExtraSelections lays out a block per
        # selection: with thousands of spans that takes seconds. Apply them when the editor is shown.
        self._pending = strong
        if self.editor.isVisible():
            self._flush_selections()

    def _flush_selections(self) -> None:
        if self._pending is not None:
            self.editor.setExtraSelections(self._notes + self._base + self._pending)  # the strong highlight is drawn on top
            self._pending = None
        if self._pending_centre is not None:
            position = min(self._pending_centre, self.editor.document().characterCount() - 1)
            self._pending_centre = None
            self._centre_on(position)
            # A document just set (or an editor just shown) is laid out again once Qt has processed the
            # resizes it posted (the scroll bar appearing narrows the text and rewraps every line): the
            # first centring can then leave the words off screen. Centre again when that is done.
            self._centre_target = (self._doc_id, position)
            QTimer.singleShot(0, self._centre_again)

    def _centre_on(self, position: int) -> None:
        cursor = QTextCursor(self.editor.document())
        cursor.setPosition(position)
        blocked = self.editor.blockSignals(True)
        self.editor.setTextCursor(cursor)
        self.editor.centerCursor()
        self.editor.blockSignals(blocked)

    def _centre_again(self) -> None:
        target, self._centre_target = self._centre_target, None
        if target is None or target[0] != self._doc_id or not self._strong:
            return  # another document or no selection since: nothing to keep in view
        if self._by_id.get(self._strong[0], (None,))[0] != target[1]:
            return
        self._centre_on(target[1])

    def set_selected(self, figure_ids: list[int], centre: bool = True) -> None:
        """Strongly highlight these figures' spans and centre the first one (not when the reader clicked
        it: the words stay under the pointer); emits nothing."""
        seen = set()
        strong = [i for i in figure_ids if i in self._by_id and not (i in seen or seen.add(i))]
        if strong == self._strong and not strong:
            return  # nothing was and nothing is highlighted: re-applying would lay the document out again
        self._strong = strong
        self._apply_selections()
        if self._strong and centre:
            self._pending_centre = self._by_id[self._strong[0]][0]
            if self.editor.isVisible():
                self._flush_selections()

    def set_note_spans(self, spans: list[tuple[int, int]]) -> None:
        """Mark the words curators annotated (a dotted blue underline, under the figure colours)."""
        fmt = QTextCharFormat()
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        fmt.setUnderlineColor(QColor(NOTE_UNDERLINE))
        fmt.setToolTip("Annotated: see the Annotations panel")
        notes = []
        for start, end in spans:
            start, end = max(0, start), min(len(self._text), end)
            if start < end:
                selection = QTextEdit.ExtraSelection()
                cursor = QTextCursor(self.editor.document())
                cursor.setPosition(self._map.to_qt(start))
                cursor.setPosition(self._map.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
                selection.cursor, selection.format = cursor, fmt
                notes.append(selection)
        self._notes = notes
        self._apply_selections()

    def note_count(self) -> int:
        return len(self._notes)

    def select_text(self, start: int, end: int) -> None:
        """Select words by the store's offsets (code points), as if the reader had."""
        cursor = QTextCursor(self.editor.document())
        cursor.setPosition(self._map.to_qt(max(0, start)))
        cursor.setPosition(self._map.to_qt(min(len(self._text), end)), QTextCursor.MoveMode.KeepAnchor)
        self.editor.setTextCursor(cursor)
        self.editor.ensureCursorVisible()

    def clear(self, message: str) -> None:
        self._notes = []
        self._doc_id, self._text, self._map = None, "", OffsetMap("")
        self._spans, self._by_id, self._base, self._strong = [], {}, [], []
        self._pending = self._pending_centre = self._centre_target = None
        self.editor.setExtraSelections([])
        self.editor.clear()
        self.title_label.clear()
        self.meta_label.clear()
        self.title_label.hide()
        self.meta_label.hide()
        self.legend.hide()
        self.message.setText(message)
        self.stack.setCurrentWidget(self.message)
        self._sync_chooser()

    # --- queries -------------------------------------------------------------------------
    def current_document_id(self) -> int | None:
        return self._doc_id

    def strong_ids(self) -> list[int]:
        return list(self._strong)

    def selected_text_span(self) -> tuple[int, int] | None:
        cursor = self.editor.textCursor()
        if self._doc_id is None or not cursor.hasSelection():
            return None
        return self._map.from_qt(cursor.selectionStart()), self._map.from_qt(cursor.selectionEnd())

    def highlighted_text(self, figure_id: int) -> str:
        """The text under this figure's highlight, read back from the QTextDocument."""
        if figure_id not in self._by_id:
            return ""
        qt_start, qt_end, _status = self._by_id[figure_id]
        cursor = QTextCursor(self.editor.document())
        cursor.setPosition(qt_start)
        cursor.setPosition(qt_end, QTextCursor.MoveMode.KeepAnchor)
        return cursor.selectedText().replace("\u2029", "\n")

    def span_at(self, qt_position: int, at_end: bool = False) -> tuple[int, int, int, str] | None:
        """The shortest span holding the character at this Qt position (or ending here, if at_end)."""
        best = None
        for span in self._spans:
            _fid, qt_start, qt_end, _status = span
            if qt_start > qt_position:
                break  # spans are sorted by start
            if qt_position < qt_end or (at_end and qt_position == qt_end):
                if best is None or qt_end - qt_start < best[2] - best[1]:
                    best = span
        return best

    def _span_under(self, point: QPoint):
        """The span under a viewport point: the character hit, not merely the nearest caret position."""
        if not self._spans:
            return None
        cursor = self.editor.cursorForPosition(point)
        position = cursor.position()
        rect = self.editor.cursorRect(cursor)
        if point.x() < rect.x() and position > 0:
            position -= 1  # the point lies on the character before the caret
        if point.y() > rect.bottom() + 1 or point.y() < rect.top() - 1:
            return None  # below the last line, say
        return self.span_at(position)

    # --- user input ----------------------------------------------------------------------
    def eventFilter(self, watched, event) -> bool:
        kind = event.type()
        if watched is self.editor.viewport():
            if kind == QEvent.Type.MouseButtonRelease and event.button() == Qt.MouseButton.LeftButton:
                if not self.editor.textCursor().hasSelection():
                    span = self._span_under(event.position().toPoint())
                    if span is not None:
                        self.figureClicked.emit(span[0])
            elif kind == QEvent.Type.ToolTip:
                span = self._span_under(event.pos())
                if span is None:
                    QToolTip.hideText()
                else:
                    words = STATUS_WORDS.get(span[3], "unknown status")  # fixed words: never markup from the store
                    QToolTip.showText(event.globalPos(), f"Figure {span[0]} · {words}", self.editor.viewport())
                return True
        elif watched is self.editor and kind == QEvent.Type.Show:
            self._flush_selections()
        elif watched is self.editor and kind == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                span = self.span_at(self.editor.textCursor().position(), at_end=True)
                if span is not None:
                    self.figureClicked.emit(span[0])
                    return True
        return super().eventFilter(watched, event)
