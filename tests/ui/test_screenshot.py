"""render_stage_png: an offscreen render of the window at the end of a stage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage

from council_desktop.core.events import Event
from council_desktop.ui.screenshot import events_through_stage, render_stage_png

pytestmark = pytest.mark.gui


def test_events_through_stage_stops_before_the_next_stage(debate_events: list[Event]) -> None:
    cut = events_through_stage(debate_events, 2)
    assert cut[-1].kind == "aggregate"
    assert max(e.data["index"] for e in cut if e.kind == "stage") == 2
    assert events_through_stage(debate_events, 5) == debate_events


def test_render_stage_png_writes_a_real_picture(qapp: Any, tmp_path: Path, debate_events: list[Event]) -> None:
    out = render_stage_png(debate_events, 3, tmp_path / "shots" / "stage3.png", (1000, 700))
    image = QImage(str(out))
    assert not image.isNull() and (image.width(), image.height()) == (1000, 700)
    colours = {image.pixel(x, y) for x in range(0, 1000, 25) for y in range(0, 700, 25)}
    assert len(colours) > 40  # a drawn window, not a blank rectangle
