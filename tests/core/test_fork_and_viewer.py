"""Forks (re-run from a stage) and the viewer as a sixth judge, driven by the scripted backend."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from council_desktop.core.audit import Ballot, audit, spearman
from council_desktop.core.events import Event, EventLog
from council_desktop.core.fork import ForkStart, fork_prefix, restore
from council_desktop.core.pipeline import Orchestrator, SessionPlan
from council_desktop.core.speech import SpeechPolicy
from council_desktop.core.types import CouncilError
from council_desktop.core.viewer import (
    ViewerBallot,
    ViewerBallotError,
    ViewerInbox,
    agreement,
    kindred_spirit,
)
from tests.scripted import ScriptedBackend, members


def run(plan: SessionPlan, backend: ScriptedBackend | None = None,
        sinks: list | None = None) -> tuple[str, list[Event]]:
    log = EventLog(sinks or [])
    outcome = asyncio.run(Orchestrator(plan, backend or ScriptedBackend(), log).run())
    return outcome.status, log.events


def parent_debate() -> list[Event]:
    status, events = run(SessionPlan("debate", members(), topic="Should robots vote?", seed=5, chairman=0))
    assert status == "finished"
    return events


@pytest.mark.parametrize("stage", [1, 2, 3, 4, 5])
def test_a_fork_copies_the_parents_events_before_the_stage_and_runs_the_rest(stage: int) -> None:
    parent = parent_debate()
    prefix = fork_prefix(parent, stage)
    assert prefix and prefix[-1].seq < next(e.seq for e in parent if e.kind == "stage" and e.data["index"] == stage)
    ms = members()
    plan = SessionPlan("debate", ms, topic="Should robots vote?", seed=99, chairman=3,
                       fork=ForkStart("parent-id", stage, tuple(prefix), {"chairman": ms[3].id, "seed": 99}))
    backend = ScriptedBackend()
    status, events = run(plan, backend)
    assert status == "finished"
    n = len(prefix)
    assert [e.to_dict() for e in events[:n]] == [e.to_dict() for e in prefix]  # byte for byte the parent's
    forked = events[n]
    assert forked.kind == "forked" and forked.data["parent"] == "parent-id" and forked.data["stage"] == stage
    assert forked.data["chairman"] == ms[3].id and forked.data["seed"] == 99
    assert events[n + 1].kind == "stage" and events[n + 1].data["index"] == stage
    assert forked.seq > prefix[-1].seq and forked.t >= prefix[-1].t
    # Only the stages from the fork on ran again.
    assert sorted({e.data["index"] for e in events[n:] if e.kind == "stage"}) == list(range(stage, 6))
    synthesis = next(e for e in events if e.kind == "synthesis")
    assert synthesis.data["chairman"] == ms[3].id
    if stage >= 2:
        assert not any("Give your opinion" in r.messages[-1].content for r in backend.calls)


def test_a_fork_keeps_what_the_parent_established() -> None:
    parent = parent_debate()
    state = restore(fork_prefix(parent, 3))
    assert state.topic == "Should robots vote?" and len(state.bottom) == 2
    agg = next(e for e in parent if e.kind == "aggregate")
    assert {r["member"]: r["mean_score"] for r in agg.data["rows"]} == {
        m: t.mean_score for m, t in state.tallies.items()}
    _, events = run(SessionPlan("debate", members(), seed=5,
                                fork=ForkStart("p", 3, tuple(fork_prefix(parent, 3)))))
    rebutters = {e.data["member"] for e in events if e.kind == "rebuttal" and e.seq > 0}
    assert rebutters == set(state.bottom)


def test_a_fork_from_a_stage_the_parent_never_reached_is_refused_with_a_reason() -> None:
    parent = [e for e in parent_debate() if not (e.kind == "stage" and e.data["index"] >= 4)]
    with pytest.raises(CouncilError, match="never reached stage 4"):
        fork_prefix(parent, 4)
    with pytest.raises(CouncilError, match="stages 0 to 5"):
        fork_prefix(parent, 9)


def test_an_ask_session_forks_from_the_ranking() -> None:
    status, parent = run(SessionPlan("ask", members(), topic="How to learn?", seed=2))
    assert status == "finished"
    prefix = fork_prefix(parent, 2)
    status, events = run(SessionPlan("ask", members(), seed=3, fork=ForkStart("p", 2, tuple(prefix))))
    assert status == "finished"
    assert [e.to_dict() for e in events[:len(prefix)]] == [e.to_dict() for e in prefix]
    assert sum(e.kind == "ranking" for e in events) == 5 and events[-1].kind == "complete"


# -- the viewer ---------------------------------------------------------------------------------------

def voter(inbox: ViewerInbox, scores: dict[str, int] | None = None, agree_first: bool = True):
    """A sink that casts the viewer's ballot as soon as a stage opens to them (as the window does)."""
    def sink(e: Event) -> None:
        if e.kind != "viewer_open":
            return
        labels = e.data["labels"]
        if e.data["kind"] == "alliance":
            ids = list(labels.values())
            inbox.submit(ViewerBallot(e.data["stage"], "alliance", agree=ids[:1] if agree_first else [],
                                      disagree=ids[1:2]))
        else:
            chosen = scores or {lab: 10 - i for i, lab in enumerate(labels)}
            inbox.submit(ViewerBallot(e.data["stage"], e.data["kind"], scores=chosen))
    return sink


def test_viewer_judge_ballot_is_added_beside_the_council_not_mixed_in() -> None:
    inbox = ViewerInbox()
    status, events = run(SessionPlan("debate", members(), topic="T?", seed=4, viewer=inbox),
                         sinks=[voter(inbox)])
    assert status == "finished"
    opened = [e for e in events if e.kind == "viewer_open"]
    assert [(e.data["stage"], e.data["kind"]) for e in opened] == [(2, "review"), (4, "alliance")]
    assert len(opened[0].data["labels"]) == 5  # the viewer judges every answer
    ballots = [e for e in events if e.kind == "viewer_ballot"]
    assert [b.data["kind"] for b in ballots] == ["review", "alliance"]
    review = ballots[0].data
    assert review["reviewer"] == "you" and review["viewer"] is True and review["counted"] is False
    assert sorted(r["score"] for r in review["scores"]) == [6, 7, 8, 9, 10]
    # The aggregate is the council's alone: four scores per member.
    agg = next(e for e in events if e.kind == "aggregate")
    assert all(r["received"] == 4 for r in agg.data["rows"])
    assert ballots[0].seq < agg.seq
    assert not any(e.kind == "review" and e.data["reviewer"] == "you" for e in events)


def test_viewer_judge_ballot_counts_in_the_aggregate_when_the_setting_says_so() -> None:
    inbox = ViewerInbox(count_in_aggregate=True)
    _, events = run(SessionPlan("debate", members(), topic="T?", seed=4, viewer=inbox), sinks=[voter(inbox)])
    review = next(e for e in events if e.kind == "viewer_ballot").data
    assert review["counted"] is True
    agg = next(e for e in events if e.kind == "aggregate")
    assert all(r["received"] == 5 for r in agg.data["rows"])


def test_viewer_judge_who_does_not_vote_never_blocks_the_council() -> None:
    inbox = ViewerInbox()
    status, events = run(SessionPlan("debate", members(), topic="T?", seed=4, viewer=inbox))
    assert status == "finished"
    assert [(e.data["stage"]) for e in events if e.kind == "viewer_skipped"] == [2, 4]
    with pytest.raises(ViewerBallotError, match="moved on"):  # a late ballot is refused, politely
        inbox.submit(ViewerBallot(2, "review", scores={"Response A": 5}))


def test_viewer_judge_ballot_is_validated() -> None:
    inbox = ViewerInbox()
    inbox.open(2, "review", {"Response A": "sage", "Response B": "poet"})
    for bad, why in (({"Response A": 11}, "1 to 10"), ({"Response Z": 3}, "not one of"), ({}, "at least one")):
        with pytest.raises(ViewerBallotError, match=why):
            inbox.submit(ViewerBallot(2, "review", scores=bad))
    inbox.submit(ViewerBallot(2, "review", scores={"Response A": 3}))
    with pytest.raises(ViewerBallotError, match="already"):
        inbox.submit(ViewerBallot(2, "review", scores={"Response B": 3}))
    assert inbox.close(2) == ViewerBallot(2, "review", scores={"Response A": 3})


def test_viewer_judge_ranks_in_ask_mode() -> None:
    inbox = ViewerInbox()
    _, events = run(SessionPlan("ask", members(), topic="Q?", seed=1, viewer=inbox), sinks=[voter(inbox)])
    ballot = next(e for e in events if e.kind == "viewer_ballot").data
    assert ballot["kind"] == "ranking" and len(ballot["order"]) == 5
    assert ballot["order"][0] == ballot["labels"]["Response A"]  # scored 10: first


def test_agreement_with_the_viewer_is_a_rank_correlation() -> None:
    viewer = {"a": 9, "b": 5, "c": 2, "d": 7}
    pairs = [(viewer, {"x": {"a": 8, "b": 5, "c": 1, "d": 6}, "y": {"a": 1, "b": 5, "c": 9, "d": 3}})]
    rows = agreement(pairs, {"x": "Xena", "y": "Yuri"})
    assert [(r.member, round(r.rho, 3)) for r in rows] == [("x", 1.0), ("y", -1.0)]
    best = kindred_spirit(rows)
    assert best is not None and best.name == "Xena"
    assert spearman({"a": 1, "b": 2}, {"a": 1, "b": 2}) is None  # two answers say nothing


# -- the audit ----------------------------------------------------------------------------------------

def test_the_audit_flags_a_judge_that_favours_long_answers_and_its_own_model() -> None:
    ballots = []
    for s in range(6):
        for i, (target, length, model) in enumerate([("a", 100, "m1"), ("b", 400, "m2"), ("c", 900, "m2")]):
            label = f"Response {'ABC'[(i + s) % 3]}"
            ballots.append(Ballot(f"s{s}", "fair", target, label, 5 + (s + i) % 2, length, "m1", model))
            ballots.append(Ballot(f"s{s}", "vain", target, label, {100: 2, 400: 6, 900: 9}[length], length,
                                  "m2", model))
    a = audit(ballots, {"vain": "Vain"})
    assert a.ballots == 36 and a.sessions == 6 and sum(f.ballots for f in a.by_label) == 36
    judges = {j.judge: j for j in a.judges}
    assert "length" in judges["vain"].flags and "self" in judges["vain"].flags
    assert judges["vain"].name == "Vain" and judges["vain"].self_ballots == 12
    assert "length" not in judges["fair"].flags and "self" not in judges["fair"].flags
    assert "vain" in a.to_dict()["flagged"]
    assert "flat" in judges["fair"].flags  # it only ever gives 5 or 6
    assert a.length_r is not None and a.length_r > 0.3 and "longer" in a.length_note


def test_temperatures_change_only_the_forked_stages() -> None:
    parent = parent_debate()
    prefix = fork_prefix(parent, 3)
    hot = [replace(m, temperature=1.5) for m in members()]
    backend = ScriptedBackend()
    run(SessionPlan("debate", hot, seed=5, fork=ForkStart("p", 3, tuple(prefix))), backend)
    # Speech turns run at the stage's temperature for that member (core/speech.py), judges at 0.2.
    policy = SpeechPolicy()
    allowed = {policy.temperature(kind, 1.5) for kind in ("rebuttal", "synthesis")} | {0.2}
    assert backend.calls and all(r.params.temperature in allowed for r in backend.calls)
    default = {policy.temperature(kind, m.temperature) for kind in ("rebuttal", "synthesis") for m in members()}
    assert any(r.params.temperature not in default | {0.2} for r in backend.calls)
