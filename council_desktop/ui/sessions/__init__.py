"""The session browser: stored sessions listed, searched, replayed, exported and deleted."""

from .browser import SessionBrowser
from .export import ask_export_path, suggested_name

__all__ = ["SessionBrowser", "ask_export_path", "suggested_name"]
