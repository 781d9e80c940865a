"""The transcript as the writers show it: names resolved, numbers formatted, results placed in their stage.

Both the Markdown and the HTML writer render this one view, so they cannot disagree about what a
transcript says. Everything here is plain text; escaping is the writers' job.

Optional keys beyond docs/ARCHITECTURE.md, "The transcript", that the view understands when present:
``status`` (top level), ``reason`` and ``color`` on a member, ``reason`` on a review or ranking,
``borda`` on an aggregate row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from ..core.events import ASK_STAGES, DEBATE_STAGES
from ..core.fork import describe_changes
from .schema import validate

Tone = Literal["good", "mid", "bad", "none"]

# Tokyo Night accents, in seat order, for members that carry no colour of their own.
PALETTE = ("#7aa2f7", "#bb9af7", "#7dcfff", "#9ece6a", "#ff9e64", "#73daca", "#f7768e", "#e0af68")
UNKNOWN_COLOR = "#565f89"
# Colours go into a style attribute: only a plain hex colour may pass, never arbitrary CSS.
_HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")

STAGE_TITLES = {
    "topic": "Topic", "opinions": "Opinions", "review": "Peer review", "rebuttals": "Rebuttals",
    "alliances": "Alliances", "synthesis": "Synthesis",
    "question": "Question", "answers": "Answers", "ranking": "Ranking", "chairman": "Chairman's answer",
}
OPENING_STAGES = ("topic", "question")
FINAL_STAGES = ("synthesis", "chairman")
# Turns whose content the result tables already show; their raw text is kept but folded away.
BALLOT_KINDS = ("review", "ranking", "alliance")

BANNERS = {
    "interrupted": "This session was interrupted; the transcript shows what was recorded.",
    "running": "This session was interrupted; the transcript shows what was recorded.",
    "cancelled": "This session was stopped before it finished; the transcript shows what was recorded.",
    "failed": "This session failed; the transcript shows what was recorded.",
}


@dataclass(frozen=True)
class MemberView:
    id: str
    name: str
    model: str
    persona: str
    failed: bool
    reason: str
    color: str
    roles: tuple[str, ...]  # "proposer", "chairman"


@dataclass(frozen=True)
class Score:
    text: str  # "7", "6.7", "—"
    tone: Tone
    value: float | None


@dataclass(frozen=True)
class TurnView:
    member: str
    member_id: str | None
    kind: str
    text: str
    stats: str  # "123 tokens · 4.5 s · 27 tok/s", or "" when nothing was measured
    color: str
    failed: bool


@dataclass(frozen=True)
class ReviewView:
    reviewer: str
    target: str
    label: str
    score: Score
    valid: bool
    reason: str


@dataclass(frozen=True)
class GridCell:
    score: Score
    label: str
    valid: bool


@dataclass(frozen=True)
class ReviewRow:
    reviewer: MemberView
    cells: tuple[GridCell | None, ...]  # one per grid target; None on the diagonal or when missing
    valid: bool
    reason: str


@dataclass(frozen=True)
class RankingView:
    reviewer: str
    order: tuple[str, ...]
    valid: bool
    reason: str


@dataclass(frozen=True)
class AggregateRow:
    position: int
    member: MemberView
    mean: Score
    bar_percent: int  # the mean score as a share of 10, for a bar
    borda_percent: int  # normalised Borda (0–1) as a percentage
    average_rank: str
    borda: str
    rebutted: bool


@dataclass(frozen=True)
class AllianceView:
    source: str
    target: str
    stance: str
    tone: Tone  # agree → good, disagree → bad


@dataclass(frozen=True)
class AllianceRow:
    member: MemberView
    cells: tuple[str | None, ...]  # the stance toward each grid member, None when not declared
    self_index: int | None  # the member's own column, if it has one


@dataclass(frozen=True)
class AchievementView:
    member: MemberView
    badge: str
    reason: str


@dataclass
class StageView:
    index: int
    name: str
    title: str
    notes: list[str] = field(default_factory=list)
    turns: list[TurnView] = field(default_factory=list)
    ballots: list[TurnView] = field(default_factory=list)  # raw ballot texts, folded away
    blocks: list[str] = field(default_factory=list)  # result tables placed here, in order
    final: list[TurnView] = field(default_factory=list)  # the synthesis / chairman's answer cards


@dataclass
class TranscriptView:
    mode: str
    title: str
    topic_label: str
    topic: str
    session_id: str
    started: str
    finished: str
    duration: str
    status: str
    status_label: str
    banner: str
    proposer: MemberView | None
    chairman: MemberView | None
    members: list[MemberView]
    members_line: str  # "5 members" or "4 of 5 members"
    failed: list[MemberView]
    stages: list[StageView]
    reviews: list[ReviewView]
    review_targets: list[MemberView]
    review_rows: list[ReviewRow]
    rankings: list[RankingView]
    aggregate: list[AggregateRow]
    show_mean: bool
    show_average_rank: bool
    show_borda: bool
    rebuttals: list[MemberView]
    alliances: list[AllianceView]
    alliance_members: list[MemberView]
    alliance_rows: list[AllianceRow]
    achievements: list[AchievementView]
    orphan_blocks: list[str]  # results whose stage was never recorded
    orphan_final: list[TurnView]
    note: str = ""  # how the session ended, in a sentence ("4 of 5 members: …"), when there is more to say
    parent: str = ""  # "session 1a2b3c4d…, re-run from stage 3 (rebuttals); chair: Skeptic" for a fork
    viewer: list[str] = field(default_factory=list)  # the viewer's ballots, one plain sentence each


def score_tone(value: float | None, valid: bool = True) -> Tone:
    """8–10 good, 5–7 middling, 1–4 bad (fractional expected scores round to the nearest band)."""
    if value is None or not valid:
        return "none"
    if value >= 7.5:
        return "good"
    if value >= 4.5:
        return "mid"
    return "bad"


def _number(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def make_score(value: object, valid: bool = True, digits: int = 1) -> Score:
    number = _number(value)
    if number is None:
        return Score("—", "none", None)
    text = str(int(number)) if number.is_integer() and digits <= 1 else f"{number:.{digits}f}"
    return Score(text, score_tone(number, valid), number)


def _fmt(value: object, digits: int = 2) -> str:
    number = _number(value)
    return "—" if number is None else f"{number:.{digits}f}"


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def format_time(value: object) -> str:
    moment = _parse_time(value)
    if moment is None:
        return value if isinstance(value, str) else ""
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M")
    offset = moment.utcoffset()
    if offset is not None and offset.total_seconds() == 0:
        return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return moment.strftime("%Y-%m-%d %H:%M UTC%z")


def format_duration(start: object, end: object) -> str:
    a, b = _parse_time(start), _parse_time(end)
    if a is None or b is None or (a.tzinfo is None) != (b.tzinfo is None):
        return ""
    seconds = round((b - a).total_seconds())
    if seconds < 0:
        return ""
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


def turn_stats(turn: Mapping[str, Any]) -> str:
    tokens, seconds = _number(turn.get("tokens")), _number(turn.get("seconds"))
    parts = []
    if tokens:
        parts.append(f"{int(tokens)} tokens")
    if seconds:
        parts.append(f"{seconds:.1f} s")
    if tokens and seconds:
        parts.append(f"{tokens / seconds:.0f} tok/s")
    return " · ".join(parts)


def _text(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


class _Members:
    """Id → member view, inventing a plain entry for ids the roster does not list."""

    def __init__(self, t: Mapping[str, Any]) -> None:
        proposer, chairman = t.get("proposer"), t.get("chairman")
        self.ordered: list[MemberView] = []
        self._by_id: dict[str, MemberView] = {}
        for i, m in enumerate(t["members"]):
            color = _text(m.get("color"))
            roles = tuple(r for r, who in (("proposer", proposer), ("chairman", chairman)) if who == m["id"])
            view = MemberView(
                id=m["id"], name=m["name"] or m["id"], model=_text(m.get("model")),
                persona=_text(m.get("persona")), failed=m.get("status") == "failed",
                reason=_text(m.get("failure") or m.get("reason")),  # core.transcript writes "failure"
                color=color if _HEX_COLOR.fullmatch(color) else PALETTE[i % len(PALETTE)], roles=roles)
            self.ordered.append(view)
            self._by_id.setdefault(view.id, view)

    def get(self, member_id: str | None) -> MemberView:
        if member_id is None:
            return MemberView("", "You", "", "", False, "", UNKNOWN_COLOR, ())
        found = self._by_id.get(member_id)
        if found is None:
            found = MemberView(member_id, member_id, "", "", False, "", UNKNOWN_COLOR, ())
            self._by_id[member_id] = found
        return found

    def in_order(self, ids: Sequence[str | None]) -> list[MemberView]:
        """The members named in ``ids``: roster order first, then unknown ids as they appear."""
        wanted = {i for i in ids if i is not None}
        known = [m for m in self.ordered if m.id in wanted]
        seen = {m.id for m in known}
        extra = [self.get(i) for i in dict.fromkeys(ids) if i is not None and i not in seen]
        return known + extra


def _turn(members: _Members, turn: Mapping[str, Any]) -> TurnView:
    member = members.get(turn.get("member"))
    kind = _text(turn.get("kind"))
    return TurnView(member=member.name, member_id=turn.get("member"), kind=kind, text=turn["text"],
                    stats=turn_stats(turn), color=member.color, failed=member.failed)


def build_view(t: Mapping[str, Any]) -> TranscriptView:
    """Validate ``t`` and turn it into the view both writers render."""
    validate(t)
    mode = t["mode"]
    members = _Members(t)
    status = t.get("status") or "finished"

    reviews = [
        ReviewView(reviewer=members.get(r["reviewer"]).name,
                   target=members.get(r["target"]).name if r.get("target") else "—",
                   label=_text(r.get("label")), score=make_score(r.get("score"), r.get("valid", True) is True),
                   valid=r.get("valid", True) is True, reason=_text(r.get("reason")))
        for r in t.get("reviews") or []
    ]
    review_rows, review_targets = _review_grid(members, t.get("reviews") or [])
    rankings = [
        RankingView(reviewer=members.get(r["reviewer"]).name,
                    order=tuple(members.get(i).name for i in r["order"] if isinstance(i, str)),
                    valid=r.get("valid", True) is True, reason=_text(r.get("reason")))
        for r in t.get("rankings") or []
    ]
    rebutted = {r for r in t.get("rebuttals") or []}
    aggregate = [
        AggregateRow(position=i + 1, member=members.get(row["member"]),
                     mean=make_score(row.get("mean_score"), digits=2),
                     bar_percent=max(0, min(100, round((_number(row.get("mean_score")) or 0) * 10))),
                     borda_percent=max(0, min(100, round((_number(row.get("borda")) or 0) * 100))),
                     average_rank=_fmt(row.get("average_rank")), borda=_fmt(row.get("borda")),
                     rebutted=row["member"] in rebutted)
        for i, row in enumerate(t.get("aggregate") or [])
    ]
    alliances = [
        AllianceView(source=members.get(a["from"]).name, target=members.get(a["to"]).name,
                     stance=a["stance"], tone="good" if a["stance"] == "agree"
                     else "bad" if a["stance"] == "disagree" else "none")
        for a in t.get("alliances") or []
    ]
    alliance_members = members.in_order([a["from"] for a in t.get("alliances") or []]
                                        + [a["to"] for a in t.get("alliances") or []])
    alliance_rows = _alliance_grid(members, alliance_members, t.get("alliances") or [])

    available = [name for name, present in (
        ("reviews", reviews), ("rankings", rankings), ("aggregate", aggregate), ("rebuttals", rebutted),
        ("alliances", alliances)) if present]
    home = {"reviews": "review", "rankings": "ranking", "rebuttals": "rebuttals", "alliances": "alliances",
            # The tally follows the judgement it sums: peer review in a debate, ranking in ask mode.
            "aggregate": "review" if reviews or mode == "debate" else "ranking"}

    topic = t["topic"]
    stages: list[StageView] = []
    synthesis = t.get("synthesis")
    synthesis_placed = False
    placed: set[str] = set()
    for s in sorted(t["stages"], key=lambda s: s["index"]):
        name = s["name"]
        stage = StageView(index=s["index"], name=name, title=STAGE_TITLES.get(name, name.replace("_", " ").title()))
        for turn in s["turns"]:
            view = _turn(members, turn)
            if name in OPENING_STAGES and topic.strip() and turn["text"].strip() == topic.strip():
                # The header already shows the topic; say who proposed it instead of repeating it.
                who = "Asked by you" if turn.get("member") is None else f"Proposed by {view.member}"
                stage.notes.append(who + (f" · {view.stats}" if view.stats else ""))
            elif name in FINAL_STAGES or view.kind == "synthesis":
                stage.final.append(view)
            elif view.kind in BALLOT_KINDS:
                stage.ballots.append(view)
            else:
                stage.turns.append(view)
        if name in FINAL_STAGES and not stage.final and synthesis:
            stage.final.append(_synthesis_turn(members, synthesis))
        synthesis_placed = synthesis_placed or bool(stage.final)
        stage.blocks = [b for b in available if home[b] == name]
        placed.update(stage.blocks)
        if "rebuttals" in stage.blocks:
            stage.blocks.remove("rebuttals")
            names = [members.get(r).name for r in t.get("rebuttals") or []]
            stage.notes.append("Lowest mean scores after review, called to rebut: " + " and ".join(names))
        stages.append(stage)

    proposer = members.get(t["proposer"]) if t.get("proposer") else None
    chairman = members.get(t["chairman"]) if t.get("chairman") else None
    failed = [m for m in members.ordered if m.failed]
    total = len(members.ordered)
    members_line = (f"{total - len(failed)} of {total} members" if failed
                    else f"{total} member" + ("" if total == 1 else "s"))
    return TranscriptView(
        mode=mode, title="Council debate" if mode == "debate" else "Council question",
        topic_label="Topic" if mode == "debate" else "Question", topic=topic,
        session_id=t["session_id"], started=format_time(t["started_at"]),
        finished=format_time(t.get("finished_at")),
        duration=format_duration(t["started_at"], t.get("finished_at")),
        status=status, status_label=status.capitalize(), banner=BANNERS.get(status, ""),
        proposer=proposer, chairman=chairman, members=members.ordered, members_line=members_line,
        failed=failed, stages=stages, reviews=reviews, review_targets=review_targets,
        review_rows=review_rows, rankings=rankings, aggregate=aggregate,
        show_mean=any(_number(r.get("mean_score")) is not None for r in t.get("aggregate") or []),
        show_average_rank=any(_number(r.get("average_rank")) is not None for r in t.get("aggregate") or []),
        show_borda=any(_number(r.get("borda")) is not None for r in t.get("aggregate") or []),
        rebuttals=[members.get(r) for r in t.get("rebuttals") or []],
        alliances=alliances, alliance_members=alliance_members, alliance_rows=alliance_rows,
        achievements=[AchievementView(members.get(a["member"]), a["badge"], _text(a.get("reason")))
                      for a in t.get("achievements") or []],
        orphan_blocks=[b for b in available if b not in placed],
        orphan_final=[] if synthesis_placed or not synthesis else [_synthesis_turn(members, synthesis)],
        note=_text(t.get("note")),
        parent=_parent_line(t, members),
        viewer=_viewer_lines(t, members),
    )


def _parent_line(t: Mapping[str, Any], members: _Members) -> str:
    parent = t.get("parent")
    if not isinstance(parent, Mapping) or not parent.get("session_id"):
        return ""
    names = DEBATE_STAGES if t.get("mode", "debate") == "debate" else ASK_STAGES
    stage = parent.get("stage")
    where = f"stage {stage}" + (f" ({names[stage]})" if isinstance(stage, int) and 0 <= stage < len(names) else "")
    said = describe_changes(parent.get("changes") or {}, lambda mid: members.get(mid).name)
    return (f"session {_text(parent['session_id'])}, re-run from {where}"
            + (f"; {'; '.join(said)}" if said else ""))


def _viewer_lines(t: Mapping[str, Any], members: _Members) -> list[str]:
    out = []
    for b in t.get("viewer") or []:
        if b.get("kind") == "alliance":
            agree = ", ".join(members.get(str(m)).name for m in b.get("agree") or []) or "nobody"
            disagree = ", ".join(members.get(str(m)).name for m in b.get("disagree") or []) or "nobody"
            out.append(f"Stage {b.get('stage')}: you agree with {agree} and disagree with {disagree}.")
            continue
        scores = ", ".join(f"{members.get(str(r['target'])).name} {r['score']}" for r in b.get("scores") or [])
        counted = "counted in the aggregate" if b.get("counted") else "shown beside the council's, not counted"
        out.append(f"Stage {b.get('stage')} ({b.get('kind')}): you scored {scores} ({counted}).")
    return out


def _synthesis_turn(members: _Members, synthesis: Mapping[str, Any]) -> TurnView:
    return _turn(members, {"member": synthesis.get("member"), "kind": "synthesis", "text": synthesis["text"]})


def _review_grid(members: _Members, reviews: Sequence[Mapping[str, Any]]
                 ) -> tuple[list[ReviewRow], list[MemberView]]:
    """Reviewer × target: who gave whom what, for a compact matrix."""
    reviewers = members.in_order([r["reviewer"] for r in reviews])
    targets = members.in_order([r.get("target") for r in reviews])
    rows = []
    for reviewer in reviewers:
        own = [r for r in reviews if r["reviewer"] == reviewer.id]
        by_target = {r.get("target"): r for r in own}
        valid = all(r.get("valid", True) is True for r in own)
        cells = tuple(
            None if target.id not in by_target else GridCell(
                score=make_score(by_target[target.id].get("score"), by_target[target.id].get("valid", True) is True),
                label=_text(by_target[target.id].get("label")),
                valid=by_target[target.id].get("valid", True) is True)
            for target in targets)
        reason = next((_text(r.get("reason")) for r in own if r.get("reason")), "")
        rows.append(ReviewRow(reviewer=reviewer, cells=cells, valid=valid, reason=reason))
    return rows, targets


def _alliance_grid(members: _Members, grid: Sequence[MemberView], alliances: Sequence[Mapping[str, Any]]
                   ) -> list[AllianceRow]:
    stance = {(a["from"], a["to"]): a["stance"] for a in alliances}
    sources = members.in_order([a["from"] for a in alliances])
    ids = [other.id for other in grid]
    return [AllianceRow(member=m, cells=tuple(stance.get((m.id, other)) for other in ids),
                        self_index=ids.index(m.id) if m.id in ids else None) for m in sources]
