"""Noticing that the team folder changed, without relying on change notifications.

Network shares and many cloud-synced folders never deliver inotify/ReadDirectoryChanges events
for changes made on other machines, so the core watches by polling: a snapshot of the folder
mtimes that matter (the team root, `users/`, each user's events folder) is cheap to take and
changes whenever an event file is added, renamed or removed. The app layers Qt's file system
watcher on top for instant reaction where notifications work, and keeps this as the fallback;
either way the actual sync is the same `SyncEngine.sync()`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

from desktop.sync.layout import TeamFolder


def snapshot(team: TeamFolder) -> tuple[tuple[str, int], ...]:
    """(path, mtime_ns) of the folders whose change means "there may be new events"."""
    out: list[tuple[str, int]] = []
    for path in (team.root, team.users_dir):
        try:
            out.append((str(path), os.stat(path).st_mtime_ns))
        except OSError:
            out.append((str(path), -1))
    for _folder, events_dir in team.user_folders():
        try:
            out.append((str(events_dir), os.lstat(events_dir).st_mtime_ns))
        except OSError:
            continue
    return tuple(out)


class PollingWatcher:
    """Calls `on_change` when the folder snapshot changes, and on a timer regardless.

    The timer matters because a snapshot can miss changes (coarse timestamps on some shares, an
    in-place rewrite): a periodic sync is the safety net, the snapshot just makes it prompt.
    """

    def __init__(
        self,
        team: TeamFolder,
        on_change: Callable[[str], None],
        *,
        poll_seconds: float = 3.0,
        sync_every_seconds: float = 300.0,
    ) -> None:
        self.team = team
        self.on_change = on_change
        self.poll_seconds = poll_seconds
        self.sync_every_seconds = sync_every_seconds
        self._last = snapshot(team)
        self._since_sync = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def poll(self) -> bool:
        """One check: True (and the new snapshot remembered) when something changed."""
        now = snapshot(self.team)
        changed = now != self._last
        self._last = now
        return changed

    def tick(self, elapsed: float) -> str | None:
        """Advance by `elapsed` seconds; return why a sync is due ("changed", "timer") or None."""
        self._since_sync += elapsed
        if self.poll():
            self._since_sync = 0.0
            return "changed"
        if self._since_sync >= self.sync_every_seconds:
            self._since_sync = 0.0
            return "timer"
        return None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="greenlight-sync-watcher", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self.poll_seconds):
            reason = self.tick(self.poll_seconds)
            if reason is not None:
                try:
                    self.on_change(reason)
                except Exception:  # a failing sync must not kill the watcher; the engine reports it
                    continue
