"""BubbleItem: a member's speech bubble, growing out of its avatar and filling token by token."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QLinearGradient, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneWheelEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from .. import theme
from . import motion
from .animated import AnimatedObject
from .text import draw_lines, elide, line_height, text_width, wrap

KIND_LABELS = {"topic": "proposes a topic", "opinion": "opinion", "rebuttal": "rebuttal", "answer": "answer"}


@dataclass(frozen=True)
class BubbleFrame:
    """Where a bubble may grow: inside ``max_rect``, stuck to its ``h`` edge ("left", "right" or
    "center") and ``v`` edge ("top", "bottom" or "center" = centred on the anchor), with the tail's tip
    at ``anchor`` (just outside the avatar's ring)."""

    max_rect: QRectF
    anchor: QPointF
    h: str = "center"
    v: str = "center"


class BubbleItem(AnimatedObject):
    """Plain text only: the text is laid out line by line and drawn as strings. Token deltas are
    coalesced — the bubble re-lays itself out at most every ``TOKEN_REPAINT_MS`` (≤30/s). While a turn
    streams it shows the newest lines; a finished turn shows its beginning. Long text is elided and
    scrolls with the mouse wheel."""

    PAD_X = 12.0
    PAD_Y = 9.0
    MIN_W = 132.0

    def __init__(self, member_id: str, name: str, color: str, frame: BubbleFrame,
                 parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self.member_id = member_id
        self.name = name
        self.frame = frame
        self._color = theme.qcolor(color)
        self._text = ""
        self._kind = "opinion"
        self._streaming = False
        self._follow = True
        self._scroll = 0
        self._lines: list[str] = []
        self._visible_lines: list[str] = []
        self._rect = QRectF()
        self._outline: tuple[tuple[float, ...], QPainterPath] | None = None
        self._shown = False
        self.relayouts = 0
        self._body_font = theme.ui_font(13)
        self._head_font = theme.ui_font(12, bold=True)
        self._kind_font = theme.ui_font(11)
        self._line_h = line_height(self._body_font, 1.25)
        self._head_h = line_height(self._head_font, 1.2) + 2
        self._flush = QTimer(self)
        self._flush.setSingleShot(True)
        self._flush.setInterval(motion.TOKEN_REPAINT_MS)
        self._flush.timeout.connect(self._relayout)
        self.setZValue(6)
        self.setVisible(False)
        self.setOpacity(0.0)
        self.setTransformOriginPoint(frame.anchor)
        self._relayout()

    # -- text -------------------------------------------------------------------------------------

    def toPlainText(self) -> str:  # the name QGraphicsTextItem uses
        return self._text

    def text(self) -> str:
        return self._text

    def visible_lines(self) -> list[str]:
        """The strings currently drawn in the body (for tests: what the viewer reads)."""
        return list(self._visible_lines)

    @property
    def streaming(self) -> bool:
        return self._streaming

    def start_turn(self, kind: str) -> None:
        self._kind = kind
        self._text = ""
        self._streaming = True
        self._follow = True
        self._scroll = 0
        self._flush.stop()
        self._relayout()
        self.pop_in()

    def append(self, delta: str) -> None:
        self._text += delta
        if not self._shown:
            self._streaming = True
            self.pop_in()
        if not self._flush.isActive():
            self._flush.start()

    def finish_turn(self, text: str, kind: str | None = None) -> None:
        if kind:
            self._kind = kind
        self._text = text
        self._streaming = False
        self._follow = False
        self._scroll = 0
        self._flush.stop()
        self._relayout()
        self.pop_in()

    @property
    def shown(self) -> bool:
        return self._shown

    def pop_in(self) -> None:
        if self._shown:
            return
        self._shown = True
        if not self.isVisible():
            self.setScale(motion.BUBBLE_START_SCALE)
            self.setOpacity(0.0)
            self.setVisible(True)
        self.animate("scale", 1.0, motion.BUBBLE_GROW_MS, easing=motion.EASE_BACK)
        self.animate("opacity", 1.0, motion.BUBBLE_GROW_MS)

    def dismiss(self) -> None:
        self._shown = False
        self._streaming = False
        self._flush.stop()
        self.fade(False)

    # -- layout -----------------------------------------------------------------------------------

    def _relayout(self) -> None:
        self.relayouts += 1
        frame = self.frame
        max_w = frame.max_rect.width()
        inner_w = max_w - 2 * self.PAD_X
        self._lines = wrap(self._text, self._body_font, inner_w) if self._text.strip() else []
        head = self._head_text()
        natural = max([text_width(line, self._body_font) for line in self._lines]
                      + [text_width(head[0], self._head_font) + text_width(head[1], self._kind_font) + 4])
        w = min(max_w, max(self.MIN_W, natural + 2 * self.PAD_X + 1))
        capacity = max(1, math.floor((frame.max_rect.height() - 2 * self.PAD_Y - self._head_h) / self._line_h))
        n = max(1, min(len(self._lines), capacity))
        h = 2 * self.PAD_Y + self._head_h + n * self._line_h
        self._rect = self._place(w, h)
        if not self._lines:
            self._visible_lines = []
        else:
            top = len(self._lines) - n if self._follow else max(0, min(self._scroll, len(self._lines) - n))
            self._scroll = top
            shown = self._lines[top: top + n]
            if top + n < len(self._lines) and shown:
                shown[-1] = elide(shown[-1], self._body_font, inner_w, force_ellipsis=True)
            self._visible_lines = shown
        self.update()

    def _head_text(self) -> tuple[str, str]:
        return self.name, "  " + KIND_LABELS.get(self._kind, self._kind)

    def _place(self, w: float, h: float) -> QRectF:
        box, anchor = self.frame.max_rect, self.frame.anchor
        if self.frame.h == "left":
            x = box.left()
        elif self.frame.h == "right":
            x = box.right() - w
        else:
            x = min(max(anchor.x() - w / 2, box.left()), box.right() - w)
        if self.frame.v == "top":
            y = box.top()
        elif self.frame.v == "bottom":
            y = box.bottom() - h
        else:
            y = min(max(anchor.y() - h / 2, box.top()), box.bottom() - h)
        return QRectF(x, y, w, h)

    def bubble_rect(self) -> QRectF:
        return QRectF(self._rect)

    def _path(self) -> QPainterPath:
        """The outline: rounded box and tail. A path union is costly, and a streaming bubble is painted at
        every display frame while its box changes only with a new line, so it is kept per box and tip."""
        key = (self._rect.x(), self._rect.y(), self._rect.width(), self._rect.height(),
               self.frame.anchor.x(), self.frame.anchor.y())
        if self._outline is None or self._outline[0] != key:
            self._outline = (key, self._outline_path())
        return self._outline[1]

    def _outline_path(self) -> QPainterPath:
        rect, tip = self._rect, self.frame.anchor
        path = QPainterPath()
        path.addRoundedRect(rect, 12, 12)
        half = 8.0
        if tip.x() < rect.left():
            y = min(max(tip.y(), rect.top() + 16), rect.bottom() - 16)
            base = (QPointF(rect.left() + 1, y - half), QPointF(rect.left() + 1, y + half))
        elif tip.x() > rect.right():
            y = min(max(tip.y(), rect.top() + 16), rect.bottom() - 16)
            base = (QPointF(rect.right() - 1, y - half), QPointF(rect.right() - 1, y + half))
        elif tip.y() > rect.bottom():
            x = min(max(tip.x(), rect.left() + 18), rect.right() - 18)
            base = (QPointF(x - half, rect.bottom() - 1), QPointF(x + half, rect.bottom() - 1))
        else:
            x = min(max(tip.x(), rect.left() + 18), rect.right() - 18)
            base = (QPointF(x - half, rect.top() + 1), QPointF(x + half, rect.top() + 1))
        tail = QPainterPath()
        tail.addPolygon(QPolygonF([base[0], tip, base[1], base[0]]))
        return path.united(tail)

    # -- Qt overrides -----------------------------------------------------------------------------

    def boundingRect(self) -> QRectF:
        box = self.frame.max_rect
        a = self.frame.anchor
        return box.united(QRectF(a.x() - 1, a.y() - 1, 2, 2)).adjusted(-6, -6, 6, 6)

    def shape(self) -> QPainterPath:
        return self._path()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        path = self._path()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 70))
        painter.drawPath(path.translated(0, 3))
        fill = QLinearGradient(self._rect.topLeft(), self._rect.bottomLeft())
        fill.setColorAt(0.0, theme.qcolor("#2b3050"))
        fill.setColorAt(1.0, theme.qcolor("#252a40"))
        painter.setBrush(fill)
        painter.setPen(QPen(theme.with_alpha(self._color, 0.75 if self._streaming else 0.45), 1.4))
        painter.drawPath(path)
        rect = self._rect.adjusted(self.PAD_X, self.PAD_Y, -self.PAD_X, -self.PAD_Y)
        name, kind = self._head_text()
        painter.setFont(self._head_font)
        painter.setPen(self._color.lighter(115))
        base = rect.top() + painter.fontMetrics().ascent()
        painter.drawText(QPointF(rect.left(), base), name)
        painter.setFont(self._kind_font)
        painter.setPen(theme.qcolor(theme.TEXT_DIM))
        painter.drawText(QPointF(rect.left() + text_width(name, self._head_font), base), kind)
        body = QRectF(rect.left(), rect.top() + self._head_h, rect.width(), rect.height() - self._head_h)
        if self._visible_lines:
            painter.setPen(theme.qcolor(theme.TEXT))
            draw_lines(painter, self._visible_lines, self._body_font, body, spacing=1.25)
        else:
            painter.setPen(theme.qcolor(theme.MUTED))
            draw_lines(painter, ["• • •"], self._body_font, body, spacing=1.25)
        if self._scroll > 0 and self._visible_lines:
            # Older lines scrolled out of view: fade the top line out rather than cut it.
            fade = QLinearGradient(QPointF(0, body.top() - 2), QPointF(0, body.top() + self._line_h * 1.1))
            fade.setColorAt(0.0, theme.qcolor("#2b3050"))
            fade.setColorAt(1.0, theme.with_alpha("#2b3050", 0.0))
            painter.fillRect(QRectF(body.left(), body.top() - 2, body.width(), self._line_h * 1.1 + 2), fade)
        if len(self._lines) > len(self._visible_lines) > 0:
            self._paint_scroll_hint(painter, body)

    def _paint_scroll_hint(self, painter: QPainter, body: QRectF) -> None:
        total = len(self._lines)
        shown = len(self._visible_lines)
        track = QRectF(self._rect.right() - 5, body.top(), 2.5, body.height())
        handle_h = max(10.0, track.height() * shown / total)
        top = track.top() + (track.height() - handle_h) * (self._scroll / max(1, total - shown))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.with_alpha(theme.TEXT_DIM, 0.35))
        painter.drawRoundedRect(QRectF(track.left(), top, track.width(), handle_h), 1.2, 1.2)

    def wheelEvent(self, event: QGraphicsSceneWheelEvent) -> None:
        if len(self._lines) <= len(self._visible_lines):
            event.ignore()
            return
        steps = -1 if event.delta() > 0 else 1
        self._follow = False
        self._scroll = max(0, self._scroll + steps)
        self._relayout()
        event.accept()

    def is_busy(self) -> bool:
        return super().is_busy() or self._flush.isActive()

    def finish(self) -> None:
        super().finish()
        if self._flush.isActive():
            self._flush.stop()
            self._relayout()
