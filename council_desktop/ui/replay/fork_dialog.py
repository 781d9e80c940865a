"""ForkDialog: "Re-run from here" — choose the stage, the chair, the seed and members' temperatures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

KEEP = -0.05  # the temperature spin box's "keep" value


class ForkDialog(QDialog):
    """Modal; ``changes()`` after ``exec()`` returns {stage, chair, seed, temperatures}. Signals: none."""

    def __init__(self, stages: Sequence[tuple[int, str]], current: int, members: Sequence[tuple[str, str]],
                 chair: str | None, seed: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Re-run from here")
        self.stage_box = QComboBox()
        for index, name in stages:
            self.stage_box.addItem(f"{index} · {name}", index)
        at = self.stage_box.findData(current)
        self.stage_box.setCurrentIndex(at if at >= 0 else self.stage_box.count() - 1)
        self.chair_box = QComboBox()
        for mid, name in members:
            self.chair_box.addItem(name, mid)
        if chair is not None and self.chair_box.findData(chair) >= 0:
            self.chair_box.setCurrentIndex(self.chair_box.findData(chair))
        self.new_seed = QCheckBox("New seed")
        self.seed_box = QSpinBox()
        self.seed_box.setRange(0, 2**31 - 1)
        self.seed_box.setValue(((seed or 0) + 1) % (2**31 - 1))
        self.seed_box.setEnabled(False)
        self.new_seed.toggled.connect(self.seed_box.setEnabled)
        self.temperatures: dict[str, QDoubleSpinBox] = {}
        form = QFormLayout()
        form.addRow("Re-run from stage", self.stage_box)
        form.addRow("Chair", self.chair_box)
        form.addRow(self.new_seed, self.seed_box)
        for mid, name in members:
            spin = QDoubleSpinBox()
            spin.setRange(KEEP, 2.0)
            spin.setSingleStep(0.1)
            spin.setValue(KEEP)
            spin.setSpecialValueText("keep")
            self.temperatures[mid] = spin
            form.addRow(f"{name}: temperature", spin)
        note = QLabel("Everything before the stage is copied from this session; the rest runs live with your "
                      "changes, as a new session linked to this one. The seats must be the ones at the table.")
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Re-run")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(note)
        column.addWidget(buttons)

    def changes(self) -> dict[str, Any]:
        return {"stage": int(self.stage_box.currentData()), "chair": str(self.chair_box.currentData()),
                "seed": self.seed_box.value() if self.new_seed.isChecked() else None,
                "temperatures": {m: round(s.value(), 2) for m, s in self.temperatures.items() if s.value() >= 0}}
