"""Split a long draft into a numbered thread that fits the platform, post by post.

Where it cuts, in order of preference: between paragraphs or sentences, then between words, and
only for a single "word" longer than a whole post (a very long unbroken string) inside the word, at a
grapheme boundary so no emoji or accented letter is ever cut in half. Links are words, so they are
never cut. Every part is measured with the platform's own counter, numbering included, so each one
is accepted as it stands.
"""

from __future__ import annotations

from collections.abc import Callable

import regex

from desktop.review.platforms.counting import graphemes, measure, normalize_newlines
from desktop.review.platforms.limits import platform_limits

# A break after sentence-ending punctuation (with closing quotes/brackets), or around a line break.
_SENTENCE_BREAK = regex.compile(
    r"((?<=[.!?\u2026\u3002\uff01\uff1f][\"')\]\u00bb\u201d\u2019]*)[^\S\n]+|\s*\n\s*)"
)
_WORD = regex.compile(r"(\S+)(\s*)")


def _sentences(text: str) -> list[tuple[str, str]]:
    pieces = _SENTENCE_BREAK.split(text)
    tokens = []
    for i in range(0, len(pieces), 2):
        sep = pieces[i + 1] if i + 1 < len(pieces) else ""
        if pieces[i]:
            tokens.append((pieces[i], sep))
        elif tokens and sep:
            tokens[-1] = (tokens[-1][0], tokens[-1][1] + sep)
    return tokens


def _words(text: str) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in _WORD.finditer(text)]


def _graphemes(text: str) -> list[tuple[str, str]]:
    return [(g, "") for g in graphemes(text)]


_LEVELS: tuple[Callable[[str], list[tuple[str, str]]], ...] = (_sentences, _words, _graphemes)


def _pack(tokens: list[tuple[str, str]], fits: Callable[[str], bool], level: int) -> list[str]:
    """Greedily fill each part with whole tokens; a token too big alone is split one level finer."""
    parts: list[str] = []
    current = ""
    pending_sep = ""
    for token, sep in tokens:
        candidate = current + pending_sep + token if current else token
        if fits(candidate):
            current, pending_sep = candidate, sep
            continue
        if current:
            parts.append(current)
        if fits(token) or level + 1 >= len(_LEVELS):
            current, pending_sep = token, sep  # a lone grapheme that does not fit still goes alone
            continue
        finer = _pack(_LEVELS[level + 1](token), fits, level + 1)
        parts.extend(finer[:-1])
        current, pending_sep = (finer[-1] if finer else ""), sep
    if current:
        parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def split_thread(
    text: str,
    platform: str,
    *,
    numbering: bool = True,
    limit: int | None = None,
    content_warning: str = "",
) -> list[str]:
    """Split `text` into posts that each fit `platform` (numbered " 1/3" when `numbering`).

    A text that already fits comes back as one unnumbered part; an empty text as no parts.
    """
    spec = platform_limits(platform)
    max_length = limit if limit is not None else spec.limit
    text = normalize_newlines(text).strip()
    if not text:
        return []

    def length(candidate: str) -> int:
        """The length in the platform's unit, or "too long" when a byte limit (Bluesky) is exceeded."""
        if spec.byte_limit is not None and len(candidate.encode("utf-8")) > spec.byte_limit:
            return max_length + 1
        return measure(candidate, spec, content_warning)

    if length(text) <= max_length:
        return [text]
    if length("x 9/9" if numbering else "x") > max_length:
        raise ValueError(
            f"the content warning alone is longer than {spec.display}'s limit of {max_length}; shorten it"
        )
    tokens = _sentences(text)
    if not numbering:
        return _pack(tokens, lambda c: length(c) <= max_length, 0)
    digits = 1
    while True:
        widest = "9" * digits
        reserve = f" {widest}/{widest}"
        parts = _pack(tokens, lambda c, r=reserve: length(c + r) <= max_length, 0)
        if len(parts) < 10**digits:
            total = len(parts)
            return [f"{part} {i}/{total}" for i, part in enumerate(parts, 1)]
        digits += 1
