"""The ten badges: their rules, read from one session's events plus a summary of past sessions.

Rules as implemented (the original design's, sharpened where it was vague; docs/ARCHITECTURE.md, "Judging"):

- Scores are the ones in *valid* ``review`` ballots (``score`` not None). A member's session mean is the
  mean of the valid scores it received. "Highest mean" lets tied members share the top.
- **Comeback King**: in the ``bottom`` of the ``aggregate`` event (if there is none: the two lowest
  means, ties by later seat), gave a ``rebuttal``, then at least two *distinct* members named it in
  ``agree`` of a valid ``alliance`` ballot emitted after that rebuttal. Moment: the alliance event that
  made the second ally.
- **Unanimous**: at least three valid review ballots scored it, and on every one its score was strictly
  above every other score on that ballot ("single highest"). In ask mode: at least three valid rankings
  and every one put it first. Moment: the last of those ballots.
- **Contrarian**: either (a) its valid alliance ballot disagrees with at least three members whom a
  strict majority of the other valid alliance ballots (not its own, not the target's) named as an ally,
  or (b) the Spearman correlation between its scores and the mean of the other reviewers' scores for the
  same members is ≤ −0.3 over at least three members (ask mode: its ranking positions against the
  others' mean positions). Undefined correlations (a constant side) do not count. Moment: its alliance
  ballot for (a), its review or ranking for (b).
- **Peacemaker**: its valid alliance ballot has at least three agrees and no disagree, and the session's
  valid ballots declare at least three disagreements in total. Moment: its alliance ballot.
- **Iron Wall**: at least three valid scores received, every one ≥ 7, and no valid alliance ballot
  disagrees with it. Moment: the last alliance ballot (the last review if there were none).
- **Silver Tongue**: a share of the highest mean in this session and in its two previous *scored*
  sessions (finished sessions where it received valid scores; ask sessions neither extend nor break a
  streak). Earned when the streak reaches exactly three; a longer streak earns it again only after it
  has been broken. Moment: the ``aggregate`` event (else the last review).
- **Workhorse**: valid output in every stage = it did not fail, spoke at least once and every ballot it
  cast (review, ranking, alliance) was valid. Earned on the session that makes exactly 25 such
  finished sessions. Moment: the last event before the awards.
- **Dark Horse**: among this session's members that already have a lifetime mean (at least three of
  them), it had the strictly lowest lifetime mean before this session, and it has the strictly highest
  mean in this session. Moment: as Silver Tongue.
- **Rivalry** / **Best Friends**: two members whose valid alliance ballots disagree with (agree with)
  each other; earned by both on the session that makes exactly three such sessions for the pair.
  Moment: the later of the two ballots.

``evaluate`` returns at most one award per (member, badge) and leaves out awards already present as
``achievement`` events, so running it twice on a session awards nothing new.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .audit import ranks
from .events import Event

BADGES: dict[str, str] = {
    "Comeback King": "In the bottom two after review, then named as an ally by at least two members "
                     "after its rebuttal.",
    "Unanimous": "Every valid reviewer gave it their single highest score (at least three valid ballots).",
    "Contrarian": "Disagreed with at least three members most others allied with, or scored against "
                  "the others' consensus (Spearman ≤ −0.3).",
    "Peacemaker": "At least three alliances and no disagreement, in a session with at least three "
                  "disagreements overall.",
    "Iron Wall": "Every score received was 7 or more (at least three scores) and nobody disagreed with it.",
    "Silver Tongue": "The highest mean score three sessions in a row.",
    "Workhorse": "25 sessions with valid output in every stage.",
    "Dark Horse": "Last on the lifetime leaderboard before the session, first in it.",
    "Rivalry": "A pair in mutual disagreement in three sessions.",
    "Best Friends": "A pair in mutual alliance in three sessions.",
}

WORKHORSE_SESSIONS = 25
PAIR_SESSIONS = 3
STREAK = 3
IRON_WALL_MIN = 7.0
CONTRARIAN_RHO = -0.3
SPEECH_KINDS = ("topic", "opinion", "rebuttal", "answer", "synthesis")
_EPS = 1e-9


@dataclass(frozen=True)
class Award:
    member: str
    badge: str
    reason: str
    event_seq: int  # the event that earned it: the replay opens there

    def to_data(self) -> dict[str, Any]:
        """The payload of the ``achievement`` event."""
        return {"member": self.member, "badge": self.badge, "reason": self.reason,
                "event_seq": self.event_seq}


@dataclass(frozen=True)
class PastScore:
    """One earlier scored session of a member."""

    session_id: str
    mean_score: float
    top: bool  # had (a share of) the highest mean in that session


def pair(a: str, b: str) -> tuple[str, str]:
    """The key of an unordered pair of members."""
    return (a, b) if a <= b else (b, a)


@dataclass(frozen=True)
class History:
    """What the badges need to know about finished sessions before this one (the store fills it)."""

    recent: Mapping[str, Sequence[PastScore]] = field(default_factory=dict)  # oldest first
    valid_sessions: Mapping[str, int] = field(default_factory=dict)  # sessions with all-valid output
    lifetime_means: Mapping[str, float] = field(default_factory=dict)  # mean received score, lifetime
    mutual_disagreements: Mapping[tuple[str, str], int] = field(default_factory=dict)  # key: pair()
    mutual_alliances: Mapping[tuple[str, str], int] = field(default_factory=dict)

    @property
    def leaderboard(self) -> list[str]:
        """Member ids best first by lifetime mean (ties by id)."""
        return sorted(self.lifetime_means, key=lambda m: (-self.lifetime_means[m], m))

    def win_streak(self, member: str) -> int:
        """How many of the member's latest scored sessions in a row it topped."""
        n = 0
        for past in reversed(self.recent.get(member, ())):
            if not past.top:
                break
            n += 1
        return n


@dataclass
class Ballot:
    seq: int
    reviewer: str
    valid: bool
    scores: dict[str, float] = field(default_factory=dict)  # review: target -> score
    order: list[str] = field(default_factory=list)  # ranking: best first


@dataclass
class Stance:
    seq: int
    member: str
    valid: bool
    agree: set[str] = field(default_factory=set)
    disagree: set[str] = field(default_factory=set)


@dataclass
class SessionFacts:
    """One session's events digested into what the badges and personalities read."""

    mode: str = "debate"
    members: list[str] = field(default_factory=list)  # seat order
    names: dict[str, str] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)
    reviews: list[Ballot] = field(default_factory=list)
    rankings: list[Ballot] = field(default_factory=list)
    stances: dict[str, Stance] = field(default_factory=dict)  # the last alliance ballot per member
    turns: list[tuple[int, str, str, int]] = field(default_factory=list)  # (seq, kind, member, tokens)
    rebuttals: dict[str, int] = field(default_factory=dict)  # member -> seq of its rebuttal
    bottom: list[str] | None = None
    aggregate_seq: int | None = None
    last_seq: int = 0
    awarded: set[tuple[str, str]] = field(default_factory=set)

    @classmethod
    def from_events(cls, events: Sequence[Event]) -> SessionFacts:
        f = cls()
        for ev in events:
            if ev.kind == "token":
                continue
            d = ev.data
            if ev.kind != "achievement":
                f.last_seq = max(f.last_seq, ev.seq)
            if ev.kind == "roles":
                f.mode = str(d.get("mode") or "debate")
                for m in d.get("members") or []:
                    mid = str(m.get("id"))
                    if mid not in f.members:
                        f.members.append(mid)
                    f.names[mid] = str(m.get("name") or mid)
                    if m.get("status", "ok") != "ok":
                        f.failed.add(mid)
            elif ev.kind == "member_failed":
                f.failed.add(str(d.get("member")))
            elif ev.kind == "review":
                scores = {}
                for row in d.get("scores") or []:
                    if row.get("score") is not None and row.get("target") is not None:
                        scores[str(row["target"])] = float(row["score"])
                f.reviews.append(Ballot(ev.seq, str(d.get("reviewer")), bool(d.get("valid")), scores))
            elif ev.kind == "ranking":
                f.rankings.append(Ballot(ev.seq, str(d.get("reviewer")), bool(d.get("valid")),
                                         order=[str(x) for x in d.get("order") or []]))
            elif ev.kind == "alliance":
                member = str(d.get("member"))
                f.stances[member] = Stance(ev.seq, member, bool(d.get("valid")),
                                           {str(x) for x in d.get("agree") or [] if x != member},
                                           {str(x) for x in d.get("disagree") or [] if x != member})
            elif ev.kind in SPEECH_KINDS:
                speaker = d.get("member")
                if speaker is not None:
                    f.turns.append((ev.seq, ev.kind, str(speaker), int(d.get("tokens") or 0)))
                    if ev.kind == "rebuttal":
                        f.rebuttals[str(speaker)] = ev.seq
            elif ev.kind == "aggregate":
                f.aggregate_seq = ev.seq
                f.bottom = [str(x) for x in d.get("bottom") or []]
            elif ev.kind == "achievement":
                f.awarded.add((str(d.get("member")), str(d.get("badge"))))
        return f

    # -- derived views -------------------------------------------------------------------------

    def name(self, member: str) -> str:
        return self.names.get(member, member)

    def names_of(self, members: Sequence[str]) -> str:
        return ", ".join(self.name(m) for m in members)

    @property
    def valid_reviews(self) -> list[Ballot]:
        return [b for b in self.reviews if b.valid and b.scores]

    @property
    def valid_rankings(self) -> list[Ballot]:
        return [b for b in self.rankings if b.valid and b.order]

    @property
    def valid_stances(self) -> list[Stance]:
        return [s for s in self.stances.values() if s.valid]

    def received(self, member: str) -> list[float]:
        return [b.scores[member] for b in self.valid_reviews if member in b.scores]

    def means(self) -> dict[str, float]:
        """Mean valid score received, for members that received any."""
        out: dict[str, float] = {}
        for m in self._all_members():
            got = self.received(m)
            if got:
                out[m] = sum(got) / len(got)
        return out

    def top(self) -> set[str]:
        """Members sharing the highest mean received score."""
        means = self.means()
        if not means:
            return set()
        best = max(means.values())
        return {m for m, v in means.items() if v >= best - _EPS}

    def bottom_two(self) -> list[str]:
        if self.bottom is not None:
            return self.bottom
        means = self.means()
        seat = {m: i for i, m in enumerate(self._all_members())}
        return sorted(means, key=lambda m: (means[m], -seat[m]))[:2]

    def score_seq(self) -> int:
        """The moment the session's scores were settled."""
        if self.aggregate_seq is not None:
            return self.aggregate_seq
        return max((b.seq for b in self.valid_reviews), default=self.last_seq)

    def valid_output(self) -> dict[str, bool]:
        """Per member: did it produce valid output in every stage it took part in (see Workhorse)."""
        spoke = {m for _, _, m, _ in self.turns}
        out = {}
        for m in self._all_members():
            ballots_ok = all(b.valid for b in self.reviews + self.rankings if b.reviewer == m)
            stance = self.stances.get(m)
            out[m] = (m not in self.failed and m in spoke and ballots_ok
                      and (stance is None or stance.valid))
        return out

    def _all_members(self) -> list[str]:
        extra: list[str] = []
        for b in self.reviews:
            extra.extend(t for t in b.scores if t not in self.members and t not in extra)
        return self.members + extra


# -- statistics -------------------------------------------------------------------------------

def spearman(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Spearman's rho with average ranks for ties; None when a side is constant or too short."""
    if len(xs) != len(ys) or len(xs) < 2:
        return None
    rx, ry = ranks(xs, _EPS), ranks(ys, _EPS)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    if vx < _EPS or vy < _EPS:
        return None
    return cov / math.sqrt(vx * vy)


def judgement_correlation(facts: SessionFacts, member: str) -> tuple[float, int] | None:
    """(rho, seq): how the member's judgement of the others correlates with everyone else's.

    Debate: its scores against the mean of the other reviewers' scores for the same members. Ask: its
    ranking positions against the others' mean positions (lower is better on both sides, so the sign
    means the same). Needs at least three members judged by both sides.
    """
    xs: list[float] = []
    ys: list[float] = []
    if facts.mode == "ask":
        mine = next((b for b in facts.valid_rankings if b.reviewer == member), None)
        if mine is None:
            return None
        others = [b for b in facts.valid_rankings if b.reviewer != member]
        for pos, target in enumerate(mine.order):
            places = [b.order.index(target) for b in others if target in b.order]
            if places:
                xs.append(float(pos))
                ys.append(sum(places) / len(places))
        seq = mine.seq
    else:
        review = next((b for b in facts.valid_reviews if b.reviewer == member), None)
        if review is None:
            return None
        others = [b for b in facts.valid_reviews if b.reviewer != member]
        for target, score in review.scores.items():
            theirs = [b.scores[target] for b in others if target in b.scores]
            if theirs:
                xs.append(score)
                ys.append(sum(theirs) / len(theirs))
        seq = review.seq
    if len(xs) < 3:
        return None
    rho = spearman(xs, ys)
    return None if rho is None else (rho, seq)


def stance_majorities(facts: SessionFacts, member: str) -> dict[str, str]:
    """For each target the member declared a stance on: 'agree' or 'disagree' when a strict majority of
    the other valid alliance ballots (neither the member's nor the target's) named it so."""
    out: dict[str, str] = {}
    mine = facts.stances.get(member)
    if mine is None:
        return out
    for target in mine.agree | mine.disagree:
        others = [s for s in facts.valid_stances if s.member not in (member, target)]
        if not others:
            continue
        agree = sum(1 for s in others if target in s.agree)
        disagree = sum(1 for s in others if target in s.disagree)
        if agree * 2 > len(others):
            out[target] = "agree"
        elif disagree * 2 > len(others):
            out[target] = "disagree"
    return out


def mutual_pairs(facts: SessionFacts, stance: str) -> dict[tuple[str, str], int]:
    """Pairs whose valid ballots named each other with ``stance``; value: the later ballot's seq."""
    out: dict[tuple[str, str], int] = {}
    stances = {s.member: s for s in facts.valid_stances}
    for a, sa in stances.items():
        for b in (sa.agree if stance == "agree" else sa.disagree):
            sb = stances.get(b)
            if sb is None or a >= b:
                continue
            if a in (sb.agree if stance == "agree" else sb.disagree):
                out[(a, b)] = max(sa.seq, sb.seq)
    return out


# -- the rules ------------------------------------------------------------------------------------

Rule = Callable[[SessionFacts, History], list[Award]]


def _comeback_king(f: SessionFacts, h: History) -> list[Award]:
    out = []
    for m in f.bottom_two():
        rebuttal = f.rebuttals.get(m)
        if rebuttal is None:
            continue
        allies: list[str] = []
        for s in sorted(f.valid_stances, key=lambda s: s.seq):
            if s.seq > rebuttal and m in s.agree and s.member != m and s.member not in allies:
                allies.append(s.member)
                if len(allies) == 2:
                    out.append(Award(m, "Comeback King",
                                     f"In the bottom two after review, then {f.names_of(allies)} "
                                     f"named it an ally after its rebuttal.", s.seq))
                    break
    return out


def _unanimous(f: SessionFacts, h: History) -> list[Award]:
    out = []
    if f.mode == "ask":
        for m in f.members:
            ballots = [b for b in f.valid_rankings if m in b.order]
            if len(ballots) >= 3 and all(b.order[0] == m for b in ballots):
                out.append(Award(m, "Unanimous", f"Ranked first by all {len(ballots)} valid rankings.",
                                 max(b.seq for b in ballots)))
        return out
    for m in f._all_members():
        ballots = [b for b in f.valid_reviews if m in b.scores]
        if len(ballots) < 3:
            continue
        if all(all(b.scores[m] > v + _EPS for t, v in b.scores.items() if t != m) for b in ballots):
            out.append(Award(m, "Unanimous",
                             f"The single highest score on all {len(ballots)} valid reviews.",
                             max(b.seq for b in ballots)))
    return out


def _contrarian(f: SessionFacts, h: History) -> list[Award]:
    out = []
    for m in f.members:
        mine = f.stances.get(m)
        if mine is not None and mine.valid:
            majority = stance_majorities(f, m)
            against = sorted((t for t in mine.disagree if majority.get(t) == "agree"),
                             key=lambda t: f.members.index(t) if t in f.members else 99)
            if len(against) >= 3:
                out.append(Award(m, "Contrarian",
                                 f"Disagreed with {f.names_of(against)} while most others allied "
                                 f"with them.", mine.seq))
                continue
        corr = judgement_correlation(f, m)
        if corr is not None and corr[0] <= CONTRARIAN_RHO + _EPS:
            what = "ranking" if f.mode == "ask" else "scores"
            out.append(Award(m, "Contrarian",
                             f"Its {what} ran against the others' (Spearman {corr[0]:.2f}).", corr[1]))
    return out


def _peacemaker(f: SessionFacts, h: History) -> list[Award]:
    total = sum(len(s.disagree) for s in f.valid_stances)
    if total < 3:
        return []
    return [Award(s.member, "Peacemaker",
                  f"Allied with {len(s.agree)} members and disagreed with none while the council "
                  f"declared {total} disagreements.", s.seq)
            for s in sorted(f.valid_stances, key=lambda s: s.seq)
            if len(s.agree) >= 3 and not s.disagree]


def _iron_wall(f: SessionFacts, h: History) -> list[Award]:
    out = []
    opposed = {t for s in f.valid_stances for t in s.disagree}
    seq = max((s.seq for s in f.stances.values()), default=max(
        (b.seq for b in f.valid_reviews), default=f.last_seq))
    for m in f._all_members():
        got = f.received(m)
        if len(got) >= 3 and min(got) >= IRON_WALL_MIN - _EPS and m not in opposed:
            out.append(Award(m, "Iron Wall",
                             f"Every one of its {len(got)} scores was 7 or more (lowest {min(got):g}) "
                             f"and nobody disagreed with it.", seq))
    return out


def _silver_tongue(f: SessionFacts, h: History) -> list[Award]:
    means = f.means()
    return [Award(m, "Silver Tongue",
                  f"The highest mean score ({means[m]:.2f}) for the third session in a row.", f.score_seq())
            for m in sorted(f.top(), key=f._all_members().index)
            if h.win_streak(m) == STREAK - 1]


def _workhorse(f: SessionFacts, h: History) -> list[Award]:
    return [Award(m, "Workhorse", f"Valid output in every stage for the {WORKHORSE_SESSIONS}th time.",
                  f.last_seq)
            for m, ok in f.valid_output().items()
            if ok and h.valid_sessions.get(m, 0) + 1 == WORKHORSE_SESSIONS]


def _dark_horse(f: SessionFacts, h: History) -> list[Award]:
    means = f.means()
    top = f.top()
    if len(top) != 1:
        return []
    (m,) = top
    lifetime = {x: v for x, v in h.lifetime_means.items() if x in f.members}
    if len(lifetime) < 3 or m not in lifetime:
        return []
    low = min(lifetime.values())
    if lifetime[m] > low + _EPS or sum(1 for v in lifetime.values() if v <= low + _EPS) != 1:
        return []
    return [Award(m, "Dark Horse",
                  f"Last on the lifetime leaderboard ({lifetime[m]:.2f}) before the session, then the "
                  f"highest mean in it ({means[m]:.2f}).", f.score_seq())]


def _pair_badge(badge: str, stance: str, counts: Callable[[History], Mapping[tuple[str, str], int]],
                what: str) -> Rule:
    def rule(f: SessionFacts, h: History) -> list[Award]:
        out = []
        for (a, b), seq in sorted(mutual_pairs(f, stance).items(), key=lambda kv: kv[1]):
            if counts(h).get(pair(a, b), 0) + 1 == PAIR_SESSIONS:
                for x, y in ((a, b), (b, a)):
                    out.append(Award(x, badge, f"{what} with {f.name(y)} for the third session.", seq))
        return out
    return rule


RULES: dict[str, Rule] = {
    "Comeback King": _comeback_king,
    "Unanimous": _unanimous,
    "Contrarian": _contrarian,
    "Peacemaker": _peacemaker,
    "Iron Wall": _iron_wall,
    "Silver Tongue": _silver_tongue,
    "Workhorse": _workhorse,
    "Dark Horse": _dark_horse,
    "Rivalry": _pair_badge("Rivalry", "disagree", lambda h: h.mutual_disagreements, "Mutual disagreement"),
    "Best Friends": _pair_badge("Best Friends", "agree", lambda h: h.mutual_alliances, "Mutual alliance"),
}


def evaluate(events: Sequence[Event], history: History) -> list[Award]:
    """The badges this session earned, in ``BADGES`` order; at most one per (member, badge), and none
    that the events already record as an ``achievement``."""
    facts = SessionFacts.from_events(events)
    seen = set(facts.awarded)
    out: list[Award] = []
    for badge in BADGES:
        for award in RULES[badge](facts, history):
            key = (award.member, award.badge)
            if key not in seen:
                seen.add(key)
                out.append(award)
    return out


def session_members(events: Sequence[Event]) -> list[str]:
    """The member ids of the session's ``roles`` event, in seat order."""
    for ev in events:
        if ev.kind == "roles":
            return [str(m.get("id")) for m in ev.data.get("members") or []]
    return []


def valid_output(events: Sequence[Event]) -> dict[str, bool]:
    """Per member: valid output in every stage it took part in (the Workhorse condition)."""
    return SessionFacts.from_events(events).valid_output()


def make_finalize(history_for: Callable[[Sequence[str]], History]
                  ) -> Callable[[Sequence[Event]], list[Award]]:
    """Compose the orchestrator's end-of-session hook from a history source (e.g. the store)."""
    def finalize(events: Sequence[Event]) -> list[Award]:
        return evaluate(events, history_for(session_members(events)))
    return finalize
