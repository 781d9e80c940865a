"""The side panels and the stepper on their own: roster rules, concurrent streaming, stage marks."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from council_desktop.core.events import Event, EventLog
from council_desktop.ui.member_status import MemberStatusPanel
from council_desktop.ui.roster import Roster
from council_desktop.ui.stage_stepper import StageStepper
from council_desktop.ui.transcript_panel import TranscriptPanel

pytestmark = pytest.mark.gui


def test_roster_follows_a_turn_through_its_states(debate_events: list[Event]) -> None:
    roster = Roster()
    seen: dict[str, list[str]] = {}
    for event in debate_events:
        for mid in roster.apply(event):
            seen.setdefault(mid, []).append(roster.status(mid))
    # Ada proposes (thinking → speaking → done), then the next stage sets her back to waiting.
    assert seen["ada"][:5] == ["idle", "thinking", "speaking", "done", "idle"]
    assert all(roster.status(m) == "done" for m in roster.members)
    assert roster.bottom == ["cleo", "dorian"] and roster.ok == roster.total == 5


def test_roster_keeps_a_failed_member_failed(failed_debate_events: list[Event]) -> None:
    roster = Roster()
    for event in failed_debate_events:
        roster.apply(event)
    assert roster.status("esme") == "failed"
    assert roster.members["esme"].reason.startswith("llama_decode")
    assert (roster.ok, roster.total) == (4, 5)


def _ann_and_bob_at_opinions(qtbot: Any) -> tuple[TranscriptPanel, EventLog]:
    """A transcript panel fed by a log that has seated Ann and Bob and opened the opinions stage."""
    panel = TranscriptPanel()
    qtbot.addWidget(panel)
    log = EventLog(sinks=[panel.apply])
    log.emit("roles", mode="debate", seed=1, members=[{"id": "a", "name": "Ann"}, {"id": "b", "name": "Bob"}],
             proposer="a", chairman="b", nudges={})
    log.emit("stage", index=1, name="opinions")
    return panel, log


def test_interleaved_streams_each_grow_in_their_own_place(qtbot: Any) -> None:
    panel, log = _ann_and_bob_at_opinions(qtbot)
    log.emit("turn_started", member="a", kind="opinion", stage=1)
    log.emit("turn_started", member="b", kind="opinion", stage=1)
    for a, b in zip(["one", " two", " three"], ["uno", " dos", " tres"], strict=True):
        log.emit("token", member="a", kind="opinion", text=a)
        log.emit("token", member="b", kind="opinion", text=b)
    text = panel.text()
    assert "Ann  opinion\none two three\n" in text
    assert "Bob  opinion\nuno dos tres\n" in text
    log.emit("opinion", member="b", text="uno dos tres cuatro", tokens=4, seconds=1.0)
    log.emit("opinion", member="a", text="one two three", tokens=3, seconds=1.5)
    text = panel.text()
    assert "Ann  opinion\none two three   3 tokens · 1.5 s\n" in text
    assert "Bob  opinion\nuno dos tres cuatro   4 tokens · 1.0 s\n" in text
    assert text.index("Ann") < text.index("Bob")


def test_a_regenerated_turn_replaces_its_first_try_and_says_so(qtbot: Any) -> None:
    panel, log = _ann_and_bob_at_opinions(qtbot)
    log.emit("turn_started", member="a", kind="opinion", stage=1)
    for tok in ["Zoos are cages.", " Zoos are cages.", " Zoos are cages."]:
        log.emit("token", member="a", kind="opinion", text=tok)
    log.emit("turn_started", member="a", kind="opinion", stage=1, retry=["loop"])
    assert "Zoos are cages" not in panel.text()
    log.emit("token", member="a", kind="opinion", text="Sanctuaries only.")
    log.emit("opinion", member="a", text="Sanctuaries only.", tokens=3, seconds=1.0,
             regenerated={"defects": ["loop: 'zoos are cages' three times"], "kept": "retry",
                          "discarded": "Zoos are cages. Zoos are cages. Zoos are cages."})
    text = panel.text()
    assert text.count("Ann  opinion") == 1 and "Zoos are cages" not in text
    assert "Ann  opinion\nSanctuaries only.   3 tokens · 1.0 s   · written twice (loop: 'zoos are cages' three " \
           "times); the second try kept\n" in text
    log.emit("turn_started", member="b", kind="opinion", stage=1)
    log.emit("opinion", member="b", text="Reserves.", tokens=9, seconds=1.0,
             regenerated={"defects": ["self_repeat: repeats its own opinion"], "kept": "first",
                          "discarded": "Cages. Cages.", "trimmed": ["Cages are cages.", "Zoos are zoos."]})
    assert "the first try kept, 2 repeated sentences dropped\n" in panel.text()


def test_transcript_keeps_the_readers_place_when_scrolled_up(qtbot: Any, debate_events: list[Event]) -> None:
    panel = TranscriptPanel()
    qtbot.addWidget(panel)
    panel.resize(360, 300)
    panel.show()
    half = len(debate_events) // 2
    for event in debate_events[:half]:
        panel.apply(event)
    bar = panel.view.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == bar.maximum()
    bar.setValue(0)
    for event in debate_events[half:]:
        panel.apply(event)
    assert bar.value() == 0


def test_member_panel_rows_and_plain_labels(qtbot: Any, recorder: Any) -> None:
    panel = MemberStatusPanel()
    qtbot.addWidget(panel)
    events = recorder(hostile=True, fail="esme")
    for event in events:
        panel.apply(event)
    assert panel.status_text("esme") == "failed"
    assert panel.status_text("ada") == "done"
    names = [label.text() for label in panel.findChildren(QLabel)]
    assert "Ada <b>bold</b><img src=x>" in names
    assert all(label.textFormat().name == "PlainText" for label in panel.findChildren(QLabel))


def test_stepper_marks_the_current_stage(qtbot: Any, debate_events: list[Event]) -> None:
    stepper = StageStepper()
    qtbot.addWidget(stepper)
    stepper.apply(debate_events[0])
    assert stepper.current_index() == -1 and len(stepper.labels()) == 6
    for event in debate_events:
        stepper.apply(event)
        if event.kind == "stage":
            assert stepper.current_index() == event.data["index"]
    assert stepper.is_finished()
    stepper.set_mode("ask")
    assert stepper.labels() == ("Question", "Answers", "Ranking", "Chairman") and not stepper.is_finished()


def test_stepper_click_reports_the_stage(qtbot: Any) -> None:
    stepper = StageStepper()
    qtbot.addWidget(stepper)
    stepper.resize(600, 62)
    stepper.show()
    qtbot.waitExposed(stepper)
    from PySide6.QtCore import QPoint, Qt

    centre = stepper._centres()[2]
    with qtbot.wait_signal(stepper.stage_clicked) as blocker:
        qtbot.mouseClick(stepper, Qt.MouseButton.LeftButton, pos=QPoint(int(centre.x()), int(centre.y())))
    assert blocker.args == [2]


def test_member_status_badge_follows_the_status(qtbot: Any, recorder: Any) -> None:
    """One style sheet for the panel; a status change sets the badge's property (no style sheet per change)."""
    panel = MemberStatusPanel()
    qtbot.addWidget(panel)
    panel.show()
    events = recorder(hostile=False, fail="esme")
    for event in events:
        panel.apply(event)
    failed = panel._rows["esme"].status
    done = panel._rows["ada"].status
    assert failed.property("status") == "failed" and done.property("status") == "done"
    assert failed.styleSheet() == "" and done.styleSheet() == ""
    assert failed.palette().color(failed.foregroundRole()) != done.palette().color(done.foregroundRole())


def test_the_same_council_convening_again_keeps_its_rows_and_a_new_one_gets_new_rows(
        qtbot: Any, recorder: Any) -> None:
    panel = MemberStatusPanel()
    qtbot.addWidget(panel)
    events = recorder(hostile=False, fail="esme")
    for event in events:
        panel.apply(event)
    rows = dict(panel._rows)
    assert panel.status_text("esme") == "failed"
    roles = next(e for e in events if e.kind == "roles")
    panel.apply(roles)  # the same council convenes again: the rows stay, their state starts afresh
    assert panel._rows == rows and all(panel.status_text(m) == "waiting" for m in rows)
    assert "Failed" not in panel.row_tooltip("esme")
    renamed = dataclasses.replace(roles, data={**roles.data, "members": [
        {**m, "name": m["name"] + " II"} if m["id"] == "ada" else m for m in roles.data["members"]]})
    panel.apply(renamed)  # another council (a member renamed): new rows
    assert set(panel._rows) == set(rows) and all(panel._rows[m] is not rows[m] for m in rows)
    assert panel._rows["ada"].name.text().endswith(" II")
