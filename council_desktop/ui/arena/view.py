"""ArenaView: the graphics view that always shows the whole arena, scaled to fit, antialiased."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QFrame, QGraphicsScene, QGraphicsView, QWidget

from .. import theme


class ArenaView(QGraphicsView):
    """Fits the scene rect into the viewport on every resize (keeping its aspect), no scroll bars."""

    def __init__(self, scene: QGraphicsScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                            | QPainter.RenderHint.SmoothPixmapTransform)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # The background (a radial glow over the whole arena) is drawn once per size, not every frame.
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        # Only what changed is repainted (a bubble's new words, a pulsing aura), not the whole arena each frame:
        # with a background CPU hog the window's worst tick fell from 43-80 ms to 34-48 ms (docs/engine.md).
        # Every item paints inside its boundingRect, which Qt's partial updates rely on.
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setBackgroundBrush(QColor(theme.BACKGROUND))
        self.setMinimumSize(480, 360)
        self.setMouseTracking(True)

    def fit(self) -> None:
        if self.scene() is not None:
            self.fitInView(self.scene().sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.fit()
