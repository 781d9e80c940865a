"""Probes that read the same answer (``Probe.share``) run on one seat of their model file, so the answer is
prefilled once (the real model's side: tests/llm/test_engine.py). Here the routing itself, on the real
``Engine``'s submission code with a scripted model."""

from __future__ import annotations

from pathlib import Path

from council_desktop.core.types import GenerationParams, Message
from council_desktop.llm.engine import Job, SeatSpec
from tests.scripted_engine import ScriptedEngine

SEATS = ["sage", "skeptic", "optimist", "pragmatist", "poet"]


def engine(formats: dict[str, str] | None = None) -> ScriptedEngine:
    eng = ScriptedEngine()
    eng.load([SeatSpec(m, Path("scripted.gguf"), (formats or {}).get(m, "chatml")) for m in SEATS])
    return eng


def probe(member: str, share: str) -> Job:
    return Job(member, [Message("user", f"{share} as {member}")], GenerationParams(max_tokens=0),
               probe_prefix="", probe_choices=("Yes", "No"), share=share)


def review() -> list[Job]:
    """A review's probes as the pipeline sends them: judge by judge, each judge every other answer."""
    return [probe(judge, f"review:{author}") for judge in SEATS for author in SEATS if author != judge]


def test_the_judges_of_one_answer_run_on_one_seat_and_the_answers_spread_over_all_seats() -> None:
    eng = engine()
    jobs = eng._route(review())
    assert len(jobs) == 20
    seat_of = {}
    for job in jobs:
        seat_of.setdefault(job.share, set()).add(job.seat)
    assert all(len(seats) == 1 for seats in seat_of.values())
    assert sorted(s for (s,) in seat_of.values()) == sorted(SEATS)  # one answer per seat
    # Each seat's probes are contiguous in the queue's order, so its KV keeps the answer between them.
    shares = [j.share for j in jobs]
    assert all(shares.index(s) + shares.count(s) - 1 == len(shares) - 1 - shares[::-1].index(s) for s in shares)
    assert [j.member_id for j in jobs if j.share == "review:sage"] == ["skeptic", "optimist", "pragmatist", "poet"]


def test_the_routing_is_decided_by_the_submission_alone() -> None:
    first = [(j.member_id, j.share, j.seat) for j in engine()._route(review())]
    again = [(j.member_id, j.share, j.seat) for j in engine()._route(review())]
    assert first == again


def test_generations_and_unshared_probes_keep_their_own_seat() -> None:
    eng = engine()
    gen = Job("poet", [Message("user", "hi")], GenerationParams(max_tokens=4))
    plain = probe("sage", "")
    shared = [probe(m, "review:x") for m in ("skeptic", "optimist")]
    jobs = eng._route([gen, plain, *shared])
    assert gen.seat == "" and plain.seat == ""
    # the shared pair goes to a seat with no job of this submission yet, not to poet's or sage's
    assert shared[0].seat == shared[1].seat == "skeptic"
    assert jobs == [gen, plain, *shared]


def test_only_a_seat_that_writes_the_same_chat_format_takes_a_shared_probe() -> None:
    eng = engine({"poet": "gemma"})
    jobs = [probe(m, "review:a") for m in ("sage", "poet")] + [probe(m, "review:b") for m in ("sage", "poet")]
    routed = eng._route(jobs)
    by_member = {(j.member_id, j.share): j.seat for j in routed}
    assert by_member[("poet", "review:a")] == by_member[("poet", "review:b")] == "poet"
    assert by_member[("sage", "review:a")] != "poet" and by_member[("sage", "review:b")] != "poet"
    assert by_member[("sage", "review:a")] != by_member[("sage", "review:b")]  # spread


def test_a_resubmitted_job_is_routed_afresh() -> None:
    eng = engine()
    job = probe("sage", "review:a")
    eng._route([probe("skeptic", "review:b"), job])
    first = job.seat
    job.share = ""
    eng._route([job])
    assert first and job.seat == ""
