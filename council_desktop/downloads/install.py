"""Installed files: the "verify installed" action, removal, and GGUF files the user adds from disk."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from ..core.gguf import GGUFError, read_gguf
from .errors import DiskFullError, DownloadCancelled, DownloadError, NotGGUFError, UnsafeModelError
from .files import fmt_bytes, free_bytes, fsync_dir, part_paths, sha256_file, unlink_quietly
from .probe import DEFAULT_PROBE_TIMEOUT_S, probe_gguf_in_subprocess
from .progress import Cancel, ProgressCallback, ProgressReporter, is_cancelled
from .registry import (
    DownloadSpec,
    InstalledModel,
    Source,
    find_installed,
    install_path,
    now_iso,
    register,
    unregister,
)

LOCAL_DIR = "local"
_COPY_CHUNK = 1024 * 1024
_UNSAFE_CHARS = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    reason: str  # what was checked when ok; what is wrong otherwise
    path: Path
    size: int = 0
    sha256: str | None = None


def verify_installed(path: Path, spec: DownloadSpec, *, models_dir: Path | None = None,
                     progress: ProgressCallback | None = None, cancel: Cancel | None = None) -> VerifyResult:
    """Re-check an installed file: size, sha256 (the catalogue's pin, else the one recorded at install) and
    the GGUF header. With ``models_dir`` a failing file is taken out of the registry (so it is never
    loaded) and a passing one gets a fresh ``verified_at``. Cancel raises ``DownloadCancelled``."""
    path = Path(path)
    entry = find_installed(spec.id, models_dir) if models_dir is not None else None

    def fail(reason: str, size: int = 0, sha: str | None = None) -> VerifyResult:
        if models_dir is not None and entry is not None:
            unregister(models_dir, spec.id)
        return VerifyResult(False, reason, path, size, sha)

    if not path.is_file():
        return fail(f"{path.name} is missing")
    size = path.stat().st_size
    expected_size = spec.size_bytes if spec.sha256 else (entry.size if entry else 0)
    if expected_size and size != expected_size:
        return fail(f"{path.name} has {fmt_bytes(size)} instead of {fmt_bytes(expected_size)}", size)
    expected_sha = spec.sha256 or (entry.sha256 if entry else None)
    sha = sha256_file(path, report=ProgressReporter(path.name, progress), cancel=cancel)
    if expected_sha and sha != expected_sha.lower():
        return fail(f"{path.name} is damaged: its sha256 is {sha[:12]}… instead of {expected_sha[:12]}…", size, sha)
    try:
        read_gguf(path, keys=False)
    except GGUFError as exc:
        return fail(f"{path.name} is not a usable GGUF model ({str(exc).split(': ', 1)[-1]})", size, sha)
    if models_dir is not None and entry is not None:
        register(models_dir, replace(entry, verified_at=now_iso()))
    what = "size, sha256 and GGUF header" if expected_sha else "GGUF header (no reference sha256 to compare)"
    return VerifyResult(True, f"{path.name}: {what} are fine", path, size, sha)


def remove(spec: DownloadSpec, models_dir: Path) -> bool:
    """Forget a model and delete its files (the installed file, a partial download and its sidecar).
    A file the user added by reference is only forgotten, never deleted. True if anything was removed."""
    models_dir = Path(models_dir)
    entry = unregister(models_dir, spec.id)
    removed = entry is not None
    if entry is not None and entry.source == "local-ref":
        return True
    candidates: list[Path] = []
    if entry is not None:
        candidates.append(entry.path)
    with contextlib.suppress(ValueError):  # not a hub spec (a local file): only the registered path applies
        candidates.append(install_path(spec, models_dir))
    root = models_dir.resolve()
    for dest in dict.fromkeys(candidates):
        if not dest.resolve().is_relative_to(root):
            continue  # never delete outside the models folder
        for p in (dest, *part_paths(dest)):
            if p.exists():
                unlink_quietly(p)
                removed = True
        folder = dest.parent
        if folder.resolve() != root and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return removed


def add_local_gguf(path: Path, models_dir: Path, *, copy: bool = True, probe: bool = True,
                   probe_timeout: float = DEFAULT_PROBE_TIMEOUT_S, progress: ProgressCallback | None = None,
                   cancel: Cancel | None = None) -> InstalledModel:
    """Register a GGUF file from disk. The header is checked in-process (pure Python), then the file is
    opened in a throwaway process (``probe``); only then is it copied into ``<models_dir>/local/`` (or,
    with ``copy=False``, referenced where it is) and registered under ``local:<sha256 prefix>``."""
    try:
        src = Path(path).expanduser().resolve()
    except (RuntimeError, OSError) as exc:  # Python 3.11 says RuntimeError for a loop of symbolic links
        why = "a loop of symbolic links" if not isinstance(exc, OSError) or exc.errno == errno.ELOOP \
            else exc.strerror or str(exc)
        raise NotGGUFError(f"cannot open {path}: {why}", filename=Path(path).name) from None
    models_dir = Path(models_dir)
    try:
        read_gguf(src, keys=False)
    except GGUFError as exc:
        raise NotGGUFError(str(exc).split(": ", 1)[-1], filename=src.name) from None
    if probe:
        result = probe_gguf_in_subprocess(src, probe_timeout)
        if not result.ok:
            raise UnsafeModelError(result.reason, filename=src.name)
    report = ProgressReporter(src.name, progress)
    source: Source = "local-copy" if copy else "local-ref"
    if copy:
        dest, sha = _copy_in(src, models_dir / LOCAL_DIR, report, cancel)
    else:
        dest, sha = src, sha256_file(src, report=report, cancel=cancel)
    entry = InstalledModel(id=f"local:{sha[:16]}", path=dest, filename=dest.name, size=dest.stat().st_size,
                           sha256=sha, sha256_source="computed", source=source, verified_at=now_iso())
    register(models_dir, entry)
    report.update("done", entry.size, entry.size, force=True)
    return entry


def _copy_in(src: Path, folder: Path, report: ProgressReporter, cancel: Cancel | None) -> tuple[Path, str]:
    """Copy through a ``.part`` file, hashing as we go; the result is replaced into place only whole."""
    folder.mkdir(parents=True, exist_ok=True)
    size = src.stat().st_size
    if free_bytes(folder) < size:
        raise DiskFullError(f"not enough free space in {folder} ({fmt_bytes(size)} needed)", filename=src.name)
    name = _UNSAFE_CHARS.sub("_", src.name).lstrip(".") or "model.gguf"
    part = folder / f".{name}.{os.getpid()}.part"
    digest = hashlib.sha256()
    done = 0
    try:
        with open(src, "rb") as fin, open(part, "wb") as fout:
            while chunk := fin.read(_COPY_CHUNK):
                if is_cancelled(cancel):
                    err = DownloadCancelled("cancelled; nothing was added", filename=src.name)
                    err.keeps_partial = False
                    raise err
                digest.update(chunk)
                fout.write(chunk)
                done += len(chunk)
                report.update("installing", done, size, message="copying into the models folder")
            fout.flush()
            os.fsync(fout.fileno())
    except OSError as exc:
        unlink_quietly(part)
        raise DownloadError(f"could not copy it into {folder} ({exc.strerror or exc})", filename=src.name) from None
    except BaseException:
        unlink_quietly(part)
        raise
    sha = digest.hexdigest()
    dest = folder / name
    if dest.exists() and sha256_file(dest) != sha:
        dest = folder / f"{Path(name).stem}-{sha[:8]}{Path(name).suffix}"
    os.replace(part, dest)
    fsync_dir(folder)
    return dest, sha
