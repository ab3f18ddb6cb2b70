"""A new source document, pasted or typed, with its citation.

A figure found outside the seeds is added by first adding its source here;
the user then selects the words in it, as with any other document.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QPlainTextEdit, QVBoxLayout

from store.errors import StoreError
from store.values.periods import parse_period


class DocumentDialog(QDialog):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New Document")
        self.resize(620, 520)
        self.title = QLineEdit()
        self.publisher = QLineEdit()
        self.author = QLineEdit()
        self.published = QLineEdit()
        self.published.setPlaceholderText("2025-03-07, 2025-03 or 2025")
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("Paste the article text here. It is stored exactly as given.")
        self.text.setTabChangesFocus(True)
        form = QFormLayout()
        form.addRow("&Title:", self.title)
        form.addRow("&Publisher:", self.publisher)
        form.addRow("&Author:", self.author)
        form.addRow("&Date:", self.published)
        form.addRow("Te&xt:", self.text)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.buttons)
        for widget in (self.title, self.published):
            widget.textChanged.connect(self._validate)
        self.text.textChanged.connect(self._validate)
        self._validate()

    def _validate(self) -> None:
        ok = bool(self.title.text().strip()) and bool(self.text.toPlainText().strip())
        date = self.published.text().strip()
        if date:
            try:
                parse_period(date[:7])
            except StoreError:
                ok = False
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(ok)

    def fields(self) -> dict:
        return {
            "title": self.title.text().strip(),
            "publisher": self.publisher.text().strip(),
            "author": self.author.text().strip(),
            "published": self.published.text().strip(),
            "text": self.text.toPlainText(),
        }
