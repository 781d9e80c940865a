"""The council-transcript/1 contract: validation and the canonical key order (docs/ARCHITECTURE.md,
"The transcript")."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

FORMAT = "council-transcript/1"
MODES = ("debate", "ask")
# The sessions table's states plus the `complete` event's "cancelled"; a missing status means finished.
STATUSES = ("finished", "interrupted", "failed", "cancelled", "running")

# §4's keys in §4's order. Writers emit known keys in this order and unknown keys after, sorted, so the
# same transcript always serialises to the same bytes however its dict was built.
TOP_LEVEL_ORDER = (
    "format", "mode", "session_id", "started_at", "finished_at", "status", "topic", "proposer",
    "chairman", "members", "stages", "reviews", "rankings", "aggregate", "rebuttals", "alliances",
    "synthesis", "achievements",
)
RECORD_ORDER: dict[str, tuple[str, ...]] = {
    "members": ("id", "name", "model", "persona", "status"),
    "stages": ("index", "name", "turns"),
    "turns": ("member", "kind", "text", "tokens", "seconds"),
    "reviews": ("reviewer", "target", "label", "score", "valid"),
    "rankings": ("reviewer", "order", "valid"),
    "aggregate": ("member", "mean_score", "average_rank"),
    "alliances": ("from", "to", "stance"),
    "synthesis": ("member", "text"),
    "achievements": ("member", "badge", "reason"),
}

# Keys a transcript must carry for any writer to make sense of it; the rest default to empty.
REQUIRED_KEYS = ("format", "mode", "session_id", "started_at", "topic", "members", "stages")
LIST_KEYS = ("reviews", "rankings", "aggregate", "rebuttals", "alliances", "achievements")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_records(t: Mapping[str, Any], key: str, fields: Mapping[str, tuple[type, ...] | str],
                   problems: list[str]) -> None:
    """Each entry of list ``t[key]`` must be an object whose ``fields`` have the given types
    ("number" and "int" are spelled out because bool is an int in Python)."""
    records = t.get(key)
    if records is None:
        return
    if not isinstance(records, list):
        problems.append(f"'{key}' must be a list, not {type(records).__name__}")
        return
    for i, record in enumerate(records):
        if not isinstance(record, Mapping):
            problems.append(f"{key}[{i}] must be an object, not {type(record).__name__}")
            continue
        for name, kind in fields.items():
            if name not in record:
                problems.append(f"{key}[{i}] has no '{name}'")
                continue
            value = record[name]
            if isinstance(kind, str):
                ok = _is_number(value) if kind == "number" else _is_int(value)
            else:
                ok = isinstance(value, kind)
            if not ok:
                problems.append(f"{key}[{i}].{name} has the wrong type ({type(value).__name__})")


def validate(t: object) -> Mapping[str, Any]:
    """Return ``t`` if it is a council-transcript/1 dict a writer can render; otherwise raise one
    ValueError listing every problem found."""
    if not isinstance(t, Mapping):
        raise ValueError(f"a transcript must be a dict, not {type(t).__name__}")
    problems: list[str] = []
    missing = [k for k in REQUIRED_KEYS if k not in t]
    if missing:
        problems.append("missing required key(s): " + ", ".join(repr(k) for k in missing))
    if "format" in t and t["format"] != FORMAT:
        problems.append(f"'format' is {t['format']!r}, expected {FORMAT!r}")
    if "mode" in t and t["mode"] not in MODES:
        problems.append(f"'mode' is {t['mode']!r}, expected one of {', '.join(MODES)}")
    if "status" in t and t["status"] not in STATUSES:
        problems.append(f"'status' is {t['status']!r}, expected one of {', '.join(STATUSES)}")
    for key in ("session_id", "started_at", "topic"):
        if key in t and not isinstance(t[key], str):
            problems.append(f"'{key}' must be a string")
    for key in ("finished_at", "proposer", "chairman"):
        if t.get(key) is not None and not isinstance(t[key], str):
            problems.append(f"'{key}' must be a string or null")
    for key in LIST_KEYS:
        if key in t and not isinstance(t[key], list):
            problems.append(f"'{key}' must be a list")
    synthesis = t.get("synthesis")
    if synthesis is not None and not (isinstance(synthesis, Mapping) and isinstance(synthesis.get("text"), str)):
        problems.append("'synthesis' must be null or an object with a string 'text'")

    _check_records(t, "members", {"id": (str,), "name": (str,)}, problems)
    _check_records(t, "stages", {"index": "int", "name": (str,), "turns": (list,)}, problems)
    stages = t.get("stages")
    if isinstance(stages, list):
        for si, stage in enumerate(stages):
            if isinstance(stage, Mapping) and isinstance(stage.get("turns"), list):
                sub: list[str] = []
                _check_records({"turns": stage["turns"]}, "turns",
                               {"member": (str, type(None)), "text": (str,)}, sub)
                problems.extend(f"stages[{si}].{p}" for p in sub)
    # An unreadable ballot may name no target at all.
    _check_records(t, "reviews", {"reviewer": (str,), "target": (str, type(None))}, problems)
    _check_records(t, "rankings", {"reviewer": (str,), "order": (list,)}, problems)
    _check_records(t, "aggregate", {"member": (str,)}, problems)
    _check_records(t, "alliances", {"from": (str,), "to": (str,), "stance": (str,)}, problems)
    _check_records(t, "achievements", {"member": (str,), "badge": (str,)}, problems)
    rebuttals = t.get("rebuttals")
    if isinstance(rebuttals, list) and not all(isinstance(r, str) for r in rebuttals):
        problems.append("'rebuttals' must be a list of member ids")
    if problems:
        raise ValueError(f"not a valid {FORMAT} transcript: " + "; ".join(problems))
    return t


def _ordered(record: Mapping[str, Any], order: Sequence[str]) -> dict[str, Any]:
    known = {k: record[k] for k in order if k in record}
    known.update((k, record[k]) for k in sorted(set(record) - set(order)))
    return known


def canonical(t: Mapping[str, Any]) -> dict[str, Any]:
    """The same transcript with its keys in canonical order (values are not changed or added)."""
    out = _ordered(t, TOP_LEVEL_ORDER)
    for key, order in RECORD_ORDER.items():
        value = out.get(key)
        if key == "synthesis" and isinstance(value, Mapping):
            out[key] = _ordered(value, order)
        elif key not in ("synthesis", "turns") and isinstance(value, list):
            out[key] = [_ordered(r, order) if isinstance(r, Mapping) else r for r in value]
    stages = out.get("stages")
    if isinstance(stages, list):
        out["stages"] = [
            {**s, "turns": [_ordered(turn, RECORD_ORDER["turns"]) if isinstance(turn, Mapping) else turn
                            for turn in s["turns"]]}
            if isinstance(s, Mapping) and isinstance(s.get("turns"), list) else s
            for s in stages
        ]
    return out
