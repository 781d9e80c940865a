"""HallOfFameView: every badge with its rule, who holds it and when, and a way back to the moment."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...services.history import BadgeAward, HistoryService
from .. import theme
from ..layouts import clear_layout
from ..loading import LOADING, Loader
from ..plain import plain_tooltip
from ..sessions.formatting import local_time
from .charts import label

GLYPHS = {"Comeback King": "♛", "Unanimous": "★", "Contrarian": "⚡", "Peacemaker": "☮", "Iron Wall": "♜",
          "Silver Tongue": "❝", "Workhorse": "⚒", "Dark Horse": "♞", "Rivalry": "⚔", "Best Friends": "❤"}
HOLDERS_SHOWN = 5

STYLE = f"""
    QWidget#hallOfFame {{ background: {theme.BACKGROUND}; }}
    QScrollArea, QWidget#hallGrid {{ background: {theme.BACKGROUND}; }}
    QFrame#badgeCard {{ background: {theme.SURFACE}; border: 1px solid {theme.BORDER}; border-radius: 12px; }}
    QFrame#badgeCard[earned="true"] {{ border-color: #5c4d2f; }}
    QLabel#badgeGlyph {{ color: {theme.INK}; background: {theme.GOLD}; border-radius: 22px; font-size: 22px; }}
    QLabel#badgeGlyph[earned="false"] {{ color: {theme.MUTED}; background: {theme.SURFACE_RAISED}; }}
    QLabel#badgeName {{ color: {theme.TEXT}; font-size: 16px; font-weight: 700; }}
    QLabel#badgeRule {{ color: {theme.TEXT_DIM}; }}
    QLabel#badgeCount {{ color: {theme.GOLD}; font-weight: 700; }}
    QLabel#holderName {{ color: {theme.TEXT}; font-weight: 700; }}
    QLabel#holderWhere {{ color: {theme.TEXT_DIM}; }}
    QLabel#holderReason {{ color: {theme.MUTED}; font-size: 12px; }}
    QLabel#notYet {{ color: {theme.MUTED}; font-style: italic; }}
    QLabel#pageTitle {{ color: {theme.TEXT}; font-size: 20px; font-weight: 700; }}
    QLabel#pageSubtitle {{ color: {theme.TEXT_DIM}; }}
    QPushButton#watchButton {{ background: transparent; color: {theme.BLUE}; border: 1px solid {theme.BORDER};
                               border-radius: 12px; padding: 3px 12px; font-weight: 600; }}
    QPushButton#watchButton:hover {{ border-color: {theme.BLUE}; }}
    QFrame#holderRule {{ background: {theme.SURFACE_RAISED}; max-height: 1px; border: none; }}
"""


class ElidedLabel(QLabel):
    """A one-line plain-text label that shrinks with its column, ending in "…" (the full text on hover)."""

    def __init__(self, text: str, name: str = "") -> None:
        super().__init__()
        self.setTextFormat(Qt.TextFormat.PlainText)
        if name:
            self.setObjectName(name)
        self._full = text
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setToolTip(plain_tooltip(text))
        self._elide()

    def full_text(self) -> str:
        return self._full

    def minimumSizeHint(self) -> QSize:
        return QSize(40, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(20, self.width())
        self.setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width))


class HallOfFameView(QWidget):
    """One card per badge (all ten, earned or not): the rule that earns it, how many times it was earned,
    and the latest holders — member, session topic, date — each with a "Watch the moment" button.
    Reloads on ``history.changed``.

    Signals: ``replay_requested(str session_id, int event_seq)`` — open the replay at the event that
    earned the badge (``-1``: the start, when the moment was not recorded).
    """

    replay_requested = Signal(str, int)

    def __init__(self, history: HistoryService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loader = Loader(self)  # history reads off the GUI thread
        self.setObjectName("hallOfFame")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.history = history
        self.awards: list[BadgeAward] = []
        self.watch_buttons: list[tuple[BadgeAward, QPushButton]] = []
        self.cards: dict[str, QFrame] = {}
        self.subtitle = label("", "pageSubtitle")
        self.grid_host = QWidget()
        self.grid_host.setObjectName("hallGrid")
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 8, 0)
        self.grid.setHorizontalSpacing(14)
        self.grid.setVerticalSpacing(14)
        self.grid.setColumnStretch(0, 1)
        self.grid.setColumnStretch(1, 1)
        scroll = QScrollArea()
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.grid_host)
        head = QHBoxLayout()
        head.addWidget(label("Hall of Fame", "pageTitle"))
        head.addSpacing(10)
        head.addWidget(self.subtitle)
        head.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 18, 24, 18)
        column.setSpacing(12)
        column.addLayout(head)
        column.addWidget(scroll, 1)
        self.setStyleSheet(STYLE)
        self._connect_signals()
        self.refresh()

    def _connect_signals(self) -> None:
        self.history.changed.connect(self.refresh)

    @Slot()
    def refresh(self) -> None:
        """Read the awards off the GUI thread; the cards fill in when they are back."""
        if not self.cards:
            self.subtitle.setText(LOADING)
        self.loader.load(self.history.hall_of_fame, lambda awards: self._show(awards, ""), None,
                         failed=lambda exc: self._show([], str(exc)))

    def _show(self, awards: list[BadgeAward], error: str) -> None:
        self.awards = awards
        clear_layout(self.grid)
        self.watch_buttons = []
        self.cards = {}
        rules = self.history.badges()
        by_badge: dict[str, list[BadgeAward]] = {name: [] for name in rules}
        for award in self.awards:
            by_badge.setdefault(award.badge, []).append(award)
        for i, (name, holders) in enumerate(by_badge.items()):
            card = self._card(name, rules.get(name, ""), holders)
            self.cards[name] = card
            self.grid.addWidget(card, i // 2, i % 2, Qt.AlignmentFlag.AlignTop)
            card.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Maximum)
        self.grid.setRowStretch(len(by_badge) // 2 + 1, 1)
        earned = sum(1 for h in by_badge.values() if h)
        members = len({a.member for a in self.awards})
        n = len(self.awards)
        self.subtitle.setText(error or f"{n} award{'s' if n != 1 else ''} · {earned} of {len(rules)} badges earned "
                                       f"by {members} member{'s' if members != 1 else ''}")

    def _card(self, name: str, rule: str, holders: list[BadgeAward]) -> QFrame:
        card = QFrame()
        card.setObjectName("badgeCard")
        card.setProperty("earned", bool(holders))
        glyph = label(GLYPHS.get(name, "★"), "badgeGlyph")
        glyph.setProperty("earned", bool(holders))
        glyph.setFixedSize(44, 44)
        glyph.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = label(name, "badgeName")
        count = label(f"earned {len(holders)}×" if holders else "", "badgeCount")
        rule_label = label(rule, "badgeRule")
        rule_label.setWordWrap(True)
        heading = QVBoxLayout()
        heading.setSpacing(3)
        title_row = QHBoxLayout()
        title_row.addWidget(title)
        title_row.addStretch(1)
        title_row.addWidget(count)
        heading.addLayout(title_row)
        heading.addWidget(rule_label)
        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(glyph, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(heading, 1)
        column = QVBoxLayout(card)
        column.setContentsMargins(16, 14, 16, 14)
        column.setSpacing(8)
        column.addLayout(top)
        if not holders:
            column.addWidget(label("Not earned yet.", "notYet"))
        for award in holders[:HOLDERS_SHOWN]:
            rule_line = QFrame()
            rule_line.setObjectName("holderRule")
            rule_line.setFrameShape(QFrame.Shape.HLine)
            column.addWidget(rule_line)
            column.addLayout(self._holder_row(award))
        if len(holders) > HOLDERS_SHOWN:
            more = len(holders) - HOLDERS_SHOWN
            column.addWidget(label(f"and {more} earlier award{'s' if more != 1 else ''}", "holderReason"))
        return card

    def _holder_row(self, award: BadgeAward) -> QHBoxLayout:
        who = label(award.name, "holderName")
        where = ElidedLabel(f"{local_time(award.awarded_at)}  ·  {award.topic or '(no topic)'}", "holderWhere")
        reason = ElidedLabel(award.reason, "holderReason")
        text = QVBoxLayout()
        text.setSpacing(1)
        first = QHBoxLayout()
        first.addWidget(who)
        first.addSpacing(6)
        first.addWidget(where, 1)
        text.addLayout(first)
        if award.reason:
            text.addWidget(reason)
        seq = award.event_seq if award.event_seq is not None else -1
        button = QPushButton("▶ Watch the moment" if seq >= 0 else "▶ Watch the session")
        button.setObjectName("watchButton")
        button.setToolTip("Open the replay at the event that earned it")
        button.clicked.connect(lambda _=False, sid=award.session_id, at=seq: self.replay_requested.emit(sid, at))
        self.watch_buttons.append((award, button))
        row = QHBoxLayout()
        row.setSpacing(10)
        row.addLayout(text, 1)
        row.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
        return row

    def holders(self, badge: str) -> list[BadgeAward]:
        return [a for a in self.awards if a.badge == badge]

    def rule_text(self, badge: str) -> str:
        card = self.cards[badge]
        rule = card.findChild(QWidget, "badgeRule")
        return str(rule.text()) if rule is not None and hasattr(rule, "text") else ""
