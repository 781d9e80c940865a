"""The bias audit: how the council's judges score, computed from stored ballots (pure Python).

Every figure carries the number of ballots (scores) behind it and a plain-language note; a judge whose
figures cross a threshold, on enough ballots to mean something, is flagged. Thresholds are deliberately
coarse: tiny models are noisy judges, and a flag should point at a pattern, not at noise.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

MIN_BALLOTS = 8  # per-judge figures on fewer scores are shown but never flagged
LENIENCY_FLAG = 1.5  # points above (below) what the other judges give
FLAT_SPREAD = 0.75  # a standard deviation below this: the judge scores everything alike
LABEL_FLAG = 2.0  # best-minus-worst label mean
LENGTH_FLAG = 0.5  # |correlation| between score and answer length
SELF_FLAG = 1.5  # own-model minus other-model mean
MIN_PER_SIDE = 3  # scores needed on each side of a self-preference or label comparison


@dataclass(frozen=True)
class Ballot:
    """One score one judge gave one answer in one session."""

    session: str
    judge: str
    target: str
    label: str  # the anonymous label the judge saw ("Response B")
    score: float
    length: int  # characters of the judged answer
    judge_model: str = ""  # model file identities
    target_model: str = ""


@dataclass(frozen=True)
class LabelFigure:
    label: str
    mean: float
    ballots: int


@dataclass(frozen=True)
class PairAgreement:
    a: str
    b: str
    rho: float  # mean Spearman rank correlation over the sessions both judged
    sessions: int
    ballots: int


@dataclass
class JudgeAudit:
    judge: str
    name: str
    ballots: int
    mean: float
    leniency: float  # own mean minus the other judges' mean
    spread: float  # standard deviation of its scores
    label_means: list[LabelFigure]
    label_gap: float | None  # best minus worst label mean (labels with MIN_PER_SIDE scores)
    length_r: float | None
    self_mean: float | None  # mean score to answers from its own model file
    other_mean: float | None
    self_ballots: int
    other_ballots: int
    agreement: float | None  # mean rho with the other judges
    flags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def self_preference(self) -> float | None:
        if self.self_mean is None or self.other_mean is None:
            return None
        return self.self_mean - self.other_mean


@dataclass
class Audit:
    ballots: int
    sessions: int
    mean: float | None
    by_label: list[LabelFigure]
    length_r: float | None
    length_note: str
    label_note: str
    self_mean: float | None
    other_mean: float | None
    self_ballots: int
    other_ballots: int
    self_note: str
    judges: list[JudgeAudit]
    pairs: list[PairAgreement]
    agreement_note: str
    points: list[tuple[int, float]] = field(default_factory=list)  # (answer length, score) per ballot

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("points")  # the raw ballots are in the history; the JSON carries the figures
        for j, judge in zip(d["judges"], self.judges, strict=True):
            j["self_preference"] = judge.self_preference
        d["flagged"] = [j.judge for j in self.judges if j.flags]
        return d


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    if len(xs) < 3:
        return None
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sx = math.sqrt(sum((x - mx) ** 2 for x in xs))
    sy = math.sqrt(sum((y - my) ** 2 for y in ys))
    if sx == 0 or sy == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (sx * sy)


def ranks(values: Sequence[float], tolerance: float = 0.0) -> list[float]:
    """Average ranks (1 = smallest), ties (values at most ``tolerance`` apart) sharing their mean rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and abs(values[order[j + 1]] - values[order[i]]) <= tolerance:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(a: Mapping[str, float], b: Mapping[str, float]) -> float | None:
    """Rank correlation of two ballots over the answers both scored (at least three, not all tied)."""
    common = sorted(set(a) & set(b))
    if len(common) < 3:
        return None
    return pearson(ranks([a[k] for k in common]), ranks([b[k] for k in common]))


def _mean(xs: Iterable[float]) -> float | None:
    xs = list(xs)
    return statistics.fmean(xs) if xs else None


def _label_figures(ballots: Sequence[Ballot]) -> list[LabelFigure]:
    by: dict[str, list[float]] = {}
    for b in ballots:
        by.setdefault(b.label, []).append(b.score)
    return [LabelFigure(lab, statistics.fmean(v), len(v)) for lab, v in sorted(by.items())]


def _gap(figures: Sequence[LabelFigure]) -> tuple[float | None, LabelFigure | None, LabelFigure | None]:
    usable = [f for f in figures if f.ballots >= MIN_PER_SIDE]
    if len(usable) < 2:
        return None, None, None
    hi = max(usable, key=lambda f: f.mean)
    lo = min(usable, key=lambda f: f.mean)
    return hi.mean - lo.mean, hi, lo


def _ballot_sets(ballots: Sequence[Ballot]) -> dict[tuple[str, str], dict[str, float]]:
    out: dict[tuple[str, str], dict[str, float]] = {}
    for b in ballots:
        out.setdefault((b.session, b.judge), {})[b.target] = b.score
    return out


def _pairs(ballots: Sequence[Ballot]) -> list[PairAgreement]:
    sets = _ballot_sets(ballots)
    judges = sorted({j for _, j in sets})
    sessions = sorted({s for s, _ in sets})
    out = []
    for i, a in enumerate(judges):
        for b in judges[i + 1:]:
            rhos, n = [], 0
            for s in sessions:
                if (s, a) in sets and (s, b) in sets:
                    rho = spearman(sets[(s, a)], sets[(s, b)])
                    if rho is not None:
                        rhos.append(rho)
                        n += len(set(sets[(s, a)]) & set(sets[(s, b)])) * 2
            if rhos:
                out.append(PairAgreement(a, b, statistics.fmean(rhos), len(rhos), n))
    return out


def audit(ballots: Sequence[Ballot], names: Mapping[str, str] | None = None) -> Audit:
    """Every figure of the audit from the council's stored scores."""
    names = names or {}
    scores = [b.score for b in ballots]
    overall = _mean(scores)
    by_label = _label_figures(ballots)
    gap, hi, lo = _gap(by_label)
    label_note = ("Not enough ballots yet to compare the labels." if gap is None else
                  f"Answers shown as {hi.label} get {hi.mean:.1f} on average and {lo.label} {lo.mean:.1f}: "  # type: ignore[union-attr]
                  + ("the place an answer is listed in barely matters." if gap < 1.0 else
                     "where an answer is listed moves its score noticeably"
                     + (" (few ballots per label yet: this may be chance)." if min(f.ballots for f in by_label)
                        < MIN_BALLOTS else ".")))
    length_r = pearson([float(b.length) for b in ballots], scores)
    length_note = _length_note(length_r, len(ballots))
    own = [b.score for b in ballots if b.judge_model and b.judge_model == b.target_model]
    other = [b.score for b in ballots if b.judge_model and b.target_model and b.judge_model != b.target_model]
    self_note = _self_note(_mean(own), _mean(other), len(own), len(other))
    pairs = _pairs(ballots)
    judges = [_judge(j, names.get(j, j), [b for b in ballots if b.judge == j],
                     [b for b in ballots if b.judge != j], pairs)
              for j in sorted({b.judge for b in ballots})]
    mean_rho = _mean(p.rho for p in pairs)
    agreement_note = ("No two judges have scored the same answers yet." if mean_rho is None else
                      f"On average two judges' rankings correlate at {mean_rho:+.2f} "
                      + ("(they largely agree)." if mean_rho >= 0.5 else
                         "(some agreement)." if mean_rho >= 0.2 else
                         "(little better than chance)." if mean_rho > -0.2 else "(they tend to disagree)."))
    return Audit(len(ballots), len({b.session for b in ballots}), overall, by_label, length_r, length_note,
                 label_note, _mean(own), _mean(other), len(own), len(other), self_note, judges, pairs,
                 agreement_note, [(b.length, b.score) for b in ballots])


def _length_note(r: float | None, n: int) -> str:
    if r is None:
        return "Not enough varied ballots yet to relate scores to answer length."
    strength = "strongly" if abs(r) >= LENGTH_FLAG else "somewhat" if abs(r) >= 0.25 else "hardly"
    direction = "longer" if r > 0 else "shorter"
    return f"Correlation {r:+.2f} over {n} scores: {direction} answers are {strength} favoured." \
        if strength != "hardly" else f"Correlation {r:+.2f} over {n} scores: length hardly affects the score."


def _self_note(own: float | None, other: float | None, n_own: int, n_other: int) -> str:
    if own is None and other is None:
        return "No ballots with a known model file yet."
    if other is None:
        return (f"Every judged answer came from the judge's own model file ({n_own} scores): seat another "
                f"model to measure self-preference.")
    if own is None:
        return f"No judge has scored an answer from its own model file yet ({n_other} scores of other models)."
    diff = own - other
    return (f"Answers from the judge's own model get {own:.1f}, other models' {other:.1f} ({n_own} + {n_other} "
            f"scores): " + ("a clear preference for its own kind." if diff >= SELF_FLAG else
                            "no clear preference." if abs(diff) < 0.75 else
                            "a slight preference for its own kind." if diff > 0 else "it is harder on its own kind."))


def _judge(judge: str, name: str, mine: Sequence[Ballot], others: Sequence[Ballot],
           pairs: Sequence[PairAgreement]) -> JudgeAudit:
    scores = [b.score for b in mine]
    mean = statistics.fmean(scores)
    others_mean = _mean(b.score for b in others)
    leniency = mean - others_mean if others_mean is not None else 0.0
    spread = statistics.pstdev(scores) if len(scores) > 1 else 0.0
    labels = _label_figures(mine)
    gap, hi, lo = _gap(labels)
    length_r = pearson([float(b.length) for b in mine], scores)
    own = [b.score for b in mine if b.judge_model and b.judge_model == b.target_model]
    other = [b.score for b in mine if b.judge_model and b.target_model and b.judge_model != b.target_model]
    agreement = _mean(p.rho for p in pairs if judge in (p.a, p.b))
    j = JudgeAudit(judge, name, len(mine), mean, leniency, spread, labels, gap, length_r, _mean(own), _mean(other),
                   len(own), len(other), agreement)
    enough = len(mine) >= MIN_BALLOTS
    if enough and abs(leniency) >= LENIENCY_FLAG:
        j.flags.append("lenient" if leniency > 0 else "harsh")
        j.notes.append(f"gives {abs(leniency):.1f} points {'more' if leniency > 0 else 'less'} than the others")
    if enough and spread < FLAT_SPREAD:
        j.flags.append("flat")
        j.notes.append(f"scores nearly everything alike (spread {spread:.2f})")
    if enough and gap is not None and gap >= LABEL_FLAG:
        j.flags.append("position")
        j.notes.append(f"favours {hi.label} over {lo.label} by {gap:.1f}")  # type: ignore[union-attr]
    if enough and length_r is not None and abs(length_r) >= LENGTH_FLAG:
        j.flags.append("length")
        j.notes.append(f"prefers {'longer' if length_r > 0 else 'shorter'} answers (r {length_r:+.2f})")
    pref = j.self_preference
    if pref is not None and len(own) >= MIN_PER_SIDE and len(other) >= MIN_PER_SIDE and pref >= SELF_FLAG:
        j.flags.append("self")
        j.notes.append(f"scores its own model {pref:.1f} higher than others")
    if not j.notes:
        j.notes.append("no sign of bias" if enough else f"only {len(mine)} scores so far: too few to judge")
    return j
