"""Download and install failures, each with a message that names the file and says what went wrong."""

from __future__ import annotations

from ..core.types import CouncilError


class DownloadError(CouncilError):
    """Base of every download/install failure. ``reason`` is a plain sentence for the user;
    ``keeps_partial`` says whether a ``.part`` file was kept so the next attempt resumes."""

    keeps_partial = False

    def __init__(self, reason: str, *, filename: str = "") -> None:
        super().__init__(f"{filename}: {reason}" if filename else reason)
        self.reason = reason
        self.filename = filename


class DownloadCancelled(DownloadError):
    """The user stopped the download; what arrived is kept for a resume."""

    keeps_partial = True


class NetworkError(DownloadError):
    """The connection kept failing (drops, timeouts, 5xx) after every retry; the partial file is kept."""

    keeps_partial = True


class StalledError(NetworkError):
    """No bytes arrived for ``stall_seconds`` on every retry."""


class NotFoundError(DownloadError):
    """The repository, revision or file does not exist on the hub (404)."""


class AuthError(DownloadError):
    """The hub refused access (401/403, gated or private repository)."""


class DiskFullError(DownloadError):
    """Not enough free space, before or during the download; the partial file is kept."""

    keeps_partial = True


class UpstreamChangedError(DownloadError):
    """The hub now serves a different file (size or sha256) than the catalogue pinned."""


class VerificationError(DownloadError):
    """The bytes are wrong: the partial file is deleted and nothing is installed."""


class SizeMismatchError(VerificationError):
    """The file does not have the expected size."""


class ChecksumMismatchError(VerificationError):
    """The file's sha256 differs from the expected one (corrupted in transit or tampered with)."""


class NotGGUFError(VerificationError):
    """The file is not a GGUF model llama.cpp could read (wrong magic, version or structure)."""


class UnsafeModelError(VerificationError):
    """A user-added file failed or crashed the loader in the throwaway probe process."""
