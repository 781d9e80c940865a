"""The arena's geometry in scene units: seats on a pentagon, bubble frames, the synthesis arrangement."""

from __future__ import annotations

import itertools
import math

from PySide6.QtCore import QPointF, QRectF

from .avatar import AvatarItem
from .bubble import BubbleFrame

SCENE_RECT = QRectF(-500, -370, 1000, 740)
TABLE_CENTRE = QPointF(0, 28)
SEAT_RX = 232.0
SEAT_RY = 190.0
TOPIC_RECT = QRectF(-124, -44, 248, 160)
HEAD_POS = QPointF(0, -268)  # the chairman's place during the synthesis
CARD_RECT = QRectF(-282, -100, 564, 456)
FLANK_X = 392.0
LEGEND_CENTRE = QPointF(0, 340)
MARGIN = 8.0


def seat_positions(n: int) -> list[QPointF]:
    """``n`` seats clockwise from the top on a (slightly widened) regular polygon."""
    out = []
    for i in range(n):
        a = -math.pi / 2 + 2 * math.pi * i / max(1, n)
        out.append(QPointF(TABLE_CENTRE.x() + SEAT_RX * math.cos(a), TABLE_CENTRE.y() + SEAT_RY * math.sin(a)))
    return out


def bubble_frame(seat: QPointF) -> BubbleFrame:
    """Bubbles grow outwards, into the free space beyond their seat: above the top seat, beside the
    side seats, and beside-and-below the lower ones, so five can stream at once without overlapping."""
    box = SCENE_RECT.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
    r = AvatarItem.RADIUS + 9
    dx, dy = seat.x() - TABLE_CENTRE.x(), seat.y() - TABLE_CENTRE.y()
    if dy < 0 and abs(dx) < abs(dy) * 0.5:  # the top seat: above it
        anchor = QPointF(seat.x(), seat.y() - r - 17)
        rect = QRectF(seat.x() - 190, box.top(), 380, anchor.y() - 6 - box.top())
        return BubbleFrame(rect, anchor, "center", "bottom")
    if dy > 0 and abs(dx) < abs(dy) * 0.5:  # a bottom seat (even counts): below it
        anchor = QPointF(seat.x(), seat.y() + AvatarItem.BADGES_Y + 16)
        rect = QRectF(seat.x() - 190, anchor.y() + 6, 380, box.bottom() - anchor.y() - 6)
        return BubbleFrame(rect, anchor, "center", "top")
    right = dx > 0
    anchor = QPointF(seat.x() + (r + 6 if right else -r - 6), seat.y())
    lower = dy > SEAT_RY * 0.3
    gap = 20.0 if lower else 10.0  # lower bubbles reach down past the model label: keep clear of it
    left_edge = anchor.x() + gap if right else box.left()
    width = (box.right() - left_edge) if right else (anchor.x() - gap - box.left())
    if lower:  # a lower seat: from just above it down to the bottom edge
        top = seat.y() - AvatarItem.RADIUS - 24
        rect = QRectF(left_edge, top, width, box.bottom() - top)
        return BubbleFrame(rect, anchor, "left" if right else "right", "top")
    # Beside the seat, stopping above the model label so the bubble never covers it.
    top = max(box.top() + 110, seat.y() - 170)
    rect = QRectF(left_edge, top, width, seat.y() + 30 - top)
    return BubbleFrame(rect, anchor, "left" if right else "right", "center")


def synthesis_places(seats: list[QPointF], chair: int) -> list[QPointF]:
    """Where every seat goes while the chairman speaks: the chairman to the head of the table, the
    others outwards to the two flanks, each to the nearest free place (no crossing paths)."""
    others = [i for i in range(len(seats)) if i != chair]
    k = len(others)
    right_n = (k + 1) // 2
    left_n = k - right_n

    def column(x: float, count: int) -> list[QPointF]:
        if count == 0:
            return []
        if count == 1:
            return [QPointF(x, 20)]
        top, bottom = -160.0, 196.0
        return [QPointF(x, top + (bottom - top) * j / (count - 1)) for j in range(count)]

    slots = column(FLANK_X, right_n) + column(-FLANK_X, left_n)
    best: tuple[float, tuple[int, ...]] | None = None
    # Few seats: try every assignment (5 seats → 24), take the shortest total travel.
    if k <= 7:
        for perm in itertools.permutations(range(k)):
            cost = sum((seats[others[i]].x() - slots[p].x()) ** 2 + (seats[others[i]].y() - slots[p].y()) ** 2
                       for i, p in enumerate(perm))
            if best is None or cost < best[0]:
                best = (cost, perm)
    order = best[1] if best else tuple(range(k))
    places = list(seats)
    places[chair] = QPointF(HEAD_POS)
    for i, p in enumerate(order):
        places[others[i]] = slots[p]
    return places
