"""The fixtures every test folder shares (tests/conftest.py) do what they say."""

from __future__ import annotations

import os
import socket

import pytest

from tests.history_seed import LEADERBOARD, Seeded


def test_the_local_network_only_fixture_refuses_other_hosts(local_network_only: None) -> None:
    with pytest.raises(OSError, match=r"huggingface\.co"):
        socket.getaddrinfo("huggingface.co", 443)
    assert socket.getaddrinfo("127.0.0.1", 80)


def test_every_test_gets_its_own_data_dir(_isolated_home: object) -> None:
    assert os.environ["COUNCIL_DESKTOP_HOME"] == str(_isolated_home)


def test_the_seeded_history_holds_the_four_sessions(seeded: Seeded) -> None:
    rows = {r.id: r.status for r in seeded.store.sessions()}
    assert rows == {seeded.s1: "finished", seeded.s2: "finished", seeded.s3: "interrupted", seeded.s4: "finished"}
    assert {r.member for r in seeded.store.leaderboard()} == set(LEADERBOARD)
