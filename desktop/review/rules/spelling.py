"""`extends: spelling`: words missing from Hunspell dictionaries (`.dic` + `.aff`), via spylls.

Keys as in Vale: `dicpath` (folder), `dictionaries` (names in it, default `en_US`), `aff`/`dic`
(explicit files), `custom` (only the listed dictionaries), `append`, `filters` (words matching any
of these patterns are not checked), `ignore` (files of extra accepted words). Accepted vocabulary
is never flagged. With no `dicpath`, dictionaries are looked up in /usr/share/hunspell (Debian's
hunspell-en-us), where Vale would use the copy bundled in its binary.

Suggestions are expensive (~0.1 s a word), so, as with Vale (where `vale fix` computes them), they
are not made while linting: the action is `suggest` / `spellings` and `Engine.suggestions(finding)`
computes them when the writer asks.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.review.markup import Block
from desktop.review.regexes import VPattern, compile_vale
from desktop.review.rules.base import Alert, Budget, Rule

SYSTEM_DICTIONARIES = (
    Path("/usr/share/hunspell"),
    Path("/usr/share/myspell/dicts"),
    Path("/usr/share/myspell"),
)

# Compiled on first use (VPattern): most processes load no spelling rule.
_WORD = VPattern(r"[\p{L}\p{N}][\p{L}\p{N}\p{M}'’.\-@_]*[\p{L}\p{N}]|[\p{L}\p{N}]", 0)
DEFAULT_FILTERS = [
    VPattern(p, 0)
    for p in (
        r"(?:\w+)?\.\w{1,4}\b",
        r"\b(?:[a-zA-Z]\.){2,}",
        r"0[xX][0-9a-fA-F]+",
        r"\w+-\w+",
        r"[A-Z]{1}[a-z]+[A-Z]+\w+",
        r"[0-9]",
        r"^[A-Z]+$",
        r"\w{3,}\.\w{3,}",
        r"@.*\b",
        r"_",
    )
]

_dictionaries: dict[tuple[str, str], Any] = {}
_lock = threading.Lock()


def load_dictionary(aff: Path, dic: Path):
    """A spylls Dictionary, loaded once per process (loading en_US takes about half a second)."""
    key = (str(aff), str(dic))
    with _lock:
        d = _dictionaries.get(key)
        if d is None:
            from spylls.hunspell import Dictionary, readers
            from spylls.hunspell.readers.file_reader import FileReader

            aff_data, context = readers.read_aff(FileReader(str(aff)))
            dic_data = readers.read_dic(
                FileReader(str(dic), encoding=context.encoding), aff=aff_data, context=context
            )
            d = Dictionary(aff_data, dic_data)
            _dictionaries[key] = d
        return d


def find_dictionary(name: str, dicpath: Path | None) -> tuple[Path, Path] | None:
    folders = [dicpath] if dicpath else list(SYSTEM_DICTIONARIES)
    for folder in folders:
        aff, dic = folder / f"{name}.aff", folder / f"{name}.dic"
        if aff.is_file() and dic.is_file():
            return aff, dic
    return None


@dataclass
class Spelling(Rule):
    dicpath: str = ""
    dictionaries: list[str] = field(default_factory=list)
    aff: str = ""
    dic: str = ""
    custom: bool = False
    append: bool = False
    filters: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    base_dir: str = ""

    def compile(self) -> None:
        base = Path(self.base_dir)
        dicpath = (base / self.dicpath) if self.dicpath else None
        pairs: list[tuple[Path, Path]] = []
        if self.aff and self.dic:
            pairs.append((base / self.aff, base / self.dic))
        names = list(self.dictionaries)
        if not names and not pairs:
            names = ["en_US"]
        if (self.append or not self.custom) and not self.dictionaries and pairs:
            names.append("en_US")
        for name in names:
            found = find_dictionary(name, dicpath) or find_dictionary(name, None)
            if found is None:
                where = dicpath or ", ".join(map(str, SYSTEM_DICTIONARIES))
                raise FileNotFoundError(
                    f"dictionary {name!r} not found ({name}.aff and {name}.dic in {where}); "
                    "install hunspell-en-us or set dicpath"
                )
            pairs.append(found)
        for aff, dic in pairs:
            if not aff.is_file() or not dic.is_file():
                raise FileNotFoundError(f"dictionary files {aff} / {dic} not found")
        self.pairs = pairs
        self.filter_res = [*DEFAULT_FILTERS, *(compile_vale(f) for f in self.filters)]
        words: set[str] = set()
        for name in self.ignore:
            path = base / name
            if not path.is_file():
                path = base.parent / name
            try:
                words.update(w.strip() for w in path.read_text(encoding="utf-8").splitlines() if w.strip())
            except OSError as exc:
                raise FileNotFoundError(f"ignore file {name!r}: {exc.strerror or exc}") from None
        self.ignored = words
        self.accept_res = [compile_vale(f"^(?:{a})$") for a in self.accepted]
        self._known: dict[str, bool] = {}

    def _dicts(self):
        return [load_dictionary(a, d) for a, d in self.pairs]

    def correct(self, word: str) -> bool:
        ok = self._known.get(word)
        if ok is None:
            ok = any(d.lookup(word) for d in self._dicts())
            if len(self._known) > 50000:
                self._known.clear()
            self._known[word] = ok
        return ok

    def suggest(self, word: str, limit: int = 5) -> list[str]:
        out: list[str] = []
        for d in self._dicts():
            for s in d.suggest(word):
                if s not in out:
                    out.append(s)
                if len(out) >= limit:
                    return out
        return out

    def run(self, block: Block, state: dict[str, Any], budget: Budget) -> list[Alert]:
        text = block.text
        alerts = []
        for m in _WORD.finditer(text):
            word = m.group().rstrip("'’.")
            if not word or word in self.ignored:
                continue
            if any(f.search(word) for f in self.filter_res):
                continue
            if any(a.search(word) for a in self.accept_res):
                continue
            if self.correct(word):
                continue
            start = m.start()
            a = self.alert(start, start + len(word), text)
            if not a.action:
                a = Alert(a.start, a.end, a.message, a.match, "suggest", ("spellings",))
            alerts.append(a)
        return alerts
