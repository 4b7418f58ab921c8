"""`extends: occurrence`: too many (`max`) or too few (`min`) matches of `token` in one scope.

Typical use: sentence length (`scope: sentence`, `token: \\b(\\w+)\\b`, `max: 30`). As in Vale the
message is not formatted with the match, and the alert sits on the first match (or, when there is
none because `min` was missed, on the whole block).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop.review.markup import Block
from desktop.review.regexes import compile_vale
from desktop.review.rules.base import Alert, Budget, Rule, whitespace_to_space


@dataclass
class Occurrence(Rule):
    token: str = ""
    max: int = 0
    min: int = 0
    ignorecase: bool = False

    def compile(self) -> None:
        self.pattern = compile_vale(("(?i)" if self.ignorecase else "") + f"(?:{self.token})")

    def run(self, block: Block, state: dict[str, Any], budget: Budget) -> list[Alert]:
        locs = [m.span() for m in self.finditer(self.pattern, block.text, budget)]
        n = len(locs)
        if (self.max > 0 and n > self.max) or (self.min > 0 and n < self.min):
            start, end = locs[0] if locs else (0, len(block.text))
            msg = whitespace_to_space(self.message)
            return [Alert(start, end, msg, block.text[start:end], self.action.name, self.action.params)]
        return []
