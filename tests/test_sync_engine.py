"""Sync between real profiles through a real folder: shared drafts travel, private ones stay home.

Every profile here has its own SQLite file and its own signing key in the real OS keyring
(gnome-keyring on a private D-Bus, the `os_keyring` fixture).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.sync import sharing
from desktop.sync.conflicts import ConflictError, conflicts_for, resolve
from tests.fixtures.sync_team import as_profile, make_team, state_of


@pytest.fixture
def trio(os_keyring, tmp_path: Path):
    return make_team(tmp_path, tmp_path / "Team Folder", [("lead", 4), ("ana", 1), ("bo", 1)])


def _share_new(replica, text: str, title: str = "Post") -> str:
    draft = replica.store.create(text, title=title, platforms=["bluesky"])
    with as_profile(replica.home):
        sharing.share(replica.db, replica.ledger, draft.id)
    return draft.id


def test_a_shared_draft_and_its_edits_reach_the_other_profiles(trio) -> None:
    lead, ana, bo = trio
    draft_id = _share_new(ana, "Launch day is Monday.")
    for r in (ana, lead, bo):
        r.sync()
    assert lead.store.get(draft_id).text == "Launch day is Monday."
    assert bo.store.get(draft_id).shared and bo.store.get(draft_id).platforms == ["bluesky"]
    ana.store.save(draft_id, "Launch day is Tuesday.")
    report = ana.sync()
    assert report.captured == 1 and report.exported == 1
    lead.sync()
    assert lead.store.get(draft_id).text == "Launch day is Tuesday."
    assert [r.text for r in lead.store.history(draft_id)] == [
        "Launch day is Monday.",
        "Launch day is Tuesday.",
    ]


def test_private_drafts_and_the_database_never_reach_the_folder(trio, tmp_path: Path) -> None:
    lead, ana, _bo = trio
    private = ana.store.create("Secret embargoed plan", title="private")
    _share_new(ana, "Public words")
    ana.sync()
    lead.sync()
    folder = tmp_path / "Team Folder"
    everything = b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())
    assert b"Public words" in everything
    assert b"Secret embargoed plan" not in everything
    assert not [p for p in folder.rglob("*") if p.suffix in (".db", ".db-wal", ".sqlite")]
    with pytest.raises(Exception, match="no draft"):
        lead.store.get(private.id)


def test_event_files_are_one_per_event_in_the_authors_own_folder(trio, tmp_path: Path) -> None:
    lead, ana, _bo = trio
    _share_new(ana, "Hello")
    ana.sync()
    lead.sync()
    users = tmp_path / "Team Folder" / "users"
    ana_files = sorted((users / ana.identity.fingerprint.replace(":", "-") / "events").iterdir())
    assert [p.name[:9] for p in ana_files] == ["00000001-"]
    body = json.loads(ana_files[0].read_text())
    assert body["author"] == ana.identity.public_key and body["kind"] == "draft.revised"
    lead_files = list((users / lead.identity.fingerprint.replace(":", "-") / "events").iterdir())
    assert {json.loads(p.read_text())["kind"] for p in lead_files} == {"roster.signed"}


def test_a_second_sync_without_changes_does_nothing(trio) -> None:
    lead, ana, _bo = trio
    _share_new(ana, "Hello")
    ana.sync()
    lead.sync()
    again = lead.sync()
    assert (again.imported, again.exported, again.quarantined, again.captured) == (0, 0, 0, 0)


def test_concurrent_edits_keep_both_versions_and_resolving_closes_the_conflict_everywhere(trio) -> None:
    lead, ana, bo = trio
    draft_id = _share_new(ana, "Version zero")
    for r in (ana, bo, lead):
        r.sync()
    ana.store.save(draft_id, "Ana's version")
    bo.store.save(draft_id, "Bo's version")
    for r in (ana, bo, lead, ana, bo):
        r.sync()
    states = [state_of(r) for r in (ana, bo, lead)]
    assert states[0] == states[1] == states[2]
    versions = conflicts_for(lead.db, draft_id)
    assert {v["text"] for v in versions} == {"Ana's version", "Bo's version"}
    assert sum(v["current"] for v in versions) == 1
    shown = lead.store.get(draft_id).text
    assert shown == next(v["text"] for v in versions if v["current"])

    with as_profile(ana.home), pytest.raises(ConflictError, match="matches no"):
        resolve(ana.db, ana.ledger, draft_id, pick="ffff")
    bo_version = next(v for v in versions if v["text"] == "Bo's version")
    with as_profile(ana.home):
        resolve(ana.db, ana.ledger, draft_id, pick=bo_version["event_id"][:10])
    for r in (ana, bo, lead):
        r.sync()
    for r in (ana, bo, lead):
        assert conflicts_for(r.db, draft_id) == []
        assert r.store.get(draft_id).text == "Bo's version"
    # Nothing was dropped: Ana's version is still in the history on every replica.
    assert any(v.text == "Ana's version" for v in sharing.versions(lead.db, draft_id))


def test_resolving_with_merged_text(trio) -> None:
    lead, ana, bo = trio
    draft_id = _share_new(ana, "Start")
    for r in (ana, bo):
        r.sync()
    ana.store.save(draft_id, "Start, with Ana's idea")
    bo.store.save(draft_id, "Start, with Bo's idea")
    for r in (ana, bo, ana):
        r.sync()
    with as_profile(ana.home):
        resolve(ana.db, ana.ledger, draft_id, text="Start, with both ideas")
    for r in (ana, bo, lead):
        r.sync()
    assert {r.store.get(draft_id).text for r in (ana, bo, lead)} == {"Start, with both ideas"}
    assert all(conflicts_for(r.db, draft_id) == [] for r in (ana, bo, lead))


def test_an_approval_travels_back_to_the_writer(trio) -> None:
    lead, ana, _bo = trio
    draft_id = _share_new(ana, "Please approve me")
    with as_profile(ana.home):
        rev = sharing.share(ana.db, ana.ledger, draft_id) or ana.ledger.get(
            ana.db.execute("SELECT head_event FROM sync_drafts WHERE draft_id = ?", [draft_id]).fetchone()[0]
        )
        sub = ana.ledger.append(
            "approval.submitted",
            {
                "revision": rev.id,
                "content_hash": rev.payload["content_hash"],
                "accounts": [],
                "acknowledgements": [],
            },
            draft_id=draft_id,
        )
    ana.sync()
    lead.sync()
    assert lead.store.get(draft_id).status == "submitted"
    with as_profile(lead.home):
        lead.ledger.append(
            "approval.approved",
            {"submission": sub.id, "content_hash": sub.payload["content_hash"], "accounts": [], "note": "ok"},
            draft_id=draft_id,
        )
    lead.sync()
    ana.sync()
    assert ana.store.get(draft_id).status == "approved"
