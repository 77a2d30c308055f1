"""The Settings page: the pharmacy, the calculations, labels and paper, backups and lock.

Each tab saves on its own, in one store call, and tells every page through the context.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ldn_desktop.store.records import PharmacyDetails
from ldn_desktop.ui.context import AppContext
from ldn_desktop.ui.inputs import count_field
from ldn_desktop.ui.keyboard import focus_lands_on, tab_field_to_field, tab_to_after
from ldn_desktop.ui.settings_calculation import CalculationSection
from ldn_desktop.ui.settings_section import SettingsSection

PAPER_SIZES = (("A4", "A4"), ("US Letter", "Letter"))


def _line(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    return edit


class PharmacySection(SettingsSection):
    title = "Pharmacy"
    intro = "Printed on every label, leaflet and wallet card, smaller than the patient's details."
    action = "pharmacy-settings"

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.name = _line("Pharmacy name")
        self.address = QPlainTextEdit()
        self.address.setAccessibleName("Pharmacy address")
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(72)
        self.phone = _line("Pharmacy phone")
        self.licence = _line("Pharmacy licence number")
        self.add_row("name", "&Name", self.name)
        self.add_row("address", "&Address", self.address)
        self.add_row("phone", "&Phone", self.phone)
        self.add_row("licence_number", "&Licence number", self.licence)
        self.load()

    def load(self) -> None:
        details = self.current().pharmacy
        self.clear_notes()
        self.name.setText(details.name)
        self.address.setPlainText(details.address)
        self.phone.setText(details.phone)
        self.licence.setText(details.licence_number)
        self.status.clear()

    def save_to_store(self) -> None:
        details = PharmacyDetails(
            name=self.name.text().strip(),
            address=self.address.toPlainText().strip(),
            phone=self.phone.text().strip(),
            licence_number=self.licence.text().strip(),
        )
        self.context.store.set_pharmacy_details(details, by=self.context.user)


class WorkstationSection(SettingsSection):
    title = "Labels, backups and lock"
    intro = (
        "The label stock and paper this workstation prints on, where and how often the "
        "database is backed up, and how long the window waits before it locks."
    )
    action = "pharmacy-settings"

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.label_stock = QComboBox()
        self.label_stock.setAccessibleName("Label stock")
        for name, title in _stocks():
            self.label_stock.addItem(title, name)
        self.paper = QComboBox()
        self.paper.setAccessibleName("Paper size for leaflets and records")
        for text, value in PAPER_SIZES:
            self.paper.addItem(text, value)
        self.backup_folder = _line("Backup folder")
        browse = QPushButton("&Choose…")
        browse.setAccessibleName("Choose the backup folder")
        browse.clicked.connect(self.choose_folder)
        folder = QWidget()
        folder_row = QHBoxLayout(folder)
        folder_row.setContentsMargins(0, 0, 0, 0)
        folder_row.addWidget(self.backup_folder, 1)
        folder_row.addWidget(browse)
        folder.setFocusProxy(self.backup_folder)
        self.interval = count_field("Hours between automatic backups", 24, 1, 10_000)
        self.interval.setSuffix(" hours")
        self.keep = count_field("Backups kept", 30, 1, 10_000)
        self.keep.setSuffix(" backups")
        self.idle = count_field("Minutes before the window locks", 5, 1, 10_000)
        self.idle.setSuffix(" minutes")
        self.add_row("label_stock", "La&bel stock", self.label_stock)
        self.add_row("paper_size", "&Paper size", self.paper)
        self.add_row("backup_folder", "Backup fol&der", folder)
        self.add_row("backup_interval_hours", "Back up &every", self.interval)
        self.add_row("backup_keep", "&Keep the last", self.keep)
        self.add_row("idle_lock_minutes", "&Lock after", self.idle)
        self.load()

    def load(self) -> None:
        app = self.current().app
        self.clear_notes()
        index = self.label_stock.findData(app.label_stock)
        self.label_stock.setCurrentIndex(max(index, 0))
        self.paper.setCurrentIndex(max(self.paper.findData(app.paper_size), 0))
        self.backup_folder.setText(app.backup_folder)
        self.backup_folder.setPlaceholderText("the “backups” folder next to the database")
        self.interval.setValue(app.backup_interval_hours)
        self.keep.setValue(app.backup_keep)
        self.idle.setValue(app.idle_lock_minutes)
        self.status.clear()

    def choose_folder(self) -> None:
        start = self.backup_folder.text() or str(self.context.store.backup_folder())
        chosen = QFileDialog.getExistingDirectory(self, "Backup folder", start)
        if chosen:
            self.backup_folder.setText(chosen)

    def save_to_store(self) -> None:
        settings = replace(
            self.current().app,
            label_stock=self.label_stock.currentData() or "",
            paper_size=self.paper.currentData(),
            backup_folder=self.backup_folder.text().strip(),
            backup_interval_hours=self.interval.value(),
            backup_keep=self.keep.value(),
            idle_lock_minutes=self.idle.value(),
        )
        self.context.store.set_app_settings(settings, by=self.context.user)


def _stocks() -> list[tuple[str, str]]:
    """(name, title) of every label stock in resources/label_stocks."""
    from ldn_desktop.documents.stocks import load_stock, stock_names

    return [(name, load_stock(name).title) for name in stock_names()]


class SettingsPage(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        title = QLabel("Settings")
        title.setObjectName("pageTitle")
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName("Settings sections")
        self.pharmacy = PharmacySection(context)
        self.calculation = CalculationSection(context)
        self.workstation = WorkstationSection(context)
        self.sections: tuple[SettingsSection, ...] = (
            self.pharmacy,
            self.calculation,
            self.workstation,
        )
        for section in self.sections:
            self.tabs.addTab(section, section.title)
            section.apply_permission()
            # Reading order: the fields, then Revert and Save beneath them (built first).
            tab_to_after(section.fields, section.revert_button, section.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addWidget(self.tabs, 1)
        focus_lands_on(self, self.tabs)
        tab_field_to_field(self)
