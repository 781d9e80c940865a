"""Issue 15 in the history: the by-model leaderboard, the audit's ballots, viewer ballots and forks."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from council_desktop import cli
from council_desktop.core.events import Event, EventLog
from council_desktop.core.fork import ForkStart, fork_prefix
from council_desktop.core.pipeline import Orchestrator, SessionPlan
from council_desktop.core.viewer import ViewerBallot, ViewerInbox
from council_desktop.storage import Store
from tests.scripted import ScriptedBackend, members

TINY = "sha256:aaaa"  # one model file seated as Sage and Rebel
BIG = "sha256:bbbb"  # another seated as Muse


def three_seats(tiny_label: str = "Tiny 1B") -> list[dict[str, str]]:
    return [
        {"id": "sage", "name": "Sage", "model": tiny_label, "model_file": TINY, "persona": "calm", "color": "#111111",
         "status": "ok"},
        {"id": "rebel", "name": "Rebel", "model": tiny_label, "model_file": TINY, "persona": "edgy",
         "color": "#222222", "status": "ok"},
        {"id": "muse-big", "name": "Muse", "model": "Big 3B", "model_file": BIG, "persona": "dreamy",
         "color": "#333333", "status": "ok"},
    ]


SCORES = {"sage": {"rebel": 4, "muse-big": 9}, "rebel": {"sage": 6, "muse-big": 8},
          "muse-big": {"sage": 7, "rebel": 3}}


def test_the_leaderboard_by_model_aggregates_one_model_across_its_personas(store: Store, council: ModuleType,
                                                                            db_path: Path,
                                                                            capsys: pytest.CaptureFixture[str]) -> None:
    council.record(store, council.DebateScript(members=three_seats(), scores=SCORES, chairman="sage",
                                               stances={}))
    # The same file under a new display label: still one model.
    council.record(store, council.DebateScript(members=three_seats("Tiny 1B (renamed)"), scores=SCORES,
                                               chairman="sage", stances={}))
    rows = store.leaderboard_by_model()
    assert [r.model_file for r in rows] == [BIG, TINY]
    big, tiny = rows
    assert big.personas == ("Muse",) and big.seats == 2 and big.sessions == 2
    assert big.mean_score == pytest.approx((9 + 8) / 2) and big.scores == 4 and big.wins == 2
    assert tiny.personas == ("Rebel", "Sage") and tiny.seats == 4 and tiny.sessions == 2
    # Sage received 6, 7 and Rebel 4, 3 in each session: one mean over both personas.
    assert tiny.mean_score == pytest.approx((6 + 7 + 4 + 3) / 4) and tiny.scores == 8 and tiny.wins == 0
    assert tiny.name == "Tiny 1B (renamed)"
    # By seat, the same history has three rows.
    assert sorted(r.member for r in store.leaderboard()) == ["muse-big", "rebel", "sage"]

    store.close()
    assert cli.main(["--db", str(db_path), "leaderboard", "--by", "model"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].split()[:2] == ["1", "Big"] and "8.50" in out[1] and out[1].endswith("Muse")
    assert "Tiny 1B (renamed)" in out[2] and "5.00" in out[2] and out[2].endswith("Rebel, Sage")
    assert cli.main(["--db", str(db_path), "leaderboard", "--by", "seat"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 4


def test_the_audit_reads_every_valid_council_score(store: Store, council: ModuleType, db_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    for _ in range(3):
        council.record(store, council.DebateScript())
    council.record(store, council.DebateScript(invalid_reviews={"muse": "bad"}))
    a = store.audit()
    assert a.ballots == 3 * 20 + 16 and a.sessions == 4
    assert sum(f.ballots for f in a.by_label) == a.ballots
    judges = {j.judge: j for j in a.judges}
    assert judges["sage"].ballots == 16 and judges["muse"].ballots == 12
    # Sage gives 5.0 on average against 5.9 from the others; Qwen gives 6.75: the most lenient.
    assert judges["qwen25-05b"].leniency > judges["sage"].leniency
    store.close()
    assert cli.main(["--db", str(db_path), "audit", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ballots"] == 76 and {j["judge"] for j in data["judges"]} == set(council.IDS)
    assert all("notes" in j and j["ballots"] > 0 for j in data["judges"])
    assert cli.main(["--db", str(db_path), "audit"]) == 0
    text = capsys.readouterr().out
    assert "76 scores from 4 finished sessions" in text and "Label / position" in text


def record_live(store: Store, plan: SessionPlan, sid: str, extra: list[Any] | None = None) -> list[Event]:
    rec = store.recorder(sid)
    log = EventLog([*(extra or []), rec])
    asyncio.run(Orchestrator(plan, ScriptedBackend(), log).run())
    rec.close()
    return log.events


def test_viewer_judge_ballots_are_stored_apart_and_agreement_is_measured(store: Store) -> None:
    inbox = ViewerInbox()

    def vote(e: Event) -> None:
        if e.kind == "viewer_open" and e.data["kind"] == "review":
            # The viewer agrees with the scripted judges: "weak" answers (poet, optimist) low.
            scores = {lab: (2 if mid in ("poet", "optimist") else 9 - i) for i, (lab, mid)
                      in enumerate(e.data["labels"].items())}
            inbox.submit(ViewerBallot(2, "review", scores=scores))
        elif e.kind == "viewer_open":
            ids = list(e.data["labels"].values())
            inbox.submit(ViewerBallot(4, "alliance", agree=ids[:2], disagree=ids[2:3]))

    events = record_live(store, SessionPlan("debate", members(), topic="T?", seed=3, viewer=inbox), "s1", [vote])
    rows = store.db.execute_sql("SELECT kind, target_id, score, stance, counted FROM viewer_ballots "
                                "ORDER BY id").fetchall()
    assert [r[0] for r in rows].count("review") == 5 and [r[3] for r in rows if r[0] == "alliance"] == [
        "agree", "agree", "disagree"]
    assert all(r[4] == 0 for r in rows)
    # Never in the council's own tables or figures.
    assert store.db.execute_sql("SELECT COUNT(*) FROM peer_reviews WHERE reviewer_id = 'you'").fetchone()[0] == 0
    assert "you" not in {r.member for r in store.leaderboard()}
    agreement = store.viewer_agreement()
    assert {a.member for a in agreement} == {m.id for m in members()}
    assert all(a.sessions == 1 for a in agreement) and agreement[0].rho >= agreement[-1].rho
    stored = store.load_events("s1")
    assert [e.to_dict() for e in stored if e.kind == "viewer_ballot"] == [
        e.to_dict() for e in events if e.kind == "viewer_ballot"]


def test_a_stored_fork_names_its_parent(store: Store) -> None:
    parent = record_live(store, SessionPlan("debate", members(), topic="T?", seed=3), "parent")
    first, second = members()[0].id, members()[1].id
    before = ({r.member: (r.scores, r.wins, r.mean_score) for r in store.leaderboard()},
              store.member_history(first), store.head_to_head(first, second))
    prefix = fork_prefix(store.load_events("parent"), 3)
    record_live(store, SessionPlan("debate", members(), seed=8, chairman=2,
                                   fork=ForkStart("parent", 3, tuple(prefix), {"seed": 8})), "child")
    child = store.load_events("child")
    assert [e.to_dict() for e in child[:len(prefix)]] == [e.to_dict() for e in prefix]
    assert [e.to_dict() for e in prefix] == [e.to_dict() for e in parent if e.kind != "token"][:len(prefix)]
    row = store.session("child")
    assert row is not None and row.status == "finished" and row.seed == 8 and row.chairman == members()[2].id
    assert store.lineage("child").parent == "parent" and store.lineage("child").fork_stage == 3
    assert store.lineage("parent").children == (("child", 3),)
    assert store.forks() == {"child": ("parent", 3)}
    # The fork's transcript has its copied reviews, but the audit and the by-model board count them once
    # (in the parent).
    assert store.db.execute_sql("SELECT COUNT(*) FROM peer_reviews WHERE session_id = 'child'").fetchone()[0] == 20
    assert store.audit().ballots == 20 and store.audit().sessions == 1
    (model,) = store.leaderboard_by_model()
    assert model.scores == 20 and model.sessions == 2 and model.wins == 1
    # So do the by-seat leaderboard, each member's history and head to head: the fork re-ran only the
    # rebuttals, alliances and synthesis, so the scores are as they were.
    after = ({r.member: (r.scores, r.wins, r.mean_score) for r in store.leaderboard()},
             store.member_history(first), store.head_to_head(first, second))
    assert after[0] == before[0] and sum(n for n, _, _ in after[0].values()) == 20
    assert after[1] == before[1]
    assert (after[2].a_scores_b, after[2].b_scores_a) == (before[2].a_scores_b, before[2].b_scores_a)
    store.delete_session("parent")
    assert store.lineage("child").parent is None
