"""The question's pull (core/pull.py): the figures, the weighing, and the council weighing its judges by it."""

from __future__ import annotations

import math

import pytest

from council_desktop.core import pull
from council_desktop.core.types import Cancelled, MemberError, Message, Probe
from tests.core.test_pipeline import _fooled_by_sage

QUESTION = "Should zoos exist?"


def test_probes_read_every_answer_after_the_question_then_after_the_neutral_prompt() -> None:
    ps = pull.probes("ash", QUESTION, ["a one", "a two"])
    assert [p.messages for p in ps] == [(Message("user", QUESTION),)] * 2 + [(Message("user", pull.NEUTRAL),)] * 2
    assert [p.reply for p in ps] == ["a one", "a two", "a one", "a two"]
    assert {p.member_id for p in ps} == {"ash"} and all(p.reply_tokens == pull.REPLY_TOKENS for p in ps)


def test_the_pull_reads_what_an_answer_says_beyond_the_question_read_back_in_it() -> None:
    q = "Is it better to rent a home than to buy one?"
    # Read back (whatever the case and punctuation), once or twice: the question's words are cut, with its mark.
    assert pull.beyond_the_question(q, "In short: is it better to rent a home than to buy one? Good, we agree.") == \
        "In short:  Good, we agree."
    assert pull.beyond_the_question(q, "Q: IS it better, to rent a home than to buy one?\nA: 'Is it better to rent "
                                       "a home than to buy one' ? Same thing.") == "Q: \nA: ' Same thing."
    # Most of it (80% of its words, four at least) in order, closed by a question mark, is a read-back; less is
    # an answer using its words, and so is a statement in them.
    assert pull.beyond_the_question(q, "So: better to rent a home than to buy one? Hm.") == "So:  Hm."
    for kept in ("Is it better to rent a home? Yes, if you may move within five years.",
                 "It is better to rent a home than to buy one if you move often.",
                 "Yes, it is better to rent a home than to buy one."):
        assert pull.beyond_the_question(q, kept) == kept
    # Nothing but the question: read whole (the validity checks flag it); a short question is never cut.
    assert pull.beyond_the_question(q, "is it better to rent a home than to buy one??") == \
        "is it better to rent a home than to buy one??"
    assert pull.beyond_the_question("Why?", "Why? Because.") == "Why? Because."
    # However often it is read back.
    many = "Is it better to rent a home than to buy one? " * 30 + "Rent."
    assert pull.beyond_the_question(q, many).strip() == "Rent."
    # The probes read the cut text after both prompts.
    ps = pull.probes("ash", q, ["Well, is it better to rent a home than to buy one? Hmm.", "Rent."])
    assert [p.reply for p in ps] == ["Well,  Hmm.", "Rent."] * 2


def test_a_pull_is_the_gain_in_mean_log_probability_and_none_without_a_figure() -> None:
    results: list = [{"logprob": -2.0, "tokens": 9.0}, {"logprob": -3.5, "tokens": 4.0}, {},
                     {"logprob": -2.5, "tokens": 9.0}, {"logprob": -3.0, "tokens": 4.0}, {"logprob": -1.0}]
    assert pull.pulls(results, 3) == [pytest.approx(0.5), pytest.approx(-0.5), None]
    assert pull.pulls([MemberError("ash", "gone"), {"logprob": -1.0}], 1) == [None]
    assert pull.pulls([{"logprob": -1.0}, Cancelled("stopped")], 1) == [None]


def test_weighing_moves_log_odds_by_the_capped_pull() -> None:
    def lo(p: float) -> float:
        return math.log(p / (1 - p))
    assert pull.weigh(0.4, None) == 0.4
    assert lo(pull.weigh(0.4, -0.3)) == pytest.approx(lo(0.4) - pull.WEIGHT * 0.3)
    assert lo(pull.weigh(0.4, 0.2)) == pytest.approx(lo(0.4) + pull.WEIGHT * 0.2)
    # An answer that repeats the question (the largest pulls) gains no more than the cap.
    assert pull.weigh(0.4, 3.0) == pytest.approx(pull.weigh(0.4, pull.CAP))
    # A weight, not a verdict: a judge that is sure of an answer stays sure; one near indifferent is moved.
    assert pull.weigh(0.99, -0.5) > pull.weigh(0.3, 0.5)
    assert pull.weigh(0.6, -0.5) < pull.weigh(0.3, 0.5)
    assert pull.note(0.62, None) == "P(yes) 0.62" and pull.note(0.62, -0.314) == "P(yes) 0.62, pull -0.31"


# A fluent answer about something else that argues ("better") and so passes the lexical checks, and a judge
# it fools a little; the reader's model finds it no likelier after the question than after "Say something."
AFLOAT = "It is better to keep the lid on the pan, so the water comes to the boil sooner."


def _fooled_a_little(pr: Probe) -> dict[str, float]:
    if pr.reply:
        asked = pr.messages[-1].content != pull.NEUTRAL
        return {"logprob": -3.0 + (0.0 if not asked else -0.5 if "pan" in pr.reply else 0.5), "tokens": 12.0}
    yes = 0.6 if "pan" in pr.messages[-1].content else 0.3
    return {"Yes": yes, "No": 1 - yes}


def _judge_only(pr: Probe) -> dict[str, float]:
    return {} if pr.reply else _fooled_a_little(pr)  # a backend that cannot read a likelihood (a remote seat)


def test_the_council_weighs_its_judges_by_the_pull_and_shows_it_in_the_raw_ballot() -> None:
    from council_desktop.core import validity
    assert validity.check(QUESTION, AFLOAT, ["Zoos save species."]) is None  # the lexical checks let it through
    events, reviews = _fooled_by_sage(AFLOAT, _fooled_a_little, "debate", QUESTION, 5, "review")
    for r in reviews:
        row = next(x for x in r["scores"] if x["target"] == "sage")
        assert row["score"] < min(x["score"] for x in r["scores"] if x["target"] != "sage")
        assert "finding" not in row  # a weight, not a finding
        assert "P(yes) 0.60, pull -0.50" in r["raw"] and "P(yes) 0.30, pull +0.50" in r["raw"]
    alliances = [e.data for e in events if e.kind == "alliance" and e.data["member"] != "sage"]
    assert alliances and all("pull -0.50" in a["raw"] for a in alliances)


def test_without_a_likelihood_the_judges_stand_as_they_are() -> None:
    _, reviews = _fooled_by_sage(AFLOAT, _judge_only, "debate", QUESTION, 5, "review")
    for r in reviews:
        row = next(x for x in r["scores"] if x["target"] == "sage")
        assert row["score"] > max(x["score"] for x in r["scores"] if x["target"] != "sage")
        assert "pull" not in r["raw"]


def test_an_ask_mode_ranking_puts_the_unpulled_answer_last() -> None:
    _, rankings = _fooled_by_sage(AFLOAT, _fooled_a_little, "ask", "How do I boil water faster?", 2, "ranking")
    assert rankings and all(r["order"][-1] == "sage" for r in rankings)


def test_each_text_is_read_once_a_session_and_alliances_reuse_the_reviews_pulls() -> None:
    from council_desktop.core.pipeline import SessionPlan
    from tests.core.test_pipeline import run
    from tests.scripted import ScriptedBackend, members

    backend = ScriptedBackend(probe_script=_fooled_a_little)
    outcome, events = run(SessionPlan("debate", members(), topic=QUESTION, seed=3), backend)
    assert outcome.status == "finished", outcome.reason
    replies = [p for p in backend.probes if p.reply]
    opinions = {e.data["text"] for e in events if e.kind == "opinion"}
    rebuttals = {e.data["text"] for e in events if e.kind == "rebuttal"}
    assert len(rebuttals) == 2
    # Two probes (after the question, after the neutral prompt) per distinct text: the five opinions in
    # review, then only the two rebuttals in alliances.
    assert len(replies) == 2 * len(opinions | rebuttals) == 14
    assert all(p.messages[0].content in (QUESTION, pull.NEUTRAL) for p in replies)


def test_the_pulls_go_out_in_the_same_submission_as_the_judges_probes_after_them() -> None:
    """One submission a stage, judges first: the batches a run decodes do not depend on timing, so the
    same seed gives the same ballots."""
    from council_desktop.core.pipeline import SessionPlan
    from tests.core.test_pipeline import run
    from tests.scripted import ScriptedBackend, members

    backend = ScriptedBackend(probe_script=_fooled_a_little)
    submissions: list[list[Probe]] = []
    real = backend.probe

    def recorded(probes):  # type: ignore[no-untyped-def]
        submissions.append(list(probes))
        return real(probes)

    backend.probe = recorded  # type: ignore[method-assign]
    run(SessionPlan("debate", members(), topic=QUESTION, seed=3), backend)
    with_replies = [s for s in submissions if any(p.reply for p in s)]
    assert [sum(bool(p.reply) for p in s) for s in with_replies] == [10, 4]
    for s in with_replies:
        flags = [bool(p.reply) for p in s]
        assert flags == sorted(flags) and flags.count(False) == 20
        # one probe per seat in turn
        readers = [p.member_id for p in s if p.reply]
        assert len(set(readers)) == min(len(readers), 5)
