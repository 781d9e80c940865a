"""HistoryService over a real SQLite history seeded through Store.recorder: plain values, exports, signals.

The seed (``seed_history``, also used by the window tests) is the storage analytics seed: S1 a default
debate (Iron Wall for Sage), S2 a debate where Judge's review is invalid and Muse turns against Sage
(Unanimous for Muse), S3 a debate cut off after 20 events (interrupted), S4 an ask session; personalities
updated after S1, S2 and S4. Hand-worked figures (finished sessions only): mean received scores Muse 49/7,
Sage 47/7, Judge 47/8, Rebel 36/7, Qwen 32/7.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from council_desktop.core.achievements import BADGES
from council_desktop.services.history import HistoryError, HistoryService
from tests.history_seed import LEADERBOARD, S2_TOPIC, Seeded

pytestmark = pytest.mark.gui

@pytest.fixture
def history(seeded: Seeded, qapp: Any) -> HistoryService:
    return HistoryService(seeded.store)


def test_sessions_newest_first_with_names_and_counts(history: HistoryService, seeded: Seeded) -> None:
    rows = history.sessions()
    assert [r.id for r in rows] == [seeded.s4, seeded.s3, seeded.s2, seeded.s1]
    by_id = {r.id: r for r in rows}
    s2 = by_id[seeded.s2]
    assert (s2.mode, s2.topic, s2.status, s2.chairman, s2.chairman_name) == ("debate", S2_TOPIC, "finished",
                                                                              "judge", "Judge")
    assert s2.members_text == "5 of 5" and s2.names["qwen25-05b"] == "Qwen"
    assert by_id[seeded.s3].status == "interrupted" and by_id[seeded.s4].mode == "ask"


def test_search_filters_and_limit(history: HistoryService, seeded: Seeded) -> None:
    assert [r.id for r in history.sessions("remote work")] == [seeded.s2]
    assert [r.id for r in history.sessions("  never  finished ")] == [seeded.s3]
    assert history.sessions("no such words anywhere") == []
    assert len(history.sessions(limit=2)) == 2
    assert history.latest_session_id() == seeded.s4


def test_events_of_an_interrupted_session_stop_at_the_last_recorded_one(history: HistoryService,
                                                                        seeded: Seeded) -> None:
    events = history.events(seeded.s3)
    assert events[0].kind == "roles"
    assert any(e.kind == "turn_started" for e in events)  # the replay wants them
    assert not any(e.kind in ("token", "complete") for e in events)
    assert [e.seq for e in events] == sorted(e.seq for e in events)
    assert events == seeded.store.load_events(seeded.s3)
    finished = history.events(seeded.s1)
    assert [e.kind for e in finished].count("complete") == 1 and finished[-1].data["status"] == "finished"


def test_leaderboard_matches_the_hand_worked_figures(history: HistoryService) -> None:
    board = history.leaderboard()
    assert [e.member for e in board] == ["muse", "sage", "judge", "rebel", "qwen25-05b"]
    for e in board:
        sessions, mean, scores, wins, rebuttals, badges = LEADERBOARD[e.member]
        assert (e.sessions, e.scores, e.wins, e.rebuttals, e.badges) == (sessions, scores, wins, rebuttals, badges)
        assert e.mean_score == pytest.approx(mean)
    assert board[0].name == "Muse" and board[0].color == "#bb9af7"
    assert [(m.id, m.name) for m in history.members()][:2] == [("muse", "Muse"), ("sage", "Sage")]


def test_member_history_and_head_to_head(history: HistoryService, seeded: Seeded) -> None:
    points = history.member_history("muse")
    assert [(p.session_id, p.scores) for p in points] == [(seeded.s1, 4), (seeded.s2, 3)]
    assert [p.mean_score for p in points] == [6.0, pytest.approx(25 / 3)]
    h = history.head_to_head("sage", "muse")
    assert (h.a_name, h.b_name, h.sessions) == ("Sage", "Muse", 3)
    assert (h.a_scores_b, h.b_scores_a, h.a_mean_to_b, h.b_mean_to_a) == ((6.0, 9.0), (8.0, 6.0), 7.5, 7.0)
    assert (h.a_agrees_b, h.a_disagrees_b, h.b_agrees_a, h.b_disagrees_a) == (2, 0, 1, 1)
    assert (h.mutual_alliances, h.mutual_disagreements, h.a_higher, h.b_higher, h.ties) == (1, 0, 2, 1, 0)


def test_personality_history_is_plain_traits(history: HistoryService, seeded: Seeded) -> None:
    points = history.personality_history("sage")
    assert [p.session_id for p in points] == [seeded.s1, seeded.s2, seeded.s4]
    assert all(list(p.traits) == ["agreeableness", "assertiveness", "verbosity", "contrarianism", "generosity"]
               for p in points)
    assert all(0.0 <= v <= 1.0 for p in points for v in p.traits.values())
    assert points[0].traits != points[-1].traits  # it moved


def test_hall_of_fame_and_badge_rules(history: HistoryService, seeded: Seeded) -> None:
    fame = history.hall_of_fame()
    assert [(b.member, b.name, b.badge, b.session_id, b.event_seq) for b in fame] == [
        ("muse", "Muse", "Unanimous", seeded.s2, 20), ("sage", "Sage", "Iron Wall", seeded.s1, 30)]
    assert fame[0].topic == S2_TOPIC
    assert history.badges() == BADGES and len(history.badges()) == 10


def test_export_every_format(history: HistoryService, seeded: Seeded, tmp_path: Path) -> None:
    md = history.export(seeded.s2, tmp_path / "s2.md")
    assert S2_TOPIC in md.read_text(encoding="utf-8")
    doc = json.loads(history.export(seeded.s2, tmp_path / "s2.json").read_text(encoding="utf-8"))
    assert (doc["format"], doc["session_id"], doc["status"], doc["topic"]) == (
        "council-transcript/1", seeded.s2, "finished", S2_TOPIC)
    assert len(doc["stages"]) == 6 and doc["synthesis"]["member"] == "judge"
    assert "<html" in history.export(seeded.s1, tmp_path / "s1.html").read_text(encoding="utf-8").lower()


def test_an_unfinished_session_exports_as_interrupted(history: HistoryService, seeded: Seeded,
                                                      tmp_path: Path) -> None:
    doc = json.loads(history.export(seeded.s3, tmp_path / "s3.json").read_text(encoding="utf-8"))
    assert doc["status"] == "interrupted" and doc["topic"] == "A debate the app never finished"
    assert doc["synthesis"] is None


def test_export_errors_are_history_errors(history: HistoryService, seeded: Seeded, tmp_path: Path) -> None:
    with pytest.raises(HistoryError, match="no session"):
        history.export("nope", tmp_path / "x.md")
    with pytest.raises(HistoryError, match=r"\.txt"):
        history.export(seeded.s1, tmp_path / "x.txt")
    assert not list(tmp_path.iterdir())


def test_delete_emits_changed_and_removes(fresh: Seeded, qtbot: Any) -> None:
    history = HistoryService(fresh.store)
    with qtbot.wait_signal(history.changed):
        assert history.delete(fresh.s2)
    assert fresh.s2 not in [r.id for r in history.sessions()]
    assert [b.badge for b in history.hall_of_fame()] == ["Iron Wall"]  # its badge went with it
    with qtbot.assert_not_emitted(history.changed):
        assert not history.delete(fresh.s2)
    with qtbot.wait_signal(history.changed):
        history.notify_session_finished()


def test_a_broken_history_reads_as_history_error(fresh: Seeded, qapp: Any) -> None:
    history = HistoryService(fresh.store)
    fresh.store.db.execute_sql("DROP TABLE peer_reviews")
    with pytest.raises(HistoryError):
        history.leaderboard()
