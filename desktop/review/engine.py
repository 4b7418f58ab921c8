"""The guideline engine: loaded rule packs + a document -> findings, as Vale would report them.

Loading compiles every rule once. Checking parses the document into scoped blocks (see `markup`),
runs each *block-local* rule on each block it is scoped to, then the *document* rules: those that
carry state across blocks (consistency, conditional), those sized to the whole document (`raw`,
`summary`: readability, metric) and, in plain text, occurrence counts over the whole text (as Vale
counts them). Block-local results depend only on the block's text, which is what lets the editor
(`IncrementalChecker`) reuse them for every paragraph the writer did not touch.

A rule whose regular expression runs away is stopped after `rule_timeout` seconds on a document,
reported in `problems` and switched off for the session: the editor never freezes on a bad pack.

What keeps a check fast (the budgets: a post in under 2 ms, 20 KB of Markdown in under 100 ms):
loaded packs come from the rule cache (`rulecache`) and compile their patterns only when used; the
literal prefilter (`prefilter`) decides once per paragraph which tokens of which rules could match,
so most rules are skipped without a call and the others run a pattern of only their possible
tokens; and patterns that provably cannot run away skip the regex timeout (`rules.base`), whose
setup costs more than a short search. `Engine(..., prefilter=False)` runs every rule's whole
pattern on every block instead: the reference whose findings the tests hold the fast path to.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from desktop.review import actions
from desktop.review.findings import Finding, Fix, Severity
from desktop.review.loader import LoadProblem
from desktop.review.markup import Block, Document, parse
from desktop.review.prefilter import Gate, LiteralIndex, Selection
from desktop.review.rules import Alert, Budget, Rule, RuleTimeout, Scope
from desktop.review.rules.base import DEFAULT_TIMEOUT, format_message
from desktop.review.rules.existence import Existence
from desktop.review.rules.substitution import Substitution

__all__ = ["PROFILE_CACHE", "Engine", "LoadProblem"]

# `cache_dir` default of the constructors: the rule cache in the profile folder.
PROFILE_CACHE = "<profile>"

_PLAIN_TERM = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N} '’.\-]*")

# One cached block-local result: (rule index, block index within the unit, alert).
UnitResult = list[tuple[int, int, Alert]]


@dataclass(frozen=True)
class _Plan:
    """The block-local rules for one block scope: (rule index, rule, gating filter id or -1), and
    the prefilter gate of their literal filters."""

    rules: list[tuple[int, Rule, int]]
    gate: Gate | None


@dataclass(frozen=True)
class _Profile:
    """Which rules run for one syntax, at which level (from .vale.ini sections or settings)."""

    active: tuple[bool, ...]
    levels: dict[int, Severity]


def _vocab_rules(accept: Iterable[str], reject: Iterable[str]) -> tuple[list[Rule], list[LoadProblem]]:
    """Vale's built-in vocabulary rules: Vale.Terms (accepted words in the wrong case), Vale.Avoid."""
    rules: list[Rule] = []
    problems: list[LoadProblem] = []
    terms = [t for t in dict.fromkeys(accept) if _PLAIN_TERM.fullmatch(t)]
    try:
        if terms:
            r = Substitution(
                id="Vale.Terms",
                kind="substitution",
                message="Use '%s' instead of '%s'.",
                file="<vocabulary accept>",
                level=Severity.ERROR,
                swap=[(regex.escape(t, special_only=True), t) for t in sorted(terms, key=len, reverse=True)],
                ignorecase=True,
                vocab=False,
            )
            r.compile()
            rules.append(r)
        avoid = list(dict.fromkeys(reject))
        if avoid:
            r = Existence(
                id="Vale.Avoid",
                kind="existence",
                message="Avoid using '%s'.",
                file="<vocabulary reject>",
                level=Severity.ERROR,
                tokens=avoid,
                vocab=False,
            )
            r.compile()
            rules.append(r)
    except Exception as exc:  # a vocabulary entry that is not a valid pattern
        problems.append(LoadProblem("<vocabulary>", 1, "Vale.Vocab", f"invalid vocabulary entry: {exc}"))
    return rules, problems


class Engine:
    """Compiled rules, ready to check any number of documents (thread-compatible: no shared state
    is mutated while checking except caches filled on first use (patterns compiled lazily, the
    per-scope rule plans and prefilter gates) and the quarantine list)."""

    def __init__(
        self,
        rules: list[Rule],
        problems: list[LoadProblem] | None = None,
        *,
        min_level: Severity = Severity.SUGGESTION,
        disabled_rules: Iterable[str] = (),
        profiles: dict[str, tuple[set[str] | None, dict[str, str]]] | None = None,
        rule_timeout: float = DEFAULT_TIMEOUT,
        prefilter: bool = True,
    ) -> None:
        """`prefilter=False` runs every rule's whole pattern on every block it is scoped to: much
        slower, and the reference the prefiltered path is tested against (same findings)."""
        self.rules: list[Rule] = rules
        self.prefilter = prefilter
        self.problems: list[LoadProblem] = list(problems or [])
        self.min_level = min_level
        self.rule_timeout = rule_timeout
        self.quarantined: dict[str, str] = {}
        self._index = {r.id: i for i, r in enumerate(rules)}
        self._literals = LiteralIndex([f for r in rules if (f := getattr(r, "filter", None)) is not None])
        # What the reference mode offers every filter: all of its alternatives.
        self._everything: Selection = {
            f.fid: tuple(range(len(f.alternatives))) for f in self._literals.filters
        }
        self._partitions: dict[tuple[str, int], tuple] = {}
        # rule index -> its literal filter id when the rule cannot match without one of its tokens
        self._gated = [
            f.fid if (f := getattr(r, "filter", None)) is not None and not f.always else -1 for r in rules
        ]
        disabled = set(disabled_rules)
        self._profiles: dict[str, _Profile] = {}
        for syntax in ("text", "markdown"):
            based, settings = (profiles or {}).get(syntax, (None, {}))
            active, levels = [], {}
            for i, r in enumerate(rules):
                setting = settings.get(r.id, settings.get(r.pack))
                on = r.id not in disabled and (based is None or r.pack in based or r.pack == "Vale")
                if setting == "NO":
                    on = False
                elif setting is not None:
                    on = r.id not in disabled
                    if setting != "YES":
                        levels[i] = Severity.parse(setting)
                active.append(on)
            self._profiles[syntax] = _Profile(tuple(active), levels)

    # -- construction ------------------------------------------------------------------------------

    @property
    def rule_ids(self) -> list[str]:
        return [r.id for r in self.rules]

    def rule(self, rule_id: str) -> Rule:
        return self.rules[self._index[rule_id]]

    @classmethod
    def from_packs(
        cls,
        pack_dirs: list[Path],
        *,
        min_level: Severity = Severity.SUGGESTION,
        accept: Iterable[str] = (),
        reject: Iterable[str] = (),
        disabled_rules: Iterable[str] = frozenset(),
        rule_timeout: float = DEFAULT_TIMEOUT,
        cache_dir: Path | str | None = PROFILE_CACHE,
    ) -> Engine:
        """Every rule of each pack folder (`<Pack>/<Rule>.yml`), plus vocabulary rules.

        Loaded packs are kept in the rule cache (`rulecache`): in the profile by default, in
        `cache_dir` when given, not at all with `cache_dir=None`.
        """
        from desktop.review.rulecache import default_dir, load_pack_cached

        accept = list(accept)
        if cache_dir == PROFILE_CACHE:
            try:
                cache_dir = default_dir()
            except OSError:  # no usable profile folder: load without a cache
                cache_dir = None
        rules: list[Rule] = []
        problems: list[LoadProblem] = []
        seen: set[str] = set()
        for folder in pack_dirs:
            folder = Path(folder)
            if not folder.is_dir():
                problems.append(LoadProblem(str(folder), 1, folder.name, "pack folder not found"))
                continue
            rs, ps = load_pack_cached(
                folder, accepted=accept, cache_dir=Path(cache_dir) if cache_dir is not None else None
            )
            for r in rs:
                if r.id in seen:
                    problems.append(
                        LoadProblem(r.file, 1, r.id, "a rule with this id is already loaded; skipped")
                    )
                    continue
                seen.add(r.id)
                rules.append(r)
            problems.extend(ps)
        vr, vp = _vocab_rules(accept, reject)
        return cls(
            rules + vr,
            problems + vp,
            min_level=min_level,
            disabled_rules=disabled_rules,
            rule_timeout=rule_timeout,
        )

    @classmethod
    def from_styles_dir(
        cls, styles_dir: Path, *, min_level: Severity = Severity.SUGGESTION, **kw: Any
    ) -> Engine:
        """Every style folder in `styles_dir` (folders holding rule files), and nothing else."""
        styles_dir = Path(styles_dir)
        if not styles_dir.is_dir():
            from desktop.errors import GreenlightError

            raise GreenlightError(f"{styles_dir}: not a folder of styles (expected <Style>/<Rule>.yml)")
        packs = sorted(p for d in styles_dir.iterdir() if (p := _style_folder(d)) is not None)
        if not packs:
            from desktop.errors import GreenlightError

            raise GreenlightError(
                f"{styles_dir}: no style folders found (expected <Style>/<Rule>.yml inside it)"
            )
        return cls.from_packs(packs, min_level=min_level, **kw)

    @classmethod
    def from_config(
        cls,
        vale_ini: Path,
        *,
        accept: Iterable[str] = (),
        reject: Iterable[str] = (),
        disabled_rules: Iterable[str] = frozenset(),
        min_level: Severity | None = None,
        rule_timeout: float = DEFAULT_TIMEOUT,
        cache_dir: Path | str | None = PROFILE_CACHE,
    ) -> Engine:
        """A `.vale.ini`: its StylesPath, BasedOnStyles per syntax, rule levels and vocabularies.

        Raises `desktop.review.config.ConfigError` (a `ValueError`) when the file cannot be used.
        `accept`/`reject` add words to the file's vocabularies; `min_level` overrides MinAlertLevel.
        """
        from desktop.review.config import parse_vale_ini

        cfg = parse_vale_ini(Path(vale_ini))
        accept_cfg, reject_cfg, vproblems = cfg.vocabulary()
        accept = [*accept_cfg, *accept]
        reject = [*reject_cfg, *reject]
        if min_level is not None:
            cfg.min_level = min_level
        packs = []
        problems = list(cfg.problems) + vproblems
        for name in cfg.styles():
            if name == "Vale":
                continue
            folder = cfg.styles_path / name
            if folder.is_dir():
                packs.append(folder)
            else:
                problems.append(LoadProblem(str(cfg.path), 1, name, f"style folder not found: {folder}"))
        base = cls.from_packs(
            packs, min_level=cfg.min_level, accept=accept, reject=reject, cache_dir=cache_dir
        )
        profiles = {syntax: cfg.profile(syntax) for syntax in ("text", "markdown")}
        return cls(
            base.rules,
            problems + base.problems,
            min_level=cfg.min_level,
            disabled_rules=disabled_rules,
            profiles=profiles,
            rule_timeout=rule_timeout,
        )

    # -- checking ----------------------------------------------------------------------------------

    def check(self, text: str, *, syntax: str = "text") -> list[Finding]:
        """Findings for `text` ("text" or "markdown"), sorted by position."""
        return self._check(text, syntax, None)

    def _check(self, text: str, syntax: str, cache: dict | None) -> list[Finding]:
        doc = parse(text, syntax)
        profile = self._profiles[syntax]
        budget = Budget(self.rule_timeout)
        local, stateful, sized, whole = self._partition(profile, syntax)
        plan_for = self._plans(syntax, local)
        found: list[tuple[Rule, Block, Alert]] = []
        rules = self.rules
        active = profile.active
        quarantined = self.quarantined

        for unit in doc.units:
            result = cache.get(unit.key) if cache is not None else None
            if result is None:
                result = self._run_unit(unit.blocks, plan_for, budget)
                if cache is not None:
                    cache[unit.key] = result
            blocks = unit.blocks
            for ri, bi, alert in result:
                rule = rules[ri]
                if active[ri] and (not quarantined or rule.id not in quarantined):
                    found.append((rule, blocks[bi], alert))

        state: dict[Any, Any] = {"counts": doc.counts}
        if stateful:
            gate = self._gate_for(stateful)
            blocks = (
                [doc.whole_text] if doc.whole_text is not None else [b for u in doc.units for b in u.blocks]
            )
            for block in blocks:
                self._block_state(block, state, gate)
                for rule in stateful:
                    if rule.scope.matches(block):
                        found.extend((rule, block, a) for a in self._run(rule, block, state, budget))
        if sized:
            gate = self._gate_for(sized)
            for block in (doc.summary, doc.raw):
                self._block_state(block, state, gate)
                for rule in sized:
                    if rule.scope.matches(block):
                        found.extend((rule, block, a) for a in self._run(rule, block, state, budget))
        if whole and doc.whole_text is not None:
            block = doc.whole_text
            self._block_state(block, state, self._gate_for(whole))
            for rule in whole:
                found.extend((rule, block, a) for a in self._run(rule, block, state, budget))
        return self._findings(found, doc, profile, text)

    def _gate_for(self, rules) -> Gate | None:
        """The prefilter gate of the literal filters of `rules` (None when none has one)."""
        fids = [f.fid for r in rules if (f := getattr(r, "filter", None)) is not None]
        return self._literals.gate(fids) if fids else None

    def _block_state(self, block: Block, state: dict, gate: Gate | None) -> dict:
        """The per-block inputs rules share: casefolded text and (lazily) the literal selection."""
        folded = block.text.casefold()
        state["folded"] = folded
        state["stats"] = None
        if not self.prefilter:
            state["selection"], state["unfiltered"] = self._everything, True
        else:
            state["selection"] = (lambda: gate.select(folded)) if gate is not None else None
        return state

    def _plans(self, syntax: str, local):
        """block scope -> `_Plan` of the local rules scoped to it (memoised per scope string)."""
        memo: dict[str, _Plan] = self._partitions.setdefault(("scopes", syntax, len(self.quarantined)), {})

        def plan_for(block: Block) -> _Plan:
            found = memo.get(block.scope)
            if found is None:
                rules = [(ri, r) for ri, r in local if r.scope.matches(block)]
                if syntax == "text" and block.scope == "text":
                    rules = [(ri, r) for ri, r in rules if r.kind != "occurrence"]
                found = memo[block.scope] = _Plan(
                    [(ri, r, self._gated[ri]) for ri, r in rules], self._gate_for(r for _, r in rules)
                )
            return found

        return plan_for

    def _partition(self, profile: _Profile, syntax: str):
        key = (syntax, len(self.quarantined))
        cached = self._partitions.get(key)
        if cached is not None:
            return cached
        local, stateful, sized, whole = [], [], [], []
        for i, r in enumerate(self.rules):
            if not profile.active[i] or r.id in self.quarantined:
                continue
            if r.scope.document_sized:
                sized.append(r)
            elif r.stateful:
                stateful.append(r)
            else:
                local.append((i, r))
                if syntax == "text" and r.kind == "occurrence" and r.scope.matches(_TEXT_PROBE):
                    whole.append(r)
                if _scope_has_sized(r.scope):
                    sized.append(r)
        self._partitions[key] = (local, stateful, sized, whole)
        return local, stateful, sized, whole

    def _run_unit(self, blocks: list[Block], plan_for, budget: Budget) -> UnitResult:
        """Every block-local rule on every block of one unit (a paragraph and its sentences ...).

        The literals present in the unit's first block (for a paragraph: its whole text) are found
        once; each other block of the unit that is a part of it filters that short list instead of
        scanning its own text again.
        """
        out: UnitResult = []
        outer_folded: str | None = None
        outer_present: list[str] | None = None
        run = self._run
        for bi, block in enumerate(blocks):
            plan = plan_for(block)
            if not plan.rules:
                continue
            folded = block.text.casefold()
            state = {"folded": folded, "stats": None, "selection": None}
            gate = plan.gate
            selection: Selection | None = None
            if not self.prefilter:  # reference mode: every rule, every alternative
                state["selection"], state["unfiltered"] = self._everything, True
                for ri, rule, _fid in plan.rules:
                    out.extend([(ri, bi, a) for a in run(rule, block, state, budget)])
                continue
            if gate is not None:
                if outer_present is not None and folded == outer_folded:
                    present = outer_present
                elif outer_present is not None and folded in outer_folded:
                    present = gate.present_within(folded, outer_present)
                elif gate.direct is not None:
                    present = gate.present(folded)
                else:
                    present = self._literals.present(folded)
                    outer_folded, outer_present = folded, present
                selection = state["selection"] = gate.select(folded, present)
            for ri, rule, fid in plan.rules:
                # skip, without a call, rules none of whose tokens can match here
                if fid >= 0 and fid not in selection:  # type: ignore[operator]
                    continue
                alerts = run(rule, block, state, budget)
                if alerts:
                    out.extend([(ri, bi, a) for a in alerts])
        return out

    def _run(self, rule: Rule, block: Block, state: dict, budget: Budget) -> list[Alert]:
        if rule.id in self.quarantined:
            return []
        try:
            return rule.run(block, state, budget)
        except RuleTimeout:
            ms = int(self.rule_timeout * 1000)
            msg = (
                f"stopped: its pattern took more than {ms} ms on one document (catastrophic backtracking?); "
                "the rule is off until the guidelines are reloaded; simplify its regular expression"
            )
            self.quarantined[rule.id] = msg
            self.problems.append(LoadProblem(rule.file, 1, rule.id, msg))
            return []

    def _findings(self, found, doc: Document, profile: _Profile, original: str) -> list[Finding]:
        source = doc.source
        to_original = _offset_mapper(original, source)
        line_starts = [0] + [m.end() for m in regex.finditer("\n", source)]
        controls = _ControlState(doc)
        out: list[Finding] = []
        seen: set[tuple] = set()
        per_rule: dict[str, int] = {}
        rows = []
        levels, index, min_level = profile.levels, self._index, self.min_level
        for rule, block, alert in found:
            if alert.document:
                start = end = 0
            else:
                start, end = block.source_span(alert.start, alert.end)
                if controls.offsets and not controls.enabled(rule.id, start):
                    continue
            level = levels.get(index.get(rule.id, -1), rule.level) if levels else rule.level
            if level < min_level:
                continue
            key = (rule.id, start, end, alert.message)
            if key in seen:
                continue
            seen.add(key)
            rows.append((start, end, rule, alert, level))
        rows.sort(key=lambda r: (r[0], r[1], r[2].id))
        bisect_right = bisect.bisect_right
        for start, end, rule, alert, level in rows:
            if rule.limit:
                n = per_rule.get(rule.id, 0)
                if n >= rule.limit:
                    continue
                per_rule[rule.id] = n + 1
            line = bisect_right(line_starts, start)
            suggestions = actions.compute(alert.action, alert.params, alert.match)
            out.append(
                Finding(  # positional arguments: cheaper than keywords, for thousands of findings
                    rule.id,
                    level,
                    alert.message,
                    to_original(start),
                    to_original(end),
                    line,
                    start - line_starts[line - 1] + 1,
                    alert.match,
                    Fix(alert.action, suggestions, alert.params),
                    rule.link,
                    format_message(rule.description, alert.match) if rule.description else "",
                    rule.tags,
                )
            )
        return out

    def suggestions(self, finding: Finding) -> list[str]:
        """Replacement texts for a finding, including spelling suggestions (computed on demand)."""
        if finding.fix.action == "suggest" and finding.fix.params[:1] == ("spellings",):
            rule = self.rules[self._index[finding.rule]] if finding.rule in self._index else None
            suggest = getattr(rule, "suggest", None)
            return list(suggest(finding.match)) if suggest else []
        return list(finding.fix.suggestions)


def alert_description(rule: Rule, alert: Alert) -> str:
    return format_message(rule.description, alert.match) if rule.description else ""


_TEXT_PROBE = Block("", "text", [])


def _scope_has_sized(scope: Scope) -> bool:
    return any(len(p) == 1 and not p[0][1] and p[0][0] & {"raw", "summary"} for p in scope.options)


def _offset_mapper(original: str, normalized: str):
    """Map offsets in the \\n-normalised text back to the text as given (CRLF counts two)."""
    if "\r" not in original:
        return lambda i: i
    mapping = []
    i = 0
    n = len(original)
    while i < n:
        mapping.append(i)
        if original[i] == "\r" and i + 1 < n and original[i + 1] == "\n":
            i += 2
        else:
            i += 1
    mapping.append(n)
    return lambda k: mapping[min(k, len(mapping) - 1)]


class _ControlState:
    """`<!-- vale off/on -->` and `<!-- vale Style.Rule = NO -->`, evaluated at a source offset."""

    def __init__(self, doc: Document) -> None:
        self.offsets: list[int] = []
        self.states: list[tuple[bool, dict[str, bool]]] = []
        off, rules = False, {}
        for c in sorted(doc.controls, key=lambda c: c.offset):
            if c.off is not None:
                off = c.off
            rules = {**rules, **c.rules}
            self.offsets.append(c.offset)
            self.states.append((off, rules))

    def enabled(self, rule_id: str, offset: int) -> bool:
        if not self.offsets:
            return True
        k = bisect.bisect_right(self.offsets, offset) - 1
        if k < 0:
            return True
        off, rules = self.states[k]
        if off:
            return False
        setting = rules.get(rule_id, rules.get(rule_id.split(".", 1)[0]))
        return setting is not False


def _has_rules(folder: Path) -> bool:
    return any(folder.glob("*.yml")) or any(folder.glob("*.yaml"))


def _style_folder(candidate: Path) -> Path | None:
    """A style folder, or the style inside a downloaded package folder (`<Style>/<Style>/*.yml`,
    next to its LICENSE), so a folder of packages works as well as a StylesPath."""
    if not candidate.is_dir() or candidate.name.startswith("."):
        return None
    if _has_rules(candidate):
        return candidate
    nested = candidate / candidate.name
    return nested if nested.is_dir() and _has_rules(nested) else None
