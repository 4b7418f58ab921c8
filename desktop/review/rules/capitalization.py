"""`extends: capitalization`: a block (usually a heading) must follow a case style.

`match` is `$title` (AP or Chicago `style`), `$sentence` (with `indicators`: after a word ending in
one of them, e.g. ':', a capital is fine), `$lower`, `$upper`, or a regular expression. Title and
sentence case pass when more than `threshold` (default 0.8) of the words conform, which is how Vale
tolerates proper nouns it does not know; `exceptions` and accepted vocabulary always conform.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import regex

from desktop.review.markup import Block
from desktop.review.regexes import compile_python, compile_vale
from desktop.review.rules.base import Alert, Budget, Rule, is_match, word_exceptions

_WORDS = r"[\p{N}\p{L}*]+[^\s]*"

# Words AP and Chicago style keep in lower case inside a title.
_AP_SMALL = frozenset(
    [
        "a",
        "an",
        "and",
        "at",
        "but",
        "by",
        "for",
        "in",
        "nor",
        "of",
        "on",
        "or",
        "so",
        "the",
        "to",
        "up",
        "yet",
    ]
)
_CHICAGO_SMALL = _AP_SMALL | frozenset(
    [
        "as",
        "from",
        "into",
        "like",
        "near",
        "off",
        "onto",
        "out",
        "over",
        "past",
        "per",
        "than",
        "till",
        "upon",
        "via",
        "with",
        "within",
        "without",
    ]
)


def title_case(s: str, style: str = "AP") -> str:
    small = _CHICAGO_SMALL if style == "Chicago" else _AP_SMALL
    words = list(regex.finditer(r"\S+", s))
    out = list(s)
    for i, m in enumerate(words):
        w = m.group()
        first_or_last = i == 0 or i == len(words) - 1
        after_colon = i > 0 and words[i - 1].group().endswith(":")
        if w.lower() in small and not first_or_last and not after_colon:
            new = w.lower() if w == w.lower() or w.istitle() else w
        elif w[:1].islower():
            new = w[:1].upper() + w[1:]
        else:
            new = w
        out[m.start() : m.end()] = list(new)
    return "".join(out)


def _go_title(w: str) -> str:
    """Go's strings.Title(strings.ToLower(w)): upper-case the first letter of each word."""
    return regex.sub(r"(?<![\p{L}\p{N}])\p{L}", lambda m: m.group().upper(), w.lower())


@dataclass
class Capitalization(Rule):
    match: str = "$title"
    style: str = "AP"
    exceptions: list[str] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)
    threshold: float = 0.8
    prefix: str = ""
    vocab: bool = True
    accepted: list[str] = field(default_factory=list)

    def compile(self) -> None:
        if not self.threshold:
            self.threshold = 0.8
        self.except_re = word_exceptions(self.exceptions, self.accepted if self.vocab else [])
        words = _WORDS if self.except_re is None else self.except_re.pattern + "|" + _WORDS
        self.words_re = compile_python(words)
        self.prefix_re = compile_vale(self.prefix) if self.prefix else None
        self.match_re = None
        if self.match not in ("$title", "$sentence", "$lower", "$upper"):
            self.match_re = compile_vale(self.match)

    def conforms(self, s: str) -> bool:
        if self.match == "$lower":
            return s == s.lower() or is_match(self.except_re, s)
        if self.match == "$upper":
            return s == s.upper() or is_match(self.except_re, s)
        if self.match == "$title":
            return self._title(s)
        if self.match == "$sentence":
            return self._sentence(s)
        return self.match_re.search(s) is not None or is_match(self.except_re, s)

    def _title(self, s: str) -> bool:
        expected = self.words_re.findall(title_case(s, self.style))
        count = words = 0
        for i, word in enumerate(self.words_re.findall(s)):
            if (
                i >= len(expected)
                or word == expected[i]
                or is_match(self.except_re, word)
                or word == word.upper()
            ):
                count += 1
            words += 1
        return words == 0 or count / words > self.threshold

    def _sentence(self, s: str) -> bool:
        tokens = self.words_re.findall(s.rstrip("?!.:"))
        count = words = 0
        for i, w in enumerate(tokens):
            prev = tokens[i - 1] if i > 0 else ""
            if "-" in w:
                w = w.split("-")[0]
            elif "'" in w:
                w = w.split("'")[0]
            elif "’" in w:
                w = w.split("’")[0]
            if (
                w == w.upper()
                or any(prev.endswith(ind) for ind in self.indicators)
                or is_match(self.except_re, w)
            ):
                count += 1
            elif i == 0 and w != _go_title(w):
                return False
            elif i == 0 or w == w.lower():
                count += 1
            words += 1
        return words == 0 or count / words > self.threshold

    def run(self, block: Block, state: dict[str, Any], budget: Budget) -> list[Alert]:
        text = block.text
        start = 0
        if self.prefix_re is not None:
            m = self.prefix_re.match(text)
            if m:
                start = m.end()
        if self.conforms(text[start:]):
            return []
        return [self.alert(start, len(text), text)]
