"""First run: create the pharmacy and its first administrator, optionally with demo data.

Everything is saved by the store in one go (`create_pharmacy`); the demo data, when asked
for, is made through the store's own demo function, the same one `db init --demo` uses.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ldn_desktop.store.errors import InvalidField, RuleRefused, StoreError
from ldn_desktop.store.records import PharmacyDetails
from ldn_desktop.ui.context import AppContext
from ldn_desktop.ui.errors import show_error
from ldn_desktop.ui.keyboard import focus_lands_on, tab_field_to_field
from ldn_desktop.ui.style import centred_row


def _line(name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    return edit


class FirstRunScreen(QWidget):
    """Shown instead of sign-in while the database has no pharmacy."""

    completed = Signal(object)  # the administrator, signed in

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context

        title = QLabel("Welcome to LDN Desktop")
        title.setObjectName("screenTitle")
        intro = QLabel(
            "Set up your pharmacy. Its details print on every label and leaflet; "
            "the administrator adds the other pharmacists and technicians later."
        )
        intro.setWordWrap(True)
        intro.setObjectName("muted")

        self.name = _line("Pharmacy name", "e.g. Riverside Compounding Pharmacy")
        self.address = QPlainTextEdit()
        self.address.setAccessibleName("Pharmacy address")
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(64)
        self.phone = _line("Pharmacy phone")
        self.licence = _line("Pharmacy licence number")
        pharmacy = QGroupBox("Pharmacy")
        pharmacy_form = QFormLayout(pharmacy)
        pharmacy_form.addRow("&Name", self.name)
        pharmacy_form.addRow("&Address", self.address)
        pharmacy_form.addRow("&Phone", self.phone)
        pharmacy_form.addRow("&Licence number", self.licence)

        self.full_name = _line("Administrator full name", "as it appears on signatures")
        self.username = _line("Administrator user name")
        self.password = _line("Administrator password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again = _line("Administrator password again")
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        admin = QGroupBox("First administrator")
        admin_form = QFormLayout(admin)
        admin_form.addRow("Full na&me", self.full_name)
        admin_form.addRow("&User name", self.username)
        admin_form.addRow("Pass&word", self.password)
        admin_form.addRow("Pa&ssword again", self.password_again)

        self.demo = QCheckBox(
            "Add &demo data to explore safely (formulas, lots, prescriptions, batches)"
        )
        self.demo.setAccessibleName("Add demo data")
        # The store's demo data module ships with the store; without it, no offer.
        self.demo.setVisible(importlib.util.find_spec("ldn_desktop.store.demo") is not None)
        self.message = QLabel()
        self.message.setObjectName("errorText")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Set-up message")
        self.message.hide()
        self.create_button = QPushButton("&Create pharmacy")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.create)

        card = QFrame()
        card.setObjectName("signInCard")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setFixedWidth(600)
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(28, 24, 28, 24)
        card_layout.setSpacing(14)
        card_layout.addWidget(title)
        card_layout.addWidget(intro)
        card_layout.addWidget(pharmacy)
        card_layout.addWidget(admin)
        card_layout.addWidget(self.demo)
        card_layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        card_layout.addLayout(buttons)

        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.addLayout(centred_row(card))
        holder_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(holder)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        tab_field_to_field(self)  # Tab skips the scroll area, landing on the fields
        focus_lands_on(self, self.name)  # opening the screen: the pharmacy's name

    def details(self) -> PharmacyDetails:
        return PharmacyDetails(
            name=self.name.text().strip(),
            address=self.address.toPlainText().strip(),
            phone=self.phone.text().strip(),
            licence_number=self.licence.text().strip(),
        )

    def _refuse(self, text: str, focus: QWidget) -> None:
        self.message.setText(text)
        self.message.show()
        focus.setFocus()

    def create(self) -> None:
        """Create the pharmacy and the administrator; then the demo data if asked for."""
        required = (
            (self.name, "the pharmacy's name"),
            (self.full_name, "the administrator's full name"),
            (self.username, "a user name"),
            (self.password, "a password"),
        )
        for edit, what in required:
            if not edit.text().strip():
                self._refuse(f"Enter {what}.", edit)
                return
        if self.password.text() != self.password_again.text():
            self.password_again.clear()
            self._refuse("The two passwords are not the same: type it again.", self.password_again)
            return
        store = self.context.store
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            admin = store.create_pharmacy(
                self.details(),
                self.username.text().strip(),
                self.full_name.text().strip(),
                self.password.text(),
            )
        except InvalidField as refused:
            self._refuse(refused.message, self._field_widget(refused.field))
            return
        except RuleRefused as refused:
            self._refuse(refused.message, self.name)
            return
        except StoreError as exc:
            show_error(self, "Creating the pharmacy", exc)
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.password.clear()
        self.password_again.clear()
        self.context.reload_settings()  # the new pharmacy's details, for every page
        if self.demo.isChecked() and not self.demo.isHidden():
            self._add_demo_data(admin)
        self.completed.emit(admin)

    def _add_demo_data(self, admin: Any) -> None:
        from ldn_desktop.store.demo import add_demo_data

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            add_demo_data(self.context.store, by=admin)
        except StoreError as exc:
            show_error(self, "Adding the demo data", exc)
        finally:
            QApplication.restoreOverrideCursor()
        self.context.notify_data_changed()

    def _field_widget(self, field: str) -> QWidget:
        return {
            "name": self.name,
            "address": self.address,
            "phone": self.phone,
            "licence_number": self.licence,
            "username": self.username,
            "admin_username": self.username,
            "full_name": self.full_name,
            "admin_full_name": self.full_name,
            "password": self.password,
        }.get(field, self.name)
