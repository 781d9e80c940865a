"""AuraItem: the golden glow behind a rebuttal speaker and the larger aura around the chairman."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPen, QRadialGradient
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from .. import theme
from . import motion
from .animated import AnimatedObject


class AuraItem(AnimatedObject):
    """A child of an avatar, painted behind it. ``kind`` is "glow" (a tight gold halo) or "chair" (a wide
    radiant aura with rays). Off by default; ``set_on`` fades it in or out."""

    CACHED = True

    GLOW = "glow"
    CHAIR = "chair"

    def __init__(self, kind: str, radius: float, parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self._inner = radius
        self._outer = radius + (22.0 if kind == self.GLOW else 40.0)
        self._on = False
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemStacksBehindParent, True)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setOpacity(0.0)
        self.setVisible(False)

    @property
    def on(self) -> bool:
        return self._on

    def set_on(self, on: bool) -> None:
        if on == self._on:
            return
        self._on = on
        self.fade(on, motion.DIM_MS)

    def boundingRect(self) -> QRectF:
        r = self._outer + 2
        return QRectF(-r, -r, 2 * r, 2 * r)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        gold = theme.qcolor(theme.GOLD)
        gradient = QRadialGradient(QPointF(0, 0), self._outer)
        start = self._inner / self._outer * 0.92
        gradient.setColorAt(0.0, theme.with_alpha(gold, 0.0))
        gradient.setColorAt(start, theme.with_alpha(gold, 0.55 if self.kind == self.GLOW else 0.5))
        gradient.setColorAt(min(0.99, start + 0.12), theme.with_alpha(gold, 0.28))
        gradient.setColorAt(1.0, theme.with_alpha(gold, 0.0))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(gradient)
        painter.drawEllipse(QPointF(0, 0), self._outer, self._outer)
        if self.kind == self.CHAIR:
            # Short rays: a crown of light that reads as "the chair" even in a still screenshot.
            pen = QPen(theme.with_alpha(gold, 0.55), 2.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            for i in range(16):
                a = 2 * math.pi * i / 16
                r0, r1 = self._inner + 12, self._inner + (26 if i % 2 == 0 else 19)
                painter.drawLine(QPointF(r0 * math.cos(a), r0 * math.sin(a)),
                                 QPointF(r1 * math.cos(a), r1 * math.sin(a)))
        ring = QPen(theme.with_alpha(gold, 0.9), 2.5)
        painter.setPen(ring)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QPointF(0, 0), self._inner + 4, self._inner + 4)
