"""What the starter council says, checked turn by turn: seeded debates (about half on member-proposed
topics) and ask-mode questions, every opinion, rebuttal, synthesis and answer run through the speech
checker (council_desktop/core/speech.py).

Prints the clean-turn rate per kind, the defects by class with one example each, the proposed-topic
rate (clean standalone questions that neither repeat nor recombine the run's recent topics; besides the
debates' own, ``--topics K`` proposals alone, the topic stage of a debate, five by default), the
regenerated turns and the wall time of a debate and of an ask session. Topics and questions come from
files under scripts/bench/ (``--set tuning`` is what the levers were tuned on; ``--set heldout`` was
never looked at while tuning), never from the code.

Each configuration runs in its own process, one after another, so their wall times compare:

    .venv/bin/python scripts/bench/speech.py --set tuning --configs on,off
    .venv/bin/python scripts/bench/speech.py --set heldout --configs on,rev:4822ee1
    .venv/bin/python scripts/bench/speech.py --set tuning --n 4 --asks 2 --configs on,no-repetition,no-regenerate

``on``: the app's defaults; ``off``: every lever of SpeechPolicy off; ``no-LEVER``: one lever off
(repetition, min-p, stage-temperature, regenerate, topic-candidates, role-stops); ``rev:REV``: the code
of git revision REV (``git archive`` into a temporary directory), checked by today's checker.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FENCE = "\u2503"


# -- the worker: runs sessions with whatever council_desktop is on sys.path --------------------------------

def _policy(config: str) -> Any:
    from council_desktop.core import speech

    if config == "on":
        return speech.SpeechPolicy()
    if config == "off":
        return speech.SpeechPolicy.off()
    lever = config.removeprefix("no-")
    base = speech.SpeechPolicy()
    changes: dict[str, Any] = {
        "repetition": {"repetition": False}, "min-p": {"min_p": 0.0},
        "stage-temperature": {"stage_temperature": {}, "max_temperature": 0.0},
        "regenerate": {"regenerate": False}, "topic-candidates": {"topic_candidates": 1},
        "role-stops": {"role_stops": False}}[lever]
    from dataclasses import replace

    return replace(base, **changes)


def _instructions(messages: Any) -> str:
    return "\n".join(line for m in messages if m.role != "assistant" for line in m.content.splitlines()
                     if line.strip() and not line.startswith(FENCE))


async def _session(engine: Any, plan_kw: dict[str, Any], config: str) -> dict[str, Any]:
    from council_desktop.core.events import EventLog
    from council_desktop.core.pipeline import Orchestrator, SessionPlan
    from council_desktop.llm.backend import EngineBackend
    from council_desktop.llm.seating import starter_council

    seats = starter_council()
    kind_of: dict[str, str] = {}
    prompts: dict[str, str] = {}

    def sink(e: Any) -> None:
        if e.kind == "turn_started":
            kind_of[e.data["member"]] = e.data["kind"]

    class Recording(EngineBackend):  # remembers each turn's prompt, to check for echoes of it
        def submit(self, requests: Any) -> Any:
            for r in requests:
                prompts[f"{kind_of.get(r.member_id, '?')}:{r.member_id}"] = _instructions(r.messages)
            return super().submit(requests)

    if not config.startswith("rev:"):
        plan_kw = {**plan_kw, "speech": _policy(config)}
    plan = SessionPlan(members=[s.member for s in seats], **plan_kw)
    t0 = time.monotonic()
    outcome = await Orchestrator(plan, Recording(engine), EventLog([sink])).run()
    return {"wall": time.monotonic() - t0, "status": outcome.status, "reason": outcome.reason,
            "events": [e.to_dict() for e in outcome.events], "prompts": prompts,
            "names": {s.member.id: s.member.name for s in seats}}


def worker(spec: dict[str, Any]) -> None:
    from council_desktop.llm.backend import EngineThread
    from council_desktop.llm.engine import Engine
    from council_desktop.llm.seating import starter_council

    engine = Engine(n_threads=spec.get("threads") or None)
    engine.load([s.spec for s in starter_council()])
    host = EngineThread(engine).start()
    recent: list[str] = []
    asks = list(enumerate(spec["asks"]))
    try:
        for i, topic in enumerate(spec["debates"]):
            if i and i % 2 == 0 and asks:  # an ask session after every two debates
                _ask(engine, spec, *asks.pop(0))
            seed = spec["seed"] + i
            kw = {"mode": "debate", "topic": topic, "seed": seed, "proposer": i % 5, "chairman": (i + 2) % 5,
                  "max_tokens": spec["max_tokens"], "recent_topics": list(recent[-5:])}
            out = asyncio.run(_session(engine, kw, spec["config"]))
            out.update(kind="debate", recent=list(recent[-5:]), user_topic=topic)
            shown = next((e["data"]["text"] for e in out["events"] if e["kind"] == "topic"), None)
            if shown:
                recent.append(shown)
            print(json.dumps(out), flush=True)
        for i, question in asks:
            _ask(engine, spec, i, question)
        # Proposals alone: more proposed topics for little time. With no debate before them (--n 0) they
        # start from the set's user topics as the recent ones, so freshness is always tested.
        recent = recent or list(spec.get("recent", []))
        for j in range(spec.get("topics", 0)):
            out = asyncio.run(_proposal(engine, spec["seed"] + 1000 + j, j % 5, list(recent[-5:]), spec["config"]))
            if out is None:
                break
            recent.append(next(e["data"]["text"] for e in out["events"] if e["kind"] == "topic"))
            print(json.dumps(out), flush=True)
    finally:
        host.stop()


async def _proposal(engine: Any, seed: int, proposer: int, recent: list[str], config: str) -> dict[str, Any] | None:
    """Only the topic stage of a debate (the proposer's candidates, the checks, the probe), as a session
    with a member-proposed topic opens; None for a revision without that stage of its own."""
    from council_desktop.core.events import EventLog
    from council_desktop.core.pipeline import Orchestrator, SessionPlan
    from council_desktop.llm.backend import EngineBackend
    from council_desktop.llm.seating import starter_council

    seats = starter_council()
    kw: dict[str, Any] = {"mode": "debate", "topic": None, "seed": seed, "proposer": proposer,
                          "recent_topics": recent}
    if not config.startswith("rev:"):
        kw["speech"] = _policy(config)
    orch = Orchestrator(SessionPlan(members=[s.member for s in seats], **kw), EngineBackend(engine), EventLog())
    if not hasattr(orch, "_propose_topic"):
        return None
    t0 = time.monotonic()
    await orch._propose_topic()
    return {"wall": time.monotonic() - t0, "status": "finished", "reason": "", "kind": "topic", "recent": recent,
            "user_topic": None, "events": [e.to_dict() for e in orch.log.events], "prompts": {},
            "names": {s.member.id: s.member.name for s in seats}}


def _ask(engine: Any, spec: dict[str, Any], i: int, question: str) -> None:
    kw = {"mode": "ask", "topic": question, "seed": spec["seed"] + 500 + i, "chairman": i % 5,
          "max_tokens": spec["max_tokens"]}
    out = asyncio.run(_session(engine, kw, spec["config"]))
    out.update(kind="ask", user_topic=question)
    print(json.dumps(out), flush=True)


# -- the parent: plans the runs, starts one process per configuration, checks and reports ----------------

def read_list(path: Path) -> list[str]:
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.lstrip().startswith("#")]


def run_config(config: str, spec: dict[str, Any], save: Path | None = None) -> list[dict[str, Any]]:
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="speech-bench-") as tmp:
        path = str(ROOT)
        if config.startswith("rev:"):
            rev = config.split(":", 1)[1]
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "council_desktop"],
                                     check=True, capture_output=True).stdout
            subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
            path = tmp
        env["PYTHONPATH"] = path
        env["COUNCIL_DESKTOP_HOME"] = str(Path(tmp) / "home")
        sessions = []
        with subprocess.Popen([sys.executable, __file__, "--worker", json.dumps({**spec, "config": config})],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp) as proc:
            assert proc.stdout is not None and proc.stderr is not None
            for line in proc.stdout:
                if line.startswith("{"):
                    sessions.append(json.loads(line))
                    if save:  # as each session ends, so a run cut short keeps what it measured
                        with save.open("a", encoding="utf-8") as fh:
                            fh.write(json.dumps({"config": config, **sessions[-1]}) + "\n")
                    print(f"  [{config}] {sessions[-1]['kind']} {len(sessions)} done in {sessions[-1]['wall']:.0f} s",
                          file=sys.stderr, flush=True)
            err = proc.stderr.read()
        if proc.returncode != 0:
            sys.exit(f"{config}: the worker failed:\n{err[-3000:]}")
        return sessions


def analyse(config: str, sessions: list[dict[str, Any]]) -> dict[str, Any]:
    from council_desktop.core import speech

    per_kind: dict[str, list[int]] = {}
    by_class: dict[str, list[str]] = {c: [] for c in speech.DEFECT_CLASSES}
    topics: list[tuple[str, list[str]]] = []
    regenerated = kept_retry = 0
    for s in sessions:
        events, names, prompts = s["events"], s["names"], s["prompts"]
        topic = next((e["data"]["text"] for e in events if e["kind"] == "topic"), "")
        topic_ev = next((e for e in events if e["kind"] == "topic"), None)
        if s["kind"] in ("debate", "topic") and s["user_topic"] is None and topic_ev is not None:
            chosen = next((c for c in topic_ev["data"].get("candidates", []) if c.get("chosen")), {})
            why = speech.topic_defects(topic, s["recent"], chosen.get("area", "")) \
                if topic_ev["data"].get("member") else []
            if topic_ev["data"].get("note"):
                why.append("taken from the book of classics")
            topics.append((topic, why))
        said: dict[tuple[str, str], str] = {}
        for e in events:
            kind, d = e["kind"], e["data"]
            if kind not in ("opinion", "rebuttal", "answer", "synthesis"):
                continue
            member = d["member"]
            said[(kind, member)] = d["text"]
            if d.get("regenerated"):
                regenerated += 1
                kept_retry += d["regenerated"].get("kept") == "retry"
            sources: dict[str, str] = {}
            if kind == "synthesis":
                pool = ("answer",) if s["kind"] == "ask" else ("opinion", "rebuttal")
                sources = {f"{names[m]} ({k})": t for (k, m), t in said.items() if k in pool}
            elif kind == "rebuttal":
                sources = {names[m]: t for (k, m), t in said.items() if k == "opinion" and m != member}
            ctx = speech.TurnContext(kind=kind, speaker=names[member], topic=topic,
                                     instructions=prompts.get(f"{kind}:{member}", ""),
                                     own=said.get(("opinion", member), "") if kind == "rebuttal" else "",
                                     sources=sources, names=list(names.values()))
            defects = speech.check(d["text"], ctx)
            label = f"{s['kind']} {kind}" if kind == "synthesis" else kind
            per_kind.setdefault(label, [0, 0])
            per_kind[label][1] += 1
            per_kind[label][0] += not defects
            for df in defects:
                text = " ".join(d["text"].split())
                by_class[df.kind].append(f"{names[member]} ({kind}, {df.detail}): {text[:220]}")
    debates = [s["wall"] for s in sessions if s["kind"] == "debate"]
    asks = [s["wall"] for s in sessions if s["kind"] == "ask"]
    clean = sum(v[0] for v in per_kind.values())
    total = sum(v[1] for v in per_kind.values())
    return {"config": config, "per_kind": per_kind, "by_class": by_class, "topics": topics,
            "clean": clean, "total": total, "regenerated": regenerated, "kept_retry": kept_retry,
            "debate_wall": debates, "ask_wall": asks,
            "failed": [s["reason"] for s in sessions if s["status"] != "finished"]}


def report(r: dict[str, Any]) -> None:
    print(f"\n=== {r['config']}: {r['clean']} of {r['total']} turns clean "
          f"({100 * r['clean'] / max(1, r['total']):.0f}%)")
    for kind, (ok, n) in sorted(r["per_kind"].items()):
        print(f"  {kind:<16} {ok:3d} / {n:<3d} clean ({100 * ok / max(1, n):.0f}%)")
    print("  defects by class:")
    for cls, examples in r["by_class"].items():
        if examples:
            print(f"    {cls:<12} {len(examples):3d}  e.g. {examples[0]}")
    good = sum(not why for _, why in r["topics"])
    print(f"  proposed topics: {good} of {len(r['topics'])} clean standalone questions, none repeating or "
          "recombining the recent topics" if good == len(r["topics"]) else
          f"  proposed topics: {good} of {len(r['topics'])} clean standalone, fresh questions")
    for text, why in r["topics"]:
        print(f"    {'ok ' if not why else 'BAD'} {text!r}" + (f"  ({'; '.join(why)})" if why else ""))
    print(f"  regenerated turns: {r['regenerated']} (the retry kept in {r['kept_retry']})")
    if r["debate_wall"]:
        w = r["debate_wall"]
        print(f"  debate wall time: median {statistics.median(w):.1f} s, mean {statistics.mean(w):.1f} s "
              f"over {len(w)} debates")
    if r["ask_wall"]:
        print(f"  ask wall time: median {statistics.median(r['ask_wall']):.1f} s over {len(r['ask_wall'])}")
    if r["failed"]:
        print(f"  sessions not finished: {r['failed']}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--set", default="tuning", choices=("tuning", "heldout"))
    ap.add_argument("--n", type=int, default=10, help="debates (about half on member-proposed topics)")
    ap.add_argument("--asks", type=int, default=4, help="ask-mode questions")
    ap.add_argument("--topics", type=int, default=5,
                    help="topic proposals alone after the sessions (each also counts as a proposed topic)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--max-tokens", type=int, default=160)
    ap.add_argument("--configs", default="on", help="comma-separated: on, off, no-LEVER, rev:REV")
    ap.add_argument("--threads", type=int, default=0, help="decode threads (0: the engine's default)")
    ap.add_argument("--save", type=Path, help="append every session's events here (JSON lines) as it ends")
    ap.add_argument("--analyse", type=Path, nargs="+", help="report on saved sessions instead of running")
    args = ap.parse_args()
    if args.worker:
        worker(json.loads(args.worker))
        return
    sys.path.insert(0, str(ROOT))
    if args.analyse:
        saved: dict[str, list[dict[str, Any]]] = {}
        for path in args.analyse:
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    s = json.loads(line)
                    saved.setdefault(f"{path.stem} ({s['config']})", []).append(s)
        for config, sessions in saved.items():
            print(f"{config}: {sum(s['kind'] == 'debate' for s in sessions)} debates, "
                  f"{sum(s['kind'] == 'ask' for s in sessions)} ask sessions")
            report(analyse(config, sessions))
        return
    topics = read_list(HERE / f"speech_topics_{args.set}.txt")
    questions = read_list(HERE / f"speech_questions_{args.set}.txt")
    # Even debates: a user topic from the list; odd ones: the proposer's own question.
    debates = [topics[(i // 2) % len(topics)] if i % 2 == 0 else None for i in range(args.n)]
    spec = {"debates": debates, "asks": questions[: args.asks], "seed": args.seed, "max_tokens": args.max_tokens,
            "threads": args.threads, "topics": args.topics, "recent": topics[:5]}
    print(f"speech bench, {args.set} set: {args.n} debates ({sum(t is None for t in debates)} on proposed "
          f"topics), {len(spec['asks'])} ask questions, {args.topics} proposals alone, seed {args.seed}, "
          f"max_tokens {args.max_tokens}")
    results = []
    for config in args.configs.split(","):
        t0 = time.monotonic()
        sessions = run_config(config, spec, args.save)
        r = analyse(config, sessions)
        results.append(r)
        report(r)
        print(f"  ({time.monotonic() - t0:.0f} s for this configuration, model loading included)", flush=True)
    if len(results) > 1:
        base = results[0]
        print("\nsummary (debate wall time relative to the first configuration; noisy on a shared machine):")
        for r in results:
            ratio = statistics.median(r["debate_wall"]) / statistics.median(base["debate_wall"]) \
                if r["debate_wall"] and base["debate_wall"] else float("nan")
            print(f"  {r['config']:<22} clean {100 * r['clean'] / max(1, r['total']):3.0f}%  topics "
                  f"{sum(not w for _, w in r['topics'])}/{len(r['topics'])}  debate median "
                  f"{statistics.median(r['debate_wall']) if r['debate_wall'] else 0:.1f} s ({ratio:.2f}x)")


if __name__ == "__main__":
    main()
