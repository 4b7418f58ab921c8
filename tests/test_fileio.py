"""Settings, exports and caches are replaced whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.fileio import replace_file


def test_replace_file_writes_exact_bytes_and_leaves_no_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "settings.json"
    replace_file(target, "line\r\nnext 🎉")
    replace_file(target, "second\r\n")
    assert target.read_bytes() == b"second\r\n"  # no newline translation, the old content is gone
    assert sorted(p.name for p in target.parent.iterdir()) == ["settings.json"]


def test_a_failed_replace_keeps_the_old_file_and_cleans_up(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "config" / "guidelines.json"
    target.parent.mkdir()
    target.write_text("old")

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("desktop.fileio.os.replace", full_disk)
    with pytest.raises(OSError, match="No space"):
        replace_file(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in target.parent.iterdir()] == ["guidelines.json"]
