"""Atomic, retried file writes for folders on slow or flaky storage.

A file under its final name is always complete: bytes go to a temp file in the same folder, are
fsynced, and only then renamed into place (a rename within one folder is atomic on local disks,
SMB and the folders cloud clients watch). Network shares fail in the middle of writes (EIO, ENOSPC,
timeouts, a Windows sharing violation while a cloud client scans the file), so a failed attempt
removes its temp file and tries again with backoff; only when every attempt fails does the caller
get an error, which names the file and the cause. A reader never sees half a file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop.errors import GreenlightError
from desktop.sync.layout import TEMP_PREFIX

# Errors worth another attempt: the storage may recover. Anything else (e.g. EROFS) is final.
RETRYABLE = {
    errno.EIO,
    errno.ENOSPC,
    errno.EAGAIN,
    errno.EBUSY,
    errno.EINTR,
    errno.ETIMEDOUT,
    errno.ESTALE,
    errno.EACCES,  # Windows reports a sharing violation (file open in a scanner) as access denied
    errno.ECONNRESET,
    errno.EDQUOT,
}


class SyncWriteError(GreenlightError):
    """Writing to the shared folder failed after every retry; the message names the file and cause."""


@dataclass
class FileOps:
    """The OS calls an atomic write makes. Tests swap in failing ones to play a flaky share."""

    open: Callable[..., int] = os.open
    write: Callable[[int, bytes], int] = os.write
    fsync: Callable[[int], None] = os.fsync
    close: Callable[[int], None] = os.close
    replace: Callable[[str, str], None] = os.replace
    unlink: Callable[[str], None] = os.unlink


REAL_OPS = FileOps()


@dataclass(frozen=True)
class WriteOutcome:
    written: bool  # False when an identical file was already there
    attempts: int  # 1 when the first attempt succeeded; more means retries happened


def _same_content(path: Path, data: bytes) -> bool:
    try:
        if path.is_symlink() or path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def fsync_dir(folder: Path) -> None:
    """Make the rename itself durable where the platform allows (not on Windows, nor some shares)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_once(path: Path, data: bytes, ops: FileOps) -> None:
    tmp = path.with_name(f"{TEMP_PREFIX}{secrets.token_hex(6)}-{path.name}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    fd = ops.open(str(tmp), flags, 0o644)
    try:
        try:
            view = memoryview(data)
            while view:
                n = ops.write(fd, view)
                if n <= 0:
                    raise OSError(errno.EIO, "short write")
                view = view[n:]
            ops.fsync(fd)
        finally:
            ops.close(fd)
        ops.replace(str(tmp), str(path))
    except BaseException:
        # If even this fails, `remove_stale_temps` removes it later; it never shadows a real file.
        with contextlib.suppress(OSError):
            ops.unlink(str(tmp))
        raise


def write_atomic(
    path: Path,
    data: bytes,
    *,
    overwrite: bool = False,
    attempts: int = 5,
    backoff: float = 0.05,
    ops: FileOps = REAL_OPS,
    sleep: Callable[[float], None] = time.sleep,
    sync_dir: bool = True,
) -> WriteOutcome:
    """Write `data` to `path` atomically, retrying transient failures.

    Without `overwrite`, an existing identical file is left alone (event files are immutable, so
    this makes re-exporting idempotent); an existing different file is replaced only with
    `overwrite` (used to repair one's own file that someone truncated). `sync_dir=False` leaves
    the folder's fsync to the caller, who writes a batch and calls `fsync_dir` once.
    """
    path = Path(path)
    if path.exists() and _same_content(path, data):
        return WriteOutcome(False, 0)
    if path.exists() and not overwrite:
        raise SyncWriteError(f"{path}: a different file already has this name; it was left untouched")
    last: OSError | None = None
    for attempt in range(1, attempts + 1):
        try:
            _write_once(path, data, ops)
            if sync_dir:
                fsync_dir(path.parent)
            return WriteOutcome(True, attempt)
        except OSError as exc:
            last = exc
            if exc.errno not in RETRYABLE or attempt == attempts:
                break
            sleep(backoff * (2 ** (attempt - 1)))
    reason = os.strerror(last.errno) if last and last.errno else str(last)
    raise SyncWriteError(
        f"{path}: could not write to the shared folder after {attempt} attempt(s) ({reason}). "
        "Nothing was lost: the event stays in your local database and the next sync tries again."
    )


def remove_stale_temps(folder: Path, *, older_than: float = 3600.0) -> int:
    """Delete our temp files left by a crash mid-write, once they are old enough to be abandoned."""
    removed = 0
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if not entry.name.startswith(TEMP_PREFIX):
            continue
        try:
            if (
                entry.is_file(follow_symlinks=False)
                and now - entry.stat(follow_symlinks=False).st_mtime > older_than
            ):
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
    return removed
