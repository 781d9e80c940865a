"""A judge's probe shows one answer and never its label: the label told the judge nothing, and it moved
the mean P(yes) from one label to another (label spread 0.0328 on held-out v11 before, 0 after)."""

from __future__ import annotations

import pytest

from council_desktop.core import prompts
from tests.scripted import members


@pytest.mark.parametrize("probe", [prompts.review_probe, prompts.ranking_probe])
def test_a_probe_is_the_same_under_every_label_and_names_none(probe) -> None:
    judge = members()[0]
    answer = "Yes: shops would lose trade, but the streets would be safer."
    shown = [probe(judge, {}, "Should cities ban cars?", label, answer) for label in
             ("Response A", "Response B", "Response C", "Response D")]
    assert all(msgs == shown[0] for msgs in shown)
    text = shown[0][-1].content
    assert "Response" not in text and "this answer" in text
    assert answer in text.replace(prompts._QUOTE_FENCE + " ", "")
