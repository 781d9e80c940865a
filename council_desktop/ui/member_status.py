"""MemberStatusPanel: one row per member with its model and what it is doing right now."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QVBoxLayout, QWidget

from ..core.events import Event
from . import theme
from .plain import plain_label, plain_tooltip, short_model
from .roster import MemberInfo, Roster

STATUS_TEXT = {"loading": "loading", "ready": "ready", "unloaded": "unloaded", "idle": "waiting",
               "thinking": "thinking…", "speaking": "speaking", "done": "done", "failed": "failed"}
STATUS_COLOR = {"loading": theme.BLUE, "ready": theme.GREEN, "unloaded": theme.MUTED, "idle": theme.MUTED,
                "thinking": theme.YELLOW, "speaking": theme.GREEN, "done": theme.BLUE, "failed": theme.RED}


def _status_rule(status: str, color: str) -> str:
    tint = theme.with_alpha(color, 0.14)
    return (f'QLabel#memberState[status="{status}"] {{ color: {color}; '
            f"background: rgba({tint.red()}, {tint.green()}, {tint.blue()}, 36); border: 1px solid {color}; }}")


# One style sheet for the whole panel, set once: a status change sets the badge's "status" property and
# re-polishes that one label. Setting a style sheet per change re-styled the row each time, on the GUI
# thread, several times per stage (a few ms each; with the other panels' work in the same event, the
# window stalled past a frame at every stage change).
STYLE = "\n".join([
    f"QFrame#memberRow {{ background: {theme.SURFACE}; border-radius: 8px; }}",
    f"QLabel#memberName {{ color: {theme.TEXT}; font-weight: 600; }}",
    f"QLabel#memberRole {{ color: {theme.GOLD}; font-size: 11px; }}",
    f"QLabel#memberModel {{ color: {theme.TEXT_DIM}; font-size: 11px; }}",
    f"QLabel#memberEmpty {{ color: {theme.MUTED}; }}",
    f"QLabel#memberState {{ color: {theme.MUTED}; border: 1px solid {theme.MUTED}; border-radius: 11px; "
    "font-size: 11px; font-weight: 600; }",
    *(_status_rule(status, color) for status, color in STATUS_COLOR.items()),
])


def _seat_key(info: MemberInfo) -> tuple[str, str, str, str]:
    """What a row shows that only a new row can change (the rest follows ``show_state``)."""
    return info.id, info.name, info.color, info.model


class _MemberRow(QFrame):
    def __init__(self, info: MemberInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = _seat_key(info)
        self.setObjectName("memberRow")
        self.dot = plain_label()
        self.dot.setFixedSize(12, 12)
        self.dot.setStyleSheet(f"background: {theme.qcolor(info.color).name()}; border-radius: 6px;")
        self.name = plain_label(info.name, "memberName")
        self.role = plain_label("", "memberRole")
        self.status = plain_label("", "memberState")
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.setFixedSize(84, 22)
        self.model = plain_label("", "memberModel")
        metrics = self.model.fontMetrics()
        self.model.setText(metrics.elidedText(short_model(info.model), Qt.TextElideMode.ElideMiddle, 210))
        grid = QGridLayout(self)
        grid.setContentsMargins(10, 6, 10, 6)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(1)
        grid.addWidget(self.dot, 0, 0, 2, 1, Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(self.name, 0, 1)
        grid.addWidget(self.role, 0, 2)
        grid.addWidget(self.model, 1, 1, 1, 2)
        grid.addWidget(self.status, 0, 3, 2, 1, Qt.AlignmentFlag.AlignVCenter)
        grid.setColumnStretch(2, 1)

    def show_state(self, info: MemberInfo, *, chair: bool, proposer: bool) -> None:
        self.status.setText(STATUS_TEXT.get(info.status, info.status))
        if self.status.property("status") != info.status:
            self.status.setProperty("status", info.status)
            self.status.style().unpolish(self.status)
            self.status.style().polish(self.status)
        roles = [r for r, on in (("♛ chair", chair), ("✎ proposer", proposer)) if on]
        self.role.setText("  ".join(roles))
        lines = [info.name, f"Model: {info.model or 'unknown'}"]
        if info.persona:
            lines.append(f"Persona: {info.persona}")
        if info.status == "failed":
            lines.append(f"Failed: {info.reason or 'no reason given'}")
        self.setToolTip(plain_tooltip("\n".join(lines)))


class MemberStatusPanel(QWidget):
    """Rows follow the events through a ``Roster``: loading, waiting, thinking, speaking, done, failed
    (with the reason on hover).

    Signals: none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(STYLE)
        self.roster = Roster()
        self._rows: dict[str, _MemberRow] = {}
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(10, 8, 10, 8)
        self._layout.setSpacing(6)
        self._empty = plain_label("Members appear when the council convenes.", "memberEmpty")
        self._empty.setWordWrap(True)
        self._layout.addWidget(self._empty)
        self._layout.addStretch(1)
        self._connect_signals()

    def _connect_signals(self) -> None:
        """Nothing to wire: the panel only follows ``apply``."""

    def apply(self, event: Event) -> None:
        changed = self.roster.apply(event)
        if event.kind == "roles":
            self._rebuild()
            return
        if event.kind == "chair_changed":
            changed |= set(self._rows)
        for mid in changed:
            self._refresh(mid)

    def status_text(self, member_id: str) -> str:
        return self._rows[member_id].status.text()

    def row_tooltip(self, member_id: str) -> str:
        return self._rows[member_id].toolTip()

    def _rebuild(self) -> None:
        """New rows for a new council; the same council convening again (the seated council shown
        between sessions, then its session) keeps its rows and refreshes them: building five rows is a
        few ms of the GUI thread at the moment the council convenes, when every view has work to do."""
        members = list(self.roster.members.values())
        if members and [r.key for r in self._rows.values()] == [_seat_key(m) for m in members]:
            for info in members:
                self._refresh(info.id)
            return
        for row in self._rows.values():
            self._layout.removeWidget(row)
            row.deleteLater()
        self._rows.clear()
        self._empty.setVisible(not self.roster.members)
        for i, info in enumerate(self.roster.members.values()):
            row = _MemberRow(info, self)
            self._layout.insertWidget(i + 1, row)
            self._rows[info.id] = row
            self._refresh(info.id)

    def _refresh(self, member_id: str) -> None:
        row = self._rows.get(member_id)
        info = self.roster.members.get(member_id)
        if row is not None and info is not None:
            row.show_state(info, chair=member_id == self.roster.chairman, proposer=member_id == self.roster.proposer)
