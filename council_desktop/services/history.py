"""HistoryService: the stored sessions, analytics, badges and exports, as plain values for the window."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from ..core.achievements import BADGES
from ..core.audit import Audit
from ..core.events import Event
from ..core.fork import describe_changes
from ..core.personality import TRAITS
from ..core.transcript import build_transcript
from ..core.viewer import Agreement
from ..export import export_transcript
from ..storage import SessionRow, StorageError, Store, insights, queries

__all__ = [
    "TRAITS", "Agreement", "Audit", "BadgeAward", "Family", "HeadToHead", "HistoryError", "HistoryPoint",
    "HistoryService", "LeaderboardEntry", "MemberRef", "ModelEntry", "PersonalityPoint", "SessionSummary",
]

log = logging.getLogger(__name__)

SESSION_LIMIT = 200  # the browser lists at most this many (newest first); search reaches older ones
BADGE_LIMIT = 500
UNFINISHED = ("running", "interrupted")


class HistoryError(Exception):
    """A history operation failed; ``str(exc)`` is a message for the user."""


@dataclass(frozen=True)
class MemberRef:
    id: str
    name: str
    color: str = ""  # the colour it last sat with ("" if unknown)


@dataclass(frozen=True)
class SessionSummary(SessionRow):
    """A stored session (``storage.queries.SessionRow``) with the names and the family the window shows."""

    chairman_name: str = ""
    names: dict[str, str] = field(default_factory=dict)  # member id -> display name in that session
    parent: str | None = None  # a fork's parent session (issue 15)
    fork_stage: int | None = None
    forks: int = 0  # how many sessions were forked from this one

    @property
    def members_text(self) -> str:
        total = self.members_total if self.members_total is not None else len(self.members)
        ok = self.members_ok if self.members_ok is not None else total
        return f"{ok} of {total}"


@dataclass(frozen=True)
class LeaderboardEntry(queries.LeaderboardRow):
    """A leaderboard row (``storage.queries.LeaderboardRow``) with the colour the member last sat in."""

    color: str = ""


HistoryPoint = queries.HistoryPoint  # one finished session's mean received score


@dataclass(frozen=True)
class HeadToHead(queries.HeadToHead):
    """Two members compared (``storage.queries.HeadToHead``), with the names the window shows."""

    a_name: str = ""
    b_name: str = ""


ModelEntry = insights.ModelRow  # one model file across every persona it sat under (the by-model leaderboard)


@dataclass(frozen=True)
class Family:
    """A session's parent and the forks of it: (id, fork stage, topic, started_at)."""

    session: str
    parent: tuple[str, int | None, str, str] | None
    children: tuple[tuple[str, int | None, str, str], ...]
    changed: tuple[str, ...] = ()  # what a fork changed, one phrase each (core.fork.describe_changes)


BadgeAward = queries.BadgeRow  # a badge earned, with the moment (session, event seq) that earned it


@dataclass(frozen=True)
class PersonalityPoint:
    at: str
    session_id: str | None  # None for a reset
    kind: str  # update | reset
    traits: dict[str, float]  # every name in TRAITS, each in [0, 1]


class HistoryService(QObject):
    """Reads the history for the window (every query is bounded) and turns storage rows into the plain
    values above, so ui/ never imports storage/. Errors come out as HistoryError. The pages call the
    reads off the GUI thread, on the storage thread (ui/loading.py over query_op.QueryOp): a read makes
    no Qt object and touches no widget, and each thread has its own SQLite connection.

    Signals: ``changed()`` — after ``delete`` and ``notify_session_finished`` (lists and charts reload).
    """

    changed = Signal()

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._roles: dict[str, dict[str, MemberRef]] = {}  # per session: its seats, from the roles event

    @contextmanager
    def _reading(self, action: str) -> Iterator[None]:
        try:
            yield
        except StorageError as exc:
            log.warning("history: %s failed: %s", action, exc)
            raise HistoryError(str(exc)) from exc

    # -- sessions ------------------------------------------------------------------------------------

    def sessions(self, search: str = "", limit: int = SESSION_LIMIT) -> list[SessionSummary]:
        """Newest first; every word of ``search`` must appear in the topic, a response or a member's name."""
        with self._reading("listing sessions"):
            rows = self._store.sessions(search.strip() or None, limit=max(1, limit))
            return [self._summary(r) for r in rows]

    def session(self, session_id: str) -> SessionSummary | None:
        with self._reading("reading a session"):
            row = self._store.session(session_id)
            return None if row is None else self._summary(row)

    def latest_session_id(self) -> str | None:
        with self._reading("listing sessions"):
            rows = self._store.sessions(None, limit=1)
        return rows[0].id if rows else None

    def events(self, session_id: str) -> list[Event]:
        """Every stored event of the session in order (``turn_started`` included, no token deltas). A
        session that never completed simply ends at its last recorded event (its ``status`` says why)."""
        with self._reading("reading a session"):
            return self._store.load_events(session_id)

    def delete(self, session_id: str) -> bool:
        with self._reading("deleting a session"):
            removed = self._store.delete_session(session_id)
        self._roles.pop(session_id, None)
        if removed:
            self.changed.emit()
        return removed

    def export(self, session_id: str, path: str | os.PathLike[str]) -> Path:
        """Write the session's transcript (the format follows the extension: .md, .json, .html). A session
        that never finished exports what it has, marked "interrupted"."""
        with self._reading("exporting a session"):
            row = self._store.session(session_id)
            if row is None:
                raise HistoryError(f"There is no session {session_id} in the history.")
            events = self._store.transcript_events(session_id)
        status = "interrupted" if row.status in UNFINISHED else None
        transcript = build_transcript(events, session_id, status)
        try:
            return export_transcript(transcript, path)
        except (OSError, ValueError) as exc:
            raise HistoryError(f"Could not export the transcript to {path}: {exc}") from exc

    @Slot()
    def notify_session_finished(self) -> None:
        """The app calls this when a live session ends: lists, charts and badges reload."""
        self.changed.emit()

    # -- analytics -----------------------------------------------------------------------------------

    def members(self) -> list[MemberRef]:
        """Every member that sat in a finished session, leaderboard order."""
        return [MemberRef(e.member, e.name, e.color) for e in self.leaderboard()]

    def leaderboard(self) -> list[LeaderboardEntry]:
        with self._reading("reading the leaderboard"):
            rows = self._store.leaderboard()
        colors = self._recent_colors()
        return [LeaderboardEntry(**_fields_of(r), color=colors.get(r.member, "")) for r in rows]

    def member_history(self, member_id: str) -> list[HistoryPoint]:
        with self._reading("reading a member's history"):
            return list(self._store.member_history(member_id))

    def head_to_head(self, a: str, b: str) -> HeadToHead:
        with self._reading("reading a head-to-head"):
            h = self._store.head_to_head(a, b)
            names = {e.member: e.name for e in self._store.leaderboard()}
        return HeadToHead(**_fields_of(h),
                          a_name=names.get(h.a, h.a), b_name=names.get(h.b, h.b))

    def personality_history(self, member_id: str) -> list[PersonalityPoint]:
        with self._reading("reading a personality's history"):
            points = self._store.personality_history(member_id)
        return [PersonalityPoint(p.at, p.session_id, p.kind, {t: float(getattr(p.traits, t)) for t in TRAITS})
                for p in points]

    # -- issue 15: by model, the audit, the viewer, families -----------------------------------------

    def leaderboard_by_model(self) -> list[ModelEntry]:
        with self._reading("reading the leaderboard by model"):
            return self._store.leaderboard_by_model()

    def audit(self) -> Audit:
        with self._reading("reading the bias audit"):
            return self._store.audit()

    def viewer_agreement(self) -> list[Agreement]:
        with self._reading("reading your ballots"):
            return self._store.viewer_agreement()

    def family(self, session_id: str) -> Family:
        """The session's parent (if it is a fork) and its forks, each with its topic and start."""
        with self._reading("reading a session's family"):
            lin = self._store.lineage(session_id)

            def describe(sid: str, stage: int | None) -> tuple[str, int | None, str, str]:
                row = self._store.session(sid)
                return (sid, stage, row.topic if row else "", row.started_at if row else "")

            changed: list[str] = []
            if lin.parent:
                names = {mid: ref.name for mid, ref in self._seats(session_id).items()}
                for e in self._store.load_events(session_id, kinds=("forked",))[:1]:
                    changed = describe_changes(e.data.get("changes") or {}, lambda m: names.get(m, m))
            return Family(session_id, describe(lin.parent, lin.fork_stage) if lin.parent else None,
                          tuple(describe(c, st) for c, st in lin.children), tuple(changed))

    # -- badges --------------------------------------------------------------------------------------

    @staticmethod
    def badges() -> dict[str, str]:
        """Every badge's name and its rule, in display order."""
        return dict(BADGES)

    def hall_of_fame(self, limit: int = BADGE_LIMIT) -> list[BadgeAward]:
        """Badges earned, newest first, each with the moment (session, event seq) that earned it."""
        with self._reading("reading the hall of fame"):
            return list(self._store.hall_of_fame(max(1, limit)))

    # -- helpers -------------------------------------------------------------------------------------

    def _seats(self, session_id: str) -> dict[str, MemberRef]:
        """The session's members as its roles event named them (cached: a roles event never changes)."""
        seats = self._roles.get(session_id)
        if seats is None:
            roles = self._store.load_events(session_id, kinds=("roles",))
            members = roles[0].data.get("members") or [] if roles else []
            seats = {str(m["id"]): MemberRef(str(m["id"]), str(m.get("name") or m["id"]), str(m.get("color") or ""))
                     for m in members if isinstance(m, dict) and m.get("id") is not None}
            self._roles[session_id] = seats
        return seats

    def _summary(self, row: SessionRow) -> SessionSummary:
        forks = self._forks()
        parent, stage = forks.get(row.id, (None, None))
        children = sum(1 for p, _ in forks.values() if p == row.id)
        seats = self._seats(row.id)
        names = {mid: ref.name for mid, ref in seats.items()}
        chair = row.chairman
        base = {f.name: getattr(row, f.name) for f in fields(SessionRow)}
        return SessionSummary(**{**base, "chairman": chair, "members": tuple(row.members)},
                              chairman_name=names.get(chair, chair or "") if chair else "", names=names,
                              parent=parent, fork_stage=stage, forks=children)

    def _forks(self) -> dict[str, tuple[str, int | None]]:
        return self._store.forks()

    def _recent_colors(self, sessions: int = 30) -> dict[str, str]:
        """Each member's colour in the newest sessions that seated it (the chart colours)."""
        colors: dict[str, str] = {}
        for row in self._store.sessions(None, limit=sessions):
            for mid, ref in self._seats(row.id).items():
                if ref.color and mid not in colors:
                    colors[mid] = ref.color
        return colors


def _fields_of(row: object) -> dict[str, Any]:
    """A storage dataclass's fields, to build the service's richer value from it."""
    return {f.name: getattr(row, f.name) for f in fields(row)}  # type: ignore[arg-type]
