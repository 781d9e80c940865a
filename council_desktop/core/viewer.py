"""The viewer as a sixth judge: the inbox a stage reads the viewer's ballot from, and how often each
member agrees with the viewer (pure Python; docs/viewer.md).

The council never waits for the viewer: a stage opens the inbox when it starts and closes it when the
council's own ballots are in; a ballot that arrived meanwhile is added, otherwise the stage records that
the viewer skipped it.
"""

from __future__ import annotations

import random
import statistics
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .audit import spearman
from .ballots import LABELS
from .events import ViewerBallotData

KINDS = ("review", "ranking", "alliance")


class ViewerBallotError(ValueError):
    """A ballot the viewer cannot cast (the stage closed, a score out of range); the message is for them."""


@dataclass(frozen=True)
class ViewerBallot:
    """What the viewer submitted for one stage. ``scores`` by label (1–10, review and ranking); ``order``
    labels best first (ranking, optional: derived from the scores when empty); ``agree``/``disagree`` member
    ids (alliances)."""

    stage: int
    kind: str
    scores: Mapping[str, int] = field(default_factory=dict)
    order: Sequence[str] = ()
    agree: Sequence[str] = ()
    disagree: Sequence[str] = ()


@dataclass
class _Open:
    stage: int
    kind: str
    labels: dict[str, str]
    ballot: ViewerBallot | None = None


class ViewerInbox:
    """Thread-safe: the window submits, the orchestrator opens and closes. ``count_in_aggregate`` is the
    user's setting: whether the viewer's scores enter the council's aggregate (default: shown beside)."""

    def __init__(self, count_in_aggregate: bool = False) -> None:
        self.count_in_aggregate = count_in_aggregate
        self._lock = threading.Lock()
        self._open: _Open | None = None

    def open(self, stage: int, kind: str, labels: Mapping[str, str]) -> None:
        with self._lock:
            self._open = _Open(stage, kind, dict(labels))

    @property
    def current(self) -> tuple[int, str, dict[str, str]] | None:
        with self._lock:
            o = self._open
            return None if o is None else (o.stage, o.kind, dict(o.labels))

    def submit(self, ballot: ViewerBallot) -> None:
        """Accept the viewer's ballot for the open stage; ViewerBallotError when it cannot be taken."""
        with self._lock:
            o = self._open
            if o is None or o.stage != ballot.stage or o.kind != ballot.kind:
                raise ViewerBallotError("the council has already moved on: this stage is closed")
            if o.ballot is not None:
                raise ViewerBallotError("you have already cast your ballot for this stage")
            validate(ballot, o.labels)
            o.ballot = ballot

    def close(self, stage: int) -> ViewerBallot | None:
        """End the stage for the viewer: the ballot cast while it was open, if any."""
        with self._lock:
            o, self._open = self._open, None
            return o.ballot if o is not None and o.stage == stage else None


def validate(ballot: ViewerBallot, labels: Mapping[str, str]) -> None:
    if ballot.kind not in KINDS:
        raise ViewerBallotError(f"unknown ballot kind {ballot.kind!r}")
    if ballot.kind == "alliance":
        ids = set(labels.values())
        chosen = [*ballot.agree, *ballot.disagree]
        if any(m not in ids for m in chosen) or len(set(chosen)) != len(chosen):
            raise ViewerBallotError("each member can be an ally or an opponent, not both, and only once")
        return
    for lab, score in ballot.scores.items():
        if lab not in labels:
            raise ViewerBallotError(f"{lab} is not one of the answers")
        if not isinstance(score, int) or not 1 <= score <= 10:
            raise ViewerBallotError(f"scores are whole numbers from 1 to 10 ({lab}: {score!r})")
    if not ballot.scores:
        raise ViewerBallotError("score at least one answer")
    if ballot.order and sorted(ballot.order) != sorted(labels):
        raise ViewerBallotError("a ranking lists every answer once")


def viewer_labels(pool: Sequence[str], seed: int) -> dict[str, str]:
    """Every answer (the viewer judges all of them) under anonymous labels, in an order of its own."""
    targets = list(pool)
    random.Random(seed * 7919 + 4242).shuffle(targets)
    return dict(zip(LABELS, targets, strict=False))


def ballot_payload(ballot: ViewerBallot, labels: Mapping[str, str], counted: bool) -> ViewerBallotData:
    """The ``viewer_ballot`` event's data."""
    order = list(ballot.order) or sorted(ballot.scores, key=lambda lab: (-ballot.scores[lab], lab))
    return {"stage": ballot.stage, "kind": ballot.kind, "reviewer": "you", "viewer": True, "labels": dict(labels),
            "scores": [{"target": labels[lab], "label": lab, "score": int(s)} for lab, s in ballot.scores.items()],
            "order": [labels[lab] for lab in order if lab in labels] if ballot.kind == "ranking" else [],
            "agree": list(ballot.agree), "disagree": list(ballot.disagree), "counted": counted}


# -- agreement with the viewer -----------------------------------------------------------------------

@dataclass(frozen=True)
class Agreement:
    member: str
    name: str
    rho: float  # mean Spearman rank correlation with the viewer's ballots
    sessions: int


KINDRED_SPIRIT = "Kindred Spirit"  # the badge for the member that agrees with the viewer most


def agreement(pairs: Sequence[tuple[Mapping[str, float], Mapping[str, Mapping[str, float]]]],
              names: Mapping[str, str] | None = None) -> list[Agreement]:
    """``pairs``: per session, (the viewer's scores by member, each member's scores by member). Most
    agreeing first."""
    names = names or {}
    rhos: dict[str, list[float]] = {}
    for viewer, council in pairs:
        for member, scores in council.items():
            rho = spearman(viewer, scores)
            if rho is not None:
                rhos.setdefault(member, []).append(rho)
    out = [Agreement(m, names.get(m, m), statistics.fmean(v), len(v)) for m, v in rhos.items()]
    return sorted(out, key=lambda a: (-a.rho, -a.sessions, a.member))


def kindred_spirit(rows: Sequence[Agreement]) -> Agreement | None:
    """The member that agrees with the viewer most (positively), if any."""
    return rows[0] if rows and rows[0].rho > 0 else None
