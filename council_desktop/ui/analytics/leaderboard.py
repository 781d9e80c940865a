"""LeaderboardPanel: every member ranked by mean received score, as a table and as a bar chart."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QTableWidgetItem, QWidget

from ...services.history import HistoryService, LeaderboardEntry
from .. import theme
from ..layouts import read_only_table
from ..loading import Loader
from ..sessions.formatting import score_text
from .charts import (
    Card,
    label,
    mean_score_bars,
    series_color,
    side_by_side,
    themed_plot,
)

COLUMNS = ("#", "Member", "Mean score", "Scores", "Sessions", "Wins", "Rebuttals", "Badges")


class LeaderboardPanel(QWidget):
    """The lifetime leaderboard over finished sessions: best mean received score first (then wins). The
    bars show each member's mean on the 1–10 scale with the number of sessions it sat in.

    Signals: none."""

    def __init__(self, history: HistoryService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loader = Loader(self)  # history reads off the GUI thread
        self.history = history
        self.entries: list[LeaderboardEntry] = []
        self.table = read_only_table(COLUMNS, selectable=False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(34)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(36)
        self.empty_label = label("No finished sessions yet: the leaderboard fills in after the first debate.",
                                 "emptyNote")
        self.empty_label.setWordWrap(True)
        self.plot = themed_plot(y_range=(0, 10.6), left="mean score received")
        self.plot.getPlotItem().getAxis("left").setTicks([[(v, str(v)) for v in range(0, 11, 2)]])
        table_card = Card("Leaderboard", "Mean of every valid score a member received, over finished sessions.")
        table_card.body.addWidget(self.table, 1)
        table_card.body.addWidget(self.empty_label)
        chart_card = Card("Mean score received", "Bar height: mean score (1–10); inside: sessions sat in.")
        chart_card.body.addWidget(self.plot, 1)
        side_by_side(self, table_card, chart_card)
        self._connect_signals()
        self.refresh()

    def _connect_signals(self) -> None:
        """Nothing to wire: the AnalyticsView calls ``refresh`` when the history changes."""

    @Slot()
    def refresh(self) -> None:
        self.loader.load(self.history.leaderboard, self._show, [], self.empty_label)

    def _show(self, entries: list[LeaderboardEntry]) -> None:
        self.entries = entries
        self.empty_label.setVisible(not self.entries)
        self._fill_table()
        self._draw_chart()

    def _fill_table(self) -> None:
        self.table.setRowCount(len(self.entries))
        for r, e in enumerate(self.entries):
            cells = (str(r + 1), e.name, score_text(e.mean_score), str(e.scores), str(e.sessions), str(e.wins),
                     str(e.rebuttals), str(e.badges))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c != 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if c == 1:
                    item.setForeground(QColor(series_color(r, e.color)).lighter(110))
                if c == 2:
                    font = theme.ui_font(13, bold=True)
                    item.setFont(font)
                self.table.setItem(r, c, item)

    def cell(self, row: int, column: str) -> str:
        """The text shown in ``column`` of ``row`` (tests read the table as a person would)."""
        item = self.table.item(row, COLUMNS.index(column))
        return item.text() if item is not None else ""

    def _draw_chart(self) -> None:
        self.bar_item = mean_score_bars(
            self.plot, [e.name for e in self.entries], [e.mean_score for e in self.entries],
            [series_color(i, e.color) for i, e in enumerate(self.entries)],
            [f"{e.sessions} session{'s' if e.sessions != 1 else ''}" for e in self.entries], width=0.62)

    def chart_values(self) -> list[tuple[str, float, int]]:
        """(name, bar height, sessions) per bar, left to right."""
        if self.bar_item is None:
            return []
        heights = list(self.bar_item.opts["height"])
        return [(e.name, float(h), e.sessions) for e, h in zip(self.entries, heights, strict=True)]
