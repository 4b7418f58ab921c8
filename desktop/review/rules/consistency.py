"""`extends: consistency`: a document should use one spelling of each `either` pair, not both.

Vale keeps, per file, which side of each pair it has seen; once both sides have appeared, every
later block containing either of them gets an alert at its last match. Blocks are visited in
document order, so the engine runs this kind over the whole document with shared state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from desktop.review.markup import Block
from desktop.review.regexes import compile_vale, required_literals
from desktop.review.rules.base import Alert, Budget, Rule


@dataclass
class Consistency(Rule):
    either: list[tuple[str, str]] = field(default_factory=list)
    ignorecase: bool = False
    nonword: bool = False

    def compile(self) -> None:
        self.stateful = True
        template = r"(?m)(?:%s)" if self.nonword else r"(?m)\b(?:%s)\b"
        prefix = "(?i)" if self.ignorecase else ""
        self.steps = [compile_vale(prefix + template % f"({a})|({b})") for a, b in self.either]
        # Per pair, text one of whose spellings must be present for the pair to match (None: any
        # text may match): a block with neither is skipped without running the pattern.
        self.pair_literals = [required_literals(f"(?:{a})|(?:{b})") for a, b in self.either]

    def run(self, block: Block, state: dict[str, Any], budget: Budget) -> list[Alert]:
        seen: set[tuple[int, int]] = state.setdefault(("consistency", self.id), set())
        text = block.text
        folded = state.get("folded")
        if folded is None:
            folded = text.casefold()
        unfiltered = state.get("unfiltered", False)
        alerts = []
        for k, pattern in enumerate(self.steps):
            lits = self.pair_literals[k]
            if lits is not None and not unfiltered and not any(lit in folded for lit in lits):
                continue
            matches = self.finditer(pattern, text, budget)
            loc = None
            for m in matches:
                for g in (1, 2):
                    if m.start(g) >= 0:
                        seen.add((k, g))
                        loc = m.span(g)
            if loc is not None and (k, 1) in seen and (k, 2) in seen:
                alerts.append(self.alert(loc[0], loc[1], text))
        return alerts
