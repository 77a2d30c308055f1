"""Signing in, and unlocking after idle time with the same person's password.

The store checks the password (scrypt, lockout after repeated failures); this screen only
asks for it and shows the store's answer in plain words. Signing a record always asks for
the password again (the store's signing calls take it), so a lock never lets anyone sign.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ldn_desktop.ui.context import AppContext
from ldn_desktop.ui.errors import show_error
from ldn_desktop.ui.style import centred_row


def _password_edit(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(name)
    return edit


class SignInScreen(QWidget):
    """The sign-in card in the middle of the window; also the lock screen.

    In lock mode the user name is fixed (the person who was signed in) and "Sign in as
    someone else" switches back to the full form.
    """

    signed_in = Signal(object)  # the store's User

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._locked_user: Any = None

        self.card = QFrame()
        self.card.setObjectName("signInCard")
        self.card.setFrameShape(QFrame.Shape.StyledPanel)
        self.card.setFixedWidth(420)

        self.title = QLabel("Sign in")
        self.title.setObjectName("screenTitle")
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.subtitle.setObjectName("muted")

        self.username = QLineEdit()
        self.username.setAccessibleName("User name")
        self.password = _password_edit("Password")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("errorText")
        self.message.setAccessibleName("Sign-in message")
        self.message.hide()

        self.sign_in_button = QPushButton("Sign in")
        self.sign_in_button.setDefault(True)
        self.sign_in_button.setAutoDefault(True)
        self.switch_button = QPushButton("Sign in as someone else")
        self.switch_button.setFlat(True)
        self.switch_button.hide()

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&User name", self.username)
        form.addRow("&Password", self.password)

        card_layout = QVBoxLayout(self.card)
        card_layout.setContentsMargins(28, 24, 28, 24)
        card_layout.setSpacing(12)
        card_layout.addWidget(self.title)
        card_layout.addWidget(self.subtitle)
        card_layout.addLayout(form)
        card_layout.addWidget(self.message)
        card_layout.addWidget(self.sign_in_button)
        # Centred by stretches, not Qt.AlignmentFlag: the `Qt` namespace costs about 8 ms
        # of start-up while PySide builds its enums.
        card_layout.addLayout(centred_row(self.switch_button))

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(centred_row(self.card))
        outer.addStretch(2)

        self.sign_in_button.clicked.connect(self.attempt)
        self.password.returnPressed.connect(self.attempt)
        self.username.returnPressed.connect(self.password.setFocus)
        self.switch_button.clicked.connect(self.show_sign_in)
        context.store_opened.connect(lambda _s: self.show_sign_in())
        self.setTabOrder(self.username, self.password)
        self.setTabOrder(self.password, self.sign_in_button)
        self.setTabOrder(self.sign_in_button, self.switch_button)
        self.show_sign_in()

    # -- modes -----------------------------------------------------------------------------
    def show_sign_in(self) -> None:
        self._locked_user = None
        opening = self.context.store is None
        self.title.setText("Sign in")
        self.subtitle.setText(
            "Opening the database…" if opening else _pharmacy_name(self.context) or "LDN Desktop"
        )
        self.sign_in_button.setEnabled(not opening)
        self.username.setEnabled(True)
        self.username.clear()
        self.password.clear()
        self.message.hide()
        self.switch_button.hide()
        self.username.setFocus()

    def show_locked(self, user: Any) -> None:
        """The window locked after idle time: only the same person's password unlocks it."""
        self._locked_user = user
        self.title.setText("Locked")
        self.subtitle.setText(
            f"{user.full_name} was signed in. The window locked after a while without use. "
            "Enter the password to continue."
        )
        self.username.setText(user.username)
        self.username.setEnabled(False)
        self.password.clear()
        self.message.hide()
        self.switch_button.show()
        self.password.setFocus()

    @property
    def is_locked_mode(self) -> bool:
        return self._locked_user is not None

    # -- signing in ------------------------------------------------------------------------
    def attempt(self) -> None:
        from ldn_desktop.store.errors import SignInRefused, StoreError

        username = self.username.text().strip()
        password = self.password.text()
        if not username or not password:
            self._refuse("Enter your user name and password.")
            return
        if self.context.store is None:
            self._refuse("The database is still opening: try again in a moment.")
            return
        try:
            user = self.context.store.authenticate(username, password)
        except SignInRefused as refused:
            self.password.clear()
            self._refuse(refused.message)
            return
        except StoreError as exc:
            show_error(self, "Signing in", exc)
            return
        self.password.clear()
        self.message.hide()
        self.signed_in.emit(user)

    def _refuse(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self.password.setFocus()


def _pharmacy_name(context: AppContext) -> str:
    if context.store is None:
        return ""
    return str(context.settings.pharmacy.name)
