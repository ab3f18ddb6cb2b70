"""The figure dialog: add a figure from selected words, or edit one.

Prefilled from the quote by the store's own number parser and period guesser
(the same code the store checks with), validated as the user types: a value
that is not a number, or a period the store cannot read, disables Save and says
why; a value that disagrees with the quote is allowed but warned about, and the
store keeps such a figure flagged.
"""

from __future__ import annotations

from fractions import Fraction

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from gui import names
from gui.theme import tone
from gui.views.long_text import NoteEdit
from store.curation.figures import MAX_NOTE_CHARS
from store.errors import StoreError
from store.values.exact import canonical
from store.values.names import both, pick
from store.values.numbers import guess_period, parse_quantity, parse_value, quote_disagrees
from store.values.periods import parse_period

UNITS = ("yuan", "US$", "%", "percentage points", "share", "sets", "units", "enterprises", "clusters", "years",
         "patents", "vehicles", "hectares", "hours")
SCALES = ("", "thousand", "million", "billion", "trillion", "\u4ebf", "\u4e07", "\u4e07\u4ebf")
QUALIFIERS = ("", "over", "nearly", "approximately", "at least", "less than", "projected", "target")


def _plain(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def _combo(items, editable: bool = True) -> QComboBox:
    combo = QComboBox()
    combo.setEditable(editable)
    combo.addItems(list(items))
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    return combo


NAMES_ROLE = Qt.ItemDataRole.UserRole + 1  # (name, Chinese name) of a picker's item
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2  # both names, case-folded: what a typed search matches


class _NameCompleter(QCompleter):
    """Finds a picker's item by either of its names (as the filters do), and puts the shown name in the box."""

    def pathFromIndex(self, index) -> str:  # noqa: N802 - Qt's name
        return index.data(Qt.ItemDataRole.DisplayRole) or ""


def _named_combo(choices: list[tuple[str, str, str]], optional: bool) -> QComboBox:
    """An editable combo of taxonomy names in the chosen language (View › Language of Names), the other
    language where one is missing; a search in either language finds an item; a typed name that is not
    there creates a new one."""
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    if optional:
        combo.addItem("", "")
    language = names.current()
    for key, name, name_zh in sorted(choices, key=lambda c: pick(c[1], c[2], language).casefold()):
        combo.addItem(pick(name, name_zh, language), key)
        combo.setItemData(combo.count() - 1, (name, name_zh), NAMES_ROLE)
        combo.setItemData(combo.count() - 1, both(name, name_zh), SEARCH_ROLE)
    completer = _NameCompleter(combo.model(), combo)
    completer.setCompletionRole(SEARCH_ROLE)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setCompleter(completer)
    return combo


def _find_name(combo: QComboBox, text: str) -> int:
    """The item whose shown name, English name or Chinese name is `text` (any case), else -1."""
    wanted = text.strip().casefold()
    current = combo.currentIndex()
    if wanted and current >= 0 and combo.itemText(current).casefold() == wanted:
        return current  # the picked item, even where two items show the same name
    for index in range(combo.count()):
        shown = [combo.itemText(index), *(combo.itemData(index, NAMES_ROLE) or ())]
        if wanted and any((name or "").strip().casefold() == wanted for name in shown):
            return index
    return -1


def _set_combo(combo: QComboBox, key_or_text: str) -> None:
    index = combo.findData(key_or_text)
    if index < 0:
        index = _find_name(combo, key_or_text)
    if index >= 0:
        combo.setCurrentIndex(index)
    else:
        combo.setEditText(key_or_text)


def _combo_value(combo: QComboBox) -> str:
    """The key of a picked name, in either language, or the typed text (a new name)."""
    text = combo.currentText().strip()
    index = _find_name(combo, text)
    if index >= 0:
        return combo.itemData(index) or combo.itemText(index)
    return text


class FigureDialog(QDialog):
    def __init__(self, parent: QWidget | None, *, title: str, quote: str, sentence: str, published: str,
                 choices: dict[str, list[tuple[str, str, str]]], initial: dict | None = None,
                 meaning: dict | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.quote = quote
        self.value = _plain_edit()
        self.value_max = _plain_edit("upper end, if a range")
        self.unit = _combo(UNITS)
        self.scale = _combo(SCALES)
        self.qualifier = _combo(QUALIFIERS)
        self.period = _plain_edit("2024 \u00b7 2025-03 \u00b7 2025-01/2025-05 \u00b7 2018/2024")
        self.metric_combo = _named_combo(choices.get("metric", []), optional=False)
        self.entity_combo = _named_combo(choices.get("entity", []), optional=False)
        self.cluster_combo = _named_combo(choices.get("cluster", []), optional=True)
        self.note = NoteEdit(MAX_NOTE_CHARS)  # refuses a paste past the limit before laying it out
        self.note.setFixedHeight(60)
        self.problem = _plain()
        self.warning = _plain()
        tone(self.problem, "error")  # colours that stay readable in the dark theme too
        tone(self.warning, "warning")

        quote_label = _plain(f"\u201c{quote}\u201d")
        quote_label.setStyleSheet("font-weight: 600")
        sentence_label = _plain(sentence)
        tone(sentence_label)
        form = QFormLayout()
        form.addRow("Quote:", quote_label)
        form.addRow("In:", sentence_label)
        # What the finder read the figure to mean, and the words it read each part from: plain text
        # (document words are untrusted), for the reviewer to check against the quote.
        self.meaning = _plain("\n".join(meaning_lines(meaning or {})))
        tone(self.meaning, "meaning")
        self.meaning.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if self.meaning.text():
            form.addRow("Read as:", self.meaning)
        values = QHBoxLayout()
        values.addWidget(self.value, 2)
        values.addWidget(_plain("to"))
        values.addWidget(self.value_max, 1)
        value_label = QLabel("&Value:")
        value_label.setBuddy(self.value)  # a row holding a layout gets no buddy of its own
        form.addRow(value_label, values)
        form.addRow("&Unit:", self.unit)
        form.addRow("&Scale word:", self.scale)
        form.addRow("&Qualifier:", self.qualifier)
        form.addRow("&Period:", self.period)
        form.addRow("&Metric:", self.metric_combo)
        form.addRow("&Entity:", self.entity_combo)
        form.addRow("&Cluster:", self.cluster_combo)
        form.addRow("&Note:", self.note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.warning)
        layout.addWidget(self.buttons)

        self._prefill(quote, sentence, published, initial or {})
        for edit in (self.value, self.value_max, self.period):
            edit.textChanged.connect(self._validate)
        for combo in (self.unit, self.metric_combo, self.entity_combo):
            combo.currentTextChanged.connect(self._validate)
        self.note.textChanged.connect(self._validate)
        self.note.refused.connect(self._refused)
        self._validate()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_height()

    def event(self, event) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:  # a problem or a warning shown or hidden
            self._fit_height()
        return handled

    def _fit_height(self) -> None:
        """As tall as the wrapped text needs at this width: Qt sizes a dialog for its preferred width, and
        at a narrower one (a small screen, the user's drag) the last lines of "Read as:" were cut off."""
        layout = self.layout()
        needed = max(layout.totalHeightForWidth(self.width()), layout.totalMinimumSize().height())
        if self.screen() is not None:  # never taller than the screen, less the title bar's room
            needed = min(needed, self.screen().availableGeometry().height() - 40)
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)

    def _prefill(self, quote: str, sentence: str, published: str, initial: dict) -> None:
        guess: dict = {}
        try:
            quantity = parse_quantity(quote)
            guess = {"value_text": canonical(quantity.value), "unit": quantity.unit, "scale": quantity.scale,
                     "qualifier": quantity.qualifier,
                     "value_max_text": canonical(quantity.value_max) if quantity.value_max is not None else ""}
        except StoreError:
            pass  # nothing to prefill: the user types the value, and the dialog says if it is not a number
        guess["period"] = guess_period(sentence, published) if sentence else ""
        guess.update({k: v for k, v in initial.items() if v is not None})
        self.value.setText(guess.get("value_text", ""))
        self.value_max.setText(guess.get("value_max_text") or "")
        self.unit.setEditText(guess.get("unit", ""))
        self.scale.setEditText(guess.get("scale", ""))
        self.qualifier.setEditText(guess.get("qualifier", ""))
        self.period.setText(guess.get("period", ""))
        _set_combo(self.metric_combo, guess.get("metric", ""))
        _set_combo(self.entity_combo, guess.get("entity", "guangdong"))
        _set_combo(self.cluster_combo, guess.get("cluster", ""))
        self.note.setPlainText(guess.get("note", ""))

    # --- validation -------------------------------------------------------------------------
    def _parsed(self, edit: QLineEdit, optional: bool = False) -> Fraction | None:
        text = edit.text().strip()
        if optional and not text:
            return None
        return parse_value(text)

    def _validate(self) -> None:
        problems, warning = [], ""
        value = None
        try:
            value = self._parsed(self.value)
        except StoreError as exc:
            problems.append(f"Value: {exc}")
        try:
            high = self._parsed(self.value_max, optional=True)
            if high is not None and value is not None and high < value:
                problems.append("The upper end of the range is below the value.")
        except StoreError as exc:
            problems.append(f"Upper end: {exc}")
        try:
            parse_period(self.period.text().strip())
        except StoreError as exc:
            problems.append(f"Period: {exc}")
        if not _combo_value(self.metric_combo):
            problems.append("Choose a metric, or type the name of a new one.")
        if not _combo_value(self.entity_combo):
            problems.append("Choose an entity, or type the name of a new one.")
        note_length = len(self.note.toPlainText().strip())
        if note_length > MAX_NOTE_CHARS:
            problems.append(f"Note: {note_length:,} characters; a note is at most {MAX_NOTE_CHARS:,}.")
        if value is not None:  # warned even while other fields still need filling in
            disagreement = quote_disagrees(self.quote, value, self.unit.currentText().strip())
            if disagreement:
                warning = f"{disagreement} Saving keeps the figure flagged for review."
        self.problem.setText("\n".join(problems))
        self.problem.setVisible(bool(problems))
        self.warning.setText(warning)
        self.warning.setVisible(bool(warning))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not problems)

    def _refused(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.setVisible(True)

    def problems(self) -> str:
        return self.problem.text() if self.problem.isVisible() or self.problem.text() else ""

    def warning_text(self) -> str:
        return self.warning.text()

    def fields(self) -> dict:
        """The figure as the store takes it (curation.FigureDraft / edit_figure fields)."""
        high = self._parsed(self.value_max, optional=True)
        return {
            "value_text": canonical(self._parsed(self.value)),
            "value_max_text": canonical(high) if high is not None else "",
            "unit": self.unit.currentText().strip(),
            "scale": self.scale.currentText().strip(),
            "qualifier": self.qualifier.currentText().strip(),
            "period": self.period.text().strip(),
            "metric": _combo_value(self.metric_combo),
            "entity": _combo_value(self.entity_combo),
            "cluster": _combo_value(self.cluster_combo),
            "note": self.note.toPlainText().strip(),
        }


READING_PARTS = {"metric": "metric", "growth": "change", "growth_base": "base", "projected": "target",
                 "period": "period", "entity": "entity", "cluster": "cluster"}


def meaning_lines(meaning: dict) -> list[str]:
    """The finder's reading of a figure (metric_text, growth, growth_base, projected, period, reading) as
    lines of plain text: what it understood, then the words it read each part from. Empty: nothing read."""
    reading = dict(meaning.get("reading") or {})
    if not (meaning.get("metric_text") or meaning.get("growth") or meaning.get("projected") or reading):
        return []
    growth = {"change": "a change", "level": "a level"}.get(meaning.get("growth") or "", "not stated")
    if meaning.get("growth") == "change" and meaning.get("growth_base"):
        growth += f" on {meaning['growth_base']}"
    lines = [f"Metric words: {meaning.get('metric_text') or 'none found'}",
             f"Level or change: {growth}",
             f"Target or outcome: {'a target (projected)' if meaning.get('projected') else 'an outcome'}",
             f"Period: {meaning.get('period') or 'none found'}"]
    if reading:
        lines.append("Read from: " + "; ".join(f"{READING_PARTS.get(part, part)} \u201c{words}\u201d"
                                               for part, words in reading.items()))
    return lines


def _plain_edit(placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    return edit
