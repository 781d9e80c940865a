"""Draws resources/icon.png: five seats on a golden pentagon (run once; the PNG is committed)."""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QImage, QPainter, QPen, QPolygonF

COLORS = ["#7aa2f7", "#f7768e", "#9ece6a", "#e0af68", "#bb9af7"]


def draw(size: int) -> QImage:
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(QColor("#1a1b26"))
    p.setPen(Qt.PenStyle.NoPen)
    p.drawRoundedRect(0, 0, size, size, size * 0.22, size * 0.22)
    c, r = size / 2, size * 0.32
    pts = [QPointF(c + r * math.cos(-math.pi / 2 + i * 2 * math.pi / 5),
                   c + 0.04 * size + r * math.sin(-math.pi / 2 + i * 2 * math.pi / 5)) for i in range(5)]
    p.setPen(QPen(QColor("#e0af68"), size * 0.035))
    p.setBrush(QBrush(QColor(224, 175, 104, 40)))
    p.drawPolygon(QPolygonF(pts))
    p.setPen(Qt.PenStyle.NoPen)
    for pt, col in zip(pts, COLORS, strict=True):
        p.setBrush(QColor(col))
        p.drawEllipse(pt, size * 0.085, size * 0.085)
    p.setBrush(QColor("#e0af68"))
    p.drawEllipse(QPointF(c, c + 0.04 * size), size * 0.06, size * 0.06)
    p.end()
    return img


if __name__ == "__main__":
    app = QGuiApplication(sys.argv)
    out = Path(__file__).resolve().parent.parent / "resources"
    out.mkdir(exist_ok=True)
    draw(256).save(str(out / "icon.png"))
    print(out / "icon.png")
