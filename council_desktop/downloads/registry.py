"""``installed.json``: the verified model files in the models folder, written atomically.

A file is entered here only after its size, sha256 and GGUF header were checked; whatever is not
in the registry is not offered to the council. Paths of files inside the models folder are stored
relative to it, so the folder can be moved; user files added by reference keep their absolute path.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any, Literal, Protocol

from ..core.files import write_atomically

REGISTRY_NAME = "installed.json"
REGISTRY_VERSION = 1

Source = Literal["hub", "local-copy", "local-ref"]
ShaSource = Literal["pinned", "hub", "computed"]

_lock = threading.Lock()  # downloads run on worker threads; registry writes are read-modify-write
_SAFE_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class DownloadSpec(Protocol):
    """What the downloader needs of a model spec (``llm.catalogue.ModelSpec`` fits; the layers
    keep ``downloads`` from importing ``llm``)."""

    @property
    def id(self) -> str: ...
    @property
    def repo(self) -> str: ...
    @property
    def filename(self) -> str: ...
    @property
    def revision(self) -> str: ...
    @property
    def size_bytes(self) -> int: ...
    @property
    def sha256(self) -> str | None: ...


@dataclass(frozen=True)
class InstalledModel:
    id: str
    path: Path  # absolute
    filename: str
    size: int
    sha256: str
    sha256_source: ShaSource
    source: Source
    repo: str = ""
    revision: str = ""
    commit: str = ""  # the hub's X-Repo-Commit when it was downloaded
    verified_at: str = ""

    def to_json(self, models_dir: Path) -> dict[str, Any]:
        d = asdict(self)
        try:
            d["path"] = self.path.relative_to(models_dir).as_posix()
        except ValueError:
            d["path"] = str(self.path)
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any], models_dir: Path) -> InstalledModel:
        p = Path(d["path"])
        return cls(id=str(d["id"]), path=p if p.is_absolute() else models_dir / p,
                   filename=str(d["filename"]), size=int(d["size"]), sha256=str(d["sha256"]),
                   sha256_source=d.get("sha256_source", "computed"), source=d.get("source", "hub"),
                   repo=str(d.get("repo", "")), revision=str(d.get("revision", "")),
                   commit=str(d.get("commit", "")), verified_at=str(d.get("verified_at", "")))


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _safe_part(text: str, what: str) -> str:
    if not _SAFE_PART.match(text) or text in (".", ".."):
        raise ValueError(f"unsafe {what} {text!r}: letters, digits, '.', '_' and '-' only")
    return text


def install_path(spec: DownloadSpec, models_dir: Path) -> Path:
    """Where a hub file lives once installed: ``<models_dir>/<owner>--<name>/<file name>``. Keeping the
    repo in the path means two repos that ship the same file name never overwrite each other."""
    owner, sep, name = spec.repo.partition("/")
    if not sep or "/" in name:
        raise ValueError(f"repo must be 'owner/name', got {spec.repo!r}")
    folder = f"{_safe_part(owner, 'repo owner')}--{_safe_part(name, 'repo name')}"
    return Path(models_dir) / folder / _safe_part(PurePosixPath(spec.filename).name, "file name")


def _registry_file(models_dir: Path) -> Path:
    return Path(models_dir) / REGISTRY_NAME


def load_registry(models_dir: Path) -> dict[str, InstalledModel]:
    """Every registered model by id; an unreadable registry reads as empty (files are re-verified)."""
    path = _registry_file(models_dir)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        items = raw.get("models", {}) if isinstance(raw, dict) else {}
        return {k: InstalledModel.from_json(v, Path(models_dir)) for k, v in items.items()}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def atomic_write_text(path: Path, text: str) -> None:
    """Write beside the target, fsync, then ``os.replace``: readers see the old or the new file, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, text.encode("utf-8"))


def _save(models_dir: Path, models: dict[str, InstalledModel]) -> None:
    payload = {"version": REGISTRY_VERSION,
               "models": {k: v.to_json(Path(models_dir)) for k, v in sorted(models.items())}}
    atomic_write_text(_registry_file(models_dir), json.dumps(payload, indent=2) + "\n")


def register(models_dir: Path, entry: InstalledModel) -> None:
    with _lock:
        models = load_registry(models_dir)
        models[entry.id] = entry
        _save(models_dir, models)


def unregister(models_dir: Path, model_id: str) -> InstalledModel | None:
    with _lock:
        models = load_registry(models_dir)
        entry = models.pop(model_id, None)
        if entry is not None:
            _save(models_dir, models)
        return entry


def find_installed(model_id: str, models_dir: Path) -> InstalledModel | None:
    return load_registry(models_dir).get(model_id)
