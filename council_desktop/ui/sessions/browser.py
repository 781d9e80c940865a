"""SessionBrowser: every stored session in a searchable table, with replay, export and delete."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QWidget,
)

from ...services.history import Family, HistoryService, SessionSummary
from .. import theme
from ..layouts import read_only_table, vstack
from ..loading import LOADING, Loader
from ..plain import plain_label, plain_tooltip
from .export import ask_export_path, suggested_name
from .formatting import local_time, mode_label, status_color, status_label

COLUMNS = ("Date", "Mode", "Topic", "Chairman", "Status", "Members ok", "Family")
SEARCH_DEBOUNCE_MS = 250
ID_ROLE = Qt.ItemDataRole.UserRole


def family_text(s: SessionSummary) -> str:
    """The Family column: a fork names its parent and stage; a parent counts its forks."""
    parts = []
    if s.parent:
        parts.append(f"fork of {s.parent[:8]} @ {s.fork_stage}")
    if s.forks:
        parts.append(f"{s.forks} fork{'s' if s.forks != 1 else ''}")
    return " · ".join(parts) or "—"


def confirm(parent: QWidget, title: str, text: str, detail: str, action: str) -> bool:
    """A plain-text question (a topic is model text: never let Qt read it as rich text)."""
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setInformativeText(detail)
    box.button(QMessageBox.StandardButton.Yes).setText(action)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    result = box.exec()
    return int(getattr(result, "value", result)) == QMessageBox.StandardButton.Yes.value


class SessionBrowser(QWidget):
    """Past sessions, newest first (date, mode, topic, chairman, status, members ok). Typing in the
    search field filters after a short pause; double-click, Return or "Open replay" opens one; "Export…"
    saves its transcript (.md, .json, .html); "Delete" asks first. Reloads on ``history.changed``.

    Signals:
        replay_requested(str session_id, int event_seq) — ``-1``: from the start
        exported(str path) — a transcript was written
        deleted(str session_id)
        failed(str message) — an export or delete could not be done (already shown to the user)
    """

    replay_requested = Signal(str, int)
    exported = Signal(str)
    deleted = Signal(str)
    failed = Signal(str)

    def __init__(self, history: HistoryService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loader = Loader(self)  # history reads off the GUI thread: the rows
        self.family_loader = Loader(self)  # and the selected session's family
        self.action_loader = Loader(self)  # exports and deletes: written off the GUI thread too
        self._select_after: str | None = None  # a session to select when the rows come back
        self.setObjectName("sessionBrowser")
        self.history = history
        self._rows: list[SessionSummary] = []
        title = plain_label("Sessions", "pageTitle")
        self.count_label = plain_label("", "pageSubtitle")
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search topics, answers and member names")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Search sessions")
        self.search_edit.setMinimumWidth(360)
        self._debounce = QTimer(self)
        self._debounce.setObjectName("sessionSearchDebounce")
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self.table = read_only_table(COLUMNS, selectable=True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(36)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column, width in enumerate((150, 80, 0, 130, 120, 120, 170)):
            if width:
                self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.empty_label = plain_label("", "emptyNote")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.open_button = QPushButton("Open replay")
        self.open_button.setObjectName("primaryButton")
        self.export_button = QPushButton("Export…")
        self.delete_button = QPushButton("Delete")
        self.delete_button.setObjectName("dangerButton")
        # The selected session's family (issue 15): its parent, if a fork, and its forks.
        self.family_label = plain_label("", "familyNote")
        self.family_label.setWordWrap(True)
        self.parent_button = QPushButton("Go to parent")
        self.parent_button.setObjectName("flatButton")
        self._family_parent: str | None = None
        self._open_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Return), self.table)
        self._open_shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        self._delete_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        self._delete_shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)

        head = QHBoxLayout()
        head.addWidget(title)
        head.addSpacing(10)
        head.addWidget(self.count_label)
        head.addStretch(1)
        head.addWidget(self.search_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.family_label, 1)
        buttons.addWidget(self.parent_button)
        buttons.addStretch(0)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.open_button)
        vstack(self, head, (self.table, 1), self.empty_label, buttons, margins=(24, 18, 24, 18), spacing=12)
        self.setStyleSheet(f"""
            QLabel#pageTitle {{ color: {theme.TEXT}; font-size: 20px; font-weight: 700; }}
            QLabel#pageSubtitle {{ color: {theme.TEXT_DIM}; }}
            QLabel#emptyNote {{ color: {theme.TEXT_DIM}; padding: 24px; }}
            QTableWidget {{ background: {theme.SURFACE}; alternate-background-color: #272c42; color: {theme.TEXT};
                            border: 1px solid {theme.BORDER}; border-radius: 8px;
                            selection-background-color: #34406a; selection-color: {theme.TEXT}; }}
            QTableWidget::item {{ padding: 0 8px; border: none; }}
            QHeaderView::section {{ background: {theme.SURFACE_RAISED}; color: {theme.TEXT_DIM}; border: none;
                                    border-bottom: 1px solid {theme.BORDER}; padding: 7px 8px; font-weight: 600; }}
            QLabel#familyNote {{ color: {theme.TEXT_DIM}; }}
            QPushButton#dangerButton {{ color: {theme.RED}; }}
            QPushButton#dangerButton:hover {{ border-color: {theme.RED}; }}
        """)
        self._connect_signals()
        self.refresh()

    def _connect_signals(self) -> None:
        self.search_edit.textChanged.connect(self._on_search_edited)
        self.search_edit.returnPressed.connect(self._search_now)
        self._debounce.timeout.connect(self.refresh)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self._open_shortcut.activated.connect(self.open_selected)
        self._delete_shortcut.activated.connect(self.delete_selected)
        self.open_button.clicked.connect(self.open_selected)
        self.export_button.clicked.connect(self.export_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.parent_button.clicked.connect(self.select_parent)
        self.history.changed.connect(self.refresh)

    # -- reading -------------------------------------------------------------------------------------

    def sessions(self) -> list[SessionSummary]:
        """The rows shown, top to bottom."""
        return list(self._rows)

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        value = item.data(ID_ROLE) if item is not None else None
        return str(value) if value else None

    def select(self, session_id: str) -> bool:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(ID_ROLE) == session_id:
                self.table.selectRow(row)
                return True
        return False

    # -- loading -------------------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        """Query again with the current search text, keeping the selection when it is still listed."""
        self._debounce.stop()
        search = self.search_edit.text().strip()
        self.count_label.setText(LOADING)
        self.loader.load(lambda: self.history.sessions(search), lambda rows: self._show(rows, search, ""), None,
                         failed=lambda exc: self._show([], search, f"The history could not be read: {exc}"))

    def _show(self, rows: list[SessionSummary], search: str, error: str) -> None:
        keep = self._select_after or self.selected_id()
        self._select_after = None
        self.empty_label.setText(error or ("No session matches the search." if search else
                                           "No sessions yet. Convene the council and every debate is kept here."))
        self._rows = rows
        self.table.setRowCount(len(rows))
        for r, s in enumerate(rows):
            topic = s.topic or "(no topic yet)"
            cells = (local_time(s.started_at), mode_label(s.mode), f"↳ {topic}" if s.parent else topic,
                     s.chairman_name or "—", status_label(s.status), s.members_text, family_text(s))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 0:
                    item.setData(ID_ROLE, s.id)
                if c == 2:
                    item.setToolTip(plain_tooltip(s.topic))
                if c == 4:
                    item.setForeground(QColor(status_color(s.status)))
                    if s.reason:
                        item.setToolTip(plain_tooltip(s.reason))
                if c == 5 and s.members_ok is not None and s.members_total and s.members_ok < s.members_total:
                    item.setForeground(QColor(theme.YELLOW))
                self.table.setItem(r, c, item)
        self.empty_label.setVisible(not rows)
        n = len(rows)
        self.count_label.setText(f"{n} session{'s' if n != 1 else ''}" + (" found" if search else ""))
        if keep is None or not self.select(keep):
            self.table.clearSelection()
        self._update_buttons()

    def _on_search_edited(self, _text: str) -> None:
        self._debounce.start()

    def _search_now(self) -> None:
        self.refresh()

    def _update_buttons(self) -> None:
        chosen = self.selected_id() is not None
        for button in (self.open_button, self.export_button, self.delete_button):
            button.setEnabled(chosen)
        self._show_family(self.selected_id())

    def _show_family(self, session_id: str | None) -> None:
        """Read the selected session's family off the GUI thread; the line fills in when it is back."""
        self._family_parent = None
        self.parent_button.setVisible(False)
        if session_id is None:
            self.family_loader.drop()
            self._family_read(None)
            return
        self.family_loader.load(lambda: self.history.family(session_id), self._family_read, None,
                                failed=lambda exc: self.family_label.setText(f"The family could not be read: {exc}"))

    def _family_read(self, family: Family | None) -> None:
        parts = []
        if family is not None and family.parent is not None:
            pid, stage, topic, _ = family.parent
            self._family_parent = pid
            parts.append(f"Forked from {pid[:8]} (“{topic[:60]}”) at stage {stage}"
                         + (f": {'; '.join(family.changed)}." if family.changed else ", nothing changed."))
        if family is not None and family.children:
            parts.append("Forks: " + ", ".join(f"{cid[:8]} from stage {st}" for cid, st, _, _ in
                                               family.children) + ".")
        self.family_label.setText(" ".join(parts))
        self.parent_button.setVisible(self._family_parent is not None)

    @Slot()
    def select_parent(self) -> bool:
        """Select the selected fork's parent (clearing the search when it hides the parent)."""
        parent = self._family_parent
        if parent is None:
            return False
        if not self.select(parent):
            self._select_after = parent  # selected once the rows are back
            self.search_edit.clear()
            self.refresh()
        return True

    def family_of(self, session_id: str) -> str:
        """The Family cell of a listed session."""
        s = self._summary(session_id)
        return family_text(s) if s is not None else ""

    def _summary(self, session_id: str) -> SessionSummary | None:
        return next((s for s in self._rows if s.id == session_id), None)

    def _selected_summary(self) -> SessionSummary | None:
        sid = self.selected_id()
        return self._summary(sid) if sid else None

    # -- actions -------------------------------------------------------------------------------------

    @Slot()
    def open_selected(self) -> None:
        sid = self.selected_id()
        if sid:
            self.replay_requested.emit(sid, -1)

    @Slot()
    def export_selected(self) -> None:
        summary = self._selected_summary()
        if summary is None:
            return
        path = ask_export_path(self, suggested_name(summary.topic, summary.started_at))
        if path:
            history, sid = self.history, summary.id
            self.action_loader.load(lambda: history.export(sid, path), lambda written: self.exported.emit(str(written)),
                                    None, failed=lambda exc: self._fail("Export failed", str(exc)))

    @Slot()
    def delete_selected(self) -> None:
        summary = self._selected_summary()
        if summary is None:
            return
        sid = summary.id
        topic = summary.topic or "(no topic)"
        if not confirm(self, "Delete session", f"Delete the session “{topic}”?",
                       "Its transcript, scores, alliances and badges are removed from the history. "
                       "This cannot be undone.", "Delete"):
            return
        history = self.history

        def done(_: object) -> None:
            self.refresh()
            self.deleted.emit(sid)

        self.action_loader.load(lambda: history.delete(sid), done, None,
                                failed=lambda exc: self._fail("Delete failed", str(exc)))

    def _fail(self, title: str, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Critical, title, message, QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()
        self.failed.emit(message)
