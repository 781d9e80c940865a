"""ReplayView: a stored session played back in its own arena, with the stages, transcript and transport."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.events import ASK_STAGES, DEBATE_STAGES, Event
from ...services.history import Family, HistoryError, HistoryService, SessionSummary
from .. import theme
from ..arena import ArenaScene, ArenaView
from ..layouts import vstack
from ..loading import LOADING, Loader
from ..plain import plain_label
from ..sessions.formatting import local_time, mode_label, status_color, status_label
from ..stage_stepper import StageStepper
from ..transcript_panel import TranscriptPanel
from .bar import ReplayBar
from .controller import ReplayController

END_NOTES = {
    "interrupted": "Interrupted here — the app stopped before this session finished; the recording ends now.",
    "running": "The recording ends here — the session was still running when it was read.",
    "failed": "The session failed here",
    "cancelled": "Stopped by the user here.",
}


class ReplayView(QWidget):
    """Any stored session (finished or not) played back: its own ArenaScene and ArenaView, the
    StageStepper (click a stage to jump), the TranscriptPanel and the ReplayBar, all driven by one
    ReplayController. Keys while it has focus: Space play/pause, ← → one event, Home/End.

    Signals: ``session_opened(str session_id)`` — a session was loaded (``""`` for a bare event list);
    ``fork_requested(str session_id, object changes)`` — "Re-run from here": ``changes`` is {stage, chair,
    seed, temperatures, seats} (None: keep the session's; seats: {member id: {persona?, model?}}).
    """

    session_opened = Signal(str)
    fork_requested = Signal(str, object)

    def __init__(self, history: HistoryService | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replayView")
        self.history = history
        self._session_id = ""
        self._status = ""
        self._reason = ""
        self._events: list[Event] = []  # the open session's, for "Re-run from here"
        self.loader = Loader(self)  # history reads off the GUI thread: the session opened
        self._gone_loader = Loader(self)  # whether the open session was deleted
        # The models a forked seat may move to, (id, label); the app sets it (ui/ never reads the catalogue).
        self.fork_models: Callable[[], list[tuple[str, str]]] = list
        self.scene = ArenaScene(self)
        self.arena = ArenaView(self.scene)
        self.stepper = StageStepper()
        self.transcript = TranscriptPanel()
        self.controller = ReplayController(self.scene, [self.stepper], [self.transcript], self)
        self.bar = ReplayBar(self.controller)
        self._build()
        self._connect_signals()
        self._show_placeholder()

    # -- construction --------------------------------------------------------------------------------

    def _build(self) -> None:
        self.title_label = plain_label("", "replayTitle")
        self.title_label.setStyleSheet(f"color: {theme.TEXT}; font-size: 17px; font-weight: 700;")
        self.title_label.setWordWrap(True)
        self.meta_label = plain_label("", "replayMeta")
        self.meta_label.setStyleSheet(f"color: {theme.TEXT_DIM};")
        self.status_chip = plain_label("", "statusChip")
        self.position_label = plain_label("", "replayPosition")
        self.position_label.setStyleSheet(f"color: {theme.TEXT_DIM};")
        self.position_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(self.title_label)
        meta_row = QHBoxLayout()
        meta_row.setSpacing(10)
        meta_row.addWidget(self.status_chip)
        meta_row.addWidget(self.meta_label, 1)
        titles.addLayout(meta_row)
        # The session's family (issue 15): the parent it was forked from, and its forks.
        self.family_label = plain_label("", "replayFamily")
        self.family_label.setStyleSheet(f"color: {theme.GOLD};")
        self.family_label.setWordWrap(True)
        self.parent_button = QPushButton("Open parent")
        self.parent_button.setObjectName("flatButton")
        self.parent_button.setVisible(False)
        family_row = QHBoxLayout()
        family_row.addWidget(self.family_label, 1)
        family_row.addWidget(self.parent_button)
        titles.addLayout(family_row)
        self.fork_button = QPushButton("Re-run from here…")
        self.fork_button.setToolTip("Fork this session at the current stage: change the chair, a seat's persona "
                                    "or model, the seed or temperatures, and run the rest live")
        self.fork_button.setVisible(self.history is not None)
        self._parent_id: str | None = None
        header = QHBoxLayout()
        header.setContentsMargins(18, 12, 18, 6)
        header.addLayout(titles, 1)
        header.addWidget(self.fork_button)
        header.addWidget(self.position_label)

        self.end_banner = plain_label("", "replayEndBanner")
        self.end_banner.setWordWrap(True)
        self.end_banner.setStyleSheet(f"background: #3a3424; color: {theme.YELLOW}; border: 1px solid #6b5a2e;"
                                      " border-radius: 8px; padding: 8px 12px;")
        self.end_banner.setVisible(False)
        banner_box = QHBoxLayout()
        banner_box.setContentsMargins(18, 0, 18, 4)
        banner_box.addWidget(self.end_banner)

        arena_column = QWidget()
        vstack(arena_column, self.stepper, (self.arena, 1))
        self.transcript.setMinimumWidth(280)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(arena_column)
        self.splitter.addWidget(self.transcript)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setSizes([1060, 340])

        self.player = QWidget()
        vstack(self.player, header, banner_box, (self.splitter, 1), self.bar)

        self.placeholder = QFrame()
        self.placeholder.setObjectName("replayPlaceholder")
        self.placeholder_title = plain_label("Nothing to replay yet", "placeholderTitle")
        self.placeholder_title.setStyleSheet(f"color: {theme.TEXT}; font-size: 18px; font-weight: 700;")
        self.placeholder_text = plain_label("Open a session from Sessions, or choose “Watch the moment” in the Hall of "
                                       "Fame, to watch it again here.", "placeholderText")
        self.placeholder_text.setStyleSheet(f"color: {theme.TEXT_DIM};")
        self.placeholder_text.setWordWrap(True)
        self.placeholder_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.latest_button = QPushButton("Replay the latest session")
        self.latest_button.setObjectName("primaryButton")
        self.latest_button.setVisible(self.history is not None)
        box = QVBoxLayout(self.placeholder)
        box.addStretch(1)
        box.addWidget(self.placeholder_title, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addSpacing(6)
        box.addWidget(self.placeholder_text, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addSpacing(14)
        box.addWidget(self.latest_button, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addStretch(2)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.player)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

        self.shortcuts: dict[str, QShortcut] = {}
        for key, slot in (("Space", self.controller.toggle), ("Left", self.controller.step_back),
                          ("Right", self.controller.step_forward), ("Home", self._go_start),
                          ("End", self._go_end)):
            shortcut = QShortcut(QKeySequence(key), self.player)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
            self.shortcuts[key] = shortcut

    def _connect_signals(self) -> None:
        self.controller.position_changed.connect(self._on_position_changed)
        self.stepper.stage_clicked.connect(self.controller.jump_to_stage)
        self.latest_button.clicked.connect(self.open_latest)
        self.fork_button.clicked.connect(self._ask_fork)
        self.parent_button.clicked.connect(self.open_parent)
        if self.history is not None:
            self.history.changed.connect(self._on_history_changed)

    # -- public API ----------------------------------------------------------------------------------

    @property
    def session_id(self) -> str:
        return self._session_id

    @property
    def status(self) -> str:
        return self._status

    def has_session(self) -> bool:
        return self.controller.count > 0

    @Slot(str, int)
    def open_session(self, session_id: str, event_seq: int = -1) -> bool:
        """Load a stored session (paused at its first event, or at ``event_seq`` when given), read off the
        GUI thread: the page says "Loading…" until it is back, and a session asked for later wins. If it
        cannot be read, the reason is shown in place of the player. True: asked."""
        if self.history is None:
            raise RuntimeError("ReplayView.open_session needs a HistoryService")
        history = self.history

        def read() -> tuple[SessionSummary, list[Event], Family]:
            summary = history.session(session_id)
            if summary is None:
                raise HistoryError("That session is no longer in the history.")
            return summary, history.events(session_id), history.family(session_id)

        def show(got: tuple[SessionSummary, list[Event], Family]) -> None:
            summary, events, family = got
            self.load_events(events, session_id=session_id, summary=summary, family=family)
            if event_seq >= 0:
                self.controller.seek(self.controller.index_of_seq(event_seq))

        def failed(exc: Exception) -> None:
            self.clear()
            self.placeholder_title.setText("This session cannot be replayed")
            self.placeholder_text.setText(str(exc))

        self.position_label.setText(LOADING)
        if not self._events:
            self.placeholder_text.setText(LOADING)
        self.loader.load(read, show, None, failed=failed)
        return True

    @Slot()
    def open_latest(self) -> bool:
        """Open the newest stored session (read off the GUI thread). False without a history."""
        if self.history is None:
            return False

        def opened(latest: str | None) -> None:
            if latest is None:
                self.placeholder_text.setText("The history is empty: convene the council first.")
            else:
                self.open_session(latest)

        self.loader.load(self.history.latest_session_id, opened, None,
                         failed=lambda exc: self.placeholder_text.setText(str(exc)))
        return True

    def load_events(self, events: Sequence[Event], *, session_id: str = "",
                    summary: SessionSummary | None = None, family: Family | None = None) -> None:
        """Replay a bare event list (``summary`` adds the title line; without it the events tell;
        ``family`` the line naming its parent and forks)."""
        self.controller.load(events)
        self._session_id = session_id
        complete = next((e for e in reversed(events) if e.kind == "complete"), None)
        if summary is not None:
            self._status = summary.status
            self._reason = summary.reason
        else:
            self._status = str(complete.data.get("status")) if complete is not None else "interrupted"
            self._reason = str(complete.data.get("reason") or "") if complete is not None else ""
        topic = next((str(e.data.get("text") or "") for e in events if e.kind == "topic"), "")
        self.title_label.setText(topic or (summary.topic if summary else "") or "Untitled session")
        meta: list[str] = [mode_label(self.controller.mode)]
        if summary is not None:
            meta.append(local_time(summary.started_at))
            meta.append(f"{summary.members_text} members")
            if summary.chairman_name:
                meta.append(f"chaired by {summary.chairman_name}")
        elif events:
            meta.append(local_time(events[0].at))
        self.meta_label.setText("  ·  ".join(meta))
        color = status_color(self._status)
        self.status_chip.setText(status_label(self._status).upper())
        self.status_chip.setStyleSheet(f"color: {color}; border: 1px solid {color}; border-radius: 9px;"
                                       " padding: 1px 8px; font-size: 11px; font-weight: 700;")
        self.stack.setCurrentWidget(self.player if events else self.placeholder)
        self._events = list(events)
        self._show_family(session_id, family)
        self._on_position_changed(self.controller.position)
        self.session_opened.emit(session_id)

    # -- forks (issue 15) ----------------------------------------------------------------------------

    def _show_family(self, session_id: str, family: Family | None) -> None:
        self._parent_id = None
        parts: list[str] = []
        if family is not None:
            if family.parent is not None:
                pid, stage, topic, _ = family.parent
                self._parent_id = pid
                parts.append(f"Fork of {pid[:8]} (“{topic[:50]}”) from stage {stage}"
                             + (f" — {'; '.join(family.changed)}" if family.changed else ""))
            if family.children:
                parts.append("Forks: " + ", ".join(f"{c[:8]} from stage {st}" for c, st, _, _ in family.children))
        self.family_label.setText("  ·  ".join(parts))
        self.family_label.setVisible(bool(parts))
        self.parent_button.setVisible(self._parent_id is not None)
        self.fork_button.setEnabled(bool(session_id) and self.history is not None)

    @Slot()
    def open_parent(self) -> bool:
        return self._parent_id is not None and self.open_session(self._parent_id)

    def fork_stage(self) -> int:
        """The stage "Re-run from here" starts at: the one the replay is in (at least 1)."""
        return max(1, self.controller.current_stage())

    def request_fork(self, changes: dict[str, Any]) -> None:
        """Ask for a fork of the open session; a chair equal to the session's is no change."""
        roles = next((e for e in self._events if e.kind == "roles"), None)
        chair = roles.data.get("chairman") if roles is not None else None
        if changes.get("chair") == chair:
            changes = {**changes, "chair": None}
        self.fork_requested.emit(self._session_id, changes)

    def _ask_fork(self) -> None:
        from .fork_dialog import ForkDialog

        roles = next((e for e in self._events if e.kind == "roles"), None)
        if roles is None or not self._session_id:
            return
        self.controller.pause()
        names = ASK_STAGES if roles.data.get("mode") == "ask" else DEBATE_STAGES
        reached = {int(e.data.get("index", -1)) for e in self._events if e.kind == "stage"}
        stages = [(i, n) for i, n in enumerate(names) if i >= 1 and i in reached]
        members = [(str(m["id"]), str(m.get("name") or m["id"])) for m in roles.data.get("members") or []]
        dialog = ForkDialog(stages, self.fork_stage(), members, roles.data.get("chairman"),
                            roles.data.get("seed"), self, self.fork_models())
        if dialog.exec() == ForkDialog.DialogCode.Accepted:
            self.request_fork(dialog.changes())

    @Slot()
    def clear(self) -> None:
        self.controller.clear()
        self._session_id = ""
        self._status = self._reason = ""
        self._show_placeholder()

    @Slot(bool)
    def set_reduced_motion(self, on: bool) -> None:
        self.scene.set_reduced_motion(on)

    @Slot()
    def shutdown(self) -> None:
        """Pause and settle the animations (the page is left, the window closes)."""
        self.controller.stop()

    def end_note(self) -> str:
        return "" if self.end_banner.isHidden() else self.end_banner.text()

    # -- following -----------------------------------------------------------------------------------

    def _show_placeholder(self) -> None:
        self.placeholder_title.setText("Nothing to replay yet")
        self.placeholder_text.setText("Open a session from Sessions, or choose “Watch the moment” in the Hall of "
                                      "Fame, to watch it again here.")
        self.stack.setCurrentWidget(self.placeholder)

    @Slot(int)
    def _on_position_changed(self, index: int) -> None:
        c = self.controller
        if c.count == 0:
            self.position_label.setText("")
            self.end_banner.setVisible(False)
            return
        self.position_label.setText(f"Event {index + 1} of {c.count}\n{c.describe(index)}")
        at_end = index >= c.count - 1
        note = END_NOTES.get(self._status, "") if at_end else ""
        if note and self._status == "failed" and self._reason:
            note = f"{note}: {self._reason}"
        self.end_banner.setText(note)
        self.end_banner.setVisible(bool(note))

    def _go_start(self) -> None:
        self.controller.pause()
        self.controller.seek(0)

    def _go_end(self) -> None:
        self.controller.pause()
        self.controller.seek(self.controller.count - 1)

    @Slot()
    def _on_history_changed(self) -> None:
        """The open session was deleted: clear the player (asked off the GUI thread)."""
        if self._session_id and self.history is not None:
            sid, history = self._session_id, self.history

            def gone(yes: bool) -> None:
                if yes and sid == self._session_id:
                    self.clear()

            self._gone_loader.load(lambda: history.session(sid) is None, gone, False)
