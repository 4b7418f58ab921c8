"""Approvals for the open draft: submit, withdraw, approve, reject with a note, request changes.

Each button calls the trust workflow (`desktop.trust.workflow`), which signs one event bound to the
draft's exact content hash and accounts; the workflow refuses steps the policy would not count
(approving your own post, approving text that changed) and the panel shows that refusal in words.
Buttons are enabled by the same facts, so the usual path never meets a refusal.

An edit after submission voids every approval of that submission: the panel says so in a banner
and marks each such approval "void", because a writer who sees "approved" must be able to trust it.
The approver sees the writer's acknowledgements of remaining findings and the diff against the
last approved version. A short list names the drafts waiting for this person's approval.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.publish_lanes import PublishLanes, describe_error, lanes_for

KIND_WORDS = {
    "approval.submitted": "submitted",
    "approval.approved": "approved",
    "approval.rejected": "rejected",
    "approval.changes_requested": "requested changes",
    "approval.withdrawn": "withdrew",
    "publish.recorded": "published",
}
VOID_APPROVED = (
    "<b>Approvals void:</b> the draft was edited after it was submitted, so the approvals below no "
    "longer count. Submit the new text for approval."
)
VOID_SUBMITTED = "<b>Edited since it was submitted:</b> submit the new text for approval."


@dataclass
class Entry:
    """One reply to a submission, in words."""

    kind: str
    by: str
    at: str
    note: str = ""
    counted: bool | None = None  # approvals only: does the gate count it now?
    why_not: str = ""
    comments: list[dict] = field(default_factory=list)


@dataclass
class ApprovalState:
    draft_id: str
    title: str
    me: str
    my_name: str
    submitted_by: str = ""
    submitted_at: str = ""
    submitted_accounts: list[str] = field(default_factory=list)
    mine: bool = False
    submitted: bool = False
    voided: bool = False  # the text changed after submission: its approvals no longer count
    closed: str = ""  # "rejected" / "changes requested" when the submission was sent back
    approved_by_me: bool = False
    entries: list[Entry] = field(default_factory=list)
    earlier: list[Entry] = field(default_factory=list)  # approvals of earlier submissions
    may_publish: bool = False
    reasons: list[str] = field(default_factory=list)
    requirement: str = ""
    acknowledgements: list[dict] = field(default_factory=list)
    diff: list[str] = field(default_factory=list)
    empty: bool = False
    trashed: bool = False
    waiting: list[dict] = field(default_factory=list)  # drafts waiting for my approval

    @property
    def can_submit(self) -> bool:
        if self.empty or self.trashed:
            return False
        return not self.submitted or (self.mine and (self.voided or bool(self.closed)))

    @property
    def can_withdraw(self) -> bool:
        return self.submitted and self.mine

    @property
    def can_review(self) -> bool:
        return self.submitted and not self.mine and not self.voided and not self.closed


def pending_for(store, ledger, me: str) -> list[dict]:
    """Drafts with an open submission by someone else that this profile has not approved yet."""
    from desktop.trust.workflow import current_submission

    roster = ledger.roster_state().roster
    rows = store.db.execute(
        "SELECT id, title FROM drafts WHERE status IN ('submitted', 'approved') AND trashed IS NULL ORDER BY updated"
    ).fetchall()
    out = []
    for draft_id, title in rows:
        sub = current_submission(ledger, draft_id)
        if sub is None or sub.author == me:
            continue
        mine = [
            e
            for e in ledger.draft_events(draft_id, ("approval.approved", "approval.rejected"))
            if e.author == me and e.payload.get("submission") == sub.id
        ]
        if mine:
            continue
        out.append(
            {
                "id": draft_id,
                "title": title or "Untitled draft",
                "by": roster.name_of(sub.author) if roster else sub.author[:16],
                "at": sub.created,
            }
        )
    return out


def compute_waiting(store) -> list[dict]:
    """The waiting list alone, for when no draft is open."""
    from desktop.trust.identity import require_identity
    from desktop.trust.ledger import Ledger

    return pending_for(store, Ledger(store.db), require_identity(store.db).public_key)


def compute_state(store, draft_id: str) -> ApprovalState:
    """Read the draft's submission, replies and the gate's verdict on the db lane."""
    from desktop.store.drafts import DraftStore, content_hash
    from desktop.trust.gate import check_publish
    from desktop.trust.identity import require_identity
    from desktop.trust.ledger import Ledger
    from desktop.trust.workflow import current_submission, review_packet

    identity = require_identity(store.db)
    ledger = Ledger(store.db)
    roster = ledger.roster_state().roster

    def name(key: str) -> str:
        return roster.name_of(key) if roster else key[:16]

    draft = DraftStore(store.db).get(draft_id)
    state = ApprovalState(
        draft_id=draft.id,
        title=draft.title,
        me=identity.public_key,
        my_name=identity.name,
        empty=not draft.text.strip(),
        trashed=bool(draft.trashed),
    )
    digest = content_hash(draft.text)
    submission = current_submission(ledger, draft.id)
    decision = check_publish(store.db, draft.id)
    state.may_publish, state.reasons = decision.may_publish, list(decision.reasons)
    state.requirement = decision.requirement
    counted = {a["event_id"] for a in decision.approvals}
    events = ledger.draft_events(draft.id)
    if submission is not None:
        state.submitted = True
        state.submitted_by = name(submission.author)
        state.submitted_at = submission.created
        state.submitted_accounts = list(submission.payload.get("accounts", []))
        state.mine = submission.author == identity.public_key
        state.voided = submission.payload.get("content_hash") != digest
        for e in events:
            if e.payload.get("submission") != submission.id:
                continue
            entry = Entry(e.kind, name(e.author), e.created, str(e.payload.get("note", "")))
            if e.kind == "approval.approved":
                entry.counted = e.id in counted
                if state.voided:
                    entry.why_not = "void: the draft was edited after it was submitted"
                elif not entry.counted:
                    entry.why_not = "not counted (see the reasons above)"
                if e.author == identity.public_key:
                    state.approved_by_me = True
            elif e.kind == "approval.rejected":
                state.closed = "rejected"
            elif e.kind == "approval.changes_requested":
                state.closed = "changes requested"
                entry.comments = list(e.payload.get("comments", []))
            state.entries.append(entry)
    earlier_subs = {
        e.id
        for e in events
        if e.kind == "approval.submitted" and (submission is None or e.id != submission.id)
    }
    for e in events:
        if e.kind == "approval.approved" and e.payload.get("submission") in earlier_subs:
            why = (
                "void: the draft was edited and submitted again since"
                if submission is not None
                else "void: the submission was withdrawn"
            )
            state.earlier.append(
                Entry(e.kind, name(e.author), e.created, str(e.payload.get("note", "")), False, why)
            )
    packet = review_packet(store.db, draft.id, ledger=ledger)
    state.acknowledgements = list(packet.acknowledgements)
    state.diff = list(packet.diff)
    state.waiting = pending_for(store, ledger, identity.public_key)
    return state


def _when(stamp: str) -> str:
    return stamp[:16].replace("T", " ")


class ApprovalsPanel(QWidget):
    """The approval workflow for the open draft. `set_draft(id)`; `refresh()` after edits or imports."""

    state_changed = Signal(object)  # ApprovalState painted
    step_done = Signal(str, str)  # draft id, what was done ("submitted", "approved", ...)
    failed = Signal(str)  # an error shown to the user
    open_requested = Signal(str)  # a waiting draft was chosen: the window opens it
    waiting_changed = Signal(list)  # the drafts waiting for this person's approval, painted

    def __init__(self, lanes: PublishLanes | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("approvalsPanel")
        self.setAccessibleName("Approvals")
        self.lanes = lanes_for(self, lanes)
        self.draft_id: str | None = None
        self.state: ApprovalState | None = None
        # Where "Request changes" finds the text the approver selected: (start, end, quote) in
        # code points, or None. The main window points it at its editor.
        self.selection_source: Callable[[], tuple[int, int, str] | None] | None = None
        self._generation = 0
        self._busy = False

        self.waiting = QListWidget()
        self.waiting.setObjectName("waitingForMe")
        self.waiting.setAccessibleName("Drafts waiting for your approval")
        self.waiting.setMaximumHeight(90)
        self.waiting.itemActivated.connect(self._open_waiting)
        waiting_box = QGroupBox("Waiting for your approval")
        wl = QVBoxLayout(waiting_box)
        wl.addWidget(self.waiting)

        self.summary = QLabel("No draft open")
        self.summary.setObjectName("approvalSummary")
        self.summary.setAccessibleName("Approval state")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.void_banner = QLabel(VOID_APPROVED)
        self.void_banner.setObjectName("voidBanner")
        self.void_banner.setAccessibleName("Approvals voided by an edit")
        self.void_banner.setWordWrap(True)
        self.void_banner.setStyleSheet(
            "background: #fff4e5; color: #7a4100; border: 1px solid #d4a72c; padding: 4px;"
        )
        self.void_banner.hide()

        self.entries = QListWidget()
        self.entries.setObjectName("approvalEntries")
        self.entries.setAccessibleName("Approvals and replies")
        self.entries.setWordWrap(True)

        self.details = QTextBrowser()
        self.details.setObjectName("approvalDetails")
        self.details.setAccessibleName("Acknowledgements and changes since the last approval")
        self.details.setOpenExternalLinks(False)

        self.note = QPlainTextEdit()
        self.note.setObjectName("approvalNote")
        self.note.setAccessibleName("Note for the writer (required to reject or request changes)")
        self.note.setPlaceholderText("Note for the writer: required to reject or to request changes")
        self.note.setMaximumHeight(70)
        self.note.setTabChangesFocus(True)
        self.note.textChanged.connect(self._update_buttons)

        self.submit_button = QPushButton("&Submit for approval")
        self.submit_button.setAccessibleName("Submit for approval")
        self.submit_button.clicked.connect(self.submit)
        self.withdraw_button = QPushButton("&Withdraw")
        self.withdraw_button.setAccessibleName("Withdraw the submission")
        self.withdraw_button.clicked.connect(self.withdraw)
        self.approve_button = QPushButton("A&pprove")
        self.approve_button.setAccessibleName("Approve")
        self.approve_button.clicked.connect(self.approve)
        self.reject_button = QPushButton("&Reject")
        self.reject_button.setAccessibleName("Reject (needs a note)")
        self.reject_button.clicked.connect(self.reject)
        self.changes_button = QPushButton("Request &changes")
        self.changes_button.setAccessibleName("Request changes (needs a note)")
        self.changes_button.setToolTip(
            "Send the draft back with your note. Select the words to change in the editor first, and "
            "the note is attached to that passage."
        )
        self.changes_button.clicked.connect(self.request_changes)
        writer_row = QHBoxLayout()
        writer_row.addWidget(self.submit_button)
        writer_row.addWidget(self.withdraw_button)
        writer_row.addStretch(1)
        review_row = QHBoxLayout()
        review_row.addWidget(self.approve_button)
        review_row.addWidget(self.reject_button)
        review_row.addWidget(self.changes_button)
        review_row.addStretch(1)

        self.message = QLabel("")
        self.message.setObjectName("approvalMessage")
        self.message.setAccessibleName("Approval message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.addWidget(waiting_box)
        layout.addWidget(self.summary)
        layout.addWidget(self.void_banner)
        layout.addWidget(self.entries, 1)
        layout.addWidget(self.details, 1)
        layout.addLayout(writer_row)
        layout.addWidget(self.note)
        layout.addLayout(review_row)
        layout.addWidget(self.message)
        self._update_buttons()
        self._stale = True  # the waiting list is read when the panel is first shown

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    # -- which draft -----------------------------------------------------------------------------

    def set_draft(self, draft_id: str | None) -> None:
        if draft_id != self.draft_id:
            self.note.clear()
            self.message.clear()
        self.draft_id = draft_id
        if draft_id is None:
            self.state = None
            self.summary.setText("No draft open")
            self.void_banner.hide()
            self.entries.clear()
            self.details.clear()
            self._update_buttons()
        self.refresh()

    def content_changed(self) -> None:
        """The text changed in the editor: what was shown may be void now; re-read after the save."""
        if self.draft_id is None:
            return
        self._generation += 1
        self.state = None
        self._update_buttons()

    def refresh(self) -> None:
        """Re-read the open draft's state (or, with none open, just the waiting list) on the db lane.

        Hidden (another tab in front), it only remembers to do so when shown.
        """
        if not self.isVisible():
            self._stale = True
            self._generation += 1
            self.state = None
            self._update_buttons()
            return
        self._stale = False
        if self.draft_id is None:
            self.lanes.db.submit(
                compute_waiting,
                done=self._paint_waiting,
                failed=self._waiting_failed,
                key="approvals-waiting",
            )
            return
        self._generation += 1
        generation, draft_id = self._generation, self.draft_id
        self.lanes.db.submit(
            lambda store: compute_state(store, draft_id),
            done=lambda state: self._paint(state, generation),
            failed=lambda exc: self._load_failed(exc, generation),
            key="approvals-state",
        )

    # -- painting --------------------------------------------------------------------------------

    def _paint(self, state: ApprovalState, generation: int) -> None:
        if generation != self._generation or state.draft_id != self.draft_id:
            return
        self.state = state
        title = html.escape(state.title or "Untitled draft")
        if not state.submitted:
            text = f"<b>{title}</b>: not submitted for approval."
        else:
            accounts = ", ".join(state.submitted_accounts) or "no accounts"
            who = "you" if state.mine else html.escape(state.submitted_by)
            text = (
                f"<b>{title}</b>: submitted by {who} on {html.escape(_when(state.submitted_at))} UTC "
                f"for {html.escape(accounts)}."
            )
            if state.closed:
                text += f" <b>Sent back: {html.escape(state.closed)}.</b>"
        verdict = "may be published now" if state.may_publish else "may not be published yet"
        text += f"<br>{html.escape(state.requirement)}" if state.requirement else ""
        text += f"<br>For you, this draft {verdict}."
        self.summary.setText(text)
        if state.voided:
            approved = any(e.kind == "approval.approved" for e in state.entries)
            self.void_banner.setText(VOID_APPROVED if approved else VOID_SUBMITTED)
        self.void_banner.setVisible(state.voided)

        self.entries.clear()
        for e in [*state.entries, *state.earlier]:
            line = f"{_when(e.at)}  {e.by} {KIND_WORDS.get(e.kind, e.kind)}"
            if e.note:
                line += f": {e.note}"
            if e.kind == "approval.approved":
                line += f"  [{e.why_not}]" if e.why_not else "  [counts]"
            for c in e.comments:
                line += f"\n    “{c.get('quote', '')}”: {c.get('comment', '')}"
            item = QListWidgetItem(line)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, line)
            self.entries.addItem(item)
        if self.entries.count() == 0:
            item = QListWidgetItem("No approvals yet.")
            self.entries.addItem(item)

        parts = []
        if state.acknowledgements:
            parts.append("<p><b>The writer acknowledged</b></p><ul>")
            for a in state.acknowledgements:
                match = f" (“{html.escape(a.get('match', ''))}”)" if a.get("match") else ""
                parts.append(
                    f"<li>{html.escape(a.get('rule', ''))}{match}: {html.escape(a.get('reason', ''))}</li>"
                )
            parts.append("</ul>")
        if state.diff:
            parts.append("<p><b>Changes since the last approved version</b></p><pre>")
            parts.append(html.escape("\n".join(state.diff)))
            parts.append("</pre>")
        if not state.may_publish and state.reasons:
            parts.append("<p><b>Why it cannot be published yet</b></p><ul>")
            parts.extend(f"<li>{html.escape(r)}</li>" for r in state.reasons)
            parts.append("</ul>")
        self.details.setHtml("".join(parts))

        self._paint_waiting(state.waiting)
        self._update_buttons()
        self.state_changed.emit(state)

    def _paint_waiting(self, waiting: list[dict]) -> None:
        self.waiting.clear()
        for w in waiting:
            item = QListWidgetItem(f"{w['title']} — by {w['by']}, {_when(w['at'])} UTC")
            item.setData(Qt.ItemDataRole.UserRole, w["id"])
            self.waiting.addItem(item)
        if not waiting:
            none = QListWidgetItem("Nothing is waiting for you.")
            none.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.waiting.addItem(none)
        self.waiting_changed.emit(waiting)

    def _waiting_failed(self, exc: BaseException) -> None:
        self.waiting.clear()
        item = QListWidgetItem(describe_error(exc))
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.waiting.addItem(item)

    def _load_failed(self, exc: BaseException, generation: int) -> None:
        if generation != self._generation:
            return
        self.state = None
        message = describe_error(exc)
        self.summary.setText(html.escape(message))
        self._update_buttons()
        self.failed.emit(message)

    def _update_buttons(self) -> None:
        s = None if self._busy else self.state
        has_note = bool(self.note.toPlainText().strip())
        self.submit_button.setEnabled(bool(s and s.can_submit))
        self.withdraw_button.setEnabled(bool(s and s.can_withdraw))
        self.approve_button.setEnabled(bool(s and s.can_review and not s.approved_by_me))
        self.reject_button.setEnabled(bool(s and s.can_review and has_note))
        self.changes_button.setEnabled(bool(s and s.can_review and has_note))
        if s and s.can_review and not has_note:
            self.reject_button.setToolTip("Write a note for the writer first: a rejection says why.")
        else:
            self.reject_button.setToolTip("")

    def _open_waiting(self, item: QListWidgetItem) -> None:
        draft_id = item.data(Qt.ItemDataRole.UserRole)
        if draft_id:
            self.open_requested.emit(draft_id)

    # -- the workflow steps ----------------------------------------------------------------------

    def _step(self, what: str, fn) -> None:
        if self.draft_id is None or self._busy:
            return
        draft_id = self.draft_id
        self._busy = True
        self._update_buttons()
        self.message.setStyleSheet("")
        self.message.setText("Signing…")

        def done(_result) -> None:
            self._busy = False
            self.note.clear()
            words = {
                "submitted": "Submitted for approval.",
                "withdrawn": "Submission withdrawn.",
                "approved": "Approved. The writer sees it once your events reach them.",
                "rejected": "Rejected; the writer sees your note.",
                "changes requested": "Sent back with your note.",
            }
            self.message.setText(words.get(what, what))
            self.step_done.emit(draft_id, what)
            self.refresh()

        def failed(exc: BaseException) -> None:
            self._busy = False
            message = describe_error(exc)
            self.message.setStyleSheet("color: #b3261e;")
            self.message.setText(message)
            self.failed.emit(message)
            self.refresh()

        self.lanes.db.submit(lambda store: fn(store.db, draft_id), done=done, failed=failed)

    def submit(self) -> None:
        from desktop.trust import workflow

        self._step("submitted", lambda db, d: workflow.submit(db, d))

    def withdraw(self) -> None:
        from desktop.trust import workflow

        note = self.note.toPlainText().strip()
        self._step("withdrawn", lambda db, d: workflow.withdraw(db, d, note=note))

    def approve(self) -> None:
        from desktop.trust import workflow

        note = self.note.toPlainText().strip()
        self._step("approved", lambda db, d: workflow.approve(db, d, note=note))

    def reject(self) -> None:
        """Reject with the note; an empty note is refused by the workflow itself, in words."""
        from desktop.trust import workflow

        note = self.note.toPlainText().strip()
        self._step("rejected", lambda db, d: workflow.reject(db, d, note=note))

    def request_changes(self) -> None:
        from desktop.trust import workflow

        note = self.note.toPlainText().strip()
        span = self.selection_source() if self.selection_source else None
        comments = [workflow.SpanComment(span[0], span[1], note, span[2])] if span and note else []
        self._step(
            "changes requested", lambda db, d: workflow.request_changes(db, d, note=note, comments=comments)
        )
