"""Writes to a slow or flaky shared folder: complete files under final names, clean retries.

The flaky share is a stand-in: `FileOps` wraps the real OS calls on a real temp folder and makes
chosen calls fail half-way (after writing part of the bytes), as an SMB or cloud-synced folder does
when the connection drops. Everything else (files, fsync, rename) is the real file system.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from desktop.sync.atomic import FileOps, SyncWriteError, remove_stale_temps, write_atomic
from desktop.sync.layout import TEMP_PREFIX


class FlakyShare:
    """Stand-in for a flaky network share: the first `failures` writes die after half the bytes."""

    def __init__(self, failures: int, err: int = errno.EIO, where: str = "write") -> None:
        self.failures = failures
        self.err = err
        self.where = where
        self.calls = 0
        self.partial_seen: list[bytes] = []

    def ops(self) -> FileOps:
        def write(fd: int, data) -> int:
            if self.where == "write" and self.failures > 0:
                self.failures -= 1
                half = bytes(data[: max(1, len(data) // 2)])
                os.write(fd, half)
                self.partial_seen.append(half)
                raise OSError(self.err, os.strerror(self.err))
            return os.write(fd, data)

        def replace(src: str, dst: str) -> None:
            if self.where == "replace" and self.failures > 0:
                self.failures -= 1
                raise OSError(self.err, os.strerror(self.err))
            os.replace(src, dst)

        return FileOps(write=write, replace=replace)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX))


def test_writes_that_fail_half_way_are_retried_and_leave_one_complete_file(tmp_path: Path) -> None:
    share = FlakyShare(failures=2)
    data = b'{"event": "' + b"x" * 10_000 + b'"}\n'
    sleeps: list[float] = []
    outcome = write_atomic(tmp_path / "e.json", data, ops=share.ops(), sleep=sleeps.append)
    assert outcome.written and outcome.attempts == 3
    assert (tmp_path / "e.json").read_bytes() == data
    assert _leftovers(tmp_path) == []  # the half-written temp files were removed
    assert sleeps == [0.05, 0.1]  # backoff between attempts
    assert share.partial_seen and all(len(p) < len(data) for p in share.partial_seen)


def test_a_failed_rename_is_retried_too(tmp_path: Path) -> None:
    share = FlakyShare(failures=1, err=errno.EACCES, where="replace")
    outcome = write_atomic(tmp_path / "e.json", b"{}", ops=share.ops(), sleep=lambda s: None)
    assert outcome.attempts == 2 and (tmp_path / "e.json").read_bytes() == b"{}"
    assert _leftovers(tmp_path) == []


def test_when_every_attempt_fails_the_error_names_the_file_and_nothing_partial_remains(
    tmp_path: Path,
) -> None:
    share = FlakyShare(failures=99)
    folder = tmp_path / "share"
    folder.mkdir()
    with pytest.raises(SyncWriteError, match=r"e\.json.*5 attempt\(s\).*Input/output error"):
        write_atomic(folder / "e.json", b"x" * 100, ops=share.ops(), sleep=lambda s: None)
    assert list(folder.iterdir()) == []


def test_a_permanent_error_is_not_retried(tmp_path: Path) -> None:
    share = FlakyShare(failures=99, err=errno.EROFS)
    with pytest.raises(SyncWriteError, match="1 attempt"):
        write_atomic(tmp_path / "e.json", b"x", ops=share.ops(), sleep=lambda s: None)


def test_rewriting_identical_content_is_a_no_op_and_a_different_file_is_never_clobbered(
    tmp_path: Path,
) -> None:
    target = tmp_path / "e.json"
    assert write_atomic(target, b"abc").written
    before = target.stat().st_mtime_ns
    assert not write_atomic(target, b"abc").written
    assert target.stat().st_mtime_ns == before
    with pytest.raises(SyncWriteError, match="different file"):
        write_atomic(target, b"abd")
    assert target.read_bytes() == b"abc"
    assert write_atomic(target, b"abd", overwrite=True).written
    assert target.read_bytes() == b"abd"


def test_stale_temp_files_from_a_crash_are_cleaned_up_but_fresh_ones_are_left(tmp_path: Path) -> None:
    old = tmp_path / f"{TEMP_PREFIX}aaaa-00000001-x.json"
    new = tmp_path / f"{TEMP_PREFIX}bbbb-00000002-x.json"
    old.write_bytes(b"{")
    new.write_bytes(b"{")
    os.utime(old, (1_000_000, 1_000_000))
    assert remove_stale_temps(tmp_path) == 1
    assert not old.exists() and new.exists()
