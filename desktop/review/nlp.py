"""Sentences, words and syllables: the small amount of language processing the rules need.

Vale uses a trained sentence tokenizer (prose/punkt); a regular-expression segmenter with an
abbreviation list gives the same boundaries on ordinary prose and costs microseconds, which matters
when every keystroke re-checks. Readability formulas follow the published definitions that Vale's
`summarize` package implements.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import regex

_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "eg",
        "ie",
        "inc",
        "ltd",
        "co",
        "corp",
        "no",
        "fig",
        "figs",
        "approx",
        "dept",
        "est",
        "a.m",
        "p.m",
        "u.s",
        "u.k",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mt",
        "ave",
        "blvd",
        "rd",
        "vol",
        "ed",
        "eds",
        "cf",
        "al",
        "gen",
        "gov",
        "sen",
        "rep",
        "rev",
        "hon",
        "op",
        "pp",
        "ch",
        "sec",
    ]
)

# A sentence ends at terminal punctuation (with any closing quotes or brackets) followed by space.
_BOUNDARY = regex.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+)")
_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}\p{M}'’\-]*")
_LAST_TOKEN = regex.compile(r"(\S+)$")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences in text[start:end], trimmed of surrounding space."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    for m in _BOUNDARY.finditer(text, start, end):
        if m.end() <= pos:
            continue
        if m.group().startswith(".") and len(m.group()) == 1:
            before = _LAST_TOKEN.search(text, pos, m.start())
            token = before.group(1).lower() if before else ""
            token = token.lstrip("(\"'“‘")
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue
        _append_trimmed(text, pos, m.end(), spans)
        pos = m.end()
    _append_trimmed(text, pos, end, spans)
    return spans


def _append_trimmed(text: str, a: int, b: int, out: list[tuple[int, int]]) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        out.append((a, b))


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def syllables(word: str) -> int:
    """Estimated English syllables: vowel groups, less a silent final e, at least one."""
    w = word.lower().strip("'’-")
    if not w:
        return 0
    if len(w) <= 3:
        return 1
    w = regex.sub(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$", "", w)
    w = regex.sub(r"^y", "", w)
    groups = regex.findall(r"[aeiouy]{1,2}", w)
    return max(1, len(groups))


@dataclass(frozen=True)
class TextStats:
    """The counts Vale's `metric` formulas and `readability` grades are computed from."""

    words: int
    sentences: int
    characters: int
    syllables: int
    polysyllabic_words: int
    complex_words: int
    long_words: int
    paragraphs: int

    def as_variables(self) -> dict[str, float]:
        return {k: float(v) for k, v in self.__dict__.items()}


def stats(text: str) -> TextStats:
    paragraphs = [p for p in regex.split(r"\n\s*\n", text) if p.strip()]
    n_sentences = sum(len(sentence_spans(p)) for p in paragraphs)
    ws = words(text)
    syl = poly = complex_ = long_ = chars = 0
    for w in ws:
        s = syllables(w)
        syl += s
        chars += sum(1 for c in w if c.isalnum())
        if len(w) > 6:
            long_ += 1
        if s > 2:
            poly += 1
            stem = regex.sub(r"(?:es|ed|ing)$", "", w.lower())
            if "-" not in w and not w[:1].isupper() and syllables(stem) > 2:
                complex_ += 1
    return TextStats(
        len(ws), max(n_sentences, 1 if ws else 0), chars, syl, poly, complex_, long_, len(paragraphs)
    )


def grade(metric: str, st: TextStats) -> float:
    """One of Vale's five readability metrics for the given counts."""
    w = max(st.words, 1)
    s = max(st.sentences, 1)
    if metric == "Flesch-Kincaid":
        return 0.39 * (w / s) + 11.8 * (st.syllables / w) - 15.59
    if metric == "Gunning Fog":
        return 0.4 * ((w / s) + 100.0 * (st.complex_words / w))
    if metric == "SMOG":
        return 1.0430 * math.sqrt(st.polysyllabic_words * 30.0 / s) + 3.1291
    if metric == "Coleman-Liau":
        letters = st.characters / w * 100.0
        sents = s / w * 100.0
        return 0.0588 * letters - 0.296 * sents - 15.8
    if metric == "Automated Readability":
        return 4.71 * (st.characters / w) + 0.5 * (w / s) - 21.43
    raise ValueError(metric)


READABILITY_METRICS = ("Gunning Fog", "Coleman-Liau", "Flesch-Kincaid", "SMOG", "Automated Readability")
