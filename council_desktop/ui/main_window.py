"""MainWindow: the arena at the centre, the controls on top, the council and the transcript at the side."""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTabBar,
    QToolBar,
    QWidget,
)

from .. import APP_NAME, __version__
from ..core.events import ASK_STAGES, DEBATE_STAGES, Event
from . import theme
from .arena import ArenaScene, ArenaView
from .icon import app_icon
from .layouts import vstack
from .loading import Loader
from .member_status import MemberStatusPanel
from .plain import plain_label
from .stage_stepper import ASK_LABELS, DEBATE_LABELS, StageStepper
from .transcript_panel import TranscriptPanel
from .viewer_judge import ViewerJudgePanel

if TYPE_CHECKING:
    from ..services.history import HistoryService, SessionSummary
    from .analytics import AnalyticsView, HallOfFameView
    from .replay import ReplayView
    from .sessions import SessionBrowser

DEFAULT_SIZE = QSize(1400, 900)
RATE_WINDOW_S = 3.0
PAGES = ("Arena", "Replay", "Sessions", "Analytics", "Hall of Fame")
PAGES_STYLE = f"""
QTabBar#pageBar {{ background: {theme.BACKGROUND}; border: none; }}
QTabBar#pageBar::tab {{ background: transparent; color: {theme.TEXT_DIM}; padding: 8px 18px 7px 18px;
    border: none; border-bottom: 2px solid transparent; font-weight: 600; }}
QTabBar#pageBar::tab:selected {{ color: {theme.GOLD}; border-bottom: 2px solid {theme.GOLD}; }}
QTabBar#pageBar::tab:hover {{ color: {theme.TEXT}; }}
"""


def _line_edit(name: str, placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setClearButtonEnabled(True)
    edit.setAccessibleName(name)
    return edit


class MainWindow(QMainWindow):
    """The window. It shows; it decides nothing: requests leave as signals, the session's events come
    back through ``on_event``. It takes nothing from llm/ or storage/.

    Signals:
        convene_requested(str topic) — Convene Council, Ctrl+Return, or Return in the topic field
            ("" when the topic is left empty: a member proposes one)
        ask_requested(str question) — Ask the Council, Ctrl+Shift+Return, or Return in the question field
        stop_requested() — Stop or Escape while a session runs
        reduced_motion_toggled(bool) — View ▸ Reduce motion
        export_requested(str path) — File ▸ Export transcript… while no HistoryService is set (with one,
            the window exports the replayed, selected or latest session itself)
        settings_requested() — File ▸ Settings…
        viewer_ballot_cast(object ViewerBallot) — the viewer cast a ballot in the "you judge too" panel
        viewer_count_toggled(bool) — whether the viewer's scores count in the aggregate (also saved here)
        fork_requested(str session_id, object changes) — Replay ▸ Re-run from here ({stage, chair, seed,
            temperatures}); the window shows the Arena, where the fork runs live

    Pages (Ctrl+1..5): Arena (the live session) and, once ``set_history(service)`` is called, Replay,
    Sessions, Analytics and Hall of Fame. The Council and Transcript docks belong to the Arena page.

    Slots: ``on_event(Event)``, ``show_council(Event)``, ``set_running(bool)``, ``show_error(str)``,
    ``set_reduced_motion(bool)``, ``set_history(HistoryService)``, ``open_replay(str session_id, int event_seq)``,
    ``show_page(int)``.
    """

    convene_requested = Signal(str)
    ask_requested = Signal(str)
    stop_requested = Signal()
    reduced_motion_toggled = Signal(bool)
    export_requested = Signal(str)
    settings_requested = Signal()
    viewer_ballot_cast = Signal(object)
    viewer_count_toggled = Signal(bool)
    fork_requested = Signal(str, object)

    def __init__(self, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings if settings is not None else QSettings(APP_NAME, APP_NAME)
        self._running = False
        self._token_times: deque[float] = deque()
        self.history: HistoryService | None = None
        self.replay_view: ReplayView | None = None
        self.sessions_view: SessionBrowser | None = None
        self.analytics_view: AnalyticsView | None = None
        self.hall_view: HallOfFameView | None = None
        self._paged_docks: list[QDockWidget] = []  # docks hidden while another page is shown
        self.export_loader = Loader(self)  # File ▸ Export reads and writes off the GUI thread
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(app_icon())
        self.setObjectName("mainWindow")
        self.setDockNestingEnabled(True)

        self.scene = ArenaScene(self)
        self.arena = ArenaView(self.scene)
        self.stepper = StageStepper()
        self.transcript = TranscriptPanel()
        self.members = MemberStatusPanel()
        self.viewer_panel = ViewerJudgePanel()
        self._build_top_bar()
        self._build_error_banner()
        self._build_central()
        self._build_toolbar()
        self._build_docks()
        self._build_status_bar()
        self._build_actions()
        self._restore_settings()
        self._connect_signals()
        self.set_running(False)

    # -- construction -----------------------------------------------------------------------------

    def _build_top_bar(self) -> None:
        self.top_bar = QFrame()
        self.top_bar.setObjectName("topBar")
        brand = plain_label("COUNCIL")
        brand.setStyleSheet(f"color: {theme.GOLD}; font-weight: 800; letter-spacing: 2px; padding-right: 6px;")
        self.topic_edit = _line_edit("Topic", "Topic — leave empty and a member proposes one")
        self.convene_button = QPushButton("Convene Council")
        self.convene_button.setObjectName("primaryButton")
        self.convene_button.setToolTip("Start a six-stage debate (Ctrl+Return)")
        self.question_edit = _line_edit("Question", "Ask the council a question")
        self.ask_button = QPushButton("Ask the Council")
        self.ask_button.setToolTip("Five answers, peer ranking, the chairman's answer (Ctrl+Shift+Return)")
        self.stop_button = QPushButton("Stop")
        self.stop_button.setObjectName("stopButton")
        self.stop_button.setToolTip("Stop the session (Escape)")
        divider = QFrame()
        divider.setFrameShape(QFrame.Shape.VLine)
        divider.setStyleSheet(f"color: {theme.SURFACE_RAISED};")
        row = QHBoxLayout(self.top_bar)
        row.setContentsMargins(14, 10, 14, 10)
        row.setSpacing(8)
        row.addWidget(brand)
        row.addWidget(self.topic_edit, 6)
        row.addWidget(self.convene_button)
        row.addSpacing(6)
        row.addWidget(divider)
        row.addSpacing(6)
        row.addWidget(self.question_edit, 3)
        row.addWidget(self.ask_button)
        row.addSpacing(6)
        row.addWidget(self.stop_button)

    def _build_error_banner(self) -> None:
        self.error_banner = QFrame()
        self.error_banner.setObjectName("errorBanner")
        icon = plain_label("⚠")
        icon.setStyleSheet(f"color: {theme.RED}; font-size: 16px;")
        self.error_label = plain_label("", "errorText")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_dismiss = QPushButton("Dismiss")
        self.error_dismiss.setObjectName("flatButton")
        row = QHBoxLayout(self.error_banner)
        row.setContentsMargins(12, 8, 8, 8)
        row.addWidget(icon)
        row.addWidget(self.error_label, 1)
        row.addWidget(self.error_dismiss)
        self.error_banner.setVisible(False)

    def _build_central(self) -> None:
        central = QWidget()
        banner_box = vstack(None, self.error_banner, margins=(14, 8, 14, 0))
        # The panel carries its own margins (around its frame), so while it is hidden it takes no room at all.
        vstack(central, banner_box, self.stepper, self.viewer_panel, (self.arena, 1))
        self.arena_page = central
        # A tab bar over a stack (not a QTabWidget, whose frame would change the window's minimum size).
        self.page_bar = QTabBar()
        self.page_bar.setObjectName("pageBar")
        self.page_bar.setDocumentMode(True)
        self.page_bar.setDrawBase(False)
        self.page_bar.setExpanding(False)
        self.page_bar.setStyleSheet(PAGES_STYLE)
        self.page_bar.addTab(PAGES[0])
        self.page_bar.setVisible(False)  # one page (no history): no tab bar
        self.pages = QStackedWidget()
        self.pages.setObjectName("pages")
        self.pages.addWidget(central)
        holder = QWidget()
        vstack(holder, self.page_bar, (self.pages, 1))
        self.setCentralWidget(holder)

    def _build_toolbar(self) -> None:
        toolbar = QToolBar("Session", self)
        toolbar.setObjectName("sessionToolBar")
        toolbar.setMovable(False)
        toolbar.setFloatable(False)
        toolbar.toggleViewAction().setEnabled(False)
        toolbar.addWidget(self.top_bar)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)

    def _build_docks(self) -> None:
        self.members_dock = QDockWidget("Council", self)
        self.members_dock.setObjectName("councilDock")
        self.members_dock.setWidget(self.members)
        self.transcript_dock = QDockWidget("Transcript", self)
        self.transcript_dock.setObjectName("transcriptDock")
        self.transcript_dock.setWidget(self.transcript)
        for dock in (self.members_dock, self.transcript_dock):
            dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                             | QDockWidget.DockWidgetFeature.DockWidgetClosable
                             | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
            dock.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.members_dock)
        self.splitDockWidget(self.members_dock, self.transcript_dock, Qt.Orientation.Vertical)
        self.resizeDocks([self.members_dock], [380], Qt.Orientation.Horizontal)
        self.resizeDocks([self.members_dock, self.transcript_dock], [300, 560], Qt.Orientation.Vertical)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setSizeGripEnabled(False)
        self.stage_label = plain_label("Ready", "stageStatus")
        self.speaker_label = plain_label("", "speakerStatus")
        self.rate_label = plain_label("", "rateStatus")
        bar.addWidget(self.stage_label)
        bar.addWidget(self.speaker_label, 1)
        bar.addPermanentWidget(self.rate_label)

    def _build_actions(self) -> None:
        self.convene_action = QAction("&Convene Council", self)
        self.convene_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.ask_action = QAction("&Ask the Council", self)
        self.ask_action.setShortcuts([QKeySequence("Ctrl+Shift+Return"), QKeySequence("Ctrl+Shift+Enter")])
        self.stop_action = QAction("&Stop", self)
        self.stop_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.export_action = QAction("&Export transcript…", self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.setToolTip("Save the replayed, selected or latest session as Markdown, JSON or HTML")
        self.settings_action = QAction("&Settings…", self)
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.about_action = QAction(f"&About {APP_NAME}", self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.page_actions: list[QAction] = []
        for i, name in enumerate(PAGES):
            action = QAction(f"&{i + 1}  {name}", self)
            action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            action.setEnabled(i == 0)
            action.triggered.connect(lambda _=False, page=i: self.show_page(page))
            self.page_actions.append(action)
        self.reduce_motion_action = QAction("Reduce &motion", self)
        self.reduce_motion_action.setCheckable(True)
        self.fullscreen_action = QAction("&Full screen", self)
        self.fullscreen_action.setCheckable(True)
        self.fullscreen_action.setShortcut(QKeySequence(Qt.Key.Key_F11))
        file = self.menuBar().addMenu("&File")
        file.addAction(self.export_action)
        file.addSeparator()
        file.addAction(self.settings_action)
        file.addSeparator()
        file.addAction(self.quit_action)
        council = self.menuBar().addMenu("&Council")
        council.addActions([self.convene_action, self.ask_action, self.stop_action])
        view = self.menuBar().addMenu("&View")
        view.addActions(self.page_actions)
        view.addSeparator()
        view.addAction(self.reduce_motion_action)
        view.addAction(self.fullscreen_action)
        view.addSeparator()
        view.addAction(self.members_dock.toggleViewAction())
        view.addAction(self.transcript_dock.toggleViewAction())
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self.about_action)
        # Menu actions only fire while their menu bar is around; adding them to the window as well keeps
        # the shortcuts alive with the menu bar hidden (full screen on some platforms).
        self.addActions([self.convene_action, self.ask_action, self.stop_action, self.quit_action,
                         self.fullscreen_action, self.export_action, self.settings_action, *self.page_actions])

    def _connect_signals(self) -> None:
        self.convene_button.clicked.connect(self._request_convene)
        self.convene_action.triggered.connect(self._request_convene)
        self.topic_edit.returnPressed.connect(self._request_convene)
        self.ask_button.clicked.connect(self._request_ask)
        self.ask_action.triggered.connect(self._request_ask)
        self.question_edit.returnPressed.connect(self._request_ask)
        self.stop_button.clicked.connect(self._request_stop)
        self.stop_action.triggered.connect(self._request_stop)
        self.quit_action.triggered.connect(self.close)
        self.export_action.triggered.connect(self.export_transcript)
        self.settings_action.triggered.connect(self.settings_requested)
        self.about_action.triggered.connect(self.show_about)
        self.page_bar.currentChanged.connect(self.pages.setCurrentIndex)
        self.pages.currentChanged.connect(self._on_page_changed)
        self.fullscreen_action.toggled.connect(self._set_fullscreen)
        self.reduce_motion_action.toggled.connect(self._on_reduce_motion_toggled)
        self.error_dismiss.clicked.connect(self.hide_error)
        self.viewer_panel.ballot_cast.connect(self.viewer_ballot_cast)
        self.viewer_panel.count_toggled.connect(self._on_viewer_count_toggled)

    # -- public slots -----------------------------------------------------------------------------

    @Slot(object)
    def on_event(self, event: Event) -> None:
        """Route one session event to every view; safe to call for a replay too."""
        if event.kind == "roles":
            self.hide_error()
            self._token_times.clear()
        self.scene.apply(event)
        self.stepper.apply(event)
        self.transcript.apply(event)
        self.members.apply(event)
        self.viewer_panel.apply(event)
        self._update_status(event)
        if event.kind == "complete":
            self.set_running(False)

    @Slot(object)
    def show_council(self, preview: Event) -> None:
        """Seat the council in the arena and the Council dock between sessions (a ``roles`` preview with
        each seat's loading state, sent when the council loads or changes); ignored while a session runs."""
        if self._running:
            return
        self.scene.apply(preview)
        self.members.apply(preview)

    @Slot(bool)
    def set_running(self, running: bool) -> None:
        self._running = bool(running)
        for widget in (self.convene_button, self.ask_button, self.convene_action, self.ask_action):
            widget.setEnabled(not self._running)
        self.stop_button.setEnabled(self._running)
        self.stop_action.setEnabled(self._running)
        if self._running:
            self.stage_label.setText("Convening…")

    @property
    def running(self) -> bool:
        return self._running

    @Slot(str)
    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_banner.setVisible(True)
        self.statusBar().showMessage(f"Error: {message.splitlines()[0] if message else ''}", 8000)

    @Slot()
    def hide_error(self) -> None:
        self.error_banner.setVisible(False)

    @Slot(bool)
    def set_reduced_motion(self, on: bool) -> None:
        """Switch the arena's motion without emitting ``reduced_motion_toggled`` (for the app's own setting)."""
        self.reduce_motion_action.blockSignals(True)
        self.reduce_motion_action.setChecked(on)
        self.reduce_motion_action.blockSignals(False)
        self.scene.set_reduced_motion(on)
        if self.replay_view is not None:
            self.replay_view.set_reduced_motion(on)

    # -- history pages ----------------------------------------------------------------------------

    def set_history(self, history: HistoryService) -> None:
        """Add the Replay, Sessions, Analytics and Hall of Fame pages, reading ``history`` (once)."""
        if self.history is not None:
            raise RuntimeError("the window already has a history")
        from .analytics import AnalyticsView, HallOfFameView
        from .replay import ReplayView
        from .sessions import SessionBrowser

        self.history = history
        self.replay_view = ReplayView(history)
        self.replay_view.set_reduced_motion(self.scene.reduced_motion)
        self.sessions_view = SessionBrowser(history)
        self.analytics_view = AnalyticsView(history)
        self.hall_view = HallOfFameView(history)
        for page, name in zip((self.replay_view, self.sessions_view, self.analytics_view, self.hall_view),
                              PAGES[1:], strict=True):
            self.pages.addWidget(page)
            self.page_bar.addTab(name)
        self.page_bar.setVisible(True)
        for action in self.page_actions:
            action.setEnabled(True)
        self.sessions_view.replay_requested.connect(self.open_replay)
        self.hall_view.replay_requested.connect(self.open_replay)
        self.sessions_view.exported.connect(self._on_exported)
        self.replay_view.fork_requested.connect(self._request_fork)
        self.sessions_view.deleted.connect(lambda _sid: self.statusBar().showMessage("Session deleted", 4000))

    @Slot(str, int)
    def open_replay(self, session_id: str, event_seq: int = -1) -> bool:
        """Show the Replay page with ``session_id`` loaded (at ``event_seq`` when it is not -1)."""
        if self.replay_view is None:
            return False
        self.show_page(PAGES.index("Replay"))
        return self.replay_view.open_session(session_id, event_seq)

    @Slot(int)
    def show_page(self, index: int) -> None:
        if 0 <= index < self.pages.count():
            self.page_bar.setCurrentIndex(index)

    def current_page(self) -> str:
        return self.page_bar.tabText(self.pages.currentIndex())

    def _on_page_changed(self, index: int) -> None:
        if self.page_bar.currentIndex() != index:
            self.page_bar.setCurrentIndex(index)
        arena = self.pages.widget(index) is self.arena_page
        if arena:
            for dock in self._paged_docks:
                dock.setVisible(True)
            self._paged_docks = []
        elif not self._paged_docks:
            self._paged_docks = [d for d in (self.members_dock, self.transcript_dock) if d.isVisible()]
            for dock in self._paged_docks:
                dock.setVisible(False)
        if self.replay_view is not None and self.pages.widget(index) is not self.replay_view:
            self.replay_view.controller.pause()

    @Slot()
    def export_transcript(self) -> None:
        """File ▸ Export transcript…: the replayed session on the Replay page, the selected one on the
        Sessions page, else the latest (a running one exports as far as it got)."""
        from .sessions import ask_export_path, suggested_name

        if self.history is None:
            path = ask_export_path(self, suggested_name(self.scene.topic_card.text if self.scene.topic_card
                                                        else ""))
            if path:
                self.export_requested.emit(path)
            return
        session_id: str | None = None
        page = self.pages.currentWidget()
        if page is self.replay_view and self.replay_view is not None and self.replay_view.session_id:
            session_id = self.replay_view.session_id
        elif page is self.sessions_view and self.sessions_view is not None:
            session_id = self.sessions_view.selected_id()
        history = self.history

        def find() -> tuple[str | None, SessionSummary | None]:  # on the storage thread, as the export
            sid = session_id or history.latest_session_id()
            return sid, history.session(sid) if sid else None

        def found(result: tuple[str | None, SessionSummary | None]) -> None:
            sid, summary = result
            if sid is None or summary is None:
                self.statusBar().showMessage("Nothing to export yet: no session has been recorded.", 5000)
                return
            path = ask_export_path(self, suggested_name(summary.topic, summary.started_at))
            if path:
                self.export_loader.load(lambda: history.export(sid, path),
                                        lambda written: self._on_exported(str(written)), None,
                                        failed=lambda exc: self.show_error(str(exc)))

        self.export_loader.load(find, found, None, failed=lambda exc: self.show_error(str(exc)))

    def _on_exported(self, path: str) -> None:
        self.statusBar().showMessage(f"Transcript saved to {path}", 6000)

    @Slot()
    def show_about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, f"About {APP_NAME}",
                          f"{APP_NAME} {__version__}\n\nFive tiny language models debate and judge each other "
                          "on your desktop. Every session is kept: replay it, compare the members, and see who "
                          "earned which badge.", QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIconPixmap(app_icon().pixmap(64, 64))
        box.exec()

    # -- requests ---------------------------------------------------------------------------------

    def _request_convene(self) -> None:
        if self._running:
            return
        self.show_page(0)
        self.convene_requested.emit(self.topic_edit.text().strip())

    def _request_ask(self) -> None:
        if self._running:
            return
        question = self.question_edit.text().strip()
        if not question:
            self.question_edit.setFocus()
            self.statusBar().showMessage("Type a question for the council first.", 4000)
            return
        self.show_page(0)
        self.ask_requested.emit(question)

    def _request_fork(self, session_id: str, changes: object) -> None:
        if self._running:
            self.statusBar().showMessage("A session is running: re-run this one when it ends.", 5000)
            return
        self.show_page(0)
        self.fork_requested.emit(session_id, changes)

    def _request_stop(self) -> None:
        if self._running:
            self.stage_label.setText("Stopping…")
            self.stop_requested.emit()

    def _on_reduce_motion_toggled(self, on: bool) -> None:
        self.scene.set_reduced_motion(on)
        if self.replay_view is not None:
            self.replay_view.set_reduced_motion(on)
        self._settings.setValue("view/reduced_motion", on)
        self.reduced_motion_toggled.emit(on)

    def _on_viewer_count_toggled(self, on: bool) -> None:
        self._settings.setValue("viewer/count_in_aggregate", on)
        self.viewer_count_toggled.emit(on)

    @property
    def viewer_counts(self) -> bool:
        """The user's setting: the viewer's scores count in the council's aggregate (default off)."""
        return self.viewer_panel.count_box.isChecked()

    def _set_fullscreen(self, on: bool) -> None:
        if on and not self.isFullScreen():
            self.showFullScreen()
        elif not on and self.isFullScreen():
            self.showNormal()

    # -- status bar -------------------------------------------------------------------------------

    def _update_status(self, event: Event) -> None:
        roster = self.members.roster
        if event.kind == "stage":
            names = ASK_STAGES if roster.mode == "ask" else DEBATE_STAGES
            labels = ASK_LABELS if roster.mode == "ask" else DEBATE_LABELS
            name = event.data.get("name")
            index = names.index(name) if name in names else int(event.data.get("index", 0))
            title = labels[index] if 0 <= index < len(labels) else str(name)
            self.stage_label.setText(f"Stage {index} · {title}")
        elif event.kind == "complete":
            status = event.data.get("status")
            word = {"finished": "Finished", "cancelled": "Stopped"}.get(str(status), "Failed")
            self.stage_label.setText(f"{word} · {roster.ok} of {roster.total} members")
        if event.kind == "token":
            self._token_times.append(event.t)
            while self._token_times and self._token_times[0] < event.t - RATE_WINDOW_S:
                self._token_times.popleft()
            span = self._token_times[-1] - self._token_times[0]
            if span > 0.2:
                self.rate_label.setText(f"{(len(self._token_times) - 1) / span:.1f} tokens/s")
        elif event.kind in ("roles", "complete"):
            self.rate_label.setText("")
        speaking = [roster.name(m) for m in roster.active_speakers() if roster.status(m) == "speaking"]
        thinking = [roster.name(m) for m in roster.active_speakers() if roster.status(m) == "thinking"]
        if speaking:
            self.speaker_label.setText("Speaking: " + ", ".join(speaking))
        elif thinking:
            self.speaker_label.setText("Thinking: " + ", ".join(thinking))
        else:
            self.speaker_label.setText("")

    # -- settings ---------------------------------------------------------------------------------

    def _restore_settings(self) -> None:
        geometry = self._settings.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes) and self.restoreGeometry(QByteArray(geometry)):
            pass
        else:
            self.resize(DEFAULT_SIZE)
        state = self._settings.value("window/state")
        if isinstance(state, QByteArray | bytes):
            self.restoreState(QByteArray(state))
        self.viewer_panel.set_count_in_aggregate(
            bool(self._settings.value("viewer/count_in_aggregate", False, type=bool)))
        reduced = self._settings.value("view/reduced_motion", False, type=bool)
        self.set_reduced_motion(bool(reduced))

    def save_settings(self) -> None:
        self._settings.setValue("window/geometry", self.saveGeometry())
        # The dock layout is the Arena page's: save it as it is there, not as hidden by another page.
        hidden = list(self._paged_docks)
        for dock in hidden:
            dock.setVisible(True)
        self._settings.setValue("window/state", self.saveState())
        for dock in hidden:
            dock.setVisible(False)
        self._settings.setValue("view/reduced_motion", self.reduce_motion_action.isChecked())
        self._settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        # Nothing keeps animating behind a closed window (and no timer outlives it).
        self.scene.finish_animations()
        if self.replay_view is not None:
            self.replay_view.shutdown()
        super().closeEvent(event)
