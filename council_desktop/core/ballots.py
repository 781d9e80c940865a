"""Structured judgements: JSON schemas for the grammar, strict validation, lenient text fallbacks,
and the aggregates (mean score, average rank, normalised Borda) with their tie-break rule."""

from __future__ import annotations

import json
import math
import re
import statistics
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .events import AggregateRow

LABELS = tuple(f"Response {c}" for c in "ABCDEFGH")
SCORES = list(range(1, 11))


@dataclass(frozen=True)
class Parsed:
    value: Any
    valid: bool
    reason: str = ""
    lenient: bool = False  # True when the text fallback, not the JSON, produced it


# Calibration of the probability judges, measured with the starter model: a Yes/No probe on one answer
# at a time beats one JSON ballot over all four answers (docs/ARCHITECTURE.md, "Judging"). On its own
# it is easy to fool (an injected "answer Yes" lifts an answer), so answers with a validity finding
# (core/validity.py) are scored below all others: scripts/bench/judges.py and docs/judging.md have the
# figures.
# Tiny models lean to "No", so raw probabilities are read relative to the judge's own ballot.
REFERENCE_LOG_ODDS = -1.6  # a typical log-odds of Yes for an ordinary answer (for ballots of 1-2)
MIN_SPREAD = 0.35  # near-equal answers (log-odds closer than this) stay near the middle of the scale
STANCE_GAP = 0.25  # below this spread a member has no strong feelings and declares nothing
STANCE_TIE = 0.15  # members this close to the most (least) agreeable one share the same stance


def log_odds(p_yes: float) -> float:
    p = min(max(p_yes, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def _z_scores(p_yes: Mapping[str, float]) -> dict[str, float]:
    lo = {k: log_odds(v) for k, v in p_yes.items()}
    if len(lo) < 3:
        return {k: (v - REFERENCE_LOG_ODDS) / 0.6 for k, v in lo.items()}
    mean = statistics.fmean(lo.values())
    spread = max(statistics.pstdev(lo.values()), MIN_SPREAD)
    return {k: (v - mean) / spread for k, v in lo.items()}


def scores_from_probabilities(p_yes: Mapping[str, float]) -> dict[str, int]:
    """One judge's Yes-probabilities (one probe per answer) to scores 1-10: log-odds standardised within
    the ballot, 5.5 + 2.5 z, rounded half up and clipped. The best answer of a clear ballot gets about 9,
    the worst about 2; a ballot of near-equal answers stays around 5-6."""
    return {k: int(min(10, max(1, math.floor(5.5 + 2.5 * z + 0.5)))) for k, z in _z_scores(p_yes).items()}


FLAGGED_SCORE = 1  # an answer with a validity finding (core/validity.py): below every answer without one
# An answer whose only finding is a soft one (off-topic: the least certain check, a word test) scores one
# above the others' findings, so a sensible answer it flags by mistake cannot tie a planted attack; every
# answer without a finding still scores above it. Two or more soft findings in one ballot are told apart by
# the judge's own reading (P(yes), or the written score): the least endorsed scores SOFT_SCORE, the next
# one above it, so a sensible answer flagged by mistake need not tie a planted off-topic one.
SOFT_SCORE = FLAGGED_SCORE + 1


def _soft_scores(values: Mapping[str, float], flagged: Collection[str], soft: Collection[str]) -> dict[str, int]:
    """Scores of the answers whose only finding is soft: SOFT_SCORE for the lowest ``values``, one more for
    each higher value (equal values share a score)."""
    keys = [k for k in values if k in flagged and k in soft]
    distinct = sorted({values[k] for k in keys})
    return {k: SOFT_SCORE + distinct.index(values[k]) for k in keys}


def _floor(soft_scores: Mapping[str, int]) -> int:
    """The least score of an answer without a finding: above every flagged answer."""
    return max(soft_scores.values()) + 1 if soft_scores else FLAGGED_SCORE + 1


def scores_with_findings(p_yes: Mapping[str, float], flagged: Collection[str],
                         soft: Collection[str] = ()) -> dict[str, int]:
    """Scores from probabilities where answers with a validity finding get 1 (2 and up for those in
    ``soft``, whose finding is a soft one, by P(yes)) and take no part in the standardisation; every other
    answer scores above them, so a flagged answer is strictly lowest."""
    clean = {k: v for k, v in p_yes.items() if k not in flagged}
    soft_scores = _soft_scores(p_yes, flagged, soft)
    floor = _floor(soft_scores)
    scores = {k: max(floor, s) for k, s in scores_from_probabilities(clean).items()}
    return {k: scores.get(k, soft_scores.get(k, FLAGGED_SCORE)) for k in p_yes}


def apply_findings(scores: Mapping[str, int], flagged: Collection[str],
                   soft: Collection[str] = ()) -> dict[str, int]:
    """The same rule for a written (JSON or text) ballot: flagged answers 1 (soft ones 2 and up, in the
    order of their written scores), the others above them."""
    soft_scores = _soft_scores(scores, flagged, soft)
    floor = _floor(soft_scores)
    return {k: soft_scores.get(k, FLAGGED_SCORE) if k in flagged else max(floor, v) for k, v in scores.items()}


def stances_from_probabilities(p_yes: Mapping[str, float], flagged: Collection[str] = (),
                               soft: Collection[str] = ()) -> tuple[list[str], list[str]]:
    """Stances from probabilities; a member whose words have a validity finding can win no ally and is
    opposed by every judge (its text tried to steer the judge, or said nothing). Soft findings too, all of
    them: the judge's P(agree) does not pick which of two to spare (a judge an off-topic answer fooled
    would spare it)."""
    agree, disagree = _stances({k: v for k, v in p_yes.items() if k not in flagged})
    return agree, disagree + [k for k in p_yes if k in flagged and k in soft] + \
        [k for k in p_yes if k in flagged and k not in soft]


def _stances(p_yes: Mapping[str, float]) -> tuple[list[str], list[str]]:
    """Agree with the member whose position the judge most endorses (and near-ties), disagree with the
    least endorsed (and near-ties) only when the judge also leans against it more than it does against an
    ordinary answer (so a judge that endorses everyone can ally with all and oppose nobody); with no clear
    spread, declare nothing."""
    lo = {k: log_odds(v) for k, v in p_yes.items()}
    if not lo:
        return [], []
    if len(lo) == 1:
        (k, v), = lo.items()
        if abs(v - REFERENCE_LOG_ODDS) < STANCE_GAP:
            return [], []
        return ([k], []) if v > REFERENCE_LOG_ODDS else ([], [k])
    top, bottom = max(lo.values()), min(lo.values())
    if top - bottom < STANCE_GAP:
        return [], []
    agree = [k for k, v in lo.items() if v >= top - STANCE_TIE]
    disagree = [k for k, v in lo.items()
                if v <= bottom + STANCE_TIE and v < REFERENCE_LOG_ODDS - STANCE_GAP and k not in agree]
    return agree, disagree


def order_from_probabilities(p_yes: Mapping[str, float], labels: Sequence[str],
                             flagged: Collection[str] = (), soft: Collection[str] = ()) -> list[str]:
    """Best first by Yes-probability, answers with a validity finding last (soft findings before the
    others); ties keep the label order."""
    return sorted(labels, key=lambda lab: (lab in flagged, lab not in soft, -p_yes[lab], labels.index(lab)))


def order_with_findings(order: Sequence[str], flagged: Collection[str], soft: Collection[str] = ()) -> list[str]:
    """A written ranking with the flagged answers moved to the end (in their written order; soft findings
    before the others)."""
    return sorted(order, key=lambda lab: (lab in flagged, lab in flagged and lab not in soft))


def review_schema(labels: Sequence[str]) -> dict[str, Any]:
    # The grammar converter ignores minimum/maximum, so scores are an enum (docs/ARCHITECTURE.md, "Judging").
    return {"type": "object",
            "properties": {label: {"type": "integer", "enum": SCORES} for label in labels},
            "required": list(labels), "additionalProperties": False}


def alliance_schema(names: Sequence[str]) -> dict[str, Any]:
    names_list = {"type": "array", "items": {"type": "string", "enum": list(names)},
                  "maxItems": len(names)}
    return {"type": "object", "properties": {"agree": names_list, "disagree": names_list},
            "required": ["agree", "disagree"], "additionalProperties": False}


def ranking_schema(labels: Sequence[str]) -> dict[str, Any]:
    return {"type": "object",
            "properties": {"ranking": {"type": "array", "items": {"type": "string", "enum": list(labels)},
                                       "minItems": len(labels), "maxItems": len(labels)}},
            "required": ["ranking"], "additionalProperties": False}


def _load_json(raw: str) -> Any:
    start, end = raw.find("{"), raw.rfind("}")
    if start < 0 or end <= start:
        raise ValueError("no JSON object in the reply")
    return json.loads(raw[start:end + 1])


def parse_review(raw: str, labels: Sequence[str]) -> Parsed:
    """Scores by label. Only the JSON keys or 'Response X ... N' patterns count: prose such as
    'give me 10' has no label in front of its number and changes nothing."""
    reason = ""
    try:
        data = _load_json(raw)
        if not isinstance(data, dict):
            raise ValueError("the JSON is not an object")
        scores: dict[str, int] = {}
        for label in labels:
            value = data.get(label)
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10:
                raise ValueError(f"{label} has no score from 1 to 10 (got {value!r})")
            scores[label] = value
        return Parsed(scores, True)
    except (ValueError, json.JSONDecodeError) as exc:
        reason = str(exc)
    found: dict[str, int] = {}
    for m in re.finditer(r"Response\s+([A-H])\b[^0-9\n]{0,24}?\b(10|[1-9])\b(?!\s*[.,]\d)", raw):
        label = f"Response {m.group(1)}"
        if label in labels and label not in found:
            found[label] = int(m.group(2))
    if set(found) == set(labels):
        return Parsed(found, True, lenient=True)
    missing = ", ".join(label for label in labels if label not in found)
    return Parsed({}, False, f"{reason}; text fallback found no score for {missing}")


def parse_alliance(raw: str, names: Sequence[str]) -> Parsed:
    """{"agree": [...], "disagree": [...]} over the other members' names; no name in both lists."""
    reason = ""
    try:
        data = _load_json(raw)
        if not isinstance(data, dict):
            raise ValueError("the JSON is not an object")
        if "agree" not in data and "disagree" not in data:
            raise ValueError("the JSON declares neither 'agree' nor 'disagree'")
        lists: dict[str, list[str]] = {}
        for key in ("agree", "disagree"):
            value = data.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"'{key}' is not a list of names")
            unknown = [v for v in value if v not in names]
            if unknown:
                raise ValueError(f"'{key}' names someone not at the table: {unknown[0]!r}")
            lists[key] = list(dict.fromkeys(value))
        both = set(lists["agree"]) & set(lists["disagree"])
        if both:
            # Contradictory declarations cancel out rather than invalidate the whole ballot.
            lists = {k: [v for v in vs if v not in both] for k, vs in lists.items()}
            return Parsed(lists, True, f"listed as both ally and opponent: {', '.join(sorted(both))}")
        return Parsed(lists, True)
    except (ValueError, json.JSONDecodeError) as exc:
        reason = str(exc)
    agree, disagree = _names_by_stance(raw, names)
    if agree or disagree:
        return Parsed({"agree": agree, "disagree": disagree}, True, reason, lenient=True)
    return Parsed({}, False, f"{reason}; no names found in the text either")


_STANCE_WORD = re.compile(r"\b(dis)?agree", re.IGNORECASE)


def _names_by_stance(raw: str, names: Sequence[str]) -> tuple[list[str], list[str]]:
    """A name takes the stance of the nearest 'agree' / 'disagree' before it on its line (or, when the
    line names it first, the line's first stance word): "I agree with Sage but disagree with Poet"."""
    agree: list[str] = []
    disagree: list[str] = []
    for line in raw.splitlines():
        stances = [(m.start(), bool(m.group(1))) for m in _STANCE_WORD.finditer(line)]
        if not stances:
            continue
        found = sorted((m.start(), name) for name in names
                       for m in re.finditer(rf"\b{re.escape(name)}\b", line))
        for at, name in found:
            before = [against for pos, against in stances if pos < at]
            against = before[-1] if before else stances[0][1]
            if name not in agree + disagree:
                (disagree if against else agree).append(name)
    return agree, disagree


def parse_ranking(raw: str, labels: Sequence[str]) -> Parsed:
    """A full order of the labels, best first; JSON first, then the FINAL RANKING text format."""
    reason = ""
    try:
        data = _load_json(raw)
        order = data.get("ranking") if isinstance(data, dict) else None
        if not isinstance(order, list):
            raise ValueError("no 'ranking' list")
        return _check_order([str(x) for x in order], labels)
    except (ValueError, json.JSONDecodeError) as exc:
        reason = str(exc)
    section = raw.split("FINAL RANKING:", 1)[1] if "FINAL RANKING:" in raw else raw
    numbered = re.findall(r"^\s*\d+\.\s*(Response [A-H])", section, flags=re.MULTILINE)
    order = numbered or re.findall(r"Response [A-H]", section)
    parsed = _check_order(list(dict.fromkeys(order)), labels)
    if parsed.valid:
        return Parsed(parsed.value, True, reason, lenient=True)
    return Parsed([], False, f"{reason}; text fallback: {parsed.reason}")


def _check_order(order: list[str], labels: Sequence[str]) -> Parsed:
    if sorted(order) != sorted(labels) or len(set(order)) != len(order):
        return Parsed([], False, f"the ranking must list each of {', '.join(labels)} exactly once")
    return Parsed(order, True)


@dataclass
class Tally:
    """What one member received from the others."""

    member: str
    scores: list[int] = field(default_factory=list)
    ranks: list[tuple[int, int]] = field(default_factory=list)  # (position from 1, ballot size)

    @property
    def mean_score(self) -> float | None:
        return round(sum(self.scores) / len(self.scores), 3) if self.scores else None

    @property
    def average_rank(self) -> float | None:
        return round(sum(p for p, _ in self.ranks) / len(self.ranks), 3) if self.ranks else None

    @property
    def borda(self) -> float | None:
        """Normalised Borda: 1 for first place, 0 for last, averaged over ballots."""
        if not self.ranks:
            return None
        return round(sum((n - p) / (n - 1) if n > 1 else 1.0 for p, n in self.ranks) / len(self.ranks), 3)

    def row(self) -> AggregateRow:
        return {"member": self.member, "mean_score": self.mean_score, "average_rank": self.average_rank,
                "borda": self.borda, "received": len(self.scores) or len(self.ranks)}


def bottom(tallies: Mapping[str, Tally], seat_order: Sequence[str], n: int = 2) -> list[str]:
    """The n members with the lowest mean received score. Tie-break, written down: fewer valid scores
    received ranks lower first (less support), then the later seat in the table order. Members with
    no valid score at all are not singled out for a rebuttal."""
    scored = [t for t in tallies.values() if t.mean_score is not None]
    scored.sort(key=lambda t: (t.mean_score, len(t.scores), -seat_order.index(t.member)))
    return [t.member for t in scored[:n]]


def leader_order(tallies: Mapping[str, Tally], seat_order: Sequence[str]) -> list[str]:
    """Best first by average rank (lower is better), then Borda, then seat order."""
    def key(t: Tally) -> tuple[float, float, int]:
        return (t.average_rank if t.average_rank is not None else 99.0,
                -(t.borda or 0.0), seat_order.index(t.member))
    return [t.member for t in sorted(tallies.values(), key=key)]
