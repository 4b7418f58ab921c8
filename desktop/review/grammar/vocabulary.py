"""The team vocabulary: words that are right even though no dictionary knows them.

Entries are plain words ("Greenlight", "onboarding") or, as in Vale's `accept.txt`, regular
expressions ("[Gg]reenlight"). Plain words follow Hunspell's casing: a lower-case entry also
accepts the Capitalised and UPPER-CASE forms (start of a sentence, shouting), a capitalised entry
accepts itself and its UPPER-CASE form, never the lower-case one (a brand name is not a common noun).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import regex

_REGEX_HINT = regex.compile(r"[\[\]()|?*+\\{}^$]")
_POSSESSIVE = ("'s", "’s", "'S", "’S")


class Vocabulary:
    """Accepts the team's words, in the forms listed above, and their possessives."""

    def __init__(self, entries: Iterable[str]) -> None:
        self._exact: set[str] = set()
        self._lower: set[str] = set()
        patterns = []
        for raw in entries:
            entry = raw.strip()
            if not entry or entry.startswith("#"):
                continue
            if _REGEX_HINT.search(entry):
                try:
                    patterns.append(regex.compile(entry))
                    continue
                except regex.error:
                    pass  # not a valid pattern after all: treat it as words
            for word in entry.split():
                self._exact.add(word)
                self._exact.add(word.upper())
                if word == word.lower():
                    self._lower.add(word)
        self._patterns = tuple(patterns)

    def __bool__(self) -> bool:
        return bool(self._exact or self._patterns)

    def accepts(self, word: str) -> bool:
        if self._accepts_form(word):
            return True
        for suffix in _POSSESSIVE:
            if word.endswith(suffix) and len(word) > len(suffix):
                return self._accepts_form(word[: -len(suffix)])
        return False

    def _accepts_form(self, word: str) -> bool:
        if word in self._exact:
            return True
        lower = word.lower()
        if lower in self._lower and (word == lower or word == lower.capitalize() or word == lower.upper()):
            return True
        return any(p.fullmatch(word) for p in self._patterns)


@lru_cache(maxsize=32)
def _cached(entries: frozenset[str]) -> Vocabulary:
    return Vocabulary(entries)


def vocabulary_of(entries: Iterable[str]) -> Vocabulary:
    """A (cached) Vocabulary: the editor checks on every pause with the same team list."""
    if isinstance(entries, Vocabulary):
        return entries
    return _cached(frozenset(entries))
