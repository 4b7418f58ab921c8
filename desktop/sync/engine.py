"""One sync: capture shared drafts' edits, export own events, import everyone else's.

The steps, and why in this order:
1. local edits of shared drafts become `draft.revised` events first, so nothing typed can be
   overwritten by a version arriving in step 4;
2. own events not yet in the folder are written (atomically, retried); own files someone deleted
   or damaged are written again, because this profile holds the authoritative copy;
3. other users' folders are scanned (only what changed) and each new file is read untrusted:
   checked, verified by the ledger and imported, or quarantined with the reason;
4. drafts touched by imported versions are brought up to date, conflicts are listed.

A failure in one file never stops the others, and a failure writing the folder leaves the event in
the local database for the next sync: a sync can be interrupted at any point and simply re-run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from desktop.store.database import utcnow, write_transaction
from desktop.sync import sharing
from desktop.sync.atomic import REAL_OPS, FileOps, SyncWriteError, fsync_dir, remove_stale_temps, write_atomic
from desktop.sync.conflicts import conflicted_drafts
from desktop.sync.layout import LayoutError, NameKind, TeamFolder, event_file_name, folder_name
from desktop.sync.quarantine import Quarantine
from desktop.sync.scanner import Candidate, FolderScan, Scanner, UnreadableFile, read_untrusted
from desktop.trust.events import FORMAT_VERSION, Event, EventError, fingerprint


@dataclass(frozen=True)
class _Ref:
    id: str


def event_bytes(event: Event) -> bytes:
    """The one serialisation of an event file: deterministic, so re-exporting is a no-op."""
    return (json.dumps(event.to_json(), sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


@dataclass
class SyncReport:
    folder: str
    started: str
    finished: str = ""
    captured: int = 0  # local edits of shared drafts recorded as events
    exported: int = 0
    repaired: int = 0  # own files someone deleted or damaged, written again
    imported: int = 0
    duplicates: int = 0
    held: int = 0  # valid but waiting (e.g. author not in the roster yet, gap in a chain)
    quarantined: int = 0
    ignored: int = 0
    retries: int = 0
    errors: list[str] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    team_setup: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_json(self) -> dict[str, Any]:
        return {
            "folder": self.folder,
            "started": self.started,
            "finished": self.finished,
            "captured": self.captured,
            "exported": self.exported,
            "repaired": self.repaired,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "held": self.held,
            "quarantined": self.quarantined,
            "ignored": self.ignored,
            "retries": self.retries,
            "errors": self.errors,
            "problems": self.problems,
            "conflicts": self.conflicts,
            "team_setup": self.team_setup,
            "ok": self.ok,
        }


class SyncEngine:
    """Syncs one profile (its database and ledger) with one team folder."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        ledger: Any,
        team: TeamFolder,
        *,
        public_key: str,
        quarantine_dir: Path,
        ops: FileOps = REAL_OPS,
        write_attempts: int = 5,
        backoff: float = 0.05,
    ) -> None:
        self.db = db
        self.ledger = ledger
        self.team = team
        self.public_key = public_key
        self.own_folder = folder_name(fingerprint(public_key))
        self.quarantine = Quarantine(db, quarantine_dir)
        self.ops = ops
        self.write_attempts = write_attempts
        self.backoff = backoff

    # -- the whole sync ------------------------------------------------------------------------

    def sync(self, *, full: bool = False) -> SyncReport:
        report = SyncReport(str(self.team.root), utcnow())
        try:
            events_dir = self.team.ensure(fingerprint(self.public_key))
        except OSError as exc:
            raise SyncWriteError(
                f"{self.team.root}: cannot create your folder in the team folder ({exc.strerror}); "
                "check that the share is reachable and writable. Nothing was lost."
            ) from None
        report.captured = len(sharing.capture_all(self.db, self.ledger))
        scanner = Scanner(self.db, self.team)
        # Drafts with versions of our own since the last sync (edits, shares, submissions, conflict
        # resolutions) are projected like imported ones: another head may be the current version.
        touched = self._export_new(events_dir, scanner, report)
        # The root's folder first: it holds the roster, which says whose events count.
        root = self._root_folder()
        scans = sorted(scanner.scan(full=full), key=lambda s: (s.folder != root, s.folder))
        with sharing.deferred_projection() as imported_drafts:
            for scan in scans:
                if scan.folder == self.own_folder:
                    self._check_own(scan, scanner, report, full=full)
                else:
                    self._import_folder(scan, scanner, report)
        touched |= imported_drafts
        if full:
            remove_stale_temps(events_dir)
        refresh = getattr(self.ledger, "refresh_status", None)
        for draft_id in sorted(touched):
            with write_transaction(self.db.conn):
                sharing.project(self.db, draft_id)
                if refresh is not None:
                    refresh(draft_id)  # approvals may have arrived before the draft itself
        self._install_team_setup(report)
        report.conflicts = conflicted_drafts(self.db)
        report.problems = [q.as_json() for q in self.quarantine.list()]
        report.finished = utcnow()
        self._remember_run(report)
        return report

    def _install_team_setup(self, report: SyncReport) -> None:
        """A lead's newer policy/guidelines publication is installed as soon as it has arrived."""
        from desktop.errors import GreenlightError
        from desktop.sync.team_setup import install_latest

        try:
            installed = install_latest(self.db, self.ledger)
        except GreenlightError as exc:
            report.errors.append(f"the team's published setup was not installed: {exc}")
            return
        if installed is not None:
            report.team_setup = installed.as_json()

    def _root_folder(self) -> str | None:
        from desktop.trust.roster import pinned_root

        root = pinned_root(self.db)
        return folder_name(fingerprint(root)) if root else None

    def _remember_run(self, report: SyncReport) -> None:
        summary = json.dumps(report.as_json(), ensure_ascii=False)
        with self.db.conn:
            self.db.execute(
                "INSERT OR REPLACE INTO sync_settings (key, value) VALUES ('last_sync', ?)", [summary]
            )

    # -- exporting ----------------------------------------------------------------------------

    def _exported_seq(self) -> int:
        row = self.db.execute(
            "SELECT value FROM sync_settings WHERE key = ?", [f"exported_seq:{self.team.root}"]
        ).fetchone()
        return int(row[0]) if row else 0

    def _own_events(self, after_seq: int = 0) -> list[Event]:
        """Own events after `after_seq`, oldest first; read straight from the ledger's table so a
        no-change sync does not parse a long history."""
        from desktop.trust.ledger import event_from_body

        rows = self.db.execute(
            "SELECT body FROM events WHERE author = ? AND seq > ? ORDER BY seq", [self.public_key, after_seq]
        ).fetchall()
        return [event_from_body(b) for (b,) in rows]

    def _write(
        self,
        events_dir: Path,
        event: Event,
        report: SyncReport,
        *,
        overwrite: bool = False,
        sync_dir: bool = True,
    ) -> bool:
        name = event_file_name(event.seq, event.id)
        try:
            outcome = write_atomic(
                events_dir / name,
                event_bytes(event),
                overwrite=overwrite,
                sync_dir=sync_dir,
                attempts=self.write_attempts,
                backoff=self.backoff,
                ops=self.ops,
            )
        except SyncWriteError as exc:
            report.errors.append(str(exc))
            return False
        report.retries += max(0, outcome.attempts - 1)
        return True

    def _export_new(self, events_dir: Path, scanner: Scanner, report: SyncReport) -> set[str]:
        done = self._exported_seq()
        new = self._own_events(done)
        drafts = {e.draft_id for e in new if e.kind == sharing.REVISED and e.draft_id}
        written: list[Event] = []

        def record() -> None:
            # Bookkeeping after the files are durable: a crash in between only means the next sync
            # finds identical files already there (a no-op), never a file recorded but not written.
            if not written:
                return
            fsync_dir(events_dir)
            with write_transaction(self.db.conn):
                for e in written:
                    scanner.record_own(self.own_folder, event_file_name(e.seq, e.id), events_dir, e.id)
                self.db.execute(
                    "INSERT OR REPLACE INTO sync_settings (key, value) VALUES (?, ?)",
                    [f"exported_seq:{self.team.root}", str(written[-1].seq)],
                )
            report.exported += len(written)
            written.clear()

        for event in new:
            if not self._write(events_dir, event, report, sync_dir=False):
                break  # keep order: the next sync resumes from the first unwritten event
            written.append(event)
            if len(written) >= 500:
                record()
        record()
        return drafts

    def _check_own(self, scan: FolderScan, scanner: Scanner, report: SyncReport, *, full: bool) -> None:
        """Our folder changed: put back what someone deleted or damaged; other files are left alone."""
        expected = {
            event_file_name(e.seq, e.id): e for e in self._own_events() if e.seq <= self._exported_seq()
        }
        damaged = []
        with write_transaction(self.db.conn):
            for c in scan.candidates:
                if c.name in expected:
                    try:
                        ok = read_untrusted(c.path) == event_bytes(expected[c.name])
                    except UnreadableFile:
                        ok = False
                    if ok:
                        scanner.record(c, "own", event_id=expected[c.name].id)
                    else:
                        damaged.append(c.name)
                elif c.kind.kind == NameKind.TEMP:
                    continue
                else:
                    # A cloud copy of one of our files, or something else someone put in our folder.
                    self._import_file(c, scanner, report, own=True)
            scanner.forget(scan.folder, scan.vanished)
        missing = [n for n in expected if n in scan.vanished or n in damaged]
        if full:
            present = {p.name for p in scan.path.iterdir()}
            missing += [n for n in expected if n not in present and n not in missing]
        ok = True
        for name in missing:
            event = expected[name]
            if self._write(scan.path, event, report, overwrite=True):
                scanner.record_own(self.own_folder, name, scan.path / name, event.id)
                report.repaired += 1
            else:
                ok = False
        if ok:
            scanner.commit(scan)

    # -- importing ----------------------------------------------------------------------------

    def _import_folder(self, scan: FolderScan, scanner: Scanner, report: SyncReport) -> None:
        # Canonical names first, in sequence order, so an author's chain arrives in order and
        # copies (usually duplicates) are recognised as such.
        ordered = sorted(
            scan.candidates, key=lambda c: (c.kind.kind != NameKind.EVENT, c.kind.seq or 0, c.name)
        )
        # Bounded transactions: a big first import is fast (one commit per batch, not per file) yet
        # does not hold the write lock for minutes; an interrupted sync keeps every finished batch.
        for start in range(0, len(ordered), 500):
            with write_transaction(self.db.conn):
                for c in ordered[start : start + 500]:
                    self._import_file(c, scanner, report)
        with write_transaction(self.db.conn):
            scanner.forget(scan.folder, scan.vanished)
            self.quarantine.vanished(scan.folder, scan.vanished)
            scanner.commit(scan)

    def _import_file(self, c: Candidate, scanner: Scanner, report: SyncReport, *, own: bool = False) -> None:
        """Judge one file: import it through the ledger, or record why not."""
        kind = c.kind.kind
        if kind in (NameKind.TEMP, NameKind.JUNK):
            scanner.record(c, "ignored")
            return None
        if kind == NameKind.UNKNOWN:
            scanner.record(c, "ignored", reason="not a Greenlight event file; left alone")
            report.ignored += 1
            return None
        try:
            data = read_untrusted(c.path)
        except UnreadableFile as exc:
            return self._quarantine(c, scanner, report, f"{exc}", None)
        try:
            raw = json.loads(data.decode("utf-8"))
        except UnicodeDecodeError:
            return self._quarantine(c, scanner, report, "not UTF-8 text: a damaged file", data)
        except json.JSONDecodeError as exc:
            why = "empty" if not data.strip() else f"incomplete or damaged JSON ({exc.msg} at byte {exc.pos})"
            return self._quarantine(
                c,
                scanner,
                report,
                f"{why}: a partial download or a damaged copy; read again if it changes",
                data,
            )
        version = raw.get("v", FORMAT_VERSION) if isinstance(raw, dict) else FORMAT_VERSION
        if isinstance(version, int) and version > FORMAT_VERSION:
            reason = (
                f"written by a newer Greenlight (event format v{version}, this one reads v{FORMAT_VERSION}); "
                "kept aside and read again after you update"
            )
            return self._quarantine(c, scanner, report, reason, data)
        # Whose folder it sits in is checked before anything is imported; the signature itself is
        # verified once, by the ledger (a bad one is quarantined below with the ledger's reason).
        try:
            author = raw.get("author") if isinstance(raw, dict) else None
            author_folder = folder_name(fingerprint(author)) if isinstance(author, str) else None
        except (ValueError, LayoutError):
            author_folder = None
        if author_folder is None:
            return self._quarantine(c, scanner, report, "not a valid event: no readable author key", data)
        if author_folder != c.folder:
            reason = (
                f"signed by {fingerprint(author)} but found in the folder of {c.folder.replace('-', ':')}; "
                "each user's events are only taken from their own folder"
            )
            return self._quarantine(c, scanner, report, reason, data)
        if own:
            try:
                event = Event.from_json(raw)
            except EventError as exc:
                return self._quarantine(c, scanner, report, f"not a valid event: {exc}", data)
            scanner.record(c, "imported", event_id=event.id)
            report.duplicates += 1
            return None
        result = self.ledger.import_event(raw)
        status = getattr(result, "status", "rejected")
        reason = getattr(result, "reason", "") or ""
        event_id = getattr(result, "event_id", None)
        if event_id is None:  # refused before it had an id: malformed, altered or forged
            return self._quarantine(c, scanner, report, f"not a valid event: {reason}", data)
        if status in ("accepted", "duplicate"):
            scanner.record(c, "imported", event_id=event_id)
            if c.was == "quarantined":
                self.quarantine.recovered(c.folder, c.name)
            if status == "accepted":
                report.imported += 1
            else:
                report.duplicates += 1
            return None
        event = _Ref(event_id)
        if self._stored(event.id):
            # Validly signed and chained but void (e.g. a self-approval): the ledger keeps it so the
            # author's chain stays whole and shows why it counts for nothing. The file is done.
            scanner.record(c, "imported", event_id=event.id, reason=reason)
            report.imported += 1
            return None
        if status == "pending" or self._held(event.id):
            # Kept aside by the ledger (a gap in the chain, an author the roster does not list yet)
            # and applied by it as soon as what it waits for arrives: nothing more to do here.
            scanner.record(c, "held", event_id=event.id, reason=reason)
            report.held += 1
            return None
        return self._quarantine(c, scanner, report, f"refused: {reason or 'rejected'}", data)

    def _stored(self, event_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM events WHERE id = ?", [event_id]).fetchone() is not None

    def _held(self, event_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM events_held WHERE id = ?", [event_id]).fetchone() is not None

    def _quarantine(
        self, c: Candidate, scanner: Scanner, report: SyncReport, reason: str, data: bytes | None
    ) -> None:
        self.quarantine.add(c.folder, c.name, reason, data, c.size)
        scanner.record(c, "quarantined", reason=reason)
        report.quarantined += 1
        return None


def open_engine(db: sqlite_utils.Database, folder: Path | None = None, **kwargs: Any) -> SyncEngine:
    """The sync engine of the current profile: its identity, its ledger, its (remembered) folder."""
    from desktop.paths import home
    from desktop.sync import settings
    from desktop.trust.identity import require_identity
    from desktop.trust.ledger import Ledger

    identity = require_identity(db)
    path = settings.require_folder(db, folder)
    team = TeamFolder(path)
    team.check_usable()
    if folder is not None:
        settings.remember_folder(db, team.root)
    return SyncEngine(
        db,
        Ledger(db),
        team,
        public_key=identity.public_key,
        quarantine_dir=home() / "sync-quarantine",
        **kwargs,
    )
