"""Read-only queries over the history: session lists, the leaderboard, per-member and head-to-head
analytics, the hall of fame, personality history, and the aggregates the badges need.

Analytics count *finished* sessions only (an interrupted debate has no settled scores). A "score" is
one valid review score (``valid`` and not NULL); a member's mean is over all the scores it received,
not a mean of per-session means. A session's "win" is a share of its highest mean received score.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from peewee import SqliteDatabase

from ..core.personality import TRAITS, Traits

_EPS = 1e-9
FINISHED = "s.status = 'finished'"


def own_rows(alias: str) -> str:
    """SQL: rows a session produced itself. A fork's copies of its parent's ballots (every row before its
    ``forked`` event) are the parent's, and are counted there once."""
    return (f"NOT EXISTS (SELECT 1 FROM events f WHERE f.session_id = {alias}.session_id AND f.kind = 'forked' "
            f"AND f.seq > {alias}.seq)")


@dataclass(frozen=True)
class SessionRow:
    id: str
    mode: str  # debate | ask
    topic: str
    status: str  # running | finished | interrupted | failed | cancelled
    reason: str
    proposer: str | None
    chairman: str | None
    seed: int | None
    started_at: str
    finished_at: str | None
    members_ok: int | None
    members_total: int | None
    members: tuple[str, ...] = ()  # member ids in seat order
    nudges: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class LeaderboardRow:
    member: str
    name: str
    sessions: int  # finished sessions it sat in
    mean_score: float | None  # over every valid score it received
    scores: int  # how many valid scores that mean is over
    wins: int  # finished sessions where it had (a share of) the highest mean
    rebuttals: int
    badges: int


@dataclass(frozen=True)
class HistoryPoint:
    session_id: str
    started_at: str
    topic: str
    mean_score: float
    scores: int


@dataclass(frozen=True)
class HeadToHead:
    a: str
    b: str
    sessions: int  # finished sessions both sat in
    a_scores_b: tuple[float, ...]  # every valid score a gave b
    b_scores_a: tuple[float, ...]
    a_agrees_b: int  # alliance declarations a -> b
    a_disagrees_b: int
    b_agrees_a: int
    b_disagrees_a: int
    mutual_alliances: int  # sessions where both named the other an ally
    mutual_disagreements: int
    # sessions where a ranked higher: a higher mean score (debate) or a lower average rank (ask)
    a_higher: int
    b_higher: int
    ties: int

    @property
    def a_mean_to_b(self) -> float | None:
        return sum(self.a_scores_b) / len(self.a_scores_b) if self.a_scores_b else None

    @property
    def b_mean_to_a(self) -> float | None:
        return sum(self.b_scores_a) / len(self.b_scores_a) if self.b_scores_a else None


@dataclass(frozen=True)
class BadgeRow:
    member: str
    name: str
    badge: str
    reason: str
    session_id: str
    topic: str
    event_seq: int | None  # open the replay of session_id at this event
    awarded_at: str


@dataclass(frozen=True)
class PersonalityPoint:
    at: str
    session_id: str | None  # None for a reset
    kind: str  # update | reset
    traits: Traits


def _rows(db: SqliteDatabase, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    return list(db.execute_sql(sql, tuple(params)).fetchall())


def _exclude(exclude: str | None) -> tuple[str, tuple[Any, ...]]:
    return ("AND s.id != ?", (exclude,)) if exclude else ("", ())


# -- sessions ---------------------------------------------------------------------------------------

_SESSION_COLUMNS = ("s.id, s.mode, s.topic, s.status, s.reason, s.proposer, s.chairman, s.seed, "
                    "s.started_at, s.finished_at, s.members_ok, s.members_total, s.nudges")


def _session_rows(db: SqliteDatabase, rows: list[tuple[Any, ...]]) -> list[SessionRow]:
    out = []
    for r in rows:
        members = tuple(m for (m,) in _rows(
            db, "SELECT member_id FROM session_members WHERE session_id = ? ORDER BY seat < 0, seat, id",
            (r[0],)))
        sid, mode, topic, status, reason, proposer, chairman, seed, started, finished, ok, total, nudges = r
        out.append(SessionRow(sid, mode, topic, status, reason, proposer, chairman, seed, started, finished,
                              ok, total, members, json.loads(nudges or "{}")))
    return out


def session_row(db: SqliteDatabase, session_id: str) -> SessionRow | None:
    rows = _session_rows(db, _rows(db, f"SELECT {_SESSION_COLUMNS} FROM sessions s WHERE s.id = ?",
                                   (session_id,)))
    return rows[0] if rows else None


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def sessions(db: SqliteDatabase, search: str | None, limit: int, offset: int = 0) -> list[SessionRow]:
    where, params = [], []
    for term in (search or "").split():
        where.append(
            "(s.topic LIKE ? ESCAPE '\\' "
            " OR EXISTS (SELECT 1 FROM responses r WHERE r.session_id = s.id AND r.text LIKE ? ESCAPE '\\') "
            " OR EXISTS (SELECT 1 FROM session_members sm JOIN members m ON m.id = sm.member_id "
            "            WHERE sm.session_id = s.id "
            "              AND (m.name LIKE ? ESCAPE '\\' OR m.id LIKE ? ESCAPE '\\')))")
        params += [_like(term)] * 4
    sql = (f"SELECT {_SESSION_COLUMNS} FROM sessions s {'WHERE ' + ' AND '.join(where) if where else ''} "
           "ORDER BY s.started_at DESC, s.rowid DESC LIMIT ? OFFSET ?")
    return _session_rows(db, _rows(db, sql, [*params, limit, offset]))


# -- the aggregates the badges need -----------------------------------------------------------------

def session_means(db: SqliteDatabase, exclude: str | None = None) -> list[tuple[str, dict[str, float]]]:
    """Per finished session (oldest first): each member's mean valid score received."""
    ex, params = _exclude(exclude)
    out: list[tuple[str, dict[str, float]]] = []
    for sid, member, mean in _rows(db, f"""
            SELECT s.id, pr.target_id, AVG(pr.score)
            FROM peer_reviews pr JOIN sessions s ON s.id = pr.session_id
            WHERE {FINISHED} AND pr.valid = 1 AND pr.score IS NOT NULL AND {own_rows('pr')} {ex}
            GROUP BY s.id, pr.target_id ORDER BY s.started_at, s.rowid, pr.target_id""", params):
        if not out or out[-1][0] != sid:
            out.append((sid, {}))
        out[-1][1][member] = float(mean)
    return out


def lifetime_means(db: SqliteDatabase, exclude: str | None = None) -> dict[str, float]:
    ex, params = _exclude(exclude)
    return {m: float(v) for m, v in _rows(db, f"""
        SELECT pr.target_id, AVG(pr.score) FROM peer_reviews pr JOIN sessions s ON s.id = pr.session_id
        WHERE {FINISHED} AND pr.valid = 1 AND pr.score IS NOT NULL AND {own_rows('pr')} {ex}
        GROUP BY pr.target_id""", params)}


def valid_session_counts(db: SqliteDatabase, exclude: str | None = None) -> dict[str, int]:
    ex, params = _exclude(exclude)
    return {m: int(n) for m, n in _rows(db, f"""
        SELECT sm.member_id, COUNT(*) FROM session_members sm JOIN sessions s ON s.id = sm.session_id
        WHERE {FINISHED} AND sm.all_valid = 1 {ex} GROUP BY sm.member_id""", params)}


def mutual_pair_counts(db: SqliteDatabase, exclude: str | None = None) -> dict[tuple[str, str, str], int]:
    """(a, b, stance) with a < b -> finished sessions where a and b declared that stance on each other."""
    ex, params = _exclude(exclude)
    return {(a, b, st): int(n) for a, b, st, n in _rows(db, f"""
        SELECT x.from_member_id, x.to_member_id, x.stance, COUNT(DISTINCT x.session_id)
        FROM alliances x JOIN alliances y ON y.session_id = x.session_id AND y.from_member_id = x.to_member_id
             AND y.to_member_id = x.from_member_id AND y.stance = x.stance
        JOIN sessions s ON s.id = x.session_id
        WHERE {FINISHED} AND x.from_member_id < x.to_member_id {ex}
        GROUP BY x.from_member_id, x.to_member_id, x.stance""", params)}


def _wins(db: SqliteDatabase) -> dict[str, int]:
    wins: dict[str, int] = {}
    for _, means in session_means(db):
        best = max(means.values())
        for m, v in means.items():
            if v >= best - _EPS:
                wins[m] = wins.get(m, 0) + 1
    return wins


# -- analytics --------------------------------------------------------------------------------------

def leaderboard(db: SqliteDatabase) -> list[LeaderboardRow]:
    """Every member that sat in a finished session: best mean first (no scores last), then more wins,
    then id."""
    wins = _wins(db)
    rows = _rows(db, f"""
        SELECT m.id, m.name,
          (SELECT COUNT(*) FROM session_members sm JOIN sessions s ON s.id = sm.session_id
             WHERE sm.member_id = m.id AND {FINISHED}),
          (SELECT AVG(pr.score) FROM peer_reviews pr JOIN sessions s ON s.id = pr.session_id
             WHERE pr.target_id = m.id AND pr.valid = 1 AND pr.score IS NOT NULL AND {FINISHED}
               AND {own_rows('pr')}),
          (SELECT COUNT(*) FROM peer_reviews pr JOIN sessions s ON s.id = pr.session_id
             WHERE pr.target_id = m.id AND pr.valid = 1 AND pr.score IS NOT NULL AND {FINISHED}
               AND {own_rows('pr')}),
          (SELECT COUNT(*) FROM responses r JOIN sessions s ON s.id = r.session_id
             WHERE r.member_id = m.id AND r.kind = 'rebuttal' AND {FINISHED}),
          (SELECT COUNT(*) FROM model_achievements a WHERE a.member_id = m.id)
        FROM members m""")
    out = [LeaderboardRow(mid, name, int(n), None if mean is None else float(mean), int(k), wins.get(mid, 0),
                          int(reb), int(badges))
           for mid, name, n, mean, k, reb, badges in rows if n]
    out.sort(key=lambda r: (r.mean_score is None, -(r.mean_score or 0.0), -r.wins, r.member))
    return out


def member_history(db: SqliteDatabase, member: str) -> list[HistoryPoint]:
    """The member's mean received score per finished session, oldest first (sessions it was scored in)."""
    return [HistoryPoint(sid, at, topic, float(mean), int(n)) for sid, at, topic, mean, n in _rows(db, f"""
        SELECT s.id, s.started_at, s.topic, AVG(pr.score), COUNT(*)
        FROM peer_reviews pr JOIN sessions s ON s.id = pr.session_id
        WHERE pr.target_id = ? AND pr.valid = 1 AND pr.score IS NOT NULL AND {FINISHED} AND {own_rows('pr')}
        GROUP BY s.id ORDER BY s.started_at, s.rowid""", (member,))]


def _average_ranks(db: SqliteDatabase, session_id: str) -> dict[str, float]:
    places: dict[str, list[int]] = {}
    for (order,) in _rows(db, 'SELECT "order" FROM rankings WHERE session_id = ? AND valid = 1',
                          (session_id,)):
        for pos, mid in enumerate(json.loads(order), start=1):
            places.setdefault(mid, []).append(pos)
    return {m: sum(v) / len(v) for m, v in places.items()}


def head_to_head(db: SqliteDatabase, a: str, b: str) -> HeadToHead:
    """How two members judged each other, sided with each other, and which ranked higher, over finished
    sessions they shared."""
    shared = [(sid, mode) for sid, mode in _rows(db, f"""
        SELECT s.id, s.mode FROM sessions s
        WHERE {FINISHED}
          AND EXISTS (SELECT 1 FROM session_members x WHERE x.session_id = s.id AND x.member_id = ?)
          AND EXISTS (SELECT 1 FROM session_members y WHERE y.session_id = s.id AND y.member_id = ?)
        ORDER BY s.started_at, s.rowid""", (a, b))]

    def given(src: str, dst: str) -> tuple[float, ...]:
        return tuple(float(v) for (v,) in _rows(db, f"""
            SELECT pr.score FROM peer_reviews pr JOIN sessions s ON s.id = pr.session_id
            WHERE pr.reviewer_id = ? AND pr.target_id = ? AND pr.valid = 1 AND pr.score IS NOT NULL
              AND {FINISHED} AND {own_rows('pr')} ORDER BY s.started_at, s.rowid, pr.seq""", (src, dst)))

    def stances(src: str, dst: str, stance: str) -> int:
        return int(_rows(db, f"""
            SELECT COUNT(*) FROM alliances al JOIN sessions s ON s.id = al.session_id
            WHERE al.from_member_id = ? AND al.to_member_id = ? AND al.stance = ? AND {FINISHED}""",
                         (src, dst, stance))[0][0])

    pair = (a, b) if a < b else (b, a)
    mutual = mutual_pair_counts(db)
    a_higher = b_higher = ties = 0
    means = dict(session_means(db))
    for sid, mode in shared:
        if mode == "ask":
            ranks = _average_ranks(db, sid)
            if a in ranks and b in ranks:  # lower average rank is better
                diff = ranks[b] - ranks[a]
            else:
                continue
        else:
            m = means.get(sid, {})
            if a in m and b in m:
                diff = m[a] - m[b]
            else:
                continue
        if diff > _EPS:
            a_higher += 1
        elif diff < -_EPS:
            b_higher += 1
        else:
            ties += 1
    return HeadToHead(
        a=a, b=b, sessions=len(shared), a_scores_b=given(a, b), b_scores_a=given(b, a),
        a_agrees_b=stances(a, b, "agree"), a_disagrees_b=stances(a, b, "disagree"),
        b_agrees_a=stances(b, a, "agree"), b_disagrees_a=stances(b, a, "disagree"),
        mutual_alliances=mutual.get((*pair, "agree"), 0),
        mutual_disagreements=mutual.get((*pair, "disagree"), 0),
        a_higher=a_higher, b_higher=b_higher, ties=ties)


def hall_of_fame(db: SqliteDatabase, limit: int = 50, member: str | None = None) -> list[BadgeRow]:
    """The latest badges, newest first, each with the moment (session, event seq) that earned it."""
    where, params = ("WHERE a.member_id = ?", [member]) if member else ("", [])
    return [BadgeRow(*r) for r in _rows(db, f"""
        SELECT a.member_id, m.name, a.badge, a.reason, a.session_id, s.topic, a.event_seq, a.awarded_at
        FROM model_achievements a JOIN members m ON m.id = a.member_id JOIN sessions s ON s.id = a.session_id
        {where} ORDER BY a.awarded_at DESC, a.id DESC LIMIT ?""", [*params, limit])]


def personality_history(db: SqliteDatabase, member: str) -> list[PersonalityPoint]:
    """Every update and reset of the member's traits, oldest first (for the chart)."""
    cols = ", ".join(TRAITS)
    return [PersonalityPoint(at, sid, kind, Traits(*values)) for at, sid, kind, *values in _rows(db, f"""
        SELECT at, session_id, kind, {cols} FROM personality_history WHERE member_id = ? ORDER BY at, id""",
        (member,))]
