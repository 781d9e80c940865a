"""Realistic council-transcript/1 dicts for the export tests: a debate, an interrupted debate and an ask
session, each with five members, one failed seat, one invalid ballot and hostile model text."""

from __future__ import annotations

import copy
from typing import Any

# Model text that would break out of an HTML page or a Markdown document if it were not escaped.
HOSTILE = (
    "I agree, but first: <script>alert(1)</script>\n"
    "<img src=x onerror=alert(1)>\n"
    "# Not a heading\n"
    "[click me](javascript:alert(1)) and ![pic](javascript:alert(2))\n"
    "| col | umn |\n|---|---|\n| a | b |\n"
    "```\nfenced?\n```\n"
    "***\n"
    "- not a list\n"
    "1. not a numbered list\n"
    "    not indented code\n"
    "> not a quote\n"
    "&lt;b&gt;entity&lt;/b&gt; and &amp; <b>bold?</b> </div></article>\n"
    "`code` and ``double`` with *stars* and _underscores_ and ~~strike~~ $x$\n"
    "{{ 7 * 7 }} {% raw %} <!-- comment --> <a href=\"javascript:alert(3)\" onclick=\"alert(4)\">a</a>\n"
    "trailing backslash \\\n"
    "<svg onload=alert(5)><style>body{display:none}</style>"
)

MEMBERS = [
    {"id": "ada", "name": "Ada", "model": "SmolLM2-135M-Instruct-Q4_1.gguf",
     "persona": "You are Ada, a pragmatic engineer. You care about cost, evidence and what works.",
     "status": "ok"},
    {"id": "basil", "name": "Basil", "model": "SmolLM2-135M-Instruct-Q4_1.gguf",
     "persona": "You are Basil, a careful skeptic. You question every claim and ask for sources.",
     "status": "ok"},
    {"id": "cleo", "name": "Cleo", "model": "qwen2.5-0.5b-instruct-q4_k_m.gguf",
     "persona": "You are Cleo, an optimist who looks for the upside in every proposal.",
     "status": "ok"},
    {"id": "dmitri", "name": "Dmitri", "model": "gemma-3-270m-it-Q4_K_M.gguf",
     "persona": "You are Dmitri, a historian. You compare every idea with what happened before.",
     "status": "ok"},
    {"id": "eve", "name": "Eve", "model": "tinyllama-1.1b-chat-v1.0.Q4_K_M.gguf",
     "persona": "You are Eve, a contrarian. You take the side nobody else takes.",
     "status": "failed", "reason": "the model stopped answering (context window full) twice during review"},
]

TOPIC = "Should small towns replace their street lights with motion-activated lamps?"

OPINIONS = {
    "ada": ("Yes, in most streets. Motion-activated LED lamps cut the energy bill by half or more, and "
            "the sensors are cheap now.\n\nKeep main roads and crossings lit all night; switch the "
            "quiet residential streets to sensors first and measure."),
    "basil": ("Not so fast. Where is the evidence that people feel safe walking into a dark street that "
              "only lights up once they are in it? The savings are real, but so is the fear.\n\n"
              "Run a pilot with surveys before anyone rips out working lamps."),
    "cleo": HOSTILE,
    "dmitri": ("Towns have done this before: several European towns dimmed or switched off lights after "
               "midnight in the 2010s. Crime did not rise, but complaints did, mostly from older "
               "residents.\nThe lesson: communicate early and keep the switch reversible."),
    "eve": ("Everyone will say \"pilot first\". I say the opposite: switch the whole town at once, or "
            "the comparison will be meaningless."),
}


def _turn(member: str | None, kind: str, text: str, tokens: int, seconds: float) -> dict[str, Any]:
    return {"member": member, "kind": kind, "text": text, "tokens": tokens, "seconds": seconds}


def _reviews() -> list[dict[str, Any]]:
    scores = {
        "ada": {"basil": 7, "cleo": 3, "dmitri": 8, "eve": 5},
        "basil": {"ada": 8, "cleo": 2, "dmitri": 9, "eve": 4},
        "cleo": {"ada": 9, "basil": 6, "dmitri": 7, "eve": 6},
    }
    labels = ["Response A", "Response B", "Response C", "Response D"]
    out: list[dict[str, Any]] = []
    for reviewer, given in scores.items():
        for i, (target, score) in enumerate(given.items()):
            out.append({"reviewer": reviewer, "target": target, "label": labels[(i + len(reviewer)) % 4],
                        "score": score, "valid": True})
    # Dmitri's ballot could not be read even by the lenient parser: stored, shown, not counted.
    for target, label in (("ada", "Response C"), ("basil", "Response A"), ("cleo", "Response D"),
                          ("eve", "Response B")):
        out.append({"reviewer": "dmitri", "target": target, "label": label, "score": None, "valid": False,
                    "reason": "no score for Response D after retry"})
    return out


def debate_transcript(status: str | None = "finished") -> dict[str, Any]:
    t: dict[str, Any] = {
        "format": "council-transcript/1",
        "mode": "debate",
        "session_id": "2026-05-09-0735-7f3a",
        "started_at": "2026-05-09T07:35:25.120+00:00",
        "finished_at": "2026-05-09T07:39:37.480+00:00",
        "status": status,
        "topic": TOPIC,
        "proposer": "ada",
        "chairman": "basil",
        "members": copy.deepcopy(MEMBERS),
        "stages": [
            {"index": 0, "name": "topic", "turns": [_turn("ada", "topic", TOPIC, 19, 0.9)]},
            {"index": 1, "name": "opinions", "turns": [
                _turn(m, "opinion", OPINIONS[m], 40 + 7 * i, 1.6 + i / 3)
                for i, m in enumerate(("ada", "basil", "cleo", "dmitri", "eve"))]},
            {"index": 2, "name": "review", "turns": [
                _turn("ada", "review", '{"scores": {"Response A": 7, "Response B": 3, "Response C": 8, '
                      '"Response D": 5}}', 31, 1.1),
                _turn("basil", "review", '{"scores": {"Response A": 8, "Response B": 2, "Response C": 9, '
                      '"Response D": 4}}', 30, 1.0),
                _turn("cleo", "review", "Response A: 9 <b>great</b>\nResponse B: 6", 27, 0.9),
                _turn("dmitri", "review", "I think they are all good answers.", 9, 0.4),
            ]},
            {"index": 3, "name": "rebuttals", "turns": [
                _turn("cleo", "rebuttal", "My answer was short, but the point stands: try it.\n"
                      "<script>document.title='pwned'</script>", 22, 0.8),
                _turn("basil", "rebuttal", "Caution is not obstruction. A pilot costs a month.", 18, 0.7),
            ]},
            {"index": 4, "name": "alliances", "turns": [
                _turn(m, "alliance", f'{{"agree": [...], "disagree": [...]}} from {m}', 12, 0.5)
                for m in ("ada", "basil", "cleo", "dmitri")]},
            {"index": 5, "name": "synthesis", "turns": [_turn("basil", "synthesis", (
                "The council leans towards yes, with conditions.\n\n"
                "1. Keep main roads and crossings lit all night.\n"
                "2. Pilot motion sensors on quiet streets, with a survey before and after.\n"
                "3. Make the change reversible and explain it early.\n\n"
                "Eve's call to switch the whole town at once found no support."), 74, 2.9)]},
        ],
        "reviews": _reviews(),
        "rankings": [],
        "aggregate": [
            {"member": "ada", "mean_score": 8.5, "average_rank": None},
            {"member": "dmitri", "mean_score": 8.0, "average_rank": None},
            {"member": "basil", "mean_score": 6.5, "average_rank": None},
            {"member": "eve", "mean_score": 5.0, "average_rank": None},
            {"member": "cleo", "mean_score": 2.5, "average_rank": None},
        ],
        "rebuttals": ["cleo", "basil"],
        "alliances": [
            {"from": "ada", "to": "dmitri", "stance": "agree"},
            {"from": "ada", "to": "eve", "stance": "disagree"},
            {"from": "basil", "to": "dmitri", "stance": "agree"},
            {"from": "basil", "to": "cleo", "stance": "disagree"},
            {"from": "cleo", "to": "ada", "stance": "agree"},
            {"from": "cleo", "to": "basil", "stance": "disagree"},
            {"from": "dmitri", "to": "ada", "stance": "agree"},
            {"from": "dmitri", "to": "basil", "stance": "agree"},
        ],
        "synthesis": {"member": "basil", "text": "The council leans towards yes, with conditions."},
        "achievements": [
            {"member": "dmitri", "badge": "Iron Wall", "reason": "every score received was 7 or more and "
             "nobody disagreed with him"},
            {"member": "cleo", "badge": "Contrarian <script>alert(1)</script>",
             "reason": "scores ran against the others' (Spearman −0.6)"},
        ],
    }
    if status is None:
        del t["status"]
    return t


def interrupted_debate() -> dict[str, Any]:
    """The app was closed during the rebuttals: what was recorded up to then, no synthesis."""
    t = debate_transcript("interrupted")
    t["finished_at"] = None
    t["stages"] = t["stages"][:4]
    t["stages"][3]["turns"] = t["stages"][3]["turns"][:1]
    t["alliances"], t["synthesis"], t["achievements"] = [], None, []
    return t


def ask_transcript() -> dict[str, Any]:
    question = "What is the fastest way to learn to touch-type? <img src=x onerror=alert(1)>"
    return {
        "format": "council-transcript/1",
        "mode": "ask",
        "session_id": "2026-05-10-2010-c41d",
        "started_at": "2026-05-10T20:10:02.000+00:00",
        "finished_at": "2026-05-10T20:11:30.500+00:00",
        "topic": question,
        "proposer": None,
        "chairman": "dmitri",
        "members": copy.deepcopy(MEMBERS),
        "stages": [
            {"index": 0, "name": "question", "turns": [_turn(None, "topic", question, 0, 0.0)]},
            {"index": 1, "name": "answers", "turns": [
                _turn("ada", "answer", "Fifteen minutes a day with a typing tutor; never look down.", 30, 1.2),
                _turn("basil", "answer", "Learn the home row first. Accuracy before speed.", 25, 1.0),
                _turn("cleo", "answer", HOSTILE, 80, 2.4),
                _turn("dmitri", "answer", "Copy real text you care about, slowly.\nSpeed follows.", 21, 0.9),
            ]},
            {"index": 2, "name": "ranking", "turns": [
                _turn(m, "ranking", f'{{"ranking": ["Response A", "Response C"]}} by {m}', 14, 0.6)
                for m in ("ada", "basil", "cleo", "dmitri")]},
            {"index": 3, "name": "chairman", "turns": [_turn("dmitri", "answer", (
                "Practise the home row daily for short sessions, type real text, and value accuracy over "
                "speed.\nMost of the council agreed; Cleo's answer could not be used."), 52, 2.0)]},
        ],
        "reviews": [],
        "rankings": [
            {"reviewer": "ada", "order": ["basil", "dmitri", "cleo"], "valid": True},
            {"reviewer": "basil", "order": ["dmitri", "ada", "cleo"], "valid": True},
            {"reviewer": "cleo", "order": ["ada", "basil", "dmitri"], "valid": True},
            {"reviewer": "dmitri", "order": [], "valid": False, "reason": "ranked only one response"},
        ],
        "aggregate": [
            {"member": "ada", "mean_score": None, "average_rank": 1.5, "borda": 0.75},
            {"member": "basil", "mean_score": None, "average_rank": 1.67, "borda": 0.67},
            {"member": "dmitri", "mean_score": None, "average_rank": 1.67, "borda": 0.67},
            {"member": "cleo", "mean_score": None, "average_rank": 3.0, "borda": 0.0},
        ],
        "rebuttals": [],
        "alliances": [],
        "synthesis": {"member": "dmitri", "text": "Practise the home row daily for short sessions."},
        "achievements": [],
    }
