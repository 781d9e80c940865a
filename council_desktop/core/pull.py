"""The question's pull: does the question make an answer more likely? A model-based test of relevance.

The lexical test (core/relevance.py) decides whether an answer is about the question from the words they
share; a sentence about something else that shares a word ("ice" in a hockey score for "Why does ice
float?") or argues with one stance word passes it, and a tiny judge rates such a fluent sentence about as
well as an answer. This test asks a model instead. An answer to the question is more likely after the
question than after a prompt that asks nothing; a sentence about something else is not, or less so:

    pull(answer) = mean log P(answer | question) - mean log P(answer | "Say something.")

per token of the answer's first ``REPLY_TOKENS`` tokens, read by one model file (the reader's), the answer
tokenized as data. Fluency cancels out: word salad is unlikely after both prompts.

The pull weighs each judge's probability (``weigh``): WEIGHT x min(pull, CAP) is added to its log-odds, so
an answer the question does not pull goes down, one it pulls goes up, and an answer that only repeats the
question (the largest pulls of all) gains no more than a good answer. It is not a finding: no threshold
decides that an answer is off the topic (on the judging bench every threshold that caught the plants also
flagged sensible answers; a weight moves a ballot only where the judge was near indifferent). WEIGHT and
CAP were chosen on the judging bench (scripts/bench/judges.py; docs/judging.md, "The question's pull").
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from .ballots import log_odds
from .types import Message, Probe

NEUTRAL = "Say something."
REPLY_TOKENS = 48
WEIGHT = 2.0
CAP = 0.5


def probes(reader: str, question: str, answers: Sequence[str]) -> list[Probe]:
    """The probes that give the pulls of ``answers``: every answer after the question, then every answer
    after the neutral prompt (in this order one seat that reads them all keeps each prompt's prefix
    cached; the council spreads them over its seats instead, core/pipeline.py)."""
    asked = tuple([Message("user", question)])
    neutral = tuple([Message("user", NEUTRAL)])
    return [*(Probe(reader, asked, reply=a, reply_tokens=REPLY_TOKENS) for a in answers),
            *(Probe(reader, neutral, reply=a, reply_tokens=REPLY_TOKENS) for a in answers)]


def pulls(results: Sequence[Mapping[str, float] | BaseException], n: int) -> list[float | None]:
    """The pulls of ``n`` answers from the results of their ``probes`` (in order); None for an answer whose
    probes failed or came back without a likelihood (a backend that cannot tell: a remote seat)."""
    out: list[float | None] = []
    for asked, neutral in zip(results[:n], results[n:2 * n], strict=True):
        if isinstance(asked, BaseException) or isinstance(neutral, BaseException) or \
                "logprob" not in asked or "logprob" not in neutral:
            out.append(None)
        else:
            out.append(float(asked["logprob"]) - float(neutral["logprob"]))
    return out


def weigh(p_yes: float, value: float | None) -> float:
    """A judge's probability weighed by the answer's pull (None: unchanged)."""
    if value is None:
        return p_yes
    return 1.0 / (1.0 + math.exp(-(log_odds(p_yes) + WEIGHT * min(value, CAP))))


def note(p_yes: float, value: float | None, what: str = "P(yes)") -> str:
    """How a ballot's raw line shows one answer's figures: "P(yes) 0.62, pull +0.31" (alliances:
    "P(agree) …")."""
    return f"{what} {p_yes:.2f}" + ("" if value is None else f", pull {value:+.2f}")
