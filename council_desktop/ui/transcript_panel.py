"""TranscriptPanel: the debate as plain text, following the session turn by turn and token by token."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QWidget

from ..core import events as ev
from ..core.events import Event
from ..core.fork import describe_changes
from . import theme
from .layouts import vstack
from .plain import plain_tooltip
from .roster import Roster

KIND_LABELS = {"topic": "proposes the topic", "opinion": "opinion", "rebuttal": "rebuttal", "answer": "answer",
               "synthesis": "synthesis"}
STAGE_TITLES = {"topic": "Topic", "opinions": "Opinions", "review": "Peer review", "rebuttals": "Rebuttals",
                "alliances": "Alliances", "synthesis": "Synthesis", "question": "Question", "answers": "Answers",
                "ranking": "Ranking", "chairman": "The chairman answers"}


def _fmt(color: str, *, bold: bool = False, size: int = 13, italic: bool = False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(QColor(color))
    font = theme.ui_font(size, bold=bold)
    font.setItalic(italic)
    fmt.setFont(font)
    return fmt


class TranscriptPanel(QWidget):
    """A read-only QPlainTextEdit (model text is never rich text) plus a header with the member count
    ("4 of 5 members" once someone fails). Turns that stream at the same time each grow in place: every
    open turn keeps a pair of text cursors around its body. It stays scrolled to the bottom unless the
    reader has scrolled up.

    Signals: none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.roster = Roster()
        self._open: dict[str, tuple[QTextCursor, QTextCursor]] = {}
        self._session = QLabel("No session yet")
        self._count = QLabel("")
        self._view = QPlainTextEdit()
        for label in (self._session, self._count):
            label.setTextFormat(Qt.TextFormat.PlainText)
        self._session.setStyleSheet(f"color: {theme.TEXT_DIM};")
        self._count.setObjectName("memberCount")
        self._view.setReadOnly(True)
        self._view.setUndoRedoEnabled(False)
        self._view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self._view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                           | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self._view.document().setDocumentMargin(12)
        self._view.setPlaceholderText("The transcript appears here as the council speaks.")
        header = QHBoxLayout()
        header.setContentsMargins(12, 8, 12, 6)
        header.addWidget(self._session)
        header.addStretch(1)
        header.addWidget(self._count)
        vstack(self, header, (self._view, 1))
        self._body = _fmt(theme.TEXT)
        self._meta = _fmt(theme.MUTED, size=11)
        self._dim = _fmt(theme.TEXT_DIM, size=12)
        self._stage = _fmt(theme.GOLD, bold=True, size=12)
        self._warn = _fmt(theme.RED, bold=True, size=12)
        self._gold = _fmt(theme.GOLD, size=12)
        self._connect_signals()

    def _connect_signals(self) -> None:
        """Nothing to wire: the panel only follows ``apply``."""

    # -- reading (tests, export previews) ---------------------------------------------------------

    def text(self) -> str:
        return self._view.toPlainText()

    @property
    def view(self) -> QPlainTextEdit:
        return self._view

    def member_count_text(self) -> str:
        return self._count.text()

    # -- applying events --------------------------------------------------------------------------

    def apply(self, event: Event) -> None:
        self.roster.apply(event)
        handler = getattr(self, f"on_event_{event.kind}", None)
        if handler is None:
            return
        with self._keeping_scroll():
            handler(event.data)
        self._update_header()

    def clear(self) -> None:
        self._open.clear()
        self._view.clear()

    def on_event_roles(self, d: ev.RolesData) -> None:
        self.clear()
        names = ", ".join(m.name for m in self.roster.members.values())
        self._append([("The council convenes: ", self._dim), (names, self._body)])
        roles = []
        if self.roster.chairman:
            roles.append(f"chairman {self.roster.name(self.roster.chairman)}")
        if self.roster.proposer and self.roster.mode == "debate":
            roles.append(f"proposer {self.roster.name(self.roster.proposer)}")
        if roles:
            line = " · ".join(roles)
            self._append([(line[:1].upper() + line[1:], self._meta)])

    def on_event_stage(self, d: ev.StageData) -> None:
        name = str(d.get("name") or "")
        title = STAGE_TITLES.get(name, name.title())
        self._ensure_blank()
        self._append([(f"STAGE {d.get('index', '')} · {title.upper()}", self._stage)])

    def on_event_turn_started(self, d: ev.TurnStartedData) -> None:
        member, kind = d.get("member"), str(d.get("kind") or "")
        if kind not in KIND_LABELS or not isinstance(member, str):
            return
        if d.get("retry") and member in self._open:
            # The first try had a hard defect (core/speech.py) and is written again: the streamed text
            # of the first try goes; the turn's event says what was discarded.
            start, end = self._open[member]
            cursor = QTextCursor(self._view.document())
            cursor.setPosition(start.position())
            cursor.setPosition(end.position(), QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
            return
        self._open_turn(member, kind)

    def on_event_token(self, d: ev.TokenData) -> None:
        member, kind = d.get("member"), str(d.get("kind") or "")
        if kind not in KIND_LABELS or not isinstance(member, str):
            return
        if member not in self._open:
            self._open_turn(member, kind)
        self._open[member][1].insertText(str(d.get("text") or ""), self._body)

    def _on_turn(self, kind: str, d: ev.TurnData) -> None:
        member = d.get("member")
        text = str(d.get("text") or "")
        if not isinstance(member, str):  # a topic the user gave
            self._append([("Topic set by you: " if self.roster.mode == "debate" else "Question: ", self._dim),
                          (text, self._body)])
            return
        if member not in self._open:
            self._open_turn(member, kind)
        start, end = self._open.pop(member)
        cursor = QTextCursor(self._view.document())
        cursor.setPosition(start.position())
        cursor.setPosition(end.position(), QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(text, self._body)
        tokens, seconds = d.get("tokens"), d.get("seconds")
        if isinstance(tokens, int) and tokens and isinstance(seconds, int | float) and seconds:
            cursor.insertText(f"   {tokens} tokens · {seconds:.1f} s", self._meta)
        regenerated = d.get("regenerated")
        if isinstance(regenerated, dict):
            defects = ", ".join(str(x) for x in regenerated.get("defects") or []) or "a defect"
            kept = "the second try kept" if regenerated.get("kept") == "retry" else "the first try kept"
            trimmed = regenerated.get("trimmed") or []
            dropped = f", {len(trimmed)} repeated sentence{'s' if len(trimmed) != 1 else ''} dropped" if trimmed else ""
            cursor.insertText(f"   · written twice ({defects}); {kept}{dropped}", self._meta)

    def on_event_topic(self, d: ev.TopicData) -> None:
        self._on_turn("topic", d)

    def on_event_opinion(self, d: ev.OpinionData) -> None:
        self._on_turn("opinion", d)

    def on_event_rebuttal(self, d: ev.RebuttalData) -> None:
        self._on_turn("rebuttal", d)

    def on_event_answer(self, d: ev.AnswerData) -> None:
        self._on_turn("answer", d)

    def on_event_synthesis(self, d: ev.SynthesisData) -> None:
        self._on_turn("synthesis", d)

    def on_event_review(self, d: ev.ReviewData) -> None:
        rows = d.get("scores") or []
        scores = " · ".join(f"{self.roster.name(r.get('target'))} {r.get('score')}" for r in rows)
        # The validity findings (core/validity.py) that set a score, named as the reader knows the member.
        found = "; ".join(f"{self.roster.name(r.get('target'))} {r.get('finding')}" for r in rows if r.get("finding"))
        self._on_ballot(d.get("reviewer"), d, "ballot", " scores  ", scores, found)

    def on_event_ranking(self, d: ev.RankingData) -> None:
        order = " > ".join(self.roster.name(m) for m in d.get("order") or [])
        findings = d.get("findings") or {}
        found = "; ".join(f"{self.roster.name(m)} {why}" for m, why in findings.items())
        self._on_ballot(d.get("reviewer"), d, "ranking", " ranks  ", order, found)

    def _on_ballot(self, reviewer: str | None, d: ev.BallotData, what: str, verb: str, result: str,
                   found: str = "") -> None:
        who = [(self.roster.name(reviewer), self._name_fmt(reviewer))]
        if not d.get("valid", True):
            self._append([*who, (f"'s {what} was invalid: {d.get('reason') or 'no reason'}", self._dim)])
        else:
            self._append([*who, (verb, self._dim), (result, self._body)]
                         + ([(f"  ({found})", self._dim)] if found else []))

    def on_event_aggregate(self, d: ev.AggregateData) -> None:
        rows = d.get("rows") or []
        if self.roster.mode == "ask":
            parts = [f"{self.roster.name(r.get('member'))} {r.get('average_rank'):.2f}" for r in rows
                     if isinstance(r.get("average_rank"), int | float)]
            self._append([("Average rank (lower is better): ", self._dim), (" · ".join(parts), self._body)])
            return
        parts = [f"{self.roster.name(r.get('member'))} {r.get('mean_score'):.1f}" for r in rows
                 if isinstance(r.get("mean_score"), int | float)]
        self._append([("Mean scores: ", self._dim), (" · ".join(parts), self._body)])
        bottom = [self.roster.name(m) for m in d.get("bottom") or []]
        if bottom:
            self._append([("Bottom two, who answer their critics: ", self._dim), (" and ".join(bottom), self._body)])

    def on_event_alliance(self, d: ev.AllianceData) -> None:
        member = d.get("member")
        agree = ", ".join(self.roster.name(m) for m in d.get("agree") or []) or "nobody"
        disagree = ", ".join(self.roster.name(m) for m in d.get("disagree") or []) or "nobody"
        self._append([(self.roster.name(member), self._name_fmt(member)), (" agrees with ", self._dim),
                      (agree, self._body), ("; disagrees with ", self._dim), (disagree, self._body)]
                     + ([(f"  ({d.get('reason')})", self._dim)] if d.get("reason") else []))

    def on_event_chair_changed(self, d: ev.ChairChangedData) -> None:
        self._append([(f"The chair passes to {self.roster.name(d.get('chairman'))}: {d.get('reason') or ''}",
                       self._gold)])

    def on_event_member_failed(self, d: ev.MemberFailedData) -> None:
        member = d.get("member")
        if isinstance(member, str):
            self._open.pop(member, None)
        self._append([(f"⚠ {self.roster.name(member)} failed", self._warn),
                      (f" (stage {d.get('stage', '?')}): {d.get('reason') or 'no reason given'}", self._dim),
                      (f" — {self.roster.ok} of {self.roster.total} members", self._dim)])

    def on_event_achievement(self, d: ev.AchievementData) -> None:
        self._append([(f"★ {self.roster.name(d.get('member'))} earned {d.get('badge')}", self._gold),
                      (f" — {d.get('reason') or ''}", self._dim)])

    def on_event_complete(self, d: ev.CompleteData) -> None:
        status = d.get("status")
        counts = f"{self.roster.ok} of {self.roster.total} members"
        if status == "finished":
            line, fmt = f"Session finished · {counts}", self._stage
        elif status == "cancelled":
            line, fmt = f"Stopped by the user · {counts}", self._warn
        else:
            line, fmt = f"Session failed: {d.get('reason') or 'unknown error'}", self._warn
        self._ensure_blank()
        self._append([(line, fmt)])
        self._open.clear()

    def on_event_forked(self, d: ev.ForkedData) -> None:
        parts = describe_changes(d.get("changes") or {}, self.roster.name)
        self._ensure_blank()
        self._append([(f"Forked from session {str(d.get('parent') or '')[:8]} at stage {d.get('stage')}: "
                       "everything above is the parent's; from here the council runs again", self._gold),
                      (f" ({'; '.join(parts) or 'nothing changed'})", self._dim)])

    def on_event_viewer_open(self, d: ev.ViewerOpenData) -> None:
        what = "alliances" if d.get("kind") == "alliance" else "the anonymous answers"
        self._append([(f"You may judge {what} while this stage runs.", self._dim)])

    def on_event_viewer_ballot(self, d: ev.ViewerBallotData) -> None:
        counted = " (counted in the aggregate)" if d.get("counted") else " (beside the council's, not counted)"
        if d.get("kind") == "alliance":
            agree = ", ".join(self.roster.name(m) for m in d.get("agree") or []) or "nobody"
            disagree = ", ".join(self.roster.name(m) for m in d.get("disagree") or []) or "nobody"
            self._append([("You", self._gold), (" agree with ", self._dim), (agree, self._body),
                          ("; disagree with ", self._dim), (disagree, self._body)])
            return
        scores = " · ".join(f"{self.roster.name(r.get('target'))} {r.get('score')}" for r in d.get("scores") or [])
        self._append([("You", self._gold), (" score  ", self._dim), (scores, self._body), (counted, self._dim)])

    def on_event_viewer_skipped(self, d: ev.ViewerSkippedData) -> None:
        """The stage closed without the viewer's ballot: nothing to show (judging is never required)."""

    # -- text plumbing ----------------------------------------------------------------------------

    def _name_fmt(self, member: Any) -> QTextCharFormat:
        info = self.roster.members.get(member) if isinstance(member, str) else None
        return _fmt(theme.qcolor(info.color if info else theme.TEXT).lighter(110).name(), bold=True)

    def _append(self, parts: list[tuple[str, QTextCharFormat]]) -> None:
        cursor = QTextCursor(self._view.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        if not self._view.document().isEmpty():
            cursor.insertBlock()
        for text, fmt in parts:
            cursor.insertText(text, fmt)

    def _ensure_blank(self) -> None:
        doc = self._view.document()
        if not doc.isEmpty() and doc.lastBlock().text().strip():
            self._append([])

    def _open_turn(self, member: str, kind: str) -> None:
        """Header, body and a trailing blank line; the body's cursors never sit at the document's end,
        so later appends cannot drag them along."""
        self._open.pop(member, None)
        self._ensure_blank()
        label = "the council's answer" if kind == "synthesis" and self.roster.mode == "ask" else \
            KIND_LABELS.get(kind, kind)
        self._append([(self.roster.name(member), self._name_fmt(member)), ("  " + label, self._dim)])
        doc = self._view.document()
        cursor = QTextCursor(doc)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertBlock()  # the body
        cursor.insertBlock()  # the trailing blank line
        body = doc.lastBlock().previous().position()
        start = QTextCursor(doc)
        start.setPosition(body)
        start.setKeepPositionOnInsert(True)
        end = QTextCursor(doc)
        end.setPosition(body)
        self._open[member] = (start, end)

    @contextmanager
    def _keeping_scroll(self) -> Iterator[None]:
        bar = self._view.verticalScrollBar()
        at_bottom = bar.value() >= bar.maximum() - 4
        yield
        if at_bottom:
            bar.setValue(bar.maximum())

    def _update_header(self) -> None:
        mode = "Ask" if self.roster.mode == "ask" else "Debate"
        seed = f" · seed {self.roster.seed}" if self.roster.seed is not None else ""
        self._session.setText(f"{mode}{seed}" if self.roster.members else "No session yet")
        ok, total = self.roster.ok, self.roster.total
        self._count.setText(f"{ok} of {total} members" if total else "")
        color = theme.YELLOW if ok < total else theme.TEXT_DIM
        self._count.setStyleSheet(f"color: {color}; font-weight: 600;")
        failed = [f"{m.name}: {m.reason}" for m in self.roster.members.values() if m.status == "failed"]
        self._count.setToolTip(plain_tooltip("\n".join(failed)) if failed else "")


