"""What every rule kind shares: its definition, scope matching, message formatting, alerts.

A rule is compiled once at load time and then run on blocks; it reports `Alert`s in block
positions, which the engine maps back to the source. Rules are immutable after loading, so one
engine can serve the editor and the CLI and its per-block results can be cached.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from time import perf_counter
from typing import Any, NamedTuple

import regex

from desktop.review.findings import Severity
from desktop.review.markup import Block
from desktop.review.regexes import VPattern

DEFAULT_TIMEOUT = 0.25  # seconds one rule may spend on one document

# A pattern whose worst case on a text (from `VPattern.cost`) stays under this many steps runs
# without the regex module's timeout: setting one up costs more than most searches of a sentence,
# and such a search cannot run away (a few milliseconds at worst). The time is still counted
# against the rule's budget, so the next call is stopped if the budget is spent.
UNTIMED_STEPS = 1_000_000


class RuleTimeout(Exception):
    """A rule's regular expression ran past its time budget on this document."""


@dataclass
class Budget:
    """Time left per rule for one check of one document (catastrophic regexes cannot freeze)."""

    per_rule: float = DEFAULT_TIMEOUT
    used: dict[str, float] = field(default_factory=dict)

    def left(self, rule_id: str) -> float:
        return self.per_rule - self.used.get(rule_id, 0.0)

    def spend(self, rule_id: str, seconds: float) -> None:
        self.used[rule_id] = self.used.get(rule_id, 0.0) + seconds


class Alert(NamedTuple):
    """One match of a rule in a block (positions are block positions, end exclusive).

    A named tuple rather than a frozen dataclass: thousands are made per long document, and a
    tuple is several times cheaper to build."""

    start: int
    end: int
    message: str
    match: str
    action: str = ""
    params: tuple[str, ...] = ()
    document: bool = False  # a whole-document alert (readability, metric): Vale puts it at 1:1


@dataclass(frozen=True)
class Action:
    name: str = ""
    params: tuple[str, ...] = ()


@dataclass(frozen=True)
class Examples:
    """The Greenlight `examples` key: texts that must (`fire`) and must not (`pass`) trigger."""

    fire: tuple[str, ...] = ()
    pass_: tuple[str, ...] = ()

    @property
    def passes(self) -> tuple[str, ...]:
        return self.pass_


class Scope:
    """Vale's scope selectors: `heading`, `heading.h1`, `~blockquote`, `list & ~heading` ..."""

    def __init__(self, value: list[str]) -> None:
        self.value = value
        self.options: list[list[tuple[frozenset[str], bool]]] = []
        for v in value:
            parts = []
            for part in v.split("&"):
                part = part.strip()
                negated = part.startswith("~")
                parts.append((frozenset(part.lstrip("~").strip().split(".")), negated))
            self.options.append(parts)

    @property
    def document_sized(self) -> bool:
        """Only `raw` / `summary`: run once on the whole document."""
        return all(
            len(parts) == 1 and not parts[0][1] and parts[0][0] & {"raw", "summary"} for parts in self.options
        )

    def matches(self, block: Block) -> bool:
        sections = block.sections
        for parts in self.options:
            ok = True
            for needed, negated in parts:
                if negated:
                    if needed <= sections or sections & {"raw", "summary"}:
                        ok = False
                        break
                elif not needed <= sections:
                    ok = False
                    break
            if ok:
                return True
        return False


def format_message(msg: str, *subs: str) -> str:
    """Go's fmt.Sprintf as Vale calls it: `%s` filled in order, missing ones empty, `%%` is `%`."""
    if "%" not in msg:
        return msg
    parts = msg.split("%s")
    if len(parts) - 1 == msg.count("%"):  # only plain `%s` verbs: the common case, done fast
        if len(parts) == 2:
            return parts[0] + (subs[0] if subs else "") + parts[1]
        out = [parts[0]]
        for k, part in enumerate(parts[1:]):
            out.append(subs[k] if k < len(subs) else "")
            out.append(part)
        return "".join(out)
    out, i, k, n = [], 0, 0, len(msg)
    while i < n:
        c = msg[i]
        if c == "%" and i + 1 < n:
            nxt = msg[i + 1]
            if nxt == "%":
                out.append("%")
                i += 2
                continue
            if nxt in "sqv":
                val = subs[k] if k < len(subs) else ""
                out.append(f'"{val}"' if nxt == "q" else val)
                k += 1
                i += 2
                continue
        out.append(c)
        i += 1
    return "".join(out)


_SPACES = regex.compile(" +")


def whitespace_to_space(msg: str) -> str:
    """Vale's FormatAlert: newlines become spaces, runs of spaces one space."""
    if "\n" not in msg and "  " not in msg:
        return msg
    return _SPACES.sub(" ", msg.replace("\n", " "))


@dataclass
class Rule:
    """Fields every kind has (Vale's `Definition`) plus the Greenlight extension keys."""

    id: str
    kind: str
    message: str
    file: str
    level: Severity = Severity.WARNING
    scope: Scope = field(default_factory=lambda: Scope(["text"]))
    description: str = ""
    link: str = ""
    limit: int = 0
    action: Action = field(default_factory=Action)
    tags: tuple[str, ...] = ()
    examples: Examples = field(default_factory=Examples)
    # Set by kinds whose result depends on the whole document rather than one block.
    stateful: bool = False
    notes: tuple[str, ...] = ()  # honest statements of partial support, shown at load

    @property
    def pack(self) -> str:
        return self.id.split(".", 1)[0]

    def run(self, block: Block, state: dict[str, Any], budget: Budget) -> list[Alert]:
        raise NotImplementedError

    def might_match(self, folded: str) -> bool:
        """Cheap test on the casefolded block text; False means the rule cannot match."""
        return True

    # -- helpers for subclasses -------------------------------------------------------------------

    def finditer(self, pattern: VPattern, text: str, budget: Budget) -> list[regex.Match]:
        # Called for every rule on every block: the budget bookkeeping is inlined on purpose.
        used = budget.used
        rid = self.id
        spent = used.get(rid, 0.0)
        left = budget.per_rule - spent
        if left <= 0:
            raise RuleTimeout(rid)
        compiled = pattern.compiled
        cost = pattern.cost
        t0 = perf_counter()
        try:
            if cost is not None and cost[0] * len(text) ** (cost[1] + 1) <= UNTIMED_STEPS:
                return list(compiled.finditer(text))  # small even at worst: no timeout needed
            return list(compiled.finditer(text, timeout=left))
        except TimeoutError:
            raise RuleTimeout(rid) from None
        finally:
            used[rid] = spent + (perf_counter() - t0)

    def search(self, pattern: VPattern, text: str, budget: Budget) -> regex.Match | None:
        used = budget.used
        rid = self.id
        spent = used.get(rid, 0.0)
        left = budget.per_rule - spent
        if left <= 0:
            raise RuleTimeout(rid)
        compiled = pattern.compiled
        cost = pattern.cost
        t0 = perf_counter()
        try:
            if cost is not None and cost[0] * len(text) ** (cost[1] + 1) <= UNTIMED_STEPS:
                return compiled.search(text)
            return compiled.search(text, timeout=left)
        except TimeoutError:
            raise RuleTimeout(rid) from None
        finally:
            used[rid] = spent + (perf_counter() - t0)

    def alert(self, start: int, end: int, text: str, *subs: str, message: str | None = None) -> Alert:
        match = text[start:end]
        msg = format_message(self.message if message is None else message, *(subs or (match,)))
        if "\n" in msg or "  " in msg:
            msg = whitespace_to_space(msg)
        action = self.action
        return Alert(start, end, msg, match, action.name, action.params)


def word_exceptions(exceptions: list[str], accepted: list[str]) -> VPattern | None:
    """Vale's exception matcher: `\\b(?:longest|...|shortest)\\b`, searched in the observed text."""
    from desktop.review.regexes import compile_vale

    terms = sorted([*exceptions, *accepted], key=len, reverse=True)
    if not terms:
        return None
    return compile_vale(r"(?m)\b(?:" + "|".join(terms) + r")\b")


def is_match(pattern: VPattern | None, s: str) -> bool:
    return pattern is not None and pattern.search(s) is not None
