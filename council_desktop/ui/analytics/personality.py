"""PersonalityPanel: a member's five traits (0–1) after each session, with resets marked."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from ...services.history import TRAITS, HistoryService, PersonalityPoint
from .. import theme
from ..sessions.formatting import short_date
from .charts import TRAIT_COLORS, key_row, themed_plot
from .member_chart import MemberChartPanel


class PersonalityPanel(MemberChartPanel):
    """Pick a member: agreeableness, assertiveness, verbosity, contrarianism and generosity after every
    update (one per session; a reset is a dashed vertical line). 0.5 is neutral; the bands at 0.3 and 0.7
    are where the system-prompt nudges start.

    Signals: none."""

    def __init__(self, history: HistoryService, parent: QWidget | None = None) -> None:
        self.points: list[PersonalityPoint] = []
        self.lines: dict[str, pg.PlotDataItem] = {}
        plot = themed_plot(y_range=(0, 1), left="trait", bottom="update")
        plot.getPlotItem().getAxis("left").setTicks([[(v / 10, f"{v / 10:.1f}") for v in range(0, 11, 2)]])
        super().__init__(history, "Personality over time", "Traits move by a moving average after each session; at "
                         "0.7 and above (0.3 and below) the member is nudged in its system prompt.", plot,
                         key_row([(t, TRAIT_COLORS[t]) for t in TRAITS]), parent)
        self.refresh()

    def _fetch(self, member_id: str) -> list[PersonalityPoint]:
        return self.history.personality_history(member_id)

    def _plot(self, points: list[PersonalityPoint] | None) -> None:
        plot = self.plot.getPlotItem()
        self.lines = {}
        self.points = points or []
        if points is None:
            return
        for band in (0.3, 0.7):
            plot.addItem(pg.InfiniteLine(pos=band, angle=0, pen=pg.mkPen(theme.with_alpha(theme.TEXT_DIM, 0.35),
                                                                         width=1, style=Qt.PenStyle.DotLine)))
        if not self.points:
            self.summary_label.setText("No personality updates yet." if self.members else "No finished sessions yet.")
            return
        xs = list(range(1, len(self.points) + 1))
        for trait in TRAITS:
            color = TRAIT_COLORS[trait]
            line = pg.PlotDataItem(xs, [p.traits[trait] for p in self.points], pen=pg.mkPen(color, width=2.2),
                                   symbol="o", symbolSize=6, symbolBrush=pg.mkBrush(color), symbolPen=None)
            plot.addItem(line)
            self.lines[trait] = line
        for x, p in zip(xs, self.points, strict=True):
            if p.kind == "reset":
                plot.addItem(pg.InfiniteLine(pos=x, angle=90, pen=pg.mkPen(theme.TEXT_DIM, width=1,
                                                                           style=Qt.PenStyle.DashLine),
                                             label="reset", labelOpts={"color": theme.TEXT_DIM, "position": 0.95}))
        step = max(1, len(xs) // 12)
        plot.getAxis("bottom").setTicks([[(x, short_date(p.at)) for x, p in zip(xs, self.points, strict=True)
                                          if (x - 1) % step == 0]])
        plot.setXRange(0.6, len(xs) + 0.4, padding=0)
        plot.setYRange(0, 1, padding=0.02)
        last = self.points[-1].traits
        self.summary_label.setText("Now: " + " · ".join(f"{t} {last[t]:.2f}" for t in TRAITS))

    def series(self, trait: str) -> list[float]:
        line = self.lines.get(trait)
        if line is None:
            return []
        _xs, ys = line.getData()
        return [float(y) for y in ys]
