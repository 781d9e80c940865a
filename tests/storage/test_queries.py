"""Analytics on a seeded history, checked against values worked out by hand.

The seed (tests/history_seed.py, shared with the service and window tests): S1 a default debate (means
sage 7.25, rebel 4.25, muse 6, judge 6.75, qwen 3.75); S2 a debate
where Judge's review is invalid (means sage 18/3, rebel 19/3, muse 25/3, judge 20/4, qwen 17/3) and Muse
turns against Sage; S3 a debate cut off after four reviews (interrupted: it must count for nothing); S4
an ask session (rankings in seat order).
"""

from __future__ import annotations

from types import ModuleType

import pytest

from council_desktop.core.achievements import PastScore
from tests.history_seed import Seeded


def test_leaderboard(seeded: Seeded) -> None:
    board = seeded.store.leaderboard()
    assert [r.member for r in board] == ["muse", "sage", "judge", "rebel", "qwen25-05b"]
    got = {r.member: (r.sessions, r.mean_score, r.scores, r.wins, r.rebuttals, r.badges) for r in board}
    assert got == {
        "muse": (3, pytest.approx(49 / 7), 7, 1, 0, 1),
        "sage": (3, pytest.approx(47 / 7), 7, 1, 0, 1),
        "judge": (3, pytest.approx(47 / 8), 8, 0, 1, 0),
        "rebel": (3, pytest.approx(36 / 7), 7, 0, 1, 0),
        "qwen25-05b": (3, pytest.approx(32 / 7), 7, 0, 2, 0),
    }
    assert board[0].name == "Muse"


def test_member_history(seeded: Seeded) -> None:
    points = seeded.store.member_history("muse")
    assert [(p.session_id, p.mean_score, p.scores) for p in points] == [
        (seeded.s1, 6.0, 4), (seeded.s2, pytest.approx(25 / 3), 3)]
    assert points[1].topic == "Is remote work here to stay?"
    assert points[0].started_at < points[1].started_at
    # The interrupted session's 10s for Qwen count for nothing.
    assert [p.mean_score for p in seeded.store.member_history("qwen25-05b")] == [
        3.75, pytest.approx(17 / 3)]
    assert seeded.store.member_history("nobody") == []


def test_head_to_head_friends_who_fell_out(seeded: Seeded) -> None:
    h = seeded.store.head_to_head("sage", "muse")
    assert h.sessions == 3
    assert (h.a_scores_b, h.b_scores_a) == ((6.0, 9.0), (8.0, 6.0))
    assert (h.a_mean_to_b, h.b_mean_to_a) == (7.5, 7.0)
    assert (h.a_agrees_b, h.a_disagrees_b, h.b_agrees_a, h.b_disagrees_a) == (2, 0, 1, 1)
    assert (h.mutual_alliances, h.mutual_disagreements) == (1, 0)
    # S1 sage 7.25 > muse 6; S2 muse 8.33 > sage 6; S4 sage's average rank 1.0 beats muse's 2.5.
    assert (h.a_higher, h.b_higher, h.ties) == (2, 1, 0)


def test_head_to_head_rivals(seeded: Seeded) -> None:
    h = seeded.store.head_to_head("rebel", "judge")
    assert (h.a_scores_b, h.b_scores_a) == ((6.0, 6.0), (3.0,))  # Judge's S2 ballot was invalid
    assert (h.a_disagrees_b, h.b_disagrees_a, h.mutual_disagreements, h.mutual_alliances) == (2, 2, 2, 0)
    # S1 judge 6.75 > rebel 4.25; S2 rebel 6.33 > judge 5; S4 rebel's average rank 1.75 beats 3.25.
    assert (h.a_higher, h.b_higher, h.ties) == (2, 1, 0)
    assert seeded.store.head_to_head("judge", "rebel").b_higher == 2


def test_hall_of_fame(seeded: Seeded) -> None:
    fame = seeded.store.hall_of_fame()
    assert [(b.member, b.badge, b.session_id, b.event_seq) for b in fame] == [
        ("muse", "Unanimous", seeded.s2, 20), ("sage", "Iron Wall", seeded.s1, 30)]
    assert (fame[0].name, fame[0].reason, fame[0].topic) == ("Muse", "Top of every ballot.",
                                                            "Is remote work here to stay?")
    assert [b.badge for b in seeded.store.hall_of_fame(member="sage")] == ["Iron Wall"]
    assert [b.badge for b in seeded.store.hall_of_fame(limit=1)] == ["Unanimous"]


def test_history_for_the_badges(seeded: Seeded, council: ModuleType) -> None:
    h = seeded.store.history(council.IDS)
    assert h.recent["sage"] == (PastScore(seeded.s1, 7.25, True), PastScore(seeded.s2, 6.0, False))
    assert [p.top for p in h.recent["muse"]] == [False, True]
    assert (h.win_streak("muse"), h.win_streak("sage")) == (1, 0)
    assert h.valid_sessions == {"sage": 3, "rebel": 3, "muse": 3, "judge": 2, "qwen25-05b": 3}
    assert h.lifetime_means == pytest.approx({"sage": 47 / 7, "rebel": 36 / 7, "muse": 7.0, "judge": 47 / 8,
                                              "qwen25-05b": 32 / 7})
    assert h.leaderboard == ["muse", "sage", "judge", "rebel", "qwen25-05b"]
    assert h.mutual_disagreements == {("rebel", "sage"): 2, ("judge", "rebel"): 2}
    assert h.mutual_alliances == {("judge", "sage"): 2, ("muse", "sage"): 1, ("qwen25-05b", "rebel"): 2}

    without_s2 = seeded.store.history(council.IDS, exclude_session=seeded.s2)
    assert without_s2.lifetime_means == pytest.approx({"sage": 7.25, "rebel": 4.25, "muse": 6.0, "judge": 6.75,
                                                       "qwen25-05b": 3.75})
    only_two = seeded.store.history(["sage", "muse"])
    assert set(only_two.lifetime_means) == {"sage", "muse"} and only_two.mutual_disagreements == {}
