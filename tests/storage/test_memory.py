"""Badges earned through the store's award hook, and personalities that evolve, nudge and reset."""

from __future__ import annotations

from types import ModuleType

import pytest

from council_desktop.core.personality import NUDGES, Traits
from council_desktop.storage import StorageError, Store


def test_the_award_hook_judges_against_earlier_finished_sessions_only(store: Store, council: ModuleType) -> None:
    council.record(store)  # S1, no badges handed out
    _, e2 = council.record(store, council.DebateScript(finalize=store.award_hook()))
    s3, e3 = council.record(store, council.DebateScript(finalize=store.award_hook()))

    def awarded(events: list) -> set[tuple[str, str]]:
        return {(e.data["member"], e.data["badge"]) for e in events if e.kind == "achievement"}

    # Every default debate: Rebel (bottom two) gets two allies after its rebuttal; Muse allies with
    # three while the others declare four disagreements.
    per_session = {("rebel", "Comeback King"), ("muse", "Peacemaker")}
    # S2 must not count itself (still running when judged): Sage's second top is not yet a streak of 3.
    assert awarded(e2) == per_session
    assert awarded(e3) == per_session | {
        ("sage", "Silver Tongue"),
        ("rebel", "Rivalry"), ("sage", "Rivalry"), ("judge", "Rivalry"),
        ("sage", "Best Friends"), ("judge", "Best Friends"), ("muse", "Best Friends"),
        ("rebel", "Best Friends"), ("qwen25-05b", "Best Friends"),
    }
    fame = {(b.member, b.badge, b.session_id): b for b in store.hall_of_fame(limit=100)}
    assert len(fame) == 13
    aggregate = next(e.seq for e in e3 if e.kind == "aggregate")
    assert fame[("sage", "Silver Tongue", s3)].event_seq == aggregate
    ally = next(e.seq for e in e3 if e.kind == "alliance" and e.data["member"] == "qwen25-05b")
    assert fame[("rebel", "Comeback King", s3)].event_seq == ally  # Qwen's was the second ally's ballot
    # The achievement events come before complete, and each carries its moment.
    kinds = [e.kind for e in e3]
    assert kinds.index("complete") == len(kinds) - 1 and kinds[-2] == "achievement"


def test_personalities_evolve_once_per_session(store: Store, council: ModuleType) -> None:
    sid, events = council.record(store)
    moved = store.update_personalities(sid, events)
    assert set(moved) == set(council.IDS)
    assert store.personality("muse") == moved["muse"]
    # Muse allied with everyone it named: agreeableness moves from 0.5 towards 1 by one EMA step.
    assert moved["muse"].agreeableness == pytest.approx(0.6)
    assert store.update_personalities(sid, events) == {}  # idempotent
    assert store.personality("muse") == moved["muse"]
    history = store.personality_history("muse")
    assert [(p.session_id, p.kind, p.traits) for p in history] == [(sid, "update", moved["muse"])]
    row = store.db.execute_sql("SELECT sessions FROM model_personalities WHERE member_id = 'muse'").fetchone()
    assert row == (1,)


def test_nudges_follow_the_traits_and_reset_clears_them(store: Store, council: ModuleType) -> None:
    lone_wolf = {**council.STANCES, "rebel": ((), ("sage", "muse", "judge", "qwen25-05b"))}
    assert store.nudges_for(["rebel", "sage"]) == {"rebel": [], "sage": []}
    for _ in range(3):
        sid, events = council.record(store, council.DebateScript(stances=lone_wolf))
        store.update_personalities(sid, events)
    traits = store.personality("rebel")
    assert traits.agreeableness == pytest.approx(0.5 * 0.8 ** 3)
    assert store.traits_for(["rebel", "newcomer"]) == {"rebel": traits.as_dict()}  # shown on the avatar
    nudges = store.nudges_for(["rebel"])["rebel"]
    assert NUDGES[("agreeableness", "low")] in nudges and len(nudges) <= 2
    assert len(store.personality_history("rebel")) == 3

    # The next session carries the nudges in its roles event; the store keeps them with the session.
    sid, _ = council.record(store, council.DebateScript(nudges=store.nudges_for(council.IDS)))
    saved = store.session(sid)
    assert saved is not None and saved.nudges["rebel"] == nudges

    store.reset_personality("rebel")
    assert store.personality("rebel") == Traits()
    assert store.nudges_for(["rebel"]) == {"rebel": []}
    last = store.personality_history("rebel")[-1]
    assert (last.kind, last.session_id, last.traits) == ("reset", None, Traits())
    assert len(store.personality_history("rebel")) == 4
    assert store.personality("sage") != Traits()  # the others keep theirs


def test_update_personalities_needs_a_stored_session(store: Store, council: ModuleType) -> None:
    with pytest.raises(StorageError) as err:
        store.update_personalities("never-recorded", council.run_debate())
    assert err.value.kind == "missing"
