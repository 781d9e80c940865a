"""Personalities: observations from one session, the bounded EMA, and the nudges the traits give."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pytest

from council_desktop.core.events import Event, EventLog
from council_desktop.core.personality import (
    ALPHA,
    NUDGES,
    TRAITS,
    Traits,
    evolve,
    nudges,
    observe,
    update,
)

MEMBERS = ("a", "b", "c", "d")
TOKENS = {"a": 80, "b": 20, "c": 20, "d": 40}  # opinion tokens: the mean is 40
SCORES = {"a": {"b": 10, "c": 1, "d": 6}, "b": {"a": 4, "c": 4, "d": 4}, "c": {"a": 4, "b": 4, "d": 4},
          "d": {"a": 4, "b": 4, "c": 4}}
STANCES = {"a": (("b", "c"), ("d",)), "b": (("c", "d"), ()), "c": (("b", "d"), ()), "d": (("b", "c"), ())}


def session(scores: Mapping[str, Mapping[str, float]] = SCORES,
            stances: Mapping[str, tuple[Sequence[str], Sequence[str]]] = STANCES,
            tokens: Mapping[str, int] = TOKENS, failed: Sequence[str] = ()) -> list[Event]:
    log = EventLog()
    log.emit("roles", mode="debate", seed=0, proposer="a", chairman="d", nudges={},
             members=[{"id": m, "name": m.upper(), "model": "x", "persona": "", "color": "#fff", "status": "ok"}
                      for m in MEMBERS])
    log.emit("stage", index=1, name="opinions")
    for m in failed:
        log.emit("member_failed", member=m, stage=1, reason="scripted")
    for m in MEMBERS:
        if m not in failed:
            log.emit("opinion", member=m, text="...", tokens=tokens[m], seconds=1.0)
    log.emit("stage", index=2, name="review")
    for r, row in scores.items():
        if r not in failed:
            log.emit("review", reviewer=r, labels={}, valid=True, reason="", raw="",
                     scores=[{"target": t, "label": "", "score": s} for t, s in row.items() if t not in failed])
    log.emit("stage", index=4, name="alliances")
    for m, (agree, disagree) in stances.items():
        if m not in failed:
            log.emit("alliance", member=m, agree=list(agree), disagree=list(disagree), valid=True, reason="",
                     raw="")
    log.emit("stage", index=5, name="synthesis")
    log.emit("synthesis", member="d", chairman="d", text="...", tokens=150, seconds=2.0)
    return log.events


def test_observations_match_the_documented_formulas() -> None:
    obs = observe(session())
    a = obs["a"]
    assert a["agreeableness"] == pytest.approx(2 / 3)
    # Stances declared 3 of 3 others; scores 10, 1, 6 sit 4.5, 4.5, 0.5 from the middle.
    assert a["assertiveness"] == pytest.approx((1.0 + (9.5 / 3) / 4.5) / 2)
    assert a["verbosity"] == pytest.approx(1.0)  # twice the council's mean opinion length
    # One stance (against d) of three opposes the others' majority; its scores' correlation with the
    # others' is undefined (they gave everyone 4), so only the stance part counts.
    assert a["contrarianism"] == pytest.approx(1 / 3)
    assert a["generosity"] == pytest.approx(0.5 + (17 / 3 - 4) / 6)
    assert obs["b"]["verbosity"] == pytest.approx(0.0)  # half the mean
    assert obs["b"]["agreeableness"] == pytest.approx(1.0)
    assert obs["b"]["generosity"] == pytest.approx(0.5 + (4 - 41 / 9) / 6)
    # The chairman's long synthesis is the only one of its kind: it does not make d chatty.
    assert obs["d"]["verbosity"] == pytest.approx(0.5)


def test_contrarianism_reads_the_score_correlation() -> None:
    scores = {"a": {"b": 2, "c": 5, "d": 9}, "b": {"a": 5, "c": 6, "d": 3}, "c": {"a": 5, "b": 8, "d": 4},
              "d": {"a": 5, "b": 8, "c": 6}}
    obs = observe(session(scores=scores, stances={}))
    # a's scores (2, 5, 9) against the others' means (8, 6, 3.5): rho = -1, so (1 - rho) / 2 = 1.
    assert obs["a"]["contrarianism"] == pytest.approx(1.0)
    assert "agreeableness" not in obs["a"]


def test_a_member_without_evidence_is_left_out() -> None:
    events = session(failed=["c"], tokens={**TOKENS, "c": 0})
    assert "c" not in observe(events)
    assert "c" not in evolve({}, events)


def test_update_is_one_ema_step() -> None:
    t = update(Traits(), {"agreeableness": 1.0, "generosity": 0.0})
    assert t.agreeableness == pytest.approx(0.5 * (1 - ALPHA) + ALPHA)
    assert t.generosity == pytest.approx(0.5 * (1 - ALPHA))
    assert (t.assertiveness, t.verbosity, t.contrarianism) == (0.5, 0.5, 0.5)


@pytest.mark.parametrize("observed", [7.0, -3.0, 1.0, 0.0, math.inf])
def test_traits_stay_bounded(observed: float) -> None:
    t = Traits()
    for _ in range(200):
        t = update(t, dict.fromkeys(TRAITS, observed), alpha=0.9)
        assert all(0.0 <= v <= 1.0 for v in t.as_dict().values())


def test_from_mapping_clips_and_fills() -> None:
    assert Traits.from_mapping({"verbosity": 3, "generosity": -1}) == Traits(verbosity=1.0, generosity=0.0)


def test_neutral_traits_give_no_nudge() -> None:
    assert nudges(Traits()) == []


def test_nudge_bands() -> None:
    assert nudges(Traits(contrarianism=0.69)) == []
    assert nudges(Traits(contrarianism=0.7)) == [
        "You have a reputation for challenging the consensus; keep doing so when you have reason."]
    assert nudges(Traits(verbosity=0.3)) == [NUDGES[("verbosity", "low")]]
    assert nudges(Traits(verbosity=0.31)) == []


def test_at_most_two_nudges_most_extreme_first() -> None:
    t = Traits(agreeableness=0.75, verbosity=0.05, generosity=0.8)
    assert nudges(t) == [NUDGES[("verbosity", "low")], NUDGES[("generosity", "high")]]
    assert all(len(s) < 120 and s.endswith(".") for s in NUDGES.values())


def test_consistent_behaviour_earns_a_nudge_after_three_sessions() -> None:
    # b always disagrees with everyone the others like.
    stances = {**STANCES, "b": ((), ("a", "c", "d"))}
    current: dict[str, Traits] = {}
    seen = []
    for _ in range(4):
        current = {**current, **evolve(current, session(stances=stances))}
        seen.append(nudges(current["b"]))
    assert seen[0] == [] and seen[1] == []
    assert NUDGES[("contrarianism", "high")] in seen[2] or NUDGES[("agreeableness", "low")] in seen[2]
    assert current["b"].agreeableness < 0.3
