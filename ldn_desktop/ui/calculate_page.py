"""The Calculate page: capsules, oral liquid, cream and titration, one tab each.

Ctrl+Tab / Ctrl+Shift+Tab (or Ctrl+PgDown / Ctrl+PgUp) move between the calculators.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from ldn_desktop.ui.calc_form import CalculatorForm
from ldn_desktop.ui.capsule_form import CapsuleForm
from ldn_desktop.ui.context import AppContext
from ldn_desktop.ui.cream_form import CreamForm
from ldn_desktop.ui.keyboard import focus_lands_on, tab_field_to_field
from ldn_desktop.ui.liquid_form import LiquidForm
from ldn_desktop.ui.titration_form import TitrationForm


class CalculatePage(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        title = QLabel("Calculate")
        title.setObjectName("pageTitle")
        hint = QLabel(
            "Every figure comes with its working. Results update as you type; "
            "Ctrl+Enter starts a batch from the result."
        )
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName("Calculators")
        self.capsules = CapsuleForm(context)
        self.liquid = LiquidForm(context)
        self.cream = CreamForm(context)
        self.titration = TitrationForm(context)
        self.forms: tuple[CalculatorForm, ...] = (
            self.capsules,
            self.liquid,
            self.cream,
            self.titration,
        )
        for form in self.forms:
            self.tabs.addTab(form, form.title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(6)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addWidget(self.tabs, 1)
        focus_lands_on(self, self.tabs)
        tab_field_to_field(self)
        self.tabs.currentChanged.connect(self._focus_first_field)

    @property
    def current_form(self) -> CalculatorForm:
        return self.forms[self.tabs.currentIndex()]

    def _focus_first_field(self, _index: int) -> None:
        form = self.current_form
        form.focusNextChild()
