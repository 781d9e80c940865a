"""The session browser and the window's history pages, over a real seeded SQLite history."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMessageBox

from council_desktop.core.events import Event
from council_desktop.services.history import HistoryService
from council_desktop.ui.main_window import PAGES, MainWindow
from council_desktop.ui.sessions import SessionBrowser, suggested_name
from tests.history_seed import S2_TOPIC, Seeded
from tests.ui.pages import loaded

pytestmark = pytest.mark.gui


def browser_for(seed: Seeded, qtbot: Any) -> SessionBrowser:
    browser = SessionBrowser(HistoryService(seed.store))
    qtbot.addWidget(browser)
    assert browser.count_label.text() == "Loading…"  # the rows are read off the GUI thread
    loaded(qtbot)
    return browser


def column(browser: SessionBrowser, name: str) -> list[str]:
    c = ["Date", "Mode", "Topic", "Chairman", "Status", "Members ok"].index(name)
    items = [browser.table.item(r, c) for r in range(browser.table.rowCount())]
    return [item.text() if item is not None else "" for item in items]


def answer_dialogs(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[str]:
    """Every QMessageBox answers ``button`` at once; returns the texts it was asked."""
    asked: list[str] = []

    def exec_(box: QMessageBox) -> int:
        asked.append(box.text())
        assert box.textFormat() == Qt.TextFormat.PlainText
        return int(button.value)

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return asked


def test_the_table_lists_every_session_newest_first(seeded: Seeded, qtbot: Any) -> None:
    browser = browser_for(seeded, qtbot)
    assert [s.id for s in browser.sessions()] == [seeded.s4, seeded.s3, seeded.s2, seeded.s1]
    assert column(browser, "Mode") == ["Ask", "Debate", "Debate", "Debate"]
    assert column(browser, "Topic")[2] == S2_TOPIC
    assert column(browser, "Status") == ["Finished", "Interrupted", "Finished", "Finished"]
    assert column(browser, "Chairman") == ["Judge"] * 4
    assert column(browser, "Members ok") == ["5 of 5"] * 4
    assert all(len(d) == 16 and d[4] == "-" for d in column(browser, "Date"))  # 2025-06-03 14:02, local
    assert browser.count_label.text() == "4 sessions"
    assert not browser.open_button.isEnabled()


def test_search_filters_as_you_type_after_a_pause(seeded: Seeded, qtbot: Any) -> None:
    browser = browser_for(seeded, qtbot)
    qtbot.keyClicks(browser.search_edit, "remote")
    assert browser.table.rowCount() == 4  # debounced: nothing yet
    qtbot.wait_until(lambda: browser.table.rowCount() == 1)
    assert column(browser, "Topic") == [S2_TOPIC] and browser.count_label.text() == "1 session found"
    browser.search_edit.setText("nothing matches this")
    qtbot.wait_until(lambda: browser.table.rowCount() == 0)
    assert browser.empty_label.text() == "No session matches the search."
    browser.search_edit.clear()
    qtbot.wait_until(lambda: browser.table.rowCount() == 4)


def test_double_click_and_the_button_request_a_replay(seeded: Seeded, qtbot: Any) -> None:
    browser = browser_for(seeded, qtbot)
    browser.show()
    qtbot.waitExposed(browser)
    browser.select(seeded.s2)
    assert browser.open_button.isEnabled()
    with qtbot.wait_signal(browser.replay_requested) as blocker:
        qtbot.mouseClick(browser.open_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [seeded.s2, -1]
    item = browser.table.item(3, 2)
    assert item is not None
    rect = browser.table.visualItemRect(item)
    qtbot.mouseClick(browser.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.wait_signal(browser.replay_requested) as blocker:
        qtbot.mouseDClick(browser.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [seeded.s1, -1]


def test_export_asks_for_a_file_and_writes_it(seeded: Seeded, qtbot: Any, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    browser = browser_for(seeded, qtbot)
    asked: list[str] = []

    def save_dialog(parent: Any, title: str, start: str, filters: str) -> tuple[str, str]:
        asked.append(Path(start).name)
        return str(tmp_path / "chosen"), "JSON (*.json)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    browser.select(seeded.s2)
    with qtbot.wait_signal(browser.exported) as blocker:
        qtbot.mouseClick(browser.export_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [str(tmp_path / "chosen.json")]
    assert json.loads((tmp_path / "chosen.json").read_text(encoding="utf-8"))["topic"] == S2_TOPIC
    assert asked and asked[0].startswith("council-") and asked[0].endswith("-is-remote-work-here-to-stay.md")
    assert suggested_name("  <b>Cats?</b> & dogs!", "2025-06-03T10:00:00Z", ".html") == \
        "council-2025-06-03-b-cats-b-dogs.html"


def test_delete_asks_first_and_removes(fresh: Seeded, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    browser = browser_for(fresh, qtbot)
    browser.select(fresh.s2)
    asked = answer_dialogs(monkeypatch, QMessageBox.StandardButton.Cancel)
    with qtbot.assert_not_emitted(browser.deleted):
        qtbot.mouseClick(browser.delete_button, Qt.MouseButton.LeftButton)
    assert asked == [f"Delete the session “{S2_TOPIC}”?"]
    assert browser.table.rowCount() == 4 and fresh.store.session(fresh.s2) is not None
    answer_dialogs(monkeypatch, QMessageBox.StandardButton.Yes)
    with qtbot.wait_signal(browser.deleted) as blocker:
        qtbot.mouseClick(browser.delete_button, Qt.MouseButton.LeftButton)
    loaded(qtbot)
    assert blocker.args == [fresh.s2]
    assert fresh.store.session(fresh.s2) is None
    assert fresh.s2 not in [s.id for s in browser.sessions()] and browser.table.rowCount() == 3
    assert browser.selected_id() is None and not browser.delete_button.isEnabled()


# -- the window's pages ---------------------------------------------------------------------------------


@pytest.fixture
def paged(qtbot: Any, settings: QSettings, seeded: Seeded) -> Iterator[MainWindow]:
    window = MainWindow(settings=settings)
    qtbot.addWidget(window)
    window.set_history(HistoryService(seeded.store))
    loaded(qtbot)
    yield window
    window.close()


def test_without_a_history_there_is_one_page_and_export_is_a_request(window: MainWindow, qtbot: Any,
                                                                     tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    assert window.pages.count() == 1 and window.page_bar.isHidden()
    assert [a.isEnabled() for a in window.page_actions] == [True, False, False, False, False]
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a: (str(tmp_path / "t.html"), "HTML (*.html)"))
    with qtbot.wait_signal(window.export_requested) as blocker:
        window.export_action.trigger()
    assert blocker.args == [str(tmp_path / "t.html")]
    with qtbot.wait_signal(window.settings_requested):
        window.settings_action.trigger()
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&File", "&Council", "&View", "&Help"]


def test_set_history_adds_the_pages_and_ctrl_numbers_switch(paged: MainWindow, qtbot: Any) -> None:
    assert [paged.page_bar.tabText(i) for i in range(paged.pages.count())] == list(PAGES)
    paged.show()
    qtbot.waitExposed(paged)
    paged.activateWindow()
    qtbot.wait_until(lambda: QApplication.activeWindow() is paged)
    assert paged.members_dock.isVisible()
    for i, name in enumerate(PAGES):
        qtbot.keyClick(paged, Qt.Key(Qt.Key.Key_1 + i), Qt.KeyboardModifier.ControlModifier)
        assert paged.current_page() == name
        assert paged.members_dock.isVisible() == (name == "Arena")  # the live docks belong to the arena
    paged.page_bar.setCurrentIndex(PAGES.index("Sessions"))  # a click on the tab
    assert paged.pages.currentWidget() is paged.sessions_view and paged.current_page() == "Sessions"
    with pytest.raises(RuntimeError):
        paged.set_history(paged.history)  # type: ignore[arg-type]


def test_the_sessions_page_opens_the_replay(paged: MainWindow, seeded: Seeded, qtbot: Any) -> None:
    assert paged.sessions_view is not None and paged.replay_view is not None
    paged.show_page(PAGES.index("Sessions"))
    paged.sessions_view.select(seeded.s1)
    paged.sessions_view.open_selected()
    loaded(qtbot)
    assert paged.current_page() == "Replay" and paged.replay_view.session_id == seeded.s1
    assert paged.replay_view.controller.count > 20


def test_watch_the_moment_opens_the_replay_at_that_event(paged: MainWindow, seeded: Seeded, qtbot: Any) -> None:
    assert paged.hall_view is not None and paged.replay_view is not None
    _award, button = next((a, b) for a, b in paged.hall_view.watch_buttons if a.badge == "Unanimous")
    with qtbot.wait_signal(paged.hall_view.replay_requested) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert blocker.args == [seeded.s2, 20]
    loaded(qtbot)
    assert paged.current_page() == "Replay"
    c = paged.replay_view.controller
    assert paged.replay_view.session_id == seeded.s2 and c.events[c.position].seq >= 20 > c.events[c.position - 1].seq


def test_file_export_takes_the_replayed_session(paged: MainWindow, seeded: Seeded, tmp_path: Path, qtbot: Any,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(tmp_path / "out.json"), "JSON (*.json)"))
    assert paged.open_replay(seeded.s3, -1)
    loaded(qtbot)
    assert paged.history is not None
    threads: list[str] = []
    real_export = paged.history.export

    def export(*args: Any) -> Path:
        threads.append(threading.current_thread().name)
        return real_export(*args)

    monkeypatch.setattr(paged.history, "export", export)
    with qtbot.assert_not_emitted(paged.export_requested):  # with a history the window exports itself
        paged.export_action.trigger()
        loaded(qtbot)
    doc = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert (doc["session_id"], doc["status"]) == (seeded.s3, "interrupted")
    assert "out.json" in paged.statusBar().currentMessage()
    paged.show_page(0)
    paged.export_action.trigger()  # on the arena page: the latest session
    loaded(qtbot)
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["session_id"] == seeded.s4
    assert threads == ["council-storage_0"] * 2  # written on the storage thread, never the GUI thread


def test_convening_from_another_page_returns_to_the_arena(paged: MainWindow, qtbot: Any,
                                                          debate_events: list[Event]) -> None:
    paged.show_page(PAGES.index("Analytics"))
    with qtbot.wait_signal(paged.convene_requested):
        paged.convene_button.click()
    assert paged.current_page() == "Arena"
    for event in debate_events:
        paged.on_event(event)
    assert paged.scene.snapshot()["stage"] == (5, "synthesis")


def test_every_label_on_every_page_is_plain_text(paged: MainWindow, seeded: Seeded, qtbot: Any) -> None:
    paged.open_replay(seeded.s2, -1)
    loaded(qtbot)
    labels = paged.findChildren(QLabel)
    assert len(labels) > 50 and all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)


def test_motion_setting_reaches_the_replay(paged: MainWindow) -> None:
    assert paged.replay_view is not None
    paged.reduce_motion_action.trigger()
    assert paged.replay_view.scene.reduced_motion
    paged.set_reduced_motion(False)
    assert not paged.replay_view.scene.reduced_motion


def test_closing_on_another_page_keeps_the_dock_layout(qtbot: Any, settings: QSettings, seeded: Seeded) -> None:
    first = MainWindow(settings=settings)
    qtbot.addWidget(first)
    first.set_history(HistoryService(seeded.store))
    first.show()
    qtbot.waitExposed(first)
    first.show_page(PAGES.index("Hall of Fame"))
    assert not first.members_dock.isVisible()
    first.close()
    second = MainWindow(settings=settings)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert second.members_dock.isVisible() and second.transcript_dock.isVisible()
    second.close()
