"""`extends: sequence`: a run of consecutive words, each matching one token.

Vale tags words with parts of speech (NN, VB ...) and matches token `tag`s against them; Greenlight
has no part-of-speech tagger, so a rule with any `tag` is reported at load and skipped. Rules whose
tokens use only `pattern` (with `negate` and `skip`) are fully supported: they need no tagging.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from desktop.review.markup import Block
from desktop.review.regexes import VPattern, compile_vale
from desktop.review.rules.base import Alert, Budget, Rule

_WORD = VPattern(r"[\p{L}\p{N}][\p{L}\p{N}\p{M}'’\-]*|[^\s\p{L}\p{N}]", 0)  # compiled on first use

UNSUPPORTED_TAG = (
    "sequence tokens with 'tag' need a part-of-speech tagger, which Greenlight does not have; "
    "the rule is skipped (tokens with only 'pattern' are supported)"
)


@dataclass
class SeqToken:
    pattern: VPattern
    negate: bool = False
    skip: int = 0


@dataclass
class Sequence(Rule):
    tokens: list[dict] = field(default_factory=list)
    ignorecase: bool = False

    def compile(self) -> None:
        self.steps = []
        for tok in self.tokens:
            pat = str(tok.get("pattern", ".*"))
            prefix = "(?i)" if self.ignorecase else ""
            self.steps.append(
                SeqToken(
                    compile_vale(prefix + f"^(?:{pat})$"), bool(tok.get("negate")), int(tok.get("skip") or 0)
                )
            )

    def run(self, block: Block, state: dict[str, Any], budget: Budget) -> list[Alert]:
        text = block.text
        words = [m.span() for m in _WORD.finditer(text)]
        alerts = []
        i = 0
        while i < len(words):
            end = self._match_from(text, words, i)
            if end is None:
                i += 1
                continue
            start = words[i][0]
            alerts.append(self.alert(start, words[end][1], text))
            i = end + 1
        return alerts

    def _match_from(self, text: str, words: list[tuple[int, int]], i: int) -> int | None:
        pos = i
        last = i
        for k, step in enumerate(self.steps):
            found = None
            for j in range(pos, min(len(words), pos + step.skip + 1)):
                w = text[words[j][0] : words[j][1]]
                if (step.pattern.search(w) is not None) != step.negate:
                    found = j
                    break
                if k == 0:
                    break
            if found is None:
                return None
            last = found
            pos = found + 1
        return last
