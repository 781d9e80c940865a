"""The model downloader: hub metadata, resumable verified downloads, the installed registry, user files.

Everything here is blocking and Qt-free (STYLE rule 6): the app runs ``download``, ``verify_installed``
and ``add_local_gguf`` on a worker thread with a cancel token and a progress callback.
"""

from .errors import (
    AuthError,
    ChecksumMismatchError,
    DiskFullError,
    DownloadCancelled,
    DownloadError,
    NetworkError,
    NotFoundError,
    NotGGUFError,
    SizeMismatchError,
    StalledError,
    UnsafeModelError,
    UpstreamChangedError,
    VerificationError,
)
from .hub import RemoteFile, fetch_metadata, hub_url
from .install import VerifyResult, add_local_gguf, remove, verify_installed
from .probe import PROBE_FLAG, ProbeResult, probe_gguf_in_subprocess
from .progress import Progress, ProgressCallback
from .registry import DownloadSpec, InstalledModel, find_installed, install_path, load_registry
from .transfer import download

__all__ = [
    "PROBE_FLAG",
    "AuthError",
    "ChecksumMismatchError",
    "DiskFullError",
    "DownloadCancelled",
    "DownloadError",
    "DownloadSpec",
    "InstalledModel",
    "NetworkError",
    "NotFoundError",
    "NotGGUFError",
    "ProbeResult",
    "Progress",
    "ProgressCallback",
    "RemoteFile",
    "SizeMismatchError",
    "StalledError",
    "UnsafeModelError",
    "UpstreamChangedError",
    "VerificationError",
    "VerifyResult",
    "add_local_gguf",
    "download",
    "fetch_metadata",
    "find_installed",
    "hub_url",
    "install_path",
    "load_registry",
    "probe_gguf_in_subprocess",
    "remove",
    "verify_installed",
]
