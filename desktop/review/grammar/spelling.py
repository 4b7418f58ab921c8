"""Offline spelling on Hunspell dictionaries through spylls (a pure-Python Hunspell).

This is the checker that always works: on the train, without Java, without a team server. It
reads the same .dic/.aff files LibreOffice and Firefox use (Debian's `hunspell-en-us`, or a folder
from settings). Checking is fast (a cached dictionary lookup per word); suggestions are the slow
part (tens to hundreds of milliseconds per word), so findings carry Vale's "suggest" action and
`HunspellChecker.suggest()` computes suggestions only when someone asks, remembering them.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any

from desktop.review.findings import Finding, Fix, Severity, line_and_column
from desktop.review.grammar.textspans import protected_spans, words
from desktop.review.grammar.vocabulary import Vocabulary, vocabulary_of

RULE = "Spelling.Hunspell"
SYSTEM_DICTIONARY_DIRS = (
    "/usr/share/hunspell",
    "/usr/share/myspell",
    "/usr/share/myspell/dicts",
    "/usr/local/share/hunspell",
    "/usr/share/hunspell-dictionaries",
    "/Library/Spelling",
    "~/Library/Spelling",
    "~/.local/share/hunspell",
)


# Loaded dictionaries, shared by every GrammarService of the process (the editor, a restart after
# a settings change, the CLI): they are read-only once loaded.
_LOADED: dict[tuple[str, str], HunspellChecker] = {}
_KEY_LOCKS: dict[tuple[str, str], threading.Lock] = {}
_LOADING = threading.Lock()


def forget_loaded_dictionaries() -> None:
    """Drop the loaded dictionaries (after a dictionary file changed; benchmarks use it too)."""
    with _LOADING:
        _LOADED.clear()


class DictionaryNotFound(Exception):
    """No .dic/.aff pair for the language; the message lists where Greenlight looked."""


def dictionary_names(language: str) -> list[str]:
    """File stems to try for a language tag: en-US -> en_US, en-us, en; en -> en, en_US, en_GB."""
    tag = language.strip().replace("-", "_")
    base, _, region = tag.partition("_")
    names = [f"{base.lower()}_{region.upper()}"] if region else []
    names += [tag, base.lower()]
    if not region and base.lower() == "en":
        names += ["en_US", "en_GB"]
    return list(dict.fromkeys(names))


def search_dirs(dictionary_dir: str = "") -> list[Path]:
    """Where dictionaries are looked for, first match wins: settings, $DICPATH, the system, the app."""
    from desktop.paths import resources

    dirs = [dictionary_dir] if dictionary_dir else []
    dirs += [d for d in os.environ.get("DICPATH", "").split(os.pathsep) if d]
    dirs += list(SYSTEM_DICTIONARY_DIRS)
    paths = [Path(d).expanduser() for d in dirs]
    paths.append(resources() / "dictionaries")
    return paths


def find_dictionary(language: str, dictionary_dir: str = "") -> Path:
    """The .dic/.aff stem (path without extension) for `language`, or DictionaryNotFound."""
    dirs = search_dirs(dictionary_dir)
    for directory in dirs:
        for name in dictionary_names(language):
            stem = directory / name
            if stem.with_suffix(".dic").is_file() and stem.with_suffix(".aff").is_file():
                return stem
    where = ", ".join(str(d) for d in dirs)
    hint = (
        "install your system's Hunspell dictionary (Debian/Ubuntu: sudo apt-get install hunspell-en-us) "
        "or set dictionary_dir in grammar.json to a folder with "
        f"{dictionary_names(language)[0]}.dic and .aff"
    )
    raise DictionaryNotFound(f"no Hunspell dictionary for {language} in {where}; {hint}")


def _load_without_gc_pauses(dictionary_class: Any, stem: Path) -> Any:
    """Load a dictionary without stalling the UI thread through the garbage collector.

    An en_US dictionary is ~330,000 Python objects. Loading it with the collector on triggers full
    collections over the growing heap; each holds the GIL for up to ~100-200 ms, freezing the UI
    thread even though loading runs on a worker. Afterwards every full collection of the app would
    walk those objects again (~90 ms each). So: no collection during the load (a fraction of a
    second, then the collector is back on), and `gc.freeze()` afterwards moves everything loaded so
    far out of the collector's sight. The dictionary lives as long as the process anyway.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        dictionary = dictionary_class.from_files(str(stem))
    finally:
        if was_enabled:
            gc.enable()
    gc.freeze()
    return dictionary


@dataclass(frozen=True)
class SpellingMistake:
    start: int
    end: int
    word: str


class HunspellChecker:
    """Spelling on one Hunspell dictionary. Thread-safe: lookups only read the dictionary."""

    def __init__(self, stem: Path, language: str) -> None:
        from spylls.hunspell import Dictionary

        self.path = stem.with_suffix(".dic")
        self.language = language
        self._dictionary = _load_without_gc_pauses(Dictionary, stem)
        # Letters the dictionary can spell with: words with other letters (a Greek word, a Japanese
        # name in an English post) cannot be judged by it, so they are left alone.
        alphabet = set(self._dictionary.aff.TRY or "")
        self._alphabet = {c for ch in alphabet for c in (ch, ch.lower(), ch.upper())} | set(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'’"
        )
        self._known = lru_cache(maxsize=50_000)(self._dictionary.lookup)
        self._suggest_lock = threading.Lock()
        self._suggestions = lru_cache(maxsize=2_048)(self._compute_suggestions)

    @classmethod
    def for_language(cls, language: str, dictionary_dir: str = "") -> HunspellChecker:
        """The checker for `language`, loaded once per process (loading takes ~0.6 s)."""
        stem = find_dictionary(language, dictionary_dir)
        key = (str(stem), language)
        with _LOADING:
            lock = _KEY_LOCKS.setdefault(key, threading.Lock())
        with lock:  # a second caller for the same dictionary waits for the first load
            checker = _LOADED.get(key)
            if checker is None:
                checker = _LOADED[key] = cls(stem, language)
            return checker

    def mistakes(
        self, text: str, vocabulary: Vocabulary, protected: list[tuple[int, int]]
    ) -> list[SpellingMistake]:
        found = []
        for start, end, word in words(text, protected):
            if self._should_skip(word) or self._known(word) or vocabulary.accepts(word):
                continue
            found.append(SpellingMistake(start, end, word))
        return found

    def _should_skip(self, word: str) -> bool:
        """Tokens a spelling dictionary cannot judge: numbers, codes, camelCase names, other scripts."""
        if any(ch.isdigit() for ch in word):
            return True  # 3rd, mp3, COVID19
        if any(a.islower() and b.isupper() for a, b in zip(word, word[1:], strict=False)):
            return True  # camelCase brand names: iPhone, YouTube, LinkedIn
        return not all(ch in self._alphabet for ch in word if ch.isalpha())

    def check(self, text: str, *, vocabulary: Iterable[str] = ()) -> list[Finding]:
        vocab = vocabulary_of(vocabulary)
        return [self._finding(text, m) for m in self.mistakes(text, vocab, protected_spans(text))]

    def findings(self, text: str, vocabulary: Vocabulary, protected: list[tuple[int, int]]) -> list[Finding]:
        return [self._finding(text, m) for m in self.mistakes(text, vocabulary, protected)]

    def _finding(self, text: str, mistake: SpellingMistake) -> Finding:
        line, column = line_and_column(text, mistake.start)
        return Finding(
            rule=RULE,
            severity=Severity.WARNING,
            message=f"'{mistake.word}' is not in the {self.language} dictionary or the team vocabulary.",
            start=mistake.start,
            end=mistake.end,
            line=line,
            column=column,
            match=mistake.word,
            # Vale's spelling rules use the "suggest" action with "spellings": the fix is computed
            # when the writer asks for it (GrammarService.suggest), never while they type.
            fix=Fix(action="suggest", params=("spellings",)),
            description=f"Offline spelling (Hunspell, {self.path.name})",
            tags=("spelling",),
        )

    def suggest(self, word: str, limit: int = 5) -> tuple[str, ...]:
        """Up to `limit` corrections for `word`, best first (cached: asking twice is free)."""
        return self._suggestions(word, limit)

    def _compute_suggestions(self, word: str, limit: int) -> tuple[str, ...]:
        # spylls yields suggestions lazily, cheapest strategies first: stop after `limit`.
        with self._suggest_lock:
            return tuple(islice(self._dictionary.suggest(word), limit))
