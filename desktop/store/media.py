"""Images attached to a draft, each with its alt text, in the order they will be posted.

Only the file's path is stored, not its bytes: the writer keeps the image where it is, the profile
database stays small, and publishing reads the file as it is then. The file is checked when it is
attached (it exists, and its bytes are a PNG, JPEG, GIF or WebP, the types every platform accepts)
so a wrong file is reported at once, naming it, rather than at publishing time. No Qt.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from desktop.errors import GreenlightError, NotFoundError
from desktop.imagetypes import SNIFF_BYTES, sniff_image_type
from desktop.store.database import utcnow, write_transaction


@dataclass(frozen=True)
class MediaItem:
    """One attached image: where it is and what it shows (its alt text, empty until written)."""

    id: int
    draft_id: str
    position: int
    path: str
    alt: str
    added: str

    @property
    def name(self) -> str:
        return Path(self.path).name

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "draft_id": self.draft_id,
            "position": self.position,
            "path": self.path,
            "name": self.name,
            "alt": self.alt,
            "added": self.added,
        }

    def as_review_input(self) -> dict:
        """The shape `desktop.review.platforms.platform_findings(media=...)` reads."""
        return {"path": self.path, "alt": self.alt}


def check_image_file(path: Path) -> str:
    """The image's MIME type, or a GreenlightError that names the file and says what is wrong."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except FileNotFoundError:
        raise GreenlightError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise GreenlightError(f"{path}: is a directory, expected an image file") from None
    except OSError as exc:
        raise GreenlightError(f"{path}: cannot read the image ({exc.strerror})") from None
    mime = sniff_image_type(head)
    if mime is None:
        raise GreenlightError(
            f"{path}: not a PNG, JPEG, GIF or WebP image (judged by its contents, not its name); "
            "the platforms accept only those"
        )
    return mime


class DraftMedia:
    """The images of drafts, sharing the caller's connection (one per thread, like `DraftStore`)."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def add(self, draft_id: str, path: str | Path, alt: str = "") -> MediaItem:
        """Attach the image at `path` after the draft's other images; the draft id may be a prefix."""
        from desktop.store.drafts import DraftStore

        draft = DraftStore(self.db).get(draft_id)
        if draft.trashed:
            raise GreenlightError(
                f"draft {draft.id} is in the trash: restore it (`greenlight drafts undelete {draft.id}`) "
                "before adding images"
            )
        absolute = Path(path).expanduser().resolve()
        check_image_file(absolute)
        now = utcnow()
        with write_transaction(self.db.conn) as conn:
            (last,) = conn.execute(
                "SELECT COALESCE(MAX(position), 0) FROM draft_media WHERE draft_id = ?", [draft.id]
            ).fetchone()
            cur = conn.execute(
                "INSERT INTO draft_media (draft_id, position, path, alt, added) VALUES (?, ?, ?, ?, ?)",
                [draft.id, last + 1, str(absolute), alt.strip(), now],
            )
        return MediaItem(cur.lastrowid, draft.id, last + 1, str(absolute), alt.strip(), now)

    def get(self, media_id: int) -> MediaItem:
        row = self.db.execute(
            "SELECT id, draft_id, position, path, alt, added FROM draft_media WHERE id = ?", [media_id]
        ).fetchone()
        if row is None:
            raise NotFoundError(
                f"no image with media id {media_id} (see `greenlight drafts media list DRAFT_ID`)"
            )
        return MediaItem(*row)

    def set_alt(self, media_id: int, alt: str) -> MediaItem:
        """Replace an image's alt text (an empty text clears it, and the editor flags it again)."""
        item = self.get(media_id)
        self.db.execute("UPDATE draft_media SET alt = ? WHERE id = ?", [alt.strip(), media_id])
        return MediaItem(item.id, item.draft_id, item.position, item.path, alt.strip(), item.added)

    def remove(self, media_id: int) -> MediaItem:
        """Detach an image from its draft (the file itself is left alone)."""
        item = self.get(media_id)
        self.db.execute("DELETE FROM draft_media WHERE id = ?", [media_id])
        return item

    def list(self, draft_id: str) -> builtins.list[MediaItem]:
        """The draft's images in posting order; `draft_id` must be the full id."""
        rows = self.db.execute(
            "SELECT id, draft_id, position, path, alt, added FROM draft_media WHERE draft_id = ? "
            "ORDER BY position, id",
            [draft_id],
        ).fetchall()
        return [MediaItem(*row) for row in rows]
