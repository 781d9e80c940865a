"""Media glyphs (play, pause, step) painted in the theme's colours, independent of installed fonts."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap, QPolygonF

from .. import theme

GLYPHS = ("play", "pause", "step_back", "step_forward")


def _paint(painter: QPainter, kind: str, s: float) -> None:
    def triangle(left: float, right: float, pointing_right: bool) -> None:
        top, bottom, mid = s * 0.2, s * 0.8, s * 0.5
        if pointing_right:
            points = [QPointF(left, top), QPointF(right, mid), QPointF(left, bottom)]
        else:
            points = [QPointF(right, top), QPointF(left, mid), QPointF(right, bottom)]
        painter.drawPolygon(QPolygonF(points))

    def bar(left: float, width: float) -> None:
        painter.drawRoundedRect(QRectF(left, s * 0.2, width, s * 0.6), s * 0.04, s * 0.04)

    if kind == "play":
        triangle(s * 0.3, s * 0.8, True)
    elif kind == "pause":
        bar(s * 0.26, s * 0.17)
        bar(s * 0.57, s * 0.17)
    elif kind == "step_back":
        bar(s * 0.22, s * 0.12)
        triangle(s * 0.36, s * 0.78, False)
    elif kind == "step_forward":
        triangle(s * 0.22, s * 0.64, True)
        bar(s * 0.66, s * 0.12)
    else:
        raise ValueError(f"unknown glyph {kind!r}")


def glyph_icon(kind: str, color: str = theme.TEXT, size: int = 20) -> QIcon:
    """An icon of ``kind`` (see GLYPHS) drawn at twice ``size`` for sharp edges on any screen; the
    disabled state is drawn in the muted colour."""
    icon = QIcon()
    for mode, fill in ((QIcon.Mode.Normal, color), (QIcon.Mode.Disabled, theme.MUTED)):
        pixmap = QPixmap(size * 2, size * 2)
        pixmap.setDevicePixelRatio(2.0)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.qcolor(fill))
        _paint(painter, kind, float(size))
        painter.end()
        icon.addPixmap(pixmap, mode)
    return icon
