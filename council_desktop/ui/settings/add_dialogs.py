"""The two small "add a model" dialogs: a GGUF file from disk, and a file from a Hugging Face repository."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...services.model_manager import ModelManager
from ..plain import plain_label
from .combo import ChevronComboBox
from .style import STYLESHEET

DETECT = "Detect from the file's chat template"


def _plain(text: str = "", name: str = "") -> QLabel:
    """Server names, paths and messages are never markup."""
    return plain_label(text, name, wrap=True)


def _format_combo(manager: ModelManager, *, detect: bool) -> QComboBox:
    combo = ChevronComboBox()
    if detect:
        combo.addItem(DETECT, None)
    for name in manager.chat_formats():
        combo.addItem(name, name)
    combo.setAccessibleName("Chat format")
    return combo


class _AddDialog(QDialog):
    """What both dialogs share: a title, a form, an error line and OK/Cancel. A subclass fills
    ``self.form``, then calls ``_finish(intro)``."""

    def __init__(self, manager: ModelManager, title: str, ok_text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.manager = manager
        self.setWindowTitle(title)
        self.setStyleSheet(STYLESHEET)
        self.setMinimumWidth(560)
        self.error = _plain(name="formError")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

    def _finish(self, intro: str) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(_plain(intro, "pageIntro"))
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._connect_signals()
        self._validate()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _validate(self) -> str:
        raise NotImplementedError


class AddFileDialog(_AddDialog):
    """Choose a .gguf file on disk and its chat format; OK hands it to ``ModelManager.add_local_file``
    (checked in a separate process, then copied into the models folder). ``job_id`` is its pending row.

    Signals: none (QDialog's accepted/rejected)."""

    def __init__(self, manager: ModelManager, parent: QWidget | None = None) -> None:
        super().__init__(manager, "Add a GGUF file", "&Add", parent)
        self.job_id = ""
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("/path/to/model-Q4_K_M.gguf")
        self.path_edit.setAccessibleName("GGUF file")
        self.browse_button = QPushButton("&Browse…")
        self.browse_button.setAutoDefault(False)
        self.format_combo = _format_combo(manager, detect=True)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        self.form.addRow("&File", row)
        self.form.addRow("Chat &format", self.format_combo)
        file_label = self.form.labelForField(row)
        if isinstance(file_label, QLabel):
            file_label.setBuddy(self.path_edit)
        self._finish("The file's header is read first, then it is opened in a separate process (a broken or "
                     "hostile file cannot crash the app), then it is copied into the models folder and can take "
                     "a seat.")

    def _connect_signals(self) -> None:
        super()._connect_signals()
        self.browse_button.clicked.connect(self.browse)
        self.path_edit.textChanged.connect(self._validate)

    def path(self) -> Path:
        return Path(self.path_edit.text().strip()).expanduser()

    def chat_format(self) -> str | None:
        data = self.format_combo.currentData()
        return str(data) if data else None

    def browse(self) -> None:
        start = str(self.path().parent) if self.path_edit.text().strip() else str(Path.home())
        chosen, _filter = QFileDialog.getOpenFileName(self, "Choose a GGUF model", start,
                                                      "GGUF models (*.gguf);;All files (*)")
        if chosen:
            self.path_edit.setText(chosen)

    def _validate(self) -> str:
        text = self.path_edit.text().strip()
        problem = ""
        if text and not self.path().is_file():
            problem = "No such file."
        elif text and not self.path().name.lower().endswith(".gguf"):
            problem = "This does not look like a .gguf file (it will still be checked)."
        self.error.setText(problem)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(text) and self.path().is_file())
        return problem

    def accept(self) -> None:
        if not self.path().is_file():
            self._validate()
            return
        self.job_id = self.manager.add_local_file(self.path(), self.chat_format())
        super().accept()


class AddHubDialog(_AddDialog):
    """Name a GGUF file in a Hugging Face repository and its chat format; OK adds it to the list and starts
    the download (``ModelManager.add_hub_file``). ``added_id`` is the new model's id.

    Signals: none (QDialog's accepted/rejected)."""

    def __init__(self, manager: ModelManager, parent: QWidget | None = None) -> None:
        super().__init__(manager, "Add from Hugging Face", "Add and &download", parent)
        self.added_id = ""
        self.repo_edit = QLineEdit()
        self.repo_edit.setPlaceholderText("owner/name, e.g. bartowski/SmolLM2-1.7B-Instruct-GGUF")
        self.repo_edit.setAccessibleName("Repository")
        self.file_edit = QLineEdit()
        self.file_edit.setPlaceholderText("file name, e.g. SmolLM2-1.7B-Instruct-Q4_K_M.gguf")
        self.file_edit.setAccessibleName("File name")
        self.format_combo = _format_combo(manager, detect=False)
        self.form.addRow("&Repository", self.repo_edit)
        self.form.addRow("F&ile", self.file_edit)
        self.form.addRow("Chat &format", self.format_combo)
        self._finish("A .gguf file at the top of a public (or, once you signed in to the hub, gated) repository. "
                     "Its size and sha256 come from the hub and are checked before it may take a seat.")

    def _connect_signals(self) -> None:
        super()._connect_signals()
        self.repo_edit.textChanged.connect(self._validate)
        self.file_edit.textChanged.connect(self._validate)
        self.format_combo.currentIndexChanged.connect(self._validate)

    def _fields(self) -> tuple[str, str, str]:
        return self.repo_edit.text().strip(), self.file_edit.text().strip(), str(self.format_combo.currentData())

    def _validate(self) -> str:
        repo, filename, fmt = self._fields()
        problem = self.manager.check_hub_file(repo, filename, fmt) if repo and filename else ""
        self.error.setText(problem[:1].upper() + problem[1:] if problem else "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(repo and filename and not problem))
        return problem

    def accept(self) -> None:
        if self._validate():
            return
        try:
            self.added_id = self.manager.add_hub_file(*self._fields())
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        super().accept()
