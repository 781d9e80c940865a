"""ArenaScene: the council as a live scene, driven only by core events (``apply``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import QObject, QPointF, QRect, QRectF
from PySide6.QtGui import QPainter, QRadialGradient
from PySide6.QtWidgets import QGraphicsScene

from ...core import events as ev
from ...core.events import Event
from .. import theme
from ..roster import Roster
from . import layout, motion
from .alliance_line import AllianceLineItem
from .animated import AnimatedObject
from .avatar import AvatarItem
from .bubble import BubbleItem
from .legend import LegendItem
from .score_badge import rank_color, score_color
from .synthesis_card import SynthesisCardItem
from .table import TableItem
from .topic_card import TopicCardItem

BUBBLE_KINDS = ("topic", "opinion", "rebuttal", "answer")
# Stages that open with a clean table: the previous stage's bubbles fade away. Review and ranking keep
# the opinions/answers in view, since those are what is being judged.
CLEARING_STAGES = ("opinions", "rebuttals", "alliances", "synthesis", "answers", "chairman")
CHAIR_STAGES = ("synthesis", "chairman")


class ArenaScene(QGraphicsScene):
    """Five avatars on a pentagon around the topic. ``apply(event)`` handles every event kind (unknown
    kinds are ignored); ``reset()`` empties the table; ``set_reduced_motion(on)`` is the one switch that
    keeps every final state but skips the animations; ``snapshot()`` is the observable state, equal for
    equal event prefixes whatever the motion setting. Items live in id→item dicts, never searched for.

    Signals: none (the scene only shows; the window owns the controls)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSceneRect(layout.SCENE_RECT)
        self.reduced_motion = False
        self.roster = Roster()
        self._avatars: dict[str, AvatarItem] = {}
        self._bubbles: dict[str, BubbleItem] = {}
        self._lines: dict[tuple[str, str], AllianceLineItem] = {}
        self._seats: list[QPointF] = []
        self._speakers: list[str] = []
        self._layout_chair: str | None = None
        self._topic_text = ""
        self._stage_name = ""
        self._table: TableItem | None = None
        self._topic: TopicCardItem | None = None
        self._card: SynthesisCardItem | None = None
        self._legend: LegendItem | None = None
        self._build_empty()

    # -- public API -------------------------------------------------------------------------------

    def apply(self, event: Event) -> None:
        if event.kind == "roles":
            self._clear_items()
        changed = self.roster.apply(event)
        handler = getattr(self, f"on_event_{event.kind}", None)
        if handler is not None:
            handler(event.data)
        for mid in changed:
            self._sync_member(mid)

    def reset(self) -> None:
        self._clear_items()
        self.roster.reset()
        self._build_empty()

    def set_reduced_motion(self, on: bool) -> None:
        self.reduced_motion = bool(on)
        if on:
            self.finish_animations()

    def finish_animations(self) -> None:
        for item in self._animated():
            item.finish()

    def is_idle(self) -> bool:
        return not any(item.is_busy() for item in self._animated())

    def avatar(self, member_id: str) -> AvatarItem:
        return self._avatars[member_id]

    def bubble(self, member_id: str) -> BubbleItem:
        return self._bubbles[member_id]

    def line(self, source: str, target: str) -> AllianceLineItem:
        return self._lines[(source, target)]

    @property
    def topic_card(self) -> TopicCardItem | None:
        return self._topic

    @property
    def synthesis_card(self) -> SynthesisCardItem | None:
        return self._card

    def member_ids(self) -> list[str]:
        return list(self._avatars)

    def snapshot(self) -> dict[str, Any]:
        """What a viewer can see, per member and per line, rounded so that animated and reduced-motion
        runs compare equal once the animations have finished."""
        members: dict[str, Any] = {}
        for mid, av in self._avatars.items():
            bubble = self._bubbles.get(mid)
            off = av.offset()
            members[mid] = {
                "opacity": round(av.opacity(), 3),
                "glow": av.glow.isVisible(),
                "glow_opacity": round(av.glow.opacity(), 3),
                "aura": av.aura.isVisible(),
                "aura_opacity": round(av.aura.opacity(), 3),
                "scale": round(av.scale(), 3),
                "offset": (round(off.x(), 1), round(off.y(), 1)),
                "status": av.status,
                "failed_reason": av.reason if av.status == "failed" else None,
                "chair": av.is_chair,
                "badges": [{"from": b.source, "value": b.value, "text": b.text, "color": b.color,
                            "revealed": b.revealed, "scale_x": round(b.scale_x, 3)} for b in av.badges],
                "summary": None if av.mean_badge is None else {"text": av.mean_badge.text,
                                                               "value": av.mean_badge.value,
                                                               "color": av.mean_badge.color,
                                                               "revealed": av.mean_badge.revealed},
                "bubble": None if bubble is None else {"visible": bubble.isVisible(), "text": bubble.text(),
                                                       "opacity": round(bubble.opacity(), 3),
                                                       "scale": round(bubble.scale(), 3)},
                "achievements": [badge for badge, _ in av.achievements],
            }
            if av.viewer_badge is not None:  # the viewer's row (issue 15), only when they judged
                members[mid]["viewer"] = {"text": av.viewer_badge.text, "value": av.viewer_badge.value,
                                          "color": av.viewer_badge.color, "revealed": av.viewer_badge.revealed}
        lines = [{"from": ln.source, "to": ln.target, "stance": ln.stance, "pen_style": ln.pen_style,
                  "color": ln.color, "visible": ln.isVisible(), "opacity": round(ln.opacity(), 3),
                  "progress": round(ln.drawn(), 3)} for ln in self._lines.values()]
        topic = self._topic
        card = self._card
        return {
            "mode": self.roster.mode,
            "stage": (self.roster.stage_index, self.roster.stage_name),
            "members": members,
            "lines": lines,
            "topic": None if topic is None else {"visible": topic.isVisible(), "text": topic.text,
                                                 "opacity": round(topic.opacity(), 3)},
            "card": None if card is None else {"visible": card.isVisible(), "title": card.title,
                                               "byline": card.byline, "text": card.toPlainText(),
                                               "visible_lines": card.visible_lines(),
                                               "footer": card.footer, "achievements": card.achievements,
                                               "opacity": round(card.opacity(), 3)},
            "table_opacity": None if self._table is None else round(self._table.opacity(), 3),
        }

    # -- event handlers (on_event_<kind>) ---------------------------------------------------------

    def on_event_roles(self, d: ev.RolesData) -> None:
        members = list(self.roster.members.values())
        self._seats = layout.seat_positions(len(members))
        # A preview (the council seated between sessions) keeps the invitation on the table.
        self._table = TableItem(self._seats, layout.TABLE_CENTRE, invite=bool(d.get("preview")))
        self.addItem(self._table)
        self._add_cards()
        for info, seat in zip(members, self._seats, strict=True):
            avatar = AvatarItem(info, seat)
            self.addItem(avatar)
            self._avatars[info.id] = avatar
            bubble = BubbleItem(info.id, info.name, info.color, layout.bubble_frame(seat))
            self.addItem(bubble)
            self._bubbles[info.id] = bubble
        self._sync_roles()

    def on_event_stage(self, d: ev.StageData) -> None:
        name = str(d.get("name") or "")
        self._stage_name = name
        if name in CLEARING_STAGES:
            for bubble in self._bubbles.values():
                bubble.dismiss()
        if name == "rebuttals":
            self._speakers = [m for m in self.roster.bottom if m in self._avatars]
        if name == "alliances":
            if self._topic is not None and self._topic.isVisible():
                self._topic.animate("opacity", motion.CARD_DIM_OPACITY, motion.DIM_MS)
            if self._legend is not None:
                self._legend.fade(True)
        if name in CHAIR_STAGES:
            self._enter_chair_stage()
        self._apply_emphasis()

    def on_event_topic(self, d: ev.TopicData) -> None:
        text = str(d.get("text") or "")
        member = d.get("member")
        self._topic_text = text
        ask = self.roster.mode == "ask"
        by_user = "asked by you" if ask else "set by you"
        byline = f"proposed by {self.roster.name(member)}" if member else by_user
        if self._topic is not None:
            self._topic.set_topic(text, kicker="QUESTION" if ask else "TOPIC", byline=byline)
        if member in self._bubbles:
            self._bubbles[member].finish_turn(text, "topic")

    def on_event_turn_started(self, d: ev.TurnStartedData) -> None:
        member, kind = d.get("member"), str(d.get("kind") or "")
        if kind == "synthesis":
            if self._card is not None:
                if self._stage_name not in CHAIR_STAGES:
                    self._enter_chair_stage()
                self._card.start_stream()
        elif kind in BUBBLE_KINDS and member in self._bubbles:
            self._bubbles[member].start_turn(kind)
        if kind == "rebuttal" and member in self._avatars and member not in self._speakers:
            self._speakers.append(member)
            self._apply_emphasis()

    def on_event_token(self, d: ev.TokenData) -> None:
        member, kind, text = d.get("member"), str(d.get("kind") or ""), str(d.get("text") or "")
        if kind == "synthesis":
            if self._card is not None:
                self._card.append(text)
        elif kind in BUBBLE_KINDS and member in self._bubbles:
            self._bubbles[member].append(text)

    def _on_speech(self, kind: str, d: ev.TurnData) -> None:
        member = d.get("member")
        if member in self._bubbles:
            self._bubbles[member].finish_turn(str(d.get("text") or ""), kind)

    def on_event_opinion(self, d: ev.OpinionData) -> None:
        self._on_speech("opinion", d)

    def on_event_rebuttal(self, d: ev.RebuttalData) -> None:
        self._on_speech("rebuttal", d)

    def on_event_answer(self, d: ev.AnswerData) -> None:
        self._on_speech("answer", d)

    def on_event_synthesis(self, d: ev.SynthesisData) -> None:
        chair = d.get("chairman") or d.get("member")
        if chair in self._avatars and chair != self.roster.chairman:
            self.roster.chairman = chair
            self._sync_roles()
        if self._stage_name not in CHAIR_STAGES or chair != self._layout_chair:
            self._enter_chair_stage()
        if self._card is not None:
            self._card.set_final(str(d.get("text") or ""))

    def on_event_review(self, d: ev.ReviewData) -> None:
        reviewer = str(d.get("reviewer") or "")
        valid = bool(d.get("valid", True))
        rows = list(d.get("scores") or [])
        if not rows:
            rows = [{"target": t, "label": lab, "score": None} for lab, t in (d.get("labels") or {}).items()]
        who = self.roster.name(reviewer)
        for i, row in enumerate(rows):
            target = row.get("target")
            if target not in self._avatars:
                continue
            score = row.get("score") if valid else None
            score = int(score) if isinstance(score, int | float) else None
            if score is None:
                tip = f"{who}'s ballot was invalid" + (f": {d.get('reason')}" if d.get("reason") else "")
            else:
                tip = f"{who} gave {score}/10" + (f" (as {row.get('label')})" if row.get("label") else "")
                if row.get("finding"):
                    tip += f": the answer {row.get('finding')}"
            self._avatars[target].add_badge("—" if score is None else str(score), score_color(score), value=score,
                                            source=reviewer, tooltip=tip, delay=i * motion.FLIP_STAGGER_MS)

    def on_event_ranking(self, d: ev.RankingData) -> None:
        reviewer = str(d.get("reviewer") or "")
        who = self.roster.name(reviewer)
        order = [m for m in d.get("order") or [] if isinstance(m, str)]
        findings = d.get("findings") or {}
        if d.get("valid", True) and order:
            for pos, target in enumerate(order, start=1):
                if target in self._avatars:
                    self._avatars[target].add_badge(
                        f"#{pos}", rank_color(pos, len(order)), value=pos, source=reviewer,
                        tooltip=f"{who} ranked it #{pos} of {len(order)}"
                        + (f": the answer {findings[target]}" if target in findings else ""),
                        delay=(pos - 1) * motion.FLIP_STAGGER_MS)
            return
        tip = f"{who}'s ranking was invalid" + (f": {d.get('reason')}" if d.get("reason") else "")
        for i, target in enumerate((d.get("labels") or {}).values()):
            if target in self._avatars:
                self._avatars[target].add_badge("—", rank_color(None, 0), value=None, source=reviewer, tooltip=tip,
                                                delay=i * motion.FLIP_STAGGER_MS)

    def on_event_forked(self, d: ev.ForkedData) -> None:
        """Nothing moves: the copied events already set the scene; the chair, if changed, follows in stage 5."""

    def on_event_viewer_open(self, d: ev.ViewerOpenData) -> None:
        """The viewer's panel (above the arena) opens; the arena itself waits for the ballot."""

    def on_event_viewer_skipped(self, d: ev.ViewerSkippedData) -> None:
        """No ballot from the viewer: no sixth row for this stage."""

    def on_event_viewer_ballot(self, d: ev.ViewerBallotData) -> None:
        """The viewer's ballot: a sixth row of badges ("You 7", "You #2", "You: ally")."""
        counted = " (counted in the aggregate)" if d.get("counted") else " (shown beside the council's, not counted)"
        if d.get("kind") == "alliance":
            stances = (("agree", d.get("agree") or [], "You: ally", theme.GREEN),
                       ("disagree", d.get("disagree") or [], "You: opponent", theme.RED))
            for stance, targets, text, color in stances:
                for target in targets:
                    if target in self._avatars:
                        self._avatars[target].set_viewer_badge(text, color, f"You declared {self.roster.name(target)}"
                                                               f" {'an ally' if stance == 'agree' else 'an opponent'}")
            return
        order = [m for m in d.get("order") or [] if isinstance(m, str)]
        for i, row in enumerate(d.get("scores") or []):
            target, score = row.get("target") or "", row.get("score")
            if target not in self._avatars or not isinstance(score, int | float):
                continue
            if d.get("kind") == "ranking" and target in order:
                pos = order.index(target) + 1
                self._avatars[target].set_viewer_badge(f"You #{pos}", rank_color(pos, len(order)),
                                                       f"You ranked it #{pos} of {len(order)}{counted}", value=pos,
                                                       delay=i * motion.FLIP_STAGGER_MS)
            else:
                self._avatars[target].set_viewer_badge(
                    f"You {int(score)}", score_color(int(score)),
                    f"You gave {int(score)}/10 as {row.get('label')}{counted}", value=float(score),
                    delay=i * motion.FLIP_STAGGER_MS)

    def on_event_aggregate(self, d: ev.AggregateData) -> None:
        bottom = set(self.roster.bottom)
        rows = [r for r in d.get("rows") or [] if r.get("member") in self._avatars]
        if self.roster.mode == "ask":
            ranks = [rank for r in rows if isinstance(rank := r.get("average_rank"), int | float)]
            for r in rows:
                rank = r.get("average_rank")
                if isinstance(rank, int | float):
                    color = theme.GREEN if rank == min(ranks) else theme.RED if rank == max(ranks) else theme.YELLOW
                    self._avatars[r["member"]].set_summary(f"rank {rank:.1f}", color,
                                                           f"average rank {rank:.2f} (lower is better)", value=rank)
            return
        for r in rows:
            mean = r.get("mean_score")
            if isinstance(mean, int | float):
                self._avatars[r["member"]].set_mean(float(mean), bottom=r["member"] in bottom)

    def on_event_alliance(self, d: ev.AllianceData) -> None:
        source = d.get("member")
        if source not in self._avatars:
            return
        who = self.roster.name(source)
        stances = [(t, "agree") for t in d.get("agree") or []] + [(t, "disagree") for t in d.get("disagree") or []]
        for i, (target, stance) in enumerate(stances):
            if target not in self._avatars or target == source:
                continue
            old = self._lines.pop((source, target), None)
            if old is not None:
                self.removeItem(old)
                old.deleteLater()
            verb = "agrees with" if stance == "agree" else "disagrees with"
            line = AllianceLineItem(source, target, stance, self._avatars[source].home,
                                    self._avatars[target].home, trim=AvatarItem.RADIUS + 10,
                                    tooltip=f"{who} {verb} {self.roster.name(target)}")
            self.addItem(line)
            self._lines[(source, target)] = line
            line.draw_on(delay=i * motion.LINE_STAGGER_MS)

    def on_event_chair_changed(self, d: ev.ChairChangedData) -> None:
        self._sync_roles()
        if self._stage_name in CHAIR_STAGES:
            self._enter_chair_stage()

    def on_event_member_failed(self, d: ev.MemberFailedData) -> None:
        member = d.get("member")
        if member in self._bubbles:
            self._bubbles[member].dismiss()
        self._apply_emphasis()

    def on_event_achievement(self, d: ev.AchievementData) -> None:
        member = d.get("member")
        badge, reason = str(d.get("badge") or ""), str(d.get("reason") or "")
        if member in self._avatars:
            self._avatars[member].add_achievement(badge, reason)
        if self._card is not None:
            self._card.add_achievement(f"{self.roster.name(member)} · {badge}")

    def on_event_complete(self, d: ev.CompleteData) -> None:
        status = str(d.get("status") or "finished")
        ok, total = self.roster.ok, self.roster.total
        if status == "finished":
            text = f"Finished · {ok} of {total} members"
        elif status == "cancelled":
            text = f"Stopped · {ok} of {total} members"
        else:
            text = f"Failed: {d.get('reason') or 'unknown error'}"
        if self._card is not None:
            self._card.set_footer(text)
        for bubble in self._bubbles.values():
            if bubble.streaming:
                bubble.dismiss()

    # -- staging ----------------------------------------------------------------------------------

    def _enter_chair_stage(self) -> None:
        chair = self.roster.chairman if self.roster.chairman in self._avatars else None
        if chair is None:
            return
        self._layout_chair = chair
        ids = list(self._avatars)
        places = layout.synthesis_places(self._seats, ids.index(chair))
        for mid, place in zip(ids, places, strict=True):
            avatar = self._avatars[mid]
            avatar.move_by(place - avatar.home)
            avatar.scale_to(motion.CHAIR_SCALE if mid == chair else 1.0)
            avatar.set_chair_aura(mid == chair)
        for bubble in self._bubbles.values():
            bubble.dismiss()
        for line in self._lines.values():
            line.fade(False)
        if self._legend is not None:
            self._legend.fade(False)
        if self._table is not None:
            self._table.animate("opacity", 0.0, motion.MOVE_MS)
        if self._topic is not None:
            self._topic.fade(False)
        if self._card is not None:
            ask = self.roster.mode == "ask"
            self._card.open(title="THE COUNCIL'S ANSWER" if ask else "SYNTHESIS",
                            byline=f"chaired by {self.roster.name(chair)}", subtitle=self._topic_text)
        if self._stage_name not in CHAIR_STAGES:  # a synthesis turn that came before its stage event
            self._stage_name = "chairman" if self.roster.mode == "ask" else "synthesis"

    def _target_opacity(self, mid: str) -> float:
        opacity = 1.0
        if self.roster.status(mid) == "failed":
            opacity = motion.FAILED_OPACITY
        if self._stage_name == "rebuttals" and mid not in self._speakers:
            opacity = min(opacity, motion.DIM_OPACITY)
        if self._stage_name in CHAIR_STAGES and mid != self._layout_chair:
            opacity = min(opacity, motion.SYNTHESIS_OTHERS_OPACITY)
        return opacity

    def _apply_emphasis(self) -> None:
        for mid, avatar in self._avatars.items():
            glow = (self._stage_name == "rebuttals" and mid in self._speakers
                    and self.roster.status(mid) != "failed")
            avatar.set_glow(glow)
            target = self._target_opacity(mid)
            if abs(avatar.opacity() - target) > 1e-6 or avatar.is_busy():
                avatar.dim_to(target)

    def _sync_member(self, mid: str) -> None:
        info = self.roster.members.get(mid)
        avatar = self._avatars.get(mid)
        if info is None or avatar is None:
            return
        avatar.set_status(info.status, info.reason)
        if info.status == "failed":
            self._apply_emphasis()

    def _sync_roles(self) -> None:
        for mid, avatar in self._avatars.items():
            avatar.set_roles(chair=mid == self.roster.chairman, proposer=mid == self.roster.proposer)

    # -- building and clearing --------------------------------------------------------------------

    def _add_cards(self) -> None:
        self._topic = TopicCardItem(layout.TOPIC_RECT)
        self.addItem(self._topic)
        self._card = SynthesisCardItem(layout.CARD_RECT)
        self.addItem(self._card)
        self._legend = LegendItem(layout.LEGEND_CENTRE)
        self.addItem(self._legend)

    def _build_empty(self) -> None:
        self._table = TableItem(layout.seat_positions(5), layout.TABLE_CENTRE, empty=True)
        self.addItem(self._table)

    def _clear_items(self) -> None:
        self.finish_animations()
        self.clear()  # deletes every item, with the animations and timers they own
        self._avatars.clear()
        self._bubbles.clear()
        self._lines.clear()
        self._seats = []
        self._speakers = []
        self._layout_chair = None
        self._topic_text = ""
        self._stage_name = ""
        self._table = self._topic = None
        self._card = None
        self._legend = None

    def _animated(self) -> Iterator[AnimatedObject]:
        for avatar in self._avatars.values():
            yield avatar
            yield from avatar.parts()
        yield from self._bubbles.values()
        yield from self._lines.values()
        for item in (self._table, self._topic, self._card, self._legend):
            if item is not None:
                yield item

    # -- Qt overrides -----------------------------------------------------------------------------

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        painter.fillRect(rect, theme.qcolor(theme.BACKGROUND))
        glow = QRadialGradient(layout.TABLE_CENTRE, 620)
        glow.setColorAt(0.0, theme.with_alpha("#24283b", 0.85))
        glow.setColorAt(1.0, theme.with_alpha(theme.BACKGROUND, 0.0))
        painter.fillRect(rect, glow)
