"""The one shape every check reports in: guideline rules, platform limits, grammar and spelling.

The panel, fixes, ignore, self-review, the trust policy and `greenlight check` all read this, so a
LanguageTool match and a Vale rule are handled alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum


class Severity(IntEnum):
    """Ordered as Vale orders alert levels, so `MinAlertLevel` is a comparison."""

    SUGGESTION = 0
    WARNING = 1
    ERROR = 2

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls[value.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown level {value!r}: use suggestion, warning or error") from None

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Fix:
    """What a one-click fix does.

    `action` is Vale's action name: "replace" (pick one of `suggestions`), "remove", "edit",
    "convert", "suggest" or "" (no automatic fix). `params` keeps Vale's raw Action.Params.
    """

    action: str = ""
    suggestions: tuple[str, ...] = ()
    params: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    rule: str  # "<Pack>.<Rule>", e.g. "Microsoft.Contractions", "Spelling.Hunspell", "Platform.x.length"
    severity: Severity
    message: str
    start: int  # code-point offsets into the checked text, end exclusive
    end: int
    line: int  # 1-based line of `start`
    column: int  # 1-based code-point column of `start`
    match: str = ""
    fix: Fix = field(default_factory=Fix)
    link: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()

    @property
    def pack(self) -> str:
        return self.rule.split(".", 1)[0]

    def as_json(self) -> dict:
        return {
            "rule": self.rule,
            "severity": self.severity.label,
            "message": self.message,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "match": self.match,
            "action": self.fix.action,
            "suggestions": list(self.fix.suggestions),
            "link": self.link,
            "tags": list(self.tags),
        }


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and code-point column of `offset` in `text` (lines split on \\n)."""
    line = text.count("\n", 0, offset) + 1
    line_start = text.rfind("\n", 0, offset) + 1
    return line, offset - line_start + 1
