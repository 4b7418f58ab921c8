"""The sync core as the app's sync process hosts it (see `child_process`). No Qt.

Why a process of its own: a sync reads, parses and verifies (Ed25519) every new file of the team
folder, and the first sync of a new member can import thousands. In a thread of the UI process
that Python work would compete with the UI thread for the GIL; here it cannot. The process has its
own connection to the profile database (WAL: the editor's autosaves go on meanwhile), its own
environment (so the profile it syncs is fixed when it starts) and holds the folder watcher's
polling state between calls.

Every method returns plain data (dataclasses, dicts) that pickles back to the UI.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar shows; `configured` is False until a folder and an identity exist."""

    configured: bool
    folder: str = ""
    last_sync: str = ""  # UTC ISO time the last sync finished, "" if never
    pending: int = 0  # own changes not yet written to the folder
    problems: tuple[dict[str, Any], ...] = ()  # open quarantined files: file, reason, last_seen ...
    conflicts: tuple[str, ...] = ()  # ids of drafts with competing versions
    errors: tuple[str, ...] = ()  # what went wrong in the last sync (the folder unreachable ...)
    not_configured: str = ""  # why sync is off, in words
    watch_paths: tuple[str, ...] = ()  # folders whose change means "sync now"


@dataclass(frozen=True)
class SyncOutcome:
    """One sync: the core's report (as JSON), the status after it, and what changed locally."""

    report: dict[str, Any]
    status: SyncStatus
    changed_drafts: tuple[str, ...] = ()  # drafts whose row the sync wrote (imported versions)
    elapsed_ms: float = 0.0
    error: str = ""  # the sync could not run at all (the message says why and what to do)
    extra: dict[str, Any] = field(default_factory=dict)


class SyncHost:
    def __init__(self) -> None:
        from desktop.paths import database_path
        from desktop.store import open_database

        self.db = open_database(database_path())
        self._watcher: Any = None
        self._watched_root: str = ""
        self._last_poll = time.monotonic()

    # -- status ----------------------------------------------------------------------------------

    def status(self) -> SyncStatus:
        from desktop.sync import settings
        from desktop.sync.conflicts import conflicted_drafts
        from desktop.sync.layout import TeamFolder
        from desktop.sync.quarantine import Quarantine
        from desktop.trust.identity import load_identity

        folder = settings.folder(self.db)
        me = load_identity(self.db)
        if folder is None:
            return SyncStatus(False, not_configured="no team folder chosen (Sync ▸ Choose team folder…)")
        if me is None:
            return SyncStatus(
                False,
                folder=str(folder),
                not_configured="this profile has no identity yet: join your team first (greenlight team join)",
            )
        last = settings.last_sync(self.db) or {}
        exported = int(settings.get(self.db, f"exported_seq:{folder}") or 0)
        pending = self.db.execute(
            "SELECT count(*) FROM events WHERE author = ? AND seq > ?", [me.public_key, exported]
        ).fetchone()[0]
        # Shared drafts edited since the last sync travel as new events at the next one.
        pending += self.db.execute(
            "SELECT count(*) FROM drafts d JOIN sync_drafts s ON s.draft_id = d.id "
            "WHERE d.shared = 1 AND d.trashed IS NULL AND s.local_updated != d.updated"
        ).fetchone()[0]
        team = TeamFolder(folder)
        watch = [str(team.root), str(team.users_dir)] + [str(p) for _f, p in _user_folders(team)]
        return SyncStatus(
            True,
            folder=str(folder),
            last_sync=str(last.get("finished") or ""),
            pending=int(pending),
            problems=tuple(q.as_json() for q in Quarantine(self.db, Path()).list()),
            conflicts=tuple(conflicted_drafts(self.db)),
            errors=tuple(last.get("errors") or ()),
            watch_paths=tuple(watch),
        )

    def set_folder(self, path: str) -> SyncStatus:
        """Remember the team folder (as `greenlight sync --folder DIR` does), after checking it."""
        from desktop.sync import settings
        from desktop.sync.layout import TeamFolder

        team = TeamFolder(Path(path))
        team.check_usable()
        settings.remember_folder(self.db, team.root)
        self._watcher = None
        return self.status()

    # -- syncing ---------------------------------------------------------------------------------

    def sync(self, full: bool = False) -> SyncOutcome:
        """One sync with the remembered folder; never raises (the outcome says what went wrong)."""
        from desktop.errors import GreenlightError
        from desktop.sync.engine import open_engine

        t0 = time.perf_counter()
        before = self._draft_stamps()
        try:
            engine = open_engine(self.db)
            report = engine.sync(full=full).as_json()
            error = ""
        except GreenlightError as exc:
            report, error = {}, str(exc)
        except OSError as exc:
            report, error = {}, f"the team folder cannot be read ({exc.strerror or exc}); nothing was lost"
        after = self._draft_stamps()
        changed = tuple(sorted(d for d, stamp in after.items() if before.get(d) != stamp))
        self._poll_baseline()  # our own writes changed the folder: that is not news
        return SyncOutcome(
            report,
            self.status(),
            changed_drafts=changed,
            elapsed_ms=(time.perf_counter() - t0) * 1000,
            error=error,
        )

    def tick(self, elapsed: float) -> str | None:
        """The polling fallback: "changed" when the folder changed since the last look, "timer"
        when the periodic sync is due, else None. Cheap: a few stat calls."""
        watcher = self._polling_watcher()
        return watcher.tick(elapsed) if watcher is not None else None

    def _polling_watcher(self) -> Any:
        from desktop.sync import settings
        from desktop.sync.layout import TeamFolder
        from desktop.sync.watcher import PollingWatcher

        folder = settings.folder(self.db)
        if folder is None:
            return None
        if self._watcher is None or self._watched_root != str(folder):
            self._watcher = PollingWatcher(TeamFolder(folder), lambda _why: None)
            self._watched_root = str(folder)
        return self._watcher

    def _poll_baseline(self) -> None:
        watcher = self._polling_watcher()
        if watcher is not None:
            watcher.poll()

    def _draft_stamps(self) -> dict[str, str]:
        """(draft id -> updated time) of shared drafts: which rows a sync wrote."""
        return {
            r[0]: r[1] for r in self.db.execute("SELECT id, updated FROM drafts WHERE shared = 1").fetchall()
        }

    # -- conflicts -------------------------------------------------------------------------------

    def conflicts(self, draft_id: str) -> list[dict[str, Any]]:
        """The competing versions of a draft (current first), [] when there is no conflict."""
        from desktop.sync.conflicts import conflicts_for

        return conflicts_for(self.db, draft_id)

    def resolve(self, draft_id: str, pick: str | None = None, text: str | None = None) -> SyncOutcome:
        """Settle a conflict (pick a version or give merged text), then sync so it travels."""
        from desktop.sync.conflicts import resolve
        from desktop.trust.ledger import Ledger

        resolve(self.db, Ledger(self.db), draft_id, pick=pick, text=text)
        outcome = self.sync()
        return SyncOutcome(
            outcome.report,
            outcome.status,
            changed_drafts=tuple(sorted({*outcome.changed_drafts, draft_id})),
            elapsed_ms=outcome.elapsed_ms,
            error=outcome.error,
        )

    def close(self) -> None:
        self.db.conn.close()


def _user_folders(team: Any) -> list[tuple[str, Path]]:
    try:
        return list(team.user_folders())
    except OSError:
        return []
