"""`extends: conditional`: if `first` occurs, `second` must too (e.g. an acronym and its definition).

As in Vale: the first capture group of every `second` match is remembered for the document (in
document order), then each `first` match not remembered and not an exception is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from desktop.review.markup import Block
from desktop.review.regexes import compile_vale
from desktop.review.rules.base import Alert, Budget, Rule, is_match, word_exceptions


@dataclass
class Conditional(Rule):
    first: str = ""
    second: str = ""
    ignorecase: bool = False
    exceptions: list[str] = field(default_factory=list)
    vocab: bool = True
    accepted: list[str] = field(default_factory=list)

    def compile(self) -> None:
        self.stateful = True
        prefix = "(?i)" if self.ignorecase else ""
        self.first_re = compile_vale(prefix + self.first)
        self.second_re = compile_vale(prefix + self.second)
        self.except_re = word_exceptions(self.exceptions, self.accepted if self.vocab else [])

    def run(self, block: Block, state: dict[str, Any], budget: Budget) -> list[Alert]:
        defined: set[str] = state.setdefault(("conditional", self.id), set())
        text = block.text
        for m in self.finditer(self.second_re, text, budget):
            if m.re.groups >= 1 and m.group(1) is not None:
                defined.add(m.group(1))
        alerts = []
        for m in self.finditer(self.first_re, text, budget):
            s = m.group()
            if s and s not in defined and not is_match(self.except_re, s):
                alerts.append(self.alert(m.start(), m.end(), text))
        return alerts
