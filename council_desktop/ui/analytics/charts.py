"""pyqtgraph in the app's dark theme: plot widgets, bars with value labels, colour keys, card frames."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from .. import theme
from ..sessions.formatting import score_text

T = TypeVar("T")

PLOT_BACKGROUND = theme.SURFACE
# Distinct on the dark background, in the order members without a colour of their own get them.
SERIES = (theme.BLUE, theme.GOLD, theme.GREEN, theme.RED, theme.CYAN, "#bb9af7", "#ff9e64", "#2ac3de")
TRAIT_COLORS = {"agreeableness": theme.GREEN, "assertiveness": theme.RED, "verbosity": theme.CYAN,
                "contrarianism": "#ff9e64", "generosity": "#bb9af7"}

_configured = False


def configure() -> None:
    """The theme's background and foreground and antialiasing, for every pyqtgraph item (once)."""
    global _configured
    if not _configured:
        pg.setConfigOptions(antialias=True, background=PLOT_BACKGROUND, foreground=theme.TEXT_DIM)
        _configured = True


def series_color(index: int, preferred: str = "") -> str:
    color = QColor(preferred) if preferred else QColor()
    return color.name() if color.isValid() else SERIES[index % len(SERIES)]


def label(text: str = "", name: str = "", *, style: str = "") -> QLabel:
    widget = QLabel(text)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    if name:
        widget.setObjectName(name)
    if style:
        widget.setStyleSheet(style)
    return widget


def themed_plot(*, y_range: tuple[float, float] | None = None, left: str = "", bottom: str = "") -> pg.PlotWidget:
    """A static chart: no mouse panning or zooming, no context menu, a faint horizontal grid."""
    configure()
    widget = pg.PlotWidget(background=PLOT_BACKGROUND)
    widget.setMinimumHeight(220)
    plot = widget.getPlotItem()
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.setMouseEnabled(x=False, y=False)
    plot.showGrid(x=False, y=True, alpha=0.12)
    plot.getViewBox().setDefaultPadding(0.04)
    font = theme.ui_font(12)
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setPen(pg.mkPen(theme.BORDER))
        axis.setTextPen(pg.mkPen(theme.TEXT_DIM))
        axis.setStyle(tickFont=font, tickTextOffset=8)
    # Axis titles are fixed strings of ours (pyqtgraph renders them as rich text).
    if left:
        plot.setLabel("left", left, color=theme.TEXT_DIM)
    if bottom:
        plot.setLabel("bottom", bottom, color=theme.TEXT_DIM)
    if y_range is not None:
        plot.setYRange(*y_range, padding=0)
    return widget


def value_text(text: str, x: float, y: float, color: str = theme.TEXT, *, size: int = 12,
               anchor: tuple[float, float] = (0.5, 1.0), bold: bool = True) -> pg.TextItem:
    """A plain-text label in data coordinates (TextItem's ``text`` is plain text)."""
    item = pg.TextItem(text=text, color=color, anchor=anchor)
    item.setFont(theme.ui_font(size, bold=bold))
    item.setPos(x, y)
    return item


def bars(x: Sequence[float], heights: Sequence[float], colors: Sequence[str], width: float = 0.6) -> pg.BarGraphItem:
    brushes = [pg.mkBrush(theme.with_alpha(c, 0.85)) for c in colors]
    pens = [pg.mkPen(theme.qcolor(c).lighter(120), width=1) for c in colors]
    return pg.BarGraphItem(x=list(x), height=list(heights), width=width, brushes=brushes, pens=pens)


def key_row(entries: Sequence[tuple[str, str]]) -> QWidget:
    """A row of colour keys (■ name) drawn as plain-text labels, outside the plot."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(16)
    for name, color in entries:
        swatch = label("■", style=f"color: {color}; font-size: 15px;")
        text = label(name, style=f"color: {theme.TEXT_DIM};")
        pair = QHBoxLayout()
        pair.setSpacing(5)
        pair.addWidget(swatch)
        pair.addWidget(text)
        layout.addLayout(pair)
    layout.addStretch(1)
    return row


class Card(QFrame):
    """A raised panel with a title (and an optional note) holding one chart or table."""

    def __init__(self, title: str, note: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("analyticsCard")
        self.title_label = label(title, "cardTitle")
        self.note_label = label(note, "cardNote")
        self.note_label.setWordWrap(True)
        self.note_label.setVisible(bool(note))
        self.body = QVBoxLayout()
        self.body.setSpacing(8)
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 14, 16, 14)
        column.setSpacing(8)
        column.addWidget(self.title_label)
        column.addWidget(self.note_label)
        column.addLayout(self.body, 1)


CARD_STYLE = f"""
    QFrame#analyticsCard {{ background: {theme.SURFACE}; border: 1px solid {theme.BORDER}; border-radius: 10px; }}
    QLabel#cardTitle {{ color: {theme.TEXT}; font-size: 15px; font-weight: 700; }}
    QLabel#cardNote {{ color: {theme.TEXT_DIM}; }}
    QLabel#pageTitle {{ color: {theme.TEXT}; font-size: 20px; font-weight: 700; }}
    QLabel#pageSubtitle {{ color: {theme.TEXT_DIM}; }}
    QLabel#emptyNote {{ color: {theme.TEXT_DIM}; padding: 18px; }}
    QTableWidget {{ background: {theme.SURFACE}; alternate-background-color: #272c42; color: {theme.TEXT};
                    border: none; selection-background-color: #34406a; selection-color: {theme.TEXT}; }}
    QTableWidget::item {{ padding: 0 8px; border: none; }}
    QHeaderView::section {{ background: {theme.SURFACE_RAISED}; color: {theme.TEXT_DIM}; border: none;
                            border-bottom: 1px solid {theme.BORDER}; padding: 7px 8px; font-weight: 600; }}
"""


def side_by_side(parent: QWidget, left: QWidget, right: QWidget, stretch: tuple[int, int] = (1, 1)) -> None:
    """Lay two cards out in one row across ``parent``."""
    row = QHBoxLayout(parent)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(14)
    row.addWidget(left, stretch[0])
    row.addWidget(right, stretch[1])


def mean_score_bars(plot_widget: pg.PlotWidget, names: Sequence[str], means: Sequence[float | None],
                    colors: Sequence[str], inside: Sequence[str], width: float = 0.6) -> pg.BarGraphItem | None:
    """The leaderboards' chart: one bar per row (height: mean score 1–10, written above it), ``inside``
    written at the foot of each bar (or above a bar too short to hold it)."""
    plot = plot_widget.getPlotItem()
    plot.clear()
    if not names:
        return None
    xs = list(range(len(names)))
    item = bars(xs, [m or 0.0 for m in means], colors, width=width)
    plot.addItem(item)
    for x, mean, color, note in zip(xs, means, colors, inside, strict=True):
        plot.addItem(value_text(score_text(mean), x, (mean or 0.0) + 0.12, theme.TEXT, size=13))
        if (mean or 0.0) >= 1.2:
            plot.addItem(value_text(note, x, 0.18, theme.INK, size=11, anchor=(0.5, 1.0), bold=True))
        else:
            plot.addItem(value_text(note, x, (mean or 0.0) + 0.9, color, size=11))
    plot.getAxis("bottom").setTicks([[(x, name) for x, name in zip(xs, names, strict=True)]])
    plot.setXRange(-0.6, len(xs) - 0.4, padding=0)
    plot.setYRange(0, 10.6, padding=0)
    return item
