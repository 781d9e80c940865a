"""Replay: a stored session's events played back into an arena, with a transport bar."""

from .bar import ReplayBar, StageSlider
from .controller import DEFAULT_SPEED, MAX_GAP_S, SPEEDS, ReplayController, describe_event, format_clock
from .view import ReplayView

__all__ = ["DEFAULT_SPEED", "MAX_GAP_S", "SPEEDS", "ReplayBar", "ReplayController", "ReplayView", "StageSlider",
           "describe_event", "format_clock"]
