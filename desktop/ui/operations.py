"""Background work for the UI: the database and the guideline checks never run on the UI thread.

The idea follows Anki's `aqt.operations`: a view asks for an operation, the operation runs on a
worker thread with its own resources (here: its own `DraftStore` connection, or the loaded
guideline engine), and the result comes back to the UI thread through a Qt signal, where the
caller's callback decides what to repaint.

Each `Worker` is one thread running jobs in submission order. A job may carry a `key`: submitting
another job with the same key while the first still waits replaces it, so a burst of keystrokes
costs one check of the newest text, not one per keystroke ("latest wins").
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from desktop.errors import GreenlightError

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


@dataclass(eq=False)
class Job:
    """One unit of background work: `fn(context)` on the worker, then `done`/`failed` on the UI thread."""

    fn: Callable[[Any], Any]
    done: Done | None = None
    failed: Failed | None = None
    key: str | None = None
    result: Any = None
    error: BaseException | None = None
    cancelled: bool = False
    submitted: float = field(default_factory=time.perf_counter)


class _Relay(QObject):
    """Lives on the UI thread; a signal emitted from the worker is queued to it."""

    finished = Signal(object)


class Worker(QThread):
    """A named background thread with a private context, created on that thread at first use."""

    def __init__(
        self, name: str, context_factory: Callable[[], Any] | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._factory = context_factory
        self._context: Any = None
        self._context_error: BaseException | None = None
        self._queue: deque[Job] = deque()
        self._cond = threading.Condition()
        self._running_job: Job | None = None
        self._stopping = False
        self._relay = _Relay()
        self._relay.finished.connect(self._deliver)
        self._close_context: Callable[[Any], None] | None = None

    def set_context_closer(self, closer: Callable[[Any], None]) -> None:
        """How to release the context (e.g. close the SQLite connection) when the thread stops."""
        self._close_context = closer

    # -- UI-thread side --------------------------------------------------------------------------

    def submit(
        self,
        fn: Callable[[Any], Any],
        *,
        done: Done | None = None,
        failed: Failed | None = None,
        key: str | None = None,
    ) -> Job:
        """Queue `fn(context)`; with `key`, a still-waiting job of the same key is replaced."""
        job = Job(fn, done, failed, key)
        with self._cond:
            if key is not None:
                for old in list(self._queue):
                    if old.key == key:
                        old.cancelled = True
                        self._queue.remove(old)
            self._queue.append(job)
            self._cond.notify()
        if not self.isRunning() and not self._stopping:
            self.start()
        return job

    def pending(self) -> int:
        with self._cond:
            return len(self._queue) + (1 if self._running_job else 0)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until every queued job has run (used when closing, and by tests/benchmarks)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._queue or self._running_job is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(remaining)
        return True

    def stop(self, timeout: float = 10.0) -> None:
        """Finish what is queued, release the context, end the thread."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self.isRunning():
            self.wait(int(timeout * 1000))

    def _deliver(self, job: Job) -> None:
        if job.error is not None:
            if job.failed is not None:
                job.failed(job.error)
            elif isinstance(job.error, GreenlightError):
                log.warning("%s: %s", self.objectName(), job.error)
            else:
                log.error("%s job failed", self.objectName(), exc_info=job.error)
        elif job.done is not None:
            job.done(job.result)

    # -- worker-thread side ----------------------------------------------------------------------

    def run(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._stopping:
                    self._cond.wait()
                if not self._queue and self._stopping:
                    break
                job = self._queue.popleft()
                self._running_job = job
            try:
                job.result = job.fn(self._get_context())
            except BaseException as exc:  # reported to the UI thread, never lost in the thread
                job.error = exc
            finally:
                with self._cond:
                    self._running_job = None
                    self._cond.notify_all()
            self._relay.finished.emit(job)
        if self._context is not None and self._close_context is not None:
            try:
                self._close_context(self._context)
            except Exception:
                log.exception("closing %s context", self.objectName())

    def _get_context(self) -> Any:
        if self._factory is None:
            return None
        if self._context is None:
            if self._context_error is not None:
                raise self._context_error
            try:
                self._context = self._factory()
            except BaseException as exc:
                self._context_error = exc
                raise
        return self._context


class Operations(QObject):
    """The UI's two background lanes: `store` (SQLite, own connection) and `review` (checks).

    They are separate threads so a slow check never delays an autosave, and vice versa.
    """

    def __init__(
        self, parent: QObject | None = None, *, review_context: Callable[[], Any] | None = None
    ) -> None:
        super().__init__(parent)
        self.store = Worker("greenlight-store", _open_store, self)
        self.store.set_context_closer(lambda s: s.close())
        self.review = Worker("greenlight-review", review_context, self)

    def shutdown(self, timeout: float = 10.0) -> None:
        """Let queued saves finish, then stop both threads (called when the window closes)."""
        for worker in (self.store, self.review):
            worker.stop(timeout)


def _open_store() -> Any:
    from desktop.store import DraftStore

    return DraftStore.open()
