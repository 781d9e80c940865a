"""The schema: models match the migrated tables, a v1 file migrates with a backup, a failed step rolls back."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from peewee import SqliteDatabase

from council_desktop.storage import StorageError, Store, migrations
from council_desktop.storage.models import MODELS


def columns(conn: Any, table: str) -> set[str]:
    return {r[1] for r in conn.execute(f"PRAGMA table_info({table})").fetchall()}


def test_a_new_file_gets_the_latest_schema_without_a_backup(db_path: Path) -> None:
    with Store.open(db_path) as store:
        assert store.schema_version == migrations.LATEST == 3
        assert store.migrated_from == 0
    assert not list(db_path.parent.glob("*.bak-*"))


def test_the_models_name_exactly_the_migrated_columns(store: Store) -> None:
    conn = store.db.connection()
    for model in MODELS:
        table = model._meta.table_name
        assert columns(conn, table) == {f.column_name for f in model._meta.sorted_fields}, table
    unique = {r[1] for r in conn.execute("PRAGMA index_list(events)").fetchall() if r[2]}
    assert "events_session_seq" in unique
    unique = {r[1] for r in conn.execute("PRAGMA index_list(model_achievements)").fetchall() if r[2]}
    assert "model_achievements_member_badge_session" in unique


def make_v1(path: Path, council: ModuleType) -> list[Any]:
    """A file exactly as the first release wrote it: one finished debate (Muse's review invalid)."""
    db = SqliteDatabase(str(path), pragmas={"foreign_keys": 1})
    db.connect()
    migrations.migrate(db, path, target=1)
    events = council.run_debate(council.DebateScript(invalid_reviews={"muse": "bad"}))
    roles = events[0].data
    with db.atomic():
        db.execute_sql("INSERT INTO sessions (id, mode, topic, proposer, chairman, status, seed, started_at, "
                       "finished_at, members_ok, members_total) VALUES ('old', 'debate', 'Old topic', 'sage', "
                       "'judge', 'finished', 7, ?, ?, 5, 5)", (events[0].at, events[-1].at))
        for seat, m in enumerate(roles["members"]):
            db.execute_sql("INSERT INTO members (id, name, model, persona, color) VALUES (?, ?, ?, ?, ?)",
                           (m["id"], m["name"], m["model"], m["persona"], m["color"]))
            db.execute_sql("INSERT INTO session_members (session_id, member_id, seat, model) VALUES "
                           "('old', ?, ?, ?)", (m["id"], seat, m["model"]))
        for e in events:
            db.execute_sql("INSERT INTO events (session_id, seq, kind, t, at, data) VALUES ('old', ?, ?, ?, ?, ?)",
                           (e.seq, e.kind, e.t, e.at, json.dumps(e.data)))
            if e.kind == "review" and e.data["valid"]:
                for row in e.data["scores"]:
                    db.execute_sql("INSERT INTO peer_reviews (session_id, reviewer_id, target_id, label, score, "
                                   "valid, seq) VALUES ('old', ?, ?, ?, ?, 1, ?)",
                                   (e.data["reviewer"], row["target"], row["label"], row["score"], e.seq))
    db.close()
    return events


def test_a_v1_file_is_backed_up_and_migrated(db_path: Path, council: ModuleType) -> None:
    db_path.parent.mkdir(parents=True)
    events = make_v1(db_path, council)

    store = Store.open(db_path)
    assert store.migrated_from == 1 and store.schema_version == 3

    backup = db_path.with_name("council.db.bak-v1")
    assert backup.is_file()
    old = sqlite3.connect(backup)
    assert old.execute("SELECT version FROM schema_version").fetchall() == [(1,)]
    assert old.execute("SELECT COUNT(*) FROM events").fetchone()[0] == len(events)
    assert "nudges" not in columns(old, "sessions")
    old.close()

    conn = store.db.connection()
    assert {"nudges"} <= columns(conn, "sessions") and {"all_valid"} <= columns(conn, "session_members")
    assert {"model_personalities", "personality_history", "model_achievements"} <= {
        r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    row = store.session("old")
    assert row is not None and row.nudges == {} and row.status == "finished"
    assert [e.to_dict() for e in store.load_events("old")] == [e.to_dict() for e in events]
    # The all-valid flag was back-filled from the old session's own events: Muse's review was invalid.
    flags = dict(conn.execute("SELECT member_id, all_valid FROM session_members").fetchall())
    assert flags == {"sage": 1, "rebel": 1, "muse": 0, "judge": 1, "qwen25-05b": 1}
    assert store.history(council.IDS).valid_sessions == {"sage": 1, "rebel": 1, "judge": 1, "qwen25-05b": 1}
    assert store.leaderboard()[0].member == "sage"
    # v3: the seats' model file back-filled (the old roles event had no identity: the label stands in).
    files = dict(conn.execute("SELECT member_id, model_file FROM session_members").fetchall())
    assert files["qwen25-05b"] == "qwen2.5-0.5b-instruct-q4_k_m.gguf"
    assert {"parent_id", "fork_stage"} <= columns(conn, "sessions")

    # The migrated file takes new sessions, badges and personalities.
    sid, new_events = council.record(store, council.DebateScript(
        awards=[{"member": "muse", "badge": "Peacemaker", "reason": "x", "event_seq": 3}]))
    store.update_personalities(sid, new_events)
    assert [b.badge for b in store.hall_of_fame()] == ["Peacemaker"]
    store.close()

    with Store.open(db_path) as again:  # already current: no second backup, nothing rewritten
        assert again.migrated_from == 3
    assert sorted(p.name for p in db_path.parent.glob("*.bak-*")) == ["council.db.bak-v1"]


def test_a_failing_migration_leaves_the_file_at_its_version(db_path: Path, council: ModuleType,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    db_path.parent.mkdir(parents=True)
    make_v1(db_path, council)

    def broken(db: SqliteDatabase) -> None:
        migrations._run(db, migrations.V2[:3])  # two columns and a table, then a failure
        db.execute_sql("CREATE TABLE sessions (id TEXT)")  # already exists

    monkeypatch.setitem(migrations.MIGRATIONS, 2, broken)
    with pytest.raises(StorageError) as err:
        Store.open(db_path)
    assert "already exists" in str(err.value)

    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT version FROM schema_version").fetchall() == [(1,)]
    assert "nudges" not in columns(conn, "sessions")
    assert "model_personalities" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert db_path.with_name("council.db.bak-v1").is_file()

    monkeypatch.undo()
    with Store.open(db_path) as store:  # the real migration still works afterwards
        assert store.schema_version == 3 and store.session("old") is not None


def test_two_processes_opening_an_old_file_at_once_migrate_it_once(db_path: Path, council: ModuleType,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    db_path.parent.mkdir(parents=True)
    make_v1(db_path, council)
    late = SqliteDatabase(str(db_path), lock_type="IMMEDIATE")
    late.connect()
    assert migrations.schema_version(late, db_path) == 1  # what the second process read before...
    with Store.open(db_path) as first:  # ...the first one migrated the file
        assert first.schema_version == migrations.LATEST
    real = migrations.schema_version
    stale = iter([1])
    monkeypatch.setattr(migrations, "schema_version", lambda db, path: next(stale, None) or real(db, path))
    assert migrations.migrate(late, db_path) == 1  # no "duplicate column": the step is skipped
    assert real(late, db_path) == migrations.LATEST
    late.close()


def test_the_v2_back_fill_is_frozen_not_the_live_badge_rule(db_path: Path, council: ModuleType,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import ast

    from council_desktop.core import achievements

    tree = ast.parse(Path(migrations.__file__).read_text(encoding="utf-8"))
    imported = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not any("core" in m for m in imported), imported  # frozen SQL, no live rules

    # Whatever the live rule says today, the migration writes what version 2 meant.
    monkeypatch.setattr(achievements, "valid_output", lambda events: dict.fromkeys(council.IDS, False))
    monkeypatch.setattr(achievements.SessionFacts, "valid_output", lambda self: dict.fromkeys(council.IDS, False))
    db_path.parent.mkdir(parents=True)
    make_v1(db_path, council)
    with Store.open(db_path) as store:
        flags = dict(store.db.connection().execute("SELECT member_id, all_valid FROM session_members").fetchall())
    assert flags == {"sage": 1, "rebel": 1, "muse": 0, "judge": 1, "qwen25-05b": 1}
