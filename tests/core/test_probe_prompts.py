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


def test_an_alliance_probe_shows_the_start_of_the_other_members_words_and_the_judges_whole_position() -> None:
    judge = members()[0]
    own = "I say yes. " * 30  # 330 characters
    said = "No, and here is why: " + "the costs run high and the gains are small. " * 15
    text = prompts.agreement_probe(judge, {}, "Should cities ban cars?", own.strip(), "Skeptic", said)[-1].content
    shown = text.split("Skeptic said:\n")[1].split("\n\nDo you agree")[0]
    bare = shown.replace(prompts._QUOTE_FENCE + " ", "")
    assert bare.startswith("No, and here is why:") and bare.endswith(" …")
    assert len(bare) <= prompts.AGREEMENT_QUOTE + 2 < len(said)
    assert own.strip() in text.replace(prompts._QUOTE_FENCE + " ", "")  # its own position is not cut
