"""Fixtures for the export tests: fresh transcript dicts per test (tests may mutate them)."""

from __future__ import annotations

from typing import Any

import pytest
from sample_transcripts import ask_transcript, debate_transcript


@pytest.fixture
def debate() -> dict[str, Any]:
    return debate_transcript()


@pytest.fixture
def ask() -> dict[str, Any]:
    return ask_transcript()
