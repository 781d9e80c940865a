"""The history database (peewee on SQLite, no Qt): every session's events, badges and personalities."""

from __future__ import annotations

from .errors import StorageError
from .queries import BadgeRow, HeadToHead, HistoryPoint, LeaderboardRow, PersonalityPoint, SessionRow
from .store import SessionRecorder, Store

__all__ = [
    "BadgeRow", "HeadToHead", "HistoryPoint", "LeaderboardRow", "PersonalityPoint", "SessionRecorder",
    "SessionRow", "StorageError", "Store",
]
