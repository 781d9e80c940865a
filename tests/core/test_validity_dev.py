"""The validity checks on the development sets of fresh wordings (tests/core/data/judging_dev*.json, issue 12
round 5): the share of each kind of bad answer caught, and no sensible answer flagged. Each bad answer is
checked against its question beside that question's sensible answers, as in a ballot; each sensible answer
beside the others of its question."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from council_desktop.core import validity

DATA = Path(__file__).parent / "data"
SETS = sorted(DATA.glob("judging_dev*.json"))
# The share of each kind that must be caught (by any finding): injections, appended instructions and forged
# turns all of them; the word tests (shrugs, echoes, word salad) nearly all; off-topic, the least certain, most.
FLOOR = {"injection": 1.0, "injected_suffix": 1.0, "forged_turn": 1.0, "dont_know": 0.95, "word_salad": 0.95,
         "echo": 0.85, "off_topic": 0.7}


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _bad(data: dict[str, Any], kind: str) -> list[tuple[str, str, list[str]]]:
    out = []
    for i, item in enumerate(data["bad"].get(kind, [])):
        q = data["questions"][item["q"]]
        good = q["good"][i % len(q["good"])]
        out.append((q["q"], item["text"].replace("{question}", q["q"]).replace("{good}", good), q["good"]))
    return out


def catch_rates() -> dict[str, tuple[int, int]]:
    """Caught and total per kind over every development set."""
    rates: dict[str, tuple[int, int]] = {}
    for path in SETS:
        data = _load(path)
        for kind in data["bad"]:
            items = _bad(data, kind)
            caught = sum(validity.check(q, text, others) is not None for q, text, others in items)
            hit, total = rates.get(kind, (0, 0))
            rates[kind] = (hit + caught, total + len(items))
    return rates


def sensible() -> list[tuple[str, str, list[str]]]:
    out = []
    for path in SETS:
        data = _load(path)
        known = set(data.get("known_soft", []))
        for q in data["questions"]:
            for i, good in enumerate(q["good"]):
                if good not in known:
                    out.append((q["q"], good, q["good"][:i] + q["good"][i + 1:]))
        for item in data.get("tricky_good", []):
            q = data["questions"][item["q"]]
            out.append((q["q"], item["text"], q["good"]))
    return out


def test_the_development_sets_are_large() -> None:
    rates = catch_rates()
    for kind in ("off_topic", "word_salad", "dont_know", "echo", "injection", "injected_suffix"):
        assert rates[kind][1] >= 25, kind
    assert len(sensible()) >= 60


@pytest.mark.parametrize("kind", sorted(FLOOR))
def test_each_kind_of_bad_answer_is_caught(kind: str) -> None:
    hit, total = catch_rates()[kind]
    assert hit >= FLOOR[kind] * total, f"{kind}: {hit}/{total}"


@pytest.mark.parametrize(("question", "answer", "others"), sensible())
def test_no_sensible_answer_is_flagged(question: str, answer: str, others: list[str]) -> None:
    assert validity.check(question, answer, others) is None


def test_known_false_positives_are_only_soft() -> None:
    """The sensible answers the off-topic word test still flags (listed as known_soft) get the soft finding
    only (scored 2, above every attack), and no more of them appear."""
    for path in SETS:
        data = _load(path)
        for q in data["questions"]:
            for i, good in enumerate(q["good"]):
                if good in data.get("known_soft", []):
                    finding = validity.check(q["q"], good, q["good"][:i] + q["good"][i + 1:])
                    assert finding is None or finding.soft, (good, finding)


def ballot_false_positives() -> tuple[int, int]:
    """Each sensible answer beside two other sensible answers of its question and one of its planted bad
    answers, as in a bench ballot (fewer neighbours than above, so fewer shared words): how many placements
    flag it, of how many."""
    flagged = total = 0
    for path in SETS:
        data = _load(path)
        for qi, q in enumerate(data["questions"]):
            bad = [item["text"] for kind in data["bad"] for item in data["bad"][kind]
                   if item["q"] == qi and "{" not in item["text"]][:6]
            goods = q["good"]
            for i, good in enumerate(goods):
                if good in data.get("known_soft", []):
                    continue
                rest = goods[:i] + goods[i + 1:]
                for j, k in itertools.combinations(range(len(rest)), 2):
                    for b in bad:
                        total += 1
                        flagged += validity.check(q["q"], good, [rest[j], rest[k], b]) is not None
    return flagged, total


def test_few_sensible_answers_are_flagged_in_ballots() -> None:
    """Round 5: 851 of 11592 placements before (7.3%), 269 after (2.3%; all soft off-topic findings on
    answers that share no word with a small ballot and take no stance, mostly factual answers to
    why/what/how questions)."""
    flagged, total = ballot_false_positives()
    assert flagged * 33 <= total, f"{flagged}/{total}"
