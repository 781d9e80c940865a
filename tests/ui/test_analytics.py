"""Analytics and the Hall of Fame over a real seeded history: the figures shown are the hand-worked ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from council_desktop.core.achievements import BADGES
from council_desktop.services.history import HistoryService
from council_desktop.ui.analytics import AnalyticsView, HallOfFameView
from tests.history_seed import LEADERBOARD, Seeded, seed_history
from tests.ui.pages import loaded

pytestmark = pytest.mark.gui

NAMES = {"muse": "Muse", "sage": "Sage", "judge": "Judge", "rebel": "Rebel", "qwen25-05b": "Qwen"}


@pytest.fixture
def analytics(seeded: Seeded, qtbot: Any) -> AnalyticsView:
    view = AnalyticsView(HistoryService(seeded.store))
    qtbot.addWidget(view)
    view.resize(1400, 800)
    loaded(qtbot)
    return view


def test_leaderboard_table_shows_the_hand_worked_figures(analytics: AnalyticsView) -> None:
    panel = analytics.leaderboard
    order = ["muse", "sage", "judge", "rebel", "qwen25-05b"]
    assert [panel.cell(r, "Member") for r in range(5)] == [NAMES[m] for m in order]
    for r, member in enumerate(order):
        sessions, mean, scores, wins, rebuttals, badges = LEADERBOARD[member]
        assert panel.cell(r, "#") == str(r + 1)
        assert panel.cell(r, "Mean score") == f"{mean:.2f}"
        assert (panel.cell(r, "Scores"), panel.cell(r, "Sessions"), panel.cell(r, "Wins"),
                panel.cell(r, "Rebuttals"), panel.cell(r, "Badges")) == tuple(
                    str(v) for v in (scores, sessions, wins, rebuttals, badges))
    # 49/7 = 7.00, 47/7 = 6.71, 47/8 = 5.875 -> 5.88, 36/7 = 5.14, 32/7 = 4.57
    assert [panel.cell(r, "Mean score") for r in range(5)] == ["7.00", "6.71", "5.88", "5.14", "4.57"]


def test_leaderboard_bars_are_the_means_with_sessions(analytics: AnalyticsView) -> None:
    bars = analytics.leaderboard.chart_values()
    assert [(name, sessions) for name, _h, sessions in bars] == [
        ("Muse", 3), ("Sage", 3), ("Judge", 3), ("Rebel", 3), ("Qwen", 3)]
    assert [h for _n, h, _s in bars] == pytest.approx([49 / 7, 47 / 7, 47 / 8, 36 / 7, 32 / 7])
    texts = {item.toPlainText() for item in analytics.leaderboard.plot.getPlotItem().items
             if hasattr(item, "toPlainText")}
    assert {"7.00", "3 sessions"} <= texts


def test_member_history_plots_each_session(analytics: AnalyticsView, seeded: Seeded, qtbot: Any) -> None:
    panel = analytics.member_history
    panel.set_member("muse")
    loaded(qtbot)
    assert panel.series() == [(1.0, 6.0), (2.0, pytest.approx(25 / 3))]
    assert "lifetime mean 7.00" in panel.summary_label.text()
    panel.set_member("qwen25-05b")
    loaded(qtbot)
    assert [y for _x, y in panel.series()] == [3.75, pytest.approx(17 / 3)]  # the interrupted 10s do not count


def test_head_to_head_numbers(analytics: AnalyticsView, qtbot: Any) -> None:
    panel = analytics.head_to_head
    panel.set_pair("sage", "muse")
    loaded(qtbot)
    cell = panel.cell_text
    assert (panel.a_header.text(), panel.b_header.text()) == ("Sage", "Muse")
    assert (cell("Sessions together", "a"), cell("Scores given", "a"), cell("Scores given", "b")) == (
        "3", "6, 9", "8, 6")
    assert (cell("Mean score given", "a"), cell("Mean score given", "b")) == ("7.50", "7.00")
    assert (cell("Named the other an ally", "a"), cell("Named the other an ally", "b")) == ("2", "1")
    assert (cell("Disagreed with the other", "a"), cell("Disagreed with the other", "b")) == ("0", "1")
    assert (cell("Mutual alliances", "a"), cell("Mutual disagreements", "a")) == ("1", "0")
    assert (cell("Ranked higher", "a"), cell("Ranked higher", "b"), cell("Ties", "a")) == ("2", "1", "0")
    assert panel.bar_values == {"a": [7.5, 2.0, 0.0, 2.0], "b": [7.0, 1.0, 1.0, 1.0]}
    panel.set_pair("rebel", "judge")
    loaded(qtbot)
    assert (cell("Scores given", "a"), cell("Scores given", "b")) == ("6, 6", "3")  # Judge's S2 ballot was invalid
    assert (cell("Mutual disagreements", "a"), cell("Ranked higher", "a"), cell("Ranked higher", "b")) == (
        "2", "2", "1")
    panel.set_pair("rebel", "rebel")
    loaded(qtbot)
    assert panel.result is None and panel.note.text() == "Pick two different members."


def test_personality_lines_per_trait(analytics: AnalyticsView, seeded: Seeded, qtbot: Any) -> None:
    panel = analytics.personality
    panel.set_member("sage")
    loaded(qtbot)
    points = seeded.store.personality_history("sage")
    assert len(points) == 3 and set(panel.lines) == {"agreeableness", "assertiveness", "verbosity",
                                                      "contrarianism", "generosity"}
    for trait in panel.lines:
        assert panel.series(trait) == pytest.approx([getattr(p.traits, trait) for p in points])
        assert all(0.0 <= v <= 1.0 for v in panel.series(trait))


def test_everything_refreshes_when_the_history_changes(tmp_path: Path, qtbot: Any) -> None:
    seed = seed_history(tmp_path / "council.db")
    try:
        history = HistoryService(seed.store)
        view = AnalyticsView(history)
        hall = HallOfFameView(history)
        qtbot.addWidget(view)
        qtbot.addWidget(hall)
        loaded(qtbot)
        assert view.leaderboard.cell(0, "Member") == "Muse" and len(hall.holders("Unanimous")) == 1
        history.delete(seed.s2)  # emits changed: S1 alone decides the means now
        loaded(qtbot)
        assert [view.leaderboard.cell(r, "Member") for r in range(5)] == ["Sage", "Judge", "Muse", "Rebel", "Qwen"]
        assert [view.leaderboard.cell(r, "Mean score") for r in range(5)] == ["7.25", "6.75", "6.00", "4.25",
                                                                              "3.75"]
        assert view.leaderboard.cell(0, "Sessions") == "2"
        assert hall.holders("Unanimous") == [] and len(hall.holders("Iron Wall")) == 1
        view.member_history.set_member("muse")
        loaded(qtbot)
        assert view.member_history.series() == [(1.0, 6.0)]
    finally:
        seed.store.close()


def test_hall_of_fame_lists_every_badge_with_its_rule(seeded: Seeded, qtbot: Any) -> None:
    hall = HallOfFameView(HistoryService(seeded.store))
    qtbot.addWidget(hall)
    loaded(qtbot)
    assert list(hall.cards) == list(BADGES)
    for badge, rule in BADGES.items():
        assert hall.rule_text(badge) == rule
    assert [(a.name, a.topic) for a in hall.holders("Unanimous")] == [("Muse", "Is remote work here to stay?")]
    assert [a.name for a in hall.holders("Iron Wall")] == ["Sage"]
    assert hall.cards["Unanimous"].property("earned") is True and hall.cards["Rivalry"].property("earned") is False
    assert hall.subtitle.text() == "2 awards · 2 of 10 badges earned by 2 members"


def test_watch_the_moment_emits_the_session_and_event(seeded: Seeded, qtbot: Any) -> None:
    hall = HallOfFameView(HistoryService(seeded.store))
    qtbot.addWidget(hall)
    loaded(qtbot)
    moments = {a.badge: (a, b) for a, b in hall.watch_buttons}
    _award, button = moments["Iron Wall"]
    assert button.text() == "▶ Watch the moment"
    with qtbot.wait_signal(hall.replay_requested) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert blocker.args == [seeded.s1, 30]
    with qtbot.wait_signal(hall.replay_requested) as blocker:
        qtbot.mouseClick(moments["Unanimous"][1], Qt.MouseButton.LeftButton)
    assert blocker.args == [seeded.s2, 20]


def test_an_empty_history_shows_empty_states(tmp_path: Path, qtbot: Any) -> None:
    from council_desktop.storage import Store

    store = Store.open(tmp_path / "empty.db")
    try:
        history = HistoryService(store)
        view = AnalyticsView(history)
        hall = HallOfFameView(history)
        qtbot.addWidget(view)
        qtbot.addWidget(hall)
        loaded(qtbot)
        assert view.leaderboard.table.rowCount() == 0 and not view.leaderboard.empty_label.isHidden()
        assert view.leaderboard.chart_values() == []
        assert view.member_history.series() == [] and view.head_to_head.result is None
        assert all(card.property("earned") is False for card in hall.cards.values())
    finally:
        store.close()
