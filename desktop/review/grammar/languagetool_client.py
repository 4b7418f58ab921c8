"""language-tool-python's `LanguageTool` client with the limits a desktop app needs.

The library (3.x) is written for scripts that may wait: every request has a 300 s timeout; a local
start tries up to ~900 ports, each waiting 15 s for a server that may never come up (a broken
install "hangs for minutes"); and after the first port fails it keeps polling the first port's URL
(it changes `_port` but not `_url`). This subclass keeps the library's own code paths (download,
Java check, server command, health check, HTTP API) and only bounds them:

- `request_timeout` replaces the 300 s request timeout;
- a local start tries at most `port_attempts` ports, each with the right URL;
- `abort()` (from the thread that gave up waiting) stops further attempts and kills the Java
  process that was started, so a timed-out start does not leave LanguageTool running behind.

It overrides two private methods of a library pinned to `<4` in pyproject.toml; the tests run
these paths against a LanguageTool stand-in, so a change in the library shows up there.

Imported only when LanguageTool is actually used: importing the library costs ~120 ms.
"""

from __future__ import annotations

import threading
from typing import Any

from language_tool_python import LanguageTool
from language_tool_python.exceptions import ServerError


class StartAborted(Exception):
    """The caller stopped waiting for LanguageTool to start."""


class BoundedLanguageTool(LanguageTool):
    def __init__(
        self,
        *,
        request_timeout: float,
        aborted: threading.Event,
        port_attempts: int = 3,
        on_created: Any = None,
        **kwargs: Any,
    ) -> None:
        # Set before the library's __init__, which already talks to the server.
        self._TIMEOUT = request_timeout  # type: ignore[misc]
        self._aborted = aborted
        self._port_attempts = port_attempts
        self._server = None
        if on_created is not None:
            on_created(self)  # lets the waiting thread abort() a start that is still in __init__
        super().__init__(**kwargs)

    def _check_aborted(self) -> None:
        if self._aborted.is_set():
            raise StartAborted("the start of LanguageTool was abandoned")

    def _start_server_on_free_port(self) -> None:
        for attempt in range(1, self._port_attempts + 1):
            self._check_aborted()
            try:
                self._start_local_server()
                return
            except ServerError:
                self._check_aborted()
                if attempt == self._port_attempts or not self._available_ports:
                    raise
                self._port = self._available_ports.pop()
                self._url = f"http://{self._host}:{self._port}/v2/"

    def _start_local_server(self) -> None:
        self._check_aborted()
        super()._start_local_server()
        if self._aborted.is_set():
            self._terminate_server()
            raise StartAborted("the start of LanguageTool was abandoned")

    def abort(self) -> None:
        """Stop a start in progress (from another thread) and kill its Java process, if any."""
        self._aborted.set()
        server = self._server
        if server is not None and server.poll() is None:
            server.kill()

    def shut_down(self) -> None:
        """Close the client and, for a local LanguageTool, stop its Java process."""
        try:
            self.close()
        finally:
            if self._server is not None and self._server.poll() is None:
                self._terminate_server()
