"""Autosave while typing: debounced, with a maximum wait, written by the store worker.

A save is queued when typing pauses (`idle_ms`) and at the latest `max_wait_ms` after the first
unsaved keystroke, so a writer who types without pause and then has the app killed loses at most
about a second. The SQLite write happens on the store thread; saves of one draft run in order, so the newest text is always written last.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.ui.operations import Worker

SAVED, UNSAVED, SAVING, FAILED = "saved", "unsaved", "saving", "failed"


class Autosaver(QObject):
    saved = Signal(str, object)  # draft id, the new Revision (None when the text was unchanged)
    failed = Signal(str, str)  # draft id, message
    state_changed = Signal(str)

    def __init__(
        self,
        worker: Worker,
        text_source: Callable[[], str],
        *,
        idle_ms: int = 300,
        max_wait_ms: int = 1000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._text_source = text_source
        self._draft_id: str | None = None
        self._last_saved: str = ""
        self._in_flight = 0
        self.state = SAVED
        self._idle = QTimer(self, singleShot=True, interval=idle_ms)
        self._idle.timeout.connect(self.flush)
        self._max = QTimer(self, singleShot=True, interval=max_wait_ms)
        self._max.timeout.connect(self.flush)
        self._retry = QTimer(self, singleShot=True, interval=2000)
        self._retry.timeout.connect(self.flush)
        self._holds = 0
        self._held: list[tuple[str, str, Callable[[object], None] | None]] = []

    @property
    def draft_id(self) -> str | None:
        return self._draft_id

    def set_draft(self, draft_id: str | None, saved_text: str = "") -> None:
        """Follow another draft; unsaved text of the previous one is queued for saving first."""
        self.flush()
        self._draft_id = draft_id
        self._last_saved = saved_text
        self._set_state(SAVED)

    def text_changed(self) -> None:
        if self._draft_id is None:
            return
        self._set_state(UNSAVED)
        self._idle.start()
        if not self._max.isActive():
            self._max.start()

    # -- holding saves while a sync runs -------------------------------------------------------------

    def hold(self) -> None:
        """Keep saves in memory until `release`: a sync is writing the drafts table.

        A save landing between the sync's import of a teammate's version and the editor learning of
        it would write the writer's older text over that version without anyone seeing it. While
        held, each flush keeps (draft, text) as they are now and writes them on release, in order;
        what the writer types is never dropped, only written a moment later.
        """
        self._holds += 1

    def release(self, *, all_holds: bool = False) -> None:
        """Write what was held (in the order it was kept), then save normally again."""
        self._holds = 0 if all_holds else max(0, self._holds - 1)
        if self._holds:
            return
        held, self._held = self._held, []
        for draft_id, text, on_saved in held:
            self._submit(draft_id, text, on_saved)

    @property
    def held(self) -> bool:
        return self._holds > 0

    @property
    def last_text(self) -> str:
        """The open draft's text as last written (or queued to be written) to the store."""
        return self._last_saved or ""

    def adopt(self, draft_id: str, text: str) -> None:
        """The stored text of the open draft is now `text` (a sync brought it and the editor shows
        it): nothing to save for it until the writer types again."""
        if draft_id != self._draft_id:
            return
        # Held saves of this draft hold older text than the editor now shows: they write this instead.
        self._held = [(d, text if d == draft_id else t, cb) for d, t, cb in self._held]
        self._last_saved = text
        self._idle.stop()
        self._max.stop()
        if not self._in_flight:
            self._set_state(SAVED)

    def is_dirty(self) -> bool:
        return self.state in (UNSAVED, FAILED) or self._idle.isActive()

    def flush(self, on_saved: Callable[[object], None] | None = None) -> None:
        """Queue a save of the current text now (no-op when nothing changed)."""
        self._idle.stop()
        self._max.stop()
        self._retry.stop()
        draft_id = self._draft_id
        if draft_id is None:
            if on_saved:
                on_saved(None)
            return
        text = self._text_source()
        if text == self._last_saved:
            if self.state != SAVED and not self._in_flight:
                self._set_state(SAVED)
            if on_saved:
                # Wait for saves still in flight, so the caller sees the stored revision.
                self._worker.submit(lambda _s: None, done=lambda _r: on_saved(None))
            return
        self._last_saved = text
        if self._holds:
            self._held.append((draft_id, text, on_saved))
            return
        self._submit(draft_id, text, on_saved)

    def _submit(self, draft_id: str, text: str, on_saved: Callable[[object], None] | None) -> None:
        self._in_flight += 1
        self._set_state(SAVING)

        def done(rev: object) -> None:
            self._in_flight -= 1
            if draft_id == self._draft_id and not self._in_flight and self.state == SAVING:
                self._set_state(SAVED)
            self.saved.emit(draft_id, rev)
            if on_saved:
                on_saved(rev)

        def failed(exc: BaseException) -> None:
            self._in_flight -= 1
            if draft_id == self._draft_id:
                self._last_saved = None  # type: ignore[assignment]  # force the retry to write
                self._set_state(FAILED)
                self._retry.start()
            self.failed.emit(draft_id, str(exc))

        self._worker.submit(lambda store: store.save(draft_id, text), done=done, failed=failed)

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)
