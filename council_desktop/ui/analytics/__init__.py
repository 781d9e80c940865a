"""Analytics (pyqtgraph, themed) and the Hall of Fame, read through the HistoryService."""

from .hall_of_fame import HallOfFameView
from .head_to_head import HeadToHeadPanel
from .leaderboard import LeaderboardPanel
from .member_history import MemberHistoryPanel
from .personality import PersonalityPanel
from .view import AnalyticsView

__all__ = ["AnalyticsView", "HallOfFameView", "HeadToHeadPanel", "LeaderboardPanel", "MemberHistoryPanel",
           "PersonalityPanel"]
