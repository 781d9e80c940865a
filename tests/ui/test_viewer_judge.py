"""The viewer as a sixth judge, driven through the window with pytest-qt: a scripted council runs, the
viewer scores the anonymous answers and declares alliances in the panel while the stage is open, and the
ballot is stored, shown as a sixth badge row, exported and analysed."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt

from council_desktop.core.events import Event, EventLog
from council_desktop.core.pipeline import Orchestrator, SessionPlan
from council_desktop.services.history import HistoryService
from council_desktop.services.qt_session import CouncilSession
from council_desktop.services.runtime import CouncilRuntime
from council_desktop.storage import Store
from council_desktop.ui.main_window import PAGES, MainWindow
from tests.scripted import ScriptedBackend, members
from tests.ui.pages import loaded

pytestmark = pytest.mark.gui


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "council.db")
    yield s
    s.close()


@pytest.fixture
def session(qtbot: Any) -> Iterator[CouncilSession]:
    s = CouncilSession(CouncilRuntime([], None))
    yield s
    s.shutdown(0.5)


@pytest.fixture
def judging(window: MainWindow, session: CouncilSession) -> MainWindow:
    """The window (conftest) wired to the session as app._wire wires the viewer's panel."""
    wired(window, session)
    return window


def wired(window: MainWindow, session: CouncilSession) -> None:
    """As app._wire connects them."""
    session.set_viewer_counts(window.viewer_counts)
    window.viewer_count_toggled.connect(session.set_viewer_counts)
    window.viewer_ballot_cast.connect(session.cast_viewer_ballot)
    session.viewer_ballot_refused.connect(window.viewer_panel.show_refusal)


def run_session(window: MainWindow, session: CouncilSession, store: Store | None, sid: str,
                actor: Any, mode: str = "debate") -> list[Event]:
    sinks: list[Any] = [window.on_event, actor]
    recorder = store.recorder(sid) if store is not None else None
    if recorder is not None:
        sinks.append(recorder)
    log = EventLog(sinks)
    plan = SessionPlan(mode, members(), topic="Should robots vote?", seed=6, viewer=session.viewer)  # type: ignore[arg-type]
    outcome = asyncio.run(Orchestrator(plan, ScriptedBackend(), log).run())
    if recorder is not None:
        recorder.close()
    assert outcome.status == "finished", outcome.reason
    return log.events


class Viewer:
    """Acts in the panel as a person would, the moment a stage opens to them."""

    def __init__(self, window: MainWindow, qtbot: Any, scores: dict[str, int] | None = None) -> None:
        self.window, self.qtbot, self.scores = window, qtbot, scores
        self.seen: list[dict[str, Any]] = []

    def __call__(self, event: Event) -> None:
        if event.kind != "viewer_open":
            return
        panel = self.window.viewer_panel
        self.seen.append(panel.state())
        if event.data["kind"] == "alliance":
            combos = list(panel.stances.values())
            combos[0].setCurrentText("ally")
            combos[-1].setCurrentText("opponent")
        else:
            for label, spin in panel.scores.items():
                member = event.data["labels"][label]
                spin.setValue(self.scores.get(member, 5) if self.scores else 5)
        with self.qtbot.wait_signal(self.window.viewer_ballot_cast):
            self.qtbot.mouseClick(panel.cast_button, Qt.MouseButton.LeftButton)


def test_viewer_judge_ballot_cast_in_the_window_is_stored_shown_exported_and_analysed(
        qtbot: Any, judging: MainWindow, session: CouncilSession, store: Store, tmp_path: Path) -> None:
    window = judging
    history = HistoryService(store)
    window.set_history(history)
    # The viewer agrees with the scripted judges: the "weak" answers (optimist, poet) lowest.
    mine = {"sage": 9, "skeptic": 8, "optimist": 2, "pragmatist": 7, "poet": 3}
    viewer = Viewer(window, qtbot, mine)
    events = run_session(window, session, store, "s1", viewer)

    # The panel opened at review (anonymous labels, every answer) and at alliances (members by name).
    review, alliance = viewer.seen
    assert review["kind"] == "review" and review["stage"] == 2 and review["visible"] and review["can_cast"]
    assert review["labels"] == [f"Response {c}" for c in "ABCDE"]
    assert alliance["kind"] == "alliance" and alliance["stage"] == 4
    assert window.viewer_panel.state()["stage"] == -1  # closed at the end

    ballot = next(e for e in events if e.kind == "viewer_ballot").data
    assert {r["target"]: r["score"] for r in ballot["scores"]} == mine and ballot["counted"] is False
    stances = next(e for e in events if e.kind == "viewer_ballot" and e.data["kind"] == "alliance").data
    assert len(stances["agree"]) == 1 and len(stances["disagree"]) == 1

    # The sixth badge row: "You 9" under Sage, beside (not in) the council's four badges.
    snap = window.scene.snapshot()["members"]
    assert snap["sage"]["viewer"]["text"] in ("You 9", "You: ally", "You: opponent")
    assert all(len(m["badges"]) == 4 for m in snap.values())

    # Stored apart from the council's ballots, and exported.
    rows = store.db.execute_sql("SELECT target_id, score FROM viewer_ballots WHERE kind = 'review'").fetchall()
    assert dict(rows) == {k: float(v) for k, v in mine.items()}
    out = history.export("s1", tmp_path / "s1.md")
    text = out.read_text()
    assert "## Your ballots" in text and "Sage 9" in text and "you agree with" in text

    # Analytics: agreement with the viewer, and the badge for the member that agrees most.
    history.notify_session_finished()
    loaded(qtbot)
    panel = window.analytics_view.viewer  # type: ignore[union-attr]
    assert panel.rows and all(r.sessions == 1 for r in panel.rows)
    assert panel.rows[0].rho > 0.5 and panel.badge.text().startswith("★ Kindred Spirit: ")
    window.show_page(PAGES.index("Analytics"))
    window.analytics_view.tabs.setCurrentWidget(panel)  # type: ignore[union-attr]
    window.close()


def test_viewer_judge_never_blocks_and_a_late_ballot_is_refused(qtbot: Any, judging: MainWindow,
                                                                  session: CouncilSession) -> None:
    window = judging
    seen: list[dict[str, Any]] = []

    def watch(event: Event) -> None:
        if event.kind in ("viewer_open", "viewer_skipped"):
            seen.append(window.viewer_panel.state())

    events = run_session(window, session, None, "s2", watch)  # the viewer never votes
    assert [e.data["stage"] for e in events if e.kind == "viewer_skipped"] == [2, 4]
    assert "moved on" in seen[1]["note"] and not seen[1]["can_cast"]
    assert events[-1].kind == "complete"

    # A ballot for a stage that has closed in the council (the panel still shows it): refused, said why.
    window.viewer_panel.apply(Event(99, "viewer_open", 0.0, "", {"stage": 2, "kind": "review",
                                                                 "labels": {"Response A": "sage",
                                                                            "Response B": "poet"}}))
    window.viewer_panel.scores["Response A"].setValue(7)
    with qtbot.wait_signal(session.viewer_ballot_refused) as refused:
        qtbot.mouseClick(window.viewer_panel.cast_button, Qt.MouseButton.LeftButton)
    assert "moved on" in refused.args[0]
    assert window.viewer_panel.state()["note"].startswith("Your ballot was not counted")
    # Nothing scored: the panel asks first, nothing is sent.
    window.viewer_panel.scores["Response A"].setValue(0)
    with qtbot.assert_not_emitted(window.viewer_ballot_cast):
        qtbot.mouseClick(window.viewer_panel.cast_button, Qt.MouseButton.LeftButton)
    window.close()


def test_viewer_judge_scores_count_in_the_aggregate_only_when_the_setting_says_so(
        qtbot: Any, settings: QSettings, judging: MainWindow, session: CouncilSession) -> None:
    window = judging
    assert not window.viewer_counts and not session.viewer.count_in_aggregate
    with qtbot.wait_signal(window.viewer_count_toggled):
        window.viewer_panel.count_box.click()
    assert session.viewer.count_in_aggregate and settings.value("viewer/count_in_aggregate", type=bool)
    events = run_session(window, session, None, "s3", Viewer(window, qtbot))
    assert next(e for e in events if e.kind == "viewer_ballot").data["counted"] is True
    assert all(r["received"] == 5 for r in next(e for e in events if e.kind == "aggregate").data["rows"])
    window.close()
    again = MainWindow(settings=settings)  # the setting is remembered
    qtbot.addWidget(again)
    assert again.viewer_counts
    again.close()


def test_viewer_judge_ranks_the_answers_in_ask_mode(qtbot: Any, judging: MainWindow,
                                                    session: CouncilSession) -> None:
    window = judging
    viewer = Viewer(window, qtbot, {"sage": 10, "skeptic": 1})
    events = run_session(window, session, None, "s4", viewer, mode="ask")
    assert [s["kind"] for s in viewer.seen] == ["ranking"]
    ballot = next(e for e in events if e.kind == "viewer_ballot").data
    assert ballot["order"][0] == "sage" and ballot["order"][-1] == "skeptic"
    assert window.scene.snapshot()["members"]["sage"]["viewer"]["text"] == "You #1"
    window.close()


def test_viewer_judge_panel_frame_stands_clear_of_the_window_edges(qtbot: Any, judging: MainWindow) -> None:
    panel = judging.viewer_panel
    judging.resize(1200, 800)
    judging.show()
    qtbot.waitExposed(judging)
    arena_top = judging.arena.mapTo(judging, judging.arena.rect().topLeft()).y()
    panel.apply(Event(1, "viewer_open", 0.0, "", {"stage": 2, "kind": "review",
                                                  "labels": {"Response A": "sage", "Response B": "poet"}}))
    qtbot.wait_until(lambda: judging.arena.mapTo(judging, judging.arena.rect().topLeft()).y() > arena_top)
    frame = panel.frame.geometry()
    assert frame.left() == 14 and panel.width() - frame.right() - 1 == 14  # the gold border clear of the edges
    panel.setVisible(False)  # hidden, it takes no room
    qtbot.wait_until(lambda: judging.arena.mapTo(judging, judging.arena.rect().topLeft()).y() == arena_top)


def test_panel_refills_its_cards_from_stage_to_stage(qtbot: Any) -> None:
    """The cards are built once and refilled (building them at each stage held the GUI thread 30-40 ms);
    a refilled card starts blank and shows only its stage's controls."""
    from council_desktop.ui.viewer_judge import ViewerJudgePanel

    panel = ViewerJudgePanel()
    qtbot.addWidget(panel)
    panel.show()
    before = set(panel.findChildren(type(panel._cards[0])))
    panel.apply(Event(1, "opinion", 0.0, "", {"member": "sage", "text": "Sage's <b>answer</b>"}))
    panel.apply(Event(2, "viewer_open", 0.0, "", {"stage": 2, "kind": "review",
                                                  "labels": {"Response A": "sage", "Response B": "poet"}}))
    panel.scores["Response A"].setValue(7)
    assert panel.ballot() is not None and panel.ballot().scores == {"Response A": 7}
    card = panel._cards[0]
    assert card.text.toPlainText() == "Sage's <b>answer</b>" and card.text.isVisible()
    panel.apply(Event(3, "viewer_skipped", 0.0, "", {"stage": 2}))
    panel.apply(Event(4, "viewer_open", 0.0, "", {"stage": 4, "kind": "alliance",
                                                  "labels": {"Sage": "sage", "Poet": "poet", "Ada": "ada"}}))
    assert set(panel.findChildren(type(card))) == before  # no new widgets
    assert card.stance.isVisible() and not card.score.isVisible() and not card.text.isVisible()
    assert sum(c.isVisible() for c in panel._cards) == 3
    empty = panel.ballot()  # nothing declared yet: the last stage's score did not carry over
    assert empty is not None and empty.agree == [] and empty.disagree == [] and not empty.scores
    panel.stances["poet"].setCurrentText("ally")
    assert panel.ballot().agree == ["poet"]
    panel.apply(Event(5, "viewer_open", 0.0, "", {"stage": 6, "kind": "review", "labels": {"Response A": "poet"}}))
    assert panel.scores["Response A"].value() == 0 and sum(c.isVisible() for c in panel._cards) == 1
