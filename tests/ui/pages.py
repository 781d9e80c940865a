"""The history pages read off the GUI thread (ui/loading.py): tests wait for those reads to come back."""

from __future__ import annotations

from typing import Any

from council_desktop.ui.loading import idle


def loaded(qtbot: Any, timeout: int = 5000) -> None:
    """Turn the event loop until every page's history read has come back and been shown."""
    qtbot.wait_until(idle, timeout=timeout)
