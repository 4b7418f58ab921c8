"""What the writer does with findings: fix, ignore with a reason, add to vocabulary, self-review.

The editor, the panel and the self-review dialog only emit requests; this carries them out
through the workers and keeps the decision rules in one place (an unacknowledged error-level
finding blocks "ready", checked again on the final saved text).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from desktop.review.findings import Finding
from desktop.ui.draft_controller import DraftController
from desktop.ui.editor import DraftEditor
from desktop.ui.live_review import LiveReview
from desktop.ui.operations import Operations
from desktop.ui.review_pipeline import ReviewResult
from desktop.ui.self_review import SelfReviewDialog, unacknowledged_errors


def ask_reason(parent: QWidget, title: str, label: str, on_ok: Callable[[str], None]) -> QInputDialog:
    """A non-blocking prompt for a short reason (empty is allowed); calls `on_ok` when accepted."""
    dialog = QInputDialog(parent)
    dialog.setObjectName("reasonDialog")
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setInputMode(QInputDialog.InputMode.TextInput)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
    dialog.setAccessibleName(title)
    dialog.textValueSelected.connect(on_ok)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


class ReviewController(QObject):
    message = Signal(str)
    error = Signal(str)
    review_opened = Signal(object)  # the SelfReviewDialog, for tests and accessibility tools
    marked_ready = Signal(object)  # Draft

    def __init__(
        self,
        ops: Operations,
        drafts: DraftController,
        editor: DraftEditor,
        live: LiveReview,
        window: QWidget,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.drafts = drafts
        self.editor = editor
        self.live = live
        self.window = window
        self.dialog: SelfReviewDialog | None = None

    # -- single findings -------------------------------------------------------------------------

    def fix(self, finding: Finding, replacement: str) -> bool:
        if self.editor.isReadOnly():
            return False
        if not self.editor.apply_replacement(finding, replacement):
            self.message.emit("The text changed since this was found; checking again")
            self.live.recheck()
            return False
        self.message.emit(f"Fixed: {finding.rule}")
        return True

    def ignore(self, finding: Finding) -> None:
        if self.drafts.draft is None:
            return
        ask_reason(
            self.window,
            "Ignore this match",
            f"Ignore “{finding.match}” for {finding.rule} in this draft.\nReason (optional, recorded):",
            lambda reason: self.ignore_with_reason(finding, reason),
        )

    def ignore_with_reason(self, finding: Finding, reason: str) -> None:
        draft = self.drafts.draft
        if draft is None:
            return
        draft_id, rule, match = draft.id, finding.rule, finding.match

        def run(store):
            from desktop.store.review_notes import ReviewNotes

            return ReviewNotes(store.db).ignore(draft_id, rule, match, reason)

        def done(_ignored) -> None:
            if self.drafts.draft is not None and self.drafts.draft.id == draft_id:
                self.drafts.ignored.add((rule, match))
                self.live.set_context(draft_id, self.drafts.draft.platforms, self.drafts.ignored)
            self.message.emit(f"Ignoring “{match}” for {rule} in this draft")

        self.ops.store.submit(run, done=done, failed=lambda exc: self.error.emit(f"Cannot ignore: {exc}"))

    def add_vocabulary(self, word: str) -> None:
        def done(info) -> None:
            if info.error:
                self.error.emit(f"Cannot add “{word}” to the vocabulary: {info.error}")
            else:
                self.message.emit(f"Added “{word}” to the team vocabulary")

        self.live.add_vocabulary(word, done=done)

    # -- self-review -----------------------------------------------------------------------------

    def when_checked(self, callback: Callable[[ReviewResult], None]) -> None:
        """Call back with the result for the current text, waiting for the check if needed."""
        current = self.live.current()
        if current is not None:
            callback(current)
            return

        def once(result: ReviewResult) -> None:
            if result.generation == self.live.generation:
                self.live.result_ready.disconnect(once)
                callback(result)

        self.live.result_ready.connect(once)
        self.live.check_now()

    def start_self_review(self, *, reason_note: str = "") -> None:
        draft = self.drafts.draft
        if draft is None or self.dialog is not None:
            return
        draft_id = draft.id
        self.drafts.autosaver.flush()

        def with_result(result: ReviewResult) -> None:
            def run(store):
                from desktop.store.review_notes import ReviewNotes

                return {(a.rule, a.match): a.reason for a in ReviewNotes(store.db).acknowledgements(draft_id)}

            self.ops.store.submit(run, done=lambda previous: self._open_dialog(result, previous, reason_note))

        self.when_checked(with_result)

    def _open_dialog(self, result: ReviewResult, previous: dict, note: str) -> None:
        if self.drafts.draft is None or self.drafts.draft.id != result.draft_id or self.dialog is not None:
            return
        dialog = SelfReviewDialog(list(result.findings), previous, self.window)
        if note:
            dialog.intro.setText(f"{note}\n\n{dialog.intro.text()}")
        dialog.fix_requested.connect(lambda f, r: self.fix(f, r) and dialog.mark_fixed(f))
        dialog.accepted.connect(lambda: self._finish_review(dialog))
        dialog.finished.connect(lambda _code: self._dialog_closed(dialog))
        self.dialog = dialog
        dialog.open()
        self.review_opened.emit(dialog)

    def _dialog_closed(self, dialog: SelfReviewDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _finish_review(self, dialog: SelfReviewDialog) -> None:
        acks = dialog.acknowledgements()
        wants_ready = dialog.mark_ready_requested
        draft = self.drafts.draft
        if draft is None:
            return
        draft_id = draft.id

        def saved(_rev) -> None:
            # The acknowledgements belong to the revision now stored: the text the writer reviewed.
            def run(store):
                from desktop.store.review_notes import Acknowledgement, ReviewNotes

                number = store.get(draft_id).revisions
                items = [
                    Acknowledgement(
                        draft_id, number, f.rule, f.severity.label, f.start, f.end, f.match, f.message, reason
                    )
                    for f, reason in acks
                ]
                if items:
                    ReviewNotes(store.db).acknowledge(draft_id, number, items)
                return number

            def stored(number: int) -> None:
                if acks:
                    self.message.emit(f"Saved {len(acks)} acknowledgement(s) with revision {number}")
                if wants_ready:
                    self.mark_ready(acknowledged={(f.rule, f.match) for f, _ in acks})

            self.ops.store.submit(
                run, done=stored, failed=lambda exc: self.error.emit(f"Cannot save review: {exc}")
            )

        self.drafts.autosaver.flush(on_saved=saved)

    def mark_ready(self, acknowledged: set[tuple[str, str]] | None = None) -> None:
        """Mark the draft ready, unless an error-level finding is neither fixed nor acknowledged.

        Checked on the final text (after any fixes), against the acknowledgements saved with the
        latest revision, so a shortcut around the dialog cannot skip the review.
        """
        draft = self.drafts.draft
        if draft is None:
            return
        draft_id = draft.id
        self.drafts.autosaver.flush()

        def with_result(result: ReviewResult) -> None:
            def run(store):
                from desktop.store.review_notes import ReviewNotes

                number = store.get(draft_id).revisions
                return {(a.rule, a.match) for a in ReviewNotes(store.db).acknowledgements(draft_id, number)}

            def decide(stored_acks: set[tuple[str, str]]) -> None:
                acks = stored_acks | (acknowledged or set())
                blocking = unacknowledged_errors(list(result.findings), acks)
                if blocking:
                    n = len(blocking)
                    self.error.emit(
                        f"Not marked ready: {n} error-level finding{'s' if n != 1 else ''} need a fix or an "
                        "acknowledgement"
                    )
                    self.start_self_review(reason_note="Fix or acknowledge every error before marking ready.")
                    return
                self.drafts.set_status("ready", note="Marked ready", done=self.marked_ready.emit)

            self.ops.store.submit(run, done=decide)

        self.drafts.autosaver.flush(on_saved=lambda _rev: self.when_checked(with_result))
