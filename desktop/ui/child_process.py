"""Run a CPU-heavy helper object in a child process, called like a local object.

Checking a draft is pure Python and regular expressions. In a thread of the UI process it would
hold the GIL for tens of milliseconds at a time (a regex match does not release it), and the UI
thread would stutter however the work is scheduled. In a child process it cannot: the UI
process's worker thread only waits on a pipe, which releases the GIL.

`RemoteObject("package.module:factory")` starts `python -m desktop.ui.child_process` (a fresh
interpreter: never `fork`, the UI process has Qt threads), builds the object there with
`factory()`, and forwards `remote.call(name, *args)` as pickles over the child's stdin/stdout.
Exceptions come back and are raised in the caller. If the child dies, the next call starts a new
one (its state, e.g. a loaded engine, is rebuilt by the caller's own `load`). No Qt here.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import pickle
import subprocess
import sys
import threading
from typing import Any, BinaryIO

log = logging.getLogger(__name__)


class ChildDied(RuntimeError):
    """The helper process ended unexpectedly; the call can be retried (a new child is started)."""


def child_command(target: str) -> list[str]:
    """How to start a child: this Python running this module (no re-import of the caller's main).

    In a PyInstaller bundle there is no Python to run `-m` with: the bundle's own executable is
    started as `greenlight gui --serve-child TARGET`, which calls `main` below.
    """
    if getattr(sys, "frozen", False):
        return [sys.executable, "gui", "--serve-child", target]
    return [sys.executable, "-m", "desktop.ui.child_process", target]


def serve(target: str, inp: BinaryIO, out: BinaryIO) -> None:
    """Child main loop: build the object, then answer pickled (method, args) calls until EOF/None."""
    with contextlib.suppress(OSError):
        os.nice(5)  # the writer's typing matters more than a check finishing 1 ms sooner
    module_name, _, factory_name = target.partition(":")
    obj = getattr(importlib.import_module(module_name), factory_name)()
    while True:
        try:
            message = pickle.load(inp)
        except (EOFError, OSError, pickle.UnpicklingError):
            break
        if message is None:
            break
        name, args = message
        try:
            reply = (True, getattr(obj, name)(*args))
        except BaseException as exc:  # sent back, raised in the caller
            reply = (False, exc)
        try:
            data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:
            data = pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
        out.write(data)
        out.flush()
    close = getattr(obj, "close", None)
    if callable(close):
        with contextlib.suppress(Exception):
            close()


class RemoteObject:
    """A proxy for an object living in a child process. Calls are serialised (one at a time)."""

    def __init__(self, target: str) -> None:
        self.target = target
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._start()

    def _start(self) -> None:
        self._proc = subprocess.Popen(
            child_command(self.target), stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0
        )

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def call(self, name: str, *args: Any) -> Any:
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._start()
            proc = self._proc
            assert proc is not None and proc.stdin is not None and proc.stdout is not None
            try:
                proc.stdin.write(pickle.dumps((name, args), protocol=pickle.HIGHEST_PROTOCOL))
                proc.stdin.flush()
                ok, value = pickle.load(proc.stdout)
            except (EOFError, OSError, pickle.UnpicklingError) as exc:
                code = proc.poll()
                self._proc = None
                raise ChildDied(
                    f"the checking process stopped (exit code {code}); it restarts on the next check"
                ) from exc
        if ok:
            return value
        raise value

    def close(self, timeout: float = 2.0) -> None:
        with self._lock:
            proc, self._proc = self._proc, None
        if proc is None:
            return
        with contextlib.suppress(OSError):
            proc.stdin.write(pickle.dumps(None))
            proc.stdin.close()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(1.0)
        with contextlib.suppress(OSError):
            proc.stdout.close()


def main(argv: list[str]) -> int:
    # The protocol owns stdout; anything printed by the hosted code goes to stderr instead.
    protocol_out = sys.stdout.buffer
    sys.stdout = sys.stderr
    logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
    serve(argv[0], sys.stdin.buffer, protocol_out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
