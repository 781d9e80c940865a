"""Where the app keeps its things (user data dir, overridable) and the user's council settings."""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir

from . import APP_ID, APP_NAME
from .core.files import write_atomically

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


def load_settings(report: Callable[[str], None] | None = None) -> dict[str, Any]:
    """The user's settings, or ``{}`` (the defaults). A file that is not a JSON object (undecodable,
    nested too deeply to parse, a list) is moved aside as ``settings.json.unreadable-<time>``, never
    overwritten; each problem goes to the log and, as one line, to ``report``."""
    path = settings_path()
    notes: list[str] = []
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
        why = "" if isinstance(data, dict) else f"it holds a JSON {type(data).__name__}, not an object"
    except FileNotFoundError:
        return {}
    except OSError as exc:
        notes.append(f"could not read {path} ({exc.strerror or exc}); using the default settings")
        data, why = {}, ""
    except RecursionError:
        data, why = {}, "it is nested too deeply"
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
        data, why = {}, f"it is not valid JSON ({str(exc).splitlines()[0][:80]})"
    if why:
        data = {}
        aside = _move_aside(path)
        kept = f"kept as {aside}" if aside else "left where it is"
        notes.append(f"{path} could not be used ({why}); it was {kept} and the default settings apply")
    seats = data.get("seats")
    if seats is not None and not (isinstance(seats, list) and all(isinstance(s, dict) for s in seats)):
        notes.append(f"the seats in {path} are not a list of seats; the starter council takes the table")
    for note in notes:
        logging.getLogger(__name__).warning("%s", note)
        if report is not None:
            report(note)
    return dict(data)


def _move_aside(path: Path) -> Path | None:
    aside = path.with_name(f"{path.name}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}")
    n = 1
    while aside.exists():
        n += 1
        aside = aside.with_name(f"{path.name}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}-{n}")
    try:
        os.replace(path, aside)
    except OSError:
        return None
    return aside


def save_settings(settings: dict[str, Any]) -> None:
    write_atomically(settings_path(), json.dumps(settings, indent=2).encode("utf-8"))


def installed_models() -> dict[str, Path]:
    """Verified champion files by catalogue id; an unreadable registry means none (the starter council
    always works)."""
    try:
        from .downloads import load_registry

        return {mid: m.path for mid, m in load_registry(models_dir()).items() if m.path.is_file()}
    except Exception:  # a damaged registry must not stop the app from starting
        logging.getLogger(__name__).exception("could not read the installed-models registry")
        return {}


def setup_logging(verbose: bool = False, report: Callable[[str], None] | None = None) -> Path | None:
    """Log to a rotating file in the data dir. In a windowed frozen app stdout/stderr are None: point
    them at the log before llama_cpp is imported (docs/ARCHITECTURE.md, "Traps").

    A data folder that cannot be written (read-only, full, a file in the way) is no reason to stop: the
    app runs without a log file, ``report`` gets one line saying so, and None is returned."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    try:
        log_file = logs_dir() / f"{APP_ID}.log"
        handler = logging.handlers.RotatingFileHandler(log_file, maxBytes=2_000_000, backupCount=3,
                                                       encoding="utf-8")
    except OSError as exc:
        root.addHandler(logging.NullHandler())  # no last-resort tracebacks on stderr either
        if report is not None:
            report(f"cannot write the log in {os.environ.get(ENV_HOME) or user_data_dir(APP_NAME, appauthor=False)}"
                   f" ({exc.strerror or exc}); continuing without a log file")
        if sys.stdout is None or sys.stderr is None:
            sys.stdout = sys.stdout or open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - app-long
            sys.stderr = sys.stderr or open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - app-long
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    if sys.stdout is None or sys.stderr is None:
        stream = open(log_file, "a", encoding="utf-8", buffering=1)  # noqa: SIM115 - lives as long as the app
        sys.stdout = sys.stdout or stream
        sys.stderr = sys.stderr or stream
    return log_file
