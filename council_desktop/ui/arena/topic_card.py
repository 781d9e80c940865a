"""TopicCardItem: the debate's topic (or the asked question) on the middle of the table."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from .. import theme
from ..plain import plain_tooltip
from . import motion
from .animated import AnimatedObject
from .text import draw_lines, elide, line_height, paint_card_frame, paint_card_title, wrap


class TopicCardItem(AnimatedObject):
    """Hidden until ``set_topic``; dims while alliance lines cross it, hides for the synthesis."""

    CACHED = True

    def __init__(self, rect: QRectF, parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self._frame = QRectF(rect)  # the most room the card may take; it shrinks to its text
        self._rect = QRectF(rect)
        self._kicker = "TOPIC"
        self._byline = ""
        self.text = ""
        self._lines: list[str] = []
        self._kicker_font = theme.ui_font(11, weight=QFont.Weight.Bold)
        self._kicker_font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 1.4)
        self._by_font = theme.ui_font(11)
        self._body_font = theme.ui_font(15, bold=True)
        self.setZValue(1)
        self.setVisible(False)
        self.setOpacity(0.0)
        self.setTransformOriginPoint(self._rect.center())

    def set_topic(self, text: str, *, kicker: str, byline: str) -> None:
        self.text = text
        self._kicker = kicker
        self._byline = byline
        inner = self._frame.width() - 32
        step = line_height(self._body_font, 1.22)
        lines = wrap(text, self._body_font, inner)
        room = int((self._frame.height() - 48) // step)
        if len(lines) > room:
            lines = lines[:room]
            lines[-1] = elide(lines[-1], self._body_font, inner, force_ellipsis=True)
        self._lines = lines
        height = min(self._frame.height(), 12 + 24 + max(1, len(lines)) * step + 14)
        self.prepareGeometryChange()
        self._rect = QRectF(self._frame.left(), self._frame.center().y() - height / 2, self._frame.width(), height)
        self.setToolTip(plain_tooltip(f"{kicker.title()} ({byline}):\n{text}"))
        self.update()
        if not self.isVisible():
            self.setScale(0.9)
        self.fade(True)
        self.animate("scale", 1.0, motion.BUBBLE_GROW_MS, easing=motion.EASE_BACK)

    def visible_lines(self) -> list[str]:
        return list(self._lines)

    def boundingRect(self) -> QRectF:
        return self._frame.adjusted(-4, -4, 4, 8)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self._rect
        paint_card_frame(painter, rect, 14, shadow=(0.3, 4), fill=("#2a2f48", "#222639"), border=(0.55, 1.3))
        inner = rect.adjusted(16, 12, -16, -12)
        paint_card_title(painter, inner, self._kicker, self._kicker_font, self._byline, self._by_font)
        body = QRectF(inner.left(), inner.top() + 24, inner.width(), inner.height() - 24)
        painter.setPen(theme.qcolor(theme.TEXT))
        draw_lines(painter, self._lines, self._body_font, body, spacing=1.22)
