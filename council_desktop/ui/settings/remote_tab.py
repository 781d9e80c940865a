"""RemoteTab: models on OpenAI-compatible servers (llama-server, Ollama, LM Studio, vLLM): add, test,
edit and remove them; they are seated on the Council page like any other model."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...services.remote_models import RemoteModels, RemoteRow
from ..plain import plain_label, plain_tooltip
from .style import STYLESHEET


def _plain(text: str = "", name: str = "") -> QLabel:
    """Server names, paths and messages are never markup."""
    return plain_label(text, name, wrap=True)


class RemoteDialog(QDialog):
    """Add or edit one remote model. The key field is write-only: a stored key is never shown, and an
    empty field keeps it."""

    def __init__(self, remotes: RemoteModels, row: RemoteRow | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.remotes = remotes
        self.row = row
        self.setWindowTitle("Edit remote model" if row else "Add a remote model")
        self.setStyleSheet(STYLESHEET)
        self.setMinimumWidth(600)
        self.id_edit = QLineEdit(row.id if row else "")
        self.id_edit.setPlaceholderText("big-qwen (your name for it; used in --seats)")
        self.name_edit = QLineEdit(row.name if row and row.name != row.model else "")
        self.url_edit = QLineEdit(row.url if row else "")
        self.url_edit.setPlaceholderText("http://127.0.0.1:8080/v1")
        self.model_edit = QLineEdit(row.model if row else "")
        self.model_edit.setPlaceholderText("the model's name as the server's /v1/models lists it")
        self.key_edit = QLineEdit()
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText("kept in the system keyring" + (" (leave empty to keep the stored key)"
                                                                         if row and row.key == "keyring" else ""))
        self.env_edit = QLineEdit(row.api_key_env if row else "")
        self.env_edit.setPlaceholderText("or: the environment variable that holds the key")
        self.connect_spin = QDoubleSpinBox()
        self.connect_spin.setRange(0.5, 600)
        self.connect_spin.setValue(row.connect_timeout if row else 5.0)
        self.connect_spin.setSuffix(" s")
        self.read_spin = QDoubleSpinBox()
        self.read_spin.setRange(1, 3600)
        self.read_spin.setValue(row.read_timeout if row else 60.0)
        self.read_spin.setSuffix(" s")
        self.tls_check = QCheckBox("Verify the server's TLS certificate (https)")
        self.tls_check.setChecked(row.verify_tls if row else True)
        self.list_button = QPushButton("&List models")
        self.list_button.setAutoDefault(False)
        self.error = _plain(name="formError")
        ok, why = remotes.keyring_status()
        self.keyring_note = _plain("" if ok else f"No keyring is available ({why}): give the key in an environment "
                                                 "variable instead.", "statusNote")
        self.key_edit.setEnabled(ok)
        model_row = QHBoxLayout()
        model_row.addWidget(self.model_edit, 1)
        model_row.addWidget(self.list_button)
        form = QFormLayout()
        form.addRow("&Id", self.id_edit)
        form.addRow("&Display name", self.name_edit)
        form.addRow("Server &URL", self.url_edit)
        model_label = QLabel("&Model")
        model_label.setBuddy(self.model_edit)
        form.addRow(model_label, model_row)
        form.addRow("API &key", self.key_edit)
        form.addRow("Key from &environment variable", self.env_edit)
        form.addRow("&Connect timeout", self.connect_spin)
        form.addRow("&Read timeout (stall)", self.read_spin)
        form.addRow("", self.tls_check)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.keyring_note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.list_button.clicked.connect(self.list_models)

    def save(self) -> None:
        try:
            self.remotes.save(self.id_edit.text(), self.url_edit.text(), self.model_edit.text(),
                              name=self.name_edit.text(), api_key=self.key_edit.text() or None,
                              api_key_env=self.env_edit.text(), connect_timeout=self.connect_spin.value(),
                              read_timeout=self.read_spin.value(), verify_tls=self.tls_check.isChecked(),
                              replaces=self.row.id if self.row else None)
        except Exception as exc:  # ValueError, KeyStoreError: one line, nothing saved
            self.error.setText(f"Not saved: {exc}")
            return
        self.key_edit.clear()
        self.accept()

    def list_models(self) -> None:
        """Fill the model name from the server's list (the first one when the field is empty)."""
        try:
            models = self.remotes.list_models(self.url_edit.text(), api_key=self.key_edit.text() or None,
                                              api_key_env=self.env_edit.text(),
                                              connect_timeout=self.connect_spin.value(),
                                              read_timeout=self.read_spin.value(),
                                              verify_tls=self.tls_check.isChecked())
        except Exception as exc:
            self.error.setText(str(exc))
            return
        if models and not self.model_edit.text():
            self.model_edit.setText(models[0])
        shown = ", ".join(models[:12]) + (" …" if len(models) > 12 else "")
        self.error.setText(f"The server lists: {shown or 'no models'}")


class RemoteRowWidget(QFrame):
    def __init__(self, row: RemoteRow, tab: RemoteTab) -> None:
        super().__init__()
        self.setObjectName("modelRow")
        self.row = row
        title = _plain(f"{row.name}  ·  {row.id}", "modelName")
        self.where = where = _plain(f"{row.model} at {row.url}  ·  key: {row.key}"
                       + ("" if row.verify_tls or not row.url.startswith("https") else "  ·  TLS NOT VERIFIED"),
                       "modelSub")
        status = "Testing…" if row.testing else row.last_test
        self.status = _plain(status, "rowError" if row.last_ok is False else "rowNote")
        if status:
            self.status.setToolTip(plain_tooltip(status))
        self.test_button = QPushButton("Test")
        self.edit_button = QPushButton("Edit…")
        self.remove_button = QPushButton("Remove")
        buttons = QHBoxLayout()
        for b in (self.test_button, self.edit_button, self.remove_button):
            b.setObjectName("rowButton")
            b.setAutoDefault(False)
            buttons.addWidget(b)
        self.test_button.setEnabled(not row.testing)
        head = QHBoxLayout()
        text = QVBoxLayout()
        text.addWidget(title)
        text.addWidget(where)
        head.addLayout(text, 1)
        head.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.status)
        self.test_button.clicked.connect(lambda: tab.remotes.test(row.id))
        self.edit_button.clicked.connect(lambda: tab.open_dialog(row))
        self.remove_button.clicked.connect(lambda: tab.remove(row))


class RemoteTab(QWidget):
    """The list of remote models with Add, Test, Edit and Remove. Signals: none."""

    def __init__(self, remotes: RemoteModels, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.remotes = remotes
        intro = _plain("Seat bigger models that run elsewhere: any OpenAI-compatible server (llama-server, "
                       "Ollama, LM Studio, vLLM). Keys go to the system keyring, never to the settings file. "
                       "Seat them on the Council page.", "statusNote")
        self.list_box = QVBoxLayout()
        self.list_box.setSpacing(6)
        holder = QWidget()
        outer = QVBoxLayout(holder)
        outer.addLayout(self.list_box)
        outer.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        self.empty = _plain("No remote models yet.", "statusNote")
        self.add_button = QPushButton("&Add remote model…")
        self.add_button.setAutoDefault(False)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.empty)
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)
        self.rows: list[RemoteRowWidget] = []
        self.add_button.clicked.connect(lambda: self.open_dialog(None))
        remotes.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        for w in self.rows:
            self.list_box.removeWidget(w)
            w.deleteLater()
        self.rows = [RemoteRowWidget(r, self) for r in self.remotes.rows()]
        for w in self.rows:
            self.list_box.addWidget(w)
        self.empty.setVisible(not self.rows)

    def open_dialog(self, row: RemoteRow | None) -> RemoteDialog:
        dialog = RemoteDialog(self.remotes, row, self)
        dialog.open()
        return dialog

    def remove(self, row: RemoteRow) -> None:
        answer = QMessageBox.question(self, "Remove remote model",
                                      f"Remove {row.name} ({row.url})? Its stored key is deleted from the keyring "
                                      "and any seat it holds goes back to the starter.")
        if answer == QMessageBox.StandardButton.Yes:
            self.remotes.remove(row.id)
