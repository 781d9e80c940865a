"""AvatarItem: one council member — initials on a coloured disc, name, model, status ring, score badges."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen, QRadialGradient
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from .. import theme
from ..plain import initials, plain_tooltip, short_model
from ..roster import MemberInfo
from . import motion
from .animated import AnimatedObject
from .aura import AuraItem
from .score_badge import ScoreBadgeItem, score_color
from .text import elide

RING = {  # status → (colour, width, pen style)
    "loading": (theme.BLUE, 3.0, Qt.PenStyle.DashLine),
    "ready": (theme.BORDER, 2.5, Qt.PenStyle.SolidLine),
    "unloaded": (theme.MUTED, 2.0, Qt.PenStyle.DotLine),
    "idle": (theme.BORDER, 2.5, Qt.PenStyle.SolidLine),
    "thinking": (theme.YELLOW, 3.5, Qt.PenStyle.SolidLine),
    "speaking": (theme.GREEN, 4.5, Qt.PenStyle.SolidLine),
    "done": (theme.BLUE, 3.0, Qt.PenStyle.SolidLine),
    "failed": (theme.RED, 4.0, Qt.PenStyle.SolidLine),
}
PILL = {"loading": "loading", "unloaded": "unloaded", "thinking": "thinking…", "speaking": "speaking",
        "failed": "failed"}


class AvatarItem(AnimatedObject):
    """A member's seat. The scene drives it: ``set_status``, ``set_glow``, ``set_chair_aura``,
    ``set_roles``, ``add_badge``, ``set_mean``, ``add_achievement``, and the animated ``dim_to``,
    ``move_by`` (offset from its seat) and ``scale_to``. Its children (auras, badges) follow its opacity
    and scale."""

    CACHED = True

    RADIUS = 34.0
    NAME_Y = RADIUS + 21.0
    MODEL_Y = RADIUS + 41.0
    BADGES_Y = RADIUS + 63.0
    VIEWER_Y = BADGES_Y + 26.0  # the viewer's own row, under the council's badges

    def __init__(self, info: MemberInfo, home: QPointF, parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self.info = info
        self.member_id = info.id
        self.home = QPointF(home)
        self.status = info.status
        self.reason = info.reason
        self.is_chair = False
        self.is_proposer = False
        self._color = theme.qcolor(info.color)
        self._initials = initials(info.name)
        self._name_font = theme.ui_font(13, bold=True)
        self._model_font = theme.ui_font(11)
        self._pill_font = theme.ui_font(10, weight=QFont.Weight.Bold)
        self._initials_font = theme.ui_font(24 if len(initials(info.name)) == 1 else 21, weight=QFont.Weight.Bold)
        self._name = elide(info.name, self._name_font, 150)
        self._model = elide(short_model(info.model), self._model_font, 124)
        self.glow = AuraItem(AuraItem.GLOW, self.RADIUS + 6, self)
        self.aura = AuraItem(AuraItem.CHAIR, self.RADIUS + 6, self)
        self.badges: list[ScoreBadgeItem] = []
        self.mean_badge: ScoreBadgeItem | None = None
        self.viewer_badge: ScoreBadgeItem | None = None  # "You 7": the viewer's score, rank or stance
        self.achievements: list[tuple[str, str]] = []
        self.setPos(self.home)
        self.setZValue(3)
        self.setAcceptHoverEvents(True)
        self._refresh_tooltip()

    # -- state ------------------------------------------------------------------------------------

    def set_status(self, status: str, reason: str = "") -> None:
        if status == self.status and reason == self.reason:
            return
        self.status = status
        self.reason = reason
        self._refresh_tooltip()
        self.update()

    def set_roles(self, *, chair: bool, proposer: bool) -> None:
        self.is_chair, self.is_proposer = chair, proposer
        self._refresh_tooltip()
        self.update()

    def set_glow(self, on: bool) -> None:
        self.glow.set_on(on)

    def set_chair_aura(self, on: bool) -> None:
        self.aura.set_on(on)

    def dim_to(self, opacity: float) -> None:
        self.animate("opacity", opacity, motion.DIM_MS)

    def move_by(self, offset: QPointF) -> None:
        self.animate("pos", self.home + offset, motion.MOVE_MS, easing=motion.EASE_IN_OUT)

    def scale_to(self, scale: float) -> None:
        self.animate("scale", scale, motion.SCALE_MS, easing=motion.EASE_BACK)

    def offset(self) -> QPointF:
        return self.pos() - self.home

    def add_badge(self, text: str, color: str, *, value: int | None, source: str, tooltip: str,
                  delay: int = 0) -> ScoreBadgeItem:
        badge = ScoreBadgeItem(text, color, value=value, source=source, tooltip=tooltip, parent=self)
        self.badges.append(badge)
        self._layout_badges()
        badge.reveal(delay)
        return badge

    def set_mean(self, mean: float | None, *, bottom: bool, delay: int = 0) -> None:
        """The mean received score beside the badges; the bottom two get a red ▼."""
        if mean is None:
            self.set_summary(None)
            return
        tip = f"{self.info.name}: mean received score {mean:.2f}" + (" — in the bottom two" if bottom else "")
        self.set_summary(f"avg {mean:.1f}" + (" ▼" if bottom else ""),
                         theme.RED if bottom else score_color(math.floor(mean + 0.5)), tip, value=mean, delay=delay)

    def set_summary(self, text: str | None, color: str = theme.GREY, tooltip: str = "", *,
                    value: float | None = None, delay: int = 0) -> None:
        """An outlined pill after the badges (the mean score, or the average rank in ask mode)."""
        if self.mean_badge is not None:
            old = self.mean_badge
            self.mean_badge = None
            if old.scene() is not None:
                old.scene().removeItem(old)
            old.deleteLater()
        if text is not None:
            self.mean_badge = ScoreBadgeItem(text, color, value=value, source="summary", tooltip=tooltip,
                                             wide=True, outlined=True, parent=self)
        self._layout_badges()
        if self.mean_badge is not None:
            self.mean_badge.reveal(delay)

    def set_viewer_badge(self, text: str | None, color: str = theme.GOLD, tooltip: str = "", *,
                         value: float | None = None, delay: int = 0) -> None:
        """The viewer's judgement of this member, on a row of its own (None removes it)."""
        if self.viewer_badge is not None:
            old, self.viewer_badge = self.viewer_badge, None
            old.finish()  # its flip must not outlive it
            if old.scene() is not None:
                old.scene().removeItem(old)
            old.deleteLater()
        if text is None:
            return
        self.viewer_badge = ScoreBadgeItem(text, color, value=value, source="you", tooltip=tooltip, wide=True,
                                           outlined=True, parent=self)
        self.viewer_badge.setPos(0.0, self.VIEWER_Y)
        self.viewer_badge.reveal(delay)

    def add_achievement(self, badge: str, reason: str) -> None:
        self.achievements.append((badge, reason))
        self._refresh_tooltip()
        self.update()

    def parts(self) -> list[AnimatedObject]:
        extra: list[AnimatedObject] = [b for b in (self.mean_badge, self.viewer_badge) if b is not None]
        return [self.glow, self.aura, *self.badges, *extra]

    def _layout_badges(self) -> None:
        row: list[ScoreBadgeItem] = [*self.badges, *([self.mean_badge] if self.mean_badge else [])]
        gap = 4.0
        total = sum(b.width for b in row) + gap * max(0, len(row) - 1) + (4.0 if self.mean_badge else 0.0)
        x = -total / 2
        for b in row:
            if b is self.mean_badge:
                x += 4.0
            b.setPos(x + b.width / 2, self.BADGES_Y)
            x += b.width + gap

    def _refresh_tooltip(self) -> None:
        info = self.info
        lines = [info.name, f"Model: {info.model or 'unknown'}"]
        roles = [r for r, on in (("chairman", self.is_chair), ("proposer", self.is_proposer)) if on]
        if roles:
            lines.append("Role: " + ", ".join(roles))
        if info.persona:
            lines.append(f"Persona: {info.persona}")
        if info.traits:
            lines.append("Personality: " + ", ".join(f"{k} {v:.2f}" for k, v in info.traits.items()))
        for nudge in info.nudges:
            lines.append(f"Nudge: {nudge}")
        for badge, why in self.achievements:
            lines.append(f"★ {badge}" + (f" — {why}" if why else ""))
        if self.status == "failed":
            lines.append(f"Failed: {self.reason or 'no reason given'}")
        self.setToolTip(plain_tooltip("\n".join(lines)))

    # -- painting ---------------------------------------------------------------------------------

    def boundingRect(self) -> QRectF:
        r = self.RADIUS
        return QRectF(-84, -r - 22, 168, r + 22 + self.MODEL_Y + 10)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addEllipse(QPointF(0, 0), self.RADIUS + 6, self.RADIUS + 6)
        path.addRect(QRectF(-70, self.NAME_Y - 11, 140, self.MODEL_Y - self.NAME_Y + 20))
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        r = self.RADIUS
        # Shadow, then the disc with a soft light from the top left.
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 90))
        painter.drawEllipse(QPointF(0, 4), r + 5, r + 5)
        disc = QRadialGradient(QPointF(-r * 0.35, -r * 0.45), r * 1.6)
        disc.setColorAt(0.0, self._color.lighter(125))
        disc.setColorAt(1.0, self._color.darker(160))
        painter.setBrush(QBrush(disc))
        painter.drawEllipse(QPointF(0, 0), r, r)
        # Status ring.
        color, width, style = RING.get(self.status, RING["idle"])
        pen = QPen(theme.qcolor(color), width, style, Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QPointF(0, 0), r + 4, r + 4)
        # Initials: dark on light discs, light on dark ones.
        light = self._color.lightnessF() > 0.62
        painter.setPen(theme.qcolor(theme.INK if light else "#f5f7ff"))
        painter.setFont(self._initials_font)
        painter.drawText(QRectF(-r, -r, 2 * r, 2 * r), Qt.AlignmentFlag.AlignCenter, self._initials)
        self._paint_markers(painter)
        self._paint_labels(painter)
        if self.status in PILL:
            self._paint_pill(painter, PILL[self.status], theme.qcolor(color), QPointF(0, -r - 11))

    def _paint_markers(self, painter: QPainter) -> None:
        r = self.RADIUS
        marks = []
        if self.is_chair:
            marks.append((QPointF(r * 0.74, -r * 0.74), theme.GOLD, "♛"))
        if self.is_proposer:
            marks.append((QPointF(-r * 0.74, -r * 0.74), theme.CYAN, "✎"))
        if self.achievements:
            label = "★" if len(self.achievements) == 1 else str(len(self.achievements))
            marks.append((QPointF(r * 0.74, r * 0.74), theme.GOLD, label))
        painter.setFont(theme.ui_font(11, weight=QFont.Weight.Bold))
        for centre, color, glyph in marks:
            painter.setPen(QPen(theme.qcolor(theme.BACKGROUND), 2))
            painter.setBrush(theme.qcolor(color))
            painter.drawEllipse(centre, 10.5, 10.5)
            painter.setPen(theme.qcolor(theme.INK))
            painter.drawText(QRectF(centre.x() - 10.5, centre.y() - 10.5, 21, 21), Qt.AlignmentFlag.AlignCenter,
                             glyph)

    def _paint_labels(self, painter: QPainter) -> None:
        painter.setFont(self._name_font)
        name_w = painter.fontMetrics().horizontalAdvance(self._name) + 18
        pill = QRectF(-name_w / 2, self.NAME_Y - 11, name_w, 22)
        # A backing pill keeps the name readable where alliance lines pass under it.
        painter.setPen(QPen(theme.with_alpha(self._color, 0.55), 1.2))
        painter.setBrush(theme.with_alpha(theme.SURFACE, 0.92))
        painter.drawRoundedRect(pill, 11, 11)
        painter.setPen(theme.qcolor(theme.TEXT))
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, self._name)
        failed = self.status == "failed"
        model = "failed · hover for why" if failed else self._model
        painter.setFont(self._pill_font if failed else self._model_font)
        model_w = painter.fontMetrics().horizontalAdvance(model) + 12
        back = QRectF(-model_w / 2, self.MODEL_Y - 8, model_w, 16)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.with_alpha(theme.BACKGROUND, 0.75))
        painter.drawRoundedRect(back, 6, 6)
        painter.setPen(theme.qcolor(theme.RED if failed else theme.TEXT_DIM))
        painter.drawText(back, Qt.AlignmentFlag.AlignCenter, model)

    def _paint_pill(self, painter: QPainter, text: str, color: QColor, centre: QPointF) -> None:
        painter.setFont(self._pill_font)
        w = painter.fontMetrics().horizontalAdvance(text) + 14
        rect = QRectF(centre.x() - w / 2, centre.y() - 8, w, 16)
        painter.setPen(QPen(theme.qcolor(theme.BACKGROUND), 1.5))
        painter.setBrush(color)
        painter.drawRoundedRect(rect, 8, 8)
        painter.setPen(theme.qcolor(theme.INK))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
