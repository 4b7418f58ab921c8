"""Finding what is new in the team folder without reading 100,000 files every time.

Event files are immutable, so a file once imported never needs reading again, and a folder whose
modification time has not moved has gained and lost no files. The scanner keeps, in the local
SQLite database, each events folder's mtime and every file name it has dealt with. A no-change
sync is then one `stat` per user folder. When a folder did change, only its new names (and the
ones not settled yet, such as a partial file still being downloaded) are stat'ed and handed back.

Timestamps lie in two ways, and both are handled: a change within the file system's timestamp
granularity of our last listing ("racy" mtime, as git calls it) makes the folder be listed again
until its mtime is safely in the past; and a `full` scan (the watcher runs one now and then, and
`greenlight sync --full`) re-checks every file regardless of any cached timestamp.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from desktop import __version__
from desktop.sync.layout import MAX_EVENT_BYTES, FileName, TeamFolder, classify
from desktop.trust.events import FORMAT_VERSION

# A folder mtime closer than this to the moment we listed it may hide a same-tick change.
RACY_NS = 2_000_000_000

# Statuses after which a file needs no second look, unless a full scan finds it changed.
SETTLED = {"imported", "held", "ignored", "own"}


@dataclass(frozen=True)
class Candidate:
    """A file to read: new, changed, or not settled at the last look."""

    folder: str  # user folder name (the author's fingerprint with dashes)
    name: str
    path: Path
    size: int
    mtime_ns: int
    kind: FileName
    was: str | None = None  # the status recorded at the last look, if any

    @property
    def key(self) -> tuple[str, str]:
        return (self.folder, self.name)


@dataclass
class FolderScan:
    """One user folder's result: what to read, which known names vanished, and how to commit."""

    folder: str
    rel: str  # path relative to the team root, the cache key
    path: Path
    mtime_ns: int
    stable: bool
    candidates: list[Candidate]
    vanished: list[str]  # names recorded before and gone now (deleted by someone)
    listed: bool  # False when the cache said nothing changed


class Scanner:
    """The folder listing cache over the `sync_dirs` and `sync_files` tables."""

    def __init__(self, db: sqlite_utils.Database, team: TeamFolder) -> None:
        self.db = db
        self.team = team
        self._check_root()

    def _check_root(self) -> None:
        """A cache is only valid for the folder it was made from: another folder starts afresh."""
        root = str(self.team.root)
        row = self.db.execute("SELECT value FROM sync_settings WHERE key = 'scanned_root'").fetchone()
        if row is None or row[0] != root:
            with self.db.conn:
                self.db.execute("DELETE FROM sync_dirs")
                self.db.execute("DELETE FROM sync_files")
                self.db.execute(
                    "INSERT OR REPLACE INTO sync_settings (key, value) VALUES ('scanned_root', ?)", [root]
                )
        # Files quarantined as "from a newer Greenlight" (or judged by an older one) deserve a second
        # look after an upgrade, even though their bytes did not change.
        reader = f"{__version__}/{FORMAT_VERSION}"
        row = self.db.execute("SELECT value FROM sync_settings WHERE key = 'scanned_with'").fetchone()
        if row is None or row[0] != reader:
            with self.db.conn:
                self.db.execute("DELETE FROM sync_files WHERE status IN ('quarantined', 'ignored')")
                self.db.execute("DELETE FROM sync_dirs")
                self.db.execute(
                    "INSERT OR REPLACE INTO sync_settings (key, value) VALUES ('scanned_with', ?)", [reader]
                )

    def scan(self, *, full: bool = False) -> Iterator[FolderScan]:
        """Yield one FolderScan per user folder that changed (every user folder when `full`)."""
        for folder, events_dir in self.team.user_folders():
            result = self._scan_folder(folder, events_dir, full=full)
            if result is not None:
                yield result

    def _scan_folder(self, folder: str, events_dir: Path, *, full: bool) -> FolderScan | None:
        rel = f"users/{folder}/events"
        try:
            st = os.lstat(events_dir)
        except OSError:
            return None
        now_ns = time.time_ns()
        stable = now_ns - st.st_mtime_ns > RACY_NS
        row = self.db.execute("SELECT mtime_ns, stable FROM sync_dirs WHERE path = ?", [rel]).fetchone()
        if not full and row is not None and row[0] == st.st_mtime_ns and row[1]:
            return self._recheck_unsettled(folder, rel, events_dir, st.st_mtime_ns)
        known = {
            name: (size, mtime_ns, status)
            for name, size, mtime_ns, status in self.db.execute(
                "SELECT name, size, mtime_ns, status FROM sync_files WHERE folder = ?", [folder]
            )
        }
        candidates: list[Candidate] = []
        present: set[str] = set()
        try:
            entries = list(os.scandir(events_dir))
        except OSError:
            return None
        for entry in entries:
            present.add(entry.name)
            prev = known.get(entry.name)
            if prev is not None and prev[2] in SETTLED and not full:
                continue
            try:
                est = entry.stat(follow_symlinks=False)
            except OSError:
                continue  # vanished between listing and stat: the next scan sees the truth
            unchanged = prev is not None and prev[0] == est.st_size and prev[1] == est.st_mtime_ns
            if unchanged and (prev[2] in SETTLED or prev[2] == "quarantined"):
                continue  # same bytes as when we judged it
            candidates.append(
                Candidate(
                    folder,
                    entry.name,
                    Path(entry.path),
                    est.st_size,
                    est.st_mtime_ns,
                    classify(entry.name),
                    prev[2] if prev is not None else None,
                )
            )
        vanished = [name for name in known if name not in present]
        return FolderScan(folder, rel, events_dir, st.st_mtime_ns, stable, candidates, vanished, True)

    def _recheck_unsettled(self, folder: str, rel: str, events_dir: Path, mtime_ns: int) -> FolderScan | None:
        """The folder is unchanged, but a quarantined file may have been completed in place (a cloud
        client finishing a download rewrites the file without touching the folder): stat just those."""
        candidates = []
        for name, size, old_mtime in self.db.execute(
            "SELECT name, size, mtime_ns FROM sync_files WHERE folder = ? AND status = 'quarantined'",
            [folder],
        ).fetchall():
            path = events_dir / name
            try:
                est = os.lstat(path)
            except OSError:
                continue
            if (est.st_size, est.st_mtime_ns) != (size, old_mtime):
                candidates.append(
                    Candidate(folder, name, path, est.st_size, est.st_mtime_ns, classify(name), "quarantined")
                )
        if not candidates:
            return None
        return FolderScan(folder, rel, events_dir, mtime_ns, True, candidates, [], False)

    def record(
        self,
        candidate: Candidate,
        status: str,
        *,
        event_id: str | None = None,
        reason: str | None = None,
    ) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO sync_files (folder, name, size, mtime_ns, status, event_id, reason) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [candidate.folder, candidate.name, candidate.size, candidate.mtime_ns, status, event_id, reason],
        )

    def record_own(self, folder: str, name: str, path: Path, event_id: str) -> None:
        """A file we just wrote ourselves: settled without reading it back."""
        try:
            st = os.lstat(path)
        except OSError:
            return
        self.db.execute(
            "INSERT OR REPLACE INTO sync_files (folder, name, size, mtime_ns, status, event_id, reason) "
            "VALUES (?, ?, ?, ?, 'own', ?, NULL)",
            [folder, name, st.st_size, st.st_mtime_ns, event_id],
        )

    def forget(self, folder: str, names: list[str]) -> None:
        self.db.conn.executemany(
            "DELETE FROM sync_files WHERE folder = ? AND name = ?", [(folder, n) for n in names]
        )

    def commit(self, scan: FolderScan) -> None:
        """Remember the folder's mtime as of before it was listed, so a change during the sync is seen."""
        self.db.execute(
            "INSERT OR REPLACE INTO sync_dirs (path, mtime_ns, stable) VALUES (?, ?, ?)",
            [scan.rel, scan.mtime_ns, int(scan.stable)],
        )

    def invalidate(self, folder: str) -> None:
        self.db.execute("DELETE FROM sync_dirs WHERE path = ?", [f"users/{folder}/events"])

    def known_names(self, folder: str) -> dict[str, str | None]:
        """name -> event id of every file recorded in a user folder."""
        return dict(
            self.db.execute("SELECT name, event_id FROM sync_files WHERE folder = ?", [folder]).fetchall()
        )

    def problems(self) -> list[dict]:
        rows = self.db.execute(
            "SELECT folder, name, status, reason FROM sync_files WHERE status IN ('quarantined', 'ignored') "
            "AND reason IS NOT NULL ORDER BY folder, name"
        ).fetchall()
        return [{"folder": f, "name": n, "status": s, "reason": r} for f, n, s, r in rows]


class UnreadableFile(Exception):
    """Why a file in the team folder could not be read as bytes; the reason is shown to the user."""


def read_untrusted(path: Path, *, max_bytes: int = MAX_EVENT_BYTES) -> bytes:
    """Read a regular file without following symlinks or blocking on FIFOs and devices."""
    flags = (
        os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    )
    try:
        st = os.lstat(path)
    except OSError as exc:
        raise UnreadableFile(f"cannot read it ({exc.strerror})") from None
    if stat.S_ISLNK(st.st_mode):
        raise UnreadableFile("is a symbolic link; links are never followed out of the team folder")
    if not stat.S_ISREG(st.st_mode):
        raise UnreadableFile("is not a regular file")
    if st.st_size > max_bytes:
        raise UnreadableFile(f"is {st.st_size} bytes, larger than any event ({max_bytes} bytes)")
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise UnreadableFile(f"cannot open it ({exc.strerror})") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UnreadableFile("is not a regular file")
        chunks = []
        total = 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > max_bytes:
                raise UnreadableFile(f"grew beyond {max_bytes} bytes while being read")
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise UnreadableFile(f"read failed ({exc.strerror})") from None
    finally:
        os.close(fd)
