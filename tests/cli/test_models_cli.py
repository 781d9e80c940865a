"""`council-desktop models` on the user's own files, and --db wherever it is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from council_desktop import cli, config
from council_desktop.downloads import add_local_gguf, load_registry
from tests.downloads.fakehub import make_gguf


@pytest.fixture
def own_model(tmp_path: Path) -> str:
    src = tmp_path / "mine.gguf"
    src.write_bytes(make_gguf(256 * 1024, seed=5, name="Mine"))
    entry = add_local_gguf(src, config.models_dir(), probe=False)
    config.save_settings({"custom_models": [{"id": entry.id, "source": "local", "filename": entry.filename,
                                             "chat_format": "chatml", "size_bytes": entry.size}]})
    return entry.id


def test_verify_checks_the_users_own_model_and_catches_damage(own_model: str,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["models", "verify"]) == 0
    assert f"{own_model}: ok" in capsys.readouterr().out
    path = load_registry(config.models_dir())[own_model].path
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))
    assert cli.main(["models", "verify", own_model]) == 1
    assert "is damaged: its sha256" in capsys.readouterr().out
    assert own_model not in load_registry(config.models_dir())  # never offered to a seat again


def test_remove_forgets_the_users_own_model_in_settings_too(own_model: str,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["models", "remove", own_model]) == 0
    assert f"removed {own_model}" in capsys.readouterr().out
    assert own_model not in load_registry(config.models_dir())
    assert config.load_settings()["custom_models"] == []


def test_db_is_accepted_before_and_after_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before, after = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    assert cli.main(["--db", str(before), "history"]) == 0
    assert cli.main(["history", "--db", str(after)]) == 0
    assert before.is_file() and after.is_file() and not config.db_path().exists()
    assert capsys.readouterr().out.count("no sessions yet") == 2
