"""Automatic sync with the team folder while the app runs, and what the editor does with it.

When: at start, when the folder changes (Qt's file system watcher on the team folder and every
user's events folder, for instant reaction where change notifications work), when the core's
polling watcher sees a change (network shares and cloud folders often never notify; it also
triggers the periodic sync), and when the writer asks (Sync ▸ Sync now). All of it runs in the
sync process (`sync_host`), never on the UI thread; overlapping requests collapse into one more
sync after the running one.

What a sync must never do is overwrite what the writer typed. So before each sync the open
draft's text is saved (the sync then records it as the writer's version), saves are held in
memory while the sync writes the drafts table (`Autosaver.hold`), and afterwards:
- the open draft changed in the sync and the writer did not type meanwhile: the editor shows the
  new text (one undo step), with a note in the status bar;
- the writer did type meanwhile: the editor keeps their text, which is saved on top as usual, and a
  banner offers to compare it with the version that arrived (that version is in the history);
- the draft has competing versions (edited on two machines at once): a banner opens the side by
  side dialog, and the choice is made with the core's `resolve`, which travels at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QFileDialog

from desktop.ui.conflict_dialog import ConflictBanner, ConflictDialog
from desktop.ui.menus import add_action
from desktop.ui.operations import Worker
from desktop.ui.sync_host import SyncOutcome, SyncStatus
from desktop.ui.sync_status import SyncDetailsDialog, SyncStatusButton

log = logging.getLogger(__name__)

POLL_MS = 3000  # the polling fallback: a few stat calls in the sync process
SETTLE_MS = 500  # after a change notification: let the writer's cloud client finish the burst
_STILL_RUNNING: list[Worker] = []


def new_sync_host() -> Any:
    import desktop.ui.sync_host  # noqa: F401  (started by name in the child; imported so bundlers see it)
    from desktop.ui.child_process import RemoteObject

    return RemoteObject("desktop.ui.sync_host:SyncHost")


def _read_configuration(store: Any) -> SyncStatus | None:
    """On the store lane: is sync set up? (None when it is: the sync process gives the details.)"""
    from desktop.sync import settings

    folder = settings.folder(store.db)
    if folder is None:
        return SyncStatus(False, not_configured="no team folder chosen (Sync ▸ Choose team folder…)")
    # Plain SQL, not desktop.trust.identity: that would load the crypto libraries into the UI
    # process just to learn whether a row exists (the sync process loads them when it syncs).
    has_identity = (
        "identity" in store.db.table_names()
        and store.db.execute("SELECT 1 FROM identity WHERE id = 1").fetchone()
    )
    if not has_identity:
        return SyncStatus(
            False,
            folder=str(folder),
            not_configured="this profile has no identity yet: join your team first (greenlight team join)",
        )
    return None


class SyncController(QObject):
    status_changed = Signal(object)  # SyncStatus
    synced = Signal(object)  # SyncOutcome, after the editor and list were brought up to date
    busy_changed = Signal(bool)
    conflict_shown = Signal(object)  # ConflictDialog, for tests and accessibility tools

    def __init__(
        self,
        window: Any,
        *,
        host_factory: Callable[[], Any] = new_sync_host,
        poll_ms: int = POLL_MS,
        settle_ms: int = SETTLE_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or window)
        self.window = window
        self.worker = Worker("greenlight-sync", host_factory, self)
        self.worker.set_context_closer(lambda host: host.close())
        self.status: SyncStatus | None = None
        self.outcome: SyncOutcome | None = None
        self.error = ""
        self.busy = False
        self.syncs = 0  # finished syncs (tests wait on it)
        self._again: str | None = None
        self._stopped = False
        self._conflict_versions: list[dict[str, Any]] = []
        self._typed_over: tuple[str, str, str] | None = None  # (draft id, stored text, editor text)
        self.dialog: ConflictDialog | None = None
        self.details: SyncDetailsDialog | None = None

        self.fs_watcher = QFileSystemWatcher(self)
        self.fs_watcher.directoryChanged.connect(self._folder_changed)
        self._settle = QTimer(self, singleShot=True, interval=settle_ms)
        self._settle.timeout.connect(lambda: self.sync_now("changed"))
        self.poll_timer = QTimer(self, interval=poll_ms)
        self.poll_timer.timeout.connect(self._poll)

        self.button = SyncStatusButton()
        self.button.clicked.connect(self.show_details)
        self.banner = ConflictBanner()
        self.banner.resolve_requested.connect(self.open_conflict)

    @property
    def configured(self) -> bool:
        return self.status is not None and self.status.configured

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> None:
        """Read whether sync is set up (cheap, on the store lane); if it is, sync at once."""
        self.window.ops.store.submit(_read_configuration, done=self._configuration_read)

    def _configuration_read(self, off: SyncStatus | None) -> None:
        if off is not None:
            self._set_status(off)
            return
        self.poll_timer.start()
        self.sync_now("start")

    def shutdown(self) -> None:
        self._stopped = True
        self.poll_timer.stop()
        self._settle.stop()
        if self.window.autosaver.held:
            self.window.autosaver.release(all_holds=True)
        self.worker.stop(5.0)
        if self.worker.isRunning():
            # A long first import still running: let it finish on its own (it is safe to interrupt
            # at any point, see desktop.sync.engine); Qt must not delete a running thread.
            log.warning("sync still running at exit; leaving it to finish")
            self.worker.setParent(None)
            _STILL_RUNNING.append(self.worker)

    def set_folder(self, path: str | Path) -> None:
        """Sync with this team folder from now on (checked and remembered in the profile)."""

        def done(status: SyncStatus) -> None:
            self._set_status(status)
            if status.configured:
                self.poll_timer.start()
                self.sync_now("folder chosen")

        self.worker.submit(
            lambda host: host.call("set_folder", str(path)), done=done, failed=self._failed_plain
        )

    def choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self.window, "Choose the team's shared folder")
        if path:
            self.set_folder(path)

    # -- triggers --------------------------------------------------------------------------------

    def _folder_changed(self, _path: str) -> None:
        if self.configured and not self._stopped:
            self._settle.start()

    def _poll(self) -> None:
        if not self.configured or self.busy or self._stopped:
            return
        elapsed = self.poll_timer.interval() / 1000

        def due(reason: str | None) -> None:
            if reason:
                self.sync_now(reason)

        self.worker.submit(
            lambda host: host.call("tick", elapsed), done=due, failed=self._failed_plain, key="tick"
        )

    def sync_now(self, reason: str = "asked") -> None:
        """Sync soon; if one is running, once more after it."""
        if self._stopped:
            return
        if self.busy:
            self._again = reason
            return
        if self.status is not None and not self.status.configured and reason != "asked":
            return
        self._begin(lambda host: host.call("sync"))

    def _begin(self, job: Callable[[Any], SyncOutcome]) -> None:
        """Save the writer's text, hold further saves, run `job` in the sync process."""
        self.busy = True
        self.busy_changed.emit(True)
        self.button.set_busy(True)
        autosaver = self.window.autosaver

        def written(_r: object) -> None:
            # Held, and every save queued before the hold is on disk: the sync reads what the
            # writer last saw saved, and nothing lands on the drafts table while it runs.
            drafts = self.window.drafts
            open_id = drafts.draft.id if drafts.draft is not None else None
            before = autosaver.last_text if open_id else ""
            self.worker.submit(
                job,
                done=lambda outcome: self._finished(outcome, open_id, before),
                failed=self._failed,
            )

        def saved(_rev: object) -> None:
            autosaver.hold()
            self.window.ops.store.submit(lambda _s: None, done=written)

        autosaver.flush(on_saved=saved)

    # -- after a sync ----------------------------------------------------------------------------

    def _finished(self, outcome: SyncOutcome, open_id: str | None, before: str) -> None:
        if self._stopped:
            return  # the window closed meanwhile; the saves were released by shutdown
        self.outcome = outcome
        self.error = outcome.error
        self._set_status(outcome.status)
        if open_id is not None and (open_id in outcome.changed_drafts):
            self.window.ops.store.submit(
                lambda store: store.get(open_id),
                done=lambda draft: self._apply_open_draft(draft, before, outcome),
                failed=lambda _exc: self._done(outcome),
            )
        else:
            self._done(outcome)

    def _apply_open_draft(self, draft: Any, before: str, outcome: SyncOutcome) -> None:
        drafts, editor = self.window.drafts, self.window.editor
        if drafts.draft is None or drafts.draft.id != draft.id:
            self._done(outcome)
            return
        typed = editor.toPlainText()
        if draft.text == before:
            drafts.draft = replace(draft, text=drafts.draft.text)
            drafts.changed.emit(drafts.draft)  # title, platforms, status may have come in
        elif typed == before:
            self._show_text(draft)
            self.window.statusBar().showMessage("This draft was updated from the team folder", 8000)
        else:
            # Typed while the sync brought another version: keep the typing, offer the comparison.
            drafts.draft = replace(draft, text=drafts.draft.text)
            self._typed_over = (draft.id, draft.text, typed)
            self.banner.show_message(
                "This draft changed on another machine while you were typing. Your text is kept; the "
                "other version is in the history."
            )
        self._done(outcome)

    def _show_text(self, draft: Any) -> None:
        """Put the stored text in the editor as one undo step, keeping the cursor where it was."""
        drafts, editor = self.window.drafts, self.window.editor
        position = editor.textCursor().position()
        drafts._loading = True
        try:
            cursor = QTextCursor(editor.document())
            cursor.beginEditBlock()
            cursor.select(QTextCursor.SelectionType.Document)
            cursor.insertText(draft.text)
            cursor.endEditBlock()
            cursor.setPosition(min(position, len(editor.toPlainText())))
            editor.setTextCursor(cursor)
        finally:
            drafts._loading = False
        drafts.draft = draft
        self.window.autosaver.adopt(draft.id, draft.text)
        self.window.live.text_changed()
        drafts.changed.emit(draft)

    def _done(self, outcome: SyncOutcome) -> None:
        self.window.autosaver.release()
        self.busy = False
        self.syncs += 1
        self.button.set_busy(False)
        self.busy_changed.emit(False)
        if outcome.changed_drafts or (outcome.report or {}).get("imported"):
            self.window.draft_list.reload()
        self._watch(outcome.status)
        self.refresh_conflict()
        self.synced.emit(outcome)
        if self._again is not None and not self._stopped:
            reason, self._again = self._again, None
            QTimer.singleShot(0, lambda: self.sync_now(reason))

    def _failed(self, exc: BaseException) -> None:
        log.warning("sync failed: %s", exc)
        self.error = str(exc)
        if self.window.autosaver.held:
            self.window.autosaver.release()
        self.busy = False
        self.button.set_busy(False)
        self.busy_changed.emit(False)
        if self.status is not None:
            self._set_status(self.status)
        self.syncs += 1

    def _failed_plain(self, exc: BaseException) -> None:
        self.error = str(exc)
        self.window.statusBar().showMessage(f"Sync: {exc}", 10000)
        if self.status is not None:
            self._set_status(self.status)

    def _set_status(self, status: SyncStatus) -> None:
        self.status = status
        self.button.set_status(status, error=self.error)
        if self.details is not None and self.details.isVisible():
            self.details.show_status(status, self.outcome, error=self.error)
        self.status_changed.emit(status)

    def _watch(self, status: SyncStatus) -> None:
        """Follow the team folder, users/ and each user's events folder (new members appear)."""
        wanted = {p for p in status.watch_paths if Path(p).is_dir()}
        current = set(self.fs_watcher.directories())
        if current - wanted:
            self.fs_watcher.removePaths(sorted(current - wanted))
        if wanted - current:
            self.fs_watcher.addPaths(sorted(wanted - current))

    # -- conflicts -------------------------------------------------------------------------------

    def refresh_conflict(self) -> None:
        """Ask whether the open draft has competing versions; show or hide the banner."""
        draft = self.window.drafts.draft
        if draft is None or not self.configured:
            self._conflict_versions = []
            if self._typed_over is None:
                self.banner.hide()
            return
        draft_id = draft.id

        def found(versions: list[dict[str, Any]]) -> None:
            current = self.window.drafts.draft
            if current is None or current.id != draft_id:
                return
            self._conflict_versions = list(versions)
            if versions:
                self._typed_over = None
                self.banner.show_message(
                    f"This draft was edited on two machines at once: {len(versions)} versions are kept."
                )
            elif self._typed_over is None or self._typed_over[0] != draft_id:
                self._typed_over = None
                self.banner.hide()

        self.worker.submit(
            lambda host: host.call("conflicts", draft_id), done=found, failed=self._failed_plain
        )

    def draft_opened(self, draft: Any) -> None:
        self._typed_over = None
        self.banner.hide()
        if draft is not None and self.configured:
            self.refresh_conflict()

    def open_conflict(self) -> None:
        if self.dialog is not None:
            return
        if self._conflict_versions:
            dialog = ConflictDialog(self._conflict_versions, self.window)
            dialog.picked.connect(lambda v: self.resolve(pick=v["event_id"]))
            dialog.merged.connect(lambda text: self.resolve(text=text))
        elif self._typed_over is not None:
            draft_id, stored, typed = self._typed_over
            versions = [
                {
                    "event_id": "mine",
                    "author_name": "Your text (in the editor)",
                    "text": typed,
                    "current": True,
                },
                {"event_id": "theirs", "author_name": "The version from the team folder", "text": stored},
            ]
            dialog = ConflictDialog(
                versions,
                self.window,
                title="Changed while you typed",
                intro="While you were typing, another version of this draft arrived from the team folder. "
                "Keep yours, take theirs, or merge them below.",
            )
            dialog.picked.connect(lambda v: self._settle_typed(draft_id, str(v["text"])))
            dialog.merged.connect(lambda text: self._settle_typed(draft_id, text))
        else:
            return
        dialog.finished.connect(lambda _code: self._dialog_closed(dialog))
        self.dialog = dialog
        dialog.open()
        self.conflict_shown.emit(dialog)

    def _dialog_closed(self, dialog: ConflictDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _settle_typed(self, draft_id: str, text: str) -> None:
        """The writer chose after typing over an incoming version: the editor gets that text."""
        self._typed_over = None
        self.banner.hide()
        editor = self.window.editor
        if self.window.drafts.draft is None or self.window.drafts.draft.id != draft_id:
            return
        if editor.toPlainText() != text:
            cursor = QTextCursor(editor.document())
            cursor.beginEditBlock()
            cursor.select(QTextCursor.SelectionType.Document)
            cursor.insertText(text)
            cursor.endEditBlock()  # an ordinary edit: autosaved and synced like typing

    def resolve(self, *, pick: str | None = None, text: str | None = None) -> None:
        """Settle the open draft's conflict with the core's `resolve` (then it syncs at once)."""
        draft = self.window.drafts.draft
        if draft is None or self.busy:
            if self.busy:
                self.window.statusBar().showMessage("A sync is running; choose again in a moment", 5000)
            return
        draft_id = draft.id
        self._conflict_versions = []
        self.banner.hide()
        self._begin(lambda host: host.call("resolve", draft_id, pick, text))

    # -- details ---------------------------------------------------------------------------------

    def show_details(self) -> None:
        if self.details is None:
            self.details = SyncDetailsDialog(self.window)
            self.details.sync_requested.connect(lambda: self.sync_now("asked"))
            self.details.folder_requested.connect(self.choose_folder)
            self.details.open_draft.connect(lambda draft_id: self.window.drafts.open(draft_id))
        if self.status is not None:
            self.details.show_status(self.status, self.outcome, error=self.error)
        self.details.show()
        self.details.raise_()


def install_sync(window: Any) -> SyncController:
    """Add sync to `window` (a MainWindow): status-bar indicator, banner, Sync menu, automation."""
    controller = SyncController(window)
    window.add_status_widget(controller.button)
    window.add_editor_banner(controller.banner)
    window.drafts.opened.connect(controller.draft_opened)
    menu = window.menuBar().addMenu("S&ync")
    for text, slot, shortcut, name in (
        ("Sync &now", lambda: controller.sync_now("asked"), "F9", "syncNow"),
        ("Sync &details…", controller.show_details, None, "syncDetails"),
        ("&Choose team folder…", controller.choose_folder, None, "chooseSyncFolder"),
    ):
        add_action(menu, window, text, slot, shortcut, name)
    publishing = getattr(window, "publishing", None)
    if publishing is not None:
        # Approvals, rejections and submissions arrive through sync: the gate and the approvals
        # list are asked again whenever a sync brought something in.
        def refresh_publishing(outcome: SyncOutcome) -> None:
            if outcome.changed_drafts or (outcome.report or {}).get("imported"):
                publishing.publish.refresh()
                publishing.approvals.refresh()

        controller.synced.connect(refresh_publishing)
    window.sync = controller
    return controller
