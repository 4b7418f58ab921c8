"""The team folder's names: what is an event file, what is a cloud copy, and which names are refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop.sync.layout import (
    LayoutError,
    NameKind,
    TeamFolder,
    classify,
    event_file_name,
    folder_name,
    safe_relative_name,
)

ID = "ab" * 32


def test_event_file_names_sort_by_sequence_and_round_trip() -> None:
    names = [event_file_name(seq, ID) for seq in (10, 2, 1)]
    assert sorted(names) == [event_file_name(1, ID), event_file_name(2, ID), event_file_name(10, ID)]
    parsed = classify(event_file_name(42, ID))
    assert (parsed.kind, parsed.seq, parsed.event_id) == (NameKind.EVENT, 42, ID)


@pytest.mark.parametrize(
    "name",
    [
        f"00000003-{ID} (conflicted copy 2026-01-01).json",
        f"00000003-{ID} (1).json",
        f"00000003-{ID}-DESKTOP-ABC.json",
        f"00000003-{ID}.json.bak",
        f"00000003-{ID} (Case Conflict).json",
    ],
)
def test_cloud_conflict_copies_are_recognised_as_copies_of_the_event(name: str) -> None:
    parsed = classify(name)
    assert parsed.kind == NameKind.COPY
    assert parsed.seq == 3 and parsed.event_id == ID


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        (".gl-tmp-0a1b2c-00000001-x.json", NameKind.TEMP),
        ("desktop.ini", NameKind.JUNK),
        (".DS_Store", NameKind.JUNK),
        ("~$draft.docx", NameKind.JUNK),
        ("notes.txt", NameKind.UNKNOWN),
        ("00000001-nothex.json", NameKind.UNKNOWN),
        ("roster.json", NameKind.UNKNOWN),
    ],
)
def test_other_names_are_classified_without_reading(name: str, kind: NameKind) -> None:
    assert classify(name).kind == kind


def test_user_folders_are_named_by_fingerprint_without_colons() -> None:
    assert folder_name("abcd:ef01:2345:6789") == "abcd-ef01-2345-6789"
    with pytest.raises(LayoutError):
        folder_name("../../etc")


@pytest.mark.parametrize(
    "name",
    [
        "../evil.yml",
        "/etc/passwd",
        "C:\\Windows\\x",
        "a/../../b",
        "",
        "x\x00y",
        "CON.yml",
        "a\\b",
        "ok/",
        "trail.",
    ],
)
def test_path_tricks_in_published_names_are_refused(name: str) -> None:
    with pytest.raises(LayoutError):
        safe_relative_name(name, allow_subdirs=True)


def test_safe_names_pass_and_subfolders_only_when_allowed() -> None:
    assert str(safe_relative_name("Brand/Terms.yml", allow_subdirs=True)) == "Brand/Terms.yml"
    with pytest.raises(LayoutError):
        safe_relative_name("Brand/Terms.yml")


def test_symlinked_user_folders_are_not_followed(tmp_path: Path) -> None:
    team = TeamFolder(tmp_path / "team")
    (tmp_path / "team").mkdir()
    team.ensure("abcd:ef01:2345:6789")
    outside = tmp_path / "outside" / "events"
    outside.mkdir(parents=True)
    os.symlink(tmp_path / "outside", team.users_dir / "1111-2222-3333-4444")
    (team.users_dir / "not-a-fingerprint").mkdir()
    assert [name for name, _ in team.user_folders()] == ["abcd-ef01-2345-6789"]


def test_a_missing_folder_and_a_newer_layout_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(LayoutError, match="does not exist"):
        TeamFolder(tmp_path / "nope").check_usable()
    root = tmp_path / "team"
    root.mkdir()
    (root / "greenlight-team.json").write_text('{"app": "greenlight", "layout": 99}')
    with pytest.raises(LayoutError, match="newer"):
        TeamFolder(root).ensure("abcd:ef01:2345:6789")
    assert not (root / "users").exists()
