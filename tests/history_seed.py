"""The one seeded history the storage, service and window tests share (real Store, real recorder).

S1 a default debate (Iron Wall for Sage), S2 a debate where Judge's review is invalid and Muse turns
against Sage (Unanimous for Muse), S3 a debate cut off after 20 events (interrupted), S4 an ask session;
personalities updated after S1, S2 and S4. Hand-worked figures (finished sessions only): mean received
scores Muse 49/7, Sage 47/7, Judge 47/8, Rebel 36/7, Qwen 32/7.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from council_desktop.storage import Store
from tests.storage.conftest import DebateScript, record, run_debate

S2_TOPIC = "Is remote work here to stay?"
S2_SCORES = {
    "sage": {"rebel": 6, "muse": 9, "judge": 5, "qwen25-05b": 4},
    "rebel": {"sage": 5, "muse": 8, "judge": 6, "qwen25-05b": 7},
    "muse": {"sage": 6, "rebel": 7, "judge": 5, "qwen25-05b": 6},
    "qwen25-05b": {"sage": 7, "rebel": 6, "muse": 8, "judge": 4},
}
S3_SCORES = {r: {t: (10 if t == "qwen25-05b" else 1) for t in ("sage", "rebel", "muse", "judge", "qwen25-05b")
                 if t != r} for r in ("sage", "rebel", "muse", "judge", "qwen25-05b")}
# member -> (sessions, mean received score, scores, wins, rebuttals, badges), worked out by hand
LEADERBOARD = {
    "muse": (3, 49 / 7, 7, 1, 0, 1),
    "sage": (3, 47 / 7, 7, 1, 0, 1),
    "judge": (3, 47 / 8, 8, 0, 1, 0),
    "rebel": (3, 36 / 7, 7, 0, 1, 0),
    "qwen25-05b": (3, 32 / 7, 7, 0, 2, 0),
}


@dataclass
class Seeded:
    store: Store
    path: Path
    s1: str
    s2: str
    s3: str
    s4: str


def seed_history(path: Path) -> Seeded:
    """Record the four sessions into a new history at ``path`` (see the module docstring)."""
    store = Store.open(path)
    stances = {"sage": (("muse", "judge"), ("rebel",)), "rebel": (("qwen25-05b",), ("sage", "judge")),
               "muse": (("judge", "rebel"), ("sage",)), "judge": (("sage",), ("rebel",)),
               "qwen25-05b": (("rebel", "sage"), ())}
    s1, e1 = record(store, DebateScript(
        awards=[{"member": "sage", "badge": "Iron Wall", "reason": "All sevens.", "event_seq": 30}]))
    store.update_personalities(s1, e1)
    s2, e2 = record(store, DebateScript(
        topic=S2_TOPIC, scores=S2_SCORES, invalid_reviews={"judge": "no JSON"}, stances=stances,
        awards=[{"member": "muse", "badge": "Unanimous", "reason": "Top of every ballot.", "event_seq": 20}]))
    store.update_personalities(s2, e2)
    rec = store.recorder("s3")
    for e in run_debate(DebateScript(topic="A debate the app never finished", scores=S3_SCORES))[:20]:
        rec(e)
    rec.close()  # its process ended
    assert store.mark_interrupted() == 1
    s4, e4 = record(store, mode="ask")
    store.update_personalities(s4, e4)
    return Seeded(store, path, s1, s2, "s3", s4)
