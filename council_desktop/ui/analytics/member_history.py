"""MemberHistoryPanel: one member's mean received score, session after session."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QVBoxLayout, QWidget

from ...services.history import HistoryError, HistoryPoint, HistoryService, MemberRef
from .. import theme
from ..sessions.formatting import short_date
from .charts import Card, label, series_color, themed_plot, value_text


def fill_members(combo: QComboBox, members: list[MemberRef], keep: str | None) -> None:
    """Refill a member combo (id as item data), keeping ``keep`` selected when it is still there."""
    combo.blockSignals(True)
    combo.clear()
    for m in members:
        combo.addItem(m.name, m.id)
    index = combo.findData(keep) if keep else -1
    combo.setCurrentIndex(index if index >= 0 else (0 if members else -1))
    combo.blockSignals(False)


class MemberHistoryPanel(QWidget):
    """Pick a member: its mean received score in each finished session it was scored in (oldest left),
    with its lifetime mean as a dashed line.

    Signals: none."""

    def __init__(self, history: HistoryService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history = history
        self.members: list[MemberRef] = []
        self.points: list[HistoryPoint] = []
        self.member_combo = QComboBox()
        self.member_combo.setMinimumSize(170, 32)
        self.member_combo.setAccessibleName("Member")
        self.summary_label = label("", "cardNote")
        self.summary_label.setWordWrap(True)
        self.plot = themed_plot(y_range=(0, 10.6), left="mean score received", bottom="session")
        self.line: pg.PlotDataItem | None = None
        card = Card("Score over time", "Each point is one finished session: the mean of the valid scores the "
                                        "member received there.")
        controls = QHBoxLayout()
        controls.addWidget(label("Member", style=f"color: {theme.TEXT_DIM};"))
        controls.addWidget(self.member_combo)
        controls.addSpacing(12)
        controls.addWidget(self.summary_label, 1)
        card.body.addLayout(controls)
        card.body.addWidget(self.plot, 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(card)
        self._connect_signals()
        self.refresh()

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
        try:
            self.members = self.history.members()
        except HistoryError as exc:
            self.members = []
            self.summary_label.setText(f"The history could not be read: {exc}")
        fill_members(self.member_combo, self.members, self.current_member())
        self._draw()

    def _draw(self, *_: object) -> None:
        plot = self.plot.getPlotItem()
        plot.clear()
        self.line = None
        member = self.current_member()
        ref = next((m for m in self.members if m.id == member), None)
        try:
            self.points = self.history.member_history(member) if member else []
        except HistoryError as exc:
            self.points = []
            self.summary_label.setText(str(exc))
            return
        if ref is None or not self.points:
            self.summary_label.setText("No scored sessions yet." if self.members else
                                       "No finished sessions yet.")
            return
        color = series_color(self.members.index(ref), ref.color)
        xs = list(range(1, len(self.points) + 1))
        ys = [p.mean_score for p in self.points]
        weighted = sum(p.mean_score * p.scores for p in self.points) / max(1, sum(p.scores for p in self.points))
        plot.addItem(pg.InfiniteLine(pos=weighted, angle=0, pen=pg.mkPen(theme.with_alpha(color, 0.55), width=1.5,
                                                                           style=Qt.PenStyle.DashLine)))
        self.line = pg.PlotDataItem(xs, ys, pen=pg.mkPen(color, width=2.5), symbol="o", symbolSize=10,
                                    symbolBrush=pg.mkBrush(color), symbolPen=pg.mkPen(theme.SURFACE, width=2))
        plot.addItem(self.line)
        for x, y in zip(xs, ys, strict=True):
            plot.addItem(value_text(f"{y:.1f}", x, y + 0.35, theme.TEXT, size=11, anchor=(0.5, 1.0)))
        step = max(1, len(xs) // 12)
        plot.getAxis("bottom").setTicks([[(x, short_date(p.started_at)) for x, p in zip(xs, self.points, strict=True)
                                          if (x - 1) % step == 0]])
        plot.setXRange(0.5, len(xs) + 0.5, padding=0)
        plot.setYRange(0, 10.6, padding=0)
        best = max(self.points, key=lambda p: p.mean_score)
        n = len(self.points)
        self.summary_label.setText(f"{ref.name}: {n} scored session{'s' if n != 1 else ''} · lifetime mean "
                                   f"{weighted:.2f} (dashed) · best {best.mean_score:.2f} on “{best.topic}”")

    def series(self) -> list[tuple[float, float]]:
        """The plotted (x, y) points."""
        if self.line is None:
            return []
        xs, ys = self.line.getData()
        return [(float(x), float(y)) for x, y in zip(xs, ys, strict=True)]
