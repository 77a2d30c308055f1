"""The first-run screen by keyboard: Tab goes from field to field through the form."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from ldn_desktop.ui.context import AppContext, load_settings
from ldn_desktop.ui.main_window import MainWindow

pytestmark = [
    pytest.mark.usefixtures("no_leftover_windows"),
    pytest.mark.qt_log_ignore("propagateSizeHints"),
]


def press_tab(qtbot, backwards: bool = False) -> QWidget:
    key = Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab
    qtbot.keyClick(QApplication.focusWidget(), key)
    return QApplication.focusWidget()


def test_tab_goes_field_to_field_round_the_first_run_form(qtbot, empty_store):
    window = MainWindow(AppContext(empty_store, load_settings(empty_store)))
    qtbot.addWidget(window)
    window.resize(1000, 700)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    screen = window.first_run
    screen.setFocus()
    assert QApplication.focusWidget() is screen.name  # opening the screen: the first field
    form = [
        screen.address,
        screen.phone,
        screen.licence,
        screen.full_name,
        screen.username,
        screen.password,
        screen.password_again,
        screen.demo,
        screen.create_button,
        screen.name,  # and round again, never stopping on the scroll area
    ]
    assert [press_tab(qtbot) for _ in form] == form
    # Shift+Tab from the first field goes back round too.
    assert [press_tab(qtbot, backwards=True) for _ in range(2)] == [
        screen.create_button,
        screen.demo,
    ]
    assert not [a for a in screen.findChildren(QScrollArea) if a.focusPolicy() & Qt.TabFocus]
