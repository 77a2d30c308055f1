"""A form whose refusals appear beside the field they concern.

The store refuses a record with `InvalidField(field, message)` and the core refuses input
with `InputRefused(field, message)`: both name the field. The form maps those names to
its rows and shows the message as a STOP under the row, like the calculators do.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from ldn_desktop.core.findings import Finding, Severity
from ldn_desktop.ui.findings_view import FindingList, with_findings


def stop(field: str, message: str) -> Finding:
    """A refusal, shown like a STOP (first letter capitalised, as a sentence)."""
    return Finding("input-refused", Severity.STOP, message[:1].upper() + message[1:], field)


class CheckedForm(QFormLayout):
    """Rows with a findings list under each; `general` holds what names no row."""

    def __init__(self) -> None:
        super().__init__()
        self.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setVerticalSpacing(8)
        self.notes: dict[str, FindingList] = {}
        self.rows: dict[str, tuple[QLabel, QWidget]] = {}
        self._row_of: dict[str, str] = {}
        self.general = FindingList()
        self.general.setAccessibleName("Why it was not saved")

    def add_row(
        self, key: str, label: str, widget: QWidget, *, fields: Sequence[str] = ()
    ) -> QLabel:
        """A labelled row; refusals naming `key` or any of `fields` show beneath it."""
        holder, notes = with_findings(widget)
        notes.setAccessibleName(f"Refusals for {label.replace('&', '')}")
        caption = QLabel(label)
        caption.setBuddy(widget.focusProxy() or widget)
        self.addRow(caption, holder)
        self.notes[key] = notes
        self.rows[key] = (caption, holder)
        for name in (key, *fields):
            self._row_of[name] = key
        return caption

    def set_row_visible(self, key: str, visible: bool) -> None:
        caption, holder = self.rows[key]
        caption.setVisible(visible)
        holder.setVisible(visible)

    def map_field(self, field: str, key: str) -> None:
        """Show refusals naming `field` under the row `key` (e.g. the titration's rows)."""
        self._row_of[field] = key

    def clear_notes(self) -> None:
        for notes in self.notes.values():
            notes.show_findings(())
        self.general.show_findings(())

    def show_refusal(self, field: str, message: str) -> str:
        """Show one refusal beside its row (or under the form); returns the row key used."""
        self.clear_notes()
        key = self._row_of.get(field)
        if key is not None and not self.rows[key][1].isHidden():
            self.notes[key].show_findings((stop(field, message),))
            return key
        self.general.show_findings((stop(field, message),))
        return ""

    def texts(self, key: str) -> list[str]:
        return self.notes[key].texts()
