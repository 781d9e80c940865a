"""End to end: the real starter council through the command line, a real SQLite file, real exports."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.model, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]


def cli(home: Path, *args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COUNCIL_DESKTOP_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "council_desktop", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=ROOT)


def comparable(t: dict[str, Any]) -> dict[str, Any]:
    t = json.loads(json.dumps(t))
    for key in ("session_id", "started_at", "finished_at"):
        t.pop(key, None)
    for stage in t["stages"]:
        for turn in stage["turns"]:
            turn.pop("seconds", None)
    return t


@pytest.fixture(scope="module")
def debate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], str]:
    home = tmp_path_factory.mktemp("e2e-home")
    out = home / "debate.json"
    run = cli(home, "debate", "--seed", "7", "--max-tokens", "48", "--export", str(out))
    assert run.returncode == 0, run.stderr[-3000:]
    return home, json.loads(out.read_text()), run.stderr


def test_a_real_debate_runs_all_six_stages(debate: tuple[Path, dict[str, Any], str]) -> None:
    _, t, stderr = debate
    assert t["format"] == "council-transcript/1" and t["mode"] == "debate" and t["status"] == "finished"
    assert [s["index"] for s in t["stages"]] == [0, 1, 2, 3, 4, 5]
    assert t["topic"] and t["proposer"] in {m["id"] for m in t["members"]}
    assert all(m["status"] == "ok" for m in t["members"]) and len(t["members"]) == 5
    opinions = [turn for turn in t["stages"][1]["turns"] if turn["kind"] == "opinion"]
    assert len(opinions) == 5 and all(turn["text"].strip() and turn["tokens"] > 0 for turn in opinions)
    assert len(t["reviews"]) == 20 and all(r["valid"] and 1 <= r["score"] <= 10 for r in t["reviews"])
    assert len(t["rebuttals"]) == 2
    assert {r["member"] for r in t["aggregate"]} == {m["id"] for m in t["members"]}
    assert t["synthesis"]["text"].strip() and t["synthesis"]["member"] == t["chairman"]
    assert "stage 5: synthesis" in stderr and "tok/s" not in stderr  # not a TTY: no live bar, plain lines


def test_the_same_seed_gives_the_same_transcript(debate: tuple[Path, dict[str, Any], str],
                                                  tmp_path: Path) -> None:
    _, first, _ = debate
    out = tmp_path / "again.json"
    # A fresh home: same rotation, same (empty) personalities, same seed.
    run = cli(tmp_path / "home2", "debate", "--seed", "7", "--max-tokens", "48", "--export", str(out))
    assert run.returncode == 0, run.stderr[-3000:]
    assert comparable(json.loads(out.read_text())) == comparable(first)


def test_the_debate_is_stored_listed_ranked_and_exported(debate: tuple[Path, dict[str, Any], str],
                                                         tmp_path: Path) -> None:
    home, t, _ = debate
    history = cli(home, "history")
    assert history.returncode == 0 and "finished" in history.stdout and "debate" in history.stdout
    session_id = history.stdout.split()[0]
    board = cli(home, "leaderboard")
    assert board.returncode == 0 and "Sage" in board.stdout and "Poet" in board.stdout
    for ext in ("md", "html", "json"):
        out = tmp_path / f"t.{ext}"
        exported = cli(home, "export", session_id, str(out))
        assert exported.returncode == 0, exported.stderr
        word = max(re.findall(r"[A-Za-z]{4,}", t["synthesis"]["text"]), key=len)
        assert word in out.read_text()
    stored = json.loads((tmp_path / "t.json").read_text())
    assert comparable(stored)["reviews"] == comparable(t)["reviews"]


def test_ask_mode_answers_ranks_and_the_chairman_answers(tmp_path: Path) -> None:
    out = tmp_path / "ask.json"
    run = cli(tmp_path, "ask", "Why do we have seasons on Earth?", "--seed", "3", "--max-tokens", "48",
              "--export", str(out))
    assert run.returncode == 0, run.stderr[-3000:]
    t = json.loads(out.read_text())
    assert t["mode"] == "ask" and t["topic"] == "Why do we have seasons on Earth?"
    assert len(t["rankings"]) == 5 and all(r["valid"] and len(r["order"]) == 4 for r in t["rankings"])
    ranks = [r["average_rank"] for r in t["aggregate"]]
    assert ranks == sorted(ranks) and abs(sum(ranks) / len(ranks) - 2.5) < 1e-6
    assert t["synthesis"]["text"].strip()


def test_a_corrupt_model_seat_drops_out_and_four_members_finish(tmp_path: Path) -> None:
    from council_desktop.downloads.registry import InstalledModel, register

    home = tmp_path / "home"
    models = home / "models"
    models.mkdir(parents=True)
    bad = models / "qwen.gguf"
    bad.write_bytes(b"GGUF" + b"\x03\x00\x00\x00" + os.urandom(4000))
    register(models, InstalledModel(id="qwen2.5-0.5b-instruct", path=bad, filename=bad.name, size=bad.stat().st_size,
                                    sha256="0" * 64, sha256_source="hub", source="hub"))
    seats = [{"model": "smollm2-135m-instruct-starter", "persona": p} for p in ("sage", "skeptic", "optimist", "poet")]
    seats.insert(1, {"model": "qwen2.5-0.5b-instruct", "persona": "pragmatist"})
    (home / "settings.json").write_text(json.dumps({"seats": seats}))
    out = tmp_path / "four.json"
    run = cli(home, "debate", "--topic", "Is honesty always right?", "--seed", "1", "--max-tokens", "32",
              "--export", str(out))
    assert run.returncode == 0, run.stderr[-3000:]
    t = json.loads(out.read_text())
    failed = [m for m in t["members"] if m["status"] == "failed"]
    assert [m["id"] for m in failed] == ["pragmatist-qwen2.5-0.5b-instruct"]
    assert "qwen.gguf" in failed[0]["failure"]
    assert "4 of 5 members" in t["note"] and "4 of 5 members" in run.stderr
    assert len(t["reviews"]) == 12 and t["synthesis"]["text"]


def test_ctrl_c_stops_a_debate_and_it_is_stored_as_cancelled(tmp_path: Path) -> None:
    env = {**os.environ, "COUNCIL_DESKTOP_HOME": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-m", "council_desktop", "debate", "--topic", "Is time real?",
                             "--max-tokens", "200"], stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    assert proc.stderr is not None
    for line in proc.stderr:
        if "stage 1" in line:
            break
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    history = cli(tmp_path, "history")
    assert "cancelled" in history.stdout
