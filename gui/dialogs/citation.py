"""Document › Edit Citation…: correct the citation of the open document (title, publisher, author,
date, place, URL, language, kind), as one undoable store action.

The import fills these fields from what the text says about itself; this is where a curator
corrects them. The text is never edited here: anchors count its characters.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from store.errors import StoreError

KIND_CHOICES = (("", "(not known)"), ("official", "Official (a government report, communiqué \u2026)"),
                ("news", "News"), ("other", "Other"))
LINE_FIELDS = (("title", "&Title:"), ("publisher", "&Publisher:"), ("author", "&Author:"), ("published", "&Date:"),
               ("place", "P&lace:"), ("url", "&URL:"), ("language", "La&nguage:"), ("date_basis", "Date &basis:"))


def _plain(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # titles come from untrusted documents
    label.setWordWrap(True)
    return label


class CitationDialog(QDialog):
    def __init__(self, parent, file_name: str, initial: dict) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit Citation")
        self.setMinimumWidth(520)
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        form.addRow("File:", _plain(file_name))
        for name, label in LINE_FIELDS:
            edit = QLineEdit(initial.get(name) or "")
            edit.setCursorPosition(0)  # a long URL or basis shows its beginning
            edit.setObjectName(f"citation_{name}")
            self.edits[name] = edit
            form.addRow(label, edit)
        self.edits["published"].setPlaceholderText("2026-01-26, 2026-01 or 2026")
        self.edits["language"].setPlaceholderText("zh, en \u2026")
        self.edits["url"].setPlaceholderText("https://\u2026")
        self.kind = QComboBox()
        for value, text in KIND_CHOICES:
            self.kind.addItem(text, value)
        self.kind.setCurrentIndex(max(0, self.kind.findData(initial.get("kind") or "")))
        form.insertRow(8, "&Kind:", self.kind)
        self.problem = _plain()
        self.problem.setObjectName("citationProblem")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        for edit in self.edits.values():
            edit.textChanged.connect(self._validate)
        self._validate()

    def _validate(self) -> None:
        from store.curation.citation import clean
        try:
            clean(self.fields())
            problem = ""
        except StoreError as exc:
            problem = str(exc)
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)

    def fields(self) -> dict:
        values = {name: edit.text() for name, edit in self.edits.items()}
        values["kind"] = self.kind.currentData() or ""
        return values
