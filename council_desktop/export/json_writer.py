"""The JSON transcript: exactly the council-transcript/1 dict, in a stable key order."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .schema import canonical, validate


def to_json(t: Mapping[str, Any]) -> str:
    """``t`` as UTF-8-ready JSON text (indent 2, non-ASCII kept, trailing newline).

    Keys follow the order of docs/ARCHITECTURE.md, "The transcript", with unknown keys after them,
    sorted, so equal transcripts give equal bytes. ``json.loads`` of the result equals ``t``. Raises
    ValueError when ``t`` is not a valid transcript or holds something JSON cannot represent exactly (a
    set, an object, NaN or infinity).
    """
    data = canonical(validate(t))
    try:
        return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    except (TypeError, ValueError) as exc:
        raise ValueError(f"transcript cannot be written as JSON: {exc}") from exc
