"""MemberChartPanel: a card with a member picker, a summary line and a plot; the charts of one member."""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QVBoxLayout, QWidget

from ...services.history import HistoryService, MemberRef
from .. import theme
from ..loading import Loader
from .charts import Card, label


def fill_members(combo: QComboBox, members: list[MemberRef], keep: str | None) -> None:
    """Refill a member combo (id as item data), keeping ``keep`` selected when it is still there."""
    combo.blockSignals(True)
    combo.clear()
    for m in members:
        combo.addItem(m.name, m.id)
    index = combo.findData(keep) if keep else -1
    combo.setCurrentIndex(index if index >= 0 else (0 if members else -1))
    combo.blockSignals(False)


class MemberChartPanel(QWidget):
    """Pick a member, see its chart. A subclass builds its plot, passes it in, implements ``_fetch`` and
    ``_plot`` and calls ``refresh()`` once its own state is set. The members and the points load off the
    GUI thread.

    Signals: none."""

    def __init__(self, history: HistoryService, title: str, note: str, plot: pg.PlotWidget,
                 extra: QWidget | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loader = Loader(self)  # history reads off the GUI thread
        self.history = history
        self.members: list[MemberRef] = []
        self.member_combo = QComboBox()
        self.member_combo.setMinimumSize(170, 32)
        self.member_combo.setAccessibleName("Member")
        self.summary_label = label("", "cardNote")
        self.summary_label.setWordWrap(True)
        self.plot = plot
        card = Card(title, note)
        controls = QHBoxLayout()
        controls.addWidget(label("Member", style=f"color: {theme.TEXT_DIM};"))
        controls.addWidget(self.member_combo)
        controls.addSpacing(12)
        controls.addWidget(self.summary_label, 1)
        card.body.addLayout(controls)
        if extra is not None:
            card.body.addWidget(extra)
        card.body.addWidget(self.plot, 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(card)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.member_combo.currentIndexChanged.connect(self._draw)

    def current_member(self) -> str | None:
        value = self.member_combo.currentData()
        return str(value) if value else None

    def set_member(self, member_id: str) -> None:
        index = self.member_combo.findData(member_id)
        if index >= 0:
            self.member_combo.setCurrentIndex(index)

    @Slot()
    def refresh(self) -> None:
        self.loader.load(self.history.members, self._show_members, [], self.summary_label)

    def _show_members(self, members: list[MemberRef]) -> None:
        self.members = members
        fill_members(self.member_combo, self.members, self.current_member())
        self._draw()

    def _draw(self, *_: object) -> None:
        """Read the chosen member's points off the GUI thread (none when no member is chosen), then plot
        them (``_plot``); the plot is cleared, and the reason shown, when the history cannot be read."""
        member = self.current_member()
        fetch = self._fetch

        def failed(exc: Exception) -> None:
            self.plot.getPlotItem().clear()
            self.summary_label.setText(str(exc))
            self._plot(None)

        self.loader.load(lambda: fetch(member) if member else [], self._show_points, [], failed=failed)

    def _show_points(self, points: list[Any]) -> None:
        self.plot.getPlotItem().clear()
        self._plot(points)

    def _fetch(self, member_id: str) -> list[Any]:
        """The chosen member's points, from the history (runs on the storage thread)."""
        raise NotImplementedError

    def _plot(self, points: list[Any] | None) -> None:
        """Draw ``points`` on the cleared plot; None: the history could not be read."""
        raise NotImplementedError
