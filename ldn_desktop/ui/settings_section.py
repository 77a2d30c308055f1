"""One section of the Settings page: labelled fields, a refusal shown beside its field, and
Save / Revert. Each section saves in one store call, so nothing is ever half-saved."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ldn_desktop.core.findings import Finding, InputRefused, Severity
from ldn_desktop.core.signing import action_refusal
from ldn_desktop.store.errors import InvalidField, StoreError
from ldn_desktop.ui.context import AppContext
from ldn_desktop.ui.errors import show_error
from ldn_desktop.ui.findings_view import FindingList, with_findings


class SettingsSection(QWidget):
    """Subclasses add rows, then implement `load()` and `save_to_store()`."""

    title = ""
    intro = ""
    action = ""  # the core's name for the permission this section needs

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._notes: dict[str, FindingList] = {}
        self.fields = QWidget()
        self.form = QFormLayout(self.fields)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.form.setVerticalSpacing(8)
        intro = QLabel(self.intro)
        intro.setWordWrap(True)
        intro.setObjectName("muted")
        self.permission = QLabel()
        self.permission.setObjectName("errorText")
        self.permission.setWordWrap(True)
        self.permission.hide()
        self.message = FindingList()
        self.status = QLabel()
        self.status.setObjectName("muted")
        self.status.setAccessibleName(f"{self.title} save status")
        self.save_button = QPushButton("&Save")
        self.save_button.setAccessibleName(f"Save {self.title.lower()} settings")
        self.revert_button = QPushButton("&Revert")
        self.revert_button.setAccessibleName(f"Revert {self.title.lower()} settings")
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.load)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        body = QWidget()
        body.setMaximumWidth(640)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(10)
        body_layout.addWidget(intro)
        body_layout.addWidget(self.permission)
        body_layout.addWidget(self.fields)
        body_layout.addWidget(self.message)
        body_layout.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 12, 8, 8)
        layout.addWidget(body)
        layout.addStretch(1)
        context.user_changed.connect(lambda _u: self.apply_permission())

    def add_row(self, key: str, label: str, widget: QWidget) -> None:
        holder, notes = with_findings(widget)
        caption = QLabel(label)
        caption.setBuddy(widget.focusProxy() or widget)
        self.form.addRow(caption, holder)
        self._notes[key] = notes

    def notes_for(self, key: str) -> FindingList:
        return self._notes[key]

    # -- permission ------------------------------------------------------------------------
    def apply_permission(self) -> None:
        """Fields are read-only for a role the core does not allow to change them."""
        user = self.context.user
        refusal = None
        if self.action and user is not None:
            refusal = action_refusal(user.role.value, self.action)
        allowed = user is not None and refusal is None
        self.fields.setEnabled(allowed)
        self.save_button.setEnabled(allowed)
        self.revert_button.setEnabled(allowed)
        self.permission.setVisible(refusal is not None)
        if refusal is not None:
            self.permission.setText(f"Only shown: {refusal}.")

    # -- saving ----------------------------------------------------------------------------
    def load(self) -> None:
        raise NotImplementedError

    def save_to_store(self) -> None:
        raise NotImplementedError

    def clear_notes(self) -> None:
        for notes in self._notes.values():
            notes.show_findings([])
        self.message.show_findings([])

    def refuse(self, field: str, message: str) -> None:
        finding = Finding("refused", Severity.STOP, message[:1].upper() + message[1:], field)
        notes = self._notes.get(field)
        (notes or self.message).show_findings([finding])

    def save(self) -> bool:
        """Save this section through the store; refusals appear beside their fields."""
        self.clear_notes()
        self.status.clear()
        try:
            self.save_to_store()
        except InputRefused as refused:
            self.refuse(refused.field, refused.message)
            return False
        except InvalidField as refused:
            self.refuse(refused.field, refused.message.removeprefix(f"{refused.field}: "))
            return False
        except StoreError as exc:
            show_error(self, f"Saving the {self.title.lower()} settings", exc)
            return False
        self.context.reload_settings()
        self.load()  # what the store now holds, as it will be read back
        self.status.setText("Saved.")
        return True

    def current(self) -> Any:
        return self.context.settings
