"""CouncilTab: five seats, each a verified model and a persona, with the council's RAM estimate and Apply."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...services.model_manager import MAX_SEATS, ModelManager, SeatChoice, system_ram_mb
from .. import theme
from ..layouts import vstack
from ..plain import plain_label, plain_tooltip
from .combo import ChevronComboBox
from .formatting import fmt_bytes, fmt_ram, ram_summary

N_CTX = 2048  # the engine's context per seat (services.runtime CouncilRuntime default)
APP_OVERHEAD_MB = 250  # Python + Qt, not part of the estimate (llm.catalogue.ram_estimate_mb)
NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}
HEALTH = {"ok": ("ready", theme.GREEN), "loading": ("loading…", theme.BLUE), "unloaded": ("unloaded", theme.MUTED),
          "failed": ("failed", theme.RED)}  # a seat's status in a roles preview → what the table card says


def _dot(color: str, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(theme.qcolor(color)))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


class CouncilTab(QWidget):
    """The Council page: five seat rows (a model combo offering only the bundled starter and verified,
    installed models; a persona combo), a live RAM estimate for the whole council, and Apply, which saves
    through ``ModelManager.set_seats`` for the next session.

    Below them, "At the table now": the council the app has seated, each seat's health (loading, ready,
    unloaded, failed and why) from ``show_table``, with Load and Unload.

    Signals: ``models_requested()`` — the user wants the Models page (to download more models);
    ``load_requested()`` / ``unload_requested()`` — load the seated council's models, or free them."""

    models_requested = Signal()
    load_requested = Signal()
    unload_requested = Signal()

    def __init__(self, manager: ModelManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.manager = manager
        self.model_combos: list[QComboBox] = []
        self.persona_combos: list[QComboBox] = []
        self.badges: list[QLabel] = []
        self.seat_notes: list[QLabel] = []
        self._has_models = True
        self._saved: list[SeatChoice] = []
        intro = plain_label("Choose who sits at the table. Only the bundled starter and models that are installed "
                       "and verified are offered; seats on the same model file share its memory.", "pageIntro")
        intro.setWordWrap(True)
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(10)
        for col, title in enumerate(("SEAT", "MODEL", "PERSONA", "")):
            grid.addWidget(plain_label(title, "columnHeader"), 0, col)
        personas = manager.personas()
        for i in range(MAX_SEATS):
            badge = plain_label(str(i + 1), "seatNumber")
            badge.setFixedSize(26, 26)
            badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
            model = ChevronComboBox()
            model.setMinimumWidth(360)
            model.setAccessibleName(f"Seat {i + 1} model")
            persona = ChevronComboBox()
            persona.setMinimumWidth(200)
            persona.setAccessibleName(f"Seat {i + 1} persona")
            for p in personas:
                persona.addItem(_dot(p.color), p.name, p.id)
                persona.setItemData(persona.count() - 1, plain_tooltip(p.prompt), Qt.ItemDataRole.ToolTipRole)
            grid.addWidget(badge, i + 1, 0, Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(model, i + 1, 1)
            grid.addWidget(persona, i + 1, 2)
            note = plain_label(name="statusNote")
            grid.addWidget(note, i + 1, 3)
            self.seat_notes.append(note)
            self.badges.append(badge)
            self.model_combos.append(model)
            self.persona_combos.append(persona)
        grid.setColumnStretch(3, 1)
        self.only_starter = plain_label("Only the bundled starter is installed: download champions on the Models page "
                                   "to seat them here.", "statusNote")
        self.only_starter.setWordWrap(True)
        self.to_models_button = QPushButton("&Open the Models page")
        self.to_models_button.setAutoDefault(False)
        hint = QHBoxLayout()
        hint.addWidget(self.only_starter, 1)
        hint.addWidget(self.to_models_button)
        self.hint = QWidget()
        self.hint.setLayout(hint)
        hint.setContentsMargins(0, 0, 0, 0)
        card = QFrame()
        card.setObjectName("ramCard")
        self.ram_headline = plain_label(name="ramHeadline")
        self.ram_detail = plain_label(name="ramDetail")
        self.ram_detail.setWordWrap(True)
        self.ram_warning = plain_label(name="ramWarning")
        self.ram_warning.setWordWrap(True)
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(16, 12, 16, 12)
        card_layout.setSpacing(4)
        card_layout.addWidget(self.ram_headline)
        card_layout.addWidget(self.ram_detail)
        card_layout.addWidget(self.ram_warning)
        self._build_table_card()
        self.note = plain_label("Changes take effect for the next session; a council already at the table keeps its "
                           "seats until it finishes.", "statusNote")
        self.note.setWordWrap(True)
        self.status = plain_label(name="statusNote")
        self.reset_button = QPushButton("&Reset to the starter council")
        self.reset_button.setAutoDefault(False)
        self.apply_button = QPushButton("&Apply")
        self.apply_button.setObjectName("primaryButton")
        self.apply_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        buttons.addWidget(self.status)
        buttons.addSpacing(8)
        buttons.addWidget(self.apply_button)
        vstack(self, intro, grid, self.hint, card, self.table_card, self.note, 1, buttons, margins=(16, 16, 16, 12),
               spacing=12)
        self._populate_models()
        self.load(manager.seats())
        self._connect_signals()

    def _connect_signals(self) -> None:
        for combo in (*self.model_combos, *self.persona_combos):
            combo.currentIndexChanged.connect(self._changed)
        self.apply_button.clicked.connect(self.apply)
        self.reset_button.clicked.connect(self.reset)
        self.to_models_button.clicked.connect(self.models_requested)
        self.load_button.clicked.connect(self.load_requested)
        self.unload_button.clicked.connect(self.unload_requested)
        self.manager.rows_changed.connect(self.on_rows_changed)
        self.manager.seats_changed.connect(self.on_seats_changed)

    def _build_table_card(self) -> None:
        self.table_card = QFrame()
        self.table_card.setObjectName("ramCard")
        self.table_title = plain_label("At the table now", "tableTitle")
        self.table_summary = plain_label(name="ramDetail")
        self.load_button = QPushButton("&Load models")
        self.unload_button = QPushButton("U&nload models")
        for button in (self.load_button, self.unload_button):
            button.setAutoDefault(False)
            button.setEnabled(False)
        head = QHBoxLayout()
        head.addWidget(self.table_title)
        head.addSpacing(10)
        head.addWidget(self.table_summary, 1)
        head.addWidget(self.load_button)
        head.addWidget(self.unload_button)
        self.table_grid = QGridLayout()
        self.table_grid.setHorizontalSpacing(14)
        self.table_grid.setVerticalSpacing(4)
        box = QVBoxLayout(self.table_card)
        box.setContentsMargins(16, 12, 16, 12)
        box.setSpacing(8)
        box.addLayout(head)
        box.addLayout(self.table_grid)
        self.health: dict[str, tuple[str, str]] = {}  # member id -> (status, reason), as last shown
        self._table_labels: list[QLabel] = []
        self.show_table([])

    def show_table(self, members: list[dict[str, object]], note: str = "") -> None:
        """Show the seated council: ``members`` as a ``roles`` preview lists them (id, name, model, color,
        status, reason). ``note`` replaces the summary (e.g. why an unload was refused)."""
        for label in self._table_labels:
            self.table_grid.removeWidget(label)
            label.deleteLater()
        self._table_labels = []
        self.health = {}
        for row, m in enumerate(members):
            mid, status, reason = str(m.get("id")), str(m.get("status") or "ok"), str(m.get("reason") or "")
            self.health[mid] = (status, reason)
            text, color = HEALTH.get(status, HEALTH["ok"])
            dot = plain_label("●")
            dot.setStyleSheet(f"color: {theme.qcolor(str(m.get('color') or theme.MUTED)).name()};")
            name = plain_label(str(m.get("name") or mid), "cell")
            model = plain_label(str(m.get("model") or ""), "cell")
            speed = str(m.get("speed") or "")  # a seat's first-token latency and tokens/s
            state = plain_label(f"{text}: {reason}" if reason else f"{text} · {speed}" if speed else text)
            state.setStyleSheet(f"color: {color};")
            state.setWordWrap(True)
            if reason:
                state.setToolTip(plain_tooltip(reason))
            for col, label in enumerate((dot, name, model, state)):
                self.table_grid.addWidget(label, row, col)
                self._table_labels.append(label)
        self.table_grid.setColumnStretch(3, 1)
        states = [s for s, _r in self.health.values()]
        loaded = sum(1 for s in states if s == "ok")
        failed = sum(1 for s in states if s == "failed")
        if note:
            summary = note
        elif not states:
            summary = "No council is seated yet."
        elif "loading" in states:
            summary = f"Loading: {loaded} of {len(states)} seats ready."
        elif "unloaded" in states:
            summary = "The models are unloaded; they load again for the next session."
        else:
            summary = f"{loaded} of {len(states)} seats ready" + (f", {failed} failed." if failed else ".")
        self.table_summary.setText(summary)
        self.load_button.setEnabled("unloaded" in states)
        self.unload_button.setEnabled(bool(states) and "loading" not in states and "unloaded" not in states)

    # -- state -----------------------------------------------------------------------------------------

    def choices(self) -> list[SeatChoice]:
        return [SeatChoice(str(m.currentData()), str(p.currentData()))
                for m, p in zip(self.model_combos, self.persona_combos, strict=True)]

    def offered_models(self, seat: int = 0) -> list[str]:
        combo = self.model_combos[seat]
        return [str(combo.itemData(i)) for i in range(combo.count())]

    def load(self, seats: list[SeatChoice]) -> None:
        """Show these seats (the saved ones) without saving anything."""
        self._saved = list(seats)
        self._select(seats)
        self.status.setText("")

    def _select(self, seats: list[SeatChoice]) -> None:
        for i, seat in enumerate(seats[:MAX_SEATS]):
            for combo, value in ((self.model_combos[i], seat.model_id), (self.persona_combos[i], seat.persona_id)):
                combo.blockSignals(True)
                index = combo.findData(value)
                combo.setCurrentIndex(index if index >= 0 else 0)
                combo.blockSignals(False)
        self._changed()

    def _populate_models(self) -> None:
        rows = self.manager.seat_models()
        for combo in self.model_combos:
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for row in rows:
                combo.addItem(row.name, row.id)
                facts = [f"{row.name}", f"{row.chat_format} chat format"]
                if row.size_bytes:
                    facts.append(f"{fmt_bytes(row.size_bytes)} file")
                if row.ram_mb:
                    facts.append(f"about {fmt_ram(row.ram_mb)} of RAM for one seat")
                combo.setItemData(combo.count() - 1, plain_tooltip("\n".join(facts)), Qt.ItemDataRole.ToolTipRole)
            index = combo.findData(current)
            combo.setCurrentIndex(index if index >= 0 else 0)
            combo.setEnabled(bool(rows))
            combo.blockSignals(False)
        self._has_models = bool(rows)
        self.only_starter.setText(
            "Only the bundled starter is installed: download champions on the Models page to seat them here."
            if rows else "No model is available (the bundled starter is missing): download one on the Models page.")
        self.hint.setVisible(len(rows) <= 1)

    def _changed(self, *_args: object) -> None:
        seats = self.choices()
        personas = {p.id: p for p in self.manager.personas()}
        for badge, seat in zip(self.badges, seats, strict=True):
            color = personas[seat.persona_id].color if seat.persona_id in personas else theme.MUTED
            badge.setStyleSheet(f"QLabel#seatNumber {{ background: {theme.qcolor(color).name()}; }}")
        self._show_sharing(seats)
        self._show_ram(seats)
        dirty = seats != self._saved[:MAX_SEATS]
        self.apply_button.setEnabled(dirty and self._has_models)
        if dirty:
            self.status.setText("Not saved yet.")

    def _show_sharing(self, seats: list[SeatChoice]) -> None:
        """Which seats share a model file (and so its memory), next to each seat."""
        sizes = {r.id: r.size_bytes for r in self.manager.seat_models()}
        for i, (seat, note) in enumerate(zip(seats, self.seat_notes, strict=True)):
            if not self._has_models:
                note.setText("")
                continue
            others = [str(j + 1) for j, s in enumerate(seats) if s.model_id == seat.model_id and j != i]
            if others:
                listed = others[0] if len(others) == 1 else f"{', '.join(others[:-1])} and {others[-1]}"
                note.setText(f"shares its weights with seat{'s' if len(others) > 1 else ''} {listed}")
            else:
                size = sizes.get(seat.model_id, 0)
                note.setText(f"its own file ({fmt_bytes(size)})" if size else "its own file")

    def _show_ram(self, seats: list[SeatChoice]) -> None:
        mib = self.manager.ram_estimate_mb(seats, N_CTX)
        self.ram_headline.setText(ram_summary(mib, len(seats)))
        files = len({s.model_id for s in seats})
        shared = f"{NUMBER_WORDS.get(files, str(files))} model file{'s' if files != 1 else ''}"
        detail = (f"Weights for {shared} (each loaded once, shared by its seats), plus memory for a "
                  f"{N_CTX:,}-token context per seat. The app itself needs about {fmt_ram(APP_OVERHEAD_MB)} more.")
        total = system_ram_mb()
        if total:
            detail += f" This computer has {fmt_ram(total)}."
        self.ram_detail.setText(detail)
        tight = total is not None and mib + APP_OVERHEAD_MB > 0.8 * total
        self.ram_warning.setVisible(tight)
        self.ram_warning.setText("That is close to all of this computer's memory: choose smaller models or let "
                                 "more seats share one model." if tight else "")

    # -- actions ---------------------------------------------------------------------------------------

    def apply(self) -> None:
        try:
            self.manager.set_seats(self.choices())
        except ValueError as exc:
            self.status.setText(f"Not saved: {exc}")
            return
        self.status.setText("Saved. The next session seats this council.")

    def reset(self) -> None:
        self._select(self.manager.default_seats())

    def on_rows_changed(self) -> None:
        self._populate_models()
        self._changed()

    def on_seats_changed(self, seats: list[SeatChoice]) -> None:
        self._saved = list(seats)
        self._select(list(seats))
