"""The application icon, painted at run time: five seats around a gold pentagon."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QIcon, QPainter, QPen, QPixmap, QPolygonF

from . import theme

SEAT_COLORS = ("#7aa2f7", "#bb9af7", "#ff9e64", "#2ac3de", "#9ece6a")


def app_icon() -> QIcon:
    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256):
        icon.addPixmap(_paint(size))
    return icon


def _paint(size: int) -> QPixmap:
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = float(size)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(theme.qcolor(theme.BACKGROUND))
    p.drawRoundedRect(0, 0, size, size, s * 0.22, s * 0.22)
    c = QPointF(s / 2, s / 2 + s * 0.03)
    r = s * 0.33
    points = [QPointF(c.x() + r * math.cos(-math.pi / 2 + 2 * math.pi * i / 5),
                      c.y() + r * math.sin(-math.pi / 2 + 2 * math.pi * i / 5)) for i in range(5)]
    p.setPen(QPen(theme.qcolor(theme.GOLD), max(1.0, s * 0.045)))
    p.setBrush(theme.with_alpha(theme.GOLD, 0.15))
    p.drawPolygon(QPolygonF(points))
    p.setPen(QPen(theme.qcolor(theme.BACKGROUND), max(1.0, s * 0.03)))
    for point, color in zip(points, SEAT_COLORS, strict=True):
        p.setBrush(theme.qcolor(color))
        p.drawEllipse(point, s * 0.105, s * 0.105)
    p.end()
    return pix
