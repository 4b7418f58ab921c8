"""Which version of a shared draft is current, and which versions compete: pure and order-free.

Every edit of a shared draft travels as a `draft.revised` event naming the version it was edited
from (`base`), and a conflict resolution also names the versions it settles (`resolves`). The
versions form a graph; its *heads* (versions nobody edited from or resolved) are the live ones.
One head: no conflict. Several heads with different content: a conflict, and every head is kept.

The current version among heads is chosen without clocks (machines' clocks skew): the head with
the longest edit history wins, ties broken by event id. Any replica holding the same events picks
the same version, whatever order they arrived in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Version:
    """One `draft.revised` event, as the merge sees it."""

    event_id: str
    author: str
    created: str
    title: str
    text: str
    platforms: tuple[str, ...]
    accounts: tuple[str, ...]
    content_hash: str
    base: str | None
    resolves: tuple[str, ...] = field(default_factory=tuple)

    @property
    def parents(self) -> tuple[str, ...]:
        return ((self.base,) if self.base else ()) + self.resolves

    @property
    def content(self) -> tuple:
        """What a reader sees: two heads with equal content are not a conflict."""
        return (self.title, self.text, self.platforms, self.accounts)

    @classmethod
    def from_event(cls, event_id: str, author: str, created: str, payload: dict[str, Any]) -> Version:
        resolves = payload.get("resolves") or ()
        return cls(
            event_id=event_id,
            author=author,
            created=created,
            title=str(payload.get("title", "")),
            text=str(payload.get("text", "")),
            platforms=tuple(str(p) for p in payload.get("platforms") or ()),
            accounts=tuple(str(a) for a in payload.get("accounts") or ()),
            content_hash=str(payload.get("content_hash", "")),
            base=payload.get("base") or None,
            resolves=tuple(str(r) for r in resolves if isinstance(r, str)),
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "author": self.author,
            "created": self.created,
            "title": self.title,
            "text": self.text,
            "platforms": list(self.platforms),
            "accounts": list(self.accounts),
            "content_hash": self.content_hash,
            "base": self.base,
            "resolves": list(self.resolves),
        }


def depths(versions: dict[str, Version]) -> dict[str, int]:
    """Length of each version's longest known ancestry (1 for a first version). Iterative: drafts
    can have thousands of revisions, more than Python's recursion limit."""
    depth: dict[str, int] = {}
    for start in versions:
        if start in depth:
            continue
        stack = [(start, False)]
        on_path: set[str] = set()
        while stack:
            vid, expanded = stack.pop()
            if vid in depth:
                continue
            parents = [p for p in versions[vid].parents if p in versions]
            if expanded:
                on_path.discard(vid)
                depth[vid] = 1 + max((depth.get(p, 0) for p in parents), default=0)
                continue
            on_path.add(vid)
            stack.append((vid, True))
            for p in parents:
                # Event ids are hashes of content that includes the parents, so a cycle cannot be
                # built; the check only keeps a hand-made loop from spinning forever.
                if p not in depth and p not in on_path:
                    stack.append((p, False))
    return depth


@dataclass(frozen=True)
class MergeState:
    current: Version | None
    heads: tuple[Version, ...]  # current first; more than one distinct content means a conflict

    @property
    def conflicted(self) -> bool:
        return len({h.content for h in self.heads}) > 1


def merge(items: Iterable[Version]) -> MergeState:
    """The current version and the competing heads of one draft's versions."""
    versions = {v.event_id: v for v in items}
    if not versions:
        return MergeState(None, ())
    referenced = {p for v in versions.values() for p in v.parents}
    heads = [v for v in versions.values() if v.event_id not in referenced]
    if not heads:  # only possible with a hand-made loop; fall back to every version
        heads = list(versions.values())
    depth = depths(versions)
    heads.sort(key=lambda v: (-depth[v.event_id], v.event_id))
    # Heads with identical content (two people made the same edit) collapse into the first.
    distinct: list[Version] = []
    seen: set[tuple] = set()
    for h in heads:
        if h.content not in seen:
            seen.add(h.content)
            distinct.append(h)
    return MergeState(distinct[0], tuple(distinct))
