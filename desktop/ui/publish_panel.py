"""The publish panel for the open draft: where it goes, whether it may go now and why not, and what happened.

The verdict and its reasons come from the trust gate (`desktop.trust.gate.check_publish`), in the
gate's own words ("needs 1 approval: 2 warnings remain, 1 tagged sensitive"; "has 0 of 1
approvals ..."). The Publish button is enabled only when the gate says yes for exactly the text and
accounts that were checked; any edit or change of targets disables it until the next check. The
button is a convenience, not the rule: `PublishService.publish_draft` asks the gate again itself.

Checks run on the `db` lane, sending on the `net` lane; the panel only paints their results.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.publish_lanes import PublishLanes, describe_error, lanes_for

STATE_WORDS = {
    "published": "Published",
    "already_published": "Already published",
    "waiting": "Waiting in the outbox",
    "needs_attention": "Needs you",
    "refused": "Refused",
    "planned": "Checked",
    "cancelled": "Cancelled",
}
OK_STATES = ("published", "already_published")


@dataclass
class PublishStatus:
    """Everything the panel shows about one draft, computed together on the db lane."""

    draft_id: str
    title: str
    content_hash: str
    targets: list[str]
    accounts: list[tuple[str, str]]  # (name, server) of every account on this profile
    may_publish: bool
    reasons: list[str]
    requirement: str = ""
    published: list = field(default_factory=list)  # outbox Records already published (links)
    waiting: list = field(default_factory=list)  # open outbox Records of this draft


def compute_status(store, draft_id: str) -> PublishStatus:
    """Ask the gate about the draft's current text and target accounts."""
    from desktop.publish.accounts import AccountStore
    from desktop.publish.outbox import OPEN_STATES, Outbox
    from desktop.store.drafts import DraftStore, content_hash
    from desktop.trust.gate import check_publish

    draft = DraftStore(store.db).get(draft_id)
    accounts = AccountStore(store.db).list()
    known = {a.name for a in accounts}
    targets = list(draft.accounts)
    status = PublishStatus(
        draft_id=draft.id,
        title=draft.title,
        content_hash=content_hash(draft.text),
        targets=targets,
        accounts=[(a.name, a.server) for a in accounts],
        may_publish=False,
        reasons=[],
    )
    outbox = Outbox(store.db)
    status.published = outbox.list(("published",), draft.id)
    status.waiting = outbox.list(OPEN_STATES, draft.id)
    if draft.trashed:
        status.reasons = ["the draft is in the trash: restore it to publish it"]
        return status
    if not draft.text.strip():
        status.reasons = ["the draft is empty"]
        return status
    if not targets:
        status.reasons = ["choose at least one account to publish to"]
        return status
    decision = check_publish(store.db, draft.id, targets)
    status.may_publish = bool(decision.may_publish)
    status.reasons = list(decision.reasons)
    status.requirement = decision.requirement
    missing = [t for t in targets if t not in known]
    if missing:
        status.may_publish = False
        status.reasons.append(
            f"{', '.join(missing)} is not set up on this profile: add it under Publishing accounts"
        )
    return status


def outcome_html(outcomes: list) -> str:
    """One line per account: what happened, with a link to the post where there is one."""
    lines = []
    for o in outcomes:
        state = STATE_WORDS.get(o.state, o.state)
        mark = "✓" if o.state in OK_STATES else "✗"
        line = f"{mark} <b>{html.escape(o.account)}</b>: {html.escape(state)}"
        if o.url and o.url.startswith(("https://", "http://")):
            line += f' · <a href="{html.escape(o.url, quote=True)}">{html.escape(o.url)}</a>'
        if o.message and o.state not in OK_STATES:
            line += f"<br>{html.escape(o.message)}"
        for problem in o.problems:
            line += f"<br>problem: {html.escape(problem)}"
        lines.append(f"<p>{line}</p>")
    return "".join(lines)


def records_html(records: list) -> str:
    lines = []
    for r in records:
        when = (r.published_at or "")[:16].replace("T", " ")
        link = r.url or r.remote_id or ""
        text = html.escape(link)
        if link.startswith(("https://", "http://")):
            text = f'<a href="{html.escape(link, quote=True)}">{html.escape(link)}</a>'
        lines.append(f"<p>✓ <b>{html.escape(r.account_name)}</b> {html.escape(when)} UTC · {text}</p>")
    return "".join(lines)


class PublishPanel(QWidget):
    """Publish the open draft. `set_draft(id)` to show a draft; `content_changed()` when its text changes."""

    status_changed = Signal(object)  # PublishStatus painted
    published = Signal(list)  # AccountOutcome list of a finished publish
    failed = Signal(str)  # an error shown to the user
    accounts_requested = Signal()  # "Publishing accounts…" pressed: the window opens the dialog
    outbox_changed = Signal()  # something was queued or sent: the outbox view should reload

    def __init__(self, lanes: PublishLanes | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("publishPanel")
        self.setAccessibleName("Publish")
        self.lanes = lanes_for(self, lanes)
        self.draft_id: str | None = None
        self.status: PublishStatus | None = None
        self.images: list[tuple[str, str]] = []  # (path, alt text)
        self._generation = 0
        self._sending = False

        self.heading = QLabel("No draft open")
        self.heading.setObjectName("publishHeading")
        self.heading.setAccessibleName("Draft to publish")
        self.heading.setWordWrap(True)

        self.targets = QListWidget()
        self.targets.setObjectName("publishTargets")
        self.targets.setAccessibleName("Target accounts")
        self.targets.setAccessibleDescription("Check the accounts this draft is published to (Space toggles)")
        self.targets.setMaximumHeight(120)
        self.targets.itemChanged.connect(self._target_toggled)
        self.accounts_button = QPushButton("Publishing &accounts…")
        self.accounts_button.setAccessibleName("Manage publishing accounts")
        self.accounts_button.clicked.connect(self.accounts_requested)
        targets_box = QGroupBox("Publish to")
        tl = QVBoxLayout(targets_box)
        tl.addWidget(self.targets)
        tl.addWidget(self.accounts_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.verdict = QLabel("")
        self.verdict.setObjectName("publishVerdict")
        self.verdict.setAccessibleName("May this draft be published")
        self.verdict.setWordWrap(True)
        self.reasons = QLabel("")
        self.reasons.setObjectName("publishReasons")
        self.reasons.setAccessibleName("Why, in the trust policy's words")
        self.reasons.setWordWrap(True)
        self.reasons.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.check_button = QPushButton("Check &again")
        self.check_button.setAccessibleName("Check again whether the draft may be published")
        self.check_button.clicked.connect(self.refresh)

        options_box = QGroupBox("Options")
        form = QFormLayout(options_box)
        self.content_warning = QLineEdit()
        self.content_warning.setAccessibleName("Content warning (Mastodon)")
        self.content_warning.setPlaceholderText("optional, shown before the post on Mastodon")
        self.visibility = QComboBox()
        self.visibility.setAccessibleName("Visibility (Mastodon)")
        for value in ("public", "unlisted", "private", "direct"):
            self.visibility.addItem(value.capitalize(), value)
        self.image_list = QListWidget()
        self.image_list.setAccessibleName("Images with alt text")
        self.image_list.setMaximumHeight(70)
        self.add_image_button = QPushButton("Add &image…")
        self.add_image_button.setAccessibleName("Add an image with alt text")
        self.add_image_button.clicked.connect(self._choose_image)
        self.remove_image_button = QPushButton("Remove image")
        self.remove_image_button.setAccessibleName("Remove the selected image")
        self.remove_image_button.clicked.connect(self._remove_image)
        image_buttons = QHBoxLayout()
        image_buttons.addWidget(self.add_image_button)
        image_buttons.addWidget(self.remove_image_button)
        image_buttons.addStretch(1)
        for text, widget in (("Content &warning:", self.content_warning), ("&Visibility:", self.visibility)):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        form.addRow("Images:", self.image_list)
        form.addRow("", image_buttons)

        self.publish_button = QPushButton("&Publish")
        self.publish_button.setObjectName("publishButton")
        self.publish_button.setAccessibleName("Publish now")
        self.publish_button.clicked.connect(self.publish)
        self.results = QTextBrowser()
        self.results.setObjectName("publishResults")
        self.results.setAccessibleName("Publish results")
        self.results.setOpenExternalLinks(True)
        self.results.setMinimumHeight(80)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(targets_box)
        layout.addWidget(self.verdict)
        layout.addWidget(self.reasons)
        layout.addWidget(self.check_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(options_box)
        layout.addWidget(self.publish_button)
        layout.addWidget(self.results, 1)
        self._paint_none()

    # -- which draft -----------------------------------------------------------------------------

    def set_draft(self, draft_id: str | None) -> None:
        """Show `draft_id` (None: no draft open). Earlier results are dropped."""
        if draft_id != self.draft_id:
            self.results.clear()
            self.images.clear()
            self.image_list.clear()
        self.draft_id = draft_id
        if draft_id is None:
            self._paint_none()
            return
        self.refresh()

    def content_changed(self) -> None:
        """The draft's text changed in the editor: the last verdict no longer applies."""
        if self.draft_id is None:
            return
        self._generation += 1
        self.publish_button.setEnabled(False)
        self.verdict.setText("Checking again after your edit…")

    def refresh(self) -> None:
        """Ask the gate again (on the db lane); older answers still on their way are dropped.

        While the panel is hidden (another tab is in front) nothing is asked: the check runs when
        it is shown, so autosaves of a writer who never looks at this tab cost nothing.
        """
        if self.draft_id is None:
            return
        self._generation += 1
        if not self.isVisible():
            self._stale = True
            self.status = None
            self._update_buttons()
            return
        self._stale = False
        generation, draft_id = self._generation, self.draft_id
        self.publish_button.setEnabled(False)
        self.verdict.setText("Checking…")
        self.lanes.db.submit(
            lambda store: compute_status(store, draft_id),
            done=lambda status: self._paint(status, generation),
            failed=lambda exc: self._check_failed(exc, generation),
            key="publish-status",
        )

    _stale = False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    # -- painting --------------------------------------------------------------------------------

    def _paint_none(self) -> None:
        self.status = None
        self.heading.setText("No draft open")
        self.verdict.setText("Open a draft to publish it.")
        self.reasons.setText("")
        self.targets.clear()
        self._update_buttons()

    def _paint(self, status: PublishStatus, generation: int) -> None:
        if generation != self._generation or status.draft_id != self.draft_id:
            return  # stale: the draft or its text changed since this was asked
        self.status = status
        self.heading.setText(f"<b>{html.escape(status.title or 'Untitled draft')}</b>")
        self.targets.blockSignals(True)
        self.targets.clear()
        names = [name for name, _ in status.accounts]
        for name, server in status.accounts:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name in status.targets else Qt.CheckState.Unchecked)
            item.setToolTip(server)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{name} on {server}")
            self.targets.addItem(item)
        for name in status.targets:
            if name not in names:  # a target the draft names but this profile does not have
                item = QListWidgetItem(f"{name} (not set up here)")
                item.setData(Qt.ItemDataRole.UserRole, name)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked)
                self.targets.addItem(item)
        if not status.accounts:
            placeholder = QListWidgetItem("No publishing accounts yet: add one with Publishing accounts…")
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.targets.addItem(placeholder)
        self.targets.blockSignals(False)

        if status.may_publish:
            self.verdict.setText("<b>✓ May be published now</b>")
            self.verdict.setStyleSheet("color: #1a7f37;")
        else:
            self.verdict.setText("<b>✗ Cannot be published yet</b>")
            self.verdict.setStyleSheet("color: #b3261e;")
        self.reasons.setText("<br>".join(f"• {html.escape(r)}" for r in status.reasons))
        if not self.results.toPlainText().strip() or self._showing_history:
            self._show_history(status)
        self._update_buttons()
        self.status_changed.emit(status)

    _showing_history = True

    def _show_history(self, status: PublishStatus) -> None:
        parts = []
        if status.published:
            parts.append("<p><b>Published earlier</b></p>" + records_html(status.published))
        if status.waiting:
            parts.append(
                "<p><b>Waiting in the outbox</b></p>"
                + "".join(
                    f"<p>✗ <b>{html.escape(r.account_name)}</b>: {html.escape(r.state)}"
                    + (f"<br>{html.escape(r.last_error)}" if r.last_error else "")
                    + "</p>"
                    for r in status.waiting
                )
            )
        self.results.setHtml("".join(parts))
        self._showing_history = True

    def _check_failed(self, exc: BaseException, generation: int) -> None:
        if generation != self._generation:
            return
        self.status = None
        message = describe_error(exc)
        self.verdict.setText("<b>✗ Cannot be published yet</b>")
        self.verdict.setStyleSheet("color: #b3261e;")
        self.reasons.setText(f"• {html.escape(message)}")
        self._update_buttons()
        self.failed.emit(message)

    def _update_buttons(self) -> None:
        allowed = (
            self.status is not None
            and self.status.may_publish
            and self.status.draft_id == self.draft_id
            and not self._sending
        )
        self.publish_button.setEnabled(bool(allowed))
        self.check_button.setEnabled(self.draft_id is not None)
        self.remove_image_button.setEnabled(bool(self.images))
        tip = "" if allowed else "Publishing is possible once the reasons above are resolved."
        self.publish_button.setToolTip(tip)

    # -- targets and images ----------------------------------------------------------------------

    def checked_targets(self) -> list[str]:
        out = []
        for row in range(self.targets.count()):
            item = self.targets.item(row)
            if item.flags() & Qt.ItemFlag.ItemIsUserCheckable and item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(Qt.ItemDataRole.UserRole) or item.text())
        return out

    def set_targets(self, names: list[str]) -> None:
        """Check exactly `names` (as if clicked) and save them as the draft's target accounts."""
        self.targets.blockSignals(True)
        for row in range(self.targets.count()):
            item = self.targets.item(row)
            if item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                name = item.data(Qt.ItemDataRole.UserRole) or item.text()
                item.setCheckState(Qt.CheckState.Checked if name in names else Qt.CheckState.Unchecked)
        self.targets.blockSignals(False)
        self._target_toggled()

    def _target_toggled(self, _item: QListWidgetItem | None = None) -> None:
        if self.draft_id is None:
            return
        targets, draft_id = self.checked_targets(), self.draft_id
        self._generation += 1  # the verdict was for the old targets
        self.status = None
        self._update_buttons()

        def save(store):
            from desktop.store.drafts import DraftStore

            DraftStore(store.db).update(draft_id, accounts=targets)

        self.lanes.db.submit(save, done=lambda _r: self.refresh(), failed=self._action_failed)

    def add_image(self, path: str, alt: str) -> bool:
        """Attach an image; alt text is required (describe it for people who cannot see it)."""
        if not alt.strip():
            self._show_result(
                f"<p>✗ {html.escape(Path(path).name)} needs alt text before it can be attached.</p>"
            )
            return False
        self.images.append((path, alt.strip()))
        item = QListWidgetItem(f"{Path(path).name}: {alt.strip()}")
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"image {Path(path).name}, alt text: {alt.strip()}")
        self.image_list.addItem(item)
        self._update_buttons()
        return True

    def _choose_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Attach an image", "", "Images (*.png *.jpg *.jpeg *.gif *.webp)"
        )
        if not path:
            return
        alt, ok = QInputDialog.getMultiLineText(
            self, "Alt text", f"Describe {Path(path).name} for people who cannot see it:"
        )
        if ok:
            self.add_image(path, alt)

    def _remove_image(self) -> None:
        row = self.image_list.currentRow()
        if 0 <= row < len(self.images):
            self.images.pop(row)
            self.image_list.takeItem(row)
        self._update_buttons()

    # -- publishing ------------------------------------------------------------------------------

    def publish(self) -> None:
        """Send the checked text to the checked accounts (on the net lane). The core asks the gate again."""
        status = self.status
        if status is None or not status.may_publish or self._sending:
            return
        from desktop.publish.post import PublishOptions

        draft_id, targets, expected = status.draft_id, list(status.targets), status.content_hash
        images, cw = list(self.images), self.content_warning.text().strip()
        visibility = self.visibility.currentData()

        def run(store):
            from desktop.errors import GreenlightError
            from desktop.publish.post import Image
            from desktop.publish.service import PublishService
            from desktop.store.drafts import DraftStore, content_hash

            draft = DraftStore(store.db).get(draft_id)
            if content_hash(draft.text) != expected:
                raise GreenlightError(
                    "the draft changed after it was checked, so nothing was sent: check it again, then publish"
                )
            options = PublishOptions(
                images=tuple(Image.from_file(p, alt) for p, alt in images),
                content_warning=cw,
                visibility=visibility,
            )
            return PublishService(store.db).publish_draft(draft_id, targets, options=options)

        self._sending = True
        self._update_buttons()
        names = ", ".join(targets)
        self._show_result(f"<p>Publishing to {html.escape(names)}…</p>")
        self.lanes.net.submit(run, done=self._published, failed=self._publish_failed)

    def _published(self, outcomes: list) -> None:
        self._sending = False
        self._show_result(outcome_html(outcomes))
        self.published.emit(outcomes)
        self.outbox_changed.emit()
        self.refresh()

    def _publish_failed(self, exc: BaseException) -> None:
        self._sending = False
        message = describe_error(exc)
        self._show_result(f"<p>✗ Nothing was published: {html.escape(message)}</p>")
        self.failed.emit(message)
        self.refresh()

    def _action_failed(self, exc: BaseException) -> None:
        message = describe_error(exc)
        self._show_result(f"<p>✗ {html.escape(message)}</p>")
        self.failed.emit(message)
        self.refresh()

    def _show_result(self, text: str) -> None:
        self._showing_history = False
        self.results.setHtml(text)
