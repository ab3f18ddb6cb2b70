"""The metric the charts and the pivot compare: one of the metrics of the table's set, with its count."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget


class MetricCombo(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("metricCombo")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(24)
        self.setToolTip("The metric the charts and the pivot compare")

    def set_metrics(self, metrics: list[tuple[int, str, str, int]], current: int | None) -> None:
        """(id, name, unit kind, count) of each metric; `current` shown. Emits nothing."""
        blocked = self.blockSignals(True)
        self.clear()
        for metric_id, name, _kind, count in metrics:
            self.addItem(f"{name} ({count})", metric_id)
        self.setCurrentIndex(max(self.findData(current), 0))
        self.setEnabled(bool(metrics))
        self.blockSignals(blocked)

    def show_metric(self, metric_id: int | None) -> None:
        index = self.findData(metric_id)
        if index >= 0:
            self.setCurrentIndex(index)
