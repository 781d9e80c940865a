"""MemberHistoryPanel: one member's mean received score, session after session."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from ...services.history import HistoryPoint, HistoryService
from .. import theme
from ..sessions.formatting import short_date
from .charts import series_color, themed_plot, value_text
from .member_chart import MemberChartPanel


class MemberHistoryPanel(MemberChartPanel):
    """Pick a member: its mean received score in each finished session it was scored in (oldest left),
    with its lifetime mean as a dashed line.

    Signals: none."""

    def __init__(self, history: HistoryService, parent: QWidget | None = None) -> None:
        self.points: list[HistoryPoint] = []
        self.line: pg.PlotDataItem | None = None
        super().__init__(history, "Score over time", "Each point is one finished session: the mean of the valid "
                         "scores the member received there.",
                         themed_plot(y_range=(0, 10.6), left="mean score received", bottom="session"), parent=parent)
        self.refresh()

    def _fetch(self, member_id: str) -> list[HistoryPoint]:
        return self.history.member_history(member_id)

    def _plot(self, points: list[HistoryPoint] | None) -> None:
        plot = self.plot.getPlotItem()
        self.line = None
        self.points = points or []
        if points is None:
            return
        ref = next((m for m in self.members if m.id == self.current_member()), None)
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
