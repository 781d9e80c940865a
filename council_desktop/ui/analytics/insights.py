"""Issue 15's analytics: the leaderboard by model file, the judges' bias audit, and how often each member
agrees with you (with the Kindred Spirit badge). Every figure names the ballots behind it."""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ...services.history import Agreement, Audit, HistoryService, ModelEntry
from .. import theme
from ..loading import Loader
from ..sessions.formatting import score_text
from .charts import Card, bars, label, mean_score_bars, series_color, themed_plot, value_text

MODEL_COLUMNS = ("#", "Model", "Mean score", "Scores", "Sessions", "Seats", "Wins", "Sat as")
JUDGE_COLUMNS = ("Judge", "Scores", "Mean", "Leniency", "Spread", "Label gap", "Length r", "Own model",
                 "Agreement", "Flags", "Note")


def _table(columns: Sequence[str], stretch: int) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)  # one line a row: a long cell is elided, never wrapped into its neighbour
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(32)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[str]], colors: Sequence[str | None] = ()) -> None:
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)  # a table item shows plain text
            item.setToolTip(text if len(text) > 30 else "")
            if colors and r < len(colors) and colors[r] and c in (0, 9):
                item.setForeground(QColor(colors[r] or theme.TEXT))
            table.setItem(r, c, item)


def _num(value: float | None, fmt: str) -> str:
    return "–" if value is None else format(value, fmt)


def _signed(value: float, digits: int = 1) -> str:
    """``+0.3`` / ``−0.3``, and a plain ``0.0`` for what rounds to zero (never "-0.0")."""
    text = f"{value:+.{digits}f}"
    return f"{0:.{digits}f}" if float(text) == 0 else text.replace("-", "−")


class ModelLeaderboardPanel(QWidget):
    """The leaderboard by model file: one row per file across every persona it sat under (the by-seat
    board keys a row by persona and model). Signals: none."""

    def __init__(self, history: HistoryService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loader = Loader(self)  # history reads off the GUI thread
        self.history = history
        self.entries: list[ModelEntry] = []
        self.table = _table(MODEL_COLUMNS, MODEL_COLUMNS.index("Sat as"))  # the model names in full
        self.empty_label = label("No finished sessions yet.", "emptyNote")
        self.plot = themed_plot(y_range=(0, 10.6), left="mean score received")
        self.bar_item: pg.BarGraphItem | None = None
        table_card = Card("Leaderboard by model", "One row per model file (by its sha256, not its name), "
                                                  "over every persona it sat under.")
        table_card.body.addWidget(self.table, 1)
        table_card.body.addWidget(self.empty_label)
        chart_card = Card("Mean score by model", "Inside each bar: the scores it is the mean of.")
        chart_card.body.addWidget(self.plot, 1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(14)
        row.addWidget(table_card, 3)
        row.addWidget(chart_card, 2)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        self.loader.load(self.history.leaderboard_by_model, self._show, [], self.empty_label)

    def _show(self, entries: list[ModelEntry]) -> None:
        self.entries = entries
        self.empty_label.setVisible(not self.entries)
        _fill(self.table, [(str(i + 1), e.name, score_text(e.mean_score), str(e.scores), str(e.sessions),
                            str(e.seats), str(e.wins), ", ".join(e.personas)) for i, e in enumerate(self.entries)])
        self.bar_item = mean_score_bars(self.plot, [e.name[:18] for e in self.entries],
                                        [e.mean_score for e in self.entries],
                                        [series_color(i) for i in range(len(self.entries))],
                                        [f"n={e.scores}" for e in self.entries])

    def cell(self, row: int, column: str) -> str:
        item = self.table.item(row, MODEL_COLUMNS.index(column))
        return item.text() if item is not None else ""


class AuditPanel(QWidget):
    """The bias audit: mean score by label (position), score against answer length, each judge's leniency
    and spread, with the ballots behind each figure, a plain note, and the judges that look biased flagged.
    Signals: none."""

    def __init__(self, history: HistoryService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loader = Loader(self)  # history reads off the GUI thread
        self.history = history
        self.audit: Audit | None = None
        self.label_plot = themed_plot(y_range=(0, 10.6), left="mean score")
        self.length_plot = themed_plot(y_range=(0, 10.8), left="score", bottom="answer length (characters)")
        self.judge_plot = themed_plot(left="points vs the others")
        self.label_card = Card("Label / position bias", "")
        self.label_card.body.addWidget(self.label_plot, 1)
        self.length_card = Card("Length bias", "")
        self.length_card.body.addWidget(self.length_plot, 1)
        self.judge_card = Card("Leniency per judge", "")
        self.judge_card.body.addWidget(self.judge_plot, 1)
        self.table = _table(JUDGE_COLUMNS, 10)
        self.table_card = Card("The judges", "")
        self.table_card.body.addWidget(self.table, 1)
        self.summary = label("", "cardNote")
        self.summary.setWordWrap(True)
        self.table_card.body.addWidget(self.summary)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(14)
        grid.addWidget(self.label_card, 0, 0)
        grid.addWidget(self.length_card, 0, 1)
        grid.addWidget(self.judge_card, 0, 2)
        grid.addWidget(self.table_card, 1, 0, 1, 3)
        grid.setRowStretch(0, 2)
        grid.setRowStretch(1, 3)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        self.loader.load(self.history.audit, self._show, None, self.summary)

    def _show(self, audit: Audit | None) -> None:
        self.audit = audit
        a = self.audit
        for plot in (self.label_plot, self.length_plot, self.judge_plot):
            plot.getPlotItem().clear()
        if a is None or not a.ballots:
            self.table.setRowCount(0)
            if a is not None:
                self.summary.setText("No ballots yet: the audit fills in after the first finished debate.")
            return
        self.label_card.note_label.setText(f"{a.label_note} ({sum(f.ballots for f in a.by_label)} scores)")
        self.label_card.note_label.setVisible(True)
        self._draw_labels(a)
        self.length_card.note_label.setText(a.length_note)
        self.length_card.note_label.setVisible(True)
        self._draw_length(a)
        self.judge_card.note_label.setText("Bar: a judge's mean minus the others' (n = its scores); "
                                           "red: flagged.")
        self.judge_card.note_label.setVisible(True)
        self._draw_judges(a)
        flagged = [j for j in a.judges if j.flags]
        colors = [theme.RED if j.flags else None for j in a.judges]
        _fill(self.table, [(j.name, str(j.ballots), f"{j.mean:.2f}", f"{j.leniency:+.2f}", f"{j.spread:.2f}",
                            _num(j.label_gap, ".2f"), _num(j.length_r, "+.2f"),
                            "–" if j.self_preference is None else f"{j.self_preference:+.1f} "
                                                                  f"({j.self_ballots}/{j.other_ballots})",
                            _num(j.agreement, "+.2f"), ", ".join(j.flags) or "—", "; ".join(j.notes))
                           for j in a.judges], colors)
        self.table_card.title_label.setText(f"The judges — {a.ballots} scores from {a.sessions} finished sessions")
        self.summary.setText(f"Self-preference: {a.self_note}  Agreement: {a.agreement_note}  "
                             + (f"Flagged: {', '.join(j.name for j in flagged)}." if flagged
                                else "No judge is flagged."))

    def _draw_labels(self, a: Audit) -> None:
        plot = self.label_plot.getPlotItem()
        xs = list(range(len(a.by_label)))
        plot.addItem(bars(xs, [f.mean for f in a.by_label], [theme.BLUE] * len(xs), width=0.6))
        for x, f in zip(xs, a.by_label, strict=True):
            plot.addItem(value_text(f"{f.mean:.1f}", x, f.mean + 0.12, size=12))
            plot.addItem(value_text(f"n={f.ballots}", x, 0.18, theme.INK, size=10, anchor=(0.5, 1.0)))
        plot.getAxis("bottom").setTicks([[(x, f.label.replace("Response ", "")) for x, f in
                                          zip(xs, a.by_label, strict=True)]])
        plot.setXRange(-0.6, len(xs) - 0.4, padding=0)
        plot.setYRange(0, 10.6, padding=0)

    def _draw_length(self, a: Audit) -> None:
        plot = self.length_plot.getPlotItem()
        if a.points:
            plot.addItem(pg.ScatterPlotItem([float(x) for x, _ in a.points], [y for _, y in a.points], size=7,
                                            pen=pg.mkPen(None), brush=pg.mkBrush(theme.with_alpha(theme.CYAN, 0.55))))
        if a.length_r is not None:
            plot.addItem(value_text(f"r = {a.length_r:+.2f}, n = {len(a.points)}",
                                    max(x for x, _ in a.points), 10.6, theme.TEXT, size=12, anchor=(1.0, 0.0)))
        plot.setYRange(0, 10.8, padding=0)

    def _draw_judges(self, a: Audit) -> None:
        plot = self.judge_plot.getPlotItem()
        xs = list(range(len(a.judges)))
        colors = [theme.RED if j.flags else theme.GREEN for j in a.judges]
        plot.addItem(bars(xs, [j.leniency for j in a.judges], colors, width=0.6))
        for x, j in zip(xs, a.judges, strict=True):
            plot.addItem(value_text(f"{_signed(j.leniency)} n={j.ballots}", x, max(j.leniency, 0) + 0.05, size=10))
        plot.getAxis("bottom").setTicks([[(x, j.name[:10]) for x, j in zip(xs, a.judges, strict=True)]])
        plot.setXRange(-0.6, len(xs) - 0.4, padding=0)
        low = min([j.leniency for j in a.judges] + [-1.0])
        high = max([j.leniency for j in a.judges] + [1.0])
        plot.setYRange(low - 0.3, high + 0.5, padding=0)

    def flagged(self) -> list[str]:
        return [j.judge for j in self.audit.judges if j.flags] if self.audit else []


class ViewerAgreementPanel(QWidget):
    """How often each member agrees with you: the rank correlation between its ballots and yours over the
    sessions you judged; the member that agrees most holds the Kindred Spirit badge. Signals: none."""

    def __init__(self, history: HistoryService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loader = Loader(self)  # history reads off the GUI thread
        self.history = history
        self.rows: list[Agreement] = []
        self.badge = label("", "cardTitle")
        self.badge.setStyleSheet(f"color: {theme.GOLD}; font-size: 17px; font-weight: 800;")
        self.plot = themed_plot(y_range=(-1.1, 1.25), left="rank correlation with you")
        self.empty_label = label("You have not judged a finished session yet: score the answers in the arena "
                                 "during peer review or ranking, and this page compares the council with you.",
                                 "emptyNote")
        self.empty_label.setWordWrap(True)
        card = Card("Who agrees with you", "+1: ranks the answers exactly as you did; 0: unrelated; −1: the "
                                           "opposite. n = sessions you both judged.")
        card.body.addWidget(self.badge)
        card.body.addWidget(self.plot, 1)
        card.body.addWidget(self.empty_label)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(card, 1)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        self.loader.load(self.history.viewer_agreement, self._show, [], self.empty_label)

    def _show(self, rows: list[Agreement]) -> None:
        from ...core.viewer import KINDRED_SPIRIT, kindred_spirit

        self.rows = rows
        self.empty_label.setVisible(not self.rows)
        best = kindred_spirit(self.rows)
        self.badge.setText(f"★ {KINDRED_SPIRIT}: {best.name} (ρ {best.rho:+.2f} over {best.sessions} "
                           f"session{'s' if best.sessions != 1 else ''})" if best else "")
        plot = self.plot.getPlotItem()
        plot.clear()
        if not self.rows:
            return
        xs = list(range(len(self.rows)))
        colors = [theme.GOLD if best is not None and r.member == best.member else
                  theme.GREEN if r.rho > 0 else theme.RED for r in self.rows]
        plot.addItem(bars(xs, [r.rho for r in self.rows], colors, width=0.6))
        for x, r in zip(xs, self.rows, strict=True):
            plot.addItem(value_text(f"{r.rho:+.2f} n={r.sessions}", x, max(r.rho, 0) + 0.04, size=11))
        plot.getAxis("bottom").setTicks([[(x, r.name) for x, r in zip(xs, self.rows, strict=True)]])
        plot.setXRange(-0.6, len(xs) - 0.4, padding=0)
        plot.setYRange(-1.1, 1.25, padding=0)
