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
from desktop.store.drafts import content_hash
from desktop.store.ids import new_id
from desktop.sync.engine import SyncEngine
from desktop.sync.layout import TeamFolder
from desktop.trust.events import public_key_text
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


def _write_history(writer: Profile, events: int, versions_per_draft: int = 10) -> None:
    """`events` draft.revised events: drafts edited `versions_per_draft` times each, then exported."""
    draft_id, base = None, None
    db = writer.db
    db.execute("BEGIN IMMEDIATE")
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
        base = writer.ledger.append("draft.revised", payload, draft_id=draft_id).id
        if (i + 1) % 2000 == 0:
            db.execute("COMMIT")
            db.execute("BEGIN IMMEDIATE")
    db.execute("COMMIT")
    writer.engine().sync()


def _team(base: Path, writers: int) -> tuple[TeamFolder, Profile, list[Profile]]:
    folder = base / "team"
    folder.mkdir(parents=True)
    team = TeamFolder(folder)
    lead_key = Ed25519PrivateKey.generate()
    root = public_key_text(lead_key.public_key())
    lead = Profile(base / "lead", team, lead_key, root)
    ws = [Profile(base / f"writer{i}", team, Ed25519PrivateKey.generate(), root) for i in range(writers)]
    members = [Member("Lead", root, 4)] + [Member(f"Writer {i}", w.public_key, 1) for i, w in enumerate(ws)]
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
        _write_history(writer, 10_000)
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
        for p in [*fresh, lead, writer]:
            p.close()

        # -- no-change sync over 100,000 files ----------------------------------------------------
        team, lead, writers = _team(base / "hundred", 4)
        t0 = time.perf_counter()
        for w in writers:
            _write_history(w, 25_000)
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
        for p in [member, lead, *writers]:
            p.close()
    finally:
        shutil.rmtree(base, ignore_errors=True)
