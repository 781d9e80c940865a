"""ModelManager: the models behind Settings (catalogue rows and their state, downloads, verification,
user-added files, the chosen seats), with long work on a QThreadPool and results as queued signals."""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal

from ..core.personas import STARTER_PERSONAS, Persona
from ..downloads import (
    DownloadCancelled,
    DownloadError,
    InstalledModel,
    Progress,
    add_local_gguf,
    install_path,
    load_registry,
    verify_installed,
)
from ..downloads import download as download_file
from ..downloads import remove as remove_files
from ..downloads.files import part_paths
from ..llm.catalogue import (
    CHAMPIONS,
    CUSTOM_KEY,
    RAM_REFERENCE_N_CTX,
    STARTER,
    ModelSpec,
    custom_records,
    custom_spec,
    local_spec,
    ram_estimate_mb,
    seat_records,
    spec_from_record,
    starter_model_path,
)
from ..llm.chat_formats import FORMATS
from .remote_models import RemoteModels

log = logging.getLogger(__name__)

RowState = Literal["bundled", "installed", "partial", "not installed", "downloading", "verifying", "failed"]
RowKind = Literal["starter", "catalogue", "hub", "local", "pending", "remote"]
Action = Literal["download", "resume", "cancel", "verify", "remove"]
JobKind = Literal["download", "verify", "add"]

MAX_SEATS = 5
MAX_PARALLEL_JOBS = 3  # downloads wait on the network; a third slot keeps a verify from queueing behind two
SEATS_KEY = "seats"
_RECORD_FIELDS = ("name", "license", "size_bytes", "kv_bytes_per_token", "n_vocab", "n_ctx_train", "ram_mb")


@dataclass(frozen=True)
class SeatChoice:
    model_id: str
    persona_id: str


@dataclass(frozen=True)
class ModelRow:
    """One line of the Models list, plain data for the UI. ``actions`` are the ones that make sense now."""

    id: str
    name: str
    company: str
    size_bytes: int  # 0 while unknown (a hub file added by hand, before it is downloaded)
    license: str
    chat_format: str
    ram_mb: int  # one seat at n_ctx 2048; 0 while unknown
    params_millions: int
    state: RowState
    kind: RowKind
    path: Path | None = None
    phase: str = ""  # the downloader's phase while a job runs: checking, downloading, retrying, verifying…
    done_bytes: int = 0
    total_bytes: int = 0
    speed_bps: float = 0.0
    eta_s: float | None = None
    message: str = ""  # the last outcome or the job's current note (plain text)
    last_error: str = ""  # why the last attempt failed (plain text), empty when it did not
    notes: str = ""
    repo: str = ""
    filename: str = ""
    verified_at: str = ""
    actions: frozenset[Action] = frozenset()

    @property
    def percent(self) -> float:
        return 100.0 * self.done_bytes / self.total_bytes if self.total_bytes > 0 else 0.0


@dataclass
class _Job:
    id: str  # the model id, or "adding:N" for a file being added
    kind: JobKind
    cancel: threading.Event = field(default_factory=threading.Event)
    progress: Progress | None = None


@dataclass
class _Pending:
    """A file the user is adding: shown as its own row until it becomes a model (or to show why not)."""

    name: str
    path: Path
    error: str = ""


def system_ram_mb() -> int | None:
    """Physical memory in MiB where the OS says (POSIX), else None."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (1024 * 1024)
    except (AttributeError, ValueError, OSError):
        return None


class ModelManager(QObject):
    """The Settings page's model: rows built from the catalogue, the installed registry, ``.part`` files
    and the user's own models; jobs (download, verify, add a file) run on a private QThreadPool with a
    cancel event each, and report back through queued signals. Only the GUI thread changes its state.

    ``settings`` is the user's settings dict: it is updated in place (``seats``, ``custom_models``) and
    handed to ``save_settings`` after every change.

    Signals:
        ``rows_changed()`` — a row's state changed (a job started or ended, a model was added or removed).
        ``download_progressed(str model_id, object Progress)`` — at most ~10 per second per download.
        ``verify_progressed(str job_id, object Progress)`` — a verification or a file being added.
        ``download_finished(str model_id, bool ok, str message)`` — message is the reason when not ok.
        ``verify_finished(str model_id, bool ok, str message)``
        ``model_added(str model_id, bool ok, str message)`` — a local file was added (model_id "" if not).
        ``seats_changed(list[SeatChoice])``
    """

    rows_changed = Signal()
    download_progressed = Signal(str, object)
    verify_progressed = Signal(str, object)
    download_finished = Signal(str, bool, str)
    verify_finished = Signal(str, bool, str)
    model_added = Signal(str, bool, str)
    seats_changed = Signal(list)

    # worker → GUI thread (queued): job id, progress / job id, ok, message, details
    _job_progressed = Signal(str, object)
    _job_finished = Signal(str, bool, str, object)

    def __init__(self, models_dir: Path, settings: dict[str, Any], save_settings: Callable[[dict[str, Any]], None],
                 *, catalogue: Sequence[ModelSpec] = CHAMPIONS, starter: ModelSpec = STARTER,
                 starter_path: Callable[[], Path] = starter_model_path,
                 download_options: Mapping[str, Any] | None = None, probe_local_files: bool = True,
                 parent: QObject | None = None) -> None:
        """``download_options`` go to ``downloads.download`` (``endpoint``, ``token``, ``retries``…)."""
        super().__init__(parent)
        self.models_dir = Path(models_dir)
        self.settings = settings
        self._save_settings = save_settings
        self._catalogue = tuple(catalogue)
        self._starter = starter
        self._starter_path = starter_path
        self._download_options = dict(download_options or {})
        self._probe = probe_local_files
        self._pool = QThreadPool(self)
        self._pool.setObjectName("model-jobs")
        self._pool.setMaxThreadCount(MAX_PARALLEL_JOBS)
        self._jobs: dict[str, _Job] = {}
        self._pending: dict[str, _Pending] = {}
        self._errors: dict[str, str] = {}
        self._notes: dict[str, str] = {}
        self._counter = itertools.count(1)
        self._job_progressed.connect(self._on_job_progressed, Qt.ConnectionType.QueuedConnection)
        self._job_finished.connect(self._on_job_finished, Qt.ConnectionType.QueuedConnection)
        # Models on OpenAI-compatible servers: same settings dict, same saver; a change re-offers the seats.
        self.remotes = RemoteModels(settings, save_settings, self)
        self.remotes.changed.connect(self.rows_changed)
        app = QCoreApplication.instance()
        if app is not None:
            # A QThreadPool waits for its runnables when destroyed: without this, quitting during a
            # download would wait for the download (the composition root should call shutdown anyway).
            app.aboutToQuit.connect(self.shutdown)

    # -- rows ------------------------------------------------------------------------------------------

    def rows(self) -> list[ModelRow]:
        """The starter, the catalogue, the user's own models, then files being added."""
        registry = load_registry(self.models_dir)
        rows = [self._row(spec, kind, registry) for spec, kind in self._specs()]
        rows.extend(self._pending_row(pid, p) for pid, p in self._pending.items())
        return rows

    def row(self, model_id: str) -> ModelRow:
        if model_id in self._pending:
            return self._pending_row(model_id, self._pending[model_id])
        spec, kind = self._lookup(model_id)
        return self._row(spec, kind, load_registry(self.models_dir))

    def chat_formats(self) -> list[str]:
        return sorted(FORMATS)

    def personas(self) -> list[Persona]:
        return list(STARTER_PERSONAS)

    def is_busy(self, model_id: str) -> bool:
        return model_id in self._jobs

    def _specs(self) -> list[tuple[ModelSpec, RowKind]]:
        specs: list[tuple[ModelSpec, RowKind]] = [(self._starter, "starter")]
        specs += [(s, "catalogue") for s in self._catalogue]
        for record in self._records():
            spec = spec_from_record(record)
            if spec is not None:
                specs.append((spec, "hub" if record.get("source") == "hub" else "local"))
        return specs

    def _lookup(self, model_id: str) -> tuple[ModelSpec, RowKind]:
        for spec, kind in self._specs():
            if spec.id == model_id:
                return spec, kind
        raise KeyError(model_id)

    def _records(self) -> list[dict[str, Any]]:
        return custom_records(self.settings)

    def _starter_file(self) -> tuple[Path | None, str]:
        try:
            return self._starter_path(), ""
        except Exception as exc:  # StarterModelMissingError, or an odd install
            return None, str(exc)

    def _partial(self, spec: ModelSpec) -> tuple[int, int]:
        """Bytes in the ``.part`` file the downloader keeps for a resume, and the total its sidecar expects."""
        if spec.repo == "local":
            return 0, 0
        try:
            part, sidecar = part_paths(install_path(spec, self.models_dir))
            done = part.stat().st_size
        except (ValueError, OSError):
            return 0, 0
        total = spec.size_bytes
        with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
            total = int(json.loads(sidecar.read_text(encoding="utf-8")).get("size") or total)
        return done, total

    def _on_disk(self, spec: ModelSpec, entry: InstalledModel | None) -> bool:
        if entry is not None and entry.path.is_file():
            return True
        with contextlib.suppress(ValueError):
            return install_path(spec, self.models_dir).is_file()
        return False

    def _row(self, spec: ModelSpec, kind: RowKind, registry: Mapping[str, InstalledModel]) -> ModelRow:
        entry = registry.get(spec.id)
        job = self._jobs.get(spec.id)
        error = self._errors.get(spec.id, "")
        message = self._notes.get(spec.id, "")
        path = entry.path if entry is not None else None
        done, total = self._partial(spec)
        size = spec.size_bytes or (entry.size if entry is not None else 0) or total
        progress: dict[str, Any] = {}
        actions: set[Action] = set()
        state: RowState
        missing = ""
        if kind == "starter":
            path, missing = self._starter_file()
            done = total = 0
        if job is not None:
            p = job.progress
            verifying = job.kind == "verify" or (p is not None and p.phase in ("verifying", "installing"))
            state = "verifying" if verifying else "downloading"
            if p is not None:
                progress = {"phase": p.phase, "done_bytes": p.done, "total_bytes": p.total or size,
                            "speed_bps": p.speed_bps, "eta_s": p.eta_s}
                message = p.message
            else:
                progress = {"phase": "checking" if job.kind == "download" else "verifying", "done_bytes": done,
                            "total_bytes": total or size}
                message = ""
            error = ""
            actions.add("cancel")
        elif kind == "starter":
            state = "bundled" if path is not None else "failed"
            error = error or missing
            if path is not None:
                actions.add("verify")
        elif entry is not None and entry.path.is_file():
            state = "installed"
            actions |= {"verify", "remove"}
        else:
            state = "failed" if error else "partial" if done > 0 else "not installed"
            if kind == "local" and not error:
                state, error = "failed", "the file is missing from the models folder; remove it and add it again"
            if done > 0:
                actions.add("resume")
                progress = {"done_bytes": done, "total_bytes": total or size}
            elif kind != "local":
                actions.add("download")
            if done > 0 or kind in ("hub", "local") or self._on_disk(spec, entry):
                actions.add("remove")
        return ModelRow(id=spec.id, name=spec.name, company=spec.company, size_bytes=size, license=spec.license,
                        chat_format=spec.chat_format, ram_mb=spec.ram_mb, params_millions=spec.params_millions,
                        state=state, kind=kind, path=path, message=message, last_error=error, notes=spec.notes,
                        repo="" if spec.repo == "local" else spec.repo, filename=spec.filename,
                        verified_at=entry.verified_at if entry is not None else "", actions=frozenset(actions),
                        **progress)

    def _pending_row(self, job_id: str, pending: _Pending) -> ModelRow:
        job = self._jobs.get(job_id)
        p = job.progress if job is not None else None
        progress: dict[str, Any] = {}
        if p is not None:
            progress = {"phase": p.phase, "done_bytes": p.done, "total_bytes": p.total, "speed_bps": p.speed_bps,
                        "eta_s": p.eta_s}
        state: RowState = "verifying" if job is not None else "failed"
        message = (p.message if p is not None and p.message
                   else "checking the file in a separate process" if job is not None else "")
        return ModelRow(id=job_id, name=pending.name, company="", size_bytes=_size(pending.path), license="",
                        chat_format="", ram_mb=0, params_millions=0, state=state, kind="pending",
                        path=pending.path, message=message, last_error=pending.error,
                        notes="A file you are adding from disk.", filename=pending.path.name,
                        actions=frozenset({"cancel"} if job is not None else {"remove"}), **progress)

    # -- actions ---------------------------------------------------------------------------------------

    def download(self, model_id: str) -> None:
        """Download (or resume) a catalogue or hub model; a no-op while a job for it runs."""
        spec, kind = self._lookup(model_id)
        if kind in ("starter", "local"):
            raise ValueError(f"{spec.name} is not downloaded from the hub")
        if model_id in self._jobs:
            return
        options = dict(self._download_options)
        custom = kind == "hub"

        def work(job: _Job) -> tuple[bool, str, dict[str, Any]]:
            path = download_file(spec, self.models_dir, progress=self._reporter(job), cancel=job.cancel,
                                 probe=custom and self._probe, **options)
            details: dict[str, Any] = {}
            if custom:  # the shape for its RAM estimate, read from the verified file's header
                with contextlib.suppress(Exception):
                    details["record"] = _shape_record(local_spec(path, spec.chat_format, model_id=spec.id,
                                                                 name=spec.name))
            return True, "downloaded and verified (size, sha256 and GGUF header)", details

        self._start(_Job(model_id, "download"), work)

    def cancel(self, job_id: str) -> None:
        """Stop a download (what arrived is kept for a resume), a verification or a file being added."""
        job = self._jobs.get(job_id)
        if job is not None:
            job.cancel.set()

    def verify(self, model_id: str) -> None:
        """Re-check an installed (or the bundled) file: size, sha256 and GGUF header. A file that fails
        leaves the registry, so it is never offered to the council again until it is downloaded anew."""
        spec, kind = self._lookup(model_id)
        if model_id in self._jobs:
            return
        if kind == "starter":
            path, missing = self._starter_file()
            if path is None:
                raise ValueError(missing)
            registry_dir: Path | None = None
        else:
            entry = load_registry(self.models_dir).get(model_id)
            if entry is None:
                raise ValueError(f"{spec.name} is not installed")
            path, registry_dir = entry.path, self.models_dir

        def work(job: _Job) -> tuple[bool, str, dict[str, Any]]:
            result = verify_installed(path, spec, models_dir=registry_dir, progress=self._reporter(job),
                                      cancel=job.cancel)
            return result.ok, result.reason, {}

        self._start(_Job(model_id, "verify"), work)

    def remove(self, model_id: str) -> None:
        """Delete a model's files (installed file, partial download) and forget it; a user's own model also
        leaves the list. A file being added that failed is dismissed."""
        if model_id in self._jobs:
            raise ValueError("cancel the running job first")
        if self._pending.pop(model_id, None) is not None:
            self.rows_changed.emit()
            return
        spec, kind = self._lookup(model_id)
        if kind == "starter":
            raise ValueError("the bundled starter model cannot be removed")
        remove_files(spec, self.models_dir)
        self._errors.pop(model_id, None)
        self._notes.pop(model_id, None)
        if kind in ("hub", "local"):
            self.settings[CUSTOM_KEY] = [r for r in self._records() if r.get("id") != model_id]
            self._save()
        self.rows_changed.emit()

    def add_local_file(self, path: Path | str, chat_format: str | None = None) -> str:
        """Add a GGUF file from disk: header and chat format checked, then the file opened in a throwaway
        process, then copied into the models folder. Returns the pending row's id; ``model_added`` tells
        how it went. ``chat_format`` None means "from the file's chat template"."""
        src = Path(path).expanduser()
        if chat_format is not None and chat_format not in FORMATS:
            raise ValueError(f"unknown chat format {chat_format!r}")
        job_id = f"adding:{next(self._counter)}"
        self._pending[job_id] = _Pending(src.name, src)
        probe = self._probe

        def work(job: _Job) -> tuple[bool, str, dict[str, Any]]:
            described = local_spec(src, chat_format)  # cheap, pure Python: fail before probing and copying
            entry = add_local_gguf(src, self.models_dir, probe=probe, progress=self._reporter(job), cancel=job.cancel)
            spec = local_spec(entry.path, described.chat_format, model_id=entry.id, name=described.name)
            record = {"id": entry.id, "source": "local", "filename": entry.filename,
                      "chat_format": spec.chat_format, **_shape_record(spec)}
            return True, f"{spec.name} was checked and added", {"record": record}

        self._start(_Job(job_id, "add"), work)
        return job_id

    def add_hub_file(self, repo: str, filename: str, chat_format: str) -> str:
        """Add a GGUF file from a hub repository and start downloading it; returns its model id.
        ValueError (a plain sentence) when the repo, file name or format is not acceptable."""
        spec = custom_spec(repo, filename, chat_format)
        for known, _kind in self._specs():
            if (known.repo, known.filename) == (spec.repo, spec.filename):
                raise ValueError(f"{spec.repo}/{spec.filename} is already in the list as {known.name}")
        record = {"id": spec.id, "source": "hub", "repo": spec.repo, "filename": spec.filename,
                  "chat_format": spec.chat_format, "name": spec.name}
        self.settings[CUSTOM_KEY] = [*self._records(), record]
        self._save()
        self.rows_changed.emit()
        self.download(spec.id)
        return spec.id

    def check_hub_file(self, repo: str, filename: str, chat_format: str) -> str:
        """Why these would be refused by ``add_hub_file`` ("" when they look fine); for live validation."""
        try:
            spec = custom_spec(repo, filename, chat_format)
        except ValueError as exc:
            return str(exc)
        known = next((s for s, _k in self._specs() if (s.repo, s.filename) == (spec.repo, spec.filename)), None)
        return f"already in the list as {known.name}" if known is not None else ""

    # -- seats -----------------------------------------------------------------------------------------

    def default_seats(self) -> list[SeatChoice]:
        return [SeatChoice(self._starter.id, p.id) for p in STARTER_PERSONAS[:MAX_SEATS]]

    def seat_models(self) -> list[ModelRow]:
        """The models a seat may take: the bundled starter (when present), verified installed files, and
        the remote models."""
        return [r for r in self.rows() if r.id in self._available()] + self._remote_rows()

    def _remote_rows(self) -> list[ModelRow]:
        return [ModelRow(id=r.model_id, name=f"{r.name} (remote)", company=r.url, size_bytes=0, license="",
                         chat_format="server's own", ram_mb=0, params_millions=0, state="installed", kind="remote",
                         notes=f"{r.model} on {r.url}") for r in self.remotes.rows()]

    def seats(self) -> list[SeatChoice]:
        """The saved seats, five of them; a seat whose model is no longer installed shows the starter."""
        available = self._available()
        personas = {p.id for p in STARTER_PERSONAS}
        defaults = self.default_seats()
        out: list[SeatChoice] = []
        for i, entry in enumerate(seat_records(self.settings)[:MAX_SEATS]):
            model = str(entry.get("model"))
            persona = str(entry.get("persona"))
            out.append(SeatChoice(model if model in available else self._starter.id,
                                  persona if persona in personas else defaults[i].persona_id))
        return out + defaults[len(out):] if out else defaults

    def set_seats(self, seats: Sequence[SeatChoice]) -> None:
        """Save the council for the next session. ValueError if a model is not installed and verified (or
        bundled), a persona is unknown, or there are not 1 to 5 seats."""
        seats = list(seats)
        if not 1 <= len(seats) <= MAX_SEATS:
            raise ValueError(f"a council has 1 to {MAX_SEATS} seats, not {len(seats)}")
        available = self._available()
        personas = {p.id for p in STARTER_PERSONAS}
        for seat in seats:
            if seat.model_id not in available:
                raise ValueError(f"{seat.model_id} is not installed and verified, so it cannot take a seat")
            if seat.persona_id not in personas:
                raise ValueError(f"unknown persona {seat.persona_id!r}")
        self.settings[SEATS_KEY] = [{"model": s.model_id, "persona": s.persona_id} for s in seats]
        self._save()
        self.seats_changed.emit(seats)

    def ram_estimate_mb(self, seats: Sequence[SeatChoice], n_ctx: int = RAM_REFERENCE_N_CTX) -> int:
        """RAM (MiB) for these seats: weights once per distinct file (mmap), KV and compute per seat."""
        by_id = {spec.id: spec for spec, _kind in self._specs()}
        specs = [by_id[s.model_id] for s in seats if s.model_id in by_id]
        return ram_estimate_mb(specs, n_ctx) if specs else 0

    def _available(self) -> set[str]:
        ids = {spec.id for spec, _kind in self._specs()}
        available = {mid for mid, m in load_registry(self.models_dir).items() if mid in ids and m.path.is_file()}
        if self._starter_file()[0] is not None:
            available.add(self._starter.id)
        available.update(s.model_id for s in self.remotes.specs())
        return available

    # -- jobs ------------------------------------------------------------------------------------------

    def _reporter(self, job: _Job) -> Callable[[Progress], None]:
        def report(progress: Progress) -> None:
            with contextlib.suppress(RuntimeError):  # the manager is gone (shutdown timed out)
                self._job_progressed.emit(job.id, progress)

        return report

    def _start(self, job: _Job, work: Callable[[_Job], tuple[bool, str, dict[str, Any]]]) -> None:
        self._jobs[job.id] = job
        self._errors.pop(job.id, None)
        self._notes.pop(job.id, None)
        finished = self._job_finished

        def run() -> None:
            details: dict[str, Any] = {}
            try:
                ok, message, details = work(job)
            except DownloadCancelled as exc:
                ok, message, details = False, exc.reason, {"cancelled": True}
            except DownloadError as exc:
                ok, message = False, exc.reason
            except ValueError as exc:  # a chat format that cannot be told, a file that is not GGUF
                ok, message = False, str(exc)
            except Exception as exc:  # the row says so; the app lives on
                log.exception("model job %s failed", job.id)
                ok, message = False, f"unexpected error: {type(exc).__name__}: {exc}"
            with contextlib.suppress(RuntimeError):
                finished.emit(job.id, ok, message, details)

        self._pool.start(QRunnable.create(run))
        self.rows_changed.emit()

    def _on_job_progressed(self, job_id: str, progress: object) -> None:
        job = self._jobs.get(job_id)
        if job is None or not isinstance(progress, Progress):
            return
        job.progress = progress
        if job.kind == "download":
            self.download_progressed.emit(job_id, progress)
        else:
            self.verify_progressed.emit(job_id, progress)

    def _on_job_finished(self, job_id: str, ok: bool, message: str, details: object) -> None:
        job = self._jobs.pop(job_id, None)
        if job is None:
            return
        extra = details if isinstance(details, dict) else {}
        cancelled = bool(extra.get("cancelled"))
        record = extra.get("record")
        model_id = job_id
        if job.kind == "add":
            pending = self._pending.pop(job_id, None)
            if ok and isinstance(record, dict):
                model_id = str(record["id"])
                self._upsert(record)
                self._notes[model_id] = message
            elif pending is not None and not cancelled:
                pending.error = message
                self._pending[job_id] = pending
            if not ok:
                model_id = ""
        else:
            if ok and isinstance(record, dict):
                self._upsert({"id": job_id, **record})
            if ok or cancelled:
                self._notes[job_id] = message
            else:
                self._errors[job_id] = message
        self.rows_changed.emit()
        if job.kind == "download":
            self.download_finished.emit(job_id, ok, message)
        elif job.kind == "verify":
            self.verify_finished.emit(job_id, ok, message)
        else:
            self.model_added.emit(model_id, ok, message)

    def _upsert(self, record: Mapping[str, Any]) -> None:
        records = self._records()
        for i, existing in enumerate(records):
            if existing.get("id") == record["id"]:
                records[i] = {**existing, **record}
                break
        else:
            records.append(dict(record))
        self.settings[CUSTOM_KEY] = records
        self._save()

    def _save(self) -> None:
        self._save_settings(self.settings)

    def shutdown(self, timeout: float = 5.0) -> bool:
        """Cancel every job (partial downloads are kept for a resume) and wait up to ``timeout`` seconds.
        True when all stopped. A file being probed may take until its probe times out."""
        for job in self._jobs.values():
            job.cancel.set()
        return bool(self._pool.waitForDone(int(timeout * 1000)))


def _shape_record(spec: ModelSpec) -> dict[str, Any]:
    return {k: getattr(spec, k) for k in _RECORD_FIELDS}


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
