"""Three replicas (lead, writer, writer) on one shared folder, under random operations and a folder
that duplicates, truncates, delays (reorders) and deletes files: at the end every replica shows the
same drafts, statuses, conflicts and events, and no accepted edit or approval is missing.

Everything is real: three profiles with their own SQLite files, signing keys in the real OS keyring,
a real folder on disk. Hypothesis drives the operations and shrinks any failure to a short story.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    precondition,
    rule,
    run_state_machine_as_test,
)

from desktop.errors import GreenlightError
from desktop.sync import sharing
from desktop.sync.layout import TEMP_PREFIX
from desktop.trust import workflow
from tests.fixtures.sync_team import Replica, as_profile, make_team, state_of

WORDS = ["launch", "Monday", "team", "update", "thanks", "event", "hall", "draft", "news", "today"]
text_st = st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join)


class SharedFolderStory(RuleBasedStateMachine):
    """One run: a team works for a while, the folder misbehaves, then everyone comes back online."""

    def __init__(self) -> None:
        super().__init__()
        self.base = Path(tempfile.mkdtemp(prefix="greenlight-replicas-"))
        self.folder = self.base / "Team"
        self.held_back = self.base / "held-back"  # files a cloud client has not delivered yet
        self.held_back.mkdir()
        self.replicas: list[Replica] = []
        self.offline: set[int] = set()
        self.drafts: list[str] = []
        self.appended: dict[int, set[str]] = {}  # replica -> ids of events it appended (accepted edits etc.)
        self.last_edit: dict[tuple[int, str], str] = {}
        self.delayed: list[tuple[Path, Path]] = []
        self.parked = 0

    @initialize()
    def team(self) -> None:
        self.replicas = make_team(self.base, self.folder, [("lead", 4), ("ana", 1), ("bo", 1)])
        self.appended = {i: set() for i in range(3)}
        self.appended[0] |= {e.id for e in self.replicas[0].ledger.own_events()}

    def teardown(self) -> None:
        try:
            if self.replicas:
                self._settle_and_check()
        finally:
            for r in self.replicas:
                r.db.conn.close()
            shutil.rmtree(self.base, ignore_errors=True)

    # -- the team's work ----------------------------------------------------------------------

    def _event_files(self) -> list[Path]:
        return sorted(
            p for p in self.folder.glob("users/*/events/*.json") if not p.name.startswith(TEMP_PREFIX)
        )

    def _has(self, r: Replica, draft_id: str) -> bool:
        return r.db.execute("SELECT 1 FROM drafts WHERE id = ?", [draft_id]).fetchone() is not None

    @rule(who=st.integers(1, 2), text=text_st)
    def new_shared_draft(self, who: int, text: str) -> None:
        r = self.replicas[who]
        draft = r.store.create(text, title=f"by {r.name}")
        with as_profile(r.home):
            event = sharing.share(r.db, r.ledger, draft.id)
        self.appended[who].add(event.id)
        self.drafts.append(draft.id)
        self.last_edit[(who, draft.id)] = text

    @precondition(lambda self: self.drafts)
    @rule(who=st.integers(0, 2), pick=st.integers(0, 1000), text=text_st)
    def edit(self, who: int, pick: int, text: str) -> None:
        r = self.replicas[who]
        draft_id = self.drafts[pick % len(self.drafts)]
        if self._has(r, draft_id):
            r.store.save(draft_id, text)
            self.last_edit[(who, draft_id)] = text

    @precondition(lambda self: self.drafts)
    @rule(who=st.integers(1, 2), pick=st.integers(0, 1000))
    def submit(self, who: int, pick: int) -> None:
        r = self.replicas[who]
        draft_id = self.drafts[pick % len(self.drafts)]
        if not self._has(r, draft_id):
            return
        before = {e.id for e in r.ledger.own_events()}
        with as_profile(r.home):
            workflow.submit(r.db, draft_id, ledger=r.ledger)
        self.appended[who] |= {e.id for e in r.ledger.own_events()} - before
        self.last_edit[(who, draft_id)] = r.store.get(draft_id).text

    @precondition(lambda self: self.drafts)
    @rule(pick=st.integers(0, 1000), approve=st.booleans())
    def review(self, pick: int, approve: bool) -> None:
        lead = self.replicas[0]
        draft_id = self.drafts[pick % len(self.drafts)]
        if not self._has(lead, draft_id):
            return
        with as_profile(lead.home):
            try:
                if approve:
                    event = workflow.approve(lead.db, draft_id, note="fine", ledger=lead.ledger)
                else:
                    event = workflow.reject(lead.db, draft_id, note="not yet", ledger=lead.ledger)
            except GreenlightError:
                return  # nothing to review, or the lead's copy is behind: refused, nothing recorded
        self.appended[0].add(event.id)

    @rule(who=st.integers(0, 2), full=st.booleans())
    def sync(self, who: int, full: bool) -> None:
        if who in self.offline:
            return
        r = self.replicas[who]
        report = r.sync(full=full)
        assert report.ok, report.errors
        self.appended[who] |= {e.id for e in r.ledger.own_events()}

    @rule(who=st.integers(0, 2))
    def go_offline(self, who: int) -> None:
        self.offline.add(who)

    @rule(who=st.integers(0, 2))
    def come_back(self, who: int) -> None:
        self.offline.discard(who)
        self.sync(who, full=False)

    # -- the folder misbehaving ---------------------------------------------------------------

    @rule(
        pick=st.integers(0, 10_000),
        style=st.sampled_from([" (conflicted copy 2026-01-01)", " (1)", "-DESKTOP-AB"]),
    )
    def cloud_duplicates_a_file(self, pick: int, style: str) -> None:
        files = self._event_files()
        if files:
            f = files[pick % len(files)]
            copy = f.with_name(f.name[: -len(".json")] + style + ".json")
            # A copy of a copy grows the name; past the file system's 255-byte limit no cloud client
            # can create it either (ENAMETOOLONG), so that duplicate simply does not happen.
            if len(copy.name.encode()) <= 255:
                shutil.copy2(f, copy)

    @rule(pick=st.integers(0, 10_000), keep=st.floats(0.0, 0.95), in_place=st.booleans())
    def cloud_truncates_a_file(self, pick: int, keep: float, in_place: bool) -> None:
        files = [f for f in self._event_files() if f.stat().st_size > 0]
        if not files:
            return
        f = files[pick % len(files)]
        data = f.read_bytes()[: int(f.stat().st_size * keep)]
        if in_place:
            f.write_bytes(data)  # a download in progress, written into the file itself
        else:
            tmp = f.with_name(f".partial-{f.name}")
            tmp.write_bytes(data)
            os.replace(tmp, f)

    @rule(pick=st.integers(0, 10_000))
    def cloud_delays_a_file(self, pick: int) -> None:
        files = self._event_files()
        if files:
            f = files[pick % len(files)]
            self.parked += 1
            parked = self.held_back / f"{self.parked}-{f.name}"
            shutil.move(f, parked)
            self.delayed.append((parked, f))

    @precondition(lambda self: self.delayed)
    @rule(pick=st.integers(0, 10_000))
    def cloud_delivers_a_delayed_file(self, pick: int) -> None:
        parked, original = self.delayed.pop(pick % len(self.delayed))
        os.replace(parked, original)

    @rule(pick=st.integers(0, 10_000))
    def someone_deletes_a_file(self, pick: int) -> None:
        files = self._event_files()
        if files:
            files[pick % len(files)].unlink()

    # -- the end of the story -----------------------------------------------------------------

    def _settle_and_check(self) -> None:
        for parked, original in self.delayed:
            os.replace(parked, original)
        self.delayed.clear()
        self.offline.clear()
        for _round in range(3):
            for r in self.replicas:
                report = r.sync(full=True)
                assert report.ok, report.errors
        for i, r in enumerate(self.replicas):
            self.appended[i] |= {e.id for e in r.ledger.own_events()}
        states = [state_of(r) for r in self.replicas]
        assert states[0] == states[1], "lead and ana differ"
        assert states[0] == states[2], "lead and bo differ"
        everything = set(states[0]["events"])
        for i, ids in self.appended.items():
            missing = ids - everything
            assert not missing, f"{self.replicas[i].name}'s events missing: {sorted(missing)[:3]}"
        # Every replica's last word on each draft survives as a version somewhere in its history.
        for (who, draft_id), text in self.last_edit.items():
            texts = {v.text for v in sharing.versions(self.replicas[0].db, draft_id)}
            assert text in texts, f"{self.replicas[who].name}'s edit of {draft_id} was lost"
        for r in self.replicas:
            assert r.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert not list(self.folder.rglob("*.db"))


def test_three_replicas_converge_whatever_the_folder_does(os_keyring) -> None:
    run_state_machine_as_test(
        SharedFolderStory,
        settings=settings(
            max_examples=int(os.environ.get("GREENLIGHT_REPLICA_EXAMPLES", "25")),
            stateful_step_count=80,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )


@pytest.mark.parametrize("seed", [1])
def test_a_story_with_heavy_damage_still_converges(os_keyring, seed: int) -> None:
    """A fixed, long story (not shrunk): every kind of damage many times over."""
    import random

    rnd = random.Random(seed)
    story = SharedFolderStory()
    story.team()
    try:
        for step in range(400):
            op = rnd.choice(
                [
                    "new",
                    "edit",
                    "edit",
                    "submit",
                    "review",
                    "sync",
                    "sync",
                    "sync",
                    "dup",
                    "trunc",
                    "delay",
                    "deliver",
                ]
                + ["delete", "offline", "back"]
            )
            who = rnd.randrange(3)
            if op == "new":
                story.new_shared_draft(rnd.randint(1, 2), f"draft {step}")
            elif op == "edit" and story.drafts:
                story.edit(who, rnd.randrange(1000), f"edit {step} by {who}")
            elif op == "submit" and story.drafts:
                story.submit(rnd.randint(1, 2), rnd.randrange(1000))
            elif op == "review" and story.drafts:
                story.review(rnd.randrange(1000), rnd.random() < 0.7)
            elif op == "sync":
                story.sync(who, rnd.random() < 0.2)
            elif op == "dup":
                story.cloud_duplicates_a_file(rnd.randrange(10_000), " (1)")
            elif op == "trunc":
                story.cloud_truncates_a_file(rnd.randrange(10_000), rnd.random() * 0.9, rnd.random() < 0.5)
            elif op == "delay":
                story.cloud_delays_a_file(rnd.randrange(10_000))
            elif op == "deliver" and story.delayed:
                story.cloud_delivers_a_delayed_file(rnd.randrange(10_000))
            elif op == "delete":
                story.someone_deletes_a_file(rnd.randrange(10_000))
            elif op == "offline":
                story.go_offline(who)
            elif op == "back":
                story.come_back(who)
    finally:
        story.teardown()  # brings everyone online, syncs, and asserts convergence (_settle_and_check)
