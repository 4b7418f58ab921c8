"""Rule files (Vale's YAML) -> rule objects, with a precise complaint for every bad one.

A pack is a folder of `<Rule>.yml` files; the rule id is `<Pack>.<Rule>`. A file that cannot be
used (malformed YAML, an unknown key, a wrong type, an invalid regex, an unknown `extends`) is
skipped on its own with a `LoadProblem` naming the file, the line and what to do: one bad rule never
stops the others.

YAML is read without YAML 1.1's implicit booleans and numbers (so a swap key `on:` or a token `no`
stays the text the author wrote); each key is then converted to the type Vale expects.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from desktop.review.findings import Severity
from desktop.review.regexes import PatternError
from desktop.review.rules import EXTENDS, KINDS
from desktop.review.rules.base import Action, Examples, Rule, Scope
from desktop.review.rules.script import UNSUPPORTED as SCRIPT_UNSUPPORTED
from desktop.review.rules.sequence import UNSUPPORTED_TAG


@dataclass(frozen=True)
class LoadProblem:
    """A rule that could not be loaded (or only partly): where, which rule, and why."""

    file: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.rule}: {self.message}"


@lru_cache(maxsize=1)
def _text_loader() -> type:
    """Safe YAML with only strings, lists, mappings and null as implicit types.

    Built on first use: with the rule cache warm, a process never parses YAML, so it need not
    import the YAML library at all.
    """
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = type("_TextLoader", (base,), {})
    loader.yaml_implicit_resolvers = {
        ch: [(tag, rx) for tag, rx in resolvers if tag == "tag:yaml.org,2002:null"]
        for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return loader


COMMON_KEYS = {
    "extends",
    "message",
    "description",
    "level",
    "scope",
    "link",
    "limit",
    "action",
    "tags",
    "examples",
}
COMMON_KEYS |= {"name", "code", "vocab"}
KIND_KEYS: dict[str, set[str]] = {
    "existence": {"tokens", "raw", "append", "nonword", "ignorecase", "exceptions"},
    "substitution": {"swap", "ignorecase", "nonword", "exceptions", "pos", "capitalize"},
    "occurrence": {"token", "max", "min", "ignorecase"},
    "repetition": {"tokens", "max", "ignorecase", "alpha", "exceptions"},
    "consistency": {"either", "ignorecase", "nonword"},
    "conditional": {"first", "second", "ignorecase", "exceptions"},
    "capitalization": {"match", "style", "exceptions", "indicators", "threshold", "prefix"},
    "metric": {"formula", "condition"},
    "readability": {"metrics", "grade"},
    "spelling": {
        "dicpath",
        "dictionaries",
        "aff",
        "dic",
        "custom",
        "append",
        "filters",
        "ignore",
        "threshold",
    },
    "sequence": {"tokens", "ignorecase"},
    "script": {"script"},
}

_TRUE = {"true", "yes", "on", "y", "1"}
_FALSE = {"false", "no", "off", "n", "0", ""}


class RuleFileError(Exception):
    def __init__(
        self, message: str, key: str | None = None, line: int | None = None, needle: str | None = None
    ):
        super().__init__(message)
        self.key, self.line, self.needle = key, line, needle


def _line_of(text: str, key: str | None, needle: str | None = None) -> int:
    """1-based line where `needle` (else `key:`) appears in the file; 1 when it cannot be found."""
    lines = text.splitlines()
    if needle:
        for i, ln in enumerate(lines, 1):
            if needle in ln:
                return i
    if key:
        for i, ln in enumerate(lines, 1):
            stripped = ln.lstrip("'\" ")
            if (
                stripped.startswith(key)
                and stripped[len(key) :].lstrip("'\" ").startswith(":")
                and ln[:1] != " "
            ):
                return i
    return 1


def _bool(key: str, v: Any) -> bool:
    if isinstance(v, bool):
        return v
    s = str(v).strip().lower() if v is not None else ""
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise RuleFileError(f"'{key}' must be true or false, not {v!r}", key)


def _int(key: str, v: Any) -> int:
    try:
        return int(str(v).strip())
    except ValueError:
        raise RuleFileError(f"'{key}' must be a whole number, not {v!r}", key) from None


def _float(key: str, v: Any) -> float:
    try:
        return float(str(v).strip())
    except ValueError:
        raise RuleFileError(f"'{key}' must be a number, not {v!r}", key) from None


def _str(key: str, v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, dict | list):
        raise RuleFileError(
            f"'{key}' must be text, not a {'mapping' if isinstance(v, dict) else 'list'}", key
        )
    return str(v)


def _strlist(key: str, v: Any) -> list[str]:
    if v is None:
        return []
    if isinstance(v, str):
        return [v]
    if not isinstance(v, list):
        raise RuleFileError(f"'{key}' must be a list of text", key)
    out = []
    for item in v:
        if isinstance(item, dict | list):
            raise RuleFileError(f"'{key}' must be a list of text; found a nested {type(item).__name__}", key)
        if item is not None:
            out.append(str(item))
    return out


def _pairs(key: str, v: Any) -> list[tuple[str, str]]:
    if v is None:
        return []
    if isinstance(v, dict):
        return [(str(k), "" if val is None else str(val)) for k, val in v.items()]
    if isinstance(v, list):  # Vale also accepts a list of one-entry mappings for `either`
        out = []
        for item in v:
            if not isinstance(item, dict):
                raise RuleFileError(f"'{key}' must be a mapping of 'observed: expected' pairs", key)
            out.extend((str(k), "" if val is None else str(val)) for k, val in item.items())
        return out
    raise RuleFileError(f"'{key}' must be a mapping of 'observed: expected' pairs", key)


def _examples(v: Any) -> Examples:
    if v is None:
        return Examples()
    if not isinstance(v, dict):
        raise RuleFileError("'examples' must be a mapping with lists 'fire' and 'pass'", "examples")
    unknown = set(v) - {"fire", "pass"}
    if unknown:
        raise RuleFileError(
            f"'examples' has unknown key(s) {sorted(unknown)}; use 'fire' and 'pass'", "examples"
        )
    return Examples(tuple(_strlist("examples", v.get("fire"))), tuple(_strlist("examples", v.get("pass"))))


def _action(v: Any) -> Action:
    if v is None:
        return Action()
    if not isinstance(v, dict):
        raise RuleFileError("'action' must be a mapping with 'name' and optional 'params'", "action")
    unknown = set(v) - {"name", "params"}
    if unknown:
        raise RuleFileError(f"'action' has unknown key(s) {sorted(unknown)}", "action")
    name = _str("action", v.get("name"))
    if name not in ("", "replace", "remove", "edit", "convert", "suggest"):
        raise RuleFileError(
            f"action name {name!r} is not one of replace, remove, edit, convert, suggest",
            "action",
            needle=name,
        )
    return Action(name, tuple(_strlist("action", v.get("params"))))


def load_rule_file(
    path: Path, pack: str, *, accepted: list[str] | None = None
) -> tuple[Rule | None, list[LoadProblem]]:
    """Load one rule file. Returns (rule or None, problems); never raises for bad content."""
    rule_id = f"{pack}.{path.stem}"
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [LoadProblem(str(path), 1, rule_id, f"cannot read the file: {exc}")]
    import yaml  # here, not at the top: a warm rule cache never needs it

    try:
        data = yaml.load(text, Loader=_text_loader())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [LoadProblem(str(path), line, rule_id, f"malformed YAML: {problem}; fix the syntax")]
    if not isinstance(data, dict):
        return None, [
            LoadProblem(str(path), 1, rule_id, "a rule file must be a YAML mapping (key: value lines)")
        ]
    try:
        return _build(data, path, rule_id, text, accepted or [])
    except RuleFileError as exc:
        line = exc.line or _line_of(text, exc.key, exc.needle)
        return None, [LoadProblem(str(path), line, rule_id, str(exc))]
    except PatternError as exc:
        return None, [
            LoadProblem(str(path), _line_of(text, "tokens"), rule_id, f"invalid regular expression: {exc}")
        ]


def _build(data: dict, path: Path, rule_id: str, text: str, accepted: list[str]) -> tuple[Rule | None, list]:
    extends = _str("extends", data.get("extends")).strip()
    if not extends:
        raise RuleFileError("missing the required 'extends' key (existence, substitution, ...)", line=1)
    if extends not in EXTENDS:
        raise RuleFileError(f"unknown extends {extends!r}: must be one of {', '.join(EXTENDS)}", "extends")
    allowed = COMMON_KEYS | KIND_KEYS[extends]
    for key in data:
        if str(key) not in allowed:
            raise RuleFileError(
                f"unknown key {key!r} for extends: {extends} (known keys: {', '.join(sorted(allowed))})",
                str(key),
            )
    if "message" not in data and extends != "script":
        raise RuleFileError("missing the required 'message' key", line=1)
    if extends == "script":
        return None, [LoadProblem(str(path), _line_of(text, "extends"), rule_id, SCRIPT_UNSUPPORTED)]
    if extends == "sequence" and any(isinstance(t, dict) and t.get("tag") for t in data.get("tokens") or []):
        return None, [LoadProblem(str(path), _line_of(text, "tokens"), rule_id, UNSUPPORTED_TAG)]
    if data.get("code") is not None and _bool("code", data.get("code")):
        raise RuleFileError("`code` is deprecated; use `scope: raw` instead", "code")

    level_text = _str("level", data.get("level")).strip() or "warning"
    try:
        level = Severity.parse(level_text)
    except ValueError:
        raise RuleFileError(
            f"'level' must be suggestion, warning or error, not {level_text!r}", "level"
        ) from None
    scope = data.get("scope")
    scopes = _strlist("scope", scope) if scope is not None else ["text"]
    kwargs: dict[str, Any] = {
        "id": rule_id,
        "kind": extends,
        "message": _str("message", data.get("message")),
        "file": str(path),
        "level": level,
        "scope": Scope(scopes or ["text"]),
        "description": _str("description", data.get("description")),
        "link": _str("link", data.get("link")),
        "limit": _int("limit", data.get("limit") or 0),
        "action": _action(data.get("action")),
        "tags": tuple(_strlist("tags", data.get("tags"))),
        "examples": _examples(data.get("examples")),
    }
    g = data.get
    if extends in ("readability", "metric"):
        kwargs["scope"] = Scope(["summary"])  # Vale runs these on the summary, whatever `scope` says
    if extends == "existence":
        kwargs |= {
            "tokens": _strlist("tokens", g("tokens")),
            "raw": _strlist("raw", g("raw")),
            "append": _bool("append", g("append")),
            "nonword": _bool("nonword", g("nonword")),
            "ignorecase": _bool("ignorecase", g("ignorecase")),
            "exceptions": _strlist("exceptions", g("exceptions")),
            "vocab": _bool("vocab", g("vocab", True)),
            "accepted": accepted,
        }
    elif extends == "substitution":
        kwargs |= {
            "swap": _pairs("swap", g("swap")),
            "ignorecase": _bool("ignorecase", g("ignorecase")),
            "nonword": _bool("nonword", g("nonword")),
            "exceptions": _strlist("exceptions", g("exceptions")),
            "vocab": _bool("vocab", g("vocab", True)),
            "capitalize": _bool("capitalize", g("capitalize")),
            "accepted": accepted,
        }
    elif extends == "occurrence":
        if g("max") is None and g("min") is None:
            raise RuleFileError("occurrence needs 'max' or 'min'", "token")
        kwargs |= {
            "token": _str("token", g("token")),
            "max": _int("max", g("max") or 0),
            "min": _int("min", g("min") or 0),
            "ignorecase": _bool("ignorecase", g("ignorecase")),
        }
    elif extends == "repetition":
        kwargs |= {
            "tokens": _strlist("tokens", g("tokens")),
            "max": _int("max", g("max") or 0),
            "ignorecase": _bool("ignorecase", g("ignorecase")),
            "alpha": _bool("alpha", g("alpha")),
        }
    elif extends == "consistency":
        kwargs |= {
            "either": _pairs("either", g("either")),
            "ignorecase": _bool("ignorecase", g("ignorecase")),
            "nonword": _bool("nonword", g("nonword")),
        }
    elif extends == "conditional":
        kwargs |= {
            "first": _str("first", g("first")),
            "second": _str("second", g("second")),
            "ignorecase": _bool("ignorecase", g("ignorecase")),
            "exceptions": _strlist("exceptions", g("exceptions")),
            "vocab": _bool("vocab", g("vocab", True)),
            "accepted": accepted,
        }
    elif extends == "capitalization":
        kwargs |= {
            "match": _str("match", g("match")) or "$title",
            "style": _str("style", g("style")) or "AP",
            "exceptions": _strlist("exceptions", g("exceptions")),
            "indicators": _strlist("indicators", g("indicators")),
            "threshold": _float("threshold", g("threshold") or 0),
            "prefix": _str("prefix", g("prefix")),
            "vocab": _bool("vocab", g("vocab", True)),
            "accepted": accepted,
        }
    elif extends == "metric":
        kwargs |= {"formula": _str("formula", g("formula")), "condition": _str("condition", g("condition"))}
    elif extends == "readability":
        kwargs |= {"metrics": _strlist("metrics", g("metrics")), "grade": _float("grade", g("grade") or 0)}
    elif extends == "spelling":
        kwargs |= {
            "dicpath": _str("dicpath", g("dicpath")),
            "dictionaries": _strlist("dictionaries", g("dictionaries")),
            "aff": _str("aff", g("aff")),
            "dic": _str("dic", g("dic")),
            "custom": _bool("custom", g("custom")),
            "append": _bool("append", g("append")),
            "filters": _strlist("filters", g("filters")),
            "ignore": _strlist("ignore", g("ignore")),
            "accepted": accepted,
            "base_dir": str(path.parent),
        }
    elif extends == "sequence":
        toks = g("tokens") or []
        if not isinstance(toks, list) or not all(isinstance(t, dict) for t in toks):
            raise RuleFileError(
                "'tokens' of a sequence must be a list of mappings (pattern, negate, skip)", "tokens"
            )
        kwargs |= {"tokens": toks, "ignorecase": _bool("ignorecase", g("ignorecase"))}
    rule = KINDS[extends](**kwargs)
    try:
        rule.compile()  # type: ignore[attr-defined]
    except PatternError as exc:
        bad = _find_bad_pattern(data)
        raise RuleFileError(
            f"invalid regular expression{f' {bad!r}' if bad else ''}: {exc}", _regex_key(extends), needle=bad
        ) from None
    except (ValueError, FileNotFoundError) as exc:
        raise RuleFileError(str(exc), _regex_key(extends)) from None
    return rule, []


def _find_bad_pattern(data: dict) -> str | None:
    """The first token/key/pattern of a rule that does not compile on its own, to name its line."""
    from desktop.review.regexes import compile_vale

    candidates: list[str] = []
    for key in ("tokens", "raw", "exceptions"):
        v = data.get(key)
        if isinstance(v, list):
            candidates += [str(x) for x in v if not isinstance(x, dict | list)]
    for key in ("swap", "either"):
        v = data.get(key)
        if isinstance(v, dict):
            candidates += (
                [str(k) for k in v] + [str(x) for x in v.values()] if key == "either" else [str(k) for k in v]
            )
    for key in ("token", "first", "second", "match", "prefix"):
        if isinstance(data.get(key), str):
            candidates.append(data[key])
    for c in candidates:
        try:
            compile_vale(c)
        except PatternError:
            return c
    return None


def _regex_key(extends: str) -> str:
    return {
        "substitution": "swap",
        "consistency": "either",
        "conditional": "first",
        "occurrence": "token",
        "capitalization": "match",
        "metric": "formula",
        "readability": "metrics",
        "spelling": "dictionaries",
    }.get(extends, "tokens")


def rule_files(folder: Path) -> list[Path]:
    """The rule files of a pack folder, sorted by name (so rule ids and their order are stable)."""
    return sorted(p for p in folder.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file())


def load_pack(folder: Path, *, accepted: list[str] | None = None) -> tuple[list[Rule], list[LoadProblem]]:
    """Every `*.yml` / `*.yaml` rule in a pack folder (sorted by name, so ids are stable)."""
    rules: list[Rule] = []
    problems: list[LoadProblem] = []
    for path in rule_files(folder):
        rule, probs = load_rule_file(path, folder.name, accepted=accepted)
        problems.extend(probs)
        if rule is not None:
            rules.append(rule)
    return rules, problems
