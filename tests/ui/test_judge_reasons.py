"""A judge's reason (a validity finding against an answer) is visible in the transcript and the arena."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from council_desktop.core.events import EventLog
from council_desktop.core.pipeline import Orchestrator, SessionPlan
from council_desktop.ui.transcript_panel import TranscriptPanel
from tests.core.test_pipeline import INJECTION, _fooled_probe, _planted
from tests.scripted import ScriptedBackend, members

pytestmark = pytest.mark.gui
WHY = "addresses the judge or gives it instructions"


def _events(mode: str) -> list[Any]:
    log = EventLog()
    backend = ScriptedBackend(_planted("sage", INJECTION), probe_script=_fooled_probe)
    asyncio.run(Orchestrator(SessionPlan(mode, members(), topic="Is it right to lie?", seed=5), backend, log).run())
    return list(log.events)


@pytest.mark.parametrize("mode", ["debate", "ask"])
def test_the_finding_shows_in_the_transcript_and_on_the_arena_badges(qtbot: Any, scene: Any, mode: str) -> None:
    events = _events(mode)
    panel = TranscriptPanel()
    qtbot.addWidget(panel)
    for event in events:
        panel.apply(event)
        scene.apply(event)
    text = panel.text()
    assert text.count(f"Sage {WHY}") >= 4  # one per ballot of the other four judges
    tips = [b.toolTip() for b in scene.avatar("sage").badges if b.source != "summary"]
    assert len([t for t in tips if WHY in t]) >= 4
    if mode == "debate":
        assert all(b.value == 1 for b in scene.avatar("sage").badges if WHY in b.toolTip())
