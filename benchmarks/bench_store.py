"""Store budgets: with 100,000 drafts, open / first page / full-text search under 50 ms each;
autosave of a 3,000-character draft."""

from __future__ import annotations

import hashlib
import random

from benchmarks.harness import Report
from desktop.paths import database_path
from desktop.store import DraftStore
from desktop.store.database import utcnow
from desktop.store.ids import new_id

WORDS = [
    "launch",
    "spring",
    "sale",
    "volunteers",
    "conference",
    "keynote",
    "recap",
    "community",
    "award",
    "team",
    "product",
    "update",
    "thanks",
    "partners",
    "event",
    "webinar",
    "register",
    "today",
    "new",
    "release",
    "report",
    "climate",
    "city",
    "park",
    "festival",
    "students",
    "research",
    "results",
    "hiring",
    "museum",
    "concert",
    "ticket",
    "giveaway",
    "recipe",
    "travel",
    "guide",
    "weekend",
]


def _fill(store: DraftStore, n: int) -> None:
    rng = random.Random(7)
    drafts, blobs, revisions = [], [], []
    for i in range(n):
        text = " ".join(rng.choice(WORDS) for _ in range(40))
        digest = hashlib.sha256(text.encode()).hexdigest()
        now = utcnow()
        draft_id = new_id()
        drafts.append((draft_id, f"Draft {i}", text, now, now))
        blobs.append((digest, text))
        revisions.append((draft_id, 1, now, digest))
    with store.db.conn:
        store.db.conn.execute("BEGIN")
        store.db.conn.executemany(
            "INSERT INTO drafts (id, title, text, created, updated, revision_count) VALUES (?, ?, ?, ?, ?, 1)",
            drafts,
        )
        store.db.conn.executemany("INSERT OR IGNORE INTO blobs (hash, text) VALUES (?, ?)", blobs)
        store.db.conn.executemany(
            "INSERT INTO revisions (draft_id, number, created, content_hash) VALUES (?, ?, ?, ?)", revisions
        )


def run(report: Report) -> None:
    store = DraftStore.open()
    _fill(store, 100_000)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    path = database_path()

    def open_store() -> None:
        DraftStore.open(path).close()

    report.measure("open a store of 100,000 drafts", open_store, runs=20, budget_ms=50)
    store = DraftStore.open(path)
    report.measure("list first page (200) of 100,000", lambda: store.list(limit=200), budget_ms=50)
    report.measure(
        "full-text search 'keynote' (first page)", lambda: store.list(search="keynote"), budget_ms=50
    )
    report.measure("full-text search rare word '99999'", lambda: store.list(search="99999"), budget_ms=50)
    report.measure(
        "full-text search prefix 'volunt fest'", lambda: store.list(search="volunt fest"), budget_ms=50
    )

    draft = store.create("x" * 3000)
    counter = iter(range(10**9))

    def autosave() -> None:
        store.save(draft.id, ("Our community festival is back! " * 100)[:2990] + f"{next(counter):>10}")

    report.measure("autosave a 3,000-character draft (fsync'd)", autosave, runs=50)
