"""ModelsTab: the catalogue with each model's facts, state, progress, last failure and per-row actions."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...services.model_manager import ModelManager, ModelRow
from ..plain import plain_label, plain_tooltip
from .add_dialogs import AddFileDialog, AddHubDialog
from .formatting import (
    STATE_COLOR,
    fmt_bytes,
    fmt_params,
    fmt_ram,
    licence_text,
    progress_text,
    state_text,
)
from .style import chip_style

# Fixed widths keep the cells of every row under their column header (column 0 stretches).
COLUMN_WIDTHS = (0, 72, 92, 62, 84, 120, 264)
COLUMN_TITLES = ("MODEL", "SIZE", "LICENCE", "FORMAT", "RAM / SEAT", "STATUS", "")
PROGRESS_MAX = 1000


def _grid() -> QGridLayout:
    grid = QGridLayout()
    grid.setHorizontalSpacing(12)
    grid.setVerticalSpacing(4)
    for col, width in enumerate(COLUMN_WIDTHS):
        if width:
            grid.setColumnMinimumWidth(col, width)
        grid.setColumnStretch(col, 0 if width else 1)
    return grid


def _repolish(widget: QWidget, **props: object) -> None:
    """Set dynamic properties the stylesheet selects on; re-polish only when one changed (progress
    updates arrive up to ten times a second)."""
    changed = False
    for key, value in props.items():
        if widget.property(key) != value:
            widget.setProperty(key, value)
            changed = True
    if changed:
        widget.style().unpolish(widget)
        widget.style().polish(widget)


def _keep_space(widget: QWidget) -> None:
    policy = widget.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    widget.setSizePolicy(policy)


class ModelRowWidget(QFrame):
    """One model: name and maker, size, licence, chat format, RAM per seat, state, a progress line while a
    job runs (or a paused download waits), the last failure's reason, and its actions.

    Signals: ``action_requested(str model_id, str action)`` with action download|resume|cancel|verify|remove.
    """

    action_requested = Signal(str, str)

    def __init__(self, row: ModelRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelRow")
        self.model_id = row.id
        self.row = row
        self._primary_action = ""
        self.name = plain_label(name="modelName")
        self.subtitle = plain_label(name="modelSub")
        for label in (self.name, self.subtitle):  # long names wrap instead of widening every row
            label.setWordWrap(True)
            label.setMinimumWidth(120)
        self.size_label = plain_label(name="cell")
        self.licence = plain_label(name="cell")
        self.chat_format = plain_label(name="cell")
        self.ram = plain_label(name="cell")
        self.state = plain_label()
        self.state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.state.setFixedSize(COLUMN_WIDTHS[5] - 4, 24)
        self.primary = self._button("", 98)
        self.verify = self._button("Verify", 70)
        self.remove = self._button("Remove", 82)
        self.progress = QProgressBar()
        self.progress.setRange(0, PROGRESS_MAX)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(6)
        self.progress_text = plain_label(name="progressText")
        self.error = plain_label(name="rowError")
        self.error.setWordWrap(True)
        self.note = plain_label(name="rowNote")
        self.note.setWordWrap(True)
        self._cells = (self.size_label, self.licence, self.chat_format, self.ram)
        for label, width in zip(self._cells, COLUMN_WIDTHS[1:5], strict=True):
            label.setFixedWidth(width)
        _keep_space(self.primary)
        self._layout()
        self._connect_signals()
        self.show_row(row)

    def _button(self, text: str, width: int) -> QPushButton:
        button = QPushButton(text)
        button.setFixedWidth(width)  # the same place in every row, whatever the label says
        button.setObjectName("rowButton")
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.setAutoDefault(False)
        return button

    def _layout(self) -> None:
        grid = _grid()
        grid.setContentsMargins(14, 10, 14, 10)
        names = QVBoxLayout()
        names.setSpacing(1)
        names.addWidget(self.name)
        names.addWidget(self.subtitle)
        grid.addLayout(names, 0, 0)
        for col, widget in enumerate(self._cells, start=1):
            grid.addWidget(widget, 0, col)
        grid.addWidget(self.state, 0, 5, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        buttons.addWidget(self.primary)
        buttons.addWidget(self.verify)
        buttons.addWidget(self.remove)
        grid.addLayout(buttons, 0, 6, Qt.AlignmentFlag.AlignRight)
        line = QHBoxLayout()
        line.setSpacing(12)
        line.addWidget(self.progress, 1)
        line.addWidget(self.progress_text, 0)
        self.progress_line = QWidget()
        self.progress_line.setLayout(line)
        line.setContentsMargins(0, 4, 0, 0)
        grid.addWidget(self.progress_line, 1, 0, 1, 7)
        grid.addWidget(self.error, 2, 0, 1, 7)
        grid.addWidget(self.note, 3, 0, 1, 7)
        self.setLayout(grid)

    def _connect_signals(self) -> None:
        self.primary.clicked.connect(lambda: self.action_requested.emit(self.model_id, self._primary_action))
        self.verify.clicked.connect(lambda: self.action_requested.emit(self.model_id, "verify"))
        self.remove.clicked.connect(lambda: self.action_requested.emit(self.model_id, "remove"))

    def show_row(self, row: ModelRow) -> None:
        self.row = row
        self.name.setText(row.name)
        self.subtitle.setText(self._subtitle(row))
        self.size_label.setText(fmt_bytes(row.size_bytes) if row.size_bytes else "—")
        self.licence.setText(licence_text(row.license) if row.license else "—")
        self.chat_format.setText(row.chat_format or "—")
        self.ram.setText(fmt_ram(row.ram_mb))
        color = STATE_COLOR.get(row.state, STATE_COLOR["not installed"])
        self.state.setText(state_text(row))
        self.state.setStyleSheet(chip_style(color))
        self._show_actions(row)
        self._show_progress(row)
        failed = bool(row.last_error)
        self.error.setVisible(failed)
        self.error.setText(f"Failed: {row.last_error}" if failed else "")
        note = "" if failed or row.state in ("downloading", "verifying") else row.message
        self.note.setVisible(bool(note))
        self.note.setText(f"✓ {note}" if note and row.state in ("installed", "bundled") else note)
        self.setToolTip(plain_tooltip(self._tooltip(row)))
        self.setAccessibleName(f"{row.name}: {state_text(row)}")
        self.setAccessibleDescription(row.last_error or progress_text(row))
        _repolish(self, failed=failed, active=row.state in ("downloading", "verifying"))

    @staticmethod
    def _subtitle(row: ModelRow) -> str:
        if row.kind == "local":
            return f"Your file · {row.filename}"
        if row.kind == "pending":
            return f"{'Not added' if row.state == 'failed' else 'Adding'} · {row.path}"
        if row.kind == "hub":
            return f"{row.repo} · {row.filename}"
        parts = [row.company, fmt_params(row.params_millions)]
        return " · ".join(p for p in parts if p)

    @staticmethod
    def _tooltip(row: ModelRow) -> str:
        lines = [row.name]
        if row.repo:
            lines.append(f"{row.repo} / {row.filename}")
        if row.path is not None:
            lines.append(f"File: {row.path}")
        if row.verified_at:
            lines.append(f"Verified: {row.verified_at}")
        if row.notes:
            lines.append(row.notes)
        if row.last_error:
            lines.append(f"Last failure: {row.last_error}")
        return "\n".join(lines)

    def _show_actions(self, row: ModelRow) -> None:
        actions = row.actions
        if "cancel" in actions:
            primary, text = "cancel", "Cancel"
        elif "resume" in actions:
            primary, text = "resume", "Resume"
        elif "download" in actions:
            primary, text = "download", "Retry" if row.state == "failed" else "Download"
        else:
            primary, text = "", ""
        self._primary_action = primary
        self.primary.setText(text)
        self.primary.setVisible(bool(primary))
        self.primary.setEnabled(bool(primary))
        self.primary.setAccessibleName(f"{text} {row.name}")
        _repolish(self.primary, danger=primary == "cancel", primary=primary in ("download", "resume"))
        self.verify.setEnabled("verify" in actions)
        self.verify.setVisible(row.kind != "pending")
        self.verify.setAccessibleName(f"Verify {row.name}")
        self.remove.setEnabled("remove" in actions)
        self.remove.setText("Dismiss" if row.kind == "pending" else "Remove")
        self.remove.setAccessibleName(f"{self.remove.text()} {row.name}")

    def _show_progress(self, row: ModelRow) -> None:
        text = progress_text(row)
        shown = row.state in ("downloading", "verifying", "partial") or (row.state == "failed" and row.done_bytes > 0)
        self.progress_line.setVisible(shown)
        if not shown:
            return
        value = round(PROGRESS_MAX * row.done_bytes / row.total_bytes) if row.total_bytes > 0 else 0
        self.progress.setValue(max(0, min(PROGRESS_MAX, value)))
        self.progress.setAccessibleName(f"{row.name} progress")
        _repolish(self.progress, paused=row.state in ("partial", "failed"))
        self.progress_text.setText(text)


class ModelsTab(QWidget):
    """The Models page: one ``ModelRowWidget`` per catalogue entry, bundled starter and user model, plus
    the "Add GGUF file…" and "Add from Hugging Face…" buttons. Reads everything from the ModelManager.

    Signals: none (actions go straight to the manager)."""

    def __init__(self, manager: ModelManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.manager = manager
        # Asked before files are deleted; tests swap it for a stub (a message box would block them).
        self.confirm: Callable[[str, str], bool] = self._ask
        self.rows: dict[str, ModelRowWidget] = {}
        intro = plain_label("Download champions for the council, or add your own GGUF files. Every file is "
                            "checked (size, sha256 and GGUF header) before it may take a seat; downloads "
                            "resume where they stopped, even after the app was closed.", "pageIntro")
        intro.setWordWrap(True)
        header = QWidget()
        self._header_grid = _grid()
        for col, (title, width) in enumerate(zip(COLUMN_TITLES, COLUMN_WIDTHS, strict=True)):
            label = plain_label(title, "columnHeader")
            if width:
                label.setFixedWidth(width)
            self._header_grid.addWidget(label, 0, col)
        header.setLayout(self._header_grid)
        self._list = QWidget()
        self._list_layout = QVBoxLayout(self._list)
        self._list_layout.setContentsMargins(0, 0, 4, 0)
        self._list_layout.setSpacing(6)
        self._list_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._list)
        self.refresh()  # before the buttons below: creation order is the initial Tab order
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scrollbar = scroll.verticalScrollBar()
        self._align_header()
        self._list.setObjectName("modelList")
        self.add_file_button = QPushButton("Add GGUF &file…")
        self.add_hub_button = QPushButton("Add from &Hugging Face…")
        for button in (self.add_file_button, self.add_hub_button):
            button.setAutoDefault(False)
        self.status = plain_label(name="statusNote")
        self.status.setWordWrap(True)
        self.status.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        folder = plain_label(f"Models folder: {manager.models_dir}", "statusNote")
        folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bottom = QHBoxLayout()
        bottom.addWidget(self.add_file_button)
        bottom.addWidget(self.add_hub_button)
        bottom.addSpacing(12)
        bottom.addWidget(self.status, 1)
        bottom.addWidget(folder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addWidget(header)
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)
        self._fix_tab_order()
        self._connect_signals()

    def _align_header(self, *_range: int) -> None:
        """Keep the column titles over the cells: the rows lose the scroll bar's width when it shows."""
        bar = self._scrollbar.sizeHint().width() if self._scrollbar.maximum() > 0 else 0
        # a row's frame (1 px) and padding (14 px), and the list's right margin (4 px)
        self._header_grid.setContentsMargins(15, 0, 19 + bar, 0)

    def _connect_signals(self) -> None:
        self._scrollbar.rangeChanged.connect(self._align_header)
        self.manager.rows_changed.connect(self.refresh)
        self.manager.download_progressed.connect(self.on_progressed)
        self.manager.verify_progressed.connect(self.on_progressed)
        self.manager.download_finished.connect(self.on_job_finished)
        self.manager.verify_finished.connect(self.on_job_finished)
        self.manager.model_added.connect(self.on_model_added)
        self.add_file_button.clicked.connect(self.open_add_file_dialog)
        self.add_hub_button.clicked.connect(self.open_add_hub_dialog)

    def refresh(self) -> None:
        """Add and drop rows when models came or went (existing rows are kept, so focus stays on the button
        the user pressed), and show every row's current state."""
        rows = self.manager.rows()
        if [r.id for r in rows] != list(self.rows):
            wanted = {r.id for r in rows}
            for model_id, gone in list(self.rows.items()):
                if model_id not in wanted:
                    self._list_layout.removeWidget(gone)
                    gone.deleteLater()
            kept, self.rows = self.rows, {}
            for i, row in enumerate(rows):
                existing = kept.get(row.id)
                if existing is None:
                    widget = ModelRowWidget(row, self._list)
                    widget.action_requested.connect(self.on_action_requested)
                else:
                    widget = existing
                    self._list_layout.removeWidget(widget)
                self._list_layout.insertWidget(i, widget)
                self.rows[row.id] = widget
            self._fix_tab_order()
        for row in rows:
            self.rows[row.id].show_row(row)

    def _fix_tab_order(self) -> None:
        """New rows join the end of the window's focus chain: keep Tab going down the list, then to the
        add buttons. The first row (the starter, always there) anchors the chain."""
        chain: list[QWidget] = []
        for widget in self.rows.values():
            chain += [widget.primary, widget.verify, widget.remove]
        chain += [b for b in (getattr(self, "add_file_button", None), getattr(self, "add_hub_button", None)) if b]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def on_progressed(self, job_id: str, _progress: object) -> None:
        widget = self.rows.get(job_id)
        if widget is not None:
            with contextlib.suppress(KeyError):  # the model was removed meanwhile
                widget.show_row(self.manager.row(job_id))

    def on_job_finished(self, model_id: str, ok: bool, message: str) -> None:
        widget = self.rows.get(model_id)
        name = widget.row.name if widget is not None else model_id
        self.status.setText(f"{name}: {message}" if message else "")

    def on_model_added(self, model_id: str, ok: bool, message: str) -> None:
        self.status.setText(message[:1].upper() + message[1:] if ok else "A file could not be added (see its row).")

    def on_action_requested(self, model_id: str, action: str) -> None:
        widget = self.rows.get(model_id)
        row = widget.row if widget is not None else None
        try:
            if action in ("download", "resume"):
                self.manager.download(model_id)
            elif action == "cancel":
                self.manager.cancel(model_id)
            elif action == "verify":
                self.manager.verify(model_id)
            elif action == "remove":
                if row is not None and row.kind != "pending" and not self.confirm(
                        f"Remove {row.name}?", self._removal_text(row)):
                    return
                self.manager.remove(model_id)
        except (KeyError, ValueError) as exc:
            self.status.setText(f"Could not {action}: {exc}")

    @staticmethod
    def _removal_text(row: ModelRow) -> str:
        if row.kind == "local":
            return "The copy in the models folder is deleted and the model leaves the list. Your original " \
                   "file is not touched."
        if row.state == "partial":
            return f"The {fmt_bytes(row.done_bytes)} downloaded so far are deleted."
        return "Its file is deleted from the models folder. You can download it again later."

    def _ask(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def open_add_file_dialog(self) -> None:
        dialog = AddFileDialog(self.manager, self)
        if dialog.exec():
            self.status.setText(f"Checking {dialog.path().name}…")

    def open_add_hub_dialog(self) -> None:
        dialog = AddHubDialog(self.manager, self)
        if dialog.exec():
            self.status.setText(f"Downloading {dialog.added_id}…")
