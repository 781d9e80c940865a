"""The base of every arena item: a QGraphicsObject owning its (parented) property animations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractAnimation, QPauseAnimation, QPropertyAnimation, QSequentialAnimationGroup
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject

from . import motion


class AnimatedObject(QGraphicsObject):
    """``animate(prop, end, ms)`` runs one animation per property (a new one replaces the old). With the
    scene's reduced motion switch on, or outside a scene, the end value is set at once: the same final
    state without the motion."""

    # Items that change rarely keep a pixmap of themselves (redrawn only on ``update()`` or a change of
    # scale), so a token frame repaints the streaming bubble, not every avatar's gradients and text.
    # Items whose content changes every frame (a streaming bubble) leave this off.
    CACHED = False

    def __init__(self, parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self._runs: dict[str, QSequentialAnimationGroup] = {}
        if self.CACHED:
            self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def motion_reduced(self) -> bool:
        scene = self.scene()
        return scene is None or bool(getattr(scene, "reduced_motion", False))

    def animate(self, prop: str, end: Any, duration: int, *, easing: Any = motion.EASE_OUT, delay: int = 0,
                after: Callable[[], None] | None = None) -> None:
        self.stop_animation(prop)
        if self.motion_reduced() or duration <= 0:
            self.setProperty(prop, end)
            if after is not None:
                after()
            return
        # A fresh group each time: its property animation then starts from the value current when the
        # pause ends, and the parent (self) keeps it alive while it runs.
        group = QSequentialAnimationGroup(self)
        if delay > 0:
            group.addAnimation(QPauseAnimation(delay, group))
        anim = QPropertyAnimation(self, prop.encode(), group)
        anim.setDuration(duration)
        anim.setEndValue(end)
        anim.setEasingCurve(easing)
        group.addAnimation(anim)

        def finished() -> None:
            if self._runs.get(prop) is group:
                del self._runs[prop]
            group.deleteLater()
            if after is not None:
                after()

        group.finished.connect(finished)
        self._runs[prop] = group
        group.start()

    def stop_animation(self, prop: str) -> None:
        group = self._runs.pop(prop, None)
        if group is not None:
            group.stop()
            group.deleteLater()

    def fade(self, visible: bool, duration: int = motion.FADE_MS, *, opacity: float = 1.0,
             delay: int = 0) -> None:
        """Fade in to ``opacity`` (shown first) or out to 0 (hidden at the end)."""
        if visible:
            if not self.isVisible():
                self.setOpacity(0.0)
                self.setVisible(True)
            self.animate("opacity", opacity, duration, delay=delay)
        elif self.isVisible():
            self.animate("opacity", 0.0, duration, delay=delay, after=lambda: self.setVisible(False))

    def is_busy(self) -> bool:
        return any(g.state() == QAbstractAnimation.State.Running for g in self._runs.values())

    def finish(self) -> None:
        """Jump every running animation to its end state (reduced motion switched on, scene reset)."""
        for group in list(self._runs.values()):
            if group.state() == QAbstractAnimation.State.Running:
                group.setCurrentTime(group.totalDuration())
            if group.state() != QAbstractAnimation.State.Stopped:
                group.stop()

    def parts(self) -> list[AnimatedObject]:
        """Animated children the scene must also finish and wait for."""
        return []
