"""`--threads auto|N`: whether the decode thread count adapts, and the seeded default that keeps it fixed."""

from __future__ import annotations

import pytest

from council_desktop import cli
from council_desktop.llm.engine import physical_cores
from council_desktop.llm.seating import starter_council


def _engine(argv: list[str]) -> object:
    args = cli.build_parser().parse_args(["debate", "--no-db", *argv])
    runtime = cli._runtime(starter_council(), None, args)
    return runtime.engine


@pytest.mark.parametrize(("argv", "fixed"), [
    ([], None),                                    # no seed: adapts
    (["--seed", "7"], physical_cores()),           # a seed alone: fixed, so the transcript repeats
    (["--seed", "7", "--threads", "auto"], None),  # asked to adapt although seeded
    (["--threads", "1"], 1),
    (["--seed", "7", "--threads", "2"], 2),
])
def test_threads_option_chooses_whether_the_engine_adapts(argv: list[str], fixed: int | None,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COUNCIL_DESKTOP_DECODE_THREADS", raising=False)
    engine = _engine(argv)
    assert engine.tuner.fixed == fixed  # type: ignore[attr-defined]


@pytest.mark.parametrize("bad", ["0", "many", "-2", "2.5", ""])
def test_a_bad_thread_count_is_refused_in_one_line(bad: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.build_parser().parse_args(["debate", "--threads", bad])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("council-desktop debate: error: argument --threads: expected auto or a thread count")
