"""The Hugging Face hub side: file URLs, file metadata (size, sha256, commit) and the user's token.

huggingface_hub reads its environment (``HF_ENDPOINT``, ``HF_HUB_DISABLE_XET``) once, at import time;
it is imported lazily here, after ``HF_HUB_DISABLE_XET=1`` was set, because its Xet transfer path can
be neither resumed nor cancelled. The bytes themselves are fetched by ``transfer``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from types import ModuleType

from .errors import AuthError, DownloadError, NetworkError, NotFoundError
from .registry import DownloadSpec

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
METADATA_TIMEOUT_S = 15.0

# Set on import of this package, before anything imports huggingface_hub (it reads them only once):
# the composition root imports council_desktop.downloads early. Our own transfer never uses Xet anyway.
os.environ.setdefault("HF_HUB_DISABLE_XET", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


def _hub() -> ModuleType:
    import huggingface_hub

    return huggingface_hub


@dataclass(frozen=True)
class RemoteFile:
    """What the hub says about one file at one revision."""

    url: str  # the resolve URL; it redirects to a signed CDN URL that expires, so it is re-resolved per GET
    size: int | None
    sha256: str | None  # the LFS sha256 (X-Linked-Etag / ETag) when the file is an LFS/Xet file
    etag: str | None
    commit: str | None


def is_sha256(text: str | None) -> bool:
    return bool(text) and bool(_SHA256.match(str(text)))


def hub_url(spec: DownloadSpec, endpoint: str | None = None) -> str:
    """``{endpoint}/{repo}/resolve/{revision}/{filename}``; the endpoint defaults to ``HF_ENDPOINT``."""
    url: str = _hub().hf_hub_url(spec.repo, spec.filename, revision=spec.revision or "main",
                                 endpoint=endpoint.rstrip("/") if endpoint else None)
    return url


def resolve_token(token: str | bool | None) -> str | None:
    """None: the token the user saved with the hub (``HF_TOKEN`` or ``hf auth login``); False: none."""
    if token is False:
        return None
    if isinstance(token, str):
        return token or None
    try:
        saved: str | None = _hub().get_token()
    except Exception:  # a broken token file must not stop public downloads
        return None
    return saved


def fetch_metadata(spec: DownloadSpec, *, endpoint: str | None = None, token: str | bool | None = None,
                   timeout: float = METADATA_TIMEOUT_S) -> RemoteFile:
    """HEAD the resolve URL through huggingface_hub. Raises NotFoundError, AuthError, or NetworkError
    (transient: the caller may retry)."""
    hub = _hub()
    from huggingface_hub import errors as hub_errors

    url = hub_url(spec, endpoint)
    name = spec.filename
    try:
        meta = hub.get_hf_file_metadata(url, token=token, timeout=timeout, endpoint=endpoint)
    except hub_errors.GatedRepoError:
        raise AuthError(f"{spec.repo} is a gated repository: accept its licence on the hub and sign in "
                        "with an access token", filename=name) from None
    except (hub_errors.RemoteEntryNotFoundError, hub_errors.EntryNotFoundError):
        raise NotFoundError(f"the hub has no such file in {spec.repo} at revision {spec.revision}",
                            filename=name) from None
    except hub_errors.RevisionNotFoundError:
        raise NotFoundError(f"{spec.repo} has no revision {spec.revision!r}", filename=name) from None
    except hub_errors.RepositoryNotFoundError:
        raise NotFoundError(f"the repository {spec.repo} was not found (or it is private: sign in with "
                            "an access token)", filename=name) from None
    except hub_errors.OfflineModeIsEnabled:
        raise DownloadError("the hub is in offline mode (HF_HUB_OFFLINE is set)", filename=name) from None
    except hub_errors.HfHubHTTPError as exc:
        status = exc.response.status_code if exc.response is not None else 0
        raise status_error(status, name, "the hub") from None
    except Exception as exc:  # httpx2 transport errors, timeouts, DNS failures: transient by nature
        raise NetworkError(f"could not reach the hub ({type(exc).__name__}: {exc})", filename=name) from None
    etag = meta.etag
    return RemoteFile(url=url, size=meta.size, sha256=etag if is_sha256(etag) else None, etag=etag,
                      commit=meta.commit_hash)


def status_error(status: int, filename: str, who: str) -> DownloadError:
    if status == 404:
        return NotFoundError(f"{who} answered 404: the file is not there", filename=filename)
    if status in (401, 403):
        return AuthError(f"{who} refused access (HTTP {status}): the repository may be gated or private; "
                         "sign in with an access token", filename=filename)
    if status == 429 or status >= 500:
        return NetworkError(f"{who} answered HTTP {status}", filename=filename)
    return DownloadError(f"{who} answered HTTP {status}", filename=filename)

