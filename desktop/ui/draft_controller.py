"""The open draft's lifecycle: open, create, duplicate, rename, trash, platforms, restore.

Every store call goes through the store worker; the editor is filled only when the answer for the
draft still wanted arrives (clicking quickly through the list never shows the wrong draft). The
text of the draft being left is saved before the next one is shown.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from desktop.store.models import Draft, DraftSummary
from desktop.ui.autosave import Autosaver
from desktop.ui.draft_list import DraftList
from desktop.ui.editor import DraftEditor
from desktop.ui.live_review import LiveReview
from desktop.ui.operations import Operations


def summary_of(draft: Draft, *, text: str | None = None, updated: str | None = None) -> DraftSummary:
    from desktop.store.drafts import SNIPPET_CHARS

    body = draft.text if text is None else text
    return DraftSummary(draft.id, draft.title, draft.status, updated or draft.updated, body[:SNIPPET_CHARS])


class DraftController(QObject):
    opened = Signal(object)  # Draft now in the editor (None when no draft is open)
    changed = Signal(object)  # the open Draft's metadata changed (title, status, platforms)
    message = Signal(str)  # a status-bar message
    error = Signal(str)  # an error the writer must see
    media_changed = Signal(object)  # the open draft's images changed: list of MediaItem

    def __init__(
        self,
        ops: Operations,
        editor: DraftEditor,
        draft_list: DraftList,
        autosaver: Autosaver,
        live: LiveReview,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.editor = editor
        self.list = draft_list
        self.autosaver = autosaver
        self.live = live
        self.draft: Draft | None = None
        self.ignored: set[tuple[str, str]] = set()
        self.media: tuple[tuple[str, str], ...] = ()  # the open draft's images: (path, alt text)
        self.media_items: list = []  # the same images as store records (ids for describing them)
        self._loading = False
        self._wanted: str | None = None
        self._creating = False
        editor.textChanged.connect(self._text_changed)
        autosaver.saved.connect(self._saved)
        autosaver.failed.connect(lambda _id, msg: self.error.emit(f"Autosave failed: {msg}. Retrying."))
        draft_list.draft_selected.connect(self.open)

    # -- opening ---------------------------------------------------------------------------------

    def open(self, draft_id: str, *, done: Callable[[Draft], None] | None = None) -> None:
        if self.draft is not None and self.draft.id == draft_id and not self._wanted:
            if done:
                done(self.draft)
            return
        self._wanted = draft_id
        self.autosaver.set_draft(None)  # queues the save of what is being left

        def load(store):
            from desktop.store.media import DraftMedia
            from desktop.store.review_notes import ReviewNotes

            draft = store.get(draft_id)
            ignored = {(m.rule, m.match) for m in ReviewNotes(store.db).ignored(draft.id)}
            media = DraftMedia(store.db).list(draft.id)
            return draft, ignored, media

        def loaded(payload) -> None:
            draft, ignored, media = payload
            if self._wanted != draft_id:
                return  # the writer already moved on to another draft
            self._wanted = None
            self._show(draft, ignored, media)
            if done:
                done(draft)

        def failed(exc: BaseException) -> None:
            if self._wanted == draft_id:
                self._wanted = None
                self.error.emit(f"Cannot open the draft: {exc}")

        self.ops.store.submit(load, done=loaded, failed=failed)

    def _show(
        self, draft: Draft, ignored: set[tuple[str, str]], media: tuple[tuple[str, str], ...] | None = None
    ) -> None:
        """Put `draft` in the editor; `media` (store records) None keeps the images already loaded."""
        self._loading = True
        try:
            self.draft = draft
            self.ignored = set(ignored)
            if media is not None:
                self._set_media(media)
            self.editor.clear_findings()
            self.editor.setPlainText(draft.text)
            self.editor.setReadOnly(draft.trashed is not None)
            self.autosaver.set_draft(draft.id if draft.trashed is None else None, draft.text)
        finally:
            self._loading = False
        self.list.select_id(draft.id)
        self.live.set_context(draft.id, draft.platforms, self.ignored, media=self.media)
        self.opened.emit(draft)

    def close_current(self) -> None:
        self.autosaver.set_draft(None)
        self._loading = True
        try:
            self.draft = None
            self.ignored = set()
            self._set_media([])
            self.editor.clear_findings()
            self.editor.setPlainText("")
            self.editor.setReadOnly(False)
        finally:
            self._loading = False
        self.live.set_context("", (), set(), media=())
        self.opened.emit(None)

    # -- images ----------------------------------------------------------------------------------

    def _set_media(self, items: list) -> None:
        self.media_items = list(items)
        self.media = tuple((m.path, m.alt) for m in items)
        self.media_changed.emit(self.media_items)

    def attach_image(self, path: str, alt: str = "") -> None:
        """Attach an image to the open draft (stored off the UI thread); its alt text is checked."""
        self._change_media(lambda media, draft_id: media.add(draft_id, path, alt), "attach the image")

    def describe_image(self, media_id: int, alt: str) -> None:
        """Set one image's alt text; the missing-alt-text finding goes once it is described."""
        self._change_media(lambda media, _draft_id: media.set_alt(media_id, alt), "save the description")

    def _change_media(self, change: Callable, doing: str) -> None:
        draft = self.draft
        if draft is None:
            self.error.emit("Open or start a draft first, then attach images to it.")
            return

        def work(store):
            from desktop.store.media import DraftMedia

            media = DraftMedia(store.db)
            change(media, draft.id)
            return media.list(draft.id)

        def done(items) -> None:
            if self.draft is not None and self.draft.id == draft.id:
                self._set_media(items)
                self.live.set_context(draft.id, self.draft.platforms, self.ignored, media=self.media)

        self.ops.store.submit(work, done=done, failed=lambda exc: self.error.emit(f"Cannot {doing}: {exc}"))

    # -- typing ----------------------------------------------------------------------------------

    def _text_changed(self) -> None:
        if self._loading:
            return
        self.live.text_changed()
        if self.draft is None:
            self._create_from_typing()
            return
        self.autosaver.text_changed()
        if self.draft.status == "ready":
            # The reviewed text changed: it has to be reviewed again before it is ready.
            self.set_status("draft", note="Edited after self-review: back to draft")

    def _create_from_typing(self) -> None:
        """Typing with no draft open starts a new draft, so the first words are kept too."""
        if self._creating:
            return
        self._creating = True
        text = self.editor.toPlainText()

        def created(draft: Draft) -> None:
            self._creating = False
            self.draft = draft
            self.autosaver.set_draft(draft.id, draft.text)
            if self.editor.toPlainText() != draft.text:
                self.autosaver.text_changed()
            self.list.model.upsert_top(summary_of(draft))
            self.list.select_id(draft.id)
            self._set_media([])  # a draft started by typing has no images yet
            self.live.set_context(draft.id, draft.platforms, self.ignored, media=self.media)
            self.opened.emit(draft)

        def failed(exc: BaseException) -> None:
            self._creating = False
            self.error.emit(f"Cannot create a draft: {exc}")

        self.ops.store.submit(lambda store: store.create(text), done=created, failed=failed)

    def _saved(self, draft_id: str, revision) -> None:
        if revision is None:
            return
        draft = self.draft
        if draft is not None and draft.id == draft_id:
            self.draft = Draft(
                **{
                    **draft.__dict__,
                    "text": revision.text,
                    "updated": revision.created,
                    "revisions": revision.number,
                }
            )
            self.list.model.upsert_top(summary_of(self.draft))
            self.list.select_id(draft_id)

    # -- draft operations ------------------------------------------------------------------------

    def new_draft(self) -> None:
        def created(draft: Draft) -> None:
            self.list.model.upsert_top(summary_of(draft))
            self.open(draft.id, done=lambda _d: self.editor.setFocus())
            self.message.emit("New draft")

        self.autosaver.set_draft(None)
        self.ops.store.submit(
            lambda store: store.create(""), done=created, failed=self._failed("create a draft")
        )

    def duplicate(self) -> None:
        if self.draft is None:
            return
        draft_id = self.draft.id
        self.autosaver.flush()

        def done(copy: Draft) -> None:
            self.list.model.upsert_top(summary_of(copy))
            self.open(copy.id)
            self.message.emit(f"Duplicated as “{copy.title}”")

        self.ops.store.submit(
            lambda store: store.duplicate(draft_id), done=done, failed=self._failed("duplicate")
        )

    def rename(self, title: str) -> None:
        if self.draft is None:
            return
        draft_id = self.draft.id
        self.ops.store.submit(
            lambda store: store.rename(draft_id, title.strip()),
            done=self._meta_updated,
            failed=self._failed("rename"),
        )

    def set_platforms(self, platforms: list[str]) -> None:
        if self.draft is None:
            return
        draft_id = self.draft.id
        self.draft = Draft(**{**self.draft.__dict__, "platforms": list(platforms)})
        self.live.set_context(draft_id, platforms, self.ignored)
        self.ops.store.submit(
            lambda store: store.update(draft_id, platforms=platforms),
            done=self._meta_updated,
            failed=self._failed("save the platforms"),
        )

    def set_status(self, status: str, *, note: str = "", done: Callable[[Draft], None] | None = None) -> None:
        if self.draft is None:
            return
        draft_id = self.draft.id
        self.draft = Draft(**{**self.draft.__dict__, "status": status})

        def updated(draft: Draft) -> None:
            self._meta_updated(draft)
            if note:
                self.message.emit(note)
            if done:
                done(draft)

        self.ops.store.submit(
            lambda store: store.update(draft_id, status=status),
            done=updated,
            failed=self._failed("change status"),
        )

    def _meta_updated(self, draft: Draft) -> None:
        if self.draft is not None and self.draft.id == draft.id:
            # Keep the text the editor has; the store's copy may be a save behind.
            self.draft = Draft(**{**draft.__dict__, "text": self.draft.text})
            self.changed.emit(self.draft)
        self.list.model.upsert_top(summary_of(draft))
        self.list.select_id(self.draft.id if self.draft else None)

    def trash(self) -> None:
        if self.draft is None:
            return
        draft_id = self.draft.id
        self.autosaver.flush()

        def done(_draft: Draft) -> None:
            self.list.model.remove(draft_id)
            self.close_current()
            self.message.emit("Moved to the trash (Drafts ▸ Trash to restore it)")
            first = self.list.model.summary(0)
            if first is not None and not self.list.model.trashed:
                self.open(first.id)

        self.ops.store.submit(
            lambda store: store.trash(draft_id), done=done, failed=self._failed("move to trash")
        )

    def untrash(self) -> None:
        if self.draft is None or self.draft.trashed is None:
            return
        draft_id = self.draft.id

        def done(draft: Draft) -> None:
            self.list.model.remove(draft_id)
            self._show(draft, self.ignored)
            self.message.emit("Restored from the trash")

        self.ops.store.submit(
            lambda store: store.untrash(draft_id), done=done, failed=self._failed("restore")
        )

    def empty_trash(self, done: Callable[[int], None] | None = None) -> None:
        def emptied(n: int) -> None:
            if self.draft is not None and self.draft.trashed is not None:
                self.close_current()
            self.list.reload()
            self.message.emit(f"Deleted {n} draft{'s' if n != 1 else ''} for good")
            if done:
                done(n)

        self.ops.store.submit(
            lambda store: store.empty_trash(), done=emptied, failed=self._failed("empty the trash")
        )

    def restore_revision(self, number: int) -> None:
        """Make an old revision current. The store saves it as a new revision ("restore:N"), so the
        text being replaced stays in the history; in the editor it is one undo step."""
        if self.draft is None:
            return
        draft_id = self.draft.id

        def restored(payload) -> None:
            rev, text = payload
            if self.draft is None or self.draft.id != draft_id:
                return
            from PySide6.QtGui import QTextCursor

            self._loading = True
            try:
                cursor = QTextCursor(self.editor.document())
                cursor.beginEditBlock()
                cursor.select(QTextCursor.SelectionType.Document)
                cursor.insertText(text)
                cursor.endEditBlock()
                self.autosaver.set_draft(draft_id, text)
            finally:
                self._loading = False
            self.live.text_changed()
            if rev is not None:
                self._saved(draft_id, rev)
            self.message.emit(f"Restored revision {number}")

        def run(store):
            rev = store.restore_revision(draft_id, number)
            return rev, store.revision(draft_id, number).text

        self.autosaver.flush()  # queued first: the text being replaced becomes a revision too
        self.ops.store.submit(run, done=restored, failed=self._failed("restore"))

    def _failed(self, what: str) -> Callable[[BaseException], None]:
        return lambda exc: self.error.emit(f"Cannot {what}: {exc}")
