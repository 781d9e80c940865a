"""Forks in the Sessions and Replay pages, and the by-model, audit and agreement analytics, over a real
SQLite history recorded from scripted sessions."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt

from council_desktop.core.events import EventLog
from council_desktop.core.fork import ForkStart, fork_prefix
from council_desktop.core.pipeline import Orchestrator, SessionPlan
from council_desktop.services.history import HistoryService
from council_desktop.storage import Store
from council_desktop.ui.analytics import AnalyticsView
from council_desktop.ui.main_window import MainWindow
from council_desktop.ui.replay import ReplayView
from council_desktop.ui.sessions import SessionBrowser
from tests.scripted import ScriptedBackend, members
from tests.ui.pages import loaded

pytestmark = pytest.mark.gui


def record(store: Store, sid: str, plan: SessionPlan) -> None:
    rec = store.recorder(sid)
    asyncio.run(Orchestrator(plan, ScriptedBackend(), EventLog([rec])).run())
    rec.close()


@pytest.fixture
def history(tmp_path: Path) -> Iterator[HistoryService]:
    store = Store.open(tmp_path / "council.db")
    record(store, "parent-session", SessionPlan("debate", members(), topic="Should robots vote?", seed=2))
    prefix = fork_prefix(store.load_events("parent-session"), 3)
    record(store, "fork-session", SessionPlan("debate", members(), seed=9, chairman=1,
                                              fork=ForkStart("parent-session", 3, tuple(prefix),
                                                             {"chairman": "skeptic", "seed": 9})))
    yield HistoryService(store)
    store.close()


def test_the_sessions_page_shows_a_fork_and_its_parent_linked(history: HistoryService, qtbot: Any) -> None:
    browser = SessionBrowser(history)
    qtbot.addWidget(browser)
    loaded(qtbot)
    assert browser.family_of("fork-session") == "fork of parent-s @ 3"
    assert browser.family_of("parent-session") == "1 fork"
    assert browser.select("fork-session")
    loaded(qtbot)
    assert "Forked from parent-s" in browser.family_label.text() and not browser.parent_button.isHidden()
    qtbot.mouseClick(browser.parent_button, Qt.MouseButton.LeftButton)
    loaded(qtbot)
    assert browser.selected_id() == "parent-session"
    assert "Forks: fork-ses from stage 3" in browser.family_label.text() and browser.parent_button.isHidden()


def test_replay_shows_the_family_and_asks_for_a_fork_at_the_current_stage(history: HistoryService,
                                                                         qtbot: Any) -> None:
    view = ReplayView(history)
    qtbot.addWidget(view)
    assert view.open_session("fork-session")
    loaded(qtbot)
    assert view.family_label.text().startswith("Fork of parent-s") and not view.parent_button.isHidden()
    assert view.open_parent()
    loaded(qtbot)
    assert view.session_id == "parent-session"
    assert "Forks: fork-ses from stage 3" in view.family_label.text()
    view.controller.jump_to_stage(4)
    assert view.fork_stage() == 4
    with qtbot.wait_signal(view.fork_requested) as asked:
        view.request_fork({"stage": 4, "chair": "sage", "seed": None, "temperatures": {"poet": 1.2}})
    sid, changes = asked.args
    assert sid == "parent-session" and changes["stage"] == 4 and changes["temperatures"] == {"poet": 1.2}
    assert changes["chair"] is None  # the session's own chair: no change
    view.shutdown()


def test_the_window_runs_a_requested_fork_on_the_arena(history: HistoryService, qtbot: Any,
                                                        settings: QSettings) -> None:
    window = MainWindow(settings=settings)
    qtbot.addWidget(window)
    window.set_history(history)
    assert window.replay_view is not None and window.open_replay("parent-session")
    loaded(qtbot)
    with qtbot.wait_signal(window.fork_requested) as asked:
        window.replay_view.request_fork({"stage": 3, "chair": "poet", "seed": 4, "temperatures": {}})
    assert asked.args[0] == "parent-session" and asked.args[1]["chair"] == "poet"
    assert window.current_page() == "Arena"
    window.set_running(True)
    with qtbot.assert_not_emitted(window.fork_requested):  # not while a session runs
        window.replay_view.request_fork({"stage": 3, "chair": "poet", "seed": 4, "temperatures": {}})
    window.set_running(False)
    window.close()


def test_analytics_shows_by_model_and_the_audit_with_ballot_counts(history: HistoryService, qtbot: Any) -> None:
    view = AnalyticsView(history)
    qtbot.addWidget(view)
    loaded(qtbot)
    by_model = view.by_model
    assert by_model.table.rowCount() == 1 and by_model.cell(0, "Model") == "scripted"
    # The fork re-ran from its rebuttals: its reviews are the parent's, counted once.
    assert by_model.cell(0, "Scores") == "20" and by_model.cell(0, "Sessions") == "2"
    assert by_model.cell(0, "Sat as") == "Optimist, Poet, Pragmatist, Sage, Skeptic"
    audit = view.audit.audit
    assert audit is not None and audit.ballots == 20 and audit.sessions == 1
    assert view.audit.table.rowCount() == 5
    assert "scores" in view.audit.label_card.note_label.text()
    assert view.audit.table_card.title_label.text().startswith("The judges — 20 scores from 1")
    assert not view.viewer.rows and not view.viewer.empty_label.isHidden()  # the viewer never judged here


def test_a_fork_whose_seats_are_not_at_the_table_says_why_in_one_line(history: HistoryService, qtbot: Any,
                                                                       settings: QSettings) -> None:
    from council_desktop.app import _wire
    from council_desktop.services.qt_session import CouncilSession
    from council_desktop.services.runtime import CouncilRuntime

    session = CouncilSession(CouncilRuntime([], None))  # a council with none of the parent's seats
    session._mark_loaded({})
    window = MainWindow(settings=settings)
    qtbot.addWidget(window)
    _wire(window, session, history)
    assert window.replay_view is not None and window.open_replay("parent-session")
    loaded(qtbot)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        with qtbot.wait_signal(session.session_finished) as finished:
            window.replay_view.request_fork({"stage": 3, "chair": "poet", "seed": None, "temperatures": {}})
            assert window.running
            qtbot.wait_until(lambda: session._task is not None)  # the parent's events are read off the GUI thread
            loop.run_until_complete(session._task)  # type: ignore[arg-type]
    finally:
        loop.close()
        asyncio.set_event_loop(None)
    sid, status, reason = finished.args
    assert (sid, status) == ("", "failed") and "not all at the table" in reason and "\n" not in reason
    assert not window.running and not window.error_banner.isHidden() and "Sage" in window.error_label.text()
    assert len(history.sessions()) == 2  # nothing was stored
    window.close()
    session.shutdown(0.5)


def test_the_rerun_dialog_changes_a_seats_persona_and_model(qtbot: Any) -> None:
    from council_desktop.ui.replay.fork_dialog import ForkDialog

    members_ = [("sage", "Sage"), ("poet", "Poet")]
    dialog = ForkDialog([(1, "opinions"), (2, "review")], 2, members_, "sage", 3,
                        models=[("starter", "SmolLM2 135M"), ("qwen", "Qwen2.5 0.5B")])
    qtbot.addWidget(dialog)
    assert dialog.changes()["seats"] == {}  # nothing chosen: every seat as it was
    dialog.personas["sage"].setCurrentIndex(dialog.personas["sage"].findData("optimist"))
    dialog.models["poet"].setCurrentIndex(dialog.models["poet"].findData("qwen"))
    dialog.temperatures["poet"].setValue(1.3)
    changes = dialog.changes()
    assert changes["seats"] == {"sage": {"persona": "optimist"}, "poet": {"model": "qwen"}}
    assert changes["temperatures"] == {"poet": 1.3} and changes["stage"] == 2
