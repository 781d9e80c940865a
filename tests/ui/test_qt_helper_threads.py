"""The window paints on its own thread: Qt's raster engine would otherwise split large fills and scaled
images over a pool of helper threads and wait for them, and while the decode threads hold the cores a
helper waits for one, and the window with it (app.py, QT_NO_GUI_THREADPOOL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# A fresh process: importing the app's composition root decides Qt's pool before QApplication exists;
# then a large smooth scale and fill (what the arena's cached background and glow cost) are painted and
# the process's threads counted before and after.
CODE = """
import json, os
import council_desktop.app  # noqa: F401
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication

app = QApplication([])
before = len(os.listdir("/proc/self/task"))
src = QImage(1600, 1000, QImage.Format.Format_ARGB32_Premultiplied)
src.fill(QColor("#335577"))
dst = QImage(1400, 900, QImage.Format.Format_ARGB32_Premultiplied)
for _ in range(3):
    p = QPainter(dst)
    p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    p.drawImage(dst.rect(), src.scaled(1500, 950, Qt.AspectRatioMode.IgnoreAspectRatio,
                                       Qt.TransformationMode.SmoothTransformation))
    p.fillRect(dst.rect(), QColor(10, 20, 30, 128))
    p.end()
print(json.dumps({"new_threads": len(os.listdir("/proc/self/task")) - before,
                  "env": os.environ.get("QT_NO_GUI_THREADPOOL")}))
"""


def _run(extra: dict[str, str]) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_NO_GUI_THREADPOOL", "COUNCIL_DESKTOP_QT_POOL")}
    env.update({"QT_QPA_PLATFORM": "offscreen", **extra})
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=120, cwd=ROOT,
                         env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="threads counted through /proc")
def test_the_app_paints_on_the_gui_thread_without_qts_helper_pool() -> None:
    app = _run({})
    assert app["env"] == "1"
    assert app["new_threads"] == 0
    # The baseline the window bench compares with: Qt's own default starts helper threads for the same work.
    pooled = _run({"COUNCIL_DESKTOP_QT_POOL": "1"})
    assert pooled["env"] is None
    assert int(pooled["new_threads"]) >= 1  # type: ignore[call-overload]
