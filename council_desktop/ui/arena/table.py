"""TableItem: the pentagonal council table the avatars sit around (and the faint seats before a session)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QPainter, QPen, QPolygonF, QRadialGradient
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from .. import theme
from .animated import AnimatedObject
from .avatar import AvatarItem
from .text import draw_lines, text_width


class TableItem(AnimatedObject):
    """A polygon through the seats. ``empty`` draws ghost seats where no member sits yet; ``invite`` a short
    invitation in the middle (both before any session; with the council seated, only the invitation)."""

    CACHED = True

    def __init__(self, seats: list[QPointF], centre: QPointF, *, empty: bool = False, invite: bool | None = None,
                 parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self._seats = [QPointF(p) for p in seats]
        self._centre = QPointF(centre)
        self.empty = empty
        self.invite = empty if invite is None else invite
        self.setZValue(0)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def _polygon(self, scale: float) -> QPolygonF:
        c = self._centre
        return QPolygonF([QPointF(c.x() + (p.x() - c.x()) * scale, c.y() + (p.y() - c.y()) * scale)
                          for p in self._seats])

    def boundingRect(self) -> QRectF:
        return self._polygon(1.0).boundingRect().adjusted(-60, -60, 60, 60)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if len(self._seats) >= 3:
            outer = self._polygon(0.78)
            glow = QRadialGradient(self._centre, 260)
            glow.setColorAt(0, theme.with_alpha("#2d3352", 0.95))
            glow.setColorAt(1, theme.with_alpha("#1f2335", 0.95))
            painter.setBrush(glow)
            painter.setPen(QPen(theme.with_alpha(theme.GOLD, 0.35), 1.5))
            painter.drawPolygon(outer)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(theme.with_alpha(theme.GOLD, 0.12), 1.0))
            painter.drawPolygon(self._polygon(0.66))
        if self.empty:
            r = AvatarItem.RADIUS
            for p in self._seats:
                painter.setPen(QPen(theme.with_alpha(theme.MUTED, 0.8), 2, Qt.PenStyle.DashLine))
                painter.setBrush(theme.with_alpha(theme.SURFACE, 0.8))
                painter.drawEllipse(p, r, r)
        if self.invite:
            self._paint_invitation(painter)

    def _paint_invitation(self, painter: QPainter) -> None:
        title_font = theme.ui_font(20, weight=QFont.Weight.Bold)
        painter.setPen(theme.qcolor(theme.GOLD))
        title = "The council is waiting"
        c = self._centre
        painter.setFont(title_font)
        painter.drawText(QPointF(c.x() - text_width(title, title_font) / 2, c.y() - 6), title)
        hint_font = theme.ui_font(13)
        painter.setPen(theme.qcolor(theme.TEXT_DIM))
        lines = ["Give a topic and convene the council,", "or leave it empty and a member proposes one."]
        draw_lines(painter, lines, hint_font, QRectF(c.x() - 170, c.y() + 8, 340, 60), center=True)
        keys_font = theme.ui_font(11)
        painter.setPen(theme.qcolor(theme.MUTED))
        draw_lines(painter, ["Ctrl+Return convene  ·  Ctrl+Shift+Return ask"], keys_font,
                   QRectF(c.x() - 170, c.y() + 58, 340, 20), center=True)
