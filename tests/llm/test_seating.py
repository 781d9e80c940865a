"""Who sits where: the seats saved in Settings become the council, the starter council otherwise."""

from __future__ import annotations

from pathlib import Path

from council_desktop.core.personas import STARTER_PERSONAS
from council_desktop.llm.catalogue import CHAMPIONS, STARTER, custom_specs, starter_model_path
from council_desktop.llm.seating import council_from_settings

LOCAL = {"id": "local:mine", "source": "local", "filename": "mine.gguf", "name": "My Model", "chat_format": "zephyr",
         "size_bytes": 1234, "ram_mb": 300}
HUB = {"id": "hf:someone/tiny/tiny-q4.gguf", "source": "hub", "repo": "someone/tiny", "filename": "tiny-q4.gguf",
       "chat_format": "chatml"}


def test_no_choice_is_the_starter_council_on_the_bundled_file() -> None:
    seats = council_from_settings({}, {})
    assert [s.member.id for s in seats] == [p.id for p in STARTER_PERSONAS]
    assert {s.spec.model_path for s in seats} == {starter_model_path()}
    assert {s.spec.chat_format for s in seats} == {STARTER.chat_format}


def test_a_chosen_champion_sits_only_once_it_is_installed(tmp_path: Path) -> None:
    champ = CHAMPIONS[0]
    settings = {"seats": [{"model": champ.id, "persona": "skeptic"}, {"model": STARTER.id, "persona": "poet"}]}
    without = council_from_settings(settings, {})
    assert [s.member.id for s in without] == ["poet"]  # the champion is not installed: its seat is left out
    path = tmp_path / champ.filename
    seats = council_from_settings(settings, {champ.id: path})
    assert [(s.member.id, s.spec.model_path, s.spec.chat_format) for s in seats] == [
        (f"skeptic-{champ.id}", path, champ.chat_format), ("poet", starter_model_path(), STARTER.chat_format)]
    assert seats[0].member.model == champ.name


def test_nothing_installed_falls_back_to_the_starter_council() -> None:
    settings = {"seats": [{"model": CHAMPIONS[1].id, "persona": "sage"}, {"model": "no-such-model"}]}
    assert [s.member.id for s in council_from_settings(settings, {})] == [p.id for p in STARTER_PERSONAS]


def test_the_users_own_files_take_seats_with_their_chat_format(tmp_path: Path) -> None:
    settings = {"custom_models": [LOCAL, HUB, {"id": "broken"}, "junk"],
                "seats": [{"model": "local:mine", "persona": "sage"}, {"model": HUB["id"], "persona": "sage"}]}
    assert [s.id for s in custom_specs(settings)] == ["local:mine", HUB["id"]]  # damaged records skipped
    mine, hub = tmp_path / "mine.gguf", tmp_path / "tiny-q4.gguf"
    seats = council_from_settings(settings, {"local:mine": mine, HUB["id"]: hub})
    assert [(s.spec.model_path, s.spec.chat_format) for s in seats] == [(mine, "zephyr"), (hub, "chatml")]
    assert [s.member.name for s in seats] == ["Sage", "Sage 2"]  # one persona twice: told apart
    assert seats[0].member.model == "My Model"
    assert len({s.member.id for s in seats}) == 2
