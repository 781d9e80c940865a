"""The Settings dialog on a real ModelManager (and the local fake hub): the catalogue rows, their buttons,
progress and failure text, the seat combos, the RAM estimate and Apply."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from council_desktop.downloads import install_path
from council_desktop.downloads.files import part_paths
from council_desktop.downloads.registry import InstalledModel, now_iso, register
from council_desktop.llm.catalogue import CHAMPIONS, STARTER
from council_desktop.services.model_manager import ModelManager, ModelRow, SeatChoice
from council_desktop.ui.settings import ModelRowWidget, SettingsDialog
from council_desktop.ui.settings.add_dialogs import AddFileDialog, AddHubDialog
from council_desktop.ui.settings.formatting import ram_summary
from tests.downloads.fakehub import FakeHub, Fault, make_gguf

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("local_network_only")]

TIMEOUT_MS = 20_000
TINY = replace(CHAMPIONS[2], id="tiny-test", name="Tiny Test", repo="council-test/Tiny-GGUF", filename="tiny.gguf",
               revision="main", size_bytes=0, sha256=None)
TINYLLAMA, GEMMA, SMOL, QWEN, DANUBE = CHAMPIONS


@pytest.fixture(scope="module")
def data() -> bytes:
    return make_gguf(2 * 1024 * 1024 + 777)


@pytest.fixture
def hub(data: bytes) -> Iterator[FakeHub]:
    server = FakeHub()
    server.host(TINY.repo, TINY.filename, data)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def saved() -> list[dict[str, Any]]:
    return []


@pytest.fixture
def manager(tmp_path: Path, hub: FakeHub, saved: list[dict[str, Any]]) -> Iterator[ModelManager]:
    options = {"endpoint": hub.url, "token": False, "retries": 1, "stall_seconds": 5.0, "backoff_s": 0.01,
               "max_backoff_s": 0.05}
    m = ModelManager(tmp_path / "models", {}, lambda s: saved.append(json.loads(json.dumps(s))),
                     catalogue=(*CHAMPIONS, TINY), download_options=options, probe_local_files=False)
    yield m
    assert m.shutdown(10)


@pytest.fixture
def dialog(qtbot: Any, manager: ModelManager) -> SettingsDialog:
    d = SettingsDialog(manager)
    d.models_tab.confirm = lambda title, text: True
    qtbot.addWidget(d)
    return d


def install_fake(manager: ModelManager, spec: Any, size: int = 64 * 1024) -> Path:
    """Register a small valid GGUF as if ``spec`` had been downloaded and verified."""
    dest = install_path(spec, manager.models_dir)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(make_gguf(size))
    register(manager.models_dir, InstalledModel(spec.id, dest, dest.name, size, "0" * 64, "hub", "hub", spec.repo,
                                                "main", "", now_iso()))
    return dest


def buttons(widget: ModelRowWidget) -> tuple[str, bool, bool]:
    """(primary text or "" when hidden, verify enabled, remove enabled)."""
    primary = widget.primary.text() if not widget.primary.isHidden() and widget.primary.isEnabled() else ""
    return primary, widget.verify.isEnabled(), widget.remove.isEnabled()


def test_the_dialog_lists_the_five_champions_and_the_bundled_starter(dialog: SettingsDialog) -> None:
    rows = dialog.models_tab.rows
    assert list(rows)[:6] == [STARTER.id, *(c.id for c in CHAMPIONS)]
    starter = rows[STARTER.id]
    assert starter.state.text() == "Bundled" and starter.name.text() == STARTER.name
    tinyllama = rows[TINYLLAMA.id]
    assert (tinyllama.name.text(), tinyllama.size_label.text(), tinyllama.licence.text(),
            tinyllama.chat_format.text()) == ("TinyLlama 1.1B Chat", "668.8 MB", "Apache 2.0", "zephyr")
    assert tinyllama.ram.text().endswith("GB") and tinyllama.state.text() == "Not installed"
    assert rows[GEMMA.id].licence.text() == "Gemma terms"
    assert "Google" in rows[GEMMA.id].subtitle.text()


def test_buttons_enable_and_disable_by_state(qtbot: Any, dialog: SettingsDialog, manager: ModelManager,
                                            hub: FakeHub) -> None:
    install_fake(manager, SMOL)
    part, sidecar = part_paths(install_path(DANUBE, manager.models_dir))
    part.parent.mkdir(parents=True, exist_ok=True)
    part.write_bytes(b"\0" * 1000)
    sidecar.write_text(json.dumps({"size": 4000}))
    dialog.models_tab.refresh()
    rows = dialog.models_tab.rows
    assert buttons(rows[STARTER.id]) == ("", True, False)
    assert buttons(rows[TINYLLAMA.id]) == ("Download", False, False)
    assert buttons(rows[SMOL.id]) == ("", True, True)
    assert buttons(rows[DANUBE.id]) == ("Resume", False, True)
    assert rows[DANUBE.id].state.text() == "Paused 25%"
    assert "Paused at 25%: 1.0 kB of 4.0 kB kept" in rows[DANUBE.id].progress_text.text()
    hub.faults.append(Fault("stall", after=128 * 1024, seconds=30))
    qtbot.mouseClick(rows[TINY.id].primary, Qt.MouseButton.LeftButton)
    part = part_paths(install_path(TINY, manager.models_dir))[0]
    qtbot.wait_until(lambda: part.is_file() and part.stat().st_size == 128 * 1024, timeout=TIMEOUT_MS)
    assert buttons(rows[TINY.id]) == ("Cancel", False, False)
    assert rows[TINY.id].state.text() == "Downloading" and not rows[TINY.id].progress_line.isHidden()
    with qtbot.wait_signal(manager.download_finished, timeout=TIMEOUT_MS):
        qtbot.mouseClick(rows[TINY.id].primary, Qt.MouseButton.LeftButton)
    assert buttons(rows[TINY.id]) == ("Resume", False, True)


def test_a_progress_update_shows_bytes_percent_speed_and_eta(qtbot: Any) -> None:
    row = ModelRow(id=GEMMA.id, name=GEMMA.name, company="Google", size_bytes=GEMMA.size_bytes, license="gemma",
                   chat_format="gemma", ram_mb=GEMMA.ram_mb, params_millions=268, state="not installed",
                   kind="catalogue", actions=frozenset({"download"}))
    widget = ModelRowWidget(row)
    qtbot.addWidget(widget)
    assert widget.progress_line.isHidden()
    widget.show_row(replace(row, state="downloading", phase="downloading", done_bytes=119_400_000,
                            total_bytes=253_000_000, speed_bps=4_250_000.0, eta_s=31.4,
                            actions=frozenset({"cancel"})))
    assert not widget.progress_line.isHidden()
    assert widget.progress_text.text() == "119.4 MB of 253.0 MB · 47% · 4.2 MB/s · about 31 s left"
    assert widget.progress.value() == 472 and widget.primary.text() == "Cancel"
    widget.show_row(replace(row, state="downloading", phase="retrying", done_bytes=119_400_000,
                            total_bytes=253_000_000, message="the connection dropped; retrying in 2.0 s",
                            actions=frozenset({"cancel"})))
    assert widget.progress_text.text().startswith("The connection dropped; retrying in 2.0 s · 119.4 MB")
    widget.show_row(replace(row, state="downloading", phase="downloading", done_bytes=1_000_000,
                            total_bytes=253_000_000, speed_bps=250_000.0, eta_s=4000.0))
    assert widget.progress_text.text().endswith("250.0 kB/s · about 1 h 7 min left")
    widget.show_row(replace(row, state="failed", done_bytes=50_600_000, total_bytes=253_000_000,
                            last_error="the connection dropped; gave up after 7 attempts",
                            actions=frozenset({"resume", "remove"})))
    assert widget.progress_text.text() == "50.6 MB of 253.0 MB (20%) kept. Resume continues from there."
    assert widget.primary.text() == "Resume" and widget.error.text().startswith("Failed: the connection dropped")


def test_live_progress_reaches_the_row_from_a_real_download(qtbot: Any, dialog: SettingsDialog, hub: FakeHub,
                                                            data: bytes) -> None:
    hub.faults.append(Fault("stall", after=256 * 1024, seconds=30))
    row = dialog.models_tab.rows[TINY.id]
    row.primary.setFocus()
    qtbot.keyClick(row.primary, Qt.Key.Key_Space)  # keyboard works as well as the mouse
    qtbot.wait_until(lambda: f"of {len(data) / 1e6:.1f} MB" in row.progress_text.text(), timeout=TIMEOUT_MS)
    assert "%" in row.progress_text.text() and row.progress.value() > 0
    dialog.manager.cancel(TINY.id)
    qtbot.wait_until(lambda: row.state.text().startswith("Paused"), timeout=TIMEOUT_MS)


def test_a_failure_shows_its_reason_in_the_row_and_its_tooltip(qtbot: Any, dialog: SettingsDialog,
                                                               hub: FakeHub) -> None:
    hub.corrupt_offsets = {5000}
    row = dialog.models_tab.rows[TINY.id]
    assert row.error.isHidden()
    with qtbot.wait_signal(dialog.manager.download_finished, timeout=TIMEOUT_MS) as blocker:
        qtbot.mouseClick(row.primary, Qt.MouseButton.LeftButton)
    reason = blocker.args[2]
    assert "sha256" in reason
    assert not row.error.isHidden() and row.error.text() == f"Failed: {reason}"
    assert row.error.textFormat() == Qt.TextFormat.PlainText
    assert "Last failure: " in row.toolTip() and "sha256" in row.toolTip()
    assert row.state.text() == "Failed" and buttons(row) == ("Retry", False, False)
    assert reason in dialog.models_tab.status.text()
    hub.corrupt_offsets = set()
    with qtbot.wait_signal(dialog.manager.download_finished, timeout=TIMEOUT_MS):
        qtbot.mouseClick(row.primary, Qt.MouseButton.LeftButton)
    assert row.error.isHidden() and row.state.text() == "Installed"


def test_model_text_is_shown_as_plain_text(qtbot: Any) -> None:
    hostile = "<b>bold</b><img src=x>"
    row = ModelRow(id="local:x", name=hostile, company="", size_bytes=1, license="", chat_format="chatml",
                   ram_mb=0, params_millions=0, state="failed", kind="local", last_error=hostile,
                   filename="a.gguf", actions=frozenset({"remove"}))
    widget = ModelRowWidget(row)
    qtbot.addWidget(widget)
    for label in (widget.name, widget.subtitle, widget.error, widget.progress_text, widget.note):
        assert label.textFormat() == Qt.TextFormat.PlainText
    assert widget.name.text() == hostile
    assert "&lt;b&gt;" in widget.toolTip() and "<b>" not in widget.toolTip()


def test_remove_asks_first(qtbot: Any, dialog: SettingsDialog, manager: ModelManager) -> None:
    dest = install_fake(manager, SMOL)
    dialog.models_tab.refresh()
    asked: list[str] = []
    dialog.models_tab.confirm = lambda title, text: asked.append(title) is not None and False
    qtbot.mouseClick(dialog.models_tab.rows[SMOL.id].remove, Qt.MouseButton.LeftButton)
    assert asked == [f"Remove {SMOL.name}?"] and dest.exists()
    dialog.models_tab.confirm = lambda title, text: True
    qtbot.mouseClick(dialog.models_tab.rows[SMOL.id].remove, Qt.MouseButton.LeftButton)
    assert not dest.exists() and dialog.models_tab.rows[SMOL.id].state.text() == "Not installed"


def test_seat_combos_offer_only_installed_and_bundled_models(dialog: SettingsDialog, manager: ModelManager) -> None:
    council = dialog.council_tab
    assert all(council.offered_models(i) == [STARTER.id] for i in range(5))
    assert not council.hint.isHidden()  # "download champions on the Models page"
    install_fake(manager, SMOL)
    missing = install_fake(manager, QWEN)
    missing.unlink()  # registered but gone: never offered
    manager.rows_changed.emit()
    assert all(council.offered_models(i) == [STARTER.id, SMOL.id] for i in range(5))
    assert council.hint.isHidden()
    assert [c.count() for c in council.persona_combos] == [5] * 5


def test_apply_saves_the_seats_for_the_next_session(qtbot: Any, dialog: SettingsDialog, manager: ModelManager,
                                                   saved: list[dict[str, Any]]) -> None:
    install_fake(manager, SMOL)
    manager.rows_changed.emit()
    council = dialog.council_tab
    assert not council.apply_button.isEnabled()
    assert "next session" in council.note.text()
    council.model_combos[0].setCurrentIndex(council.model_combos[0].findData(SMOL.id))
    council.persona_combos[4].setCurrentIndex(council.persona_combos[4].findData("sage"))
    assert council.apply_button.isEnabled() and council.status.text() == "Not saved yet."
    with qtbot.wait_signal(manager.seats_changed, timeout=1000):
        qtbot.mouseClick(council.apply_button, Qt.MouseButton.LeftButton)
    expected = [{"model": SMOL.id, "persona": "sage"}, {"model": STARTER.id, "persona": "skeptic"},
                {"model": STARTER.id, "persona": "optimist"}, {"model": STARTER.id, "persona": "pragmatist"},
                {"model": STARTER.id, "persona": "sage"}]
    assert saved[-1]["seats"] == expected
    assert not council.apply_button.isEnabled() and council.status.text().startswith("Saved")
    assert council.seat_notes[0].text().startswith("its own file")
    assert council.seat_notes[1].text() == "shares its weights with seats 3, 4 and 5"
    # Reopening shows what was saved.
    again = SettingsDialog(manager)
    qtbot.addWidget(again)
    assert again.council_tab.choices() == [SeatChoice(s["model"], s["persona"]) for s in expected]


def test_the_ram_estimate_follows_the_seats(dialog: SettingsDialog, manager: ModelManager) -> None:
    install_fake(manager, SMOL)
    manager.rows_changed.emit()
    council = dialog.council_tab
    before = manager.ram_estimate_mb(council.choices())
    assert council.ram_headline.text() == ram_summary(before, 5)
    assert council.ram_headline.text().startswith("About ") and "of RAM for these five seats" in \
        council.ram_headline.text()
    council.model_combos[2].setCurrentIndex(council.model_combos[2].findData(SMOL.id))
    after = manager.ram_estimate_mb(council.choices())
    assert after > before and council.ram_headline.text() == ram_summary(after, 5)
    assert "two model files" in council.ram_detail.text()
    council.reset_button.click()
    assert council.choices() == manager.default_seats() and council.ram_headline.text() == ram_summary(before, 5)


def test_add_from_hugging_face_validates_then_downloads(qtbot: Any, manager: ModelManager, hub: FakeHub) -> None:
    hub.host("someone/Else-GGUF", "else.gguf", make_gguf(300 * 1024, seed=9))
    add = AddHubDialog(manager)
    qtbot.addWidget(add)
    ok = add.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    add.repo_edit.setText("no slash")
    add.file_edit.setText("else.gguf")
    assert not ok.isEnabled() and "owner/name" in add.error.text()
    add.repo_edit.setText(TINY.repo)
    add.file_edit.setText(TINY.filename)
    assert not ok.isEnabled() and add.error.text().startswith("Already in the list as Tiny Test")
    add.repo_edit.setText("someone/Else-GGUF")
    add.file_edit.setText("else.gguf")
    assert ok.isEnabled() and add.error.text() == ""
    with qtbot.wait_signal(manager.download_finished, timeout=TIMEOUT_MS) as blocker:
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert blocker.args[1] and add.added_id == blocker.args[0] == "hf:someone/Else-GGUF/else.gguf"
    assert manager.row(add.added_id).state == "installed"


def test_add_a_gguf_file_with_a_chat_format(qtbot: Any, dialog: SettingsDialog, manager: ModelManager,
                                            tmp_path: Path) -> None:
    src = tmp_path / "mine.gguf"
    src.write_bytes(make_gguf(128 * 1024, name="Mine"))
    add = AddFileDialog(manager)
    qtbot.addWidget(add)
    ok = add.buttons.button(QDialogButtonBox.StandardButton.Ok)
    add.path_edit.setText(str(tmp_path / "nope.gguf"))
    assert not ok.isEnabled() and add.error.text() == "No such file."
    add.path_edit.setText(str(src))
    add.format_combo.setCurrentIndex(add.format_combo.findData("chatml"))
    assert ok.isEnabled() and add.chat_format() == "chatml"
    with qtbot.wait_signal(manager.model_added, timeout=TIMEOUT_MS) as blocker:
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    model_id = blocker.args[0]
    assert blocker.args[1] and model_id in dialog.models_tab.rows
    widget = dialog.models_tab.rows[model_id]
    assert widget.name.text() == "Mine" and widget.state.text() == "Installed"
    assert model_id in dialog.council_tab.offered_models(0)


def test_a_file_that_cannot_be_added_keeps_a_row_with_the_reason(qtbot: Any, dialog: SettingsDialog,
                                                                 manager: ModelManager, tmp_path: Path) -> None:
    src = tmp_path / "mystery.gguf"
    src.write_bytes(make_gguf(64 * 1024))
    with qtbot.wait_signal(manager.model_added, timeout=TIMEOUT_MS):
        job = manager.add_local_file(src)  # no chat format given, and the file has no template
    widget = dialog.models_tab.rows[job]
    assert widget.state.text() == "Failed" and "chat format" in widget.error.text()
    assert widget.remove.text() == "Dismiss" and widget.remove.isEnabled()
    qtbot.mouseClick(widget.remove, Qt.MouseButton.LeftButton)
    assert job not in dialog.models_tab.rows


def test_tab_walks_down_the_rows_then_to_the_add_buttons(qtbot: Any, dialog: SettingsDialog,
                                                          manager: ModelManager, tmp_path: Path) -> None:
    dialog.show()
    qtbot.wait_exposed(dialog)
    rows = dialog.models_tab.rows
    rows[STARTER.id].verify.setFocus()
    qtbot.wait_until(lambda: rows[STARTER.id].verify.hasFocus())
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)  # the starter's Remove is disabled: skipped
    assert QApplication.focusWidget() is rows[TINYLLAMA.id].primary
    rows[TINY.id].primary.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.models_tab.add_file_button
    # A row added later (a file that could not be added) still comes before the add buttons.
    src = tmp_path / "odd.gguf"
    src.write_bytes(make_gguf(64 * 1024))
    with qtbot.wait_signal(manager.model_added, timeout=TIMEOUT_MS):
        job = manager.add_local_file(src)
    rows[TINY.id].primary.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.models_tab.rows[job].remove
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.models_tab.add_file_button
