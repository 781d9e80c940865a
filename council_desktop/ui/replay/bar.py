"""ReplayBar: the transport under a replay (play, step, a scrubber with stage marks, speed, clock, stages)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, QTimer, Slot
from PySide6.QtGui import QFont, QHelpEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QToolTip,
    QWidget,
)

from .. import theme
from ..layouts import vstack
from ..stage_stepper import ASK_LABELS, DEBATE_LABELS
from .controller import SPEEDS, ReplayController, format_clock
from .glyphs import glyph_icon


def speed_text(factor: float) -> str:
    return f"{factor:g}×"


class StageSlider(QSlider):
    """A horizontal scrubber painted in the theme: the track, the part already played, a tick with its
    stage number at every stage event, and the handle. A click jumps to the spot; dragging scrubs."""

    MARGIN = 14.0
    TRACK_Y = 13.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self._marks: list[tuple[int, str, str]] = []  # (value, label, tooltip)
        self.setMinimumHeight(40)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setPageStep(5)
        self.setAccessibleName("Replay position")

    def set_marks(self, marks: list[tuple[int, str, str]]) -> None:
        self._marks = sorted(marks)
        self.update()

    def marks(self) -> list[tuple[int, str, str]]:
        return list(self._marks)

    def x_for(self, value: int) -> float:
        span = max(1, self.maximum() - self.minimum())
        usable = max(1.0, self.width() - 2 * self.MARGIN)
        return self.MARGIN + usable * (value - self.minimum()) / span

    def value_at(self, x: float) -> int:
        usable = max(1.0, self.width() - 2 * self.MARGIN)
        frac = min(1.0, max(0.0, (x - self.MARGIN) / usable))
        return self.minimum() + round(frac * (self.maximum() - self.minimum()))

    def sizeHint(self) -> QSize:
        return QSize(600, 40)

    # -- mouse: jump to the click, drag to scrub -----------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or not self.isEnabled():
            event.ignore()
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.setSliderDown(True)
        self.setSliderPosition(self.value_at(event.position().x()))
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self.isSliderDown():
            self.setSliderPosition(self.value_at(event.position().x()))
            event.accept()
        else:
            event.ignore()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self.isSliderDown():
            self.setSliderDown(False)
            event.accept()
        else:
            event.ignore()

    # -- painting ------------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        y = self.TRACK_Y
        left, right = self.MARGIN, self.width() - self.MARGIN
        enabled = self.isEnabled() and self.maximum() > self.minimum()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.qcolor(theme.SURFACE_RAISED))
        painter.drawRoundedRect(QRectF(left, y - 3, right - left, 6), 3, 3)
        x = self.x_for(self.value()) if enabled else left
        painter.setBrush(theme.qcolor(theme.GOLD if enabled else theme.MUTED))
        painter.drawRoundedRect(QRectF(left, y - 3, max(0.0, x - left), 6), 3, 3)
        font = theme.ui_font(11, weight=QFont.Weight.DemiBold)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        for value, label, _tip in self._marks:
            mx = self.x_for(value)
            reached = value <= self.value()
            color = theme.GOLD if reached and enabled else theme.TEXT_DIM
            painter.setPen(QPen(theme.qcolor(theme.BACKGROUND), 2.0))
            painter.setBrush(theme.qcolor(color))
            painter.drawEllipse(QPointF(mx, y), 4.0, 4.0)
            painter.setPen(theme.qcolor(color))
            w = metrics.horizontalAdvance(label)
            painter.drawText(QPointF(mx - w / 2, y + 10 + metrics.ascent()), label)
        if enabled:
            if self.hasFocus():
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(theme.with_alpha(theme.GOLD, 0.25))
                painter.drawEllipse(QPointF(x, y), 11.0, 11.0)
            painter.setPen(QPen(theme.qcolor(theme.GOLD), 2.0))
            painter.setBrush(theme.qcolor(theme.TEXT))
            painter.drawEllipse(QPointF(x, y), 7.0, 7.0)
        painter.end()

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip and isinstance(e, QHelpEvent):
            mark = self.mark_at(e.pos().x())
            if mark is not None:
                QToolTip.showText(e.globalPos(), mark[2], self)
            else:
                QToolTip.hideText()
                e.ignore()
            return True
        return super().event(e)

    def mark_at(self, x: float) -> tuple[int, str, str] | None:
        """The stage mark under ``x`` (within a few pixels), for tooltips."""
        for mark in self._marks:
            if abs(self.x_for(mark[0]) - x) <= 6:
                return mark
        return None


class ReplayBar(QWidget):
    """Drives the ReplayController it is given and follows it: play/pause, one event back or forward, a
    scrubber with the stage marks 0–5, the session clock ("01:23 / 03:10"), the speed (0.5×–4×) and a
    "jump to stage" button per stage. Dragging the scrubber seeks at most once per event-loop pass.

    Signals: none (every control acts on the controller)."""

    def __init__(self, controller: ReplayController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replayBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.controller = controller
        self.play_button = QPushButton()
        self.play_button.setObjectName("replayPlay")
        self.play_button.setIconSize(QSize(22, 22))
        self.play_button.setFixedSize(44, 40)
        self.back_button = QPushButton()
        self.back_button.setIcon(glyph_icon("step_back"))
        self.back_button.setToolTip("One event back (←)")
        self.back_button.setAccessibleName("Step back")
        self.forward_button = QPushButton()
        self.forward_button.setIcon(glyph_icon("step_forward"))
        self.forward_button.setToolTip("One event forward (→)")
        self.forward_button.setAccessibleName("Step forward")
        for button in (self.back_button, self.forward_button):
            button.setObjectName("replayStep")
            button.setIconSize(QSize(18, 18))
            button.setFixedSize(40, 36)
        self.slider = StageSlider()
        self.time_label = QLabel("00:00 / 00:00")
        self.time_label.setTextFormat(Qt.TextFormat.PlainText)
        self.time_label.setObjectName("replayClock")
        self.time_label.setFont(theme.mono_font(13))
        self.time_label.setMinimumWidth(120)
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.speed_combo = QComboBox()
        self.speed_combo.setMinimumSize(76, 32)
        self.speed_combo.setAccessibleName("Speed")
        self.speed_combo.setToolTip("Playback speed")
        for factor in SPEEDS:
            self.speed_combo.addItem(speed_text(factor), factor)
        jump = QLabel("Jump to stage")
        jump.setTextFormat(Qt.TextFormat.PlainText)
        jump.setObjectName("replayCaption")
        speed = QLabel("Speed")
        speed.setTextFormat(Qt.TextFormat.PlainText)
        speed.setObjectName("replayCaption")
        self._stage_row = QHBoxLayout()
        self._stage_row.setSpacing(4)
        self.stage_buttons: dict[int, QPushButton] = {}
        self._seek_timer = QTimer(self)
        self._seek_timer.setObjectName("replayScrubTimer")
        self._seek_timer.setSingleShot(True)
        self._seek_timer.setInterval(0)

        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.slider, 1)
        top.addWidget(self.time_label)
        bottom = QHBoxLayout()
        bottom.setSpacing(6)
        bottom.addWidget(self.back_button)
        bottom.addWidget(self.play_button)
        bottom.addWidget(self.forward_button)
        bottom.addSpacing(18)
        bottom.addWidget(jump)
        bottom.addLayout(self._stage_row)
        bottom.addStretch(1)
        bottom.addWidget(speed)
        bottom.addWidget(self.speed_combo)
        vstack(self, top, bottom, margins=(16, 8, 16, 10), spacing=4)
        self.setStyleSheet(f"""
            QWidget#replayBar {{ background: {theme.SURFACE}; border-top: 1px solid {theme.BORDER}; }}
            QLabel#replayCaption {{ color: {theme.TEXT_DIM}; padding: 0 4px; }}
            QLabel#replayClock {{ color: {theme.TEXT}; }}
            QPushButton#replayPlay {{ background: {theme.GOLD}; border: 1px solid {theme.GOLD}; border-radius: 20px;
                                      padding: 0; }}
            QPushButton#replayPlay:hover {{ background: #ebc083; }}
            QPushButton#replayPlay:disabled {{ background: {theme.SURFACE_RAISED}; border-color: {theme.BORDER}; }}
            QPushButton#replayStep {{ padding: 0; border-radius: 18px; }}
            QPushButton#replayStage {{ padding: 4px 10px; font-weight: 500; border-radius: 12px; }}
            QPushButton#replayStage:checked {{ border-color: {theme.GOLD}; color: {theme.GOLD}; }}
        """)
        self._connect_signals()
        self._on_loaded(controller.count)
        self._on_playing_changed(controller.playing)
        self._on_speed_changed(controller.speed)

    def _connect_signals(self) -> None:
        c = self.controller
        self.play_button.clicked.connect(c.toggle)
        self.back_button.clicked.connect(c.step_back)
        self.forward_button.clicked.connect(c.step_forward)
        self.speed_combo.currentIndexChanged.connect(self._on_speed_picked)
        self.slider.valueChanged.connect(self._on_slider_value)
        self.slider.sliderPressed.connect(c.begin_scrub)
        self.slider.sliderReleased.connect(self._on_released)
        self._seek_timer.timeout.connect(self._flush_seek)
        c.loaded.connect(self._on_loaded)
        c.position_changed.connect(self._on_position_changed)
        c.playing_changed.connect(self._on_playing_changed)
        c.speed_changed.connect(self._on_speed_changed)

    # -- following the controller --------------------------------------------------------------------

    @Slot(int)
    def _on_loaded(self, count: int) -> None:
        c = self.controller
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(0, count - 1))
        self.slider.setValue(max(0, c.position))
        self.slider.blockSignals(False)
        labels = ASK_LABELS if c.mode == "ask" else DEBATE_LABELS
        positions = c.stage_positions()
        self.slider.set_marks([(at, str(i), f"Stage {i} · {labels[i] if 0 <= i < len(labels) else ''}")
                               for i, at in positions.items()])
        for button in self.stage_buttons.values():
            self._stage_row.removeWidget(button)
            button.hide()  # deleteLater waits for the event loop; never leave it drawn meanwhile
            button.deleteLater()
        self.stage_buttons = {}
        for i, label in enumerate(labels):
            button = QPushButton(f"{i}  {label}")
            button.setObjectName("replayStage")
            button.setCheckable(True)
            button.setEnabled(i in positions)
            button.setToolTip(f"Jump to stage {i}, {label}" if i in positions else "The session never reached it")
            button.clicked.connect(lambda _=False, stage=i: self.controller.jump_to_stage(stage))
            self._stage_row.addWidget(button)
            self.stage_buttons[i] = button
        for widget in (self.slider, self.play_button, self.back_button, self.forward_button):
            widget.setEnabled(count > 0)
        self._on_position_changed(c.position)

    @Slot(int)
    def _on_position_changed(self, index: int) -> None:
        c = self.controller
        if not self.slider.isSliderDown():
            self.slider.blockSignals(True)
            self.slider.setValue(max(0, index))
            self.slider.blockSignals(False)
            self.slider.update()
        self.time_label.setText(f"{format_clock(c.elapsed(index))} / {format_clock(c.duration())}")
        current = c.current_stage()
        for i, button in self.stage_buttons.items():
            button.setChecked(i == current)
        self.back_button.setEnabled(c.count > 0 and (index > 0 or c.revealing))
        self.forward_button.setEnabled(c.count > 0 and (index < c.count - 1 or c.revealing))

    @Slot(bool)
    def _on_playing_changed(self, playing: bool) -> None:
        self.play_button.setIcon(glyph_icon("pause" if playing else "play", theme.INK, 22))
        self.play_button.setToolTip("Pause (Space)" if playing else "Play (Space)")
        self.play_button.setAccessibleName("Pause" if playing else "Play")

    @Slot(float)
    def _on_speed_changed(self, factor: float) -> None:
        index = self.speed_combo.findData(factor)
        if index >= 0 and index != self.speed_combo.currentIndex():
            self.speed_combo.blockSignals(True)
            self.speed_combo.setCurrentIndex(index)
            self.speed_combo.blockSignals(False)

    # -- controls ------------------------------------------------------------------------------------

    def _on_speed_picked(self, index: int) -> None:
        factor = self.speed_combo.itemData(index)
        if isinstance(factor, int | float):
            self.controller.set_speed(float(factor))

    def _on_slider_value(self, value: int) -> None:
        if self.slider.isSliderDown():
            # Dragging: coalesce the moves of one event-loop pass into one seek.
            if not self._seek_timer.isActive():
                self._seek_timer.start()
        else:
            self._seek_timer.stop()
            self.controller.seek(value)

    def _on_released(self) -> None:
        self._flush_seek()
        self.controller.end_scrub()

    def _flush_seek(self) -> None:
        self._seek_timer.stop()
        if self.slider.value() != self.controller.position or self.controller.revealing:
            self.controller.seek(self.slider.value())
