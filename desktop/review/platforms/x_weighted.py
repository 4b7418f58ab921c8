"""X's weighted length: twitter-text v3, the algorithm X's own clients use to allow 280.

How it counts, after NFC normalisation: every link (with or without `https://`) counts 23; every
emoji, including a whole ZWJ family, flag or skin-toned emoji, counts 2; a character counts 1 if
its code point lies in one of the light ranges below (Latin, Greek, Cyrillic, Hebrew, Arabic,
Devanagari and most other alphabets, general punctuation and spaces) and 2 otherwise (CJK, Hangul,
symbols, characters outside the Basic Multilingual Plane). The limit is 280 and a post must not be
empty or contain U+FFFE, U+FEFF or U+FFFF.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from desktop.review.platforms.entities import find_emoji, find_urls

MAX_WEIGHTED_LENGTH = 280
SCALE = 100
DEFAULT_WEIGHT = 200
URL_LENGTH = 23
# (first code point, last code point, weight) of the ranges that weigh less than DEFAULT_WEIGHT.
LIGHT_RANGES: tuple[tuple[int, int, int], ...] = (
    (0x0000, 0x10FF, 100),
    (0x2000, 0x200D, 100),
    (0x2010, 0x201F, 100),
    (0x2032, 0x2037, 100),
)
INVALID_CHARACTERS = frozenset("\ufffe\ufeff\uffff")


def char_weight(char: str) -> int:
    """The scaled weight of one code point (100 = counts 1, 200 = counts 2)."""
    cp = ord(char)
    for first, last, weight in LIGHT_RANGES:
        if first <= cp <= last:
            return weight
    return DEFAULT_WEIGHT


@dataclass(frozen=True)
class WeightedLength:
    length: int  # the weighted length X shows (rounded down as twitter-text does)
    valid_end: int  # code points of the normalised text that still fit within the limit
    invalid_characters: bool
    normalized: str


def weighted_length(text: str, *, limit: int = MAX_WEIGHTED_LENGTH) -> WeightedLength:
    """Weigh `text` as X does. `valid_end` is where the part that fits ends (for highlighting)."""
    normalized = unicodedata.normalize("NFC", text)
    jumps: dict[int, tuple[int, int]] = {}  # start -> (end, weight)
    for emoji in find_emoji(normalized):
        jumps[emoji.start] = (emoji.end, DEFAULT_WEIGHT)
    for url in find_urls(normalized):  # links win over emoji starting at the same place
        jumps[url.start] = (url.end, URL_LENGTH * SCALE)
    total = 0
    valid_end = 0
    invalid = False
    i = 0
    n = len(normalized)
    max_scaled = limit * SCALE
    while i < n:
        jump = jumps.get(i)
        if jump is not None:
            end, weight = jump
        else:
            end, weight = i + 1, char_weight(normalized[i])
        if not invalid and normalized[i] in INVALID_CHARACTERS:
            invalid = True
        total += weight
        if not invalid and total <= max_scaled:
            valid_end = end
        i = end
    return WeightedLength(total // SCALE, valid_end, invalid, normalized)
