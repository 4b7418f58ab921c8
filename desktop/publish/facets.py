"""Bluesky rich-text facets: links, mentions and hashtags, located by UTF-8 BYTE offsets.

AT Protocol facets index the UTF-8 encoding of the text, not Python's code points: an emoji before a
link shifts the link by four bytes but one character. Getting this wrong makes the app highlight the
wrong words, so offsets are computed from the encoded prefix of each match.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import regex

_LINK = regex.compile(r"(?<![\w/@])https?://[^\s<>\"]+", regex.IGNORECASE)
_MENTION = regex.compile(
    r"(?<![\w@/.])@((?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)"
)
_HASHTAG = regex.compile(r"(?<![\w#&])[#＃]((?!\ufe0f)[^\s\p{P}#＃][^\s#＃]*)")
_TRAILING = ".,;:!?'\"”’)]}"


@dataclass(frozen=True)
class Facet:
    kind: str  # "link" | "mention" | "tag"
    value: str  # URL, DID, or tag without '#'
    byte_start: int
    byte_end: int

    def as_record(self) -> dict:
        feature = {
            "link": {"$type": "app.bsky.richtext.facet#link", "uri": self.value},
            "mention": {"$type": "app.bsky.richtext.facet#mention", "did": self.value},
            "tag": {"$type": "app.bsky.richtext.facet#tag", "tag": self.value},
        }[self.kind]
        return {
            "$type": "app.bsky.richtext.facet",
            "index": {"byteStart": self.byte_start, "byteEnd": self.byte_end},
            "features": [feature],
        }


def _trim(text: str, start: int, end: int) -> int:
    """Drop trailing punctuation, but keep a closing bracket that has its opening one inside."""
    while end > start and text[end - 1] in _TRAILING:
        if text[end - 1] == ")" and text[start:end].count("(") >= text[start:end].count(")"):
            break
        end -= 1
    return end


def _bytes(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def find_facets(text: str, resolve_handle: Callable[[str], str | None]) -> list[Facet]:
    """All facets in `text`, sorted by position. Mentions whose handle does not resolve are left plain."""
    found: list[Facet] = []
    for m in _LINK.finditer(text):
        end = _trim(text, m.start(), m.end())
        found.append(Facet("link", text[m.start() : end], _bytes(text, m.start()), _bytes(text, end)))
    resolved: dict[str, str | None] = {}
    for m in _MENTION.finditer(text):
        handle = m.group(1).lower()
        if any(f.byte_start <= _bytes(text, m.start()) < f.byte_end for f in found):
            continue  # an @ inside a URL is part of the link
        if handle not in resolved:
            resolved[handle] = resolve_handle(handle)
        did = resolved[handle]
        if did:
            found.append(Facet("mention", did, _bytes(text, m.start()), _bytes(text, m.end())))
    for m in _HASHTAG.finditer(text):
        end = _trim(text, m.start(1), m.end())
        tag = text[m.start(1) : end]
        if not tag or tag.isdigit() or len(tag) > 64:
            continue
        if any(f.byte_start <= _bytes(text, m.start()) < f.byte_end for f in found):
            continue
        found.append(Facet("tag", tag, _bytes(text, m.start()), _bytes(text, end)))
    return sorted(found, key=lambda f: f.byte_start)
