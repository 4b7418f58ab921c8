"""Rule examples as tests: every rule may list texts that must (`fire`) and must not (`pass`) trigger it.

Why: a guideline pack is code written in regular expressions, and it breaks the way code breaks (a
missing word boundary, a greedy look-ahead). With examples beside each rule, a team that edits its
pack runs `greenlight guidelines test` and sees at once which rule stopped doing what it says.

An example *fires* when the engine reports at least one finding of that rule on the example text
(checked as plain text, with every other rule of the packs loaded too, exactly as in the editor);
it *passes* when there is none from that rule. Findings of other rules do not matter.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Folders inside a styles directory that hold Vale configuration, not rules.
NOT_PACKS = frozenset({"config", "Vocab", "vocabularies"})


@dataclass(frozen=True)
class ExampleResult:
    rule: str
    kind: str  # "fire" (must trigger) or "pass" (must not trigger)
    number: int  # 1-based position in the rule's list of that kind
    text: str
    ok: bool
    detail: str = ""  # on failure: what happened instead

    def as_json(self) -> dict:
        return {
            "rule": self.rule,
            "kind": self.kind,
            "number": self.number,
            "text": self.text,
            "ok": self.ok,
            "detail": self.detail,
        }


@dataclass
class ExampleRun:
    packs: list[Path]
    rules: int = 0
    results: list[ExampleResult] = field(default_factory=list)
    without_examples: list[str] = field(default_factory=list)
    problems: list[Any] = field(default_factory=list)  # the engine's LoadProblem objects

    @property
    def passed(self) -> int:
        return sum(1 for r in self.results if r.ok)

    @property
    def failed(self) -> list[ExampleResult]:
        return [r for r in self.results if not r.ok]

    def summary(self) -> str:
        parts = [f"{self.passed} passed", f"{len(self.failed)} failed"]
        if self.without_examples:
            parts.append(f"{len(self.without_examples)} rule(s) without examples")
        if self.problems:
            parts.append(f"{len(self.problems)} load problem(s)")
        packs = f"{len(self.packs)} pack" + ("" if len(self.packs) == 1 else "s")
        return f"{', '.join(parts)} ({self.rules} rules in {packs})"


def find_packs(directory: Path) -> list[Path]:
    """The packs in a styles folder: each sub-folder holding `.yml` rules (Vale's `<Style>/<Rule>.yml`).

    A folder that itself holds rules and no pack folders is taken as one pack, so a team can point
    the command straight at its pack.
    """
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory}: no such folder")
    packs = [
        sub
        for sub in sorted(directory.iterdir())
        if sub.is_dir()
        and not sub.name.startswith(".")
        and sub.name not in NOT_PACKS
        and any(sub.glob("*.yml"))
    ]
    if not packs and any(directory.glob("*.yml")):
        packs = [directory]
    return packs


def _rule_examples(rule: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    examples = getattr(rule, "examples", None)
    if examples is None:
        return (), ()
    fire = tuple(getattr(examples, "fire", ()) or ())
    passes = getattr(examples, "passes", None)
    if passes is None:
        passes = getattr(examples, "pass_", ())
    return fire, tuple(passes or ())


def _describe(findings: Iterable[Any]) -> str:
    shown = [f"{f.line}:{f.column} {f.match!r}" for f in findings]
    return "fired at " + ", ".join(shown[:3]) + (" ..." if len(shown) > 3 else "")


def run_examples(directory: Path, *, engine: Any = None) -> ExampleRun:
    """Load every pack in `directory` and run each rule's examples; nothing is written anywhere."""
    packs = find_packs(directory)
    run = ExampleRun(packs=packs)
    if not packs:
        return run
    if engine is None:
        from desktop.review.engine import Engine

        engine = Engine.from_packs(packs)
    run.problems = list(getattr(engine, "problems", ()) or ())
    rules = list(engine.rules)
    run.rules = len(rules)
    cache: dict[str, list[Any]] = {}

    def findings_of(text: str, rule_id: str) -> list[Any]:
        if text not in cache:
            cache[text] = list(engine.check(text, syntax="text"))
        return [f for f in cache[text] if f.rule == rule_id]

    for rule in sorted(rules, key=lambda r: r.id):
        fire, passes = _rule_examples(rule)
        if not fire and not passes:
            run.without_examples.append(rule.id)
            continue
        for number, text in enumerate(fire, 1):
            hits = findings_of(text, rule.id)
            run.results.append(
                ExampleResult(rule.id, "fire", number, text, bool(hits), "" if hits else "did not fire")
            )
        for number, text in enumerate(passes, 1):
            hits = findings_of(text, rule.id)
            run.results.append(
                ExampleResult(rule.id, "pass", number, text, not hits, _describe(hits) if hits else "")
            )
    return run
