"""`council-desktop remote add|list|test|remove` and `--seats` against a loopback server: one-line errors for
bad input, nothing half-saved, the key never in settings.json."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest

from council_desktop import cli, config
from tests.remote_servers import FaultServer, MemoryKeyring, memory_keyring  # noqa: F401 - a fixture

KEY = "sk-cli-4b7e2d90"


@pytest.fixture
def fault() -> Iterator[Any]:
    with FaultServer() as httpd:
        yield httpd


def test_add_list_test_and_remove(fault: Any, capsys: pytest.CaptureFixture[str],
                                  memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    fault.api_key = KEY
    monkeypatch.setattr("sys.stdin", io.StringIO(KEY + "\n"))
    assert cli.main(["remote", "add", "big", "--url", fault.url, "--model", "ok", "--api-key-stdin"]) == 0
    out = capsys.readouterr().out
    assert "added remote big" in out and "serves ok" in out
    assert KEY not in config.settings_path().read_text() and KEY not in out
    assert json.loads(config.settings_path().read_text())["remote_models"][0]["model"] == "ok"
    assert cli.main(["remote", "list"]) == 0
    assert "key in keyring" in capsys.readouterr().out
    assert cli.main(["remote", "test", "remote:big"]) == 0
    assert "health ok" in capsys.readouterr().out
    assert cli.main(["remote", "add", "nokey", "--url", fault.url, "--model", "ok"]) == 0
    assert "warning:" in capsys.readouterr().err  # added, but the server says 401: told at once
    assert cli.main(["remote", "test", "nokey"]) == 1
    assert "HTTP 401" in capsys.readouterr().err
    assert cli.main(["remote", "remove", "big"]) == 0
    assert ("council-desktop", "big") not in memory_keyring.store
    assert cli.main(["remote", "remove", "big"]) == 2
    assert "no remote model 'big'" in capsys.readouterr().err


@pytest.mark.parametrize(("args", "expect"), [
    (["remote", "add", "x", "--url", "ftp://h/v1", "--model", "m"], "expected a URL like"),
    (["remote", "add", "x", "--url", "http://u:p@h/v1", "--model", "m"], "not in the URL"),
    (["remote", "add", "x y", "--url", "http://h/v1", "--model", "m"], "a remote id is"),
    (["remote", "add", "x", "--url", "http://h/v1"], "needs --url URL and --model NAME"),
    (["remote", "add", "smollm2-135m-instruct-starter", "--url", "http://h/v1", "--model", "m", "--no-check"],
     "already a model id"),
    (["debate", "--seats", "a,b", "--no-db"], "takes 5 model ids"),
    (["ask", "q", "--seats", "a,b,c,d,e", "--no-db"], "unknown model 'a'"),
    (["ask", "q", "--seats", "tinyllama-1.1b-chat,b,c,d,e", "--no-db"], "tinyllama-1.1b-chat is not installed"),
])
def test_bad_input_is_one_line_and_saves_nothing(args: list[str], expect: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(args) != 0
    err = capsys.readouterr().err
    assert expect in err and len(err.strip().splitlines()) == 1
    assert "remote_models" not in config.load_settings()
