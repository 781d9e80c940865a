"""AnalyticsView: the leaderboard, a member's history, head to head and personality, as one page."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QHBoxLayout, QTabWidget, QVBoxLayout, QWidget

from ...services.history import HistoryService
from .. import theme
from ..loading import LOADING
from .charts import CARD_STYLE, configure, label
from .head_to_head import HeadToHeadPanel
from .insights import AuditPanel, ModelLeaderboardPanel, ViewerAgreementPanel
from .leaderboard import LeaderboardPanel
from .member_history import MemberHistoryPanel
from .personality import PersonalityPanel

TAB_STYLE = f"""
    QTabWidget#analyticsTabs::pane {{ border: none; }}
    QTabWidget#analyticsTabs QTabBar::tab {{ background: transparent; color: {theme.TEXT_DIM}; padding: 7px 16px;
        margin-right: 6px; border: 1px solid {theme.BORDER}; border-radius: 14px; font-weight: 600; }}
    QTabWidget#analyticsTabs QTabBar::tab:selected {{ background: {theme.SURFACE_RAISED}; color: {theme.GOLD};
        border-color: {theme.GOLD}; }}
    QTabWidget#analyticsTabs QTabBar::tab:hover {{ color: {theme.TEXT}; }}
"""


class AnalyticsView(QWidget):
    """Seven panels on sub-tabs; every one reloads when ``history.changed`` fires (a debate ended, a
    session was deleted).

    Signals: none."""

    def __init__(self, history: HistoryService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        configure()
        self.setObjectName("analyticsView")
        self.history = history
        self.leaderboard = LeaderboardPanel(history)
        self.member_history = MemberHistoryPanel(history)
        self.head_to_head = HeadToHeadPanel(history)
        self.personality = PersonalityPanel(history)
        self.by_model = ModelLeaderboardPanel(history)
        self.audit = AuditPanel(history)
        self.viewer = ViewerAgreementPanel(history)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("analyticsTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.leaderboard, "Leaderboard")
        self.tabs.addTab(self.by_model, "By model")
        self.tabs.addTab(self.member_history, "Member history")
        self.tabs.addTab(self.head_to_head, "Head to head")
        self.tabs.addTab(self.personality, "Personality")
        self.tabs.addTab(self.audit, "Bias audit")
        self.tabs.addTab(self.viewer, "You vs the council")
        head = QHBoxLayout()
        head.addWidget(label("Analytics", "pageTitle"))
        head.addSpacing(10)
        head.addWidget(label("Finished sessions only: an interrupted debate has no settled scores.", "pageSubtitle"))
        head.addStretch(1)
        self.loading_label = label(LOADING, "pageSubtitle")  # while a panel's figures are being read
        head.addWidget(self.loading_label)
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 18, 24, 18)
        column.setSpacing(12)
        column.addLayout(head)
        column.addWidget(self.tabs, 1)
        self.setStyleSheet(CARD_STYLE + TAB_STYLE)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.history.changed.connect(self.refresh)
        for panel in self.panels():
            panel.loader.busy_changed.connect(self._show_loading)
        self._show_loading()

    def panels(self) -> tuple[LeaderboardPanel | MemberHistoryPanel | HeadToHeadPanel | PersonalityPanel
                              | ModelLeaderboardPanel | AuditPanel | ViewerAgreementPanel, ...]:
        return (self.leaderboard, self.member_history, self.head_to_head, self.personality, self.by_model,
                self.audit, self.viewer)

    def _show_loading(self, *_: object) -> None:
        self.loading_label.setVisible(self.loading)

    @property
    def loading(self) -> bool:
        return any(panel.loader.busy for panel in self.panels())

    @Slot()
    def refresh(self) -> None:
        for panel in self.panels():
            panel.refresh()
