"""LegendItem: a small key under the table while alliance lines are drawn (agree vs disagree)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from .. import theme
from .alliance_line import STANCE_STYLE
from .animated import AnimatedObject
from .text import text_width


class LegendItem(AnimatedObject):
    """Centred on ``centre``; hidden until the alliance stage shows it."""

    CACHED = True

    ENTRIES = (("agree", "agrees with"), ("disagree", "disagrees with"))

    def __init__(self, centre: QPointF, parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self._font = theme.ui_font(12)
        self._width = sum(34 + text_width(label, self._font) + 22 for _, label in self.ENTRIES) + 10
        self._rect = QRectF(centre.x() - self._width / 2, centre.y() - 14, self._width, 28)
        self.setZValue(1)
        self.setVisible(False)
        self.setOpacity(0.0)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-2, -2, 2, 2)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(theme.qcolor(theme.BORDER), 1.0))
        painter.setBrush(theme.with_alpha(theme.SURFACE, 0.9))
        painter.drawRoundedRect(self._rect, 14, 14)
        x = self._rect.left() + 16
        y = self._rect.center().y()
        painter.setFont(self._font)
        for stance, label in self.ENTRIES:
            color, style, width = STANCE_STYLE[stance]
            pen = QPen(theme.qcolor(color), width, style, Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.drawLine(QPointF(x, y), QPointF(x + 26, y))
            painter.setPen(theme.qcolor(theme.TEXT_DIM))
            painter.drawText(QPointF(x + 34, y + 4.5), label)
            x += 34 + text_width(label, self._font) + 22
