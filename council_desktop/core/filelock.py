"""Advisory file locks, taken without waiting, that the kernel drops when their process ends in any way
(POSIX ``flock``). Where ``fcntl`` is missing (Windows) nothing is locked and every lock is "taken"."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None  # type: ignore[assignment]

LOCKING = fcntl is not None


class FileLock:
    """An exclusive lock on ``path``. ``acquire`` is True when taken, False when another open lock (in any
    process) holds it; OSError when the file cannot be made. ``release`` removes the file, then drops the
    lock, so nothing is left behind. Idempotent; a lock dropped unreleased closes with its object."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fh: IO[bytes] | None = None

    def acquire(self) -> bool:
        if fcntl is None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fh = open(self.path, "ab")  # noqa: SIM115 - held until release
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                fh.close()
                return False
            try:
                if os.stat(self.path).st_ino == os.fstat(fh.fileno()).st_ino:
                    self._fh = fh
                    return True
            except FileNotFoundError:
                pass
            fh.close()  # the previous holder removed that file as we took it: take the new one

    def release(self) -> None:
        if self._fh is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()  # before closing: the file is still ours
        self._fh.close()
        self._fh = None

    def __del__(self) -> None:
        if self._fh is not None:
            self._fh.close()


def held_elsewhere(path: Path) -> bool:
    """True when another open ``FileLock`` holds ``path``; an abandoned lock file is tidied away."""
    if not LOCKING or not Path(path).exists():
        return False
    lock = FileLock(path)
    try:
        if not lock.acquire():
            return True
    except OSError:
        return False
    lock.release()
    return False
