"""StageStepper: the row of stages across the top of the arena, the current one highlighted."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFont, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ..core.events import ASK_STAGES, DEBATE_STAGES, Event
from . import theme

DEBATE_LABELS = ("Topic", "Opinions", "Review", "Rebuttals", "Alliances", "Synthesis")
ASK_LABELS = ("Question", "Answers", "Ranking", "Chairman")


class StageStepper(QWidget):
    """Stages 0–5 of a debate (or question/answers/ranking/chairman in ask mode): finished stages are
    ticked green, the current one is gold, later ones muted. ``apply(event)`` follows roles, stage and
    complete events.

    Signals: ``stage_clicked(int)`` — the user clicked a stage (a replay can jump there)."""

    stage_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mode = "debate"
        self._labels: tuple[str, ...] = DEBATE_LABELS
        self._current = -1
        self._finished = False
        self._failed = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(62)
        self.setAccessibleName("Stages")
        self._connect_signals()

    def _connect_signals(self) -> None:
        """Nothing to wire: the stepper only emits ``stage_clicked`` from mouse presses."""

    # -- state ------------------------------------------------------------------------------------

    @property
    def mode(self) -> str:
        return self._mode

    def labels(self) -> tuple[str, ...]:
        return self._labels

    def current_index(self) -> int:
        return self._current

    def is_finished(self) -> bool:
        return self._finished

    def set_mode(self, mode: str) -> None:
        self._mode = "ask" if mode == "ask" else "debate"
        self._labels = ASK_LABELS if self._mode == "ask" else DEBATE_LABELS
        self._current = -1
        self._finished = self._failed = False
        self.update()

    def set_current(self, index: int) -> None:
        self._current = max(-1, min(index, len(self._labels) - 1))
        self.update()

    def reset(self) -> None:
        self.set_mode(self._mode)

    def apply(self, event: Event) -> None:
        d = event.data
        if event.kind == "roles":
            self.set_mode(str(d.get("mode") or "debate"))
        elif event.kind == "stage":
            names = ASK_STAGES if self._mode == "ask" else DEBATE_STAGES
            name = d.get("name")
            index = names.index(name) if name in names else int(d.get("index", -1))
            self.set_current(index)
        elif event.kind == "complete":
            status = d.get("status")
            self._finished = status == "finished"
            self._failed = status in ("failed", "cancelled")
            self.update()

    # -- painting ---------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(720, 62)

    def _centres(self) -> list[QPointF]:
        n = len(self._labels)
        left, right = 70.0, float(self.width()) - 70.0
        step = (right - left) / max(1, n - 1)
        return [QPointF(left + i * step, 22.0) for i in range(n)]

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), theme.qcolor(theme.BACKGROUND))
        centres = self._centres()
        r = 12.0
        for i in range(len(centres) - 1):
            a, b = centres[i], centres[i + 1]
            done = i < self._current
            painter.setPen(QPen(theme.qcolor(theme.GREEN if done else theme.BORDER), 2.0))
            painter.drawLine(QPointF(a.x() + r + 6, a.y()), QPointF(b.x() - r - 6, b.y()))
        number_font = theme.ui_font(12, weight=QFont.Weight.Bold)
        label_font = theme.ui_font(12)
        label_bold = theme.ui_font(12, weight=QFont.Weight.Bold)
        for i, (centre, label) in enumerate(zip(centres, self._labels, strict=True)):
            # A finished session ticks every stage it reached; stages it never reached stay muted.
            done = i < self._current or (self._finished and i == self._current)
            current = i == self._current and not self._finished
            if current:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(theme.with_alpha(theme.GOLD, 0.22))
                painter.drawEllipse(centre, r + 6, r + 6)
                painter.setBrush(theme.qcolor(theme.RED if self._failed else theme.GOLD))
                painter.drawEllipse(centre, r, r)
                painter.setPen(theme.qcolor(theme.INK))
                glyph = str(i)
            elif done:
                painter.setPen(QPen(theme.qcolor(theme.GREEN), 2.0))
                painter.setBrush(theme.with_alpha(theme.GREEN, 0.12))
                painter.drawEllipse(centre, r, r)
                glyph = "✓"
            else:
                painter.setPen(QPen(theme.qcolor(theme.BORDER), 1.6))
                painter.setBrush(theme.qcolor(theme.BACKGROUND))
                painter.drawEllipse(centre, r, r)
                painter.setPen(theme.qcolor(theme.MUTED))
                glyph = str(i)
            painter.setFont(number_font)
            painter.drawText(QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r), Qt.AlignmentFlag.AlignCenter,
                             glyph)
            painter.setFont(label_bold if current else label_font)
            painter.setPen(theme.qcolor(theme.TEXT if current else theme.TEXT_DIM if done else theme.MUTED))
            painter.drawText(QRectF(centre.x() - 60, centre.y() + r + 4, 120, 18),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, label)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        for i, centre in enumerate(self._centres()):
            if abs(event.position().x() - centre.x()) <= 40:
                self.stage_clicked.emit(i)
                return
        super().mousePressEvent(event)
