"""Recording sessions event by event, reading them back, listing, deleting and the role rotation."""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from council_desktop.core.events import EVENT_KINDS, Event, EventLog
from council_desktop.storage import StorageError, Store


def rows(store: Store, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return list(store.db.execute_sql(sql, params).fetchall())


def one(store: Store, sql: str, *params: Any) -> Any:
    return rows(store, sql, *params)[0][0]


def test_open_creates_the_folders_and_sets_pragmas_on_every_connection(db_path: Path) -> None:
    assert not db_path.parent.exists()
    store = Store.open(db_path, busy_timeout_ms=1234)
    assert db_path.is_file()
    seen: list[tuple[Any, ...]] = []

    def probe() -> None:  # another thread gets its own connection: the pragmas must hold there too
        seen.append((one(store, "PRAGMA journal_mode"), one(store, "PRAGMA foreign_keys"),
                     one(store, "PRAGMA busy_timeout"), one(store, "PRAGMA synchronous")))
        store.close()

    worker = threading.Thread(target=probe)
    worker.start()
    worker.join()
    assert seen == [("wal", 1, 1234, 1)]  # synchronous 1 = NORMAL
    assert (one(store, "PRAGMA journal_mode"), one(store, "PRAGMA foreign_keys")) == ("wal", 1)
    assert store.schema_version == 3 and store.migrated_from == 0
    store.close()


def full_debate(council: ModuleType) -> Any:
    """A debate with every complication: Qwen drops out in the rebuttals, the chairman (Judge) fails
    before the synthesis, one review and one alliance ballot are invalid, nudges and a badge."""
    return council.DebateScript(
        fail={"judge": 5}, invalid_reviews={"muse": "no JSON object in the reply"},
        invalid_stances={"rebel": "unknown name 'Bob'"},
        nudges={"rebel": ["You have a reputation for challenging the consensus; keep doing so when you "
                          "have reason."]},
        awards=[{"member": "sage", "badge": "Iron Wall", "reason": "scripted", "event_seq": 5}],
        tokens={"sage": 50, "rebel": 30})


def test_every_event_of_a_debate_is_recorded_in_order(store: Store, council: ModuleType) -> None:
    sid, events = council.record(store, full_debate(council))
    stored = store.load_events(sid)
    assert [e.to_dict() for e in stored] == [e.to_dict() for e in events]
    assert [e.seq for e in stored] == sorted(e.seq for e in stored)
    assert one(store, "SELECT COUNT(*) FROM events WHERE kind = 'token'") == 0
    assert {e.kind for e in stored} == set(EVENT_KINDS) - {"token", "answer", "ranking", "forked", "viewer_open",
                                                            "viewer_ballot", "viewer_skipped"}
    assert store.load_events(sid, kinds=["review"]) == [e for e in events if e.kind == "review"]


def test_a_debate_fills_the_structured_tables(store: Store, council: ModuleType) -> None:
    sid, events = council.record(store, full_debate(council))
    by_kind = {e.kind: e for e in events}
    row = store.session(sid)
    assert row is not None
    assert (row.mode, row.status, row.proposer, row.chairman, row.seed) == ("debate", "finished", "sage",
                                                                             "qwen25-05b", 7)
    assert row.topic == "Should cities ban private cars from their centres?"
    assert (row.members_ok, row.members_total) == (4, 5)
    assert row.members == council.IDS
    assert row.started_at == events[0].at and row.finished_at == by_kind["complete"].at
    assert row.nudges == {"rebel": full_debate(council).nudges["rebel"]}

    assert rows(store, "SELECT id, name, model, color FROM members ORDER BY id")[0] == (
        "judge", "Judge", "SmolLM2-135M-Instruct (starter)", "#e0af68")
    assert rows(store, "SELECT member_id, seat, status, failed_stage FROM session_members "
                       "WHERE status = 'failed'") == [("judge", 3, "failed", 5)]

    kinds = dict(rows(store, "SELECT kind, COUNT(*) FROM responses WHERE session_id = ? GROUP BY kind", sid))
    assert kinds == {"topic": 1, "opinion": 5, "rebuttal": 2, "synthesis": 1}
    assert rows(store, "SELECT member_id, stage, tokens FROM responses WHERE kind = 'topic'") == [("sage", 0, 50)]
    assert rows(store, "SELECT DISTINCT stage FROM responses WHERE kind = 'rebuttal'") == [(3,)]
    # Means received: qwen 3.67 and rebel 4.0 (Muse's ballot is invalid): the bottom two rebut.
    assert {m for (m,) in rows(store, "SELECT member_id FROM responses WHERE kind = 'rebuttal'")} == {
        "qwen25-05b", "rebel"}

    valid = rows(store, "SELECT reviewer_id, target_id, score FROM peer_reviews WHERE valid = 1")
    assert len(valid) == 16
    assert all(score == council.SCORES[r][t] for r, t, score in valid)
    invalid = rows(store, "SELECT reviewer_id, score, reason, label FROM peer_reviews WHERE valid = 0")
    assert len(invalid) == 4
    assert {(r, s, why) for r, s, why, _ in invalid} == {("muse", None, "no JSON object in the reply")}
    assert {lab for *_, lab in invalid} == {"Response A", "Response B", "Response C", "Response D"}

    # Rebel's ballot was invalid: it declares nothing. Judge (failed later) still declared.
    stances = set(rows(store, "SELECT from_member_id, to_member_id, stance FROM alliances"))
    expected = {(m, t, st) for m, (agree, disagree) in council.STANCES.items() if m != "rebel"
                for st, targets in (("agree", agree), ("disagree", disagree)) for t in targets}
    assert stances == expected

    assert rows(store, "SELECT member_id, seq FROM syntheses") == [("qwen25-05b", by_kind["synthesis"].seq)]
    assert rows(store, "SELECT member_id, badge, event_seq, awarded_at FROM model_achievements") == [
        ("sage", "Iron Wall", 5, by_kind["achievement"].at)]
    flags = dict(rows(store, "SELECT member_id, all_valid FROM session_members"))
    assert flags == {"sage": 1, "rebel": 0, "muse": 0, "judge": 0, "qwen25-05b": 1}


def test_an_ask_session_is_recorded(store: Store, council: ModuleType) -> None:
    orders = {"sage": ["muse", "rebel", "judge", "qwen25-05b"]}
    sid, events = council.record(store, council.DebateScript(orders=orders), mode="ask")
    assert [e.to_dict() for e in store.load_events(sid)] == [e.to_dict() for e in events]
    row = store.session(sid)
    assert row is not None and (row.mode, row.topic) == ("ask", "What is the best way to learn a language?")
    assert one(store, "SELECT COUNT(*) FROM responses WHERE kind = 'answer'") == 5
    assert one(store, "SELECT COUNT(*) FROM responses WHERE kind = 'topic' AND member_id IS NULL") == 1
    ranked = {r: json.loads(o) for r, o in rows(store, 'SELECT reviewer_id, "order" FROM rankings WHERE valid = 1')}
    assert len(ranked) == 5 and ranked["sage"] == orders["sage"]
    assert rows(store, "SELECT member_id FROM syntheses") == [("judge",)]
    assert one(store, "SELECT COUNT(*) FROM peer_reviews") == 0
    kinds = {e.kind for e in store.load_events(sid)}
    assert {"answer", "ranking"} <= kinds


def test_a_chairmans_answer_event_is_a_synthesis(store: Store) -> None:
    log = EventLog([store.recorder("s1")])
    log.emit("roles", mode="ask", seed=0, members=[{"id": "x", "name": "X", "model": "m", "persona": "",
                                                     "color": "#000", "status": "ok"}],
             proposer="x", chairman="x", nudges={})
    log.emit("answer", member="x", text="first", tokens=3, seconds=0.1)
    log.emit("answer", member="x", text="final", tokens=3, seconds=0.1, chairman="x")
    assert rows(store, "SELECT text FROM syntheses") == [("final",)]


def test_recording_the_same_events_twice_changes_nothing(store: Store, council: ModuleType) -> None:
    sid, events = council.record(store)
    counts = [one(store, f"SELECT COUNT(*) FROM {t}") for t in ("events", "responses", "peer_reviews",
                                                                 "alliances", "session_members")]
    again = store.recorder(sid)
    for e in events:
        again(e)
    assert [one(store, f"SELECT COUNT(*) FROM {t}") for t in ("events", "responses", "peer_reviews",
                                                               "alliances", "session_members")] == counts


def test_a_malformed_payload_keeps_its_event_and_the_session_goes_on(
        store: Store, caplog: pytest.LogCaptureFixture) -> None:
    rec = store.recorder("s1")
    rec(Event(1, "review", 0.1, "2025-01-01T00:00:00.000+00:00", {"reviewer": "x", "scores": [{"label": "A"}],
                                                                   "valid": True}))
    rec(Event(2, "opinion", 0.2, "2025-01-01T00:00:01.000+00:00", {"member": "x", "text": "hi", "tokens": 1,
                                                                    "seconds": 0.1}))
    assert [e.seq for e in store.load_events("s1")] == [1, 2]
    assert one(store, "SELECT COUNT(*) FROM peer_reviews") == 0
    assert one(store, "SELECT COUNT(*) FROM responses") == 1
    assert "structured rows skipped" in caplog.text
    assert caplog.records[0].levelno == logging.WARNING


def test_sessions_are_listed_newest_first_and_searched(store: Store, council: ModuleType) -> None:
    a, _ = council.record(store, council.DebateScript(topic="Are cats better than dogs?"))
    b, _ = council.record(store, council.DebateScript(topic="Is 100% renewable power possible?"))
    c, _ = council.record(store, mode="ask")
    assert [s.id for s in store.sessions()] == [c, b, a]
    assert [s.id for s in store.sessions(limit=2)] == [c, b]
    assert [s.id for s in store.sessions(limit=2, offset=2)] == [a]
    assert [s.id for s in store.sessions("CATS")] == [a]
    assert [s.id for s in store.sessions("100%")] == [b]
    assert [s.id for s in store.sessions("0%")] == [b]  # % is a literal, not a wildcard
    assert store.sessions("cats power") == []  # every word must match
    assert [s.id for s in store.sessions("language")] == [c]
    assert {s.id for s in store.sessions("qwen")} == {a, b, c}  # a member's name or id
    assert [s.id for s in store.sessions("numbers were unfair cats")] == [a]  # a response's text
    assert store.sessions("nothing-like-this") == []


def test_delete_session_removes_everything_recorded_with_it(store: Store, council: ModuleType) -> None:
    keep, _ = council.record(store)
    gone, events = council.record(store, council.DebateScript(
        awards=[{"member": "sage", "badge": "Unanimous", "reason": "x", "event_seq": 3}]))
    store.update_personalities(gone, events)
    assert store.delete_session(gone) is True
    assert store.delete_session(gone) is False
    for table in ("events", "responses", "peer_reviews", "rankings", "alliances", "syntheses",
                  "session_members", "model_achievements"):
        assert one(store, f"SELECT COUNT(*) FROM {table} WHERE session_id = ?", gone) == 0
    assert one(store, "SELECT COUNT(*) FROM events WHERE session_id = ?", keep) == len(store.load_events(keep)) > 30
    # The personality history keeps its points; they just lose the link to the deleted session.
    assert one(store, "SELECT COUNT(*) FROM personality_history WHERE session_id IS NULL") == 5
    assert [s.id for s in store.sessions()] == [keep]


def test_transcript_events_drop_turn_starts_and_close_an_unfinished_session(
        store: Store, council: ModuleType) -> None:
    sid, events = council.record(store)
    got = store.transcript_events(sid)
    assert got == [e for e in events if e.kind != "turn_started"]

    partial = store.recorder("cut")
    for e in events[:20]:
        partial(e)
    partial.close()  # its process ended
    assert store.mark_interrupted() == 1
    got = store.transcript_events("cut")
    assert got[:-1] == [e for e in events[:20] if e.kind != "turn_started"]
    assert got[-1].kind == "complete" and got[-1].seq == events[19].seq + 1
    assert got[-1].data == {"status": "interrupted", "reason": "The app stopped before the session ended.",
                            "members_ok": 5, "members_total": 5}
    with pytest.raises(StorageError) as err:
        store.transcript_events("no-such-session")
    assert err.value.kind == "missing"


def test_mark_interrupted_touches_only_running_sessions(store: Store, council: ModuleType) -> None:
    done, _ = council.record(store)
    _, events = council.record(store, session_id="tmp")
    store.delete_session("tmp")
    rec = store.recorder("cut")
    for e in events[:12]:
        rec(e)
    rec.close()  # its process ended
    assert store.session("cut").status == "running"  # type: ignore[union-attr]
    assert store.mark_interrupted() == 1
    assert store.mark_interrupted() == 0
    cut = store.session("cut")
    assert cut is not None and cut.status == "interrupted" and cut.finished_at == events[11].at
    assert store.session(done).status == "finished"  # type: ignore[union-attr]


def test_rotation_moves_both_roles_and_skips_unavailable_seats(db_path: Path) -> None:
    ids = ["a", "b", "c"]
    with Store.open(db_path) as store:
        assert store.next_roles(ids) == (0, 1)
        store.advance_rotation()
        assert store.next_roles(ids) == (1, 2)
        store.advance_rotation()
        assert store.next_roles(ids) == (2, 0)
        assert store.next_roles(ids, skip={"c"}) == (0, 1)
        assert store.next_roles(ids, skip={"a", "b"}) == (2, 2)  # one seat left does both
        assert store.next_roles(["solo"]) == (0, 0)
        with pytest.raises(ValueError):
            store.next_roles(ids, skip=set(ids))
    with Store.open(db_path) as store:  # stored, not in memory
        assert store.next_roles(ids) == (2, 0)
        store.advance_rotation()
        assert store.next_roles(ids) == (0, 1)
        assert store.next_roles([*ids, "d", "e"]) == (3, 4)


def test_the_complete_event_is_written_with_a_full_sync(store: Store, council: ModuleType) -> None:
    statements: list[str] = []
    conn = store.db.connection()
    conn.set_trace_callback(statements.append)
    council.record(store)
    conn.set_trace_callback(None)
    full = [i for i, s in enumerate(statements) if s == "PRAGMA synchronous = FULL"]
    normal = [i for i, s in enumerate(statements) if s == "PRAGMA synchronous = NORMAL"]
    complete = [i for i, s in enumerate(statements) if s.startswith('INSERT INTO "events"') and "'complete'" in s]
    assert len(full) == len(normal) == len(complete) == 1
    assert full[0] < complete[0] < normal[0]
    assert one(store, "PRAGMA synchronous") == 1


def test_the_member_who_proposed_is_the_sessions_proposer(store: Store, council: ModuleType) -> None:
    log = EventLog([store.recorder("s1")])
    log.emit("roles", mode="debate", seed=0, members=[dict(m) for m in council.MEMBERS[:3]],
             proposer="sage", chairman="rebel", nudges={})
    log.emit("stage", index=0, name="topic")
    log.emit("member_failed", member="sage", stage=0, reason="out of memory")
    log.emit("topic", member="rebel", text="Is chess a sport?", tokens=6, seconds=0.2)
    row = store.session("s1")
    assert row is not None and (row.proposer, row.topic) == ("rebel", "Is chess a sport?")
    assert rows(store, "SELECT member_id, failed_stage, failed_reason FROM session_members "
                       "WHERE status = 'failed'") == [("sage", 0, "out of memory")]
