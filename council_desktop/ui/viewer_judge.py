"""ViewerJudgePanel: the viewer as a sixth judge — score the anonymous answers (or declare alliances)
while the council judges; the council never waits for it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..core.events import Event
from ..core.viewer import ViewerBallot
from . import theme
from .plain import plain_label

STANCES = ("no stance", "ally", "opponent")
MARGINS = (14, 0, 14, 6)  # around the gold frame: clear of the window's edges, and of the arena below
STYLE = f"""
QFrame#viewerJudge {{ background: {theme.SURFACE}; border: 1px solid {theme.GOLD}; border-radius: 10px; }}
QFrame#viewerCard {{ background: {theme.SURFACE_RAISED}; border-radius: 8px; }}
QLabel#viewerTitle {{ color: {theme.GOLD}; font-weight: 700; }}
QLabel#viewerNote {{ color: {theme.TEXT_DIM}; }}
QPlainTextEdit {{ background: {theme.BACKGROUND}; color: {theme.TEXT}; border: none; }}
"""


class _Card(QFrame):
    """One answer's (or member's) card. The panel keeps its cards from stage to stage and refills them:
    building a stage's widgets afresh cost 30-40 ms of the GUI thread at every stage change."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("viewerCard")
        box = QVBoxLayout(self)
        box.setContentsMargins(8, 6, 8, 6)
        box.setSpacing(4)
        self.heading = plain_label()
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setMaximumHeight(76)
        self.score = QSpinBox()
        self.score.setRange(0, 10)
        self.score.setSpecialValueText("–")
        self.stance = QComboBox()
        self.stance.addItems(list(STANCES))
        for widget in (self.heading, self.text, self.score, self.stance):
            box.addWidget(widget)
        self.setVisible(False)

    def show_answer(self, label: str, text: str) -> None:
        self.heading.setText(label)
        self.text.setPlainText(text)  # model text: plain, never markup
        self.score.setValue(0)
        self.score.setAccessibleName(f"Your score for {label}")
        self.text.setVisible(True)
        self.score.setVisible(True)
        self.stance.setVisible(False)

    def show_alliance(self, name: str, label: str) -> None:
        self.heading.setText(name)
        self.stance.setCurrentIndex(0)
        self.stance.setAccessibleName(f"Your stance on {label}")
        self.text.setVisible(False)
        self.score.setVisible(False)
        self.stance.setVisible(True)


class ViewerJudgePanel(QWidget):
    """Opens on a ``viewer_open`` event with one card per answer (its anonymous label, the answer as plain
    text, a 1–10 score) or per member (alliances: no stance / ally / opponent), and closes when the stage's
    ``viewer_ballot`` or ``viewer_skipped`` arrives. Feed it every event through ``apply``. The gold frame is
    an inner QFrame inside the panel's own margins (``MARGINS``): the frame stands clear of the window's
    edges, and while the panel is hidden it takes no room at all.

    Signals: ``ballot_cast(object ViewerBallot)`` — Cast my ballot; ``count_toggled(bool)`` — whether the
    viewer's scores count in the council's aggregate (the user's setting)."""

    ballot_cast = Signal(object)
    count_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("viewerPanel")
        self.setStyleSheet(STYLE)
        self.frame = QFrame()
        self.frame.setObjectName("viewerJudge")
        self.stage = -1
        self.kind = ""
        self.labels: dict[str, str] = {}
        self._texts: dict[str, str] = {}  # member -> the answer it gave this session (opinion / answer)
        self._names: dict[str, str] = {}
        self.scores: dict[str, QSpinBox] = {}
        self.stances: dict[str, QComboBox] = {}
        self._cards: list[_Card] = []
        self.title = plain_label("", "viewerTitle")
        self.note = plain_label("", "viewerNote")
        self.note.setWordWrap(True)
        self.count_box = QCheckBox("Count my scores in the aggregate")
        self.count_box.setToolTip("Off: your ballot is shown beside the council's and never changes its tally")
        self.cast_button = QPushButton("Cast my ballot")
        self.cast_button.setObjectName("primaryButton")
        self.hide_button = QPushButton("Not this time")
        self.hide_button.setObjectName("flatButton")
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.count_box)
        head.addWidget(self.hide_button)
        head.addWidget(self.cast_button)
        self.cards = QHBoxLayout()
        self.cards.setSpacing(8)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(*MARGINS)
        outer.addWidget(self.frame)
        column = QVBoxLayout(self.frame)
        column.setContentsMargins(12, 8, 12, 10)
        column.setSpacing(6)
        column.addLayout(head)
        column.addWidget(self.note)
        column.addLayout(self.cards)
        for i in range(5):  # a starter council's stage: built with the window, not during a debate
            self._card(i)
        self.setVisible(False)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.cast_button.clicked.connect(self._cast)
        self.hide_button.clicked.connect(lambda: self.setVisible(False))
        self.count_box.toggled.connect(self.count_toggled)

    # -- events -------------------------------------------------------------------------------------

    @Slot(object)
    def apply(self, event: Event) -> None:
        d = event.data
        if event.kind == "roles" and not d.get("preview"):
            self._texts.clear()
            self._names = {str(m["id"]): str(m.get("name") or m["id"]) for m in d.get("members") or []}
            self._close("")
        elif event.kind in ("opinion", "answer") and d.get("member"):
            self._texts[str(d["member"])] = str(d.get("text") or "")
        elif event.kind == "viewer_open":
            self._open(int(d["stage"]), str(d["kind"]), {str(k): str(v) for k, v in (d.get("labels") or {}).items()})
        elif event.kind == "viewer_ballot" and int(d.get("stage", -1)) == self.stage:
            self._close("Your ballot is in: the “You” badges under the members are yours.")
        elif event.kind == "viewer_skipped" and int(d.get("stage", -1)) == self.stage:
            self._close("The council moved on before you cast a ballot; the next stage is yours to judge.")
        elif event.kind == "complete":
            self._close("")

    def _clear_cards(self) -> None:
        for card in self._cards:
            card.setVisible(False)
        self.scores.clear()
        self.stances.clear()

    def _card(self, i: int) -> _Card:
        while len(self._cards) <= i:
            card = _Card()
            self._cards.append(card)
            self.cards.addWidget(card, 1)
        return self._cards[i]

    def _open(self, stage: int, kind: str, labels: dict[str, str]) -> None:
        self._clear_cards()
        self.stage, self.kind, self.labels = stage, kind, labels
        if kind == "alliance":
            self.title.setText(f"Stage {stage} · your alliances")
            self.note.setText("Whom do you side with? The council declares its own alliances meanwhile.")
        else:
            self.title.setText(f"Stage {stage} · you judge too")
            self.note.setText("Score the anonymous answers 1–10, as the council does (0 leaves one unscored). "
                              "The council will not wait: cast your ballot before it finishes judging.")
        for i, (label, member) in enumerate(labels.items()):
            card = self._card(i)
            if kind == "alliance":
                card.show_alliance(self._names.get(member, label), label)
                self.stances[member] = card.stance
            else:
                card.show_answer(label, self._texts.get(member, ""))
                self.scores[label] = card.score
            card.setVisible(True)
        self.cast_button.setEnabled(True)
        self.setVisible(True)

    def _close(self, message: str) -> None:
        self.stage, self.kind = -1, ""
        self.cast_button.setEnabled(False)
        self._clear_cards()
        if message:
            self.title.setText("Your ballot")
            self.note.setText(message)
        else:
            self.setVisible(False)

    # -- the ballot ---------------------------------------------------------------------------------

    def ballot(self) -> ViewerBallot | None:
        """What the cards say now (None when nothing is scored or declared)."""
        if self.stage < 0:
            return None
        if self.kind == "alliance":
            agree = [m for m, c in self.stances.items() if c.currentText() == "ally"]
            disagree = [m for m, c in self.stances.items() if c.currentText() == "opponent"]
            return ViewerBallot(self.stage, self.kind, agree=agree, disagree=disagree)
        scores = {lab: spin.value() for lab, spin in self.scores.items() if spin.value() > 0}
        return ViewerBallot(self.stage, self.kind, scores=scores) if scores else None

    def _cast(self) -> None:
        ballot = self.ballot()
        if ballot is None:
            self.note.setText("Score at least one answer first (1–10).")
            return
        self.cast_button.setEnabled(False)
        self.note.setText("Sending your ballot…")
        self.ballot_cast.emit(ballot)

    @Slot(str)
    def show_refusal(self, reason: str) -> None:
        """The ballot could not be taken (the stage had closed, a bad score): say why, keep the cards."""
        self.note.setText(f"Your ballot was not counted: {reason}")
        self.cast_button.setEnabled(self.stage >= 0)

    def set_count_in_aggregate(self, on: bool) -> None:
        self.count_box.blockSignals(True)
        self.count_box.setChecked(on)
        self.count_box.blockSignals(False)

    def state(self) -> dict[str, Any]:
        """What the panel shows (tests read it as a person would)."""
        return {"visible": not self.isHidden(), "stage": self.stage, "kind": self.kind, "labels": list(self.labels),
                "title": self.title.text(), "note": self.note.text(), "can_cast": self.cast_button.isEnabled()}
