"""The replay: a stored log played back reproduces the live arena, seeks are exact both ways, the bar drives it."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt

from council_desktop.core.events import Event
from council_desktop.services.history import HistoryService
from council_desktop.storage import Store
from council_desktop.ui.arena import ArenaScene
from council_desktop.ui.replay import MAX_GAP_S, ReplayController, ReplayView, format_clock
from council_desktop.ui.stage_stepper import StageStepper
from council_desktop.ui.transcript_panel import TranscriptPanel
from tests.history_seed import Seeded
from tests.ui.pages import loaded

pytestmark = pytest.mark.gui


def stored(events: list[Event]) -> list[Event]:
    """What the history keeps: everything but token deltas."""
    return [e for e in events if e.kind != "token"]


def fresh_scene(reduced: bool = True) -> ArenaScene:
    scene = ArenaScene()
    scene.set_reduced_motion(reduced)
    return scene


def prefix_snapshots(events: list[Event]) -> list[dict[str, Any]]:
    """The reference: a scene fed events 0..i live (no motion), snapshot after each."""
    scene = fresh_scene()
    out = []
    for event in events:
        scene.apply(event)
        out.append(scene.snapshot())
    scene.reset()
    return out


@pytest.fixture
def round_trip(tmp_path: Path, qapp: Any, debate_events: list[Event]) -> Iterator[list[Event]]:
    """The recorded debate written through Store.recorder and read back through the HistoryService."""
    store = Store.open(tmp_path / "council.db")
    recorder = store.recorder("debate-1")
    for event in debate_events:
        recorder(event)
    yield HistoryService(store).events("debate-1")
    store.close()


@pytest.fixture
def view(qtbot: Any) -> Iterator[ReplayView]:
    replay = ReplayView()
    qtbot.addWidget(replay)
    replay.resize(1400, 900)
    yield replay
    replay.shutdown()


def test_the_stored_log_round_trips(round_trip: list[Event], debate_events: list[Event]) -> None:
    assert [(e.seq, e.kind, e.data) for e in round_trip] == [(e.seq, e.kind, e.data) for e in stored(debate_events)]


def test_playing_a_stored_debate_reproduces_the_live_scene_at_every_stage_boundary(
        qtbot: Any, debate_events: list[Event], round_trip: list[Event]) -> None:
    live = fresh_scene()
    expected: dict[tuple[str, int], dict[str, Any]] = {}
    for event in debate_events:
        if event.kind == "stage":
            expected[("before", event.seq)] = live.snapshot()
        live.apply(event)
        if event.kind == "stage":
            expected[("after", event.seq)] = live.snapshot()
    expected[("end", 0)] = live.snapshot()
    live.reset()

    scene = fresh_scene()
    controller = ReplayController(scene, [StageStepper()])
    controller.load(round_trip)
    wanted = {}
    for i, event in enumerate(round_trip):
        if event.kind == "stage":
            wanted[i - 1] = ("before", event.seq)
            wanted[i] = ("after", event.seq)
    wanted[len(round_trip) - 1] = ("end", 0)
    seen: dict[tuple[str, int], dict[str, Any]] = {}

    def capture(index: int) -> None:
        if index in wanted and not controller.revealing:
            seen[wanted[index]] = scene.snapshot()

    controller.position_changed.connect(capture)
    capture(controller.position)  # loading shows the first event (the council seated)
    controller.set_speed(64.0)  # the same code path as 4×, sixteen times sooner
    with qtbot.wait_signal(controller.reached_end, timeout=20_000):
        controller.play()
    assert not controller.playing and controller.position == len(round_trip) - 1
    assert set(seen) == set(expected) and len(seen) == 13  # 6 stages, before and after, and the end
    for key, snapshot in expected.items():
        assert seen[key] == snapshot, key
    scene.reset()


def test_seek_restores_every_prefix_forward_backward_and_at_random(
        qtbot: Any, animated_scene: ArenaScene, round_trip: list[Event]) -> None:
    reference = prefix_snapshots(round_trip)
    transcript = TranscriptPanel()
    qtbot.addWidget(transcript)
    ref_transcript = TranscriptPanel()
    qtbot.addWidget(ref_transcript)
    controller = ReplayController(animated_scene, [StageStepper()], [transcript])
    controller.load(round_trip)
    n = len(round_trip)
    order = list(range(n)) + list(range(n - 1, -1, -1))
    shuffled = list(range(n))
    random.Random(7).shuffle(shuffled)
    for i in order + shuffled:
        controller.seek(i)
        assert controller.position == i
        assert animated_scene.snapshot() == reference[i], i
        assert animated_scene.is_idle() and not animated_scene.reduced_motion  # the user's motion is back
    for i in (3, n // 2, n - 1):
        controller.seek(i)
        ref_transcript.clear()
        for event in round_trip[: i + 1]:
            ref_transcript.apply(event)
        assert transcript.text() == ref_transcript.text()


def test_a_scrub_holds_the_transcript_back_and_catches_it_up(qtbot: Any, round_trip: list[Event]) -> None:
    scene = fresh_scene()
    transcript = TranscriptPanel()
    qtbot.addWidget(transcript)
    controller = ReplayController(scene, [], [transcript])
    controller.load(round_trip)
    controller.seek(len(round_trip) - 1)
    full = transcript.text()
    controller.begin_scrub()
    controller.seek(5)
    assert transcript.text() == full  # left alone while the scrubber is held
    controller.seek(len(round_trip) - 1)
    controller.seek(10)
    controller.end_scrub()
    expected = TranscriptPanel()
    qtbot.addWidget(expected)
    for event in round_trip[:11]:
        expected.apply(event)
    assert transcript.text() == expected.text()


def test_seek_over_a_full_debate_is_fast_enough_to_scrub(view: ReplayView, qtbot: Any,
                                                         round_trip: list[Event]) -> None:
    view.load_events(round_trip)
    view.show()
    qtbot.waitExposed(view)
    c = view.controller
    n = len(round_trip)
    timings = []
    for i in range(n - 1, -1, -4):  # backwards: every seek rebuilds from the first event
        start = time.perf_counter()
        c.seek(i)
        timings.append(time.perf_counter() - start)
    # Measured ~20 ms here for the whole debate (transcript included); a scrub skips the transcript.
    assert max(timings) < 0.5, timings


def test_playback_waits_the_recorded_gaps_scaled_and_capped(qapp: Any) -> None:
    events = [Event(1, "roles", 0.0, "", {"mode": "debate", "members": []}),
              Event(2, "stage", 10.0, "", {"index": 0, "name": "topic"}),
              Event(3, "stage", 10.5, "", {"index": 1, "name": "opinions"}),
              Event(4, "stage", 10.5, "", {"index": 2, "name": "review"})]
    scene = fresh_scene()
    controller = ReplayController(scene)
    controller.load(events)
    controller.set_speed(1.0)
    assert controller.delay_ms(1) == MAX_GAP_S * 1000  # ten silent seconds play as 1.5
    assert controller.delay_ms(2) == 500
    assert controller.delay_ms(3) == 80  # same instant: still one after the other
    controller.set_speed(4.0)
    assert (controller.delay_ms(1), controller.delay_ms(2), controller.delay_ms(3)) == (375, 125, 20)
    with pytest.raises(ValueError):
        controller.set_speed(0)
    assert controller.stage_positions() == {0: 1, 1: 2, 2: 3}
    assert controller.duration() == 10.5 and format_clock(83) == "01:23" and format_clock(3723) == "1:02:03"


def test_play_at_4x_types_turns_out_and_pause_keeps_them(view: ReplayView, qtbot: Any,
                                                         round_trip: list[Event]) -> None:
    view.load_events(round_trip)
    view.show()
    bar, c = view.bar, view.controller
    assert bar.speed_combo.currentText() == "2×"
    bar.speed_combo.setCurrentIndex(bar.speed_combo.findText("4×"))
    assert c.speed == 4.0
    qtbot.mouseClick(bar.play_button, Qt.MouseButton.LeftButton)
    assert c.playing and bar.play_button.accessibleName() == "Pause"
    topic = next(e for e in round_trip if e.kind == "topic")
    qtbot.wait_until(lambda: c.revealing and 0 < len(view.scene.bubble(topic.data["member"]).text())
                     < len(topic.data["text"]), timeout=5000)
    qtbot.mouseClick(bar.play_button, Qt.MouseButton.LeftButton)
    assert not c.playing and c.revealing
    partial = view.scene.bubble(topic.data["member"]).text()
    assert partial and topic.data["text"].startswith(partial.strip()[:10])
    position = c.position
    qtbot.mouseClick(bar.forward_button, Qt.MouseButton.LeftButton)  # completes the turn
    assert round_trip[c.position].seq == topic.seq and c.position == position + 1
    assert view.scene.bubble(topic.data["member"]).text() == topic.data["text"]
    c.play()
    qtbot.wait_until(lambda: c.position >= position + 6, timeout=10_000)
    c.pause()
    qtbot.wait_until(view.scene.is_idle, timeout=5000)
    assert not c.playing


def test_the_bar_shows_stage_marks_clock_and_jumps(view: ReplayView, qtbot: Any, round_trip: list[Event]) -> None:
    view.load_events(round_trip)
    c, bar = view.controller, view.bar
    positions = c.stage_positions()
    assert sorted(positions) == [0, 1, 2, 3, 4, 5]
    assert [(v, text) for v, text, _tip in bar.slider.marks()] == [(positions[i], str(i)) for i in range(6)]
    duration = round_trip[-1].t - round_trip[0].t
    assert bar.time_label.text() == f"00:00 / {format_clock(duration)}"
    qtbot.mouseClick(bar.stage_buttons[3], Qt.MouseButton.LeftButton)
    assert c.position == positions[3] and round_trip[c.position].data["index"] == 3
    assert view.stepper.current_index() == 3 and bar.stage_buttons[3].isChecked()
    assert bar.slider.value() == positions[3]
    assert bar.time_label.text() == (f"{format_clock(round_trip[positions[3]].t - round_trip[0].t)} / "
                                     f"{format_clock(duration)}")
    qtbot.mouseClick(bar.back_button, Qt.MouseButton.LeftButton)
    assert c.position == positions[3] - 1 and view.stepper.current_index() == 2
    view.stepper.stage_clicked.emit(5)
    assert c.position == positions[5]
    assert "Stage 5" in view.position_label.text()


def test_scrubbing_with_the_mouse_seeks_and_then_catches_up(view: ReplayView, qtbot: Any,
                                                          round_trip: list[Event]) -> None:
    view.load_events(round_trip)
    view.show()
    qtbot.waitExposed(view)
    slider, c = view.bar.slider, view.controller
    target = len(round_trip) // 2
    x = round(slider.x_for(target))
    qtbot.mousePress(slider, Qt.MouseButton.LeftButton, pos=QPoint(x, 13))
    qtbot.wait_until(lambda: c.position == slider.value())
    assert abs(c.position - target) <= 1
    end_x = round(slider.x_for(len(round_trip) - 1))
    qtbot.mouseMove(slider, QPoint(end_x, 13))
    qtbot.wait_until(lambda: c.position == len(round_trip) - 1)
    qtbot.mouseRelease(slider, Qt.MouseButton.LeftButton, pos=QPoint(end_x, 13))
    synthesis = next(e for e in round_trip if e.kind == "synthesis").data["text"]
    assert synthesis in view.transcript.text()


def test_an_interrupted_session_plays_to_its_last_event_and_says_so(seeded: Seeded, qtbot: Any) -> None:
    history = HistoryService(seeded.store)
    replay = ReplayView(history)
    qtbot.addWidget(replay)
    assert replay.open_session(seeded.s3)
    loaded(qtbot)
    c = replay.controller
    assert c.position == 0 and replay.end_note() == ""
    assert replay.status_chip.text() == "INTERRUPTED"
    assert replay.title_label.text() == "A debate the app never finished"
    replay.controller.seek(c.count - 1)
    assert "Interrupted" in replay.end_note()
    assert not any(e.kind == "complete" for e in c.events)  # nothing is made up: it stops where it stopped
    assert "failed" not in replay.transcript.text().lower()
    assert c.count == len(history.events(seeded.s3))
    replay.shutdown()


def test_open_session_at_a_moment_and_a_missing_one(seeded: Seeded, qtbot: Any) -> None:
    history = HistoryService(seeded.store)
    replay = ReplayView(history)
    qtbot.addWidget(replay)
    assert replay.open_session(seeded.s2, 20)
    loaded(qtbot)
    c = replay.controller
    assert c.events[c.position].seq >= 20 and c.events[c.position - 1].seq < 20
    assert replay.session_id == seeded.s2 and replay.status_chip.text() == "FINISHED"
    replay.open_session("no-such-session")
    loaded(qtbot)
    assert replay.stack.currentWidget() is replay.placeholder
    assert "no longer" in replay.placeholder_text.text()
    assert replay.open_latest()
    loaded(qtbot)
    assert replay.session_id == seeded.s4 and c.mode == "ask"
    replay.shutdown()


def test_keyboard_controls_the_replay(view: ReplayView, qtbot: Any, round_trip: list[Event]) -> None:
    view.load_events(round_trip)
    view.set_reduced_motion(True)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    view.bar.slider.setFocus()
    qtbot.wait_until(view.bar.slider.hasFocus)
    qtbot.keyClick(view.bar.slider, Qt.Key.Key_End)
    assert view.controller.position == len(round_trip) - 1
    qtbot.keyClick(view.bar.slider, Qt.Key.Key_Left)
    assert view.controller.position == len(round_trip) - 2
    qtbot.keyClick(view.bar.slider, Qt.Key.Key_Home)
    assert view.controller.position == 0
    qtbot.keyClick(view.bar.slider, Qt.Key.Key_Space)
    assert view.controller.playing
    qtbot.keyClick(view.bar.slider, Qt.Key.Key_Space)
    assert not view.controller.playing
