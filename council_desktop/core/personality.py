"""Personalities: a bounded trait vector per member, moved after each session by what it did.

Every trait lives in [0, 1] and starts at 0.5. After a session each trait the session gave evidence
for moves by an exponential moving average, ``new = (1 - ALPHA) * old + ALPHA * observed`` with
``ALPHA = 0.2``; observations are clipped to [0, 1], so the traits can never leave it. A trait without
evidence in a session stays where it was. Observations for member *m* (valid ballots only):

- agreeableness = agrees / (agrees + disagrees) on m's alliance ballot (needs one declared stance).
- assertiveness = mean of the available parts: stances declared / other members present (taking
  sides), and the mean of |score − 5.5| / 4.5 over the scores m gave (decisive, not middling, marks).
- verbosity = 0.5 + 0.5 · log2(r), clipped, where r is the mean over m's speech turns (topic, opinion,
  rebuttal, answer, synthesis) of its tokens / the session's mean tokens for that kind of turn: twice
  the council's length gives 1, half gives 0, a turn nobody else had (the synthesis) gives 0.5.
- contrarianism = mean of the available parts: the share of m's stances that oppose a strict majority
  of the other ballots about the same member, and (1 − ρ) / 2 where ρ is the Spearman correlation of
  m's judgement with the others' (see ``achievements.judgement_correlation``).
- generosity = 0.5 + (mean score m gave − mean score the other reviewers gave) / 6, clipped: three
  points more generous than the others gives 1.

``nudges`` turns the traits into at most two short system-prompt sentences: traits at or above 0.7
(high band) or at or below 0.3 (low band), the two farthest from 0.5 first (ties in ``TRAITS`` order).
Starting from 0.5 it takes three sessions of consistent behaviour to reach a band.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace

from .achievements import SessionFacts, judgement_correlation, stance_majorities
from .events import Event

TRAITS = ("agreeableness", "assertiveness", "verbosity", "contrarianism", "generosity")
ALPHA = 0.2
NEUTRAL = 0.5
HIGH = 0.7
LOW = 0.3
MAX_NUDGES = 2

NUDGES: dict[tuple[str, str], str] = {
    ("agreeableness", "high"): "You are known for finding common ground; keep building on others' "
                               "good points.",
    ("agreeableness", "low"): "You rarely side with anyone; acknowledge a strong argument when you "
                              "see one.",
    ("assertiveness", "high"): "You take clear positions; keep backing them with reasons.",
    ("assertiveness", "low"): "You often hold back; take a clear position and defend it.",
    ("verbosity", "high"): "You tend to say a lot; make your point in fewer words.",
    ("verbosity", "low"): "You are known for brevity; stay crisp but give your reasons.",
    ("contrarianism", "high"): "You have a reputation for challenging the consensus; keep doing so "
                               "when you have reason.",
    ("contrarianism", "low"): "You usually side with the majority; say so plainly when you truly "
                              "disagree.",
    ("generosity", "high"): "You score others generously; keep your marks honest.",
    ("generosity", "low"): "You are a strict judge; give strong answers the credit they earn.",
}


def _clip(x: float) -> float:
    if x != x:  # NaN: no usable evidence, stay neutral
        return NEUTRAL
    return min(1.0, max(0.0, x))


@dataclass(frozen=True)
class Traits:
    agreeableness: float = NEUTRAL
    assertiveness: float = NEUTRAL
    verbosity: float = NEUTRAL
    contrarianism: float = NEUTRAL
    generosity: float = NEUTRAL

    def as_dict(self) -> dict[str, float]:
        return asdict(self)

    @classmethod
    def from_mapping(cls, values: Mapping[str, float]) -> Traits:
        """Traits from a mapping; missing ones are neutral, every value is clipped to [0, 1]."""
        return cls(**{t: _clip(float(values.get(t, NEUTRAL))) for t in TRAITS})


Observation = dict[str, float]  # trait -> observed value in [0, 1]; only traits with evidence


def _mean(xs: Sequence[float]) -> float | None:
    return sum(xs) / len(xs) if xs else None


def observe(events: Sequence[Event]) -> dict[str, Observation]:
    """What each member of the session did, as trait observations (see the module docstring)."""
    f = SessionFacts.from_events(events)
    out: dict[str, Observation] = {}
    present = [m for m in f.members if m not in f.failed] or f.members
    # Compared per kind: the chairman's synthesis is longer by design and must not count as chatty.
    by_kind: dict[str, list[int]] = {}
    for _, kind, _, tokens in f.turns:
        by_kind.setdefault(kind, []).append(tokens)
    kind_mean = {k: sum(v) / len(v) for k, v in by_kind.items()}
    for m in f.members:
        obs: Observation = {}
        stance = f.stances.get(m)
        stances_ok = stance is not None and stance.valid
        review = next((b for b in f.valid_reviews if b.reviewer == m), None)

        if stances_ok and stance is not None and (stance.agree or stance.disagree):
            obs["agreeableness"] = len(stance.agree) / (len(stance.agree) + len(stance.disagree))

        parts: list[float] = []
        others_present = len([x for x in present if x != m])
        if stances_ok and stance is not None and others_present:
            parts.append(_clip((len(stance.agree) + len(stance.disagree)) / others_present))
        if review is not None:
            parts.append(_clip(sum(abs(s - 5.5) for s in review.scores.values()) / len(review.scores) / 4.5))
        if parts:
            obs["assertiveness"] = sum(parts) / len(parts)

        ratios = [t / kind_mean[k] for _, k, who, t in f.turns if who == m and kind_mean.get(k)]
        if ratios:
            ratio = sum(ratios) / len(ratios)
            obs["verbosity"] = 0.0 if ratio <= 0 else _clip(0.5 + 0.5 * math.log2(ratio))

        parts = []
        if stances_ok and stance is not None:
            majority = stance_majorities(f, m)
            judged = [t for t in stance.agree | stance.disagree if t in majority]
            if judged:
                said = {t: "agree" if t in stance.agree else "disagree" for t in judged}
                against = sum(1 for t in judged if majority[t] != said[t])
                parts.append(against / len(judged))
        corr = judgement_correlation(f, m)
        if corr is not None:
            parts.append(_clip((1 - corr[0]) / 2))
        if parts:
            obs["contrarianism"] = sum(parts) / len(parts)

        if review is not None:
            given = _mean(list(review.scores.values()))
            others = _mean([s for b in f.valid_reviews if b.reviewer != m for s in b.scores.values()])
            if given is not None and others is not None:
                obs["generosity"] = _clip(0.5 + (given - others) / 6)

        if obs:
            out[m] = obs
    return out


def update(traits: Traits, observation: Mapping[str, float], alpha: float = ALPHA) -> Traits:
    """One EMA step towards the observation; traits without an observation stay put."""
    changes = {t: _clip((1 - alpha) * getattr(traits, t) + alpha * _clip(float(observation[t])))
               for t in TRAITS if t in observation}
    return replace(traits, **changes)


def evolve(current: Mapping[str, Traits], events: Sequence[Event], alpha: float = ALPHA) -> dict[str, Traits]:
    """The new traits of every member the session gave evidence about (others are left out)."""
    return {m: update(current.get(m, Traits()), obs, alpha) for m, obs in observe(events).items()}


def nudges(traits: Traits) -> list[str]:
    """At most two short system-prompt sentences for the traits outside the neutral band."""
    banded = []
    for i, t in enumerate(TRAITS):
        v = getattr(traits, t)
        if v >= HIGH:
            banded.append((-abs(v - NEUTRAL), i, NUDGES[(t, "high")]))
        elif v <= LOW:
            banded.append((-abs(v - NEUTRAL), i, NUDGES[(t, "low")]))
    return [text for _, _, text in sorted(banded)[:MAX_NUDGES]]
