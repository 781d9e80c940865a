"""A process killed mid-debate: its session becomes interrupted, every event up to the kill survives."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType

from council_desktop.storage import Store

CONFTEST = Path(__file__).with_name("conftest.py")
ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent("""
    import importlib.util, os, signal, sys

    spec = importlib.util.spec_from_file_location("council_script", sys.argv[1])
    council = sys.modules["council_script"] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(council)
    from council_desktop.storage import Store

    store = Store.open(sys.argv[2])
    council.record(store, session_id="done")  # a finished session before the crash
    reviews = []

    def kill_during_stage_2(event):
        if event.kind == "review":
            reviews.append(event.seq)
            if len(reviews) == 2:
                print(event.seq, flush=True)
                os.kill(os.getpid(), signal.SIGKILL)

    council.run_debate(None, store.recorder("crashed"), kill_during_stage_2)
    print("not killed", flush=True)
""")


def test_a_killed_process_leaves_an_interrupted_session_with_its_events(
        tmp_path: Path, council: ModuleType) -> None:
    db = tmp_path / "council.db"
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(CONFTEST), str(db)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    last_seq = int(proc.stdout.strip())
    # The kill left the write-ahead log behind: opening must recover from it.
    assert Path(f"{db}-wal").exists()

    store = Store.open(db)
    assert store.session("crashed").status == "running"  # type: ignore[union-attr]
    assert store.mark_interrupted() == 1
    crashed = store.session("crashed")
    assert crashed is not None and crashed.status == "interrupted"

    # The same script, run here without a kill, says what was emitted up to the second review.
    expected = [e for e in council.run_debate() if e.seq <= last_seq]
    assert expected[-1].kind == "review" and any(e.kind == "stage" and e.data["index"] == 2 for e in expected)
    got = store.load_events("crashed")
    assert [(e.seq, e.kind, e.t, e.data) for e in got] == [(e.seq, e.kind, e.t, e.data) for e in expected]
    assert crashed.finished_at == got[-1].at
    assert store.db.execute_sql("SELECT COUNT(*) FROM peer_reviews WHERE session_id = 'crashed'").fetchone()[0] == 8

    done = store.session("done")
    assert done is not None and done.status == "finished"
    assert len(store.load_events("done")) == len(council.run_debate())
    assert store.transcript_events("crashed")[-1].data["status"] == "interrupted"
    store.close()

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()


def test_a_session_another_recorder_still_holds_is_not_interrupted(tmp_path: Path, council: ModuleType) -> None:
    db = tmp_path / "council.db"
    events = council.run_debate()
    app = Store.open(db)  # the window, mid-debate
    live = app.recorder("live")
    for e in events[:8]:
        live(e)
    abandoned = app.recorder("abandoned")
    for e in events[:5]:
        abandoned(e)
    abandoned.close()  # its process ended without completing it (as a kill does: the lock is dropped)
    other = Store.open(db)  # e.g. `council-desktop history` in a terminal meanwhile
    assert other.mark_interrupted() == 1
    assert other.session("abandoned").status == "interrupted"  # type: ignore[union-attr]
    assert other.session("live").status == "running"  # type: ignore[union-attr]
    for e in events[8:]:
        live(e)
    assert other.session("live").status == "finished"  # type: ignore[union-attr]
    assert other.mark_interrupted() == 0
    assert not any((tmp_path / "council.db.running").iterdir())  # no lock left behind
    other.close()
    app.close()
