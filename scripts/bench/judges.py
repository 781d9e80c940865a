"""How well can the starter model judge? Plants a nonsense answer among three sensible ones and counts
how often each judging method gives it the strictly lowest score (chance: 1 in 4).

Methods, all on the same ballots: one grammar-constrained JSON ballot over all four answers; a Yes/No
probe per answer with all four in the prompt; a Yes/No probe per answer shown alone (what the council
uses). Run: .venv/bin/python scripts/bench/judges.py
"""

from __future__ import annotations

import asyncio
import json
import random

from council_desktop.core import ballots, prompts
from council_desktop.core.personas import STARTER_PERSONAS
from council_desktop.core.types import GenerationParams, Member, Message, Probe, Request
from council_desktop.llm.backend import EngineBackend, EngineThread
from council_desktop.llm.catalogue import starter_model_path
from council_desktop.llm.engine import Engine, SeatSpec

QUESTIONS = {
    "Is it ethical to eat meat?": (
        "Eating meat raises real ethical questions because animals can suffer, so we should at least reduce it.",
        "It depends on how the animals are treated; meat from well-treated animals can be acceptable."),
    "Should AI be allowed to vote?": (
        "No. Voting is for members of a political community who bear the consequences; AI systems do not.",
        "AI should not vote, because it has no stake in society and could be controlled by its owner."),
    "Is free will an illusion?": (
        "Free will may be compatible with determinism: our choices come from our own reasons.",
        "I believe free will is real because I feel that I make decisions every day."),
    "Should cities ban cars?": (
        "Cities should not ban cars outright, but should make walking, cycling and transit the easy choice.",
        "Banning cars would reduce pollution and make streets safer, so dense centres should ban them."),
}
NONSENSE = "Purple elephant keyboard seventeen the the the banana orbit."
OFF_TOPIC = "The recipe needs two eggs, a cup of flour and a pinch of salt."
LABELS = ["Response A", "Response B", "Response C", "Response D"]


async def main() -> None:
    engine = Engine()
    engine.load([SeatSpec(p.id, starter_model_path(), "chatml") for p in STARTER_PERSONAS])
    host = EngineThread(engine).start()
    backend = EngineBackend(engine)
    rng = random.Random(0)
    hits = {"json ballot (all four)": 0, "yes/no probe (all four shown)": 0, "yes/no probe (one at a time)": 0}
    valid_json = n = 0
    for question, (good, fair) in QUESTIONS.items():
        for persona in STARTER_PERSONAS:
            judge = Member(persona.id, persona.name, "starter", persona.prompt, 0.2)
            answers = [good, fair, OFF_TOPIC, NONSENSE]
            rng.shuffle(answers)
            labelled = list(zip(LABELS, answers, strict=True))
            bad = LABELS[answers.index(NONSENSE)]
            n += 1
            msgs = prompts.review_prompt(judge, {}, question, labelled)
            fut = backend.submit([Request(judge.id, tuple(msgs), GenerationParams(
                max_tokens=60, temperature=0.2, seed=n, json_schema=ballots.review_schema(LABELS)))])[0]
            parsed = ballots.parse_review((await fut).text, LABELS)
            if parsed.valid:
                valid_json += 1
                low = min(parsed.value.values())
                hits["json ballot (all four)"] += parsed.value[bad] == low and \
                    list(parsed.value.values()).count(low) == 1
            base = msgs[-1].content.rsplit("\n\nScore each", 1)[0]
            together = [Probe(judge.id, (msgs[0], Message("user", f"{base}\n\nIs {lab} a clear, relevant answer to "
                                                                 "the question? Answer Yes or No."))) for lab in LABELS]
            alone = [Probe(judge.id, tuple(prompts.review_probe(judge, {}, question, lab, text)))
                     for lab, text in labelled]
            for name, probes in (("yes/no probe (all four shown)", together), ("yes/no probe (one at a time)", alone)):
                p_yes = {}
                for lab, pr in zip(LABELS, probes, strict=True):
                    p_yes[lab] = (await backend.probe([pr])[0])["Yes"]
                hits[name] += min(p_yes, key=lambda k: p_yes[k]) == bad
    host.stop()
    print(f"{n} ballots; planted nonsense strictly lowest (chance {n / 4:.0f} of {n}):")
    for name, count in hits.items():
        print(f"  {name:<32} {count:>3} of {n}")
    print(f"  JSON ballots valid: {valid_json} of {n}")
    print(json.dumps({"ballots": n, **hits}))


if __name__ == "__main__":
    asyncio.run(main())
