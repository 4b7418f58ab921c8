"""Sync budgets: importing 10,000 events into a fresh profile; a no-change sync of a team folder
holding 100,000 event files (budget: under 1 s).

Signing keys are created in memory here (`Ledger(db, key=...)`), not in the OS keyring: the
benchmark measures the folder and database work, and a machine running `make bench` may have no
keyring unlocked. Everything else is the real code on real files and real SQLite databases.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from benchmarks.harness import Report
from desktop.store import open_database
from desktop.store.database import utcnow
from desktop.store.drafts import content_hash
from desktop.store.ids import new_id
from desktop.sync.engine import SyncEngine, event_bytes
from desktop.sync.layout import TeamFolder, event_file_name
from desktop.trust.events import Event, fingerprint, public_key_text
from desktop.trust.ledger import Ledger
from desktop.trust.roster import Member, pin_root, roster_payload

WORDS = ["launch", "spring", "sale", "volunteers", "keynote", "recap", "community", "award", "team", "update"]


class Profile:
    """A profile with an in-memory key (see the module docstring) and its sync engine."""

    def __init__(self, home: Path, team: TeamFolder, key: Ed25519PrivateKey, root: str) -> None:
        home.mkdir(parents=True, exist_ok=True)
        self.home = home
        self.db = open_database(home / "greenlight.db")
        self.key = key
        self.public_key = public_key_text(key.public_key())
        self.ledger = Ledger(self.db, key=key)
        pin_root(self.db, root)
        self.team = team

    def engine(self) -> SyncEngine:
        return SyncEngine(
            self.db,
            self.ledger,
            self.team,
            public_key=self.public_key,
            quarantine_dir=self.home / "quarantine",
        )

    def close(self) -> None:
        self.db.conn.close()


def _write_history(
    team: TeamFolder, key: Ed25519PrivateKey, events: int, versions_per_draft: int = 10
) -> None:
    """`events` signed draft.revised events by `key` (drafts edited `versions_per_draft` times each),
    written straight into the author's folder. Setup only: the files are exactly what the engine
    exports (same names and bytes), but skipping the per-file fsync makes 100,000 of them take
    seconds instead of many minutes. What is measured is the reading side."""
    author = public_key_text(key.public_key())
    folder = team.ensure(fingerprint(author))
    draft_id, base, prev = None, None, None
    for i in range(events):
        if i % versions_per_draft == 0:
            draft_id, base = new_id(), None
        text = " ".join(WORDS[(i + k) % len(WORDS)] for k in range(30)) + f" #{i}"
        payload = {
            "title": f"Post {i // versions_per_draft}",
            "text": text,
            "platforms": ["bluesky"],
            "accounts": [],
            "content_hash": content_hash(text),
            "base": base,
        }
        event = Event("draft.revised", author, i + 1, prev, utcnow(), payload, draft_id).signed(key)
        (folder / event_file_name(event.seq, event.id)).write_bytes(event_bytes(event))
        base = prev = event.id


def _team(base: Path, writers: int) -> tuple[TeamFolder, Profile, list[Ed25519PrivateKey]]:
    folder = base / "team"
    folder.mkdir(parents=True)
    team = TeamFolder(folder)
    lead_key = Ed25519PrivateKey.generate()
    root = public_key_text(lead_key.public_key())
    lead = Profile(base / "lead", team, lead_key, root)
    ws = [Ed25519PrivateKey.generate() for _ in range(writers)]
    members = [Member("Lead", root, 4)] + [
        Member(f"Writer {i}", public_key_text(w.public_key()), 1) for i, w in enumerate(ws)
    ]
    lead.ledger.append("roster.signed", roster_payload("Bench", 1, members))
    lead.engine().sync()
    return team, lead, ws


def _age_folders(team: TeamFolder) -> None:
    """Make the folders look like they were last written a minute ago, as in a team folder that has
    been sitting there: a folder changed within the last 2 s is always re-listed (see scanner)."""
    past = time.time() - 60
    for d in [team.root, team.users_dir, *(events for _, events in team.user_folders())]:
        os.utime(d, (past, past))


def run(report: Report) -> None:
    base = Path(tempfile.mkdtemp(prefix="greenlight-bench-sync-"))
    try:
        # -- 10,000 events into a fresh profile -------------------------------------------------
        team, lead, (writer,) = _team(base / "ten", 1)
        t0 = time.perf_counter()
        _write_history(team, writer, 10_000)
        report.record(
            "setup: sign and export 10,000 events", (time.perf_counter() - t0) * 1000, note="not budgeted"
        )
        fresh: list[Profile] = []

        def new_profile() -> None:
            fresh.append(
                Profile(
                    base / "ten" / f"fresh{len(fresh)}", team, Ed25519PrivateKey.generate(), lead.public_key
                )
            )

        def import_all() -> None:
            result = fresh[-1].engine().sync()
            assert result.imported == 10_001, result.as_json()

        report.measure(
            "import 10,000 events into a fresh profile", import_all, runs=3, warmup=0, setup=new_profile
        )
        for p in [*fresh, lead]:
            p.close()

        # -- no-change sync over 100,000 files ----------------------------------------------------
        team, lead, writers = _team(base / "hundred", 4)
        t0 = time.perf_counter()
        for w in writers:
            _write_history(team, w, 25_000)
        report.record(
            "setup: sign and export 100,000 events", (time.perf_counter() - t0) * 1000, note="not budgeted"
        )
        files = sum(1 for _ in team.root.glob("users/*/events/*.json"))
        assert files == 100_001, files
        member = Profile(base / "hundred" / "member", team, Ed25519PrivateKey.generate(), lead.public_key)
        t0 = time.perf_counter()
        first = member.engine().sync()
        assert first.imported == 100_001, first.as_json()
        report.record("setup: first sync importing 100,000 events", (time.perf_counter() - t0) * 1000)
        _age_folders(team)
        member.engine().sync()  # records the aged folder times

        def no_change() -> None:
            result = member.engine().sync()
            assert result.imported == 0 and result.exported == 0

        report.measure("no-change sync, folder with 100,000 event files", no_change, runs=20, budget_ms=1000)

        def full_check() -> None:
            member.engine().sync(full=True)

        report.measure("full re-check (--full) of 100,000 event files", full_check, runs=3, warmup=0)
        for p in [member, lead]:
            p.close()
    finally:
        shutil.rmtree(base, ignore_errors=True)
