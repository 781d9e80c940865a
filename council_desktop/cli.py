"""The headless front end: `council-desktop debate|ask|history|leaderboard|export|models|screenshot`."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TextIO

from . import APP_NAME, __version__, config
from .core.ballots import LABELS
from .core.events import ASK_STAGES, DEBATE_STAGES, Event
from .core.transcript import build_transcript


class TerminalProgress:
    """Live progress on stderr: stage, who speaks, tokens/s and a bar per stage."""

    BAR = 20

    def __init__(self, stream: TextIO = sys.stderr, live: bool | None = None) -> None:
        self.out = stream
        self.live = stream.isatty() if live is None else live
        self.names: dict[str, str] = {}
        self.mode = "debate"
        self.stage = -1
        self.expected = 0
        self.done = 0
        self.speaking: set[str] = set()
        self.tokens = 0
        self.t0 = time.monotonic()
        self.active = 0
        self._line = ""
        self._drawn_at = 0.0

    def __call__(self, event: Event) -> None:
        self._handle(event)
        if event.kind in ("opinion", "rebuttal", "answer", "review", "ranking", "alliance", "topic"):
            self._status(force=True)

    def _handle(self, event: Event) -> None:
        d = event.data
        k = event.kind
        if k == "roles":
            self.mode = d["mode"]
            self.names = {m["id"]: m["name"] for m in d["members"]}
            self.active = len(self.names)
            self._print(f"{APP_NAME}: {d['mode']} with {len(self.names)} members "
                        f"({', '.join(self.names.values())}), seed {d['seed']}")
        elif k == "stage":
            self.stage = d["index"]
            self.done = 0
            self.tokens = 0
            self.t0 = time.monotonic()
            self.expected = {1: self.active, 2: self.active, 3: 2, 4: self.active}.get(d["index"], 1)
            if self.mode == "ask":
                self.expected = {0: 1, 1: self.active, 2: self.active, 3: 1}[d["index"]]
            names = DEBATE_STAGES if self.mode == "debate" else ASK_STAGES
            self._print(f"\n== stage {d['index']}: {names[d['index']]}")
        elif k == "turn_started":
            self.speaking.add(d["member"])
            self._status()
        elif k == "token":
            self.tokens += 1
            self._status()
        elif k in ("topic", "opinion", "rebuttal", "answer", "synthesis"):
            self.speaking.discard(d.get("member") or "")
            self.done += 1
            who = self.names.get(d.get("member") or "", "you")
            text = " ".join(d["text"].split())
            self._print(f"  {who}: {text[:300]}{'…' if len(text) > 300 else ''}")
        elif k == "review":
            self.speaking.discard(d["reviewer"])
            self.done += 1
            scores = ", ".join(f"{self.names.get(s['target'], s['target'])} {s['score']}" for s in d["scores"]) \
                if d["valid"] else f"invalid ballot ({d['reason'][:80]})"
            self._print(f"  {self.names.get(d['reviewer'])} scores: {scores}")
        elif k == "ranking":
            self.speaking.discard(d["reviewer"])
            self.done += 1
            order = " > ".join(self.names.get(m, m) for m in d["order"]) if d["valid"] else "invalid ranking"
            self._print(f"  {self.names.get(d['reviewer'])} ranks: {order}")
        elif k == "alliance":
            self.speaking.discard(d["member"])
            self.done += 1
            agree = ", ".join(self.names.get(m, m) for m in d["agree"]) or "nobody"
            disagree = ", ".join(self.names.get(m, m) for m in d["disagree"]) or "nobody"
            self._print(f"  {self.names.get(d['member'])} agrees with {agree}; disagrees with {disagree}")
        elif k == "aggregate":
            rows = [f"{self.names.get(r['member'], r['member'])} "
                    + (f"{r['mean_score']:.1f}" if r.get("mean_score") is not None
                       else f"rank {r['average_rank']}" if r.get("average_rank") is not None else "–")
                    for r in d["rows"]]
            self._print("  tally: " + ", ".join(rows))
        elif k == "member_failed":
            self.active = max(0, self.active - 1)
            self.speaking.discard(d["member"])
            self._print(f"  ! {self.names.get(d['member'], d['member'])} dropped out: {d['reason']}")
        elif k == "chair_changed":
            self._print(f"  ! {self.names.get(d['chairman'])} takes the chair: {d['reason']}")
        elif k == "achievement":
            self._print(f"  ★ {self.names.get(d['member'], d['member'])} earned {d['badge']}: {d['reason']}")
        elif k == "complete":
            self._print(f"\n{d['status']}" + (f": {d['reason']}" if d.get("reason") else ""))

    def _status(self, force: bool = False) -> None:
        if not self.live or self.stage < 0:
            return
        now = time.monotonic()
        if not force and now - self._drawn_at < 0.1:  # at most ten redraws a second
            return
        self._drawn_at = now
        frac = min(1.0, self.done / self.expected) if self.expected else 0.0
        filled = int(frac * self.BAR)
        rate = self.tokens / max(1e-6, time.monotonic() - self.t0)
        who = ", ".join(sorted(self.names.get(m, m) for m in self.speaking)) or "…"
        line = f"  [{'#' * filled}{'.' * (self.BAR - filled)}] {self.done}/{self.expected}  {who}  {rate:5.1f} tok/s"
        self.out.write("\r" + line[:120].ljust(len(self._line)))
        self.out.flush()
        self._line = line[:120]

    def _print(self, text: str) -> None:
        if self.live and self._line:
            self.out.write("\r" + " " * len(self._line) + "\r")
            self._line = ""
        self.out.write(text + "\n")
        self.out.flush()


def _open_store(args: argparse.Namespace) -> Any:
    from .storage import Store

    store = Store.open(Path(args.db) if args.db else config.db_path())
    store.mark_interrupted()
    return store


def _write_export(transcript: dict[str, Any], path: str) -> Path:
    from .export import export_transcript

    return export_transcript(transcript, path)


def _run_session(args: argparse.Namespace, mode: str, topic: str | None) -> int:
    from .llm.seating import council_from_settings
    from .services.runtime import CouncilRuntime, RunRequest

    store = None if args.no_db else _open_store(args)
    installed = config.installed_models()
    seats = council_from_settings(config.load_settings(), installed)
    runtime = CouncilRuntime(seats, store, seat_ctx=args.ctx)
    progress = TerminalProgress()

    def on_load(member: str, state: str) -> None:
        if state == "failed":
            progress._print(f"  ! could not load the seat of {member}: {runtime.engine.errors.get(member, '')}")

    sys.stderr.write(f"loading {len({s.spec.model_path for s in seats})} model file(s) for {len(seats)} seats…\n")
    runtime.load(on_load)
    events: list[Event] = []
    loop = asyncio.new_event_loop()
    task = loop.create_task(runtime.run(RunRequest(mode, topic, args.seed, args.max_tokens,  # type: ignore[arg-type]
                                                   sinks=[progress, events.append])))
    loop.add_signal_handler(signal.SIGINT, runtime.stop)
    try:
        session_id, outcome = loop.run_until_complete(task)
    finally:
        runtime.shutdown()
        loop.close()
    if args.export:
        stored = [e for e in events if e.kind != "token"]
        path = _write_export(build_transcript(stored, session_id), args.export)
        sys.stderr.write(f"transcript written to {path}\n")
    if outcome.status != "finished":
        sys.stderr.write(f"{APP_NAME}: {outcome.status}: {outcome.reason}\n")
        return 1 if outcome.status == "failed" else 130
    sys.stderr.write(f"session {session_id} finished ({outcome.members_ok} of {outcome.members_total} members)\n")
    if runtime.save_error:  # the debate ran, but the history does not have all of it: not a success
        sys.stderr.write(f"{APP_NAME}: {outcome.reason}\n")
        return 1
    if outcome.reason:
        sys.stderr.write(f"note: {outcome.reason}\n")
    return 0


def cmd_debate(args: argparse.Namespace) -> int:
    return _run_session(args, "debate", args.topic)


def cmd_ask(args: argparse.Namespace) -> int:
    return _run_session(args, "ask", args.question)


def _read_answers(path: str) -> list[str]:
    """FILE.json: a JSON list of answer strings; anything else is a one-line error."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(data, list) or not all(isinstance(a, str) for a in data):
        raise ValueError(f"{path} must hold a JSON list of answer strings")
    if not data:
        raise ValueError(f"{path} holds no answers")
    if len(data) > len(LABELS):
        raise ValueError(f"{path}: give between 1 and {len(LABELS)} answers (got {len(data)})")
    return data


def cmd_judge(args: argparse.Namespace) -> int:
    """Peer review of given answers by the seated council; one JSON object on stdout."""
    from .llm.seating import council_from_settings
    from .services.runtime import CouncilRuntime

    if not args.question.strip():
        raise ValueError("--question is empty")
    answers = _read_answers(args.answers)
    store = None if args.no_db else _open_store(args)
    seats = council_from_settings(config.load_settings(), config.installed_models())
    runtime = CouncilRuntime(seats, store, seat_ctx=args.ctx)
    runtime.load()
    loop = asyncio.new_event_loop()
    try:
        got = loop.run_until_complete(runtime.judge(args.question, answers, args.seed))
    finally:
        runtime.shutdown()
        loop.close()
    n = len(answers)
    mean = []
    for i in range(n):
        vals = [b["scores"][i] for b in got if b["scores"][i] is not None]
        mean.append(round(sum(vals) / len(vals), 3) if vals else None)
    print(json.dumps({"ballots": got, "mean": mean}))
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    store = _open_store(args)
    rows = store.sessions(search=args.search, limit=args.limit)
    if not rows:
        print("no sessions yet")
        return 0
    for r in rows:
        print(f"{r.id[:8]}  {str(r.started_at)[:19]}  {r.mode:<6} {r.status:<11} {(r.topic or '')[:70]}")
    return 0


def cmd_leaderboard(args: argparse.Namespace) -> int:
    store = _open_store(args)
    rows = store.leaderboard()
    if not rows:
        print("no sessions yet")
        return 0
    print(f"{'#':>2}  {'member':<22} {'mean':>5} {'sessions':>8} {'wins':>5} {'rebuttals':>9} {'badges':>6}")
    for i, r in enumerate(rows, start=1):
        mean = f"{r.mean_score:.2f}" if r.mean_score is not None else "–"
        print(f"{i:>2}  {r.name:<22} {mean:>5} {r.sessions:>8} {r.wins:>5} {r.rebuttals:>9} {r.badges:>6}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    store = _open_store(args)
    matches = [s for s in store.sessions(search=None, limit=100000) if s.id.startswith(args.session)]
    if len(matches) != 1:
        print(f"{APP_NAME}: {'no' if not matches else 'more than one'} session matches {args.session!r}",
              file=sys.stderr)
        return 2
    session = matches[0]
    events = store.load_events(session.id)
    status = session.status if session.status != "running" else "interrupted"
    path = _write_export(build_transcript(events, session.id, status=status), args.path)
    print(path)
    return 0


def cmd_screenshot(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from .ui.screenshot import render_stage_png

    store = _open_store(args)
    matches = [s for s in store.sessions(search=None, limit=100000) if s.id.startswith(args.session)]
    if len(matches) != 1:
        print(f"{APP_NAME}: no single session matches {args.session!r}", file=sys.stderr)
        return 2
    events = store.load_events(matches[0].id)
    render_stage_png(events, args.stage, Path(args.out), (args.width, args.height))
    print(args.out)
    return 0


def _human(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit in ("B", "KB") else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


def cmd_models(args: argparse.Namespace) -> int:
    from . import downloads
    from .llm.catalogue import CHAMPIONS, CUSTOM_KEY, STARTER, custom_records, custom_specs, starter_model_path

    own = custom_specs(config.load_settings())  # the user's hub and disk files, added in Settings

    def catalogue_spec(name: str) -> Any:
        for spec in (*CHAMPIONS, *own):
            if spec.id == name:
                return spec
        known = ", ".join(c.id for c in (*CHAMPIONS, *own))
        raise ValueError(f"unknown model {name!r}; known: {known}")

    models_dir = config.models_dir()
    registry = downloads.load_registry(models_dir)
    if args.action == "list":
        try:
            starter = f"bundled ({starter_model_path()})"
        except Exception as exc:
            starter = f"missing: {exc}"
        print(f"{STARTER.id:<22} {STARTER.name:<28} {_human(STARTER.size_bytes):>9}  {starter}")
        for spec in CHAMPIONS:
            entry = registry.get(spec.id)
            part = downloads.install_path(spec, models_dir).with_name(
                downloads.install_path(spec, models_dir).name + ".part")
            state = (f"installed ({entry.path})" if entry and entry.path.is_file()
                     else f"partial ({_human(part.stat().st_size)} downloaded)" if part.exists() else "not installed")
            print(f"{spec.id:<22} {spec.name:<28} {_human(spec.size_bytes):>9}  {spec.license:<12} {state}")
        for mid, entry in registry.items():
            if mid not in {c.id for c in CHAMPIONS}:
                print(f"{mid:<22} {entry.filename:<28} {_human(entry.size):>9}  user-added ({entry.path})")
        return 0
    if args.action in ("download", "remove") and not args.name:
        print(f"{APP_NAME}: models {args.action} needs a model name (see `models list`)", file=sys.stderr)
        return 2
    if args.action == "download":
        spec = catalogue_spec(args.name)
        last = [0.0]

        def progress(p: Any) -> None:
            now = time.monotonic()
            if now - last[0] < 0.2 and p.done != p.total:
                return
            last[0] = now
            eta = f"{p.eta_s:.0f} s left" if p.eta_s is not None else ""
            pct = f"{100 * p.done / p.total:5.1f}%" if p.total else "     "
            sys.stderr.write(f"\r  {spec.name}: {pct} {_human(p.done)} of {_human(p.total)}"
                             f"  {_human(p.speed_bps)}/s  {eta}   ")
            sys.stderr.flush()

        path = downloads.download(spec, models_dir, progress=progress)
        sys.stderr.write("\n")
        print(f"installed and verified: {path}")
        return 0
    if args.action == "verify":
        failed = 0
        targets = [args.name] if args.name else list(registry)
        for mid in targets:
            entry = registry.get(mid)
            if entry is None:
                print(f"{mid}: not installed")
                failed += 1
                continue
            try:
                target = catalogue_spec(mid)
            except ValueError:  # registered without a settings record: check it against what was recorded
                target = SimpleNamespace(id=mid, size_bytes=0, sha256=None, filename=entry.filename)
            result = downloads.verify_installed(entry.path, target, models_dir=models_dir)
            print(f"{mid}: {'ok' if result.ok else 'FAILED'} — {result.reason}")
            failed += 0 if result.ok else 1
        if not targets:
            print("no downloaded models to verify (the bundled starter model needs none)")
        return 1 if failed else 0
    spec = catalogue_spec(args.name)
    removed = downloads.remove(spec, models_dir)
    if spec in own:  # forget the user's own model in Settings too, as its Remove button does
        settings = config.load_settings()
        settings[CUSTOM_KEY] = [r for r in custom_records(settings) if r.get("id") != spec.id]
        config.save_settings(settings)
        removed = True
    print(f"removed {args.name}" if removed else f"{args.name} was not installed")
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    from .app import main as app_main

    return app_main(["--db", args.db] if args.db else [])


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="council-desktop", description=f"{APP_NAME}: five tiny models debate.")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    p.add_argument("--db", help="the SQLite database (default: in the user data dir)")
    sub = p.add_subparsers(dest="command")

    def session_args(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--seed", type=int, default=None, help="same seed, same models: same transcript")
        sp.add_argument("--max-tokens", type=int, default=160, help="length of each member's turn")
        sp.add_argument("--export", metavar="PATH", help="write the transcript (.json, .md or .html)")
        sp.add_argument("--ctx", type=int, default=2048, help="context tokens per seat")
        sp.add_argument("--no-db", action="store_true", help="do not store the session")

    d = sub.add_parser("debate", help="run a six-stage debate in the terminal")
    d.add_argument("--topic", help="the question to debate (default: a member proposes one)")
    session_args(d)
    d.set_defaults(func=cmd_debate)
    a = sub.add_parser("ask", help="ask the council a question")
    a.add_argument("question")
    session_args(a)
    a.set_defaults(func=cmd_ask)
    j = sub.add_parser("judge", help="the council's peer review of given answers, as JSON")
    j.add_argument("--question", required=True, help="the question the answers answer")
    j.add_argument("--answers", required=True, metavar="FILE.json", help="a JSON list of answer strings")
    j.add_argument("--seed", type=int, default=None, help="fixes each judge's shuffle of the answers")
    j.add_argument("--ctx", type=int, default=2048, help="context tokens per seat")
    j_db = j.add_mutually_exclusive_group()
    j_db.add_argument("--db", default=argparse.SUPPRESS, help="the SQLite database (members' personalities)")
    j_db.add_argument("--no-db", action="store_true", help="judge without the stored personalities")
    j.set_defaults(func=cmd_judge)
    h = sub.add_parser("history", help="list stored sessions")
    h.add_argument("--search", default=None)
    h.add_argument("--limit", type=int, default=50)
    h.set_defaults(func=cmd_history)
    lb = sub.add_parser("leaderboard", help="print the lifetime leaderboard")
    lb.set_defaults(func=cmd_leaderboard)
    e = sub.add_parser("export", help="export a stored session")
    e.add_argument("session", help="session id (a unique prefix is enough)")
    e.add_argument("path", help="output file: .json, .md or .html")
    e.set_defaults(func=cmd_export)
    s = sub.add_parser("screenshot", help="render a stored session's stage to a PNG")
    s.add_argument("--session", required=True)
    s.add_argument("--stage", type=int, required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--width", type=int, default=1400)
    s.add_argument("--height", type=int, default=900)
    s.set_defaults(func=cmd_screenshot)
    m = sub.add_parser("models", help="list, download, verify or remove models")
    m.add_argument("action", choices=["list", "download", "verify", "remove"])
    m.add_argument("name", nargs="?")
    m.set_defaults(func=cmd_models)
    g = sub.add_parser("gui", help="open the window (the default)")
    g.set_defaults(func=cmd_gui)
    for command in (d, a, h, lb, e, s, g):  # --db also after the command (`history --db FILE`)
        command.add_argument("--db", default=argparse.SUPPRESS, help="the SQLite database")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--probe-gguf"]:
        # The throwaway subprocess that opens a user-added GGUF (also inside the frozen app).
        from .downloads.probe import main as probe_main

        return probe_main(argv)
    args = build_parser().parse_args(argv)
    if args.command is None:
        return cmd_gui(args)
    config.setup_logging()
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # one line for the user; the traceback goes to the log
        import logging

        logging.getLogger(__name__).exception("command failed")
        print(f"{APP_NAME}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
