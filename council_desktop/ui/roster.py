"""Who sits at the council and what each member is doing, read from the event stream (no Qt)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.events import Event

# ready and unloaded only between sessions (the seated council, ``preview`` roles); idle means waiting for a turn.
STATUSES = ("loading", "ready", "unloaded", "idle", "thinking", "speaking", "done", "failed")
SPEECH_KINDS = ("topic", "opinion", "rebuttal", "answer", "synthesis")
BALLOT_KINDS = {"review": "reviewer", "ranking": "reviewer", "alliance": "member"}


@dataclass
class MemberInfo:
    id: str
    name: str
    model: str = ""
    persona: str = ""
    color: str = "#7aa2f7"
    status: str = "idle"
    reason: str = ""
    traits: dict[str, float] = field(default_factory=dict)
    nudges: list[str] = field(default_factory=list)
    achievements: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def from_payload(cls, d: dict[str, Any], nudges: list[str], preview: bool = False) -> MemberInfo:
        """``preview``: the council seated between sessions, where a loaded seat is "ready"."""
        raw_traits = d.get("traits") or d.get("personality") or {}
        traits = {str(k): float(v) for k, v in raw_traits.items() if isinstance(v, int | float)} \
            if isinstance(raw_traits, dict) else {}
        status = str(d.get("status") or "ok")
        if status == "ok":
            status = "ready" if preview else "idle"
        elif status not in STATUSES:
            status = "idle"
        return cls(id=str(d["id"]), name=str(d.get("name") or d["id"]), model=str(d.get("model") or ""),
                   persona=str(d.get("persona") or ""), color=str(d.get("color") or "#7aa2f7"),
                   status=status, reason=str(d.get("reason") or ""), traits=traits, nudges=[str(n) for n in nudges])


class Roster:
    """Statuses follow the events: turn_started → thinking, token → speaking, the finished turn or
    ballot → done, member_failed → failed (sticky); a new stage sets the others back to idle."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.members: dict[str, MemberInfo] = {}
        self.mode = "debate"
        self.seed: int | None = None
        self.proposer: str | None = None
        self.chairman: str | None = None
        self.bottom: list[str] = []
        self.stage_index = -1
        self.stage_name = ""
        self.complete: dict[str, Any] | None = None

    # -- reading ---------------------------------------------------------------------------------

    def name(self, member_id: str | None) -> str:
        if member_id is None:
            return "you"
        info = self.members.get(member_id)
        return info.name if info else member_id

    def status(self, member_id: str) -> str:
        info = self.members.get(member_id)
        return info.status if info else "idle"

    @property
    def total(self) -> int:
        if self.complete and isinstance(self.complete.get("members_total"), int):
            return int(self.complete["members_total"])
        return len(self.members)

    @property
    def ok(self) -> int:
        if self.complete and isinstance(self.complete.get("members_ok"), int):
            return int(self.complete["members_ok"])
        return sum(1 for m in self.members.values() if m.status != "failed")

    def active_speakers(self) -> list[str]:
        return [m.id for m in self.members.values() if m.status in ("thinking", "speaking")]

    # -- applying --------------------------------------------------------------------------------

    def apply(self, event: Event) -> set[str]:
        """Update from one event; returns the ids whose status, reason or roles changed."""
        d = event.data
        kind = event.kind
        if kind == "roles":
            nudges = d.get("nudges") or {}
            self.reset()
            self.mode = str(d.get("mode") or "debate")
            self.seed = d.get("seed")
            for m in d.get("members") or []:
                info = MemberInfo.from_payload(m, list(nudges.get(m.get("id"), []) or []), bool(d.get("preview")))
                self.members[info.id] = info
            # Ask mode has no proposer (the user asks), whatever the rotation says.
            self.proposer = d.get("proposer") if self.mode == "debate" else None
            self.chairman = d.get("chairman")
            return set(self.members)
        if kind == "stage":
            self.stage_index = int(d.get("index", -1))
            self.stage_name = str(d.get("name") or "")
            return self._set_all(lambda s: s in ("thinking", "speaking", "done"), "idle")
        if kind == "turn_started":
            return self._set(d.get("member"), "thinking")
        if kind == "token":
            return self._set(d.get("member"), "speaking")
        if kind in SPEECH_KINDS:
            return self._set(d.get("member"), "done")
        if kind in BALLOT_KINDS:
            return self._set(d.get(BALLOT_KINDS[kind]), "done")
        if kind == "aggregate":
            self.bottom = [str(b) for b in d.get("bottom") or []]
            return set()
        if kind == "chair_changed":
            changed = {x for x in (self.chairman, d.get("chairman")) if x}
            self.chairman = d.get("chairman")
            return changed
        if kind == "member_failed":
            failed = self.members.get(str(d.get("member") or ""))
            if failed is None:
                return set()
            failed.status, failed.reason = "failed", str(d.get("reason") or "")
            return {failed.id}
        if kind == "achievement":
            winner = self.members.get(str(d.get("member") or ""))
            if winner is None:
                return set()
            winner.achievements.append((str(d.get("badge") or ""), str(d.get("reason") or "")))
            return {winner.id}
        if kind == "complete":
            self.complete = dict(d)
            return self._set_all(lambda s: s in ("thinking", "speaking", "idle", "loading"), "done")
        return set()

    def _set(self, member_id: Any, status: str) -> set[str]:
        info = self.members.get(member_id) if isinstance(member_id, str) else None
        if info is None or info.status == "failed" or info.status == status:
            return set()
        info.status = status
        return {info.id}

    def _set_all(self, when: Any, status: str) -> set[str]:
        changed = set()
        for info in self.members.values():
            if info.status != "failed" and when(info.status) and info.status != status:
                info.status = status
                changed.add(info.id)
        return changed
