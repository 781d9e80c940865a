"""ForkDialog: "Re-run from here" — choose the stage, the chair, the seed, and each seat's persona, model and
temperature."""

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
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core.personas import STARTER_PERSONAS

KEEP = -0.05  # the temperature spin box's "keep" value


class ForkDialog(QDialog):
    """Modal; ``changes()`` after ``exec()`` returns {stage, chair, seed, temperatures, seats} — ``seats``:
    {member id: {"persona": id?, "model": id?}} for the seats changed. ``models``: (id, label) of the
    models a seat may move to. Signals: none."""

    def __init__(self, stages: Sequence[tuple[int, str]], current: int, members: Sequence[tuple[str, str]],
                 chair: str | None, seed: int | None, parent: QWidget | None = None,
                 models: Sequence[tuple[str, str]] = ()) -> None:
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
        self.personas: dict[str, QComboBox] = {}
        self.models: dict[str, QComboBox] = {}
        for mid, name in members:
            persona = QComboBox()
            persona.addItem("same persona", "")
            for p in STARTER_PERSONAS:
                persona.addItem(p.name, p.id)
            model = QComboBox()
            model.addItem("same model", "")
            for model_id, label in models:
                model.addItem(label, model_id)
            spin = QDoubleSpinBox()
            spin.setRange(KEEP, 2.0)
            spin.setSingleStep(0.1)
            spin.setValue(KEEP)
            spin.setSpecialValueText("same temperature")
            self.personas[mid], self.models[mid], self.temperatures[mid] = persona, model, spin
            row = QHBoxLayout()
            for box in (persona, model, spin):
                row.addWidget(box)
            form.addRow(name, row)
        note = QLabel("Everything before the stage is copied from this session; the rest runs live with your "
                      "changes, as a new session linked to this one. A changed seat keeps its name and speaks "
                      "with its new persona or model from that stage on: its earlier turns are this session's.")
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
                "temperatures": {m: round(s.value(), 2) for m, s in self.temperatures.items() if s.value() >= 0},
                "seats": {m: {k: v for k, v in (("persona", str(self.personas[m].currentData())),
                                                 ("model", str(self.models[m].currentData()))) if v}
                          for m in self.personas
                          if self.personas[m].currentData() or self.models[m].currentData()}}
