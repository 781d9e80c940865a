"""Writing a file whole or not at all: the one way the app replaces a file the user or it keeps."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from pathlib import Path


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``target``, fsync it, then ``os.replace`` it over
    ``target``: readers see the old file or the new one, never half of one, and a failure leaves no
    temporary file behind. Errors name ``target`` (or its missing folder), not the temporary file."""
    directory = target.parent
    for _ in range(100):
        tmp = directory / f".{target.name}.{secrets.token_hex(4)}.tmp"
        try:
            # 0o666 through the umask, like any file the user saves; O_EXCL: never reuse someone's file.
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:
            continue
        except OSError as exc:  # name the path the user typed, not our hidden temporary file
            if not directory.is_dir():
                raise FileNotFoundError(errno.ENOENT, "no such folder", str(directory)) from None
            raise type(exc)(exc.errno, exc.strerror, str(target)) from None
        break
    else:
        raise FileExistsError(f"could not create a temporary file in {directory}")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
