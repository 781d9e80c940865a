"""The history database: opening it safely, recording sessions as they happen, reading them back.

Threads: peewee keeps one SQLite connection per thread. Only the orchestrator's thread writes sessions
(through ``recorder``); reads may come from any thread, each gets its own connection (WAL lets them run
while a session is being written).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, cast

import peewee
from peewee import SqliteDatabase

from ..core import achievements, personality, viewer
from ..core import events as ev_types
from ..core.achievements import Award, History, PastScore
from ..core.audit import Audit
from ..core.audit import audit as compute_audit
from ..core.events import Event
from ..core.personality import TRAITS, Traits
from ..core.viewer import Agreement
from . import insights, migrations, queries
from .errors import StorageError, guarded
from .liveness import SessionClaim, is_live
from .models import (
    SESSION_STATUSES,
    Alliance,
    EventRecord,
    Member,
    ModelAchievement,
    ModelPersonality,
    PeerReview,
    PersonalityHistory,
    Ranking,
    Response,
    Session,
    SessionMember,
    Synthesis,
)
from .queries import BadgeRow, HeadToHead, HistoryPoint, LeaderboardRow, PersonalityPoint, SessionRow

log = logging.getLogger(__name__)

DEFAULT_BUSY_TIMEOUT_MS = 5000
RECENT_SESSIONS = 10  # past scored sessions per member kept in History.recent
INTERRUPTED_REASON = "The app stopped before the session ended."
TRANSCRIPT_SKIP = ("turn_started",)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class SessionRecorder:
    """An event sink that stores one session as it happens (``Store.recorder`` makes one).

    Call it only from the orchestrator's thread. Each non-token event is written in its own short
    transaction: the ``events`` row plus the structured rows derived from it. Token deltas are not
    stored. If a write fails (disk full, database locked) the call raises StorageError with a message
    for the user; the event stays queued and is written, in order, by the next call or by ``flush()``,
    so a passing problem loses nothing. Writing an event that is already stored is a no-op.
    """

    RETRY_S = 10.0  # after a failed write, queue events this long before trying again

    def __init__(self, store: Store, session_id: str, clock: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self.session_id = session_id
        self._pending: list[Event] = []
        self._clock = clock
        self._retry_at = 0.0
        self._claim: SessionClaim | None = None

    @property
    def pending(self) -> int:
        """Events received but not yet written (non-zero only after a StorageError)."""
        return len(self._pending)

    def __call__(self, event: Event) -> None:
        if event.kind == "token":
            return
        if self._claim is None:
            # Marks the session as live for other processes opening this history (liveness.py).
            self._claim = SessionClaim(self.store.path, self.session_id)
        self._pending.append(event)
        # A locked database makes every write wait for the busy timeout: after a failure, queue for a
        # while instead of stalling the orchestrator (the GUI thread in the app) on every event.
        if self._clock() < self._retry_at:
            return
        try:
            self.flush()
        except StorageError:
            self._retry_at = self._clock() + self.RETRY_S
            raise

    def close(self) -> None:
        """Stop claiming the session as live (what the end of the process does too). A session closed
        before its ``complete`` event stays ``running`` until a start-up marks it interrupted."""
        if self._claim is not None:
            self._claim.release()
            self._claim = None

    def flush(self) -> None:
        """Write the queued events in order now; raises StorageError and keeps the rest queued on failure."""
        while self._pending:
            event = self._pending[0]
            self.store._write_event(self.session_id, event)
            self._pending.pop(0)
            if event.kind == "complete":
                self.close()
        self._retry_at = 0.0


class Store:
    """The history: sessions, their event logs, badges, personalities and the role rotation."""

    def __init__(self, db: SqliteDatabase, path: Path, migrated_from: int) -> None:
        """Use ``Store.open``."""
        self.db = db
        self.path = path
        self.migrated_from = migrated_from  # the schema version the file had (0: new file)

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> Store:
        """Open (or create) the history at ``path`` and bring its schema up to date.

        Creates missing folders. Raises StorageError (``kind``: locked, read_only, corrupt, foreign,
        full, newer, unavailable) with a message for the user. A lock held by another program makes
        this wait at most ``busy_timeout_ms`` before failing.
        """
        p = Path(path).expanduser()
        with guarded(p, "opening the history"):
            p.parent.mkdir(parents=True, exist_ok=True)
        if p.is_dir():
            raise StorageError(f"{p} is a folder, not a history database file.", "unavailable", p)
        db = SqliteDatabase(
            str(p), timeout=busy_timeout_ms / 1000, lock_type="IMMEDIATE",
            pragmas={"busy_timeout": busy_timeout_ms, "journal_mode": "wal", "foreign_keys": 1,
                     # NORMAL in WAL: every commit survives a crash of the app; the `complete` event is
                     # written with FULL, which syncs the whole log, so a finished session also
                     # survives a power cut.
                     "synchronous": "NORMAL"})
        try:
            with guarded(p, "opening the history"):
                db.connect()
                migrated_from = migrations.migrate(db, p)
                # A write that changes nothing: a locked or read-only file fails here, not mid-debate
                # (SQLite opens a write-protected file read-only without complaint).
                with db.atomic():
                    db.execute_sql("UPDATE rotation SET next_proposer = next_proposer WHERE 0")
        except BaseException:
            db.close()
            raise
        if migrated_from and migrated_from < migrations.LATEST:
            log.info("history %s migrated from schema %d to %d", p, migrated_from, migrations.LATEST)
        return cls(db, p, migrated_from)

    def close(self) -> None:
        """Close this thread's connection."""
        if not self.db.is_closed():
            self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        with self._guard("reading the schema version"):
            return migrations.schema_version(self.db, self.path)

    def _guard(self, action: str) -> AbstractContextManager[None]:
        return guarded(self.path, action)

    @contextmanager
    def _write(self, action: str) -> Iterator[None]:
        """One short write transaction (BEGIN IMMEDIATE) with errors made readable."""
        with self._guard(action), self.db.atomic():
            yield

    # -- recording -----------------------------------------------------------------------------

    def mark_interrupted(self) -> int:
        """Sessions left ``running`` by a process that ended (the app died) become ``interrupted``; call
        at start-up. Returns how many. Their events stay: the replay works up to the last one. A session
        another live process is still recording (its lock is held, see liveness.py) is left running."""
        with self._write("marking interrupted sessions"):
            running = [r[0] for r in self.db.execute_sql("SELECT id FROM sessions WHERE status = 'running'")]
            abandoned = [sid for sid in running if not is_live(self.path, sid)]
            for sid in abandoned:
                self.db.execute_sql(
                    "UPDATE sessions SET status = 'interrupted', "
                    "reason = CASE WHEN reason = '' THEN ? ELSE reason END, "
                    "finished_at = COALESCE(finished_at, "
                    "  (SELECT max(e.at) FROM events e WHERE e.session_id = sessions.id)) "
                    "WHERE id = ? AND status = 'running'", (INTERRUPTED_REASON, sid))
            return len(abandoned)

    def recorder(self, session_id: str) -> SessionRecorder:
        """A sink for the session's EventLog (``Callable[[Event], None]``). Only the orchestrator's
        thread may call it; see SessionRecorder."""
        return SessionRecorder(self, session_id)

    def _write_event(self, session_id: str, ev: Event) -> None:
        if ev.kind != "complete":
            self._write_event_now(session_id, ev)
            return
        self._synchronous("FULL")
        try:
            self._write_event_now(session_id, ev)
        finally:
            self._synchronous("NORMAL")

    def _synchronous(self, mode: str) -> None:
        # Best effort: a connection left in the other mode is only slower or less durable, never wrong.
        try:
            self.db.execute_sql(f"PRAGMA synchronous = {mode}")
        except (peewee.DatabaseError, sqlite3.Error) as exc:
            log.warning("could not set synchronous = %s: %s", mode, exc)

    def _write_event_now(self, session_id: str, ev: Event) -> None:
        with self._write("saving the session"):
            if EventRecord.select().where(
                    (EventRecord.session == session_id) & (EventRecord.seq == ev.seq)).exists(self.db):
                return
            self.db.execute_sql("INSERT OR IGNORE INTO sessions (id, mode, started_at) VALUES (?, ?, ?)",
                                (session_id, str(ev.data.get("mode") or "debate") if ev.kind == "roles"
                                 else "debate", ev.at))
            EventRecord.insert(session=session_id, seq=ev.seq, kind=ev.kind, t=ev.t, at=ev.at,
                               data=ev.data).execute(self.db)
            try:
                with self.db.atomic():  # a savepoint: a malformed payload keeps its raw event row
                    self._derive(session_id, ev)
            except (KeyError, TypeError, ValueError, AttributeError, peewee.IntegrityError) as exc:
                log.warning("session %s event %d (%s): structured rows skipped: %s",
                            session_id, ev.seq, ev.kind, exc)

    def _member(self, member_id: Any) -> str:
        """Make sure a member row exists (a placeholder named after the id) so foreign keys hold."""
        mid = str(member_id)
        Member.insert(id=mid, name=mid).on_conflict_ignore().execute(self.db)
        return mid

    def _stage_at(self, session_id: str, seq: int) -> int | None:
        row = self.db.execute_sql(
            "SELECT json_extract(data, '$.index') FROM events WHERE session_id = ? AND kind = 'stage' "
            "AND seq < ? ORDER BY seq DESC LIMIT 1", (session_id, seq)).fetchone()
        return None if row is None or row[0] is None else int(row[0])

    def _derive(self, sid: str, ev: Event) -> None:
        d = ev.data
        kind = ev.kind
        if kind == "roles":
            roles_d = cast(ev_types.RolesData, d)
            members = list(roles_d.get("members") or [])
            Session.update(mode=str(roles_d.get("mode") or "debate"), seed=roles_d.get("seed"),
                           proposer=roles_d.get("proposer"), chairman=roles_d.get("chairman"),
                           nudges={str(k): [str(x) for x in v] for k, v in (roles_d.get("nudges") or {}).items()},
                           members_total=len(members)).where(Session.id == sid).execute(self.db)
            for seat, m in enumerate(members):
                mid = str(m["id"])
                fields = {"name": str(m.get("name") or mid), "model": str(m.get("model") or ""),
                          "persona": str(m.get("persona") or ""), "color": str(m.get("color") or "")}
                Member.insert(id=mid, **fields).on_conflict(
                    conflict_target=[Member.id],
                    update={getattr(Member, k): v for k, v in fields.items()}).execute(self.db)
                status = "ok" if m.get("status", "ok") == "ok" else "failed"
                # The file identity groups the by-model leaderboard; the label stands in when unknown.
                model_file = str(m.get("model_file") or fields["model"])
                SessionMember.insert(session=sid, member=mid, seat=seat, model=fields["model"],
                                     status=status, model_file=model_file).on_conflict(
                    conflict_target=[SessionMember.session, SessionMember.member],
                    update={SessionMember.seat: seat, SessionMember.model: fields["model"],
                            SessionMember.status: status, SessionMember.model_file: model_file}).execute(self.db)
        elif kind in ("topic", "opinion", "rebuttal", "answer", "synthesis"):
            turn_d = cast(ev_types.TurnData, d)
            speaker = turn_d.get("member")
            author = None if speaker is None else self._member(speaker)
            Response.insert(session=sid, member=author, kind=kind, stage=self._stage_at(sid, ev.seq),
                            text=str(turn_d.get("text") or ""), tokens=int(turn_d.get("tokens") or 0),
                            seconds=float(turn_d.get("seconds") or 0.0), seq=ev.seq).execute(self.db)
            if kind == "topic":
                # The member who actually proposed (the rotation's proposer may have dropped out).
                changes: dict[str, Any] = {"topic": str(turn_d.get("text") or "")}
                if author is not None:
                    changes["proposer"] = author
                Session.update(**changes).where(Session.id == sid).execute(self.db)
            if author is not None and (kind == "synthesis" or (kind == "answer" and turn_d.get("chairman"))):
                Synthesis.insert(session=sid, member=author, text=str(turn_d.get("text") or ""),
                                 seq=ev.seq).execute(self.db)
        elif kind == "review":
            review_d = cast(ev_types.ReviewData, d)
            reviewer = self._member(review_d["reviewer"])
            valid = bool(review_d.get("valid"))
            rows = list(review_d.get("scores") or [])
            if not rows:  # an invalid ballot with no scores: keep one row per label it was shown
                rows = [{"target": t, "label": lab, "score": None}
                        for lab, t in (review_d.get("labels") or {}).items()]
            for row in rows:
                score = row.get("score")
                PeerReview.insert(session=sid, reviewer=reviewer, target=self._member(row["target"]),
                                  label=str(row.get("label") or ""),
                                  score=None if score is None else float(score), valid=valid,
                                  reason=str(review_d.get("reason") or ""), seq=ev.seq).execute(self.db)
        elif kind == "ranking":
            ranking_d = cast(ev_types.RankingData, d)
            Ranking.insert(session=sid, reviewer=self._member(ranking_d["reviewer"]),
                           order=[str(x) for x in ranking_d.get("order") or []], valid=bool(ranking_d.get("valid")),
                           reason=str(ranking_d.get("reason") or ""), seq=ev.seq).execute(self.db)
        elif kind == "alliance":
            alliance_d = cast(ev_types.AllianceData, d)
            if alliance_d.get("valid"):  # an invalid ballot declares nothing; its event row keeps the reason
                src = self._member(alliance_d["member"])
                for stance, targets in (("agree", alliance_d.get("agree")), ("disagree", alliance_d.get("disagree"))):
                    for target in targets or []:
                        if str(target) != src:
                            Alliance.insert(session=sid, from_member=src, to_member=self._member(target),
                                            stance=stance, seq=ev.seq).execute(self.db)
        elif kind == "member_failed":
            failed_d = cast(ev_types.MemberFailedData, d)
            mid = self._member(failed_d["member"])
            SessionMember.insert(session=sid, member=mid, seat=-1, status="failed").on_conflict_ignore(
            ).execute(self.db)
            SessionMember.update(status="failed", failed_stage=failed_d.get("stage"),
                                 failed_reason=str(failed_d.get("reason") or "")).where(
                (SessionMember.session == sid) & (SessionMember.member == mid)).execute(self.db)
        elif kind == "chair_changed":
            chair_d = cast(ev_types.ChairChangedData, d)
            Session.update(chairman=chair_d.get("chairman")).where(Session.id == sid).execute(self.db)
        elif kind == "achievement":
            award_d = cast(ev_types.AchievementData, d)
            ModelAchievement.insert(member=self._member(award_d["member"]), badge=str(award_d["badge"]), session=sid,
                                    reason=str(award_d.get("reason") or ""), event_seq=award_d.get("event_seq"),
                                    awarded_at=ev.at).on_conflict_ignore().execute(self.db)
        elif kind in ("forked", "viewer_ballot"):
            insights.derive(self.db, sid, ev, self._member)
        elif kind == "complete":
            done_d = cast(ev_types.CompleteData, d)
            status = str(done_d.get("status") or "finished")
            if status not in SESSION_STATUSES or status == "running":
                status = "failed"
            Session.update(status=status, reason=str(done_d.get("reason") or ""), finished_at=ev.at,
                           members_ok=done_d.get("members_ok"),
                           members_total=done_d.get("members_total")).where(Session.id == sid).execute(self.db)
            for member, ok in achievements.valid_output(self.load_events(sid)).items():
                SessionMember.update(all_valid=ok and status == "finished").where(
                    (SessionMember.session == sid) & (SessionMember.member == member)).execute(self.db)

    # -- reading sessions ----------------------------------------------------------------------

    def load_events(self, session_id: str, kinds: Collection[str] | None = None) -> list[Event]:
        """The session's stored events in order (no token deltas), optionally only some kinds."""
        with self._guard("reading a session"):
            q = EventRecord.select().where(EventRecord.session == session_id)
            if kinds is not None:
                q = q.where(EventRecord.kind.in_(list(kinds)))
            return [Event(r.seq, r.kind, r.t, r.at, r.data or {})
                    for r in q.order_by(EventRecord.seq).bind(self.db)]

    def transcript_events(self, session_id: str) -> list[Event]:
        """What the transcript, export and replay read: the stored events minus ``turn_started``; a
        session that never completed (interrupted, or still running) ends with a synthesized
        ``complete`` event ``{status: "interrupted" | "running", reason, members_ok, members_total}``
        whose seq follows the last stored one. StorageError (kind "missing") for an unknown id."""
        row = self.session(session_id)
        if row is None:
            raise StorageError(f"There is no session {session_id} in the history.", "missing", self.path)
        events = [e for e in self.load_events(session_id) if e.kind not in TRANSCRIPT_SKIP]
        if not any(e.kind == "complete" for e in events):
            last = events[-1] if events else None
            total = row.members_total or len(row.members)
            with self._guard("reading a session"):
                failed = SessionMember.select().where((SessionMember.session == session_id)
                                                      & (SessionMember.status == "failed")).count(self.db)
            events.append(Event(last.seq + 1 if last else 1, "complete", last.t if last else 0.0,
                                row.finished_at or (last.at if last else row.started_at),
                                {"status": row.status, "reason": row.reason or INTERRUPTED_REASON,
                                 "members_ok": total - failed, "members_total": total}))
        return events

    def session(self, session_id: str) -> SessionRow | None:
        with self._guard("reading a session"):
            return queries.session_row(self.db, session_id)

    def sessions(self, search: str | None = None, limit: int = 100, offset: int = 0) -> list[SessionRow]:
        """Newest first. ``search``: every word must appear (case-insensitive) in the topic, a response,
        or a member's name or id."""
        with self._guard("listing sessions"):
            return queries.sessions(self.db, search, limit, offset)

    def delete_session(self, session_id: str) -> bool:
        """Delete a session and everything recorded with it (its badges too). False if unknown."""
        with self._write("deleting a session"):
            return bool(Session.delete().where(Session.id == session_id).execute(self.db))

    # -- rotation ------------------------------------------------------------------------------

    def next_roles(self, member_ids: Sequence[str], skip: Collection[str] = ()) -> tuple[int, int]:
        """(proposer_index, chairman_index) into ``member_ids`` for the next session. Rotation is stored
        as two counters; a seat in ``skip`` (e.g. a model that failed to load) is passed over, and the
        chairman differs from the proposer whenever two seats are available."""
        usable = [i for i, m in enumerate(member_ids) if m not in skip]
        if not usable:
            raise ValueError("no member can take a role")
        with self._guard("reading the rotation"):
            row = self.db.execute_sql(
                "SELECT next_proposer, next_chairman FROM rotation WHERE id = 1").fetchone()
        p, c = (row if row is not None else (0, 1))
        n = len(member_ids)

        def pick(start: int, avoid: int | None) -> int:
            for k in range(n):
                i = (start + k) % n
                if i in usable and (i != avoid or len(usable) == 1):
                    return i
            raise AssertionError("unreachable")

        proposer = pick(p, None)
        return proposer, pick(c, proposer)

    def advance_rotation(self) -> None:
        """Move both roles one seat on (call once per session started)."""
        with self._write("saving the rotation"):
            self.db.execute_sql("INSERT INTO rotation (id, next_proposer, next_chairman) VALUES (1, 1, 2) "
                                "ON CONFLICT (id) DO UPDATE SET next_proposer = next_proposer + 1, "
                                "next_chairman = next_chairman + 1")

    # -- badges --------------------------------------------------------------------------------

    def history(self, member_ids: Sequence[str], exclude_session: str | None = None) -> History:
        """What the badges need from finished sessions (the running one is never finished, and
        ``exclude_session`` is left out explicitly)."""
        wanted = set(member_ids)
        with self._guard("reading the history"):
            means = queries.session_means(self.db, exclude_session)
            lifetime = queries.lifetime_means(self.db, exclude_session)
            valid = queries.valid_session_counts(self.db, exclude_session)
            pairs = queries.mutual_pair_counts(self.db, exclude_session)
        recent: dict[str, list[PastScore]] = {}
        for sid, per_member in means:
            best = max(per_member.values())
            for m, v in per_member.items():
                if m in wanted:
                    recent.setdefault(m, []).append(PastScore(sid, v, v >= best - 1e-9))
        return History(
            recent={m: tuple(v[-RECENT_SESSIONS:]) for m, v in recent.items()},
            valid_sessions={m: n for m, n in valid.items() if m in wanted},
            lifetime_means={m: v for m, v in lifetime.items() if m in wanted},
            mutual_disagreements={k: n for (a, b, stance), n in pairs.items()
                                  if stance == "disagree" and a in wanted and b in wanted
                                  for k in [achievements.pair(a, b)]},
            mutual_alliances={k: n for (a, b, stance), n in pairs.items()
                              if stance == "agree" and a in wanted and b in wanted
                              for k in [achievements.pair(a, b)]})

    def award_hook(self, session_id: str | None = None) -> Callable[[Sequence[Event]], list[Award]]:
        """The orchestrator's ``finalize``: the badges the finished events earned, judged against the
        stored history of earlier finished sessions."""
        return achievements.make_finalize(lambda ids: self.history(ids, exclude_session=session_id))

    # -- personalities -------------------------------------------------------------------------

    def personality(self, member_id: str) -> Traits:
        """The member's current traits (neutral if it has none yet)."""
        with self._guard("reading a personality"):
            row = ModelPersonality.select().where(ModelPersonality.member == member_id).bind(self.db).first()
        return self._traits(row)

    @staticmethod
    def _traits(row: ModelPersonality | None) -> Traits:
        return Traits() if row is None else Traits.from_mapping({t: getattr(row, t) for t in TRAITS})

    def traits_for(self, member_ids: Sequence[str]) -> dict[str, dict[str, float]]:
        """Current traits of the members that have a personality yet (a new member has none to show)."""
        out: dict[str, dict[str, float]] = {}
        with self._guard("reading personalities"):
            for mid in member_ids:
                row = ModelPersonality.select().where(ModelPersonality.member == mid).bind(self.db).first()
                if row is not None:
                    out[mid] = self._traits(row).as_dict()
        return out

    def nudges_for(self, member_ids: Sequence[str]) -> dict[str, list[str]]:
        """At most two system-prompt sentences per member from its current traits (possibly none)."""
        return {m: personality.nudges(self.personality(m)) for m in member_ids}

    def update_personalities(self, session_id: str, events: Sequence[Event]) -> dict[str, Traits]:
        """Move each member's traits by what it did in the session (one EMA step; see core.personality).
        Idempotent: a member already updated for this session is left alone. Returns the new traits of
        the members it moved. StorageError (kind "missing") if the session is not stored."""
        with self._write("saving personalities"):
            if not Session.select().where(Session.id == session_id).exists(self.db):
                raise StorageError(f"There is no session {session_id} in the history.", "missing", self.path)
            done = {str(r[0]) for r in self.db.execute_sql(
                "SELECT member_id FROM personality_history WHERE session_id = ?", (session_id,))}
            observed = {m: o for m, o in personality.observe(events).items() if m not in done}
            at = next((e.at for e in reversed(events) if e.kind != "token"), None) or _now()
            out: dict[str, Traits] = {}
            for member, obs in observed.items():
                self._member(member)
                row = ModelPersonality.select().where(ModelPersonality.member == member).bind(self.db).first()
                new = personality.update(self._traits(row), obs)
                self._save_traits(member, new, 1 if row is None else row.sessions + 1, at)
                PersonalityHistory.insert(member=member, session=session_id, kind="update", at=at,
                                          **new.as_dict()).execute(self.db)
                out[member] = new
            return out

    def reset_personality(self, member_id: str) -> None:
        """Back to neutral traits (no nudges); the reset is kept in the history."""
        with self._write("resetting a personality"):
            self._member(member_id)
            at = _now()
            self._save_traits(member_id, Traits(), 0, at)
            PersonalityHistory.insert(member=member_id, session=None, kind="reset", at=at,
                                      **Traits().as_dict()).execute(self.db)

    def _save_traits(self, member: str, traits: Traits, sessions: int, at: str) -> None:
        values = traits.as_dict()
        ModelPersonality.insert(member=member, sessions=sessions, updated_at=at, **values).on_conflict(
            conflict_target=[ModelPersonality.member],
            update={**{getattr(ModelPersonality, k): v for k, v in values.items()},
                    ModelPersonality.sessions: sessions, ModelPersonality.updated_at: at}).execute(self.db)

    # -- analytics -----------------------------------------------------------------------------

    def leaderboard(self) -> list[LeaderboardRow]:
        with self._guard("reading the leaderboard"):
            return queries.leaderboard(self.db)

    def member_history(self, member_id: str) -> list[HistoryPoint]:
        with self._guard("reading a member's history"):
            return queries.member_history(self.db, member_id)

    def head_to_head(self, a: str, b: str) -> HeadToHead:
        with self._guard("reading a head-to-head"):
            return queries.head_to_head(self.db, a, b)

    def hall_of_fame(self, limit: int = 50, member: str | None = None) -> list[BadgeRow]:
        with self._guard("reading the hall of fame"):
            return queries.hall_of_fame(self.db, limit, member)

    def personality_history(self, member_id: str) -> list[PersonalityPoint]:
        with self._guard("reading a personality's history"):
            return queries.personality_history(self.db, member_id)

    # -- issue 15: by model, the audit, the viewer, forks ------------------------------------------

    def leaderboard_by_model(self) -> list[insights.ModelRow]:
        with self._guard("reading the leaderboard by model"):
            return insights.leaderboard_by_model(self.db)

    def audit(self) -> Audit:
        """The bias audit of every valid council score in finished sessions."""
        with self._guard("reading the ballots for the audit"):
            ballots, names = insights.audit_ballots(self.db)
        return compute_audit(ballots, names)

    def viewer_agreement(self) -> list[Agreement]:
        """How often each member agrees with the viewer's ballots, most agreeing first."""
        with self._guard("reading the viewer's ballots"):
            pairs = insights.viewer_pairs(self.db)
            names = {mid: name for mid, name in self.db.execute_sql("SELECT id, name FROM members").fetchall()}
        return viewer.agreement(pairs, names)

    def lineage(self, session_id: str) -> insights.Lineage:
        with self._guard("reading a session's family"):
            return insights.lineage(self.db, session_id)

    def forks(self) -> dict[str, tuple[str, int | None]]:
        """Every fork: child id -> (parent id, fork stage)."""
        with self._guard("reading the session families"):
            return insights.parents(self.db)
