"""`extends: existence`: report every match of `tokens` (and `raw`).

Vale builds one pattern, `raw + (?m)\\b(?:tok1|tok2|...)\\b` (no `\\b` with `nonword`, raw after the
tokens with `append`), and reports each match unless it is an exception or an accepted vocabulary
word. Here each token also carries the literal text every match of it must contain; before running
the pattern, tokens whose literal is absent from the block are dropped (they cannot match there),
so a 300-token rule usually runs a pattern of zero to three alternatives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import regex

from desktop.review.markup import Block
from desktop.review.regexes import compile_vale, required_literals
from desktop.review.rules.base import Alert, Budget, Rule

WORD_TEMPLATE = r"(?m)\b(?:%s)\b"
NONWORD_TEMPLATE = r"(?m)(?:%s)"


class LiteralFilter:
    """Selects the alternatives that can match a text, and compiles (and caches) their pattern."""

    def __init__(self, alternatives: list[str], build) -> None:
        self.alternatives = alternatives
        self.literals = [required_literals(a) for a in alternatives]
        self.always = tuple(i for i, lits in enumerate(self.literals) if lits is None)
        self.build = build  # tuple of selected indices -> compiled pattern
        self._cache: dict[tuple[int, ...], regex.Pattern] = {}
        self.fid = -1

    def select(self, state: dict) -> tuple[int, ...]:
        """The alternatives that can match the block `state` describes (see `prefilter`)."""
        selection = state.get("selection")
        if selection is None:
            folded = state["folded"]
            return tuple(
                i
                for i, lits in enumerate(self.literals)
                if lits is None or any(lit in folded for lit in lits)
            )
        if not isinstance(selection, dict):
            selection = state["selection"] = selection()
        return selection.get(self.fid, ())

    def pattern(self, chosen: tuple[int, ...]) -> regex.Pattern:
        pat = self._cache.pop(chosen, None)
        if pat is None:
            if len(self._cache) >= 1024:
                del self._cache[next(iter(self._cache))]  # least recently used
            pat = self.build(chosen)
        self._cache[chosen] = pat
        return pat


@dataclass
class Existence(Rule):
    tokens: list[str] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)
    append: bool = False
    nonword: bool = False
    ignorecase: bool = False
    exceptions: list[str] = field(default_factory=list)
    vocab: bool = True
    accepted: list[str] = field(default_factory=list)

    def compile(self) -> None:
        """Validate the full pattern (as Vale compiles it) and set up the prefilter."""
        tokens = [t for t in self.tokens if t.strip()]
        self._tokens = tokens
        raw = "".join(self.raw)
        word = not self.nonword and bool(tokens)
        template = WORD_TEMPLATE if word else NONWORD_TEMPLATE
        prefix = "(?i)" if self.ignorecase else ""

        def build(chosen: tuple[int, ...] | None) -> regex.Pattern:
            toks = tokens if chosen is None else [tokens[i] for i in chosen]
            body = template % "|".join(toks)
            if not tokens:
                body = template % ""
            pattern = body + raw if self.append else raw + body
            return compile_vale(prefix + pattern)

        self.full = build(None)
        self._raw_literals = required_literals(raw) if raw else None
        self.filter = LiteralFilter(tokens, build) if tokens else None
        from desktop.review.rules.base import word_exceptions

        self.except_re = word_exceptions(
            self.exceptions, self.accepted if self.vocab and not self.nonword else []
        )
        self._phrases = [e for e in [*self.exceptions] if " " in e]
        self.phrase_re = compile_vale(r"(?:" + "|".join(self._phrases) + ")") if self._phrases else None

    def pattern_for(self, state: dict) -> regex.Pattern | None:
        if self._raw_literals is not None and not any(lit in state["folded"] for lit in self._raw_literals):
            return None
        if self.filter is None:
            return self.full
        chosen = self.filter.select(state)
        if not chosen:
            return None
        if len(chosen) == len(self._tokens):
            return self.full
        return self.filter.pattern(chosen)

    def run(self, block: Block, state: dict[str, Any], budget: Budget) -> list[Alert]:
        pattern = self.pattern_for(state)
        if pattern is None:
            return []
        text = block.text
        matches = self.finditer(pattern, text, budget)
        if not matches:
            return []
        alerts = []
        phrases = None
        except_re = self.except_re
        for m in matches:
            start, end = m.span()
            if start == end:
                continue
            if except_re is not None and except_re.search(text[start:end].strip()) is not None:
                continue
            if self.phrase_re is not None:
                if phrases is None:
                    phrases = [p.span() for p in self.phrase_re.finditer(text)]
                if any(a <= start and end <= b for a, b in phrases):
                    continue
            alerts.append(self.alert(start, end, text))
        return alerts
