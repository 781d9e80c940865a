"""ScoreBadgeItem: one received score (or rank) that flips over to reveal its value and band colour."""

from __future__ import annotations

import math

from PySide6.QtCore import Property, QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from .. import theme
from ..plain import plain_tooltip
from . import motion
from .animated import AnimatedObject
from .text import text_width


def score_color(score: int | None) -> str:
    """Green 8–10, yellow 5–7, red 1–4, grey for no score (an invalid ballot)."""
    if score is None:
        return theme.GREY
    if score >= 8:
        return theme.GREEN
    if score >= 5:
        return theme.YELLOW
    return theme.RED


def rank_color(rank: int | None, of: int) -> str:
    """Best rank green, worst red, the middle yellow; grey for an invalid ranking."""
    if rank is None:
        return theme.GREY
    if rank == 1:
        return theme.GREEN
    if rank >= of:
        return theme.RED
    return theme.YELLOW


class ScoreBadgeItem(AnimatedObject):
    """Shows its back (a muted card) until ``reveal``: the ``flip`` property runs 0→1, the horizontal
    scale follows |cos(π·flip)| (1→0→1) and the face changes at the half-way point."""

    CACHED = True

    HEIGHT = 22.0

    def __init__(self, text: str, color: str, *, value: int | float | None = None, source: str = "",
                 tooltip: str = "",
                 wide: bool = False, outlined: bool = False, parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self.text = text
        self.color = color
        self.value = value  # the score (or rank) shown; None for an invalid ballot
        self.source = source  # the reviewer (or "mean")
        self._flip = 0.0
        self._outlined = outlined
        self._font = theme.ui_font(12, weight=QFont.Weight.Bold)
        self._width = max(26.0, text_width(text, self._font) + 14) if wide else 26.0
        if tooltip:
            self.setToolTip(plain_tooltip(tooltip))

    @property
    def width(self) -> float:
        return self._width

    def _get_flip(self) -> float:
        return self._flip

    def _set_flip(self, value: float) -> None:
        self._flip = float(value)
        self.update()

    flip = Property(float, _get_flip, _set_flip)

    @property
    def revealed(self) -> bool:
        return self._flip >= 0.5

    @property
    def scale_x(self) -> float:
        return abs(math.cos(math.pi * self._flip))

    def reveal(self, delay: int = 0) -> None:
        self.animate("flip", 1.0, motion.FLIP_MS, easing=motion.EASE_FLIP, delay=delay)

    def boundingRect(self) -> QRectF:
        return QRectF(-self._width / 2 - 1, -self.HEIGHT / 2 - 1, self._width + 2, self.HEIGHT + 2)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(max(0.02, self.scale_x), 1.0)
        rect = QRectF(-self._width / 2, -self.HEIGHT / 2, self._width, self.HEIGHT)
        if not self.revealed:
            painter.setPen(QPen(theme.qcolor(theme.BORDER), 1.2))
            painter.setBrush(theme.qcolor(theme.SURFACE_RAISED))
            painter.drawRoundedRect(rect, 6, 6)
            painter.setPen(theme.qcolor(theme.MUTED))
            painter.setFont(self._font)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "?")
            return
        fill = theme.qcolor(self.color)
        if self._outlined:
            painter.setPen(QPen(fill, 1.4))
            painter.setBrush(theme.qcolor(theme.BACKGROUND))
            painter.drawRoundedRect(rect.adjusted(0.7, 0.7, -0.7, -0.7), 11, 11)
            painter.setPen(fill)
        else:
            painter.setPen(QPen(fill.lighter(115), 1.0))
            painter.setBrush(fill)
            painter.drawRoundedRect(rect, 6, 6)
            painter.setPen(theme.qcolor(theme.INK))
        painter.setFont(self._font)
        painter.drawText(rect.translated(QPointF(0, 0.5)), Qt.AlignmentFlag.AlignCenter, self.text)
