"""Issue 15's reads and writes: the by-model leaderboard, the ballots behind the bias audit, the viewer's
ballots and agreement, and session families (forks). Finished sessions only, as in queries.py."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from peewee import SqliteDatabase

from ..core.audit import Ballot
from ..core.events import Event
from .models import Session, SessionMember, ViewerBallot
from .queries import own_rows, session_means

FINISHED = "s.status = 'finished'"


@dataclass(frozen=True)
class ModelRow:
    model_file: str  # the identity the rows are grouped by
    name: str  # the newest display label of that file
    sessions: int  # finished sessions it sat in (under any persona)
    seats: int  # seats it took in them (one model may sit in several seats of a session)
    personas: tuple[str, ...]  # the members (persona seats) it sat as, by name
    mean_score: float | None  # over every valid score its seats received
    scores: int
    wins: int  # finished sessions where one of its seats had (a share of) the highest mean


@dataclass(frozen=True)
class Lineage:
    session: str
    parent: str | None
    fork_stage: int | None
    children: tuple[tuple[str, int | None], ...]  # (child id, fork stage), oldest first


def _rows(db: SqliteDatabase, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    return list(db.execute_sql(sql, params).fetchall())


# -- recording ----------------------------------------------------------------------------------------

def derive(db: SqliteDatabase, sid: str, ev: Event, member: Callable[[Any], str]) -> None:
    """Structured rows for ``forked`` and ``viewer_ballot`` events (called inside the event's write)."""
    d = ev.data
    if ev.kind == "forked":
        parent = str(d["parent"])
        exists = Session.select().where(Session.id == parent).exists(db)
        # started_at: when the fork ran (its first events are copies stamped with the parent's times).
        changes: dict[str, Any] = {"parent": parent if exists else None, "fork_stage": int(d["stage"]),
                                   "started_at": ev.at}
        if d.get("chairman"):
            changes["chairman"] = str(d["chairman"])
        if d.get("seed") is not None:
            changes["seed"] = int(d["seed"])
        Session.update(**changes).where(Session.id == sid).execute(db)
        # A seat that changed its model counts for the new model in this session (the copied roles event
        # names the parent's); a changed persona keeps the seat, and so its records.
        for mid, seat in (d.get("changes") or {}).get("seats", {}).items():
            if seat.get("model"):
                SessionMember.update(model=str(seat["model"]), model_file=str(seat.get("model_file") or seat["model"])
                                     ).where((SessionMember.session == sid) & (SessionMember.member == str(mid))
                                             ).execute(db)
    elif ev.kind == "viewer_ballot":
        stage, kind, counted = int(d["stage"]), str(d["kind"]), bool(d.get("counted"))
        if kind == "alliance":
            for stance in ("agree", "disagree"):
                for target in d.get(stance) or []:
                    ViewerBallot.insert(session=sid, stage=stage, kind=kind, target=member(target), stance=stance,
                                        counted=counted, seq=ev.seq).execute(db)
            return
        places = {str(t): i for i, t in enumerate(d.get("order") or [], start=1)}
        for row in d.get("scores") or []:
            target = str(row["target"])
            ViewerBallot.insert(session=sid, stage=stage, kind=kind, target=member(target),
                                label=str(row.get("label") or ""), score=float(row["score"]),
                                position=places.get(target), counted=counted, seq=ev.seq).execute(db)


# -- the by-model leaderboard -------------------------------------------------------------------------

def leaderboard_by_model(db: SqliteDatabase) -> list[ModelRow]:
    """One row per model file across every persona it sat under: best mean first (no scores last)."""
    seats: dict[str, dict[str, Any]] = {}
    for model_file, label, member, name, sid in _rows(db, f"""
            SELECT sm.model_file, sm.model, sm.member_id, m.name, s.id
            FROM session_members sm JOIN sessions s ON s.id = sm.session_id JOIN members m ON m.id = sm.member_id
            WHERE {FINISHED} AND sm.seat >= 0 ORDER BY s.started_at, s.rowid"""):
        key = model_file or label or "unknown"
        row = seats.setdefault(key, {"name": label, "sessions": set(), "seats": 0, "personas": {}})
        row["name"] = label or row["name"]  # the newest label wins
        row["sessions"].add(sid)
        row["seats"] += 1
        row["personas"][member] = name
    scores: dict[str, list[float]] = {}
    for key, score in _rows(db, f"""
            SELECT CASE WHEN sm.model_file != '' THEN sm.model_file ELSE sm.model END, pr.score
            FROM peer_reviews pr JOIN sessions s ON s.id = pr.session_id
            JOIN session_members sm ON sm.session_id = pr.session_id AND sm.member_id = pr.target_id
            WHERE {FINISHED} AND pr.valid = 1 AND pr.score IS NOT NULL AND {own_rows("pr")}"""):
        scores.setdefault(key, []).append(float(score))
    model_of = {(sid, mid): key for sid, mid, key in _rows(db, f"""
            SELECT sm.session_id, sm.member_id, CASE WHEN sm.model_file != '' THEN sm.model_file ELSE sm.model END
            FROM session_members sm JOIN sessions s ON s.id = sm.session_id WHERE {FINISHED}""")}
    wins: dict[str, int] = {}
    copied = {sid for (sid,) in _rows(db, "SELECT id FROM sessions WHERE fork_stage >= 3")}  # its reviews are copies
    for sid, means in session_means(db):
        if sid in copied:
            continue
        best = max(means.values())
        won = {model_of.get((sid, m)) for m, v in means.items() if v >= best - 1e-9}
        for key in won - {None}:
            wins[str(key)] = wins.get(str(key), 0) + 1
    out = [ModelRow(key, str(r["name"] or key), len(r["sessions"]), int(r["seats"]),
                    tuple(sorted(r["personas"].values())),
                    sum(scores[key]) / len(scores[key]) if scores.get(key) else None, len(scores.get(key, [])),
                    wins.get(key, 0)) for key, r in seats.items()]
    out.sort(key=lambda r: (r.mean_score is None, -(r.mean_score or 0.0), -r.wins, r.model_file))
    return out


# -- the bias audit -----------------------------------------------------------------------------------

def audit_ballots(db: SqliteDatabase) -> tuple[list[Ballot], dict[str, str]]:
    """Every valid council score of a finished session with what the audit needs (the judged answer's
    length, both model files), and the members' names."""
    lengths = {(sid, mid): len(text or "") for sid, mid, text in _rows(db, f"""
        SELECT r.session_id, r.member_id, r.text FROM responses r JOIN sessions s ON s.id = r.session_id
        WHERE {FINISHED} AND r.kind IN ('opinion', 'answer') AND r.member_id IS NOT NULL ORDER BY r.seq""")}
    files = {(sid, mid): f for sid, mid, f in _rows(db, f"""
        SELECT sm.session_id, sm.member_id, CASE WHEN sm.model_file != '' THEN sm.model_file ELSE sm.model END
        FROM session_members sm JOIN sessions s ON s.id = sm.session_id WHERE {FINISHED}""")}
    ballots = [Ballot(sid, judge, target, label, float(score), lengths.get((sid, target), 0),
                      files.get((sid, judge), ""), files.get((sid, target), ""))
               for sid, judge, target, label, score in _rows(db, f"""
        SELECT pr.session_id, pr.reviewer_id, pr.target_id, pr.label, pr.score
        FROM peer_reviews pr JOIN sessions s ON s.id = pr.session_id
        WHERE {FINISHED} AND pr.valid = 1 AND pr.score IS NOT NULL AND {own_rows("pr")}
        ORDER BY s.started_at, pr.seq""")]
    names = {mid: name for mid, name in _rows(db, "SELECT id, name FROM members")}
    return ballots, names


# -- the viewer -----------------------------------------------------------------------------------------

def viewer_pairs(db: SqliteDatabase) -> list[tuple[dict[str, float], dict[str, dict[str, float]]]]:
    """Per finished session the viewer judged: (the viewer's scores by member, each member's scores by
    member). Ask sessions compare rankings (places turned into scores: first = highest)."""
    viewer: dict[str, dict[str, float]] = {}
    for sid, kind, target, score, position in _rows(db, f"""
            SELECT v.session_id, v.kind, v.target_id, v.score, v.position FROM viewer_ballots v
            JOIN sessions s ON s.id = v.session_id WHERE {FINISHED} AND v.kind IN ('review', 'ranking')
              AND {own_rows("v")}"""):
        value = -float(position) if kind == "ranking" and position is not None else score
        if value is not None:
            viewer.setdefault(sid, {})[str(target)] = float(value)
    out = []
    for sid, mine in viewer.items():
        council: dict[str, dict[str, float]] = {}
        for reviewer, target, score in _rows(db, """
                SELECT reviewer_id, target_id, score FROM peer_reviews
                WHERE session_id = ? AND valid = 1 AND score IS NOT NULL""", (sid,)):
            council.setdefault(str(reviewer), {})[str(target)] = float(score)
        for reviewer, order in _rows(db, 'SELECT reviewer_id, "order" FROM rankings WHERE session_id = ? AND valid = 1',
                                     (sid,)):
            if str(reviewer) not in council:
                council[str(reviewer)] = {str(m): -float(i) for i, m in enumerate(json.loads(order), start=1)}
        out.append((mine, council))
    return out


def viewer_ballot_count(db: SqliteDatabase) -> int:
    return int(_rows(db, "SELECT COUNT(DISTINCT session_id || ':' || stage) FROM viewer_ballots")[0][0])


# -- forks ------------------------------------------------------------------------------------------------

def lineage(db: SqliteDatabase, session_id: str) -> Lineage:
    row = _rows(db, "SELECT parent_id, fork_stage FROM sessions WHERE id = ?", (session_id,))
    parent, stage = row[0] if row else (None, None)
    children = tuple((str(c), None if st is None else int(st)) for c, st in _rows(
        db, "SELECT id, fork_stage FROM sessions WHERE parent_id = ? ORDER BY started_at, rowid", (session_id,)))
    return Lineage(session_id, parent, stage, children)


def parents(db: SqliteDatabase) -> dict[str, tuple[str, int | None]]:
    """Every fork: child id -> (parent id, fork stage)."""
    return {str(c): (str(p), None if st is None else int(st)) for c, p, st in _rows(
        db, "SELECT id, parent_id, fork_stage FROM sessions WHERE parent_id IS NOT NULL")}
