"""Every animation constant of the arena in one place: durations, easing, staggering, target values."""

from __future__ import annotations

from PySide6.QtCore import QEasingCurve

# Durations (ms). The longest chain (flip stagger + flip) stays under a second so a replay keeps pace.
FADE_MS = 240
DIM_MS = 420
MOVE_MS = 650
SCALE_MS = 650
BUBBLE_GROW_MS = 300
FLIP_MS = 460
FLIP_STAGGER_MS = 110
LINE_DRAW_MS = 480
LINE_STAGGER_MS = 80

# Text: at most ~30 repaints per second per bubble (docs/ARCHITECTURE.md, "Threads and the event flow"),
# and a word-by-word reveal whose whole run is capped so a long synthesis does not keep the stage waiting.
TOKEN_REPAINT_MS = 33
WORD_REVEAL_MS = 45
REVEAL_MAX_MS = 1500

EASE_OUT = QEasingCurve.Type.OutCubic
EASE_IN_OUT = QEasingCurve.Type.InOutCubic
EASE_BACK = QEasingCurve.Type.OutBack
EASE_FLIP = QEasingCurve.Type.InOutSine

# Target states.
DIM_OPACITY = 0.4  # everyone but the two rebuttal speakers
FAILED_OPACITY = 0.65
SYNTHESIS_OTHERS_OPACITY = 0.7
CARD_DIM_OPACITY = 0.3  # the topic card while alliance lines are drawn over it
CHAIR_SCALE = 1.35
BUBBLE_START_SCALE = 0.15
