"""The read-only, one-row-at-a-time tables of the side dialogs (accounts, outbox, trust report)."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QTableWidget


def row_table(columns: list[str], *, object_name: str, accessible_name: str) -> QTableWidget:
    """A table whose rows are picked, not edited. Tab leaves it (arrows move inside it), so the
    buttons next to it stay reachable by keyboard; screen readers get `accessible_name`."""
    table = QTableWidget(0, len(columns))
    table.setObjectName(object_name)
    table.setAccessibleName(accessible_name)
    table.setHorizontalHeaderLabels(columns)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    return table
