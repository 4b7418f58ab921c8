"""The polling watcher notices new event files on folders that send no change notifications."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from desktop.sync.layout import TeamFolder
from desktop.sync.watcher import PollingWatcher


def _bump(path: Path, seconds: int) -> None:
    """Move a folder's mtime: coarse-timestamp shares may report the same second otherwise."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + seconds * 1_000_000_000))


def test_a_new_file_in_a_user_folder_is_noticed_and_nothing_else_fires(tmp_path: Path) -> None:
    team = TeamFolder(tmp_path)
    events = team.ensure("abcd:ef01:2345:6789")
    watcher = PollingWatcher(team, lambda reason: None, sync_every_seconds=300)
    assert watcher.tick(3) is None
    (events / f"00000001-{'a' * 64}.json").write_text("{}")
    _bump(events, 1)
    assert watcher.tick(3) == "changed"
    assert watcher.tick(3) is None


def test_a_new_user_folder_is_noticed(tmp_path: Path) -> None:
    team = TeamFolder(tmp_path)
    team.ensure("abcd:ef01:2345:6789")
    watcher = PollingWatcher(team, lambda reason: None)
    team.ensure("1111:2222:3333:4444")
    _bump(team.users_dir, 1)
    assert watcher.tick(1) == "changed"


def test_the_timer_syncs_even_when_nothing_seems_to_change(tmp_path: Path) -> None:
    team = TeamFolder(tmp_path)
    team.ensure("abcd:ef01:2345:6789")
    watcher = PollingWatcher(team, lambda reason: None, sync_every_seconds=10)
    assert [watcher.tick(4) for _ in range(3)] == [None, None, "timer"]


def test_the_background_thread_calls_back_and_stops(tmp_path: Path) -> None:
    team = TeamFolder(tmp_path)
    events = team.ensure("abcd:ef01:2345:6789")
    fired = threading.Event()
    reasons: list[str] = []

    def on_change(reason: str) -> None:
        reasons.append(reason)
        fired.set()

    watcher = PollingWatcher(team, on_change, poll_seconds=0.05)
    watcher.start()
    try:
        (events / f"00000001-{'a' * 64}.json").write_text("{}")
        _bump(events, 1)
        assert fired.wait(10)
    finally:
        watcher.stop()
    assert reasons[0] == "changed"
