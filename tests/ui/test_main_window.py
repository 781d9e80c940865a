"""The main window: requests leave as signals, events come back through on_event."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLabel

from council_desktop.core.events import Event
from council_desktop.ui.main_window import MainWindow
from council_desktop.ui.screenshot import events_through_stage

pytestmark = pytest.mark.gui

HOSTILE = "<b>bold</b><img src=x>"


def feed(window: MainWindow, events: list[Event]) -> None:
    for event in events:
        window.on_event(event)


@pytest.fixture
def shown(window: MainWindow, qtbot: Any) -> MainWindow:
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.wait_until(lambda: QApplication.activeWindow() is window)
    return window


def test_title_and_layout(window: MainWindow) -> None:
    assert window.windowTitle() == "Council Desktop"
    assert window.topic_edit.placeholderText() == "Topic — leave empty and a member proposes one"
    assert window.centralWidget().isAncestorOf(window.arena)
    assert window.convene_button.text() == "Convene Council" and window.ask_button.text() == "Ask the Council"


def test_convene_button_emits_the_topic(window: MainWindow, qtbot: Any) -> None:
    window.topic_edit.setText("  Is tea better than coffee?  ")
    with qtbot.wait_signal(window.convene_requested) as blocker:
        qtbot.mouseClick(window.convene_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["Is tea better than coffee?"]


def test_an_empty_topic_lets_a_member_propose_one(window: MainWindow, qtbot: Any) -> None:
    with qtbot.wait_signal(window.convene_requested) as blocker:
        qtbot.mouseClick(window.convene_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [""]


def test_ask_button_emits_the_question_and_refuses_an_empty_one(window: MainWindow, qtbot: Any) -> None:
    with qtbot.assert_not_emitted(window.ask_requested):
        qtbot.mouseClick(window.ask_button, Qt.MouseButton.LeftButton)
    window.question_edit.setText("What is 2 + 2?")
    with qtbot.wait_signal(window.ask_requested) as blocker:
        qtbot.mouseClick(window.ask_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["What is 2 + 2?"]


def test_return_in_the_fields_submits(window: MainWindow, qtbot: Any) -> None:
    window.topic_edit.setText("Cats or dogs?")
    with qtbot.wait_signal(window.convene_requested) as blocker:
        qtbot.keyClick(window.topic_edit, Qt.Key.Key_Return)
    assert blocker.args == ["Cats or dogs?"]
    window.question_edit.setText("Why is the sky blue?")
    with qtbot.wait_signal(window.ask_requested) as blocker:
        qtbot.keyClick(window.question_edit, Qt.Key.Key_Return)
    assert blocker.args == ["Why is the sky blue?"]


def test_stop_is_enabled_only_while_running(window: MainWindow, qtbot: Any, debate_events: list[Event]) -> None:
    assert not window.stop_button.isEnabled() and window.convene_button.isEnabled()
    window.set_running(True)
    assert window.stop_button.isEnabled() and window.stop_action.isEnabled()
    assert not window.convene_button.isEnabled() and not window.ask_button.isEnabled()
    with qtbot.wait_signal(window.stop_requested):
        qtbot.mouseClick(window.stop_button, Qt.MouseButton.LeftButton)
    with qtbot.assert_not_emitted(window.convene_requested):
        window.convene_action.trigger()
    feed(window, debate_events)  # the session completes: back to idle
    assert not window.running and not window.stop_button.isEnabled() and window.convene_button.isEnabled()


def test_keyboard_shortcuts(shown: MainWindow, qtbot: Any) -> None:
    shown.topic_edit.setText("Tabs or spaces?")
    shown.topic_edit.setFocus()
    with qtbot.wait_signal(shown.convene_requested) as blocker:
        qtbot.keyClick(shown.topic_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args == ["Tabs or spaces?"]
    shown.question_edit.setText("Vim or Emacs?")
    with qtbot.wait_signal(shown.ask_requested) as blocker:
        qtbot.keyClick(shown.topic_edit, Qt.Key.Key_Return,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert blocker.args == ["Vim or Emacs?"]
    with qtbot.assert_not_emitted(shown.stop_requested):
        qtbot.keyClick(shown.topic_edit, Qt.Key.Key_Escape)
    shown.set_running(True)
    with qtbot.wait_signal(shown.stop_requested):
        qtbot.keyClick(shown.topic_edit, Qt.Key.Key_Escape)
    qtbot.keyClick(shown.topic_edit, Qt.Key.Key_F11)
    qtbot.wait_until(shown.isFullScreen)
    qtbot.keyClick(shown.topic_edit, Qt.Key.Key_F11)
    qtbot.wait_until(lambda: not shown.isFullScreen())
    qtbot.keyClick(shown.topic_edit, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait_until(lambda: not shown.isVisible())


def test_reduce_motion_toggle(window: MainWindow, qtbot: Any, settings: QSettings) -> None:
    assert not window.scene.reduced_motion
    with qtbot.wait_signal(window.reduced_motion_toggled) as blocker:
        window.reduce_motion_action.trigger()
    assert blocker.args == [True]
    assert window.scene.reduced_motion
    assert settings.value("view/reduced_motion", type=bool) is True


def test_window_size_and_motion_setting_are_remembered(qtbot: Any, settings: QSettings) -> None:
    first = MainWindow(settings=settings)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.resize(720, 530)  # inside the offscreen screen (restoreGeometry keeps windows on screen)
    qtbot.wait_until(lambda: first.size().width() == 720)
    first.reduce_motion_action.trigger()
    first.close()
    second = MainWindow(settings=settings)
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (720, 530)
    assert second.reduce_motion_action.isChecked() and second.scene.reduced_motion
    second.close()


def test_events_drive_stepper_transcript_members_and_status(shown: MainWindow,
                                                           debate_events: list[Event]) -> None:
    stage3 = events_through_stage(debate_events, 3)
    feed(shown, stage3)
    assert shown.stepper.current_index() == 3 and shown.stepper.labels()[3] == "Rebuttals"
    assert shown.stage_label.text() == "Stage 3 · Rebuttals"
    rebuttal = next(e for e in debate_events if e.kind == "rebuttal")
    assert rebuttal.data["text"] in shown.transcript.text()
    assert shown.members.status_text(rebuttal.data["member"]) == "done"
    assert shown.members.status_text("ada") == "waiting"
    feed(shown, debate_events[len(stage3):])
    assert shown.stepper.is_finished()
    assert shown.stage_label.text() == "Finished · 5 of 5 members"
    synthesis = next(e for e in debate_events if e.kind == "synthesis").data["text"]
    assert synthesis in shown.transcript.text()
    bar = shown.transcript.view.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == bar.maximum()  # followed the debate to its end


def test_speaker_and_token_rate_in_the_status_bar(window: MainWindow, debate_events: list[Event]) -> None:
    stage1 = events_through_stage(debate_events, 1)
    last_token = max(i for i, e in enumerate(stage1) if e.kind == "token")
    feed(window, stage1[: last_token + 1])
    assert window.speaker_label.text().startswith("Speaking: ")
    assert "Ada" in window.speaker_label.text()
    rate = float(window.rate_label.text().split()[0])
    assert rate == pytest.approx(50.0, rel=0.05)  # the recording streams a token every 0.02 s


def test_failed_member_is_reported_everywhere(window: MainWindow, failed_debate_events: list[Event]) -> None:
    feed(window, failed_debate_events)
    failure = next(e for e in failed_debate_events if e.kind == "member_failed").data
    assert window.transcript.member_count_text() == "4 of 5 members"
    assert window.members.status_text(failure["member"]) == "failed"
    assert failure["reason"] in window.members.row_tooltip(failure["member"])
    assert "Esme failed" in window.transcript.text()
    assert window.stage_label.text() == "Finished · 4 of 5 members"


def test_model_text_stays_plain_everywhere(window: MainWindow, recorder: Any) -> None:
    feed(window, recorder(hostile=True))
    window.show_error(HOSTILE)
    labels = window.findChildren(QLabel)
    assert labels and all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)
    assert HOSTILE in window.transcript.text()
    assert window.error_label.text() == HOSTILE
    assert window.scene.bubble("ada").toPlainText() == HOSTILE


def test_show_error_banner_and_dismiss(window: MainWindow, qtbot: Any, debate_events: list[Event]) -> None:
    window.show()
    window.show_error("The starter model could not be loaded.")
    assert window.error_banner.isVisible()
    qtbot.mouseClick(window.error_dismiss, Qt.MouseButton.LeftButton)
    assert not window.error_banner.isVisible()
    window.show_error("again")
    window.on_event(debate_events[0])  # a new session clears old errors
    assert not window.error_banner.isVisible()


def test_ask_session_uses_the_ask_stages(window: MainWindow, ask_events: list[Event]) -> None:
    feed(window, ask_events[:3])
    assert window.stepper.labels() == ("Question", "Answers", "Ranking", "Chairman")
    feed(window, ask_events[3:])
    assert window.stepper.is_finished()
    assert "Question: What is the best first programming language?" in window.transcript.text()
