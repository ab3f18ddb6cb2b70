"""File > Export: the selected figures or the whole current view, in the format an analyst needs.

The dialog only collects choices; the store's exporter writes (to a temporary
name, then moved into place) off the UI thread, with progress and Cancel.
The folder, format and columns are remembered between exports.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)

from gui.theme import tone

if TYPE_CHECKING:  # the exporter loads with this dialog, on first use
    from store.export.figures import ExportOptions

# (label, exporter format, file suffix, file-dialog filter)
CHOICES = (
    ("CSV (comma-separated)", "csv", ".csv", "CSV files (*.csv)"),
    ("Excel workbook (XLSX)", "xlsx", ".xlsx", "Excel workbooks (*.xlsx)"),
    ("JSON", "json", ".json", "JSON files (*.json)"),
    ("Parquet", "parquet", ".parquet", "Parquet files (*.parquet)"),
    ("Data package, zipped (Frictionless)", "datapackage", ".zip", "Zip archives (*.zip)"),
    ("Data package, a folder (Frictionless)", "datapackage", "", ""),
)
DEFAULT_NAME = "cluster-explorer-figures"


@dataclass
class ExportRequest:
    path: Path
    options: ExportOptions
    selected_only: bool


class ExportDialog(QDialog):
    def __init__(self, parent, settings: QSettings, selected: int, in_view: int, where: str) -> None:
        from store.export.figures import COLUMNS, DEFAULT_COLUMNS, PROVENANCE_COLUMNS
        super().__init__(parent)
        self.setWindowTitle("Export Figures")
        self.setMinimumWidth(520)
        self.settings = settings
        self.selected_radio = QRadioButton(f"The selected figures ({selected:,})")
        self.view_radio = QRadioButton(f"Everything in the {where} ({in_view:,})")
        self.selected_radio.setEnabled(selected > 0)
        (self.selected_radio if selected > 0 else self.view_radio).setChecked(True)
        self.format_combo = QComboBox()
        for label, *_rest in CHOICES:
            self.format_combo.addItem(label)
        self.bom = QCheckBox("UTF-8 with BOM, so that Excel reads accents and Chinese correctly")
        self.annotations = QCheckBox("Include annotations")
        self.annotations.setChecked(True)
        self.columns = QListWidget()
        chosen = set(settings.value("export/columns", list(DEFAULT_COLUMNS)) or DEFAULT_COLUMNS)
        for column in COLUMNS:
            if column.key == "annotations":
                continue
            item = QListWidgetItem(column.title)
            item.setData(Qt.ItemDataRole.UserRole, column.key)
            item.setToolTip(column.description)
            always = column.key in PROVENANCE_COLUMNS
            item.setFlags((item.flags() | Qt.ItemFlag.ItemIsUserCheckable) & ~(Qt.ItemFlag.ItemIsEnabled if always else Qt.ItemFlag.NoItemFlags))
            item.setCheckState(Qt.CheckState.Checked if always or column.key in chosen else Qt.CheckState.Unchecked)
            self.columns.addItem(item)
        self.path_edit = QLineEdit()
        browse = QPushButton("Browse\u2026")
        browse.clicked.connect(self.browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        note = QLabel("Provenance columns (source, date, quote, offsets, status) are always included.")
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setWordWrap(True)
        tone(note)

        form = QFormLayout()
        form.addRow("Figures:", self.selected_radio)
        form.addRow("", self.view_radio)
        form.addRow("&Format:", self.format_combo)
        form.addRow("", self.bom)
        form.addRow("", self.annotations)
        form.addRow("&Columns:", self.columns)
        form.addRow("", note)
        save_to = QLabel("&Save to:")  # a row of two widgets gets no buddy from addRow: Alt+S needs one
        save_to.setBuddy(self.path_edit)
        form.addRow(save_to, path_row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        self.format_combo.setCurrentIndex(int(settings.value("export/format", 0) or 0) % len(CHOICES))
        self.bom.setChecked(settings.value("export/bom", "false") in (True, "true"))
        folder = Path(settings.value("export/folder", str(Path.home())) or Path.home())
        self.path_edit.setText(str(folder / (DEFAULT_NAME + self._choice()[2])))
        self.format_combo.currentIndexChanged.connect(self._format_changed)
        self.path_edit.textChanged.connect(self._validate)
        self._format_changed()

    def _choice(self):
        return CHOICES[self.format_combo.currentIndex()]

    def _format_changed(self) -> None:
        _label, fmt, suffix, _filter = self._choice()
        self.bom.setEnabled(fmt == "csv")
        path = Path(self.path_edit.text().strip() or DEFAULT_NAME)
        stem = path.name
        for _l, _f, old_suffix, _x in CHOICES:
            if old_suffix and stem.endswith(old_suffix):
                stem = stem[: -len(old_suffix)]
        self.path_edit.setText(str(path.with_name(stem + suffix)))
        self._validate()

    def _validate(self) -> None:
        self.export_button.setEnabled(bool(self.path_edit.text().strip()))

    def browse(self) -> None:
        _label, fmt, suffix, file_filter = self._choice()
        current = self.path_edit.text().strip()
        if suffix:
            path, _ = QFileDialog.getSaveFileName(self, "Export Figures", current, file_filter)
        else:
            path = QFileDialog.getExistingDirectory(self, "Export Data Package Into", str(Path(current).parent))
            path = str(Path(path) / DEFAULT_NAME) if path else ""
        if path:
            self.path_edit.setText(path if not suffix or path.endswith(suffix) else path + suffix)

    def request(self) -> ExportRequest:
        from store.export.figures import ExportOptions
        _label, fmt, _suffix, _filter = self._choice()
        keys = [self.columns.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.columns.count())
                if self.columns.item(i).checkState() == Qt.CheckState.Checked]
        options = ExportOptions(format=fmt, columns=tuple(keys), bom=self.bom.isChecked() and fmt == "csv",
                                annotations=self.annotations.isChecked())
        path = Path(self.path_edit.text().strip()).expanduser()
        self.settings.setValue("export/format", self.format_combo.currentIndex())
        self.settings.setValue("export/columns", keys)
        self.settings.setValue("export/bom", self.bom.isChecked())
        self.settings.setValue("export/folder", str(path.parent))
        return ExportRequest(path, options, self.selected_radio.isChecked())
