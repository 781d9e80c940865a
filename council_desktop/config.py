"""Where the app keeps its things (user data dir, overridable) and the user's council settings."""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import sys
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir

from . import APP_ID, APP_NAME

ENV_HOME = "COUNCIL_DESKTOP_HOME"


def data_dir() -> Path:
    """The user data dir, or $COUNCIL_DESKTOP_HOME; never beside a frozen executable."""
    env = os.environ.get(ENV_HOME)
    path = Path(env).expanduser() if env else Path(user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def db_path() -> Path:
    return data_dir() / "council.sqlite3"


def models_dir() -> Path:
    path = data_dir() / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def logs_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def settings_path() -> Path:
    return data_dir() / "settings.json"


def load_settings() -> dict[str, Any]:
    try:
        data = json.loads(settings_path().read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def save_settings(settings: dict[str, Any]) -> None:
    path = settings_path()
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(settings, indent=2), encoding="utf-8")
    os.replace(tmp, path)


def installed_models() -> dict[str, Path]:
    """Verified champion files by catalogue id; an unreadable registry means none (the starter council
    always works)."""
    try:
        from .downloads import load_registry

        return {mid: m.path for mid, m in load_registry(models_dir()).items() if m.path.is_file()}
    except Exception:  # a damaged registry must not stop the app from starting
        logging.getLogger(__name__).exception("could not read the installed-models registry")
        return {}


def setup_logging(verbose: bool = False) -> Path:
    """Log to a rotating file in the data dir. In a windowed frozen app stdout/stderr are None: point
    them at the log before llama_cpp is imported (DESIGN.md §8)."""
    log_file = logs_dir() / f"{APP_ID}.log"
    handler = logging.handlers.RotatingFileHandler(log_file, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    if sys.stdout is None or sys.stderr is None:
        stream = open(log_file, "a", encoding="utf-8", buffering=1)  # noqa: SIM115 - lives as long as the app
        sys.stdout = sys.stdout or stream
        sys.stderr = sys.stderr or stream
    return log_file
