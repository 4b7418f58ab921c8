"""Parts of a post that are never spelling or grammar mistakes, and the words of the rest.

Hashtags, mentions, links, e-mail addresses and emoji are how people write on social media, not
typos; flagging them would bury real mistakes in noise. Both checkers (LanguageTool and the
offline Hunspell one) drop anything that touches these spans.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

_PROTECTED = regex.compile(
    r"""
      (?:https?://|www\.)[^\s<>"]+                                  # links
    | [\w.+-]+@[\w-]+(?:\.[\w-]+)+                                  # e-mail addresses
    | (?<![\w@/])@[\w-]+(?:\.[\w-]+)*(?:@[\w-]+(?:\.[\w-]+)+)?      # @user, @user.bsky.social, @user@host
    | (?<![\w#&/])[#＃][\p{L}\p{M}\p{N}_]+                           # hashtags (any script)
    | \b(?:[a-z0-9-]+\.)+(?:[a-z]{2,24})\b(?:/[^\s<>"]*)?           # bare domains: example.org/path
    | (?<![\w:]):[a-z0-9_+-]+:(?![\w:])                             # emoji shortcodes (:tada:)
    | (?:\p{Extended_Pictographic}|\p{Regional_Indicator}
        |[\u200d\ufe0f\u20e3\U0001F3FB-\U0001F3FF])+                # emoji and their modifiers
    """,
    regex.VERBOSE,
)

# Trailing punctuation is usually the sentence's, not the link's: "see example.org/faq."
_TRAILING = ".,;:!?)]}'\"’”"

# Letters with apostrophes inside ("don't", "writer’s"); hyphens split words, as Hunspell's BREAK does.
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*")


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Code-point spans (start, end) of hashtags, mentions, links, e-mail addresses and emoji."""
    spans = []
    for m in _PROTECTED.finditer(text):
        start, end = m.span()
        if m.group()[0] not in "#＃:" and not _is_emoji(m.group()):
            while end > start + 1 and text[end - 1] in _TRAILING:
                end -= 1
        spans.append((start, end))
    return spans


def _is_emoji(token: str) -> bool:
    return not any(ch.isalnum() for ch in token)


def overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether [start, end) touches any of `spans` (few per post, so a scan is fastest)."""
    return any(s < end and start < e for s, e in spans)


def words(text: str, protected: list[tuple[int, int]]) -> Iterator[tuple[int, int, str]]:
    """(start, end, word) for every word outside the protected spans."""
    for m in _WORD.finditer(text):
        start, end = m.span()
        if protected and overlaps(start, end, protected):
            continue
        yield start, end, m.group()
