"""HeadToHeadPanel: how two members judged each other, sided with each other, and who ranked higher."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ...services.history import HeadToHead, HistoryService, MemberRef
from .. import theme
from ..layouts import clear_layout
from ..loading import Loader
from ..sessions.formatting import score_text
from .charts import Card, bars, key_row, label, series_color, side_by_side, themed_plot, value_text
from .member_chart import fill_members

CATEGORIES = ("Mean score given", "Agreed with", "Disagreed with", "Ranked higher")


SCORES_SHOWN = 8


def _scores(values: tuple[float, ...]) -> str:
    """The scores in order; a long run shows its latest ones."""
    if not values:
        return "none"
    text = ", ".join(f"{v:g}" for v in values[-SCORES_SHOWN:])
    return ("…, " + text) if len(values) > SCORES_SHOWN else text


class HeadToHeadPanel(QWidget):
    """Two members picked in two combos; over the finished sessions they shared: the scores each gave
    the other, the alliances and disagreements each declared on the other, and which of them ranked
    higher. Numbers on the left, a small grouped bar chart on the right.

    Signals: none."""

    ROWS = ("Sessions together", "Scores given", "Mean score given", "Named the other an ally",
            "Disagreed with the other", "Mutual alliances", "Mutual disagreements", "Ranked higher", "Ties")

    def __init__(self, history: HistoryService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loader = Loader(self)  # history reads off the GUI thread
        self.history = history
        self.members: list[MemberRef] = []
        self.result: HeadToHead | None = None
        self.a_combo = QComboBox()
        self.a_combo.setMinimumSize(170, 32)
        self.a_combo.setAccessibleName("First member")
        self.b_combo = QComboBox()
        self.b_combo.setMinimumSize(170, 32)
        self.b_combo.setAccessibleName("Second member")
        self.note = label("", "cardNote")
        self.note.setWordWrap(True)
        self.a_header = label("", style="font-weight: 700;")
        self.b_header = label("", style="font-weight: 700;")
        grid = QGridLayout()
        grid.setHorizontalSpacing(22)
        grid.setVerticalSpacing(9)
        grid.addWidget(self.a_header, 0, 1, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.b_header, 0, 2, Qt.AlignmentFlag.AlignRight)
        self._cells: dict[tuple[str, str], QLabel] = {}
        for r, name in enumerate(self.ROWS, start=1):
            grid.addWidget(label(name, style=f"color: {theme.TEXT_DIM};"), r, 0)
            for c, side in ((1, "a"), (2, "b")):
                cell = label("", style=f"color: {theme.TEXT}; font-size: 14px;")
                cell.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                grid.addWidget(cell, r, c)
                self._cells[(name, side)] = cell
        grid.setColumnStretch(0, 1)
        numbers = QVBoxLayout()
        numbers.addLayout(grid)
        numbers.addStretch(1)
        self.plot = themed_plot()
        self.key = QVBoxLayout()
        controls = QHBoxLayout()
        controls.addWidget(self.a_combo)
        controls.addWidget(label("vs", style=f"color: {theme.TEXT_DIM}; font-weight: 700; padding: 0 6px;"))
        controls.addWidget(self.b_combo)
        controls.addSpacing(12)
        controls.addWidget(self.note, 1)
        numbers_card = Card("Head to head", "Finished sessions both members sat in.")
        numbers_card.body.addLayout(controls)
        numbers_card.body.addSpacing(6)
        numbers_card.body.addLayout(numbers, 1)
        chart_card = Card("Side by side", "What each did to the other.")
        chart_card.body.addLayout(self.key)
        chart_card.body.addWidget(self.plot, 1)
        side_by_side(self, numbers_card, chart_card, (5, 6))
        self._connect_signals()
        self.refresh()

    def _connect_signals(self) -> None:
        self.a_combo.currentIndexChanged.connect(self._compare)
        self.b_combo.currentIndexChanged.connect(self._compare)

    def pair(self) -> tuple[str | None, str | None]:
        a, b = self.a_combo.currentData(), self.b_combo.currentData()
        return (str(a) if a else None, str(b) if b else None)

    def set_pair(self, a: str, b: str) -> None:
        self.a_combo.blockSignals(True)
        self.a_combo.setCurrentIndex(self.a_combo.findData(a))
        self.a_combo.blockSignals(False)
        self.b_combo.setCurrentIndex(self.b_combo.findData(b))
        self._compare()

    def cell_text(self, row: str, side: str) -> str:
        """The figure shown for ``side`` ("a" or "b") in ``row`` (one of ROWS)."""
        return self._cells[(row, side)].text()

    @Slot()
    def refresh(self) -> None:
        self.loader.load(self.history.members, self._show_members, [], self.note)

    def _show_members(self, members: list[MemberRef]) -> None:
        a, b = self.pair()
        self.members = members
        fill_members(self.a_combo, self.members, a)
        fill_members(self.b_combo, self.members, b)
        if b is None and len(self.members) > 1:
            self.b_combo.setCurrentIndex(1)
        self._compare()

    def _set(self, row: str, a: str, b: str) -> None:
        self._cells[(row, "a")].setText(a)
        self._cells[(row, "b")].setText(b)

    def _compare(self, *_: object) -> None:
        a, b = self.pair()
        plot = self.plot.getPlotItem()
        plot.clear()
        self.result = None
        self.bar_values: dict[str, list[float]] = {}
        clear_layout(self.key)
        if not a or not b or a == b:
            self.loader.drop()  # a pair asked for earlier is not shown now
            self.note.setText("Pick two different members." if self.members else "No finished sessions yet.")
            for row in self.ROWS:
                self._set(row, "", "")
            self.a_header.setText("")
            self.b_header.setText("")
            return
        self.loader.load(lambda: self.history.head_to_head(a, b), self._show_pair, None,
                         failed=lambda exc: self.note.setText(str(exc)))

    def _show_pair(self, h: HeadToHead) -> None:
        a, b = h.a, h.b
        plot = self.plot.getPlotItem()
        self.result = h
        ids = [m.id for m in self.members]
        ca = series_color(ids.index(a) if a in ids else 0, self.members[ids.index(a)].color if a in ids else "")
        cb = series_color(ids.index(b) if b in ids else 1, self.members[ids.index(b)].color if b in ids else "")
        if ca == cb:
            cb = theme.CYAN if ca != theme.CYAN else theme.GOLD
        self.a_header.setText(h.a_name)
        self.a_header.setStyleSheet(f"color: {ca}; font-weight: 700; font-size: 14px;")
        self.b_header.setText(h.b_name)
        self.b_header.setStyleSheet(f"color: {cb}; font-weight: 700; font-size: 14px;")
        self.note.setText(f"{h.sessions} shared finished session{'s' if h.sessions != 1 else ''}."
                          if h.sessions else "They have not sat in a finished session together yet.")
        self._set("Sessions together", str(h.sessions), str(h.sessions))
        self._set("Scores given", _scores(h.a_scores_b), _scores(h.b_scores_a))
        self._cells[("Scores given", "a")].setToolTip(", ".join(f"{v:g}" for v in h.a_scores_b))
        self._cells[("Scores given", "b")].setToolTip(", ".join(f"{v:g}" for v in h.b_scores_a))
        self._set("Mean score given", score_text(h.a_mean_to_b), score_text(h.b_mean_to_a))
        self._set("Named the other an ally", str(h.a_agrees_b), str(h.b_agrees_a))
        self._set("Disagreed with the other", str(h.a_disagrees_b), str(h.b_disagrees_a))
        self._set("Mutual alliances", str(h.mutual_alliances), str(h.mutual_alliances))
        self._set("Mutual disagreements", str(h.mutual_disagreements), str(h.mutual_disagreements))
        self._set("Ranked higher", str(h.a_higher), str(h.b_higher))
        self._set("Ties", str(h.ties), str(h.ties))
        self.key.addWidget(key_row([(h.a_name, ca), (h.b_name, cb)]))
        self.bar_values = {
            "a": [h.a_mean_to_b or 0.0, float(h.a_agrees_b), float(h.a_disagrees_b), float(h.a_higher)],
            "b": [h.b_mean_to_a or 0.0, float(h.b_agrees_a), float(h.b_disagrees_a), float(h.b_higher)],
        }
        width = 0.36
        xs = list(range(len(CATEGORIES)))
        top = max(1.0, *self.bar_values["a"], *self.bar_values["b"])
        for side, color, shift in (("a", ca, -width / 2 - 0.01), ("b", cb, width / 2 + 0.01)):
            values = self.bar_values[side]
            plot.addItem(bars([x + shift for x in xs], values, [color] * len(xs), width=width))
            for x, v in zip(xs, values, strict=True):
                text = f"{v:.1f}" if x == 0 else f"{v:g}"
                plot.addItem(value_text(text, x + shift, v + top * 0.015, theme.TEXT, size=12))
        plot.getAxis("bottom").setTicks([[(x, name) for x, name in zip(xs, CATEGORIES, strict=True)]])
        plot.setXRange(-0.6, len(xs) - 0.4, padding=0)
        plot.setYRange(0, top * 1.15, padding=0)
