"""SynthesisCardItem: the large central card where the chairman's synthesis appears word by word."""

from __future__ import annotations

import math
import re

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QFont, QLinearGradient, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsSceneWheelEvent, QStyleOptionGraphicsItem, QWidget

from .. import theme
from . import motion
from .animated import AnimatedObject
from .text import draw_lines, elide, line_height, paint_card_frame, paint_card_title, text_width, wrap

_WORD = re.compile(r"\s*\S+")


class SynthesisCardItem(AnimatedObject):
    """Text arrives as tokens (``append``) or whole (``set_final``); either way it is revealed a word at
    a time on a timer (one tick per ``WORD_REVEAL_MS``, more words per tick when behind so a whole reveal
    never takes longer than ``REVEAL_MAX_MS``). With reduced motion it shows everything at once. Plain
    text only; long text follows the newest line while it is revealed and scrolls with the wheel."""

    def __init__(self, rect: QRectF, parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self._rect = QRectF(rect)
        self._title = "SYNTHESIS"
        self._byline = ""
        self._subtitle = ""
        self._target = ""
        self._shown = 0
        self._final = False
        self._follow = True
        self._scroll = 0
        self._footer = ""
        self._achievements: list[str] = []
        self._lines: list[str] = []
        self._visible: list[str] = []
        self._kicker_font = theme.ui_font(12, weight=QFont.Weight.Bold)
        self._kicker_font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 1.6)
        self._by_font = theme.ui_font(12)
        self._sub_font = theme.ui_font(14)
        self._sub_font.setItalic(True)
        self._body_font = theme.ui_font(16)
        self._foot_font = theme.ui_font(12)
        self._chip_font = theme.ui_font(12, weight=QFont.Weight.DemiBold)
        self._timer = QTimer(self)
        self._timer.setInterval(motion.WORD_REVEAL_MS)
        self._timer.timeout.connect(self._tick)
        self.setZValue(4)
        self.setVisible(False)
        self.setOpacity(0.0)
        self.setTransformOriginPoint(self._rect.center())

    # -- content ----------------------------------------------------------------------------------

    def open(self, *, title: str, byline: str, subtitle: str) -> None:
        self._title, self._byline, self._subtitle = title, byline, subtitle
        if not self.isVisible():
            self.setScale(0.94)
        self.fade(True, motion.BUBBLE_GROW_MS)
        self.animate("scale", 1.0, motion.BUBBLE_GROW_MS, easing=motion.EASE_OUT)
        self._relayout()

    def set_byline(self, byline: str) -> None:
        self._byline = byline
        self.update()

    def start_stream(self) -> None:
        self._target, self._shown, self._final, self._follow, self._scroll = "", 0, False, True, 0
        self._timer.stop()
        self._relayout()

    def append(self, delta: str) -> None:
        self._target += delta
        self._advance_or_schedule()

    def set_final(self, text: str) -> None:
        # The stored text is the cleaned stream (leading blanks and spaces before line breaks trimmed):
        # keep what is already revealed rather than blanking the card and typing it out again.
        self._shown = _aligned_prefix(self._target[: self._shown], text)
        self._target = text
        self._final = True
        self._advance_or_schedule()

    def set_footer(self, text: str) -> None:
        self._footer = text
        self.update()

    def add_achievement(self, text: str) -> None:
        self._achievements.append(text)
        self.update()

    def toPlainText(self) -> str:  # mirrors QGraphicsTextItem
        """The text revealed so far."""
        return self._target[: self._shown]

    def full_text(self) -> str:
        return self._target

    def visible_lines(self) -> list[str]:
        return list(self._visible)

    @property
    def title(self) -> str:
        return self._title

    @property
    def byline(self) -> str:
        return self._byline

    @property
    def footer(self) -> str:
        return self._footer

    @property
    def achievements(self) -> list[str]:
        return list(self._achievements)

    # -- reveal -----------------------------------------------------------------------------------

    def _revealable_end(self) -> int:
        """Up to the last whole word: a word still being streamed waits for its end."""
        if self._final:
            return len(self._target)
        stripped = self._target.rstrip()
        if len(stripped) < len(self._target):
            return len(stripped)
        cut = max(self._target.rfind(" "), self._target.rfind("\n"))
        return max(cut, 0)

    def _advance_or_schedule(self) -> None:
        if self.motion_reduced():
            self._timer.stop()
            self._shown = self._revealable_end()
            self._relayout()
        elif self._shown < self._revealable_end() and not self._timer.isActive():
            self._timer.start()

    def _tick(self) -> None:
        end = self._revealable_end()
        words = _WORD.findall(self._target[self._shown:end])
        if not words:
            self._timer.stop()
            return
        per_tick = max(1, math.ceil(len(words) * motion.WORD_REVEAL_MS / motion.REVEAL_MAX_MS))
        self._shown += sum(len(w) for w in words[:per_tick])
        if self._shown >= end:
            self._timer.stop()
        self._relayout()

    def _relayout(self) -> None:
        body = self._body_rect()
        lines = wrap(self.toPlainText(), self._body_font, body.width(), keep_blank=True)
        capacity = max(1, int(body.height() // line_height(self._body_font, 1.35)))
        self._lines = lines
        if len(lines) <= capacity:
            self._visible = lines
            self._scroll = 0
        else:
            top = len(lines) - capacity if self._follow else max(0, min(self._scroll, len(lines) - capacity))
            self._scroll = top
            shown = lines[top: top + capacity]
            if top + capacity < len(lines):
                shown[-1] = elide(shown[-1], self._body_font, body.width(), force_ellipsis=True)
            self._visible = shown
        self.update()

    def _body_rect(self) -> QRectF:
        inner = self._rect.adjusted(28, 22, -28, -20)
        top = inner.top() + 30 + (26 if self._subtitle else 0) + 14
        bottom = inner.bottom() - 58
        return QRectF(inner.left(), top, inner.width(), bottom - top)

    def is_busy(self) -> bool:
        return super().is_busy() or self._timer.isActive()

    def finish(self) -> None:
        super().finish()
        if self._timer.isActive():
            self._timer.stop()
            self._shown = self._revealable_end()
            self._relayout()

    # -- Qt overrides -----------------------------------------------------------------------------

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-6, -6, 6, 10)

    def wheelEvent(self, event: QGraphicsSceneWheelEvent) -> None:
        if len(self._lines) <= len(self._visible):
            event.ignore()
            return
        self._follow = False
        self._scroll = max(0, self._scroll + (-2 if event.delta() > 0 else 2))
        self._relayout()
        event.accept()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        rect = self._rect
        paint_card_frame(painter, rect, 18, shadow=(0.35, 6), fill=("#2c3150", "#20243a"), border=(0.7, 1.6))
        inner = rect.adjusted(28, 22, -28, -20)
        paint_card_title(painter, inner, self._title, self._kicker_font, self._byline, self._by_font, "   ")
        y = inner.top() + 30
        if self._subtitle:
            painter.setFont(self._sub_font)
            painter.setPen(theme.qcolor(theme.TEXT_DIM))
            painter.drawText(QPointF(inner.left(), y + painter.fontMetrics().ascent()),
                             elide(self._subtitle, self._sub_font, inner.width()))
            y += 26
        painter.setPen(QPen(theme.with_alpha(theme.GOLD, 0.3), 1.0))
        painter.drawLine(QPointF(inner.left(), y + 4), QPointF(inner.right(), y + 4))
        painter.setPen(theme.qcolor(theme.TEXT))
        body = self._body_rect()
        draw_lines(painter, self._visible, self._body_font, body, spacing=1.35)
        if self._scroll > 0:
            step = line_height(self._body_font, 1.35)
            fade = QLinearGradient(QPointF(0, body.top()), QPointF(0, body.top() + step * 1.2))
            fade.setColorAt(0.0, theme.qcolor("#2b3050"))
            fade.setColorAt(1.0, theme.with_alpha("#2a2f4c", 0.0))
            painter.fillRect(QRectF(body.left(), body.top(), body.width(), step * 1.2), fade)
        self._paint_footer(painter, inner)

    def _paint_footer(self, painter: QPainter, inner: QRectF) -> None:
        y = inner.bottom() - 48
        painter.setPen(QPen(theme.with_alpha(theme.BORDER, 0.9), 1.0))
        painter.drawLine(QPointF(inner.left(), y), QPointF(inner.right(), y))
        x = inner.left()
        chip_y = y + 10
        painter.setFont(self._chip_font)
        for text in self._achievements:
            label = "★ " + text
            w = text_width(label, self._chip_font) + 18
            if x + w > inner.right():
                break
            chip = QRectF(x, chip_y, w, 22)
            painter.setPen(QPen(theme.with_alpha(theme.GOLD, 0.8), 1.0))
            painter.setBrush(theme.with_alpha(theme.GOLD, 0.14))
            painter.drawRoundedRect(chip, 11, 11)
            painter.setPen(theme.qcolor(theme.GOLD))
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, label)
            x += w + 8
        if self._footer:
            painter.setFont(self._foot_font)
            painter.setPen(theme.qcolor(theme.TEXT_DIM))
            fy = inner.bottom() - 4 if self._achievements else chip_y + 16
            painter.drawText(QPointF(inner.left(), fy), elide(self._footer, self._foot_font, inner.width()))


def _aligned_prefix(shown: str, final: str) -> int:
    """How much of ``final`` corresponds to the revealed ``shown`` text, whitespace differences aside."""
    i = j = 0
    while i < len(shown) and j < len(final):
        if shown[i] == final[j]:
            i, j = i + 1, j + 1
        elif shown[i].isspace():
            i += 1
        elif final[j].isspace():
            j += 1
        else:
            break
    return j
