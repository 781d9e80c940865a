"""AllianceLineItem: one declared stance drawn across the table — green solid agree, red dashed disagree."""

from __future__ import annotations

import math

from PySide6.QtCore import Property, QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from .. import theme
from ..plain import plain_tooltip
from . import motion
from .animated import AnimatedObject

STANCE_STYLE = {  # stance → (colour, pen style, width)
    "agree": (theme.GREEN, Qt.PenStyle.SolidLine, 3.0),
    "disagree": (theme.RED, Qt.PenStyle.DashLine, 2.6),
}


class AllianceLineItem(AnimatedObject):
    """From one avatar's ring to another's, with an arrowhead at the target. Each direction of a pair is
    shifted sideways so "A agrees with B" and "B disagrees with A" stay readable side by side. The
    ``progress`` property draws the line on (0→1)."""

    def __init__(self, source: str, target: str, stance: str, p1: QPointF, p2: QPointF, *, trim: float,
                 tooltip: str = "", parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.target = target
        self.stance = stance
        color, style, width = STANCE_STYLE.get(stance, STANCE_STYLE["agree"])
        self.color = color
        self.pen_style = style
        self._width = width
        line = QLineF(p1, p2)
        length = max(1.0, line.length())
        ux, uy = (p2.x() - p1.x()) / length, (p2.y() - p1.y()) / length
        nx, ny = -uy * 5.0, ux * 5.0  # sideways, to the right of the direction of travel
        self._a = QPointF(p1.x() + ux * trim + nx, p1.y() + uy * trim + ny)
        self._b = QPointF(p2.x() - ux * trim + nx, p2.y() - uy * trim + ny)
        self._progress = 0.0
        self.setZValue(2)
        if tooltip:
            self.setToolTip(plain_tooltip(tooltip))

    def _get_progress(self) -> float:
        return self._progress

    def _set_progress(self, value: float) -> None:
        self._progress = float(value)
        self.update()

    progress = Property(float, _get_progress, _set_progress)

    def drawn(self) -> float:
        """How much of the line is drawn, 0–1."""
        return self._progress

    def draw_on(self, delay: int = 0) -> None:
        self.animate("progress", 1.0, motion.LINE_DRAW_MS, easing=motion.EASE_OUT, delay=delay)

    def pen(self) -> QPen:
        pen = QPen(theme.with_alpha(self.color, 0.9), self._width, self.pen_style, Qt.PenCapStyle.RoundCap)
        return pen

    def boundingRect(self) -> QRectF:
        return QRectF(self._a, self._b).normalized().adjusted(-12, -12, 12, 12)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if self._progress <= 0.0:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        a, b = self._a, self._b
        tip = QPointF(a.x() + (b.x() - a.x()) * self._progress, a.y() + (b.y() - a.y()) * self._progress)
        painter.setPen(self.pen())
        painter.drawLine(a, tip)
        # Arrowhead at the moving tip.
        angle = math.atan2(b.y() - a.y(), b.x() - a.x())
        size = 10.0
        left = QPointF(tip.x() - size * math.cos(angle - 0.45), tip.y() - size * math.sin(angle - 0.45))
        right = QPointF(tip.x() - size * math.cos(angle + 0.45), tip.y() - size * math.sin(angle + 0.45))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.with_alpha(self.color, 0.95))
        painter.drawPolygon(QPolygonF([tip, left, right]))
