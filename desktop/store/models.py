"""Plain records the store hands out; the UI and CLI never see SQLite rows."""

from __future__ import annotations

from dataclasses import dataclass, field

STATUSES = ("draft", "ready", "submitted", "approved", "rejected", "published")


@dataclass(frozen=True)
class Draft:
    id: str
    title: str
    text: str
    status: str
    tags: list[str] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)
    accounts: list[str] = field(default_factory=list)
    created: str = ""
    updated: str = ""
    trashed: str | None = None
    revisions: int = 0
    shared: bool = False

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "text": self.text,
            "status": self.status,
            "tags": self.tags,
            "platforms": self.platforms,
            "accounts": self.accounts,
            "created": self.created,
            "updated": self.updated,
            "trashed": self.trashed,
            "revisions": self.revisions,
            "shared": self.shared,
        }


@dataclass(frozen=True)
class DraftSummary:
    """What the draft list needs: no full text, so listing 100,000 drafts stays cheap."""

    id: str
    title: str
    status: str
    updated: str
    snippet: str
    trashed: str | None = None

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "updated": self.updated,
            "snippet": self.snippet,
            "trashed": self.trashed,
        }


@dataclass(frozen=True)
class Revision:
    id: int
    draft_id: str
    number: int
    created: str
    text: str
    content_hash: str
    origin: str = "edit"

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "draft_id": self.draft_id,
            "number": self.number,
            "created": self.created,
            "text": self.text,
            "content_hash": self.content_hash,
            "origin": self.origin,
        }
