"""Builds the council-transcript/1 document from a session's ordered event log (docs/ARCHITECTURE.md,
"The transcript")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from .events import ASK_STAGES, DEBATE_STAGES, Event, MemberFailedData, RolesData

FORMAT = "council-transcript/1"
_TURN_KINDS = {"topic", "opinion", "rebuttal", "answer", "synthesis"}


def build_transcript(events: Sequence[Event], session_id: str = "", status: str | None = None) -> dict[str, Any]:
    """The transcript of whatever the log holds; an interrupted log gives a partial transcript whose
    ``status`` says so. Turns inside a stage are in seat order, so the same seed gives the same file."""
    roles = next((e for e in events if e.kind == "roles"), None)
    roles_data: RolesData = cast(RolesData, roles.data) if roles else {}
    mode = roles_data.get("mode", "debate")
    members: list[dict[str, Any]] = [dict(m) for m in roles_data.get("members", [])]
    seat = [m["id"] for m in members]
    failures = [cast(MemberFailedData, e.data) for e in events if e.kind == "member_failed"]
    failed = {d.get("member"): d.get("reason", "") for d in failures}
    for m in members:
        if m["id"] in failed:
            m["status"] = "failed"
            m["failure"] = failed[m["id"]]
    names = DEBATE_STAGES if mode == "debate" else ASK_STAGES
    stages: dict[int, dict[str, Any]] = {}
    current = 0
    chairman = roles_data.get("chairman")
    topic = ""
    proposer = roles_data.get("proposer")
    reviews: list[dict[str, Any]] = []
    rankings: list[dict[str, Any]] = []
    alliances: list[dict[str, Any]] = []
    aggregate: list[dict[str, Any]] = []
    rebuttals: list[str] = []
    synthesis: dict[str, Any] | None = None
    achievements: list[dict[str, Any]] = []
    parent: dict[str, Any] | None = None
    viewer: list[dict[str, Any]] = []
    complete = next((e for e in events if e.kind == "complete"), None)

    def stage(index: int) -> dict[str, Any]:
        return stages.setdefault(index, {"index": index, "name": names[index] if index < len(names) else "",
                                         "turns": []})

    for e in events:
        d = e.data
        if e.kind == "stage":
            current = int(d["index"])
            stage(current)
        elif e.kind in _TURN_KINDS:
            if e.kind == "topic":
                topic = d["text"]
                proposer = d.get("member") or ("user" if mode == "debate" else None)
            if e.kind == "rebuttal":
                rebuttals.append(d["member"])
            if e.kind == "synthesis":
                chairman = d["member"]
                synthesis = {"member": d["member"], "text": d["text"]}
            if d.get("member") is not None:
                kind = "answer" if (e.kind == "synthesis" and mode == "ask") else e.kind
                stage(current)["turns"].append({"member": d["member"], "kind": kind, "text": d["text"],
                                                "tokens": d.get("tokens", 0), "seconds": d.get("seconds", 0.0),
                                                # the live checker's second try (core/speech.py), on record
                                                **({"regenerated": d["regenerated"]} if d.get("regenerated")
                                                   else {})})
        elif e.kind == "review":
            stage(current)["turns"].append({"member": d["reviewer"], "kind": "review", "text": d.get("raw", ""),
                                            "tokens": 0, "seconds": 0.0})
            for row in d["scores"]:
                reviews.append({"reviewer": d["reviewer"], "target": row["target"], "label": row["label"],
                                "score": row["score"], "valid": bool(d["valid"]),
                                **({"reason": d["reason"]} if d.get("reason") else {})})
        elif e.kind == "ranking":
            stage(current)["turns"].append({"member": d["reviewer"], "kind": "ranking", "text": d.get("raw", ""),
                                            "tokens": 0, "seconds": 0.0})
            rankings.append({"reviewer": d["reviewer"], "order": list(d["order"]), "valid": bool(d["valid"]),
                             **({"reason": d["reason"]} if d.get("reason") else {})})
        elif e.kind == "alliance":
            stage(current)["turns"].append({"member": d["member"], "kind": "alliance", "text": d.get("raw", ""),
                                            "tokens": 0, "seconds": 0.0})
            for stance in ("agree", "disagree"):
                for target in d.get(stance, []):
                    alliances.append({"from": d["member"], "to": target, "stance": stance})
        elif e.kind == "aggregate":
            aggregate = [{"member": r["member"], "mean_score": r.get("mean_score"),
                          "average_rank": r.get("average_rank"), "borda": r.get("borda")} for r in d["rows"]]
        elif e.kind == "chair_changed":
            chairman = d["chairman"]
        elif e.kind == "achievement":
            achievements.append({"member": d["member"], "badge": d["badge"], "reason": d["reason"]})
        elif e.kind == "forked":
            parent = {"session_id": d["parent"], "stage": d["stage"], "changes": dict(d.get("changes") or {})}
            chairman = d.get("chairman") or chairman
        elif e.kind == "viewer_ballot":
            viewer.append({"stage": d["stage"], "kind": d["kind"],
                           "scores": [{"target": r["target"], "label": r["label"], "score": r["score"]}
                                      for r in d.get("scores") or []],
                           "order": list(d.get("order") or []), "agree": list(d.get("agree") or []),
                           "disagree": list(d.get("disagree") or []), "counted": bool(d.get("counted"))})

    def seat_key(turn: dict[str, Any]) -> int:
        return seat.index(turn["member"]) if turn["member"] in seat else len(seat)

    for st in stages.values():
        st["turns"].sort(key=seat_key)
    reviews.sort(key=lambda r: (seat.index(r["reviewer"]) if r["reviewer"] in seat else 99,
                                seat.index(r["target"]) if r["target"] in seat else 99))
    if status is None:
        status = complete.data["status"] if complete else "interrupted"
    out: dict[str, Any] = {
        "format": FORMAT, "mode": mode, "session_id": session_id, "status": status,
        "started_at": events[0].at if events else "", "finished_at": complete.at if complete else "",
        "topic": topic, "proposer": proposer, "chairman": chairman, "members": members,
        "stages": [stages[i] for i in sorted(stages)], "reviews": reviews, "rankings": rankings,
        "aggregate": aggregate, "rebuttals": rebuttals, "alliances": alliances, "synthesis": synthesis,
        "achievements": achievements,
    }
    if complete is not None and complete.data.get("reason"):
        out["note"] = complete.data["reason"]
    if roles is not None:
        out["seed"] = roles.data.get("seed")
    if parent is not None:  # a fork names its parent (issue 15)
        out["parent"] = parent
        if "seed" in parent["changes"]:
            out["seed"] = parent["changes"]["seed"]
    if viewer:
        out["viewer"] = viewer
    return out
