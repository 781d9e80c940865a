"""The schema's numbered migrations, each one atomic, with a file backup before an existing file changes.

Migrations are frozen SQL, never derived from the current models: a model may change later, while what
version N looked like must not. Version 1 is the first schema (the debate record); version 2 adds the
memory features (badges, personalities, the nudges used per session and the all-valid flag per seat,
back-filled from each finished session's stored events by frozen SQL). Version 3 (issue 15) adds each seat's model
file identity (back-filled from the roles events; the display label where a session predates it), a
session's parent and fork stage, and the viewer's own ballots.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

from peewee import SqliteDatabase

from .errors import StorageError

V1 = (
    """CREATE TABLE schema_version (
        id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
        version INTEGER NOT NULL)""",
    """CREATE TABLE members (
        id TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        model TEXT NOT NULL DEFAULT '',
        persona TEXT NOT NULL DEFAULT '',
        color TEXT NOT NULL DEFAULT '')""",
    """CREATE TABLE sessions (
        id TEXT PRIMARY KEY NOT NULL,
        mode TEXT NOT NULL DEFAULT 'debate',
        topic TEXT NOT NULL DEFAULT '',
        proposer TEXT,
        chairman TEXT,
        status TEXT NOT NULL DEFAULT 'running',
        reason TEXT NOT NULL DEFAULT '',
        seed INTEGER,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        members_ok INTEGER,
        members_total INTEGER)""",
    "CREATE INDEX sessions_started_at ON sessions (started_at)",
    "CREATE INDEX sessions_status ON sessions (status)",
    """CREATE TABLE session_members (
        id INTEGER PRIMARY KEY NOT NULL,
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
        seat INTEGER NOT NULL,
        model TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'ok',
        failed_stage INTEGER,
        failed_reason TEXT NOT NULL DEFAULT '')""",
    "CREATE UNIQUE INDEX session_members_session_member ON session_members (session_id, member_id)",
    "CREATE INDEX session_members_member ON session_members (member_id)",
    """CREATE TABLE responses (
        id INTEGER PRIMARY KEY NOT NULL,
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        member_id TEXT REFERENCES members (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        stage INTEGER,
        text TEXT NOT NULL DEFAULT '',
        tokens INTEGER NOT NULL DEFAULT 0,
        seconds REAL NOT NULL DEFAULT 0,
        seq INTEGER NOT NULL)""",
    "CREATE UNIQUE INDEX responses_session_seq ON responses (session_id, seq)",
    "CREATE INDEX responses_member ON responses (member_id)",
    """CREATE TABLE peer_reviews (
        id INTEGER PRIMARY KEY NOT NULL,
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        reviewer_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
        target_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
        label TEXT NOT NULL DEFAULT '',
        score REAL,
        valid INTEGER NOT NULL DEFAULT 1,
        reason TEXT NOT NULL DEFAULT '',
        seq INTEGER NOT NULL)""",
    "CREATE INDEX peer_reviews_session ON peer_reviews (session_id)",
    "CREATE INDEX peer_reviews_reviewer ON peer_reviews (reviewer_id)",
    "CREATE INDEX peer_reviews_target ON peer_reviews (target_id)",
    """CREATE TABLE rankings (
        id INTEGER PRIMARY KEY NOT NULL,
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        reviewer_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
        "order" TEXT NOT NULL DEFAULT '[]',
        valid INTEGER NOT NULL DEFAULT 1,
        reason TEXT NOT NULL DEFAULT '',
        seq INTEGER NOT NULL)""",
    "CREATE INDEX rankings_session ON rankings (session_id)",
    "CREATE INDEX rankings_reviewer ON rankings (reviewer_id)",
    """CREATE TABLE alliances (
        id INTEGER PRIMARY KEY NOT NULL,
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        from_member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
        to_member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
        stance TEXT NOT NULL,
        seq INTEGER NOT NULL)""",
    "CREATE INDEX alliances_session ON alliances (session_id)",
    "CREATE INDEX alliances_from_member ON alliances (from_member_id)",
    "CREATE INDEX alliances_to_member ON alliances (to_member_id)",
    """CREATE TABLE syntheses (
        id INTEGER PRIMARY KEY NOT NULL,
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
        text TEXT NOT NULL DEFAULT '',
        seq INTEGER NOT NULL)""",
    "CREATE INDEX syntheses_session ON syntheses (session_id)",
    """CREATE TABLE events (
        id INTEGER PRIMARY KEY NOT NULL,
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        t REAL NOT NULL,
        at TEXT NOT NULL,
        data TEXT NOT NULL)""",
    "CREATE UNIQUE INDEX events_session_seq ON events (session_id, seq)",
    """CREATE TABLE rotation (
        id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
        next_proposer INTEGER NOT NULL DEFAULT 0,
        next_chairman INTEGER NOT NULL DEFAULT 1)""",
    "INSERT INTO rotation (id, next_proposer, next_chairman) VALUES (1, 0, 1)",
)

V2 = (
    "ALTER TABLE sessions ADD COLUMN nudges TEXT NOT NULL DEFAULT '{}'",
    "ALTER TABLE session_members ADD COLUMN all_valid INTEGER NOT NULL DEFAULT 0",
    """CREATE TABLE model_personalities (
        member_id TEXT PRIMARY KEY NOT NULL REFERENCES members (id) ON DELETE CASCADE,
        agreeableness REAL NOT NULL DEFAULT 0.5,
        assertiveness REAL NOT NULL DEFAULT 0.5,
        verbosity REAL NOT NULL DEFAULT 0.5,
        contrarianism REAL NOT NULL DEFAULT 0.5,
        generosity REAL NOT NULL DEFAULT 0.5,
        sessions INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL)""",
    """CREATE TABLE personality_history (
        id INTEGER PRIMARY KEY NOT NULL,
        member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
        session_id TEXT REFERENCES sessions (id) ON DELETE SET NULL,
        kind TEXT NOT NULL DEFAULT 'update',
        at TEXT NOT NULL,
        agreeableness REAL NOT NULL,
        assertiveness REAL NOT NULL,
        verbosity REAL NOT NULL,
        contrarianism REAL NOT NULL,
        generosity REAL NOT NULL)""",
    "CREATE UNIQUE INDEX personality_history_member_session ON personality_history (member_id, session_id)",
    """CREATE TABLE model_achievements (
        id INTEGER PRIMARY KEY NOT NULL,
        member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
        badge TEXT NOT NULL,
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        reason TEXT NOT NULL DEFAULT '',
        event_seq INTEGER,
        awarded_at TEXT NOT NULL)""",
    "CREATE UNIQUE INDEX model_achievements_member_badge_session "
    "ON model_achievements (member_id, badge, session_id)",
    "CREATE INDEX model_achievements_awarded_at ON model_achievements (awarded_at)",
    "CREATE INDEX model_achievements_session ON model_achievements (session_id)",
)


V3 = (
    "ALTER TABLE session_members ADD COLUMN model_file TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE sessions ADD COLUMN parent_id TEXT REFERENCES sessions (id) ON DELETE SET NULL",
    "ALTER TABLE sessions ADD COLUMN fork_stage INTEGER",
    "CREATE INDEX sessions_parent ON sessions (parent_id)",
    """CREATE TABLE viewer_ballots (
        id INTEGER PRIMARY KEY NOT NULL,
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        stage INTEGER NOT NULL,
        kind TEXT NOT NULL,
        target_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
        label TEXT NOT NULL DEFAULT '',
        score REAL,
        position INTEGER,
        stance TEXT,
        counted INTEGER NOT NULL DEFAULT 0,
        seq INTEGER NOT NULL)""",
    "CREATE INDEX viewer_ballots_session ON viewer_ballots (session_id)",
)


def _run(db: SqliteDatabase, statements: tuple[str, ...]) -> None:
    for sql in statements:
        db.execute_sql(sql)


def _v1(db: SqliteDatabase) -> None:
    _run(db, V1)


# The Workhorse condition as it stood when version 2 was written (valid output in every stage a member
# took part in), frozen in SQL over the stored events: later changes to core.achievements must not
# change what this migration writes.
V2_BACKFILL = """
UPDATE session_members SET all_valid = 1
WHERE session_id IN (SELECT id FROM sessions WHERE status = 'finished')
  AND NOT EXISTS (
      SELECT 1 FROM events e, json_each(e.data, '$.members') m
      WHERE e.session_id = session_members.session_id AND e.kind = 'roles'
        AND json_extract(m.value, '$.id') = session_members.member_id
        AND coalesce(json_extract(m.value, '$.status'), 'ok') != 'ok')
  AND NOT EXISTS (
      SELECT 1 FROM events e
      WHERE e.session_id = session_members.session_id AND e.kind = 'member_failed'
        AND json_extract(e.data, '$.member') = session_members.member_id)
  AND EXISTS (
      SELECT 1 FROM events e
      WHERE e.session_id = session_members.session_id
        AND e.kind IN ('topic', 'opinion', 'rebuttal', 'answer', 'synthesis')
        AND json_extract(e.data, '$.member') = session_members.member_id)
  AND NOT EXISTS (
      SELECT 1 FROM events e
      WHERE e.session_id = session_members.session_id AND e.kind IN ('review', 'ranking')
        AND json_extract(e.data, '$.reviewer') = session_members.member_id
        AND NOT coalesce(json_extract(e.data, '$.valid'), 0))
  AND coalesce((
      SELECT coalesce(json_extract(e.data, '$.valid'), 0) FROM events e
      WHERE e.session_id = session_members.session_id AND e.kind = 'alliance'
        AND json_extract(e.data, '$.member') = session_members.member_id
      ORDER BY e.seq DESC LIMIT 1), 1)
"""


def _v2(db: SqliteDatabase) -> None:
    _run(db, (*V2, V2_BACKFILL))


def _v3(db: SqliteDatabase) -> None:
    _run(db, V3)
    db.execute_sql("UPDATE session_members SET model_file = model")
    for sid, data in db.execute_sql("SELECT session_id, data FROM events WHERE kind = 'roles'").fetchall():
        for m in json.loads(data).get("members") or []:
            if isinstance(m, dict) and m.get("model_file"):
                db.execute_sql("UPDATE session_members SET model_file = ? WHERE session_id = ? AND member_id = ?",
                               (str(m["model_file"]), sid, str(m.get("id"))))


MIGRATIONS: dict[int, Callable[[SqliteDatabase], None]] = {1: _v1, 2: _v2, 3: _v3}
LATEST = max(MIGRATIONS)


def schema_version(db: SqliteDatabase, path: Path) -> int:
    """The file's schema version: 0 for an empty file; StorageError for a SQLite file that is not ours."""
    tables = {r[0] for r in db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
    if not tables:
        return 0
    if "schema_version" not in tables:
        raise StorageError(f"{path} is a SQLite database but not a Council Desktop history (it has no "
                           f"schema version). Choose another file or move this one aside.", "foreign", path)
    row = db.execute_sql("SELECT version FROM schema_version WHERE id = 1").fetchone()
    if row is None:
        raise StorageError(f"{path} has no schema version row; it is damaged. Move it aside to start a "
                           f"new history.", "corrupt", path)
    return int(row[0])


def backup_path(path: Path, version: int) -> Path:
    return path.with_name(f"{path.name}.bak-v{version}")


def backup(db: SqliteDatabase, path: Path, version: int) -> Path:
    """Copy the whole database (committed WAL content included) with SQLite's online backup API."""
    target = backup_path(path, version)
    tmp = target.with_name(target.name + ".tmp")
    dst = sqlite3.connect(tmp)
    try:
        db.connection().backup(dst)
    finally:
        dst.close()
    tmp.replace(target)  # never leave a half-written backup under the final name
    return target


def migrate(db: SqliteDatabase, path: Path, target: int = LATEST) -> int:
    """Bring the file to ``target``; returns the version it had. Each migration runs in one transaction
    (a failure leaves the file at the previous version); an existing file is backed up first."""
    current = schema_version(db, path)
    if current > LATEST:
        raise StorageError(f"{path} was written by a newer Council Desktop (schema {current}, this version "
                           f"knows {LATEST}). Update the app, or move the file aside.", "newer", path)
    if current >= target:
        return current
    if current > 0:
        backup(db, path, current)
    for n in range(current + 1, target + 1):
        with db.atomic():  # BEGIN IMMEDIATE: one process migrates at a time
            if schema_version(db, path) >= n:
                continue  # another process opening the same file migrated it meanwhile
            MIGRATIONS[n](db)
            db.execute_sql("INSERT INTO schema_version (id, version) VALUES (1, ?) "
                           "ON CONFLICT (id) DO UPDATE SET version = excluded.version", (n,))
    return current
