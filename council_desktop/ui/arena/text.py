"""Plain-text line layout for arena items: wrap, elide and draw strings (never rich text); the cards' frame."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QLinearGradient, QPainter, QPen, QTextLayout, QTextOption

from .. import theme


def _slice_utf16(text: str, start: int, length: int) -> str:
    # QTextLayout counts UTF-16 code units; Python counts code points.
    raw = text.encode("utf-16-le")
    return raw[2 * start: 2 * (start + length)].decode("utf-16-le", errors="replace")


def wrap(text: str, font: QFont, width: float, *, keep_blank: bool = False) -> list[str]:
    """The lines ``text`` breaks into at ``width`` (words first, anywhere for one overlong word)."""
    lines: list[str] = []
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    width = max(8.0, width)
    for para in text.replace("\r\n", "\n").replace("\t", "    ").split("\n"):
        if not para.strip():
            if keep_blank and lines and lines[-1] != "":
                lines.append("")
            continue
        layout = QTextLayout(para, font)
        layout.setTextOption(option)
        layout.beginLayout()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            lines.append(_slice_utf16(para, line.textStart(), line.textLength()).rstrip())
        layout.endLayout()
    while lines and lines[-1] == "":
        lines.pop()
    return lines


def elide(text: str, font: QFont, width: float, *, force_ellipsis: bool = False) -> str:
    """``text`` cut to ``width`` with an ellipsis; ``force_ellipsis`` marks more text that follows."""
    metrics = QFontMetricsF(font)
    if not force_ellipsis:
        return metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
    suffix = " …"
    text = text.rstrip()
    if metrics.horizontalAdvance(text + suffix) <= width:
        return text + suffix
    cut = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width - metrics.horizontalAdvance(suffix))
    return cut if cut.endswith("…") else cut + suffix


def line_height(font: QFont, spacing: float = 1.3) -> float:
    return QFontMetricsF(font).height() * spacing


def text_width(text: str, font: QFont) -> float:
    return QFontMetricsF(font).horizontalAdvance(text)


def draw_lines(painter: QPainter, lines: list[str], font: QFont, rect: QRectF, *, spacing: float = 1.3,
               center: bool = False) -> None:
    """Draw each line as a plain string from the top of ``rect``."""
    painter.setFont(font)
    metrics = QFontMetricsF(font)
    step = metrics.height() * spacing
    y = rect.top() + (step - metrics.height()) / 2 + metrics.ascent()
    for line in lines:
        x = rect.left()
        if center:
            x += (rect.width() - metrics.horizontalAdvance(line)) / 2
        painter.drawText(QPointF(x, y), line)
        y += step


def paint_card_title(painter: QPainter, inner: QRectF, kicker: str, kicker_font: QFont, byline: str,
                     by_font: QFont, gap: str = "  ") -> None:
    """A card's title row: the gold kicker, then the dim byline, elided to what is left of the row."""
    painter.setFont(kicker_font)
    painter.setPen(theme.qcolor(theme.GOLD))
    base = inner.top() + painter.fontMetrics().ascent()
    painter.drawText(QPointF(inner.left(), base), kicker)
    kw = text_width(kicker + gap, kicker_font)
    painter.setFont(by_font)
    painter.setPen(theme.qcolor(theme.TEXT_DIM))
    painter.drawText(QPointF(inner.left() + kw, base), elide(byline, by_font, inner.width() - kw))


def paint_card_frame(painter: QPainter, rect: QRectF, radius: float, *, shadow: tuple[float, float],
                     fill: tuple[str, str], border: tuple[float, float]) -> None:
    """A card the arena draws text on: a drop shadow (``(alpha, offset)``), a vertical gradient ``fill``
    (top, bottom) and a gold border (``(alpha, width)``)."""
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(theme.with_alpha("#000000", shadow[0]))
    painter.drawRoundedRect(rect.translated(0, shadow[1]), radius, radius)
    gradient = QLinearGradient(rect.topLeft(), rect.bottomLeft())
    gradient.setColorAt(0, theme.qcolor(fill[0]))
    gradient.setColorAt(1, theme.qcolor(fill[1]))
    painter.setBrush(gradient)
    painter.setPen(QPen(theme.with_alpha(theme.GOLD, border[0]), border[1]))
    painter.drawRoundedRect(rect, radius, radius)
