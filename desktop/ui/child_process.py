"""Run a CPU-heavy helper object in a child process, called like a local object.

Checking a draft is pure Python and regular expressions. In a thread of the UI process it would
hold the GIL for tens of milliseconds at a time (a regex match does not release it), and the UI
thread would stutter however the work is scheduled. In a child process it cannot: the UI
process's worker thread only waits on a pipe, which releases the GIL.

`RemoteObject("package.module:factory")` starts a `spawn` child (never `fork`: the UI process has
Qt threads), builds the object there with `factory()`, and forwards `remote.call(name, *args)`.
Exceptions come back and are raised in the caller. If the child dies, the next call starts a new
one (its state, e.g. a loaded engine, is rebuilt by the caller's own `load`). No Qt here.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
import threading
from typing import Any

log = logging.getLogger(__name__)


class ChildDied(RuntimeError):
    """The helper process ended unexpectedly; the call can be retried (a new child is started)."""


def _serve(conn: Any, target: str) -> None:
    """Child main loop: build the object, then answer (method, args) calls until told to stop."""
    try:
        os.nice(5)  # the writer's typing matters more than a check finishing 1 ms sooner
    except OSError:
        pass
    module_name, _, factory_name = target.partition(":")
    obj = getattr(importlib.import_module(module_name), factory_name)()
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            break
        if message is None:
            break
        name, args = message
        try:
            conn.send((True, getattr(obj, name)(*args)))
        except BaseException as exc:  # sent back, raised in the caller
            try:
                conn.send((False, exc))
            except Exception:
                conn.send((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
    close = getattr(obj, "close", None)
    if callable(close):
        try:
            close()
        except Exception:
            pass


class RemoteObject:
    """A proxy for an object living in a child process. Calls are serialised (one at a time)."""

    def __init__(self, target: str) -> None:
        self.target = target
        self._ctx = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._conn: Any = None
        self._proc: Any = None
        self._start()

    def _start(self) -> None:
        parent, child = self._ctx.Pipe()
        self._proc = self._ctx.Process(
            target=_serve, args=(child, self.target), name=f"greenlight-{self.target}", daemon=True
        )
        self._proc.start()
        child.close()
        self._conn = parent

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def call(self, name: str, *args: Any) -> Any:
        with self._lock:
            if self._proc is None or not self._proc.is_alive():
                self._start()
            try:
                self._conn.send((name, args))
                ok, value = self._conn.recv()
            except (EOFError, OSError, BrokenPipeError) as exc:
                code = self._proc.exitcode if self._proc is not None else None
                self._proc = None
                raise ChildDied(
                    f"the checking process stopped (exit code {code}); it restarts on the next check"
                ) from exc
        if ok:
            return value
        raise value

    def close(self, timeout: float = 2.0) -> None:
        with self._lock:
            proc, conn = self._proc, self._conn
            self._proc = None
        if proc is None:
            return
        try:
            conn.send(None)
        except (OSError, BrokenPipeError):
            pass
        proc.join(timeout)
        if proc.is_alive():
            proc.terminate()
            proc.join(1.0)
        conn.close()
