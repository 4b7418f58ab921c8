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

from desktop.review.markup import Block
from desktop.review.prefilter import rare_trigram
from desktop.review.regexes import VPattern, compile_vale, required_literals
from desktop.review.rules.base import Alert, Budget, Rule

WORD_TEMPLATE = r"(?m)\b(?:%s)\b"
NONWORD_TEMPLATE = r"(?m)(?:%s)"


class LiteralFilter:
    """Selects the alternatives that can match a text, and compiles (and caches) their pattern.

    `builder.build_pattern(chosen)` makes the pattern of the chosen alternatives (a method of the
    rule rather than a closure, so a loaded rule can be pickled into the rule cache).
    """

    def __init__(self, alternatives: list[str], builder) -> None:
        self.alternatives = alternatives
        self.literals = [required_literals(a) for a in alternatives]
        # literal -> the trigram the prefilter files it under (worked out once, kept in the cache)
        self.keys = {
            lit: rare_trigram(lit) for lits in self.literals if lits for lit in lits if len(lit) >= 3
        }
        self.always = tuple(i for i, lits in enumerate(self.literals) if lits is None)
        self.builder = builder
        self._cache: dict[tuple[int, ...], VPattern] = {}
        self.fid = -1

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_cache"] = {}  # compiled subsets: rebuilt on demand
        return state

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

    def pattern(self, chosen: tuple[int, ...]) -> VPattern:
        pat = self._cache.pop(chosen, None)
        if pat is None:
            if len(self._cache) >= 1024:
                del self._cache[next(iter(self._cache))]  # least recently used
            pat = self.builder.build_pattern(chosen)
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
        self.full = self.build_pattern(None)
        self._raw_literals = required_literals(raw) if raw else None
        self.filter = LiteralFilter(tokens, self) if tokens else None
        from desktop.review.rules.base import word_exceptions

        self.except_re = word_exceptions(
            self.exceptions, self.accepted if self.vocab and not self.nonword else []
        )
        self._phrases = [e for e in [*self.exceptions] if " " in e]
        self.phrase_re = compile_vale(r"(?:" + "|".join(self._phrases) + ")") if self._phrases else None

    def build_pattern(self, chosen: tuple[int, ...] | None) -> VPattern:
        """Vale's pattern for the rule, or for only the `chosen` tokens."""
        tokens = self._tokens
        raw = "".join(self.raw)
        template = WORD_TEMPLATE if not self.nonword and tokens else NONWORD_TEMPLATE
        toks = tokens if chosen is None else [tokens[i] for i in chosen]
        body = template % "|".join(toks) if tokens else template % ""
        pattern = body + raw if self.append else raw + body
        return compile_vale(("(?i)" if self.ignorecase else "") + pattern)

    def pattern_for(self, state: dict) -> VPattern | None:
        if (
            self._raw_literals is not None
            and not any(lit in state["folded"] for lit in self._raw_literals)
            and not state.get("unfiltered")
        ):
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
