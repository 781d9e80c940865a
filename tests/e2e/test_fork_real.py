"""End to end: fork a real debate of the starter council from the command line (real model, real SQLite)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.e2e.test_cli_real import cli

pytestmark = [pytest.mark.model, pytest.mark.slow]


def events(db: Path, session: str) -> list[tuple[int, str, float, str, str]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT seq, kind, t, at, data FROM events WHERE session_id = ? ORDER BY seq",
                            (session,)).fetchall()
    finally:
        conn.close()


def test_fork_a_real_debate_from_the_rebuttals_with_another_chair(tmp_path: Path) -> None:
    home = tmp_path / "home"
    run = cli(home, "debate", "--topic", "Should homework be banned?", "--seed", "3", "--max-tokens", "16",
              timeout=1200)
    assert run.returncode == 0, run.stderr[-3000:]
    db = home / "council.sqlite3"
    conn = sqlite3.connect(db)
    (parent, chair), = conn.execute("SELECT id, chairman FROM sessions").fetchall()
    conn.close()
    new_chair = "skeptic" if chair != "skeptic" else "sage"

    bad = cli(home, "fork", parent[:8], "--stage", "9")
    assert bad.returncode == 1 and "stages 0 to 5" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
    fork = cli(home, "fork", parent[:8], "--stage", "3", "--chair", new_chair, "--seed", "11", "--max-tokens", "16",
               timeout=1200)
    assert fork.returncode == 0, fork.stderr[-3000:]
    child = fork.stdout.strip().splitlines()[-1]
    assert len(child) == 32 and child != parent

    mine, theirs = events(db, child), events(db, parent)
    cut = next(i for i, e in enumerate(theirs) if e[1] == "stage" and json.loads(e[4])["index"] == 3)
    assert mine[:cut] == theirs[:cut]  # every event before the fork stage, exactly the parent's
    assert mine[cut][1] == "forked" and json.loads(mine[cut][4])["parent"] == parent
    assert mine[-1][1] == "complete" and json.loads(mine[-1][4])["status"] == "finished"
    synthesis = next(json.loads(e[4]) for e in mine if e[1] == "synthesis")
    assert synthesis["chairman"] == new_chair and synthesis["text"].strip()
    assert {json.loads(e[4])["index"] for e in mine[cut:] if e[1] == "stage"} == {3, 4, 5}

    conn = sqlite3.connect(db)
    rows = dict(conn.execute("SELECT id, parent_id FROM sessions").fetchall())
    conn.close()
    assert rows == {parent: None, child: parent}
    out = tmp_path / "fork.json"
    assert cli(home, "export", child[:8], str(out)).returncode == 0
    assert json.loads(out.read_text())["parent"] == {"session_id": parent, "stage": 3,
                                                     "changes": {"chairman": new_chair, "seed": 11}}
