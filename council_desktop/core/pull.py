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
import re
from collections.abc import Mapping, Sequence

from .ballots import log_odds
from .types import Message, Probe
from .validity import longest_run

NEUTRAL = "Say something."
REPLY_TOKENS = 48
WEIGHT = 2.0
CAP = 0.5


_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_ASKED = re.compile(r"[\"'”’)\]*_]*\s*\?+")  # a question mark closing a run (after a quote or bracket)
READ_BACK = 0.8  # a run of at least this share of the question's words (and four) is the question read back


def beyond_the_question(question: str, answer: str) -> str:
    """``answer`` without the question read back in it: every run of the question's words in order (four
    or more, at least ``READ_BACK`` of them, whatever the case and punctuation between them) that ends in a
    question mark is cut out (an answer in the question's own words states them: "It is better to rent
    than to buy if you move often" is read whole).
    What the pull reads: the question's own words are the likeliest text after the question, so an answer
    that repeats them would be pulled for the repeating ("Put another way: <question> Or, to phrase it
    differently: <question>"); what it says beyond them is what the question should make likely. An answer
    that is nothing but the question is read whole (the validity checks flag it)."""
    asked = [w.lower() for w in _WORD.findall(question)]
    need = max(4, math.ceil(READ_BACK * len(asked)))
    if len(asked) < 4:
        return answer
    text = answer
    while True:  # each pass cuts the longest read-back left (and shortens the text)
        spans = [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text)]
        closed = {j for j, (_s, stop, _w) in enumerate(spans, 1) if _ASKED.match(text, stop)}
        best, end = longest_run(asked, [w for _s, _e, w in spans], ends=closed.__contains__)
        if best < need:
            break
        mark = _ASKED.match(text, spans[end - 1][1])
        assert mark is not None  # a run counts only where a mark closes it
        text = text[:spans[end - best][0]] + text[mark.end():]  # the question's own mark goes with it
    return text if _WORD.search(text) else answer


def probes(reader: str, question: str, answers: Sequence[str]) -> list[Probe]:
    """The probes that give the pulls of ``answers``: every answer (beyond the question read back in it)
    after the question, then every answer after the neutral prompt (in this order one seat that reads them
    all keeps each prompt's prefix cached; the council spreads them over its seats instead,
    core/pipeline.py)."""
    asked = tuple([Message("user", question)])
    neutral = tuple([Message("user", NEUTRAL)])
    replies = [beyond_the_question(question, a) for a in answers]
    return [*(Probe(reader, asked, reply=r, reply_tokens=REPLY_TOKENS) for r in replies),
            *(Probe(reader, neutral, reply=r, reply_tokens=REPLY_TOKENS) for r in replies)]


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
