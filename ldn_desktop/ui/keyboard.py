"""Tab moves from field to field on every page: what the pages share to make it so.

Four of Qt's defaults get in the way of the Tab key. A table view moves Tab from cell to
cell, so a keyboard user never gets past it; a date edit steps Tab through its year,
month and day (three presses for one field), and one showing its "empty" text never lets
Tab go at all; a scroll area is a Tab stop of its own, an empty press before the fields
inside it; and a page with a focus proxy is a Tab stop that jumps straight to the proxy,
skipping every field before it (the Inventory filters, the Batches "Search by"). Here Tab
always moves to the next field, as everywhere else in the window; the arrow keys still
move within a table or a date.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QDateEdit, QScrollArea, QWidget


def tab_field_to_field(root: QWidget) -> None:
    """Under `root`, Tab leaves every table and list (arrows move inside them) and skips
    the scroll areas that only hold fields, landing on the fields themselves.

    A page calls it once its widgets are built (tables inside its panels included)."""
    for view in root.findChildren(QAbstractItemView):
        view.setTabKeyNavigation(False)
    for area in root.findChildren(QScrollArea):
        if area.focusProxy() is None:  # (a focus policy passes on to the proxy)
            area.setFocusPolicy(Qt.FocusPolicy.NoFocus)


class DateEdit(QDateEdit):
    """A date edit Tab leaves in one press; Left and Right move between year, month and day."""

    def focusNextPrevChild(self, next: bool) -> bool:
        return QWidget.focusNextPrevChild(self, next)


def last_in_focus_chain(root: QWidget) -> QWidget:
    """The last widget under `root` that Tab can reach (`root` itself if none)."""
    last = root
    widget = root.nextInFocusChain()
    while widget is not root and widget is not None:
        if root.isAncestorOf(widget) and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            last = widget
        widget = widget.nextInFocusChain()
    return last


def tab_to_after(root: QWidget, *widgets: QWidget) -> None:
    """Tab reaches `widgets`, in this order, after every field under `root` (reading order
    for buttons built before the fields they follow)."""
    previous = last_in_focus_chain(root)
    for widget in widgets:
        QWidget.setTabOrder(previous, widget)
        previous = widget


class _FocusLandsOn(QObject):
    def __init__(self, page: QWidget, field: QWidget) -> None:
        super().__init__(page)
        self.field = field
        page.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QWidget):
            if self.field.isVisible() and self.field.isEnabled():
                self.field.setFocus(Qt.FocusReason.OtherFocusReason)
            else:  # on another tab of the page: its first field
                watched.focusNextChild()
        return False


def focus_lands_on(page: QWidget, field: QWidget) -> None:
    """`page.setFocus()` (opening the page, signing in) puts the cursor in `field` (or, when
    `field` is hidden on another tab, in the page's first field).

    What `page.setFocusProxy(field)` does, without making the page a Tab stop of its own
    that jumps to `field` past the fields before it."""
    _FocusLandsOn(page, field)
