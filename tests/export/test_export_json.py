"""The JSON writer and the transcript validation every writer runs first."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sample_transcripts import debate_transcript, interrupted_debate

from council_desktop.export import to_html, to_json, to_markdown
from council_desktop.export.schema import TOP_LEVEL_ORDER


def test_round_trips_exactly(debate: dict[str, Any], ask: dict[str, Any]) -> None:
    for t in (debate, ask, interrupted_debate(), debate_transcript(None)):
        assert json.loads(to_json(t)) == t


def test_format_is_utf8_indent_2_non_ascii_kept(debate: dict[str, Any]) -> None:
    debate["topic"] = "Café lights — ¿sí o no? 灯"
    text = to_json(debate)
    assert '"topic": "Café lights — ¿sí o no? 灯"' in text
    assert "\\u" not in text
    assert text.startswith('{\n  "format": "council-transcript/1",\n  "mode": "debate",\n')
    assert text.endswith("}\n")
    assert '\n    {\n      "id": "ada",\n      "name": "Ada",' in text
    text.encode("utf-8")  # no lone surrogates


def test_key_order_is_stable_whatever_order_the_dict_was_built_in(debate: dict[str, Any]) -> None:
    shuffled = {k: debate[k] for k in reversed(list(debate))}
    shuffled["members"] = [{k: m[k] for k in reversed(list(m))} for m in debate["members"]]
    shuffled["zz_extra"], shuffled["aa_extra"] = 1, 2
    text = to_json(shuffled)
    assert text == to_json({**debate, "aa_extra": 2, "zz_extra": 1})
    keys = list(json.loads(text))
    assert keys == [k for k in TOP_LEVEL_ORDER if k in debate] + ["aa_extra", "zz_extra"]
    first_member = list(json.loads(text)["members"][0])
    assert first_member == ["id", "name", "model", "persona", "status"]
    eve = list(json.loads(text)["members"][4])
    assert eve == ["id", "name", "model", "persona", "status", "reason"]


def test_nothing_is_added_or_dropped(debate: dict[str, Any]) -> None:
    del debate["rankings"], debate["finished_at"]
    out = json.loads(to_json(debate))
    assert "rankings" not in out and "finished_at" not in out and out == debate


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda t: t.pop("stages"), "missing required key(s): 'stages'"),
    (lambda t: (t.pop("members"), t.pop("topic")), "missing required key(s): 'topic', 'members'"),
    (lambda t: t.update(format="council-transcript/2"), "'format' is 'council-transcript/2'"),
    (lambda t: t.update(mode="chat"), "'mode' is 'chat', expected one of debate, ask"),
    (lambda t: t.update(status="paused"), "'status' is 'paused'"),
    (lambda t: t["members"][2].pop("id"), "members[2] has no 'id'"),
    (lambda t: t["stages"][1]["turns"][0].update(text=None), "stages[1].turns[0].text has the wrong type"),
    (lambda t: t["stages"][0].update(index="0"), "stages[0].index has the wrong type (str)"),
    (lambda t: t.update(reviews={}), "'reviews' must be a list"),
    (lambda t: t.update(synthesis="text"), "'synthesis' must be null or an object"),
    (lambda t: t.update(rebuttals=[1]), "'rebuttals' must be a list of member ids"),
    (lambda t: t["alliances"][0].pop("stance"), "alliances[0] has no 'stance'"),
    (lambda t: t.update(proposer=3), "'proposer' must be a string or null"),
])
def test_invalid_transcripts_raise_a_clear_value_error(mutate: Any, message: str) -> None:
    t = debate_transcript()
    mutate(t)
    for writer in (to_json, to_markdown, to_html):
        with pytest.raises(ValueError, match="not a valid council-transcript/1 transcript") as caught:
            writer(t)
        assert message in str(caught.value)


def test_not_a_dict() -> None:
    with pytest.raises(ValueError, match="must be a dict, not list"):
        to_json([])  # type: ignore[arg-type]


def test_values_json_cannot_represent_are_rejected(debate: dict[str, Any]) -> None:
    debate["aggregate"][0]["mean_score"] = float("nan")
    with pytest.raises(ValueError, match="cannot be written as JSON"):
        to_json(debate)
    debate["aggregate"][0]["mean_score"] = {8.5}
    with pytest.raises(ValueError, match="cannot be written as JSON"):
        to_json(debate)
