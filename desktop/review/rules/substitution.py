"""`extends: substitution`: suggest `expected` for every match of an `observed` key of `swap`.

Each key becomes one capture group of `(?m)\\b(?:(key1)|(key2)|...)\\b`; the group that matched names
the replacement. Vale then skips the match when it already is the expected text (`matchToken`),
quotes the alternatives itself when the action is `replace` (so a message `'%s'` is not quoted
twice), and offers the alternatives as the fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from desktop.review.markup import Block
from desktop.review.regexes import PatternError, VPattern, compile_vale
from desktop.review.rules.base import Alert, Budget, Rule, format_message, is_match, whitespace_to_space
from desktop.review.rules.existence import NONWORD_TEMPLATE, WORD_TEMPLATE, LiteralFilter


def to_sentence(words: list[str], and_or: str = "or") -> str:
    """Vale's core.ToSentence: `'a'`, `'a' or 'b'`, `'a', 'b', or 'c'`."""
    if len(words) == 1:
        return f"'{words[0]}'"
    if len(words) == 2:
        return f"'{words[0]}' or '{words[1]}'"
    quoted = [f"'{w}'" for w in words]
    quoted[-1] = f"{and_or} {quoted[-1]}"
    return ", ".join(quoted)


def convert_message(msg: str) -> str:
    """Drop the quotes around the first `%s` when the message quotes both (Vale's convertMessage)."""
    for spec in ("'%s'", '"%s"'):
        if msg.count(spec) == 2:
            msg = msg.replace(spec, "%s", 1)
    return msg


_token_cache: dict[tuple[str, bool], VPattern | None] = {}


def match_token(expected: str, observed: str, ignorecase: bool) -> bool:
    """Vale's matchToken: is the observed text already the expected one?"""
    if " " not in expected:
        return expected == observed
    key = (expected, ignorecase)
    pat = _token_cache.get(key, False)
    if pat is False:
        try:
            pat = compile_vale(("(?i)" if ignorecase else "") + f"^(?:{expected})$")
        except PatternError:
            pat = None
        _token_cache[key] = pat
    if pat is None:
        return expected == observed
    return pat.search(observed) is not None


@dataclass
class Substitution(Rule):
    swap: list[tuple[str, str]] = field(default_factory=list)
    ignorecase: bool = False
    nonword: bool = False
    exceptions: list[str] = field(default_factory=list)
    vocab: bool = True
    capitalize: bool = False
    accepted: list[str] = field(default_factory=list)

    def compile(self) -> None:
        for key, _ in self.swap:
            opens = key.count("(")
            if opens != key.count("(?") and opens != key.count(r"\("):
                raise PatternError(f"capture group not supported in {key!r}; use '(?:' instead of '('")
        keys = [k for k, _ in self.swap]
        self.full = self.build_pattern(None)
        self.filter = LiteralFilter(keys, self)
        from desktop.review.rules.base import word_exceptions

        self.except_re = word_exceptions(self.exceptions, self.accepted if self.vocab else [])

    def build_pattern(self, chosen: tuple[int, ...] | None) -> VPattern:
        """One capture group per key (all keys, or only the `chosen` ones), as Vale builds it."""
        template = NONWORD_TEMPLATE if self.nonword else WORD_TEMPLATE
        idx = range(len(self.swap)) if chosen is None else chosen
        body = template % "|".join(f"({self.swap[i][0]})" for i in idx)
        return compile_vale(("(?i)" if self.ignorecase else "") + body)

    def run(self, block: Block, state: dict[str, Any], budget: Budget) -> list[Alert]:
        if not self.swap:
            return []
        chosen = self.filter.select(state)
        if not chosen:
            return []
        full = len(chosen) == len(self.swap)
        pattern = self.full if full else self.filter.pattern(chosen)
        order = range(len(self.swap)) if full else chosen
        text = block.text
        alerts = []
        for m in self.finditer(pattern, text, budget):
            for g, idx in enumerate(order, start=1):
                start, end = m.span(g)
                if start < 0:
                    continue
                converted = text[start:end]
                observed = converted.strip()
                expected = self.swap[idx][1]
                if match_token(expected, observed, self.ignorecase) or is_match(self.except_re, observed):
                    continue
                action, params, message = self.action.name, self.action.params, self.message
                if action == "replace" and not params:
                    params = tuple(expected.split("|"))
                    if self.capitalize and observed[:1].isupper():
                        params = tuple(p[:1].upper() + p[1:] for p in params)
                    expected = to_sentence(list(params), "or")
                    message = convert_message(message)
                msg = whitespace_to_space(format_message(message, expected, observed))
                alerts.append(Alert(start, end, msg, converted, action, params))
        return alerts
