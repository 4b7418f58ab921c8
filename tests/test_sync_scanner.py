"""The folder listing cache: a no-change sync reads nothing; new, changed and vanished files are found."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop.store import open_database
from desktop.sync.layout import TeamFolder, event_file_name
from desktop.sync.scanner import Scanner, UnreadableFile, read_untrusted

FP = "abcd:ef01:2345:6789"
FOLDER = "abcd-ef01-2345-6789"


def _age(path: Path) -> None:
    """Make a folder look as if it was last changed a minute ago (past the racy-timestamp window)."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - 60_000_000_000))


@pytest.fixture
def setup(tmp_path: Path, greenlight_home: Path):
    root = tmp_path / "team"
    root.mkdir()
    team = TeamFolder(root)
    events = team.ensure(FP)
    db = open_database(greenlight_home / "greenlight.db")
    return team, events, db


def _settle(scanner: Scanner, full: bool = False) -> list:
    found = []
    for scan in scanner.scan(full=full):
        for c in scan.candidates:
            found.append(c.name)
            scanner.record(c, "imported", event_id="x")
        scanner.forget(scan.folder, scan.vanished)
        scanner.commit(scan)
    return found


def test_unchanged_folders_are_not_listed_again(setup) -> None:
    team, events, db = setup
    for seq in range(1, 4):
        (events / event_file_name(seq, f"{seq:064x}")).write_text("{}")
    _age(events)
    scanner = Scanner(db, team)
    assert len(_settle(scanner)) == 3
    assert list(scanner.scan()) == []  # nothing changed: not even a listing


def test_a_new_file_is_the_only_candidate_and_a_deleted_one_is_reported(setup) -> None:
    team, events, db = setup
    for seq in range(1, 4):
        (events / event_file_name(seq, f"{seq:064x}")).write_text("{}")
    _age(events)
    scanner = Scanner(db, team)
    _settle(scanner)
    (events / event_file_name(4, f"{4:064x}")).write_text("{}")
    (events / event_file_name(1, f"{1:064x}")).unlink()
    [scan] = list(scanner.scan())
    assert [c.name for c in scan.candidates] == [event_file_name(4, f"{4:064x}")]
    assert scan.vanished == [event_file_name(1, f"{1:064x}")]


def test_a_change_within_the_timestamp_granularity_is_not_missed(setup) -> None:
    team, events, db = setup
    scanner = Scanner(db, team)
    (events / event_file_name(1, f"{1:064x}")).write_text("{}")
    _settle(scanner)
    # The folder's mtime is "now": too close to trust, so the next scan lists it again even though
    # the mtime did not change (a second file could have landed in the same timestamp tick).
    name2 = event_file_name(2, f"{2:064x}")
    mtime = events.stat().st_mtime_ns
    (events / name2).write_text("{}")
    os.utime(events, ns=(mtime, mtime))
    assert _settle(scanner) == [name2]


def test_a_full_scan_finds_a_file_changed_in_place(setup) -> None:
    team, events, db = setup
    f = events / event_file_name(1, f"{1:064x}")
    f.write_text("{}")
    _age(events)
    scanner = Scanner(db, team)
    _settle(scanner)
    mtime = events.stat().st_mtime_ns
    f.write_text('{"x": 1}')
    os.utime(events, ns=(mtime, mtime))
    assert _settle(scanner) == []  # a quick scan trusts the folder mtime
    assert _settle(scanner, full=True) == [f.name]


def test_another_folder_starts_a_fresh_cache(setup, tmp_path: Path) -> None:
    team, events, db = setup
    (events / event_file_name(1, f"{1:064x}")).write_text("{}")
    _age(events)
    _settle(Scanner(db, team))
    other = tmp_path / "other"
    other.mkdir()
    team2 = TeamFolder(other)
    ev2 = team2.ensure(FP)
    (ev2 / event_file_name(1, f"{1:064x}")).write_text("{}")
    assert len(_settle(Scanner(db, team2))) == 1


def test_symlinks_fifos_and_huge_files_are_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("private")
    link = tmp_path / "link.json"
    link.symlink_to(secret)
    with pytest.raises(UnreadableFile, match="symbolic link"):
        read_untrusted(link)
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    with pytest.raises(UnreadableFile, match="not a regular file"):
        read_untrusted(fifo)
    big = tmp_path / "big.json"
    big.write_bytes(b"x" * 2000)
    with pytest.raises(UnreadableFile, match="larger than any event"):
        read_untrusted(big, max_bytes=1000)
