"""Settings → Remote on a real ModelManager, a real keyring backend (in memory) and a loopback server:
add (the key goes to the keyring, never to settings.json), test (health and /v1/models, failures named),
edit, remove, and seating a remote model on the Council page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from PySide6.QtWidgets import QMessageBox

from council_desktop import config
from council_desktop.llm import secrets
from council_desktop.llm.seating import council_from_settings
from council_desktop.services.model_manager import ModelManager, SeatChoice
from council_desktop.ui.settings import SettingsDialog
from council_desktop.ui.settings.remote_tab import RemoteDialog
from tests.remote_servers import FaultServer, MemoryKeyring, memory_keyring  # noqa: F401 - a fixture

pytestmark = pytest.mark.gui
KEY = "sk-remote-ui-5e1d2c"


@pytest.fixture
def fault() -> Iterator[Any]:
    with FaultServer() as httpd:
        yield httpd


@pytest.fixture
def manager(qapp: Any, tmp_path: Path) -> Iterator[ModelManager]:
    settings = config.load_settings()
    m = ModelManager(tmp_path / "models", settings, config.save_settings)
    yield m
    m.shutdown()


def test_add_test_edit_and_remove_a_remote_model(qtbot: Any, manager: ModelManager, fault: Any,
                                                 memory_keyring: MemoryKeyring,  # noqa: F811
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 ) -> None:
    fault.api_key = KEY
    dialog = SettingsDialog(manager)
    qtbot.addWidget(dialog)
    tab = dialog.remote_tab
    assert tab.empty.isVisibleTo(tab) and not tab.rows
    add = tab.open_dialog(None)
    add.id_edit.setText("big")
    add.url_edit.setText("not a url")
    add.model_edit.setText("ok")
    add.key_edit.setText(KEY)
    add.save()
    assert "Not saved" in add.error.text() and not manager.remotes.specs()  # bad input loses nothing, saves nothing
    add.url_edit.setText(fault.url)
    add.list_button.click()  # the key typed in the dialog is used for /v1/models
    assert "The server lists: ok, slow" in add.error.text()
    add.save()
    assert add.result() == RemoteDialog.DialogCode.Accepted
    assert memory_keyring.store[(secrets.SERVICE, "big")] == KEY
    on_disk = config.settings_path().read_text()
    assert KEY not in on_disk and json.loads(on_disk)["remote_models"][0]["url"] == fault.url
    assert [r.row.id for r in tab.rows] == ["big"] and "key: keyring" in tab.rows[0].where.text()

    with qtbot.waitSignal(manager.remotes.tested, timeout=10_000) as ok:
        tab.rows[0].test_button.click()
    assert ok.args[1] is True and "lists ok" in ok.args[2] and "health: ok" in ok.args[2]
    assert fault.auth_seen[-1] == f"Bearer {KEY}"
    assert "Reachable" in tab.rows[0].status.text()

    # a remote model takes a seat on the Council page like any other
    assert "remote:big" in dialog.council_tab.offered_models(0)
    manager.set_seats([SeatChoice("remote:big", "sage"), *manager.seats()[1:]])
    seats = council_from_settings(manager.settings, {})
    assert seats[0].remote is not None and seats[0].remote.id == "big" and seats[0].member.model == \
        f"ok @ {fault.url.split('/')[2]}"

    # edit: a wrong key now; the test names the server, the status and what to do
    edit = tab.open_dialog(tab.rows[0].row)
    assert edit.key_edit.text() == "" and edit.url_edit.text() == fault.url  # the stored key is never shown
    edit.key_edit.setText("sk-bad-9q8w7e")
    edit.read_spin.setValue(9)
    edit.save()
    assert manager.remotes.spec("big").read_timeout == 9
    with qtbot.waitSignal(manager.remotes.tested, timeout=10_000) as bad:
        tab.rows[0].test_button.click()
    assert bad.args[1] is False and "HTTP 401" in bad.args[2] and fault.url.removesuffix("/v1") in bad.args[2]
    assert "API key" in tab.rows[0].status.text() and "sk-bad-9q8w7e" not in bad.args[2]

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    tab.rows[0].remove_button.click()
    assert not manager.remotes.specs() and not tab.rows
    assert (secrets.SERVICE, "big") not in memory_keyring.store
    assert all(s.model_id != "remote:big" for s in manager.seats())
    assert "sk-bad-9q8w7e" not in config.settings_path().read_text() and KEY not in config.settings_path().read_text()


def test_without_a_keyring_the_key_field_says_to_use_an_environment_variable(
        qtbot: Any, manager: ModelManager, fault: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from keyring.backends import fail

    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        with pytest.raises(secrets.KeyStoreError, match=r"no keyring is available.*environment variable"):
            secrets.store_key("x", "k")
        dialog = RemoteDialog(manager.remotes)
        qtbot.addWidget(dialog)
        assert not dialog.key_edit.isEnabled() and "environment variable" in dialog.keyring_note.text()
        monkeypatch.setenv("MY_REMOTE_KEY", KEY)
        fault.api_key = KEY
        dialog.id_edit.setText("env")
        dialog.url_edit.setText(fault.url)
        dialog.model_edit.setText("ok")
        dialog.env_edit.setText("MY_REMOTE_KEY")
        dialog.save()
        spec = manager.remotes.spec("env")
        assert spec.api_key_env == "MY_REMOTE_KEY" and secrets.load_key(spec) == KEY
        with qtbot.waitSignal(manager.remotes.tested, timeout=10_000) as ok:
            manager.remotes.test("env")
        assert ok.args[1] is True
        monkeypatch.delenv("MY_REMOTE_KEY")
        with pytest.raises(secrets.KeyStoreError, match=r"MY_REMOTE_KEY.*is not set"):
            secrets.load_key(spec)
    finally:
        keyring.set_keyring(before)
