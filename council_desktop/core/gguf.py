"""A stdlib reader for GGUF headers: tells a model file from a truncated, foreign or broken one
before any native code sees it."""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

GGUF_MAGIC = b"GGUF"

# ggml type id -> (block size in elements, bytes per block); types we don't know skip the size check.
_TYPE_SIZES: dict[int, tuple[int, int]] = {
    0: (1, 4), 1: (1, 2), 2: (32, 18), 3: (32, 20), 6: (32, 22), 7: (32, 24), 8: (32, 34), 9: (32, 36),
    10: (256, 84), 11: (256, 110), 12: (256, 144), 13: (256, 176), 14: (256, 210), 15: (256, 292),
    16: (256, 66), 17: (256, 74), 18: (256, 98), 19: (256, 50), 20: (32, 18), 21: (256, 110),
    22: (256, 82), 23: (256, 136), 24: (1, 1), 25: (1, 2), 26: (1, 4), 27: (1, 8), 28: (1, 8),
    29: (256, 56), 30: (1, 2), 34: (256, 54), 35: (256, 66), 39: (32, 17),
}
_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}


class GGUFError(ValueError):
    """The file is not a usable GGUF model; the message names the file and the reason."""


@dataclass
class GGUFInfo:
    path: Path
    version: int
    n_tensors: int
    metadata: dict[str, Any] = field(default_factory=dict)
    data_end: int | None = None  # where the last tensor ends; None when a tensor type is unknown

    @property
    def architecture(self) -> str:
        return str(self.metadata.get("general.architecture", "unknown"))

    @property
    def name(self) -> str:
        return str(self.metadata.get("general.name", self.path.stem))


class _Reader:
    def __init__(self, fh: BinaryIO, size: int) -> None:
        self.fh = fh
        self.size = size

    def read(self, n: int) -> bytes:
        data = self.fh.read(n)
        if len(data) != n:
            raise GGUFError("the header is cut short (truncated file)")
        return data

    def unpack(self, fmt: str) -> Any:
        return struct.unpack(fmt, self.read(struct.calcsize(fmt)))[0]

    def string(self) -> str:
        n = self.unpack("<Q")
        if n > min(self.size, 1 << 26):
            raise GGUFError("a header string has an impossible length (corrupt file)")
        return self.read(n).decode("utf-8", "replace")

    def value(self, vtype: int, depth: int = 0) -> Any:
        if vtype in _SCALARS:
            return self.unpack(_SCALARS[vtype])
        if vtype == 8:
            return self.string()
        if vtype == 9 and depth == 0:
            etype, count = self.unpack("<I"), self.unpack("<Q")
            if count > self.size:
                raise GGUFError("a header array has an impossible length (corrupt file)")
            if etype in _SCALARS:
                width = struct.calcsize(_SCALARS[etype])
                self.fh.seek(width * count, os.SEEK_CUR)  # arrays (vocabularies) are skipped, not parsed
                return f"<array of {count}>"
            if etype == 8:
                for _ in range(count):
                    self.fh.seek(self.unpack("<Q"), os.SEEK_CUR)
                return f"<array of {count} strings>"
            return [self.value(etype, depth + 1) for _ in range(count)] if etype != 9 else None
        raise GGUFError(f"unknown metadata type {vtype} (corrupt file)")


def read_gguf(path: str | os.PathLike[str], *, keys: bool = True) -> GGUFInfo:
    """Parse the header and tensor table; raise GGUFError with a reason for anything that is wrong."""
    p = Path(path)
    if not p.exists():
        raise GGUFError(f"{p.name}: the file does not exist ({p})")
    if not p.is_file():
        raise GGUFError(f"{p.name}: not a regular file")
    size = p.stat().st_size
    if size < 24:
        raise GGUFError(f"{p.name}: the file is empty or far too small ({size} bytes)")
    try:
        with p.open("rb") as fh:
            r = _Reader(fh, size)
            if r.read(4) != GGUF_MAGIC:
                raise GGUFError("not a GGUF model file (wrong magic bytes)")
            version = r.unpack("<I")
            if version not in (2, 3):
                raise GGUFError(f"unsupported GGUF version {version}")
            n_tensors, n_kv = r.unpack("<Q"), r.unpack("<Q")
            if n_tensors > 100_000 or n_kv > 100_000:
                raise GGUFError("the header counts are impossible (corrupt file)")
            meta: dict[str, Any] = {}
            for _ in range(n_kv):
                key = r.string()
                meta[key] = r.value(r.unpack("<I"))
            alignment = int(meta.get("general.alignment", 32)) or 32
            end = 0
            known = True
            for _ in range(n_tensors):
                r.string()
                n_dims = r.unpack("<I")
                if n_dims > 8:
                    raise GGUFError("a tensor has an impossible shape (corrupt file)")
                count = 1
                for _ in range(n_dims):
                    count *= r.unpack("<Q")
                ttype, offset = r.unpack("<I"), r.unpack("<Q")
                if ttype in _TYPE_SIZES:
                    block, nbytes = _TYPE_SIZES[ttype]
                    end = max(end, offset + count // block * nbytes)
                else:
                    known = False
            data_start = -(-fh.tell() // alignment) * alignment
    except GGUFError as exc:
        raise GGUFError(f"{p.name}: {exc}") from None
    except OSError as exc:
        raise GGUFError(f"{p.name}: cannot be read ({exc.strerror or exc})") from None
    # A file with no tensors has no data section; llama.cpp will refuse it with its own reason.
    info = GGUFInfo(p, version, n_tensors, meta if keys else {}, data_start + end if known and end else None)
    if info.data_end is not None and info.data_end > size:
        raise GGUFError(f"{p.name}: the file is truncated ({size:,} bytes of {info.data_end:,} expected)")
    return info


def has_gguf_magic(path: str | os.PathLike[str]) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == GGUF_MAGIC
    except OSError:
        return False
