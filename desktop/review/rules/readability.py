"""`extends: readability`: the average grade of the chosen `metrics` must not exceed `grade`.

Like Vale, this runs once on the document's summary (its paragraphs, lists and block quotes) and
reports at line 1, column 1, with the grade (two decimals) as the message's `%s`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from desktop.review import nlp
from desktop.review.markup import Block
from desktop.review.rules.base import Alert, Budget, Rule, format_message, whitespace_to_space


@dataclass
class Readability(Rule):
    metrics: list[str] = field(default_factory=list)
    grade: float = 0.0

    def compile(self) -> None:
        unknown = [m for m in self.metrics if m not in nlp.READABILITY_METRICS]
        if unknown or not self.metrics:
            raise ValueError(
                f"metrics must be one or more of {', '.join(nlp.READABILITY_METRICS)} (got {unknown or 'none'})"
            )

    def run(self, block: Block, state: dict[str, Any], budget: Budget) -> list[Alert]:
        st = state.get("stats") or nlp.stats(block.text)
        state["stats"] = st
        if st.words == 0:
            return []
        value = sum(nlp.grade(m, st) for m in self.metrics) / len(self.metrics)
        if value > self.grade:
            msg = whitespace_to_space(format_message(self.message, f"{value:.2f}"))
            return [Alert(0, 0, msg, "", self.action.name, self.action.params, document=True)]
        return []
