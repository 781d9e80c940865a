"""The arena scene driven by recorded event streams: states checked through snapshot()."""

from __future__ import annotations

import itertools
import math
from typing import Any

import pytest
from PySide6.QtCore import QPointF, Qt

from council_desktop.core.events import EVENT_KINDS, Event
from council_desktop.ui.arena import ArenaScene, ArenaView, layout, motion
from council_desktop.ui.screenshot import events_through_stage

pytestmark = pytest.mark.gui

GREEN, YELLOW, RED, GREY = "#9ece6a", "#f2d16b", "#f7768e", "#737aa2"
HOSTILE = "<b>bold</b><img src=x>"


def apply_all(scene: ArenaScene, events: list[Event]) -> None:
    for event in events:
        scene.apply(event)


def first(events: list[Event], kind: str) -> Event:
    return next(e for e in events if e.kind == kind)


def band(score: int | None) -> str:
    if score is None:
        return GREY
    return GREEN if score >= 8 else YELLOW if score >= 5 else RED


def test_roles_seat_five_members_on_a_pentagon(scene: ArenaScene, debate_events: list[Event]) -> None:
    roles = first(debate_events, "roles")
    scene.apply(roles)
    ids = [m["id"] for m in roles.data["members"]]
    assert scene.member_ids() == ids
    c = layout.TABLE_CENTRE
    angles = [math.degrees(math.atan2((scene.avatar(m).home.y() - c.y()) / layout.SEAT_RY,
                                      (scene.avatar(m).home.x() - c.x()) / layout.SEAT_RX)) for m in ids]
    assert angles[0] == pytest.approx(-90.0)
    steps = [(b - a) % 360 for a, b in itertools.pairwise(angles)]
    assert steps == pytest.approx([72.0] * 4)
    assert scene.avatar(roles.data["chairman"]).is_chair
    assert scene.avatar(roles.data["proposer"]).is_proposer


def test_score_badges_flip_to_band_colours(scene: ArenaScene, debate_events: list[Event]) -> None:
    apply_all(scene, events_through_stage(debate_events, 2))
    snap = scene.snapshot()["members"]
    seen = set()
    for review in (e for e in debate_events if e.kind == "review"):
        for row in review.data["scores"]:
            score = row["score"] if review.data["valid"] else None
            badge = next(b for b in snap[row["target"]]["badges"] if b["from"] == review.data["reviewer"])
            assert badge["value"] == score
            assert badge["text"] == ("—" if score is None else str(score))
            assert badge["color"] == band(score)
            assert badge["revealed"] and badge["scale_x"] == 1.0
            seen.add(badge["color"])
    assert seen == {GREEN, YELLOW, RED, GREY}  # every band is exercised
    bottom = first(debate_events, "aggregate").data["bottom"]
    for mid in bottom:
        assert snap[mid]["summary"]["color"] == RED and "▼" in snap[mid]["summary"]["text"]


def test_badges_show_their_back_until_the_flip_passes_half_way(animated_scene: ArenaScene,
                                                               debate_events: list[Event], qtbot: Any) -> None:
    stage2 = events_through_stage(debate_events, 2)
    review = first(debate_events, "review")
    apply_all(animated_scene, stage2[: stage2.index(review) + 1])
    badge = animated_scene.avatar(review.data["scores"][0]["target"]).badges[0]
    assert not badge.revealed and badge.scale_x == pytest.approx(1.0)
    qtbot.wait_until(lambda: badge.scale_x < 0.6)  # mid-flip: squeezed
    qtbot.wait_until(animated_scene.is_idle, timeout=5000)
    assert badge.revealed and badge.scale_x == pytest.approx(1.0)


def test_rebuttal_stage_glows_the_two_and_dims_everyone_else(scene: ArenaScene, debate_events: list[Event]) -> None:
    apply_all(scene, events_through_stage(debate_events, 3))
    bottom = first(debate_events, "aggregate").data["bottom"]
    assert len(bottom) == 2
    members = scene.snapshot()["members"]
    for mid, state in members.items():
        if mid in bottom:
            assert (state["opacity"], state["glow"], state["glow_opacity"]) == (1.0, True, 1.0)
        else:
            assert (state["opacity"], state["glow"]) == (0.4, False)
    # The next stage lifts the dimming and the glow.
    scene.apply(next(e for e in debate_events if e.kind == "stage" and e.data["index"] == 4))
    assert all(s["opacity"] == 1.0 and not s["glow"] for s in scene.snapshot()["members"].values())


def test_alliance_lines_green_solid_agree_red_dashed_disagree(scene: ArenaScene,
                                                              debate_events: list[Event]) -> None:
    apply_all(scene, events_through_stage(debate_events, 4))
    lines = {(ln["from"], ln["to"]): ln for ln in scene.snapshot()["lines"]}
    expected = 0
    for alliance in (e for e in debate_events if e.kind == "alliance"):
        src = alliance.data["member"]
        for target in alliance.data["agree"]:
            assert lines[(src, target)]["pen_style"] == Qt.PenStyle.SolidLine
            assert lines[(src, target)]["color"] == GREEN
            expected += 1
        for target in alliance.data["disagree"]:
            assert lines[(src, target)]["pen_style"] == Qt.PenStyle.DashLine
            assert lines[(src, target)]["color"] == RED
            expected += 1
    assert len(lines) == expected > 0
    assert all(ln["visible"] and ln["progress"] == 1.0 for ln in lines.values())
    assert scene.line("ada", "dorian").pen().style() == Qt.PenStyle.DashLine


def test_synthesis_scales_the_chairman_and_slides_the_others_outward(scene: ArenaScene,
                                                                     debate_events: list[Event]) -> None:
    apply_all(scene, debate_events)
    chair = first(debate_events, "synthesis").data["chairman"]
    snap = scene.snapshot()
    c = layout.TABLE_CENTRE
    for mid, state in snap["members"].items():
        home = scene.avatar(mid).home
        now = home + QPointF(*state["offset"])
        if mid == chair:
            assert (state["aura"], state["aura_opacity"], state["scale"]) == (True, 1.0, motion.CHAIR_SCALE)
        else:
            assert (state["aura"], state["scale"]) == (False, 1.0)
            assert math.dist((now.x(), now.y()), (c.x(), c.y())) > math.dist((home.x(), home.y()), (c.x(), c.y())) + 60
            assert state["bubble"]["visible"] is False
    card = snap["card"]
    assert card["visible"] and card["title"] == "SYNTHESIS"
    assert card["text"] == first(debate_events, "synthesis").data["text"]
    assert card["footer"] == "Finished · 5 of 5 members"
    assert [a.split(" · ")[1] for a in card["achievements"]] == [
        e.data["badge"] for e in debate_events if e.kind == "achievement"]
    assert snap["table_opacity"] == 0.0 and snap["topic"]["visible"] is False


def test_bubbles_fill_with_exactly_the_streamed_text(scene: ArenaScene, debate_events: list[Event]) -> None:
    stage1 = events_through_stage(debate_events, 1)
    last_token = max(i for i, e in enumerate(stage1) if e.kind == "token")
    apply_all(scene, stage1[: last_token + 1])  # every token, no finished turn yet
    streamed: dict[str, str] = {}
    for e in stage1[stage1.index(next(e for e in stage1 if e.kind == "stage" and e.data["index"] == 1)):]:
        if e.kind == "token":
            streamed[e.data["member"]] = streamed.get(e.data["member"], "") + e.data["text"]
    assert len(streamed) == 5
    for mid, text in streamed.items():
        assert scene.bubble(mid).text() == text
        assert scene.bubble(mid).isVisible() and scene.bubble(mid).streaming
    apply_all(scene, stage1[last_token + 1:])
    for opinion in (e for e in stage1 if e.kind == "opinion"):
        bubble = scene.bubble(opinion.data["member"])
        assert bubble.text() == opinion.data["text"] == streamed[opinion.data["member"]].strip()
        assert not bubble.streaming
        # What the viewer reads is the start of the text, wrapped.
        shown = " ".join(line.rstrip(" …") for line in bubble.visible_lines())
        assert opinion.data["text"].startswith(shown.split(" …")[0][:40])


def test_token_repaints_are_coalesced_per_bubble(animated_scene: ArenaScene, debate_events: list[Event],
                                                 qtbot: Any) -> None:
    stage1 = events_through_stage(debate_events, 1)
    start = stage1.index(next(e for e in stage1 if e.kind == "token" and e.data["kind"] == "opinion"))
    apply_all(animated_scene, stage1[:start])
    bubble = animated_scene.bubble("ada")
    before = bubble.relayouts
    tokens = [e for e in stage1[start:] if e.kind == "token" and e.data["member"] == "ada"]
    assert len(tokens) > 20
    for e in tokens:
        animated_scene.apply(e)
    assert bubble.relayouts == before  # nothing laid out yet: the repaint timer is pending
    assert bubble.text() == "".join(e.data["text"] for e in tokens)
    qtbot.wait_until(lambda: not bubble.is_busy(), timeout=3000)
    assert bubble.relayouts == before + 1
    assert bubble.visible_lines()


def test_hostile_text_is_shown_literally(scene: ArenaScene, recorder: Any) -> None:
    events = recorder(hostile=True)
    apply_all(scene, events_through_stage(events, 1))
    bubble = scene.bubble("ada")
    assert bubble.toPlainText() == HOSTILE
    assert HOSTILE in "".join(bubble.visible_lines())
    tip = scene.avatar("ada").toolTip()
    assert "&lt;b&gt;bold&lt;/b&gt;&lt;img src=x&gt;" in tip and "<img" not in tip


def test_failed_member_shows_red_ring_and_the_reason(scene: ArenaScene, failed_debate_events: list[Event]) -> None:
    apply_all(scene, events_through_stage(failed_debate_events, 4))
    failure = first(failed_debate_events, "member_failed").data
    state = scene.snapshot()["members"][failure["member"]]
    assert state["status"] == "failed" and state["failed_reason"] == failure["reason"]
    assert state["opacity"] == motion.FAILED_OPACITY
    assert "Failed: llama_decode returned -3" in scene.avatar(failure["member"]).toolTip()
    apply_all(scene, failed_debate_events[len(events_through_stage(failed_debate_events, 4)):])
    assert scene.snapshot()["card"]["footer"] == "Finished · 4 of 5 members"


def test_reduced_motion_reaches_the_same_states_as_animation(scene: ArenaScene, animated_scene: ArenaScene,
                                                             failed_debate_events: list[Event], qtbot: Any) -> None:
    done = 0
    for stage in range(6):
        chunk = events_through_stage(failed_debate_events, stage)[done:]
        done += len(chunk)
        apply_all(scene, chunk)
        apply_all(animated_scene, chunk)
        assert scene.is_idle()
        if stage in (2, 3, 5):
            assert not animated_scene.is_idle()  # the animated run really animates
        qtbot.wait_until(animated_scene.is_idle, timeout=6000)
        assert animated_scene.snapshot() == scene.snapshot(), f"stage {stage}"


def test_switching_motion_off_mid_flight_jumps_to_the_final_state(scene: ArenaScene, animated_scene: ArenaScene,
                                                                  debate_events: list[Event]) -> None:
    events = events_through_stage(debate_events, 3)
    apply_all(scene, events)
    apply_all(animated_scene, events)
    assert not animated_scene.is_idle()
    assert animated_scene.snapshot() != scene.snapshot()
    animated_scene.set_reduced_motion(True)
    assert animated_scene.is_idle()
    assert animated_scene.snapshot() == scene.snapshot()


def test_ask_mode_ranks_and_answers(scene: ArenaScene, ask_events: list[Event]) -> None:
    apply_all(scene, ask_events)
    snap = scene.snapshot()
    assert snap["mode"] == "ask" and snap["stage"] == (3, "chairman")
    invalid = next(e for e in ask_events if e.kind == "ranking" and not e.data["valid"]).data["reviewer"]
    for ranking in (e for e in ask_events if e.kind == "ranking" and e.data["valid"]):
        order = ranking.data["order"]
        for pos, target in enumerate(order, start=1):
            badge = next(b for b in snap["members"][target]["badges"] if b["from"] == ranking.data["reviewer"])
            assert badge["text"] == f"#{pos}"
            assert badge["color"] == (GREEN if pos == 1 else RED if pos == len(order) else YELLOW)
    assert all(next(b for b in snap["members"][m]["badges"] if b["from"] == invalid)["color"] == GREY
               for m in snap["members"] if m != invalid)
    assert snap["card"]["title"] == "THE COUNCIL'S ANSWER"
    assert snap["card"]["text"] == first(ask_events, "synthesis").data["text"]
    assert snap["topic"]["text"] == first(ask_events, "topic").data["text"]


def test_every_event_kind_is_handled_even_with_sparse_payloads(scene: ArenaScene, debate_events: list[Event]) -> None:
    scene.apply(first(debate_events, "roles"))
    for i, kind in enumerate(k for k in EVENT_KINDS if k != "roles"):
        scene.apply(Event(100 + i, kind, 1.0, "", {}))
    scene.apply(Event(200, "something_new", 1.0, "", {"member": "ada"}))
    assert set(scene.snapshot()["members"]) == set(scene.member_ids())


def test_the_view_scales_the_whole_arena_with_its_size(scene: ArenaScene, qtbot: Any) -> None:
    view = ArenaView(scene)
    qtbot.addWidget(view)
    view.resize(500, 370)
    view.show()
    qtbot.waitExposed(view)
    small = view.transform().m11()
    view.resize(1000, 740)
    qtbot.wait_until(lambda: view.transform().m11() > small * 1.8)
    assert view.transform().m11() == pytest.approx(view.transform().m22())  # aspect kept
    rect = view.mapFromScene(scene.sceneRect()).boundingRect()
    assert rect.width() <= view.viewport().width() + 2 and rect.height() <= view.viewport().height() + 2


def test_reset_empties_the_table(scene: ArenaScene, debate_events: list[Event]) -> None:
    apply_all(scene, debate_events)
    scene.reset()
    snap = scene.snapshot()
    assert snap["members"] == {} and snap["lines"] == [] and snap["card"] is None
    scene.apply(first(debate_events, "roles"))  # and a new session starts cleanly
    assert len(scene.snapshot()["members"]) == 5


def test_a_new_roles_event_starts_a_fresh_session(scene: ArenaScene, debate_events: list[Event]) -> None:
    apply_all(scene, debate_events)
    scene.apply(first(debate_events, "roles"))
    snap = scene.snapshot()
    assert all(not m["badges"] and m["scale"] == 1.0 and m["offset"] == (0.0, 0.0) for m in snap["members"].values())
    assert snap["lines"] == []


def _long_synthesis_events() -> list[Event]:
    """A synthesis longer than the card, streamed as a model does (a leading line break, spaces before
    line breaks) and stored cleaned, as the orchestrator does."""
    from council_desktop.core.events import EventLog
    from council_desktop.core.prompts import clean_output
    from tests.ui.conftest import MEMBERS, tokens_of

    captured: list[Event] = []
    log = EventLog(sinks=[captured.append])
    log.emit("roles", mode="debate", seed=1, members=MEMBERS, proposer="ada", chairman="cleo", nudges={})
    log.emit("stage", index=5, name="synthesis")
    log.emit("turn_started", member="cleo", kind="synthesis", stage=5)
    raw = "\n " + " \n".join(f"Point {i}: the council weighed this argument with care and found it sound."
                             for i in range(1, 25))
    for tok in tokens_of(raw):
        log.emit("token", member="cleo", kind="synthesis", text=tok)
    log.emit("synthesis", member="cleo", text=clean_output(raw), tokens=200, seconds=4.0, chairman="cleo")
    return captured


def test_a_long_synthesis_ends_the_same_streamed_or_replayed_and_never_retypes(
        scene: ArenaScene, animated_scene: ArenaScene, qtbot: Any) -> None:
    events = _long_synthesis_events()
    *streamed, final = events
    apply_all(animated_scene, streamed)
    qtbot.wait_until(lambda: len(animated_scene.synthesis_card.toPlainText()) > 200, timeout=6000)
    before = len(animated_scene.synthesis_card.toPlainText())
    animated_scene.apply(final)  # the cleaned text differs in whitespace only
    assert len(animated_scene.synthesis_card.toPlainText()) >= before - 30  # kept, not blanked and retyped
    qtbot.wait_until(animated_scene.is_idle, timeout=8000)
    apply_all(scene, [e for e in events if e.kind != "token"])  # a replay: stored events, no tokens
    live, replayed = animated_scene.snapshot()["card"], scene.snapshot()["card"]
    assert live["text"] == replayed["text"] == final.data["text"]
    assert live["visible_lines"] == replayed["visible_lines"]
    assert any(line.startswith("Point 24") for line in replayed["visible_lines"])  # its end is on show, as live


def test_a_bubbles_outline_is_rebuilt_only_when_its_box_changes(scene: ArenaScene,
                                                                debate_events: list[Event]) -> None:
    """The outline (box and tail: a path union) is kept while the box stays, and follows a new box."""
    apply_all(scene, events_through_stage(debate_events, 1))
    bubble = scene.bubble(first(debate_events, "opinion").data["member"])
    bubble.start_turn("opinion")
    bubble.append("A short start.")
    bubble._relayout()
    first_path = bubble.shape()
    assert bubble.shape() is first_path  # painted again with nothing new: the same outline
    bubble.append(" " + "and then a much longer sentence that wraps onto further lines of the bubble " * 3)
    bubble._relayout()
    grown = bubble.shape()
    assert grown is not first_path
    assert grown.boundingRect().height() > first_path.boundingRect().height()
    assert grown.boundingRect().contains(bubble.bubble_rect().adjusted(1, 1, -1, -1))


def _ink_outside(item: Any) -> int:
    """Pixels ``item`` paints outside its boundingRect (painted alone, in its own coordinates, on a transparent
    image with a margin all round)."""
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QStyleOptionGraphicsItem

    margin = 40
    br = item.boundingRect()
    image = QImage(int(br.width()) + 2 * margin + 2, int(br.height()) + 2 * margin + 2,
                   QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.translate(margin - br.left(), margin - br.top())
    option = QStyleOptionGraphicsItem()
    option.exposedRect = br  # type: ignore[attr-defined]
    item.paint(painter, option, None)
    painter.end()
    inside = br.translated(margin - br.left(), margin - br.top()).toAlignedRect().adjusted(-1, -1, 1, 1)
    return sum(1 for y in range(image.height()) for x in range(image.width())
               if not inside.contains(x, y) and image.pixelColor(x, y).alpha() > 0)


@pytest.mark.parametrize("stage", range(6))
def test_every_arena_item_paints_inside_its_bounding_rect(scene: ArenaScene, debate_events: list[Event],
                                                          stage: int) -> None:
    """The view repaints only what changed (SmartViewportUpdate), from the items' bounding rects: ink outside
    one would stay on screen as a trail when the item moves or goes."""
    apply_all(scene, events_through_stage(debate_events, stage))
    ours = [i for i in scene.items() if type(i).__module__.startswith("council_desktop.")]
    assert len(ours) >= 5
    outside = {type(i).__name__: n for i in ours if (n := _ink_outside(i))}
    assert outside == {}, outside
