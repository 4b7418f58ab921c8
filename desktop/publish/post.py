"""What is published: the plan fixed before the first attempt, and the images it carries.

A plan is written to the database before any network call and never changes afterwards, so every
retry sends exactly the same thing with exactly the same idempotency keys (AT Protocol record keys,
Mastodon's Idempotency-Key, the WordPress slug). That is what makes a retry after a crash or a lost
response safe.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from desktop.errors import GreenlightError
from desktop.imagetypes import sniff_image_type

# A line holding only `---` (or `🧵`) splits a draft into a thread on Bluesky and Mastodon.
THREAD_BREAK = re.compile(r"^\s*(?:---+|🧵)\s*$", re.MULTILINE)
VISIBILITIES = ("public", "unlisted", "private", "direct")
IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}


@dataclass(frozen=True)
class Image:
    filename: str
    mime: str
    alt: str
    data: bytes

    @classmethod
    def from_file(cls, path: str | Path, alt: str) -> Image:
        path = Path(path)
        if not alt or not alt.strip():
            raise GreenlightError(
                f"{path}: an image needs alt text (describe it for people who cannot see it)"
            )
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise GreenlightError(f"{path}: no such image file") from None
        except OSError as exc:
            raise GreenlightError(f"{path}: cannot read the image ({exc.strerror})") from None
        mime = sniff_image_type(data) or mimetypes.guess_type(path.name)[0] or ""
        if mime not in IMAGE_TYPES:
            raise GreenlightError(f"{path}: not a JPEG, PNG, GIF or WebP image")
        return cls(filename=path.name, mime=mime, alt=alt.strip(), data=data)


@dataclass(frozen=True)
class PublishOptions:
    """Per-publish choices that are not part of the draft text."""

    images: tuple[Image, ...] = ()
    content_warning: str = ""
    visibility: str = "public"
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    wordpress_status: str = "publish"
    language: str = ""


@dataclass
class Plan:
    """Everything a publisher sends, fixed at planning time (see the module docstring)."""

    platform: str
    title: str
    parts: list[str]  # one per post of a thread; WordPress has exactly one
    key: str  # idempotency key: hex, derived from draft, account and content
    created_at: str  # the createdAt / first-attempt time, reused by every retry
    content_warning: str = ""
    visibility: str = "public"
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    wordpress_status: str = "publish"
    language: str = ""
    image_alts: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Plan:
        return cls(**data)


def split_thread(text: str) -> list[str]:
    parts = [p.strip() for p in THREAD_BREAK.split(text)]
    return [p for p in parts if p]


def idempotency_key(draft_id: str, account_id: str, content_hash: str) -> str:
    """Stable across retries and processes; different for another account or changed content."""
    return hashlib.sha256(f"{draft_id}\0{account_id}\0{content_hash}".encode()).hexdigest()


def make_plan(
    *,
    platform: str,
    draft_id: str,
    account_id: str,
    title: str,
    text: str,
    content_hash: str,
    created_at: str,
    options: PublishOptions,
) -> Plan:
    if options.visibility not in VISIBILITIES:
        raise GreenlightError(f"visibility {options.visibility!r} is not one of {', '.join(VISIBILITIES)}")
    if platform == "wordpress":
        parts = [text.strip()]
        if not title.strip():
            first = text.strip().splitlines()[0] if text.strip() else ""
            title = first.lstrip("# ").strip()[:120]
    else:
        parts = split_thread(text)
    if not parts or not any(parts):
        raise GreenlightError(f"draft {draft_id} is empty: there is nothing to publish")
    return Plan(
        platform=platform,
        title=title.strip(),
        parts=parts,
        key=idempotency_key(draft_id, account_id, content_hash),
        created_at=created_at,
        content_warning=options.content_warning.strip(),
        visibility=options.visibility,
        categories=list(options.categories),
        tags=list(options.tags),
        wordpress_status=options.wordpress_status,
        language=options.language,
        image_alts=[img.alt for img in options.images],
    )
