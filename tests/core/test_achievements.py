"""The ten badges: each one earned by a session built for it, and narrowly missed by a near copy."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from council_desktop.core.achievements import (
    BADGES,
    RULES,
    Award,
    History,
    PastScore,
    evaluate,
    make_finalize,
    pair,
    spearman,
    valid_output,
)
from council_desktop.core.events import Event, EventLog

MEMBERS = ("a", "b", "c", "d", "e")

# The base session earns no badge. Means received: a 6.25, b 5, c 6.5 (top), d 4, e 3 (d, e bottom two).
BASE_SCORES: dict[str, dict[str, float]] = {
    "a": {"b": 5, "c": 7, "d": 4, "e": 3},
    "b": {"a": 7, "c": 6, "d": 4, "e": 3},
    "c": {"a": 6, "b": 5, "d": 4, "e": 3},
    "d": {"a": 6, "b": 5, "c": 6, "e": 3},
    "e": {"a": 6, "b": 5, "c": 7, "d": 4},
}
BASE_STANCES: dict[str, tuple[Sequence[str], Sequence[str]]] = {
    "a": (("c",), ()),
    "b": (("a",), ()),
    "c": (("a",), ()),
    "d": ((), ("e",)),
    "e": (("c",), ()),
}


def session(scores: Mapping[str, Mapping[str, float]] | None = None,
            stances: Mapping[str, tuple[Sequence[str], Sequence[str]]] | None = None,
            *, invalid_reviews: Sequence[str] = (), invalid_stances: Sequence[str] = (),
            rebuttals: Sequence[str] | None = None, bottom: Sequence[str] | None = None,
            failed: Sequence[str] = (), mode: str = "debate",
            orders: Mapping[str, Sequence[str]] | None = None) -> list[Event]:
    """One session's events, shaped as the orchestrator emits them."""
    scores = BASE_SCORES if scores is None else scores
    stances = BASE_STANCES if stances is None else stances
    log = EventLog()
    log.emit("roles", mode=mode, seed=1, proposer="a", chairman="b", nudges={},
             members=[{"id": m, "name": m.upper(), "model": "m.gguf", "persona": "", "color": "#fff",
                       "status": "ok"} for m in MEMBERS])
    log.emit("stage", index=0, name="topic")
    log.emit("topic", member=None, text="Is tea better than coffee?", tokens=0, seconds=0.0)
    log.emit("stage", index=1, name="opinions" if mode == "debate" else "answers")
    for m in failed:
        log.emit("member_failed", member=m, stage=1, reason="scripted")
    active = [m for m in MEMBERS if m not in failed]
    for m in active:
        log.emit("opinion" if mode == "debate" else "answer", member=m, text=f"{m} speaks", tokens=40,
                 seconds=1.0)
    log.emit("stage", index=2, name="review" if mode == "debate" else "ranking")
    if mode == "ask":
        for r in active:
            order = list((orders or {}).get(r, [t for t in active if t != r]))
            log.emit("ranking", reviewer=r, labels={}, order=order, valid=r not in invalid_reviews,
                     reason="", raw="")
        log.emit("stage", index=3, name="chairman")
        log.emit("synthesis", member="b", chairman="b", text="done", tokens=60, seconds=1.0)
        return log.events
    for r in active:
        ok = r not in invalid_reviews
        rows = [{"target": t, "label": f"Response {'ABCD'[i]}", "score": s if ok else None}
                for i, (t, s) in enumerate(scores.get(r, {}).items()) if t in active]
        log.emit("review", reviewer=r, labels={}, scores=rows, valid=ok, reason="" if ok else "bad", raw="")
    if bottom is None:
        bottom = ["e", "d"]
    log.emit("aggregate", rows=[], bottom=list(bottom))
    log.emit("stage", index=3, name="rebuttals")
    for m in (bottom if rebuttals is None else rebuttals):
        log.emit("rebuttal", member=m, text=f"{m} rebuts", tokens=30, seconds=1.0)
    log.emit("stage", index=4, name="alliances")
    for m in active:
        agree, disagree = stances.get(m, ((), ()))
        ok = m not in invalid_stances
        log.emit("alliance", member=m, agree=list(agree) if ok else [], disagree=list(disagree) if ok else [],
                 valid=ok, reason="", raw="")
    log.emit("stage", index=5, name="synthesis")
    log.emit("synthesis", member="b", chairman="b", text="done", tokens=60, seconds=1.0)
    return log.events


def badges(events: Sequence[Event], history: History | None = None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for award in evaluate(events, history or History()):
        out.setdefault(award.badge, []).append(award.member)
    return out


def seq_of(events: Sequence[Event], kind: str, **match: object) -> int:
    return next(e.seq for e in events if e.kind == kind and all(e.data.get(k) == v for k, v in match.items()))


def with_scores(**ballots: dict[str, float]) -> dict[str, dict[str, float]]:
    out = {r: dict(s) for r, s in BASE_SCORES.items()}
    for r, s in ballots.items():
        out[r].update(s)
    return out


def with_stances(**stances: tuple[Sequence[str], Sequence[str]]) -> dict[str, tuple[Sequence[str], Sequence[str]]]:
    return {**BASE_STANCES, **stances}


def test_every_badge_has_a_rule_text_and_a_rule() -> None:
    assert len(BADGES) == 10
    assert list(BADGES) == list(RULES)
    assert all(len(text) > 20 for text in BADGES.values())


def test_the_base_session_earns_nothing() -> None:
    assert evaluate(session(), History()) == []


# -- Comeback King ---------------------------------------------------------------------------------

def test_comeback_king_bottom_two_then_two_allies_after_the_rebuttal() -> None:
    events = session(stances=with_stances(a=(("c", "d"), ()), b=(("a", "d"), ())))
    awards = [a for a in evaluate(events, History()) if a.badge == "Comeback King"]
    assert [a.member for a in awards] == ["d"]
    # The moment is the second ally's ballot (b's), not the first (a's).
    assert awards[0].event_seq == seq_of(events, "alliance", member="b")
    assert "A, B" in awards[0].reason


def test_comeback_king_needs_two_distinct_allies() -> None:
    events = session(stances=with_stances(a=(("c", "d"), ())))
    assert "Comeback King" not in badges(events)


def test_comeback_king_needs_a_rebuttal() -> None:
    events = session(stances=with_stances(a=(("c", "d"), ()), b=(("a", "d"), ())), rebuttals=["e"])
    assert "Comeback King" not in badges(events)


def test_comeback_king_needs_the_bottom_two() -> None:
    # b has allies a and c, but was not in the bottom two.
    events = session(stances=with_stances(a=(("c", "b"), ()), c=(("a", "b"), ())), rebuttals=["e", "d", "b"])
    assert "Comeback King" not in badges(events)


def test_comeback_king_ignores_invalid_ballots() -> None:
    events = session(stances=with_stances(a=(("c", "d"), ()), b=(("a", "d"), ())), invalid_stances=["b"])
    assert "Comeback King" not in badges(events)


# -- Unanimous -------------------------------------------------------------------------------------

UNANIMOUS_C = with_scores(b={"a": 6, "c": 7}, d={"a": 6, "c": 7})


def test_unanimous_single_highest_on_every_valid_ballot() -> None:
    events = session(UNANIMOUS_C)
    awards = [a for a in evaluate(events, History()) if a.badge == "Unanimous"]
    assert [a.member for a in awards] == ["c"]
    assert awards[0].event_seq == seq_of(events, "review", reviewer="e")


def test_unanimous_not_when_one_ballot_ties_at_the_top() -> None:
    events = session(with_scores(b={"a": 6, "c": 7}, d={"a": 7, "c": 7}))
    assert "Unanimous" not in badges(events)


def test_unanimous_counts_only_valid_ballots_and_needs_three() -> None:
    # d's ballot (a tie at the top) is invalid: the other three valid ballots make it.
    tie = with_scores(b={"a": 6, "c": 7}, d={"a": 7, "c": 7})
    assert badges(session(tie, invalid_reviews=["d"]))["Unanimous"] == ["c"]
    # With two valid ballots left it is not enough.
    assert "Unanimous" not in badges(session(UNANIMOUS_C, invalid_reviews=["d", "e"]))


def test_unanimous_in_ask_mode_means_ranked_first_by_all() -> None:
    orders = {"a": ["c", "b", "d", "e"], "b": ["c", "a", "d", "e"], "d": ["c", "a", "b", "e"],
              "e": ["c", "a", "b", "d"], "c": ["a", "b", "d", "e"]}
    assert badges(session(mode="ask", orders=orders))["Unanimous"] == ["c"]
    assert "Unanimous" not in badges(session(mode="ask", orders={**orders, "e": ["a", "c", "b", "d"]}))


# -- Contrarian ------------------------------------------------------------------------------------

LIKED = with_stances(a=((), ("b", "c", "d")), b=(("c", "d"), ()), c=(("b", "d"), ()), d=(("b", "c"), ()),
                     e=(("b", "c", "d"), ()))


def test_contrarian_three_disagreements_against_the_majority() -> None:
    events = session(stances=LIKED)
    awards = [x for x in evaluate(events, History()) if x.badge == "Contrarian"]
    assert [x.member for x in awards] == ["a"]
    assert awards[0].event_seq == seq_of(events, "alliance", member="a")


def test_contrarian_not_when_one_disagreement_follows_the_majority() -> None:
    # Nobody allies with e: disagreeing with e is not contrarian, so only two count.
    stances = {**LIKED, "a": ((), ("b", "c", "e"))}
    assert "Contrarian" not in badges(session(stances=stances))


def test_contrarian_majority_must_be_strict() -> None:
    # About d, only c of the other three ballots (b, c, e) allies with it: one of three is no majority.
    stances = {**LIKED, "b": (("c",), ()), "e": (("b", "c"), ())}
    assert "Contrarian" not in badges(session(stances=stances))


def test_contrarian_scores_against_the_consensus() -> None:
    # e's scores run against the others' means (a 6.33, b 5, c 6.33, d 4): Spearman -0.95.
    events = session(with_scores(e={"a": 3, "b": 5, "c": 2, "d": 7}))
    awards = [x for x in evaluate(events, History()) if x.badge == "Contrarian"]
    assert [x.member for x in awards] == ["e"]
    assert awards[0].event_seq == seq_of(events, "review", reviewer="e")
    assert "-0.95" in awards[0].reason


def test_contrarian_not_when_the_correlation_is_just_above_the_threshold() -> None:
    others = [19 / 3, 5, 19 / 3, 4]
    rho = spearman([1, 2, 1, 1], others)
    assert rho is not None and -0.3 < rho < -0.25
    assert "Contrarian" not in badges(session(with_scores(e={"a": 1, "b": 2, "c": 1, "d": 1})))


def test_spearman_matches_hand_values() -> None:
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert spearman([3, 5, 2, 7], [19 / 3, 5, 19 / 3, 4]) == pytest.approx(-4.5 / (22.5 ** 0.5))
    assert spearman([5, 5, 5], [1, 2, 3]) is None


# -- Peacemaker ------------------------------------------------------------------------------------

def test_peacemaker_three_alliances_no_disagreement_in_a_quarrelsome_session() -> None:
    events = session(stances=with_stances(e=(("a", "b", "c"), ()), d=((), ("a", "b", "c"))))
    awards = [x for x in evaluate(events, History()) if x.badge == "Peacemaker"]
    assert [x.member for x in awards] == ["e"]
    assert awards[0].event_seq == seq_of(events, "alliance", member="e")


def test_peacemaker_not_when_the_session_had_only_two_disagreements() -> None:
    events = session(stances=with_stances(e=(("a", "b", "c"), ()), d=((), ("a", "b"))))
    assert "Peacemaker" not in badges(events)


def test_peacemaker_not_with_a_single_disagreement_of_its_own() -> None:
    events = session(stances=with_stances(e=(("a", "b", "c"), ("d",)), d=((), ("a", "b", "c"))))
    assert "Peacemaker" not in badges(events)


# -- Iron Wall ---------------------------------------------------------------------------------------

IRON_C = with_scores(b={"c": 7}, c={}, d={"c": 8})


def test_iron_wall_every_score_seven_or_more_and_no_disagreement() -> None:
    events = session(IRON_C)
    awards = [x for x in evaluate(events, History()) if x.badge == "Iron Wall"]
    assert [x.member for x in awards] == ["c"]
    assert awards[0].event_seq == seq_of(events, "alliance", member="e")  # the last ballot settles it


def test_iron_wall_not_with_one_six() -> None:
    assert "Iron Wall" not in badges(session(with_scores(b={"c": 7}, d={"c": 6})))


def test_iron_wall_not_when_someone_disagrees() -> None:
    assert "Iron Wall" not in badges(session(IRON_C, stances=with_stances(d=((), ("e", "c")))))


# -- Silver Tongue ---------------------------------------------------------------------------------

# a and c share the top: a 7+6+7+6 and c 7+7+5+7, both 6.5.
TIED = with_scores(b={"c": 7}, d={"a": 7, "c": 5})


def streak(*tops: bool) -> list[PastScore]:
    return [PastScore(f"s{i}", 6.0, t) for i, t in enumerate(tops)]


def test_silver_tongue_top_three_sessions_in_a_row() -> None:
    events = session()
    awards = [x for x in evaluate(events, History(recent={"c": streak(False, True, True)}))
              if x.badge == "Silver Tongue"]
    assert [x.member for x in awards] == ["c"]
    assert awards[0].event_seq == seq_of(events, "aggregate")


def test_silver_tongue_not_when_the_streak_was_broken() -> None:
    assert "Silver Tongue" not in badges(session(), History(recent={"c": streak(True, False, True)}))


def test_silver_tongue_not_again_on_the_fourth_win() -> None:
    assert "Silver Tongue" not in badges(session(), History(recent={"c": streak(True, True, True)}))


def test_silver_tongue_not_when_not_top_now() -> None:
    assert "Silver Tongue" not in badges(session(), History(recent={"a": streak(True, True)}))


def test_silver_tongue_shared_top_counts() -> None:
    history = History(recent={"a": streak(True, True), "c": streak(True, True)})
    assert sorted(badges(session(TIED), history)["Silver Tongue"]) == ["a", "c"]


# -- Workhorse ---------------------------------------------------------------------------------------

def test_workhorse_on_the_twenty_fifth_all_valid_session() -> None:
    events = session()
    awards = [x for x in evaluate(events, History(valid_sessions={"c": 24, "a": 23, "b": 25}))
              if x.badge == "Workhorse"]
    assert [x.member for x in awards] == ["c"]
    assert awards[0].event_seq == events[-1].seq


def test_workhorse_not_with_one_invalid_ballot() -> None:
    assert "Workhorse" not in badges(session(invalid_stances=["c"]), History(valid_sessions={"c": 24}))
    assert "Workhorse" not in badges(session(invalid_reviews=["c"]), History(valid_sessions={"c": 24}))


def test_workhorse_not_for_a_failed_member() -> None:
    assert "Workhorse" not in badges(session(failed=["c"]), History(valid_sessions={"c": 24}))


def test_valid_output_per_member() -> None:
    ok = valid_output(session(invalid_reviews=["a"], invalid_stances=["b"], failed=["c"]))
    assert ok == {"a": False, "b": False, "c": False, "d": True, "e": True}


# -- Dark Horse --------------------------------------------------------------------------------------

def test_dark_horse_last_before_first_now() -> None:
    events = session()
    awards = [x for x in evaluate(events, History(lifetime_means={"a": 6.0, "b": 5.0, "c": 3.0, "z": 1.0}))
              if x.badge == "Dark Horse"]
    # z is not in this session, so c is last among the members present.
    assert [x.member for x in awards] == ["c"]
    assert awards[0].event_seq == seq_of(events, "aggregate")


def test_dark_horse_not_when_tied_for_last() -> None:
    assert "Dark Horse" not in badges(session(), History(lifetime_means={"a": 6.0, "d": 3.0, "c": 3.0}))


def test_dark_horse_needs_three_ranked_members() -> None:
    assert "Dark Horse" not in badges(session(), History(lifetime_means={"a": 6.0, "c": 3.0}))


def test_dark_horse_not_when_sharing_the_top() -> None:
    assert "Dark Horse" not in badges(session(TIED), History(lifetime_means={"a": 6.0, "b": 5.0, "c": 3.0}))


# -- Rivalry / Best Friends ---------------------------------------------------------------------------

RIVALS = with_stances(a=(("c",), ("b",)), b=((), ("a",)))


def test_rivalry_third_mutual_disagreement_for_both() -> None:
    events = session(stances=RIVALS)
    awards = [x for x in evaluate(events, History(mutual_disagreements={pair("b", "a"): 2}))
              if x.badge == "Rivalry"]
    assert sorted(x.member for x in awards) == ["a", "b"]
    assert {x.event_seq for x in awards} == {seq_of(events, "alliance", member="b")}
    assert any("B" in x.reason for x in awards if x.member == "a")


def test_rivalry_not_on_the_second_session() -> None:
    assert "Rivalry" not in badges(session(stances=RIVALS), History(mutual_disagreements={("a", "b"): 1}))


def test_rivalry_not_when_one_sided() -> None:
    one_sided = with_stances(a=(("c",), ("b",)))
    assert "Rivalry" not in badges(session(stances=one_sided), History(mutual_disagreements={("a", "b"): 2}))


def test_best_friends_third_mutual_alliance() -> None:
    # a and c name each other in the base session.
    assert sorted(badges(session(), History(mutual_alliances={("a", "c"): 2}))["Best Friends"]) == ["a", "c"]
    assert "Best Friends" not in badges(session(), History(mutual_alliances={("a", "c"): 1}))
    assert "Best Friends" not in badges(session(), History(mutual_alliances={("a", "c"): 3}))


# -- evaluate / finalize -----------------------------------------------------------------------------

def test_evaluate_is_idempotent_per_member_and_badge() -> None:
    events = session(UNANIMOUS_C)
    first = evaluate(events, History())
    assert first and len({(a.member, a.badge) for a in first}) == len(first)
    log = EventLog()
    for e in events:
        log.emit(e.kind, **e.data)
    for a in first:
        log.emit("achievement", **a.to_data())
    assert evaluate(log.events, History()) == []


def test_make_finalize_asks_history_for_the_session_members() -> None:
    asked: list[list[str]] = []

    def history_for(ids: Sequence[str]) -> History:
        asked.append(list(ids))
        return History(valid_sessions={"c": 24})

    awards = make_finalize(history_for)(session())
    assert asked == [list(MEMBERS)]
    assert awards == [Award("c", "Workhorse", awards[0].reason, session()[-1].seq)]
    assert awards[0].to_data() == {"member": "c", "badge": "Workhorse", "reason": awards[0].reason,
                                   "event_seq": awards[0].event_seq}
