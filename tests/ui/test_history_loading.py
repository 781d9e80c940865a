"""The history pages read off the GUI thread (ui/loading.py over services.query_op.QueryOp): each shows a
quiet "Loading…" while its read is out and fills in when it is back, the GUI thread never waits, and a
reload asked while another is pending wins — the older result is never shown."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtCore import QTimer

from council_desktop.services.history import HistoryService
from council_desktop.storage import Store
from council_desktop.ui.analytics import AnalyticsView
from council_desktop.ui.analytics.hall_of_fame import HallOfFameView
from council_desktop.ui.loading import LOADING, idle
from council_desktop.ui.replay import ReplayView
from council_desktop.ui.sessions import SessionBrowser
from tests.history_seed import Seeded
from tests.ui.pages import loaded

pytestmark = pytest.mark.gui


class GatedHistory(HistoryService):
    """Reads wait while ``gate`` is closed (the storage thread is one: later reads queue behind), and note
    the thread they ran on."""

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.gate = threading.Event()
        self.gate.set()
        self.threads: set[str] = set()

    def _wait(self) -> None:
        self.threads.add(threading.current_thread().name)
        assert self.gate.wait(10), "the test never opened the gate"

    def sessions(self, search: str = "", limit: int = 200) -> Any:
        self._wait()
        return super().sessions(search, limit)

    def leaderboard(self) -> Any:
        self._wait()
        return super().leaderboard()

    def hall_of_fame(self, limit: int = 500) -> Any:
        self._wait()
        return super().hall_of_fame(limit)

    def events(self, session_id: str) -> Any:
        self._wait()
        return super().events(session_id)


@pytest.fixture
def history(seeded: Seeded) -> GatedHistory:
    return GatedHistory(seeded.store)


def test_pages_say_loading_while_the_read_is_out_and_fill_in_after(history: GatedHistory, seeded: Seeded,
                                                                  qtbot: Any) -> None:
    history.gate.clear()
    browser, analytics, hall, replay = (SessionBrowser(history), AnalyticsView(history), HallOfFameView(history),
                                        ReplayView(history))
    for page in (browser, analytics, hall, replay):
        qtbot.addWidget(page)
    replay.open_session(seeded.s2)
    # The reads wait on the storage thread; the GUI thread goes on (a timer fires) and every page says so.
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(5)
    qtbot.wait_until(lambda: len(ticks) >= 5)
    timer.stop()
    assert not idle()
    assert browser.count_label.text() == LOADING and browser.table.rowCount() == 0
    assert analytics.loading and not analytics.loading_label.isHidden()
    assert analytics.leaderboard.table.rowCount() == 0
    assert hall.subtitle.text() == LOADING and not hall.cards
    assert replay.placeholder_text.text() == LOADING and replay.session_id == ""
    history.gate.set()
    loaded(qtbot)
    assert history.threads == {"council-storage_0"}  # never the GUI thread
    assert browser.count_label.text() == "4 sessions" and browser.table.rowCount() == 4
    assert not analytics.loading and analytics.loading_label.isHidden()
    assert analytics.leaderboard.table.rowCount() == 5
    assert hall.subtitle.text().startswith("2 awards")
    assert replay.session_id == seeded.s2 and replay.controller.count > 20


def test_a_second_search_while_the_first_is_out_wins_and_the_first_is_never_shown(
        history: GatedHistory, qtbot: Any) -> None:
    browser = SessionBrowser(history)
    qtbot.addWidget(browser)
    loaded(qtbot)
    shown: list[int] = []
    real = browser._show
    browser._show = lambda rows, search, error: (shown.append(len(rows)), real(rows, search, error))  # type: ignore[method-assign]
    history.gate.clear()
    browser.search_edit.setText("remote")
    browser.refresh()
    browser.search_edit.setText("")
    browser.refresh()  # asked while the first is out
    qtbot.wait(50)
    assert shown == [] and browser.count_label.text() == LOADING
    history.gate.set()  # the first search's one row comes back first…
    loaded(qtbot)
    assert shown == [4] and browser.table.rowCount() == 4  # …and is dropped: the newest is shown
    assert browser.count_label.text() == "4 sessions"


def test_a_session_opened_while_another_loads_wins_in_replay(history: GatedHistory, seeded: Seeded,
                                                             qtbot: Any) -> None:
    replay = ReplayView(history)
    qtbot.addWidget(replay)
    opened: list[str] = []
    replay.session_opened.connect(opened.append)
    history.gate.clear()
    replay.open_session(seeded.s2)
    replay.open_session(seeded.s1)
    qtbot.wait(50)
    assert opened == []
    history.gate.set()
    loaded(qtbot)
    assert opened == [seeded.s1] and replay.session_id == seeded.s1
    replay.shutdown()


def test_analytics_shows_only_the_newest_reload(history: GatedHistory, qtbot: Any) -> None:
    view = AnalyticsView(history)
    qtbot.addWidget(view)
    loaded(qtbot)
    shown: list[int] = []
    real = view.leaderboard._show
    view.leaderboard._show = lambda entries: (shown.append(len(entries)), real(entries))  # type: ignore[method-assign]
    history.gate.clear()
    view.refresh()
    view.refresh()
    assert view.loading
    history.gate.set()
    loaded(qtbot)
    assert shown == [5] and not view.loading
