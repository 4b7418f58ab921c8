"""The trust policy: levels, what each level needs before publishing, who may approve, crisis mode.

The policy is a YAML file (`guidelines/policy.yml` ships the default; `<profile>/policy.yml`
replaces it). It is validated completely on load, and every error names the file, the line and
what is expected, because a policy that silently meant something else would let posts through.

A *requirement* is computed from the writer's level, the findings that remain in the draft, the
target accounts and the crisis switch. It is a list of *needs*, each "N distinct approvers at
level L or above", with the reasons in words, so the writer sees exactly why ("needs 1 approval:
2 warnings remain, 1 tagged sensitive").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from desktop.errors import GreenlightError
from desktop.review.findings import Finding, Severity

POLICY_FILE = "policy.yml"


class PolicyError(GreenlightError):
    """The policy file is invalid; the message names the file, the line and the fix."""


@dataclass(frozen=True)
class Rule:
    approvals: int
    severity: Severity | None = None
    tags: tuple[str, ...] = ()
    approver_level: int | None = None

    @property
    def always(self) -> bool:
        return self.severity is None and not self.tags


@dataclass(frozen=True)
class Promotion:
    approved_unchanged: int
    max_changes_requested_rate: float


@dataclass(frozen=True)
class Policy:
    levels: dict[int, str]
    lead_level: int
    approver_min_level: int
    must_outrank_author: bool
    requirements: dict[int, tuple[Rule, ...]]
    account_min_levels: dict[str, int]
    approval_expiry_hours: float
    crisis_active: bool
    crisis_approver_level: int
    crisis_exempt_level: int
    promotion: dict[int, Promotion]
    source: str = "<policy>"

    def level_name(self, level: int | None) -> str:
        if level is None:
            return "not in the roster"
        return f"level {level} ({self.levels.get(level, '?')})"

    @property
    def max_level(self) -> int:
        return max(self.levels)

    def approver_floor(self, author_level: int) -> int:
        """The lowest level that may approve this writer's posts, before rule-specific minimums."""
        floor = self.approver_min_level
        if self.must_outrank_author:
            floor = max(floor, author_level + 1)
        return floor

    def requirement(
        self,
        author_level: int,
        findings: Sequence[Finding],
        accounts: Iterable[str] = (),
        *,
        crisis: bool = False,
    ) -> Requirement:
        """What a post by a writer at `author_level` with these remaining findings needs."""
        needs: dict[int, Need] = {}

        def add(count: int, level: int, reason: str) -> None:
            if count <= 0:
                return
            level = max(level, self.approver_floor(author_level))
            current = needs.get(level)
            if current is None:
                needs[level] = Need(count, level, [reason])
            else:
                needs[level] = Need(max(current.count, count), level, [*current.reasons, reason])

        for rule in self.requirements.get(author_level, ()):
            reason = _rule_reason(rule, findings, self.level_name(author_level))
            if reason is not None:
                add(rule.approvals, rule.approver_level or 0, reason)
        for account in accounts:
            minimum = self.account_min_levels.get(account)
            if minimum is not None and author_level < minimum:
                add(1, minimum, f"account {account} needs {self.level_name(minimum)} to publish unapproved")
        if (crisis or self.crisis_active) and author_level < self.crisis_exempt_level:
            add(
                1,
                self.crisis_approver_level,
                f"crisis mode: every post needs {self.level_name(self.crisis_approver_level)}",
            )
        return Requirement(sorted(needs.values(), key=lambda n: n.min_level), author_level, self)


@dataclass(frozen=True)
class Need:
    count: int
    min_level: int
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Requirement:
    needs: list[Need]
    author_level: int
    policy: Policy

    @property
    def approvals(self) -> int:
        return max((n.count for n in self.needs), default=0)

    def explain(self) -> str:
        if not self.needs:
            return f"no approval needed: {self.policy.level_name(self.author_level)} may publish this"
        count = self.approvals
        reasons: list[str] = []
        for need in self.needs:
            for r in need.reasons:
                if r not in reasons:
                    reasons.append(r)
        noun = "approval" if count == 1 else "approvals"
        return f"needs {count} {noun}: {', '.join(reasons)}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _rule_reason(rule: Rule, findings: Sequence[Finding], level_name: str) -> str | None:
    """Words for why `rule` applies ("2 warnings remain", "1 tagged sensitive"), None if it does not."""
    if rule.always:
        return f"every post at {level_name} is reviewed"
    matching = [
        f
        for f in findings
        if (rule.severity is None or f.severity >= rule.severity)
        and (not rule.tags or set(f.tags) & set(rule.tags))
    ]
    if not matching:
        return None
    parts = []
    if rule.severity is not None:
        worse = sorted((s for s in Severity if s >= rule.severity), reverse=True)
        counts = ", ".join(
            _plural(n, s.label) for s in worse if (n := sum(1 for f in matching if f.severity == s))
        )
        parts.append(f"{counts} remain{'s' if len(matching) == 1 else ''}")
    if rule.tags:
        parts.append(
            ", ".join(f"{n} tagged {t}" for t in rule.tags if (n := sum(1 for f in matching if t in f.tags)))
        )
    return ", ".join(parts)


# -- loading and validation --------------------------------------------------------------------------


class _Source:
    """Values parsed from YAML with the line each path came from, so errors can point at it."""

    def __init__(self, label: str, text: str) -> None:
        self.label = label
        self.lines: dict[tuple, int] = {}
        try:
            loader = yaml.SafeLoader(text)
            try:
                node = loader.get_single_node()
                self.data = loader.construct_document(node) if node is not None else None
                if node is not None:
                    self._index(loader, node, ())
            finally:
                loader.dispose()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            raise PolicyError(f"{label}{where}: not valid YAML ({exc.problem or exc})") from None
        except yaml.YAMLError as exc:
            raise PolicyError(f"{label}: not valid YAML ({exc})") from None

    def _index(self, loader: yaml.SafeLoader, node: yaml.Node, path: tuple) -> None:
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                try:
                    key = loader.construct_object(key_node, deep=True)
                except yaml.YAMLError:
                    continue
                self.lines[(*path, key)] = key_node.start_mark.line + 1
                self._index(loader, value_node, (*path, key))
                self.lines[(*path, key)] = key_node.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._index(loader, item, (*path, i))

    def error(self, path: tuple, message: str) -> PolicyError:
        probe = path
        while probe and probe not in self.lines:
            probe = probe[:-1]
        line = self.lines.get(probe)
        where = f" line {line}" if line else ""
        dotted = ".".join(str(p) for p in path) or "(top level)"
        return PolicyError(f"{self.label}{where}: {dotted}: {message}")


def _mapping(src: _Source, value: Any, path: tuple, allowed: Sequence[str] | None = None) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise src.error(path, f"expected a mapping (key: value lines), got {type(value).__name__}")
    if allowed is not None:
        for key in value:
            if key not in allowed:
                raise src.error((*path, key), f"unknown key {key!r}; expected one of: {', '.join(allowed)}")
    return value


def _int(src: _Source, value: Any, path: tuple, *, minimum: int = 0) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise src.error(path, f"expected a whole number of at least {minimum}, got {value!r}")
    return value


def _level(src: _Source, value: Any, path: tuple, levels: dict[int, str]) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value not in levels:
        raise src.error(path, f"expected one of the defined levels {sorted(levels)}, got {value!r}")
    return value


def _bool(src: _Source, value: Any, path: tuple) -> bool:
    if not isinstance(value, bool):
        raise src.error(path, f"expected true or false, got {value!r}")
    return value


TOP_KEYS = (
    "version",
    "levels",
    "lead_level",
    "approvers",
    "requirements",
    "accounts",
    "approval_expiry_hours",
    "crisis",
    "promotion",
)


def parse_policy(text: str, label: str = "<policy>") -> Policy:
    """Validate and build a Policy; raise PolicyError naming the file, line and fix on any problem."""
    src = _Source(label, text)
    top = _mapping(src, src.data, (), TOP_KEYS)
    if not top:
        raise src.error((), "the policy is empty; start from the shipped guidelines/policy.yml")
    version = top.get("version", 1)
    if version != 1:
        raise src.error(
            ("version",), f"policy version {version!r} is not understood by this Greenlight (use 1)"
        )
    for required in ("levels", "lead_level", "requirements"):
        if required not in top:
            raise src.error((), f"missing required key {required!r}")

    raw_levels = _mapping(src, top["levels"], ("levels",))
    levels: dict[int, str] = {}
    for key, name in raw_levels.items():
        level = _int(src, key, ("levels", key))
        if not isinstance(name, str) or not name.strip():
            raise src.error(("levels", key), "expected the level's name, e.g. `2: Trusted`")
        levels[level] = name.strip()
    if not levels or sorted(levels) != list(range(len(levels))):
        raise src.error(
            ("levels",), f"levels must be numbered 0, 1, 2, ... without gaps; got {sorted(levels)}"
        )
    lead_level = _level(src, top["lead_level"], ("lead_level",), levels)

    approvers = _mapping(src, top.get("approvers"), ("approvers",), ("min_level", "must_outrank_author"))
    approver_min = _level(src, approvers.get("min_level", lead_level), ("approvers", "min_level"), levels)
    outrank = _bool(src, approvers.get("must_outrank_author", True), ("approvers", "must_outrank_author"))

    raw_req = _mapping(src, top["requirements"], ("requirements",))
    requirements: dict[int, tuple[Rule, ...]] = {}
    for key, rules in raw_req.items():
        level = _level(src, key, ("requirements", key), levels)
        if rules is None:
            rules = []
        if not isinstance(rules, list):
            raise src.error(("requirements", key), "expected a list of rules (use [] for none)")
        parsed = []
        for i, rule in enumerate(rules):
            path = ("requirements", key, i)
            body = _mapping(src, rule, path, ("when", "approvals", "approver_level"))
            if "approvals" not in body:
                raise src.error(path, "each rule needs `approvals: N`")
            count = _int(src, body["approvals"], (*path, "approvals"))
            approver_level = None
            if "approver_level" in body:
                approver_level = _level(src, body["approver_level"], (*path, "approver_level"), levels)
            when = _mapping(src, body.get("when"), (*path, "when"), ("severity", "tags"))
            severity = None
            if "severity" in when:
                try:
                    severity = Severity.parse(str(when["severity"]))
                except ValueError as exc:
                    raise src.error((*path, "when", "severity"), str(exc)) from None
            tags: tuple[str, ...] = ()
            if "tags" in when:
                raw_tags = when["tags"]
                if isinstance(raw_tags, str):
                    raw_tags = [raw_tags]
                if not isinstance(raw_tags, list) or not all(isinstance(t, str) and t for t in raw_tags):
                    raise src.error(
                        (*path, "when", "tags"), "expected a list of tag names, e.g. [sensitive, legal]"
                    )
                tags = tuple(raw_tags)
            if "when" in body and severity is None and not tags:
                raise src.error((*path, "when"), "an empty `when` matches nothing; remove it to always apply")
            parsed.append(Rule(count, severity, tags, approver_level))
        requirements[level] = tuple(parsed)
    for level in levels:
        if level not in requirements:
            raise src.error(
                ("requirements",),
                f"level {level} ({levels[level]}) has no entry; write `{level}: []` for none",
            )

    accounts: dict[str, int] = {}
    for name, body in _mapping(src, top.get("accounts"), ("accounts",)).items():
        body = _mapping(src, body, ("accounts", name), ("min_level",))
        if "min_level" not in body:
            raise src.error(("accounts", name), "expected `min_level: N`")
        accounts[str(name)] = _level(src, body["min_level"], ("accounts", name, "min_level"), levels)

    expiry = top.get("approval_expiry_hours", 0)
    if not isinstance(expiry, int | float) or isinstance(expiry, bool) or expiry < 0:
        raise src.error(("approval_expiry_hours",), f"expected hours (0 for never), got {expiry!r}")

    crisis = _mapping(src, top.get("crisis"), ("crisis",), ("active", "approver_level", "exempt_level"))
    crisis_active = _bool(src, crisis.get("active", False), ("crisis", "active"))
    crisis_approver = _level(
        src, crisis.get("approver_level", lead_level), ("crisis", "approver_level"), levels
    )
    crisis_exempt = _level(src, crisis.get("exempt_level", lead_level), ("crisis", "exempt_level"), levels)

    promotion: dict[int, Promotion] = {}
    for key, body in _mapping(src, top.get("promotion"), ("promotion",)).items():
        level = _level(src, key, ("promotion", key), levels)
        if level == 0:
            raise src.error(("promotion", key), "level 0 is where writers start; nobody is promoted to it")
        body = _mapping(src, body, ("promotion", key), ("approved_unchanged", "max_changes_requested_rate"))
        unchanged = _int(src, body.get("approved_unchanged", 0), ("promotion", key, "approved_unchanged"))
        rate = body.get("max_changes_requested_rate", 1.0)
        if not isinstance(rate, int | float) or isinstance(rate, bool) or not 0 <= rate <= 1:
            raise src.error(
                ("promotion", key, "max_changes_requested_rate"), f"expected 0 to 1, got {rate!r}"
            )
        promotion[level] = Promotion(unchanged, float(rate))

    return Policy(
        levels=levels,
        lead_level=lead_level,
        approver_min_level=approver_min,
        must_outrank_author=outrank,
        requirements=requirements,
        account_min_levels=accounts,
        approval_expiry_hours=float(expiry),
        crisis_active=crisis_active,
        crisis_approver_level=crisis_approver,
        crisis_exempt_level=crisis_exempt,
        promotion=promotion,
        source=label,
    )


def policy_path() -> Path:
    """The profile's own policy if there is one, else the default shipped with the app."""
    from desktop.paths import config_dir, shipped_guidelines

    own = config_dir() / POLICY_FILE
    return own if own.exists() else shipped_guidelines() / POLICY_FILE


def load_policy(path: Path | None = None) -> Policy:
    path = path or policy_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError(f"{path}: the trust policy file is missing; reinstall or restore it") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"{path}: cannot read the trust policy ({exc})") from None
    return parse_policy(text, str(path))
