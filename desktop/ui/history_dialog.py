"""A draft's history: every revision, what changed against the current text, and restore.

Restoring does not rewrite history: it saves the old text as a new revision, so the text being
replaced stays in the list too. The self-review acknowledgements made on a revision are shown
with it. The history is read by the store worker, never on the UI thread.
"""

from __future__ import annotations

import difflib
import html
import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.store.models import Revision
from desktop.ui.draft_list import friendly_time
from desktop.ui.operations import Worker

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def diff_html(old: str, new: str, *, removed: str, added: str) -> str:
    """Word-level diff of `old` -> `new`: removals struck through, additions underlined.

    Strike-through and underline carry the meaning, colour only supports it.
    """
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(html.escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<s style='color:{removed}' title='removed'>{html.escape(''.join(a[i1:i2]))}</s>")
        if op in ("insert", "replace"):
            out.append(f"<u style='color:{added}' title='added'>{html.escape(''.join(b[j1:j2]))}</u>")
    return "<div style='white-space: pre-wrap'>" + "".join(out) + "</div>"


def origin_text(origin: str) -> str:
    if origin.startswith("restore:"):
        return f"restored from revision {origin.split(':', 1)[1]}"
    return {"create": "created", "edit": "edited", "import": "imported"}.get(origin, origin)


class HistoryDialog(QDialog):
    restore_requested = Signal(int)  # revision number

    def __init__(
        self, worker: Worker, draft_id: str, current_text: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Draft history")
        self.setObjectName("historyDialog")
        self.setAccessibleName("Draft history")
        self.resize(900, 560)
        self.draft_id = draft_id
        self.current_text = current_text
        self.revisions: list[Revision] = []
        self.acks: dict[int, list] = {}

        self.list = QListWidget()
        self.list.setObjectName("revisionList")
        self.list.setAccessibleName("Revisions, newest first")
        self.list.currentRowChanged.connect(self._show)
        self.heading = QLabel("Loading history…")
        self.heading.setAccessibleName("Revision summary")
        self.heading.setWordWrap(True)
        self.diff = QTextBrowser()
        self.diff.setObjectName("revisionDiff")
        self.diff.setAccessibleName("Changes between the revision and the current text")
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.heading)
        rl.addWidget(self.diff, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.list)
        split.addWidget(right)
        split.setSizes([260, 640])

        self.buttons = QDialogButtonBox()
        self.restore_button = self.buttons.addButton(
            "&Restore this revision", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.restore_button.setAccessibleName("Restore the selected revision")
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self._restore)
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close history")
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.buttons)

        def load(store):
            from desktop.store.review_notes import ReviewNotes

            history = store.history(draft_id)
            try:
                acks = ReviewNotes(store.db).acknowledgements(draft_id)
            except Exception:  # table missing on a database from before self-review existed
                acks = []
            return history, acks

        worker.submit(load, done=self._loaded, failed=lambda exc: self.heading.setText(f"Cannot load: {exc}"))

    def _loaded(self, payload) -> None:
        history, acks = payload
        self.revisions = list(reversed(history))
        for ack in acks:
            self.acks.setdefault(ack.revision_number, []).append(ack)
        self.list.clear()
        for rev in self.revisions:
            n_acks = len(self.acks.get(rev.number, []))
            extra = f" · {n_acks} acknowledged" if n_acks else ""
            item = QListWidgetItem(
                f"#{rev.number} · {friendly_time(rev.created)} · {origin_text(rev.origin)}{extra}"
            )
            item.setData(Qt.ItemDataRole.AccessibleTextRole, item.text())
            self.list.addItem(item)
        if self.revisions:
            self.list.setCurrentRow(0)
        else:
            self.heading.setText("No revisions yet.")

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.revisions):
            self.restore_button.setEnabled(False)
            return
        rev = self.revisions[row]
        same = rev.text == self.current_text
        self.restore_button.setEnabled(not same)
        pal = self.palette()
        dark = pal.window().color().lightness() < 128
        removed, added = ("#ff7b72", "#7ee787") if dark else ("#b42318", "#116329")
        summary = f"Revision {rev.number}, {origin_text(rev.origin)} {friendly_time(rev.created)}: " + (
            "same as the current text."
            if same
            else "struck-through words were removed since, underlined added."
        )
        self.heading.setText(summary)
        body = diff_html(rev.text, self.current_text, removed=removed, added=added)
        acks = self.acks.get(rev.number, [])
        if acks:
            rows = "".join(
                f"<li><b>{html.escape(a.severity)}</b> {html.escape(a.rule)} “{html.escape(a.match)}”: "
                f"{html.escape(a.reason)}</li>"
                for a in acks
            )
            body += f"<h4>Acknowledged in self-review</h4><ul>{rows}</ul>"
        self.diff.setHtml(body)

    def selected_revision(self) -> Revision | None:
        row = self.list.currentRow()
        return self.revisions[row] if 0 <= row < len(self.revisions) else None

    def _restore(self) -> None:
        rev = self.selected_revision()
        if rev is not None:
            self.restore_requested.emit(rev.number)
            self.accept()
