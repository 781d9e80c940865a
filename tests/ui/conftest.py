"""Fixtures for the window tests: recorded sessions emitted through EventLog, and a guard that fails any
test leaving QTimers, animations or QThreadPool work running (napari's conftest does the same)."""

from __future__ import annotations

import itertools
import re
import weakref
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QAbstractAnimation, QSettings, QThreadPool, QTimer

from council_desktop.core.events import Event, EventLog

MEMBERS = [
    {"id": "ada", "name": "Ada", "model": "HuggingFaceTB/SmolLM2-135M-Instruct/smollm2-135m-instruct-q8_0.gguf",
     "persona": "A careful empiricist who asks for evidence.", "color": "#7aa2f7", "status": "ok"},
    {"id": "basil", "name": "Basil", "model": "smollm2-135m-instruct-q8_0.gguf",
     "persona": "A pragmatic engineer who weighs costs.", "color": "#bb9af7", "status": "ok"},
    {"id": "cleo", "name": "Cleo", "model": "smollm2-135m-instruct-q8_0.gguf",
     "persona": "A contrarian who defends the unpopular side.", "color": "#ff9e64", "status": "ok"},
    {"id": "dorian", "name": "Dorian", "model": "smollm2-135m-instruct-q8_0.gguf",
     "persona": "A romantic who argues from history.", "color": "#2ac3de", "status": "ok"},
    {"id": "esme", "name": "Esme", "model": "smollm2-135m-instruct-q8_0.gguf",
     "persona": "A diplomat who looks for common ground.", "color": "#ff79c6", "status": "ok"},
]
IDS = [m["id"] for m in MEMBERS]
TOPIC = "Should cities ban private cars from their historic centres?"
OPINIONS = {
    "ada": "Yes, but only with evidence in hand. Studies of Ghent and Pontevedra show footfall and retail "
           "turnover rose after cars left the centre, while air quality improved measurably within a year.",
    "basil": "A ban works when the buses, bikes and delivery windows are ready on day one. Without that it "
             "just moves the traffic jam two streets over and angers every shop owner on the ring road.",
    "cleo": "No. Old centres are lived in, not museums. Banning cars punishes the elderly and the disabled "
            "first, and turns the heart of the city into a theme park for tourists.",
    "dorian": "These streets were laid out for carts and feet. Giving them back to people restores what they "
              "were built for; the car was a brief and noisy guest.",
    "esme": "Start with a trial: close the core on weekends, publish the numbers, and let residents vote "
            "on whether to keep it. Everyone gets a say and the data settles the argument.",
}
REBUTTALS = {
    "cleo": "My critics call me alarmist, yet none of them answered the access question. Exemptions for "
            "residents and carers would make a ban fair; without them it is not.",
    "dorian": "I accept I leaned on nostalgia. Here is the practical point: narrow medieval lanes cannot "
              "carry both cars and people safely, and the accident records prove it.",
}
SYNTHESIS = ("The council leans towards restricting cars in historic centres, but not bluntly. Ada and "
             "Basil agree the evidence favours fewer cars when transit and deliveries are planned first. "
             "Cleo's concern about access for elderly and disabled residents was accepted by everyone after "
             "her rebuttal, so any scheme needs exemptions. Dorian's safety point about narrow lanes "
             "stands. Esme's proposal wins the day: a weekend trial, published numbers and a residents' vote "
             "before a permanent ban.")
# reviewer → {target: score}; esme's ballot is invalid (grey "—" badges).
SCORES = {
    "ada": {"basil": 8, "cleo": 6, "dorian": 3, "esme": 7},
    "basil": {"ada": 9, "cleo": 5, "dorian": 4, "esme": 6},
    "cleo": {"ada": 7, "basil": 8, "dorian": 2, "esme": 5},
    "dorian": {"ada": 6, "basil": 9, "cleo": 4, "esme": 3},
}
ALLIANCES = {
    "ada": (["basil"], ["dorian"]),
    "basil": (["ada", "cleo"], []),
    "cleo": (["dorian"], ["basil"]),
    "dorian": (["cleo"], ["ada", "basil"]),
    "esme": (["ada"], ["cleo"]),
}
BOTTOM = ["cleo", "dorian"]
CHAIRMAN = "cleo"
PROPOSER = "ada"
HOSTILE = "<b>bold</b><img src=x>"
LABELS = ("Response A", "Response B", "Response C", "Response D")


def tokens_of(text: str) -> list[str]:
    """Word-sized deltas the way a model streams them (leading spaces kept)."""
    return re.findall(r"\s*\S+", text)


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += seconds


def record_debate(*, fail: str | None = None, hostile: bool = False,
                  opinions: dict[str, str] | None = None) -> list[Event]:
    """A full six-stage debate as the orchestrator emits it (tokens included, batched turns interleaved).
    ``fail`` drops that member at the alliance stage (4 of 5 members); ``hostile`` puts HTML-looking text
    into Ada's opinion and name."""
    captured: list[Event] = []
    clock = _Clock()
    log = EventLog(sinks=[captured.append], clock=clock)
    texts = dict(OPINIONS if opinions is None else opinions)
    members = [dict(m) for m in MEMBERS]
    if hostile:
        texts["ada"] = HOSTILE
        members[0]["name"] = "Ada " + HOSTILE

    def speak(kind: str, stage: int, turns: dict[str, str], **extra: Any) -> None:
        for mid in turns:
            log.emit("turn_started", member=mid, kind=kind, stage=stage)
            clock.tick(0.05)
        streams = {mid: tokens_of(text) for mid, text in turns.items()}
        for batch in itertools.zip_longest(*streams.values()):
            for mid, tok in zip(streams, batch, strict=True):
                if tok is not None:
                    clock.tick(0.02)
                    log.emit("token", member=mid, kind=kind, text=tok)
        for mid, text in turns.items():
            clock.tick(0.1)
            log.emit(kind, member=mid, text=text, tokens=len(streams[mid]), seconds=round(len(streams[mid]) * 0.06, 3),
                     **extra)

    log.emit("roles", mode="debate", seed=7, members=members, proposer=PROPOSER, chairman=CHAIRMAN,
             nudges={"cleo": ["You often take the opposite side; make sure it is on purpose."]})
    log.emit("stage", index=0, name="topic")
    speak("topic", 0, {PROPOSER: TOPIC}, candidates=[{"text": TOPIC, "novelty": 1.0, "p_yes": 0.6, "chosen": True},
                                                    {"text": "Is it?", "novelty": 1.0, "rejected": "too short",
                                                     "chosen": False}])
    log.emit("stage", index=1, name="opinions")
    speak("opinion", 1, texts)
    log.emit("stage", index=2, name="review")
    for mid in IDS:
        log.emit("turn_started", member=mid, kind="review", stage=2)
    for reviewer in IDS:
        clock.tick(0.8)
        targets = [t for t in IDS if t != reviewer]
        labels = dict(zip(LABELS, targets, strict=True))
        if reviewer in SCORES:
            scores = [{"target": t, "label": lab, "score": SCORES[reviewer][t]} for lab, t in labels.items()]
            log.emit("review", reviewer=reviewer, labels=labels, scores=scores, valid=True, reason="",
                     raw='{"Response A": 7}', method="json", lenient=False)
        else:
            scores = [{"target": t, "label": lab, "score": None} for lab, t in labels.items()]
            log.emit("review", reviewer=reviewer, labels=labels, scores=scores, valid=False,
                     reason="no JSON object in the reply", raw="I think they are all good", method="json",
                     lenient=False)
    received: dict[str, list[int]] = {m: [] for m in IDS}
    for row in SCORES.values():
        for target, score in row.items():
            received[target].append(score)
    rows = [{"member": m, "mean_score": round(sum(v) / len(v), 3), "average_rank": None, "borda": None,
             "received": len(v)} for m, v in received.items()]
    log.emit("aggregate", rows=rows, bottom=list(BOTTOM))
    log.emit("stage", index=3, name="rebuttals")
    speak("rebuttal", 3, dict(REBUTTALS))
    log.emit("stage", index=4, name="alliances")
    for mid in IDS:
        log.emit("turn_started", member=mid, kind="alliance", stage=4)
    for mid in IDS:
        clock.tick(0.6)
        if mid == fail:
            log.emit("member_failed", member=mid, stage=4, reason="llama_decode returned -3 (out of memory)")
            continue
        agree, disagree = ALLIANCES[mid]
        log.emit("alliance", member=mid, agree=[a for a in agree if a != fail],
                 disagree=[x for x in disagree if x != fail], valid=True, reason="", raw="{}", method="json",
                 lenient=False)
    log.emit("stage", index=5, name="synthesis")
    speak("synthesis", 5, {CHAIRMAN: SYNTHESIS}, chairman=CHAIRMAN)
    log.emit("achievement", member="cleo", badge="Comeback King",
             reason="in the bottom two after review, then named as ally by 2 members", event_seq=1)
    log.emit("achievement", member="basil", badge="Silver Tongue", reason="highest mean score", event_seq=1)
    ok = 5 - (1 if fail else 0)
    log.emit("complete", status="finished", reason="" if not fail else f"{ok} of 5 members: Esme failed",
             members_ok=ok, members_total=5)
    return captured


def record_ask() -> list[Event]:
    """A three-stage ask session: the question, five answers, rankings (one invalid), the chairman."""
    captured: list[Event] = []
    clock = _Clock()
    log = EventLog(sinks=[captured.append], clock=clock)
    log.emit("roles", mode="ask", seed=3, members=[dict(m) for m in MEMBERS], proposer="ada", chairman="basil",
             nudges={})
    log.emit("stage", index=0, name="question")
    log.emit("topic", member=None, text="What is the best first programming language?", tokens=0, seconds=0.0)
    log.emit("stage", index=1, name="answers")
    answers = {m: f"{m.title()} says: start with Python, then learn C to see what the machine does."
               for m in IDS}
    for mid, text in answers.items():
        log.emit("turn_started", member=mid, kind="answer", stage=1)
        for tok in tokens_of(text):
            clock.tick(0.02)
            log.emit("token", member=mid, kind="answer", text=tok)
        log.emit("answer", member=mid, text=text, tokens=12, seconds=0.4)
    log.emit("stage", index=2, name="ranking")
    for reviewer in IDS:
        others = [t for t in IDS if t != reviewer]
        labels = dict(zip(LABELS, others, strict=True))
        if reviewer == "dorian":
            log.emit("ranking", reviewer=reviewer, labels=labels, order=[], valid=False, reason="repeated a label",
                     raw="A A B", method="text", lenient=True, scores={}, findings={})
        else:
            log.emit("ranking", reviewer=reviewer, labels=labels, order=others, valid=True, reason="", raw="{}",
                     method="json", lenient=False, scores={}, findings={})
    rows = [{"member": m, "mean_score": None, "average_rank": 1.5 + i * 0.5, "borda": 0.5, "received": 4}
            for i, m in enumerate(IDS)]
    log.emit("aggregate", rows=rows, bottom=[])
    log.emit("stage", index=3, name="chairman")
    log.emit("turn_started", member="basil", kind="synthesis", stage=3)
    text = "Python first: readable, forgiving and everywhere. Then C, to learn what memory really is."
    for tok in tokens_of(text):
        log.emit("token", member="basil", kind="synthesis", text=tok)
    log.emit("synthesis", member="basil", chairman="basil", text=text, tokens=20, seconds=1.0)
    log.emit("complete", status="finished", reason="", members_ok=5, members_total=5)
    return captured


# -- the dangling-work guard -----------------------------------------------------------------------------


class QtWorkTracker:
    """Remembers every QTimer and animation started during a test (weakly) to report the live ones."""

    def __init__(self) -> None:
        self.timers: weakref.WeakSet[QTimer] = weakref.WeakSet()
        self.animations: weakref.WeakSet[QAbstractAnimation] = weakref.WeakSet()

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        timer_start = QTimer.start
        anim_start = QAbstractAnimation.start

        def start_timer(timer: QTimer, *args: Any) -> None:
            self.timers.add(timer)
            timer_start(timer, *args)

        def start_animation(anim: QAbstractAnimation, *args: Any) -> None:
            self.animations.add(anim)
            anim_start(anim, *args)

        monkeypatch.setattr(QTimer, "start", start_timer)
        monkeypatch.setattr(QAbstractAnimation, "start", start_animation)

    def leaks(self) -> list[str]:
        out = []
        for timer in list(self.timers):
            if shiboken6.isValid(timer) and timer.isActive():
                out.append(f"QTimer {timer.objectName() or hex(id(timer))} still active")
        for anim in list(self.animations):
            if shiboken6.isValid(anim) and anim.state() == QAbstractAnimation.State.Running:
                out.append(f"{type(anim).__name__} still running")
        active = QThreadPool.globalInstance().activeThreadCount()
        if active:
            out.append(f"{active} QThreadPool runnables still running")
        return out


@pytest.fixture
def qt_work_tracker(monkeypatch: pytest.MonkeyPatch) -> QtWorkTracker:
    tracker = QtWorkTracker()
    tracker.install(monkeypatch)
    return tracker


@pytest.fixture(autouse=True)
def _no_dangling_qt_work(qt_work_tracker: QtWorkTracker) -> Iterator[None]:
    yield
    leaks = qt_work_tracker.leaks()
    if leaks:
        pytest.fail("test left Qt work running: " + "; ".join(leaks), pytrace=False)


# -- recorded sessions and widgets --------------------------------------------------------------------


@pytest.fixture
def debate_events() -> list[Event]:
    return record_debate()


@pytest.fixture
def failed_debate_events() -> list[Event]:
    return record_debate(fail="esme")


@pytest.fixture
def ask_events() -> list[Event]:
    return record_ask()


@pytest.fixture
def recorder() -> Callable[..., list[Event]]:
    return record_debate


@pytest.fixture
def scene(qapp: Any) -> Iterator[Any]:
    from council_desktop.ui.arena import ArenaScene

    arena = ArenaScene()
    arena.set_reduced_motion(True)
    yield arena
    arena.reset()
    arena.clear()


@pytest.fixture
def animated_scene(qapp: Any) -> Iterator[Any]:
    from council_desktop.ui.arena import ArenaScene

    arena = ArenaScene()
    yield arena
    arena.reset()
    arena.clear()


@pytest.fixture
def settings(tmp_path: Any) -> QSettings:
    return QSettings(str(tmp_path / "council-desktop.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot: Any, settings: QSettings) -> Iterator[Any]:
    from council_desktop.ui.main_window import MainWindow

    win = MainWindow(settings=settings)
    qtbot.addWidget(win)
    yield win
    win.close()
