"""A hostile team folder: whatever a cloud client or a person does to it, no valid event is lost,
no bad file is applied, and the local database stays intact.

Real profiles (real SQLite files, keys in the real OS keyring) and a real folder; the damage is done
to the files exactly as a cloud client or a careless person would.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from desktop.store.database import open_database
from desktop.sync import sharing
from tests.fixtures.sync_team import as_profile, make_team, state_of


@pytest.fixture
def trio(os_keyring, tmp_path: Path):
    return make_team(tmp_path, tmp_path / "Team", [("lead", 4), ("ana", 1), ("bo", 1)])


def _events_dir(replica) -> Path:
    return replica.team.events_dir(replica.identity.fingerprint)


def _ana_writes(ana, texts: list[str]) -> str:
    draft = ana.store.create(texts[0], title="Post")
    with as_profile(ana.home):
        sharing.share(ana.db, ana.ledger, draft.id)
    ana.sync()
    for text in texts[1:]:
        ana.store.save(draft.id, text)
        ana.sync()
    return draft.id


def _integrity(replica) -> None:
    assert replica.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_cloud_conflicted_copies_are_merged_as_duplicates(trio) -> None:
    lead, ana, _bo = trio
    draft_id = _ana_writes(ana, ["one", "two"])
    for f in list(_events_dir(ana).iterdir()):
        stem = f.name[: -len(".json")]
        for suffix in (" (conflicted copy 2026-01-01).json", " (1).json", "-DESKTOP-ABC.json"):
            shutil.copy(f, f.with_name(stem + suffix))
    report = lead.sync()
    assert report.imported == 2 and report.duplicates == 6 and report.quarantined == 0
    assert lead.store.get(draft_id).text == "two"
    assert report.problems == []


def test_a_partial_file_is_quarantined_then_imported_once_the_download_completes(trio) -> None:
    lead, ana, _bo = trio
    draft_id = _ana_writes(ana, ["one", "two", "three"])
    second = sorted(_events_dir(ana).iterdir())[1]
    full = second.read_bytes()
    second.write_bytes(full[: len(full) // 2])  # a cloud client still downloading it
    report = lead.sync()
    assert report.quarantined == 1
    assert "incomplete or damaged JSON" in report.problems[0]["reason"]
    assert report.problems[0]["file"].endswith(second.name)
    assert lead.store.get(draft_id).text == "one"  # three waits for two; nothing half-applied
    assert report.held == 1
    _integrity(lead)

    second.write_bytes(full)  # the download finishes, in place (the folder's mtime does not move)
    report = lead.sync()
    assert report.imported == 1 and report.problems == []
    assert lead.store.get(draft_id).text == "three"
    assert state_of(lead) == state_of(ana) | {"drafts": state_of(lead)["drafts"]}


def test_a_file_from_a_newer_greenlight_is_kept_aside_with_the_reason(trio) -> None:
    lead, ana, _bo = trio
    _ana_writes(ana, ["one"])
    first = next(_events_dir(ana).iterdir())
    body = json.loads(first.read_text())
    body.update(v=2, seq=2, extra_field_from_the_future=True)
    (first.parent / f"00000002-{'e' * 64}.json").write_text(json.dumps(body))
    report = lead.sync()
    assert report.imported == 1 and report.quarantined == 1
    assert "newer Greenlight" in report.problems[0]["reason"]


def test_deleted_files_are_written_back_by_their_author_and_nothing_is_lost(trio) -> None:
    lead, ana, bo = trio
    draft_id = _ana_writes(ana, ["one", "two"])
    lead.sync()
    for f in _events_dir(ana).iterdir():
        f.unlink()  # someone "cleaned up" the shared folder
    report = ana.sync()
    assert report.repaired == 2
    assert bo.sync().imported == 3  # the lead's roster and Ana's two events
    assert bo.store.get(draft_id).text == "two"
    assert lead.store.get(draft_id).text == "two"  # it had imported them before: nothing lost


def test_unknown_files_and_folders_are_ignored_and_listed(trio) -> None:
    lead, ana, _bo = trio
    draft_id = _ana_writes(ana, ["one"])
    ev = _events_dir(ana)
    (ev / "notes.txt").write_text("remember the milk")
    (ev / "desktop.ini").write_text("[.ShellClassInfo]")
    (ev / ".DS_Store").write_bytes(b"\x00\x01")
    (lead.team.users_dir / "not-a-user").mkdir()
    (lead.team.root / "Quarterly plan.docx").write_bytes(b"PK")
    report = lead.sync()
    assert report.imported == 1 and report.ignored == 1 and report.quarantined == 0
    assert lead.store.get(draft_id).text == "one"
    assert (ev / "notes.txt").exists()  # other people's files are never deleted


def test_a_file_claiming_to_be_from_another_user_is_quarantined(trio) -> None:
    lead, ana, bo = trio
    draft_id = _ana_writes(ana, ["one"])
    bo.sync()
    f = next(_events_dir(ana).iterdir())
    shutil.copy(f, _events_dir(bo) / f.name)  # Ana's event dropped into Bo's folder
    report = lead.sync()
    assert report.quarantined == 1 and report.imported == 1
    assert "found in the folder of" in report.problems[0]["reason"]
    assert lead.store.get(draft_id).text == "one"


def test_an_altered_event_is_refused_and_its_author_repairs_the_file(trio) -> None:
    lead, ana, _bo = trio
    draft_id = _ana_writes(ana, ["the real words"])
    f = next(_events_dir(ana).iterdir())
    body = json.loads(f.read_text())
    body["payload"]["text"] = "words someone slipped in"
    f.write_text(json.dumps(body))
    report = lead.sync()
    assert report.quarantined == 1 and "altered or forged" in report.problems[0]["reason"]
    with pytest.raises(Exception, match="no draft"):
        lead.store.get(draft_id)
    assert ana.sync(full=True).repaired == 1  # the author's full check finds her damaged file
    report = lead.sync()
    assert report.imported == 1 and lead.store.get(draft_id).text == "the real words"
    assert report.problems == []


def test_symlinks_and_special_files_are_never_followed(trio, tmp_path: Path) -> None:
    lead, ana, _bo = trio
    _ana_writes(ana, ["one"])
    secret = tmp_path / "secret.txt"
    secret.write_text("PRIVATE KEY MATERIAL")
    ev = _events_dir(ana)
    os.symlink(secret, ev / f"00000005-{'a' * 64}.json")
    os.mkfifo(ev / f"00000006-{'b' * 64}.json")
    outside = tmp_path / "elsewhere" / "events"
    outside.mkdir(parents=True)
    shutil.copy(next(_events_dir(ana).glob("00000001-*.json")), outside)
    os.symlink(tmp_path / "elsewhere", lead.team.users_dir / "9999-9999-9999-9999")
    report = lead.sync()
    assert report.imported == 1 and report.quarantined == 2
    reasons = " ".join(p["reason"] for p in report.problems)
    assert "symbolic link" in reasons and "not a regular file" in reasons
    assert [p["copy"] for p in report.problems] == [None, None]  # nothing was read through them
    assert not (lead.home / "sync-quarantine").exists()


def test_clock_skew_does_not_decide_which_version_wins(trio, monkeypatch: pytest.MonkeyPatch) -> None:
    lead, ana, bo = trio
    draft_id = _ana_writes(ana, ["start"])
    bo.sync()
    import desktop.store.database as database

    monkeypatch.setattr(database, "utcnow", lambda: "2099-12-31T23:59:59.000000Z")
    ana.store.save(draft_id, "Ana, clock far ahead")
    ana.sync()
    monkeypatch.setattr(database, "utcnow", lambda: "1999-01-01T00:00:00.000000Z")
    bo.sync()  # Bo takes Ana's edit (a descendant), then edits on top with a clock far behind
    bo.store.save(draft_id, "Bo, clock far behind, edited after Ana")
    bo.sync()
    monkeypatch.undo()
    for r in (ana, lead):
        r.sync()
    for r in (ana, bo, lead):
        assert r.store.get(draft_id).text == "Bo, clock far behind, edited after Ana"
        assert state_of(r)["drafts"][draft_id]["conflicts"] == []


def test_garbage_never_corrupts_the_database(trio) -> None:
    lead, ana, _bo = trio
    draft_id = _ana_writes(ana, ["one"])
    ev = _events_dir(ana)
    samples = [b"", b"\xff\xfe\x00garbage", b"[]", b"null", b'{"kind": 5}', b"{" * 10000, os.urandom(5000)]
    for i, data in enumerate(samples, start=10):
        (ev / f"{i:08d}-{'c' * 64}.json").write_bytes(data)
    report = lead.sync()
    assert report.imported == 1 and report.quarantined == len(samples)
    _integrity(lead)
    db = open_database(lead.home / "greenlight.db")
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] >= 2
    assert lead.store.get(draft_id).text == "one"
    assert lead.sync().quarantined == 0  # already judged: not re-read until they change


def test_a_flaky_share_gets_clean_retries_and_a_dead_one_loses_nothing(trio) -> None:
    """The flaky share is a stand-in (see tests/test_sync_atomic.py): real files, with chosen writes
    failing half-way as a dropping SMB connection does."""
    from desktop.sync.layout import TEMP_PREFIX
    from tests.test_sync_atomic import FlakyShare

    lead, ana, _bo = trio
    draft = ana.store.create("written on the train", title="Post")
    with as_profile(ana.home):
        sharing.share(ana.db, ana.ledger, draft.id)
        report = ana.engine(ops=FlakyShare(failures=3).ops(), backoff=0.001).sync()
    assert report.ok and report.exported == 1 and report.retries == 3
    assert not [p for p in _events_dir(ana).iterdir() if p.name.startswith(TEMP_PREFIX)]
    assert lead.sync().imported == 1 and lead.store.get(draft.id).text == "written on the train"

    ana.store.save(draft.id, "edited while the share was down")
    with as_profile(ana.home):
        report = ana.engine(ops=FlakyShare(failures=999).ops(), backoff=0.001).sync()
    assert not report.ok and "could not write" in report.errors[0] and report.exported == 0
    assert not [p for p in _events_dir(ana).iterdir() if p.name.startswith(TEMP_PREFIX)]
    assert ana.sync().exported == 1  # the share is back: the event was kept and goes out now
    lead.sync()
    assert lead.store.get(draft.id).text == "edited while the share was down"
