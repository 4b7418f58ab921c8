"""`extends: repetition`: the same token twice in a row ("the the"), as Vale's repetition check.

Matches of `(tokens)` are compared with the previous match (case-insensitively with `ignorecase`);
with `alpha` only all-letter tokens count. A repeat is reported from the first copy to the second
unless a line break lies between them; `max` allows that many repeats first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from desktop.review.markup import Block
from desktop.review.regexes import compile_vale
from desktop.review.rules.base import Alert, Budget, Rule


@dataclass
class Repetition(Rule):
    tokens: list[str] = field(default_factory=list)
    max: int = 0
    ignorecase: bool = False
    alpha: bool = False

    def compile(self) -> None:
        self.pattern = compile_vale(("(?i)" if self.ignorecase else "") + "(" + "|".join(self.tokens) + ")")

    def run(self, block: Block, state: dict[str, Any], budget: Budget) -> list[Alert]:
        text = block.text
        alerts = []
        prev, ploc, count = "", (0, 0), 0
        for m in self.finditer(self.pattern, text, budget):
            loc = m.span()
            curr = text[loc[0] : loc[1]].strip()
            hit = (curr.lower() == prev.lower()) if self.ignorecase else (curr == prev)
            hit = hit and curr != "" and (not self.alpha or curr.isalpha())
            if hit:
                count += 1
            if hit and count > self.max and "\n" not in text[ploc[0] : loc[1]]:
                alerts.append(self.alert(ploc[0], loc[1], text, curr))
                count = 0
            ploc, prev = loc, curr
        return alerts
