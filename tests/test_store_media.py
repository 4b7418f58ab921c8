"""Images attached to drafts (`desktop.store.media`), on the real profile database."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.errors import GreenlightError, NotFoundError
from desktop.store.media import DraftMedia
from tests.fixtures.publish_env import PNG

GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"


def test_images_keep_their_order_path_and_alt_text(store, tmp_path: Path) -> None:
    draft = store.create("Photos from the fair", platforms=["mastodon"])
    (tmp_path / "first.png").write_bytes(PNG)
    (tmp_path / "second.png").write_bytes(PNG)
    media = DraftMedia(store.db)

    first = media.add(draft.id, tmp_path / "first.png", alt="  Crowd at the gate ")
    second = media.add(draft.id[:8], str(tmp_path / "second.png"))  # an id prefix works, like elsewhere

    items = media.list(draft.id)
    assert [m.id for m in items] == [first.id, second.id]
    assert [m.position for m in items] == [1, 2]
    assert items[0].alt == "Crowd at the gate" and items[1].alt == ""
    assert items[1].path == str((tmp_path / "second.png").resolve())
    assert items[1].as_json()["name"] == "second.png"

    assert media.set_alt(second.id, "The prize pumpkin").alt == "The prize pumpkin"
    assert [m.alt for m in media.list(draft.id)] == ["Crowd at the gate", "The prize pumpkin"]
    media.remove(first.id)
    assert [m.id for m in media.list(draft.id)] == [second.id]
    assert (tmp_path / "first.png").read_bytes() == PNG, "removing detaches; the file is left alone"


def test_the_path_is_kept_not_the_image(store, tmp_path: Path) -> None:
    draft = store.create("One picture")
    (tmp_path / "pic.png").write_bytes(PNG)
    DraftMedia(store.db).add(draft.id, tmp_path / "pic.png", alt="A red square")
    [row] = store.db.execute("SELECT * FROM draft_media").fetchall()
    assert not any(isinstance(value, bytes) for value in row)


def test_type_is_judged_by_content_not_name(store, tmp_path: Path) -> None:
    draft = store.create("Odd names")
    (tmp_path / "animation.txt").write_bytes(GIF)
    (tmp_path / "notes.png").write_text("not an image at all", encoding="utf-8")
    media = DraftMedia(store.db)

    assert media.add(draft.id, tmp_path / "animation.txt").name == "animation.txt"
    with pytest.raises(GreenlightError, match=r"notes\.png: not a PNG, JPEG, GIF or WebP image"):
        media.add(draft.id, tmp_path / "notes.png")
    assert len(media.list(draft.id)) == 1


def test_bad_files_are_named_and_nothing_is_stored(store, tmp_path: Path) -> None:
    draft = store.create("Nothing attached")
    media = DraftMedia(store.db)
    with pytest.raises(GreenlightError, match=r"missing\.png: no such file"):
        media.add(draft.id, tmp_path / "missing.png")
    with pytest.raises(GreenlightError, match="is a directory"):
        media.add(draft.id, tmp_path)
    (tmp_path / "empty.png").write_bytes(b"")
    with pytest.raises(GreenlightError, match=r"empty\.png: not a PNG"):
        media.add(draft.id, tmp_path / "empty.png")
    assert media.list(draft.id) == []


def test_unknown_ids_and_trashed_drafts_are_refused(store, tmp_path: Path) -> None:
    (tmp_path / "pic.png").write_bytes(PNG)
    media = DraftMedia(store.db)
    with pytest.raises(NotFoundError, match="no draft with id"):
        media.add("nope-nope", tmp_path / "pic.png")
    with pytest.raises(NotFoundError, match="no image with media id 99"):
        media.set_alt(99, "text")
    with pytest.raises(NotFoundError, match="no image with media id 99"):
        media.remove(99)
    draft = store.create("Binned")
    store.trash(draft.id)
    with pytest.raises(GreenlightError, match="in the trash"):
        media.add(draft.id, tmp_path / "pic.png")


def test_emptying_the_trash_removes_the_drafts_images_too(store, tmp_path: Path) -> None:
    (tmp_path / "pic.png").write_bytes(PNG)
    media = DraftMedia(store.db)
    kept = store.create("Kept")
    gone = store.create("Gone")
    media.add(kept.id, tmp_path / "pic.png", alt="kept image")
    media.add(gone.id, tmp_path / "pic.png", alt="gone image")
    store.trash(gone.id)
    assert len(media.list(gone.id)) == 1, "the trash is undoable: images stay until it is emptied"

    assert store.empty_trash() == 1

    assert media.list(gone.id) == []
    assert [m.alt for m in media.list(kept.id)] == ["kept image"]
    assert store.db.execute("SELECT count(*) FROM draft_media").fetchone()[0] == 1
    assert (tmp_path / "pic.png").exists()
