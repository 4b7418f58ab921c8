"""Background lanes for the publishing and approval widgets, apart from the editor's own.

Two `Worker` threads (see `desktop.ui.operations`), each with its own profile connection:

- `db`: quick profile work (gate checks, signed approval steps, the outbox list, the trust report);
- `net`: talking to platforms (publish, retry, account tests), which may wait for a slow server.

They are separate from the editor's store lane so that a server taking thirty seconds to answer
never delays an autosave, and separate from each other so that a pending publish never delays the
"may I publish?" answer for the next draft. Results come back to the UI thread through the
Worker's signal relay; the UI thread never waits on either lane.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, QObject

from desktop.ui.operations import Worker

log = logging.getLogger(__name__)

# Lanes still busy when their window closed: kept referenced so Qt never destroys a running thread.
# Whatever they were sending is safe: the outbox row is written before any network call, and an
# interrupted attempt is picked up by the next one (see desktop.publish.outbox).
_STILL_RUNNING: list[Worker] = []


def _open_store() -> Any:
    from desktop.store import DraftStore

    return DraftStore.open()


class PublishLanes(QObject):
    """The `db` and `net` lanes; `shutdown` ends them, `watch(window)` does so when it closes."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = Worker("greenlight-trust", _open_store, self)
        self.net = Worker("greenlight-publish", _open_store, self)
        for worker in (self.db, self.net):
            worker.set_context_closer(lambda store: store.close())
        self._stopped = False

    def shutdown(self, timeout: float = 5.0) -> None:
        """Let queued work finish (bounded), then end both threads."""
        if self._stopped:
            return
        self._stopped = True
        for worker in (self.db, self.net):
            worker.stop(timeout)
            if worker.isRunning():
                log.warning("%s still busy after %.0f s; leaving it to finish", worker.objectName(), timeout)
                worker.setParent(None)
                _STILL_RUNNING.append(worker)

    @property
    def stopped(self) -> bool:
        return self._stopped

    def watch(self, window: QObject) -> None:
        """Shut the lanes down when `window` closes (before Qt starts deleting its children)."""
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self.shutdown()
        return False


def lanes_for(widget: QObject, lanes: PublishLanes | None) -> PublishLanes:
    """The lanes a widget should use: the window's shared ones, or its own (ended when it closes)."""
    if lanes is not None:
        return lanes
    own = PublishLanes(widget)
    own.watch(widget)
    return own


def describe_error(exc: BaseException) -> str:
    """An exception in words for the person at the screen.

    Greenlight's own errors already say what is wrong and what to do; anything else is a bug, which
    is logged with its traceback and reported plainly rather than swallowed.
    """
    from desktop.errors import GreenlightError

    if isinstance(exc, GreenlightError):
        return str(exc)
    log.error("unexpected error in a publishing task", exc_info=exc)
    return (
        f"Something went wrong that Greenlight did not expect ({type(exc).__name__}: {exc}). It was logged."
    )
