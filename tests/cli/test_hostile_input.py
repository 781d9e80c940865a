"""What a hostile or unlucky user finds at start-up: bad settings, a data folder that cannot be written,
escape sequences in topics, closed pipes. One clear line each, safe defaults, the user's file kept."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from council_desktop import cli, config
from council_desktop.llm.catalogue import STARTER
from council_desktop.llm.seating import council_from_settings, starter_council
from council_desktop.storage import Store
from tests.scripted import record_session

HOSTILE_TOPIC = "Is x?\x1b]0;PWNED\x07\x1b[2J\nsecond line"
BAD_SEATS = ["abc", [3], {"a": 1}, 7]


@pytest.mark.parametrize("seats", BAD_SEATS, ids=repr)
def test_seats_of_the_wrong_type_seat_the_starter_council(seats: object) -> None:
    seated = council_from_settings({"seats": seats}, {})
    assert [s.member.id for s in seated] == [s.member.id for s in starter_council()]


@pytest.mark.parametrize("seats", BAD_SEATS, ids=repr)
def test_seats_of_the_wrong_type_are_reported_in_one_line_and_kept(seats: object) -> None:
    config.settings_path().write_text(json.dumps({"seats": seats, "keep": 1}), encoding="utf-8")
    notes: list[str] = []
    settings = config.load_settings(report=notes.append)
    assert settings["keep"] == 1  # the rest of the user's settings still apply
    assert len(notes) == 1 and "\n" not in notes[0] and "seats" in notes[0]
    assert json.loads(config.settings_path().read_text(encoding="utf-8"))["seats"] == seats


def test_settings_nested_too_deeply_are_moved_aside_and_the_defaults_apply() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    config.settings_path().write_text(deep, encoding="utf-8")
    notes: list[str] = []
    assert config.load_settings(report=notes.append) == {}
    assert len(notes) == 1 and "nested too deeply" in notes[0] and "\n" not in notes[0]
    assert not config.settings_path().exists()
    kept = list(config.data_dir().glob("settings.json.unreadable-*"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == deep  # the user's bytes, untouched


def test_settings_that_are_not_json_are_moved_aside_never_overwritten() -> None:
    config.settings_path().write_text("{not json", encoding="utf-8")
    notes: list[str] = []
    assert config.load_settings(report=notes.append) == {}
    config.save_settings({"seats": []})
    kept = list(config.data_dir().glob("settings.json.unreadable-*"))
    assert [p.read_text(encoding="utf-8") for p in kept] == ["{not json"]
    assert "not valid JSON" in notes[0]


def test_a_command_with_unusable_settings_says_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    config.settings_path().write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert cli.main(["models", "list"]) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nested too deeply" in err and "Traceback" not in err


def test_a_data_folder_that_cannot_be_written_gives_one_line(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # A file where the logs folder should be: as root, permissions alone would not stop the write.
    home = tmp_path / "home"
    home.mkdir()
    (home / "logs").write_text("in the way", encoding="utf-8")
    env = {**os.environ, "COUNCIL_DESKTOP_HOME": str(home), "PYTHONPATH": str(Path.cwd())}
    proc = subprocess.run([sys.executable, "-m", "council_desktop", "history"], capture_output=True, text=True,
                          env=env, timeout=60, check=False)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.count("\n") == 1 and "cannot write the log" in proc.stderr
    assert proc.returncode == 0 and "no sessions yet" in proc.stdout  # the history itself is readable
    assert (home / "logs").read_text(encoding="utf-8") == "in the way"


def test_history_shows_escape_sequences_and_newlines_as_text(capsys: pytest.CaptureFixture[str]) -> None:
    store = Store.open(config.db_path())
    record_session(store, topic=HOSTILE_TOPIC)
    store.close()
    assert cli.main(["history"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert out.count("\n") == 1 and "Is x?␛]0;PWNED␇␛[2J second line" in out


def test_live_progress_never_writes_escape_sequences() -> None:
    import io

    from tests.scripted import run_session

    out = io.StringIO()
    progress = cli.TerminalProgress(out, live=True)
    run_session(topic=HOSTILE_TOPIC, sinks=[progress])
    text = out.getvalue()
    assert "PWNED" in text and "\x1b" not in text and "\x07" not in text


def test_history_search_without_a_match_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    store = Store.open(config.db_path())
    record_session(store, topic="Should robots vote?")
    store.close()
    assert cli.main(["history", "--search", "zebra"]) == 0
    assert capsys.readouterr().out.strip() == "no sessions match 'zebra'"


def test_history_into_a_closed_pipe_ends_quietly() -> None:
    env = {**os.environ, "PYTHONPATH": str(Path.cwd())}
    proc = subprocess.Popen([sys.executable, "-m", "council_desktop", "history"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # `| head -0`: the reader is gone before the first line
    with proc.stderr:
        err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, err
    assert err == ""


def test_models_verify_and_remove_know_the_starter_id(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["models", "list"]) == 0
    assert STARTER.id in capsys.readouterr().out
    assert cli.main(["models", "verify", STARTER.id]) == 0
    assert f"{STARTER.id}: ok" in capsys.readouterr().out
    assert cli.main(["models", "remove", STARTER.id]) == 2
    err = capsys.readouterr().err
    assert "bundled" in err and "unknown model" not in err and err.count("\n") == 1


def test_the_window_with_an_unwritable_data_folder_says_one_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "logs").write_text("in the way", encoding="utf-8")
    (home / "council.sqlite3").mkdir()  # the history cannot be opened either
    env = {**os.environ, "COUNCIL_DESKTOP_HOME": str(home), "PYTHONPATH": str(Path.cwd()),
           "QT_QPA_PLATFORM": "offscreen"}
    code = "import sys; from council_desktop.app import main; sys.exit(main([]))"
    proc = subprocess.run([sys.executable, "-c", code],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 2 and "cannot write the log" in lines[0] and "is a folder" in lines[1]
