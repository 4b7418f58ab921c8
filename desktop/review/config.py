"""`.vale.ini`: which styles and rules apply to which files, at what level, with which vocabulary.

Supported: `StylesPath`, `MinAlertLevel`, `Vocab`, sections by glob (`[*]`, `[*.md]`,
`[*.{md,txt}]`) with `BasedOnStyles`, `Style.Rule = NO|YES|suggestion|warning|error` and
`Style = NO`. Vocabularies are read from `<StylesPath>/config/vocabularies/<Name>/` (Vale 3) or
`<StylesPath>/Vocab/<Name>/` (Vale 2): `accept.txt` and `reject.txt`, one entry per line, `#`
comments. Keys Greenlight cannot honour (e.g. `Packages`, which downloads) are reported, not
silently ignored.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

import regex

from desktop.review.findings import Severity
from desktop.review.loader import LoadProblem

GLOBAL_KEYS = {"stylespath", "minalertlevel", "vocab", "packages", "ignoredscopes", "skippedscopes"}
GLOBAL_KEYS |= {"ignoredclasses", "wordtemplate", "nlpendpoint"}
UNSUPPORTED = {
    "packages": "Packages are not downloaded by Greenlight; put the styles into StylesPath instead",
    "blockignores": "BlockIgnores is not supported; the setting is ignored",
    "tokenignores": "TokenIgnores is not supported; the setting is ignored",
    "transform": "Transform is not supported; the setting is ignored",
    "wordtemplate": "WordTemplate is not supported; the setting is ignored",
}

SYNTAX_FILENAMES = {"text": "document.txt", "markdown": "document.md"}


class ConfigError(ValueError):
    """A .vale.ini that cannot be used at all (unreadable, no StylesPath folder)."""


@dataclass
class Section:
    glob: str
    line: int
    based_on: list[str] = field(default_factory=list)
    rules: dict[str, str] = field(default_factory=dict)  # "Style.Rule" or "Style" -> YES/NO/level

    def matches(self, filename: str) -> bool:
        return any(fnmatch.fnmatch(filename, g) for g in expand_braces(self.glob))


@dataclass
class ValeConfig:
    path: Path
    styles_path: Path
    min_level: Severity = Severity.SUGGESTION
    vocab: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)

    def styles(self) -> list[str]:
        """Every style a section refers to (by BasedOnStyles or a per-rule setting)."""
        names: list[str] = []
        for sec in self.sections:
            for s in [*sec.based_on, *(k.split(".")[0] for k in sec.rules)]:
                if s not in names:
                    names.append(s)
        return names

    def profile(self, syntax: str) -> tuple[set[str], dict[str, str]]:
        """(styles based on, per-rule/per-style settings) for documents of this syntax."""
        filename = SYNTAX_FILENAMES.get(syntax, f"document.{syntax}")
        based: set[str] = set()
        settings: dict[str, str] = {}
        for sec in self.sections:
            if sec.matches(filename):
                based.update(sec.based_on)
                settings.update(sec.rules)
        return based, settings

    def vocabulary(self) -> tuple[list[str], list[str], list[LoadProblem]]:
        accept: list[str] = []
        reject: list[str] = []
        problems: list[LoadProblem] = []
        for name in self.vocab:
            folders = [self.styles_path / "config" / "vocabularies" / name, self.styles_path / "Vocab" / name]
            folder = next((f for f in folders if f.is_dir()), None)
            if folder is None:
                problems.append(
                    LoadProblem(
                        str(self.path), 1, f"Vocab.{name}", f"vocabulary folder not found: {folders[0]}"
                    )
                )
                continue
            for fname, target in (("accept.txt", accept), ("reject.txt", reject)):
                f = folder / fname
                if f.is_file():
                    target.extend(read_word_list(f))
        return accept, reject, problems


def expand_braces(glob: str) -> list[str]:
    m = regex.search(r"\{([^{}]*)\}", glob)
    if not m:
        return [glob]
    out = []
    for option in m.group(1).split(","):
        out.extend(expand_braces(glob[: m.start()] + option.strip() + glob[m.end() :]))
    return out


def read_word_list(path: Path) -> list[str]:
    """accept.txt / reject.txt: one entry (a word or a regex) per line; `#` starts a comment line."""
    words = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        s = line.strip()
        if s and not s.startswith("#"):
            words.append(s)
    return words


def parse_vale_ini(path: Path) -> ValeConfig:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from None
    styles_path: str | None = None
    min_level = Severity.SUGGESTION
    vocab: list[str] = []
    sections: list[Section] = []
    problems: list[LoadProblem] = []
    current: Section | None = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = Section(line[1:-1].strip(), lineno)
            sections.append(current)
            continue
        if "=" not in line:
            raise ConfigError(f"{path}:{lineno}: expected 'key = value' or '[section]', got {line!r}")
        key, value = (s.strip() for s in line.split("=", 1))
        lkey = key.lower()
        if current is None:
            if lkey == "stylespath":
                styles_path = value
            elif lkey == "minalertlevel":
                try:
                    min_level = Severity.parse(value)
                except ValueError:
                    raise ConfigError(
                        f"{path}:{lineno}: MinAlertLevel must be suggestion, warning or error, not {value!r}"
                    ) from None
            elif lkey == "vocab":
                vocab = [v.strip() for v in value.split(",") if v.strip()]
            elif lkey in UNSUPPORTED:
                problems.append(LoadProblem(str(path), lineno, key, UNSUPPORTED[lkey]))
            elif lkey not in GLOBAL_KEYS:
                problems.append(LoadProblem(str(path), lineno, key, "unknown setting; ignored"))
            continue
        if lkey == "basedonstyles":
            current.based_on = [v.strip() for v in value.split(",") if v.strip()]
        elif lkey in UNSUPPORTED:
            problems.append(LoadProblem(str(path), lineno, key, UNSUPPORTED[lkey]))
        elif regex.fullmatch(r"[\w\-]+(?:\.[\w\-]+)?", key):
            setting = value if value in ("YES", "NO") else value.lower()
            if setting not in ("YES", "NO", "suggestion", "warning", "error"):
                raise ConfigError(
                    f"{path}:{lineno}: {key} must be YES, NO, suggestion, warning or error, not {value!r}"
                )
            current.rules[key] = setting
        else:
            problems.append(LoadProblem(str(path), lineno, key, "unknown setting; ignored"))
    if styles_path is None:
        raise ConfigError(f"{path}: StylesPath is not set; add 'StylesPath = styles' at the top")
    sp = Path(styles_path).expanduser()
    if not sp.is_absolute():
        sp = (path.parent / sp).resolve()
    if not sp.is_dir():
        raise ConfigError(f"{path}: StylesPath {sp} is not a folder")
    return ValeConfig(path, sp, min_level, vocab, sections, problems)
