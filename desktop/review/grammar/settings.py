"""Grammar settings: which checker, which language, where the team server and dictionaries are.

Stored as `grammar.json` in the profile's config folder (`desktop.paths.config_dir()`), so an
admin can pre-configure a team LanguageTool server and every writer can switch checking off.
A missing file means the defaults; a broken file is an error naming the file, line and key,
because silently ignoring it would leave someone wondering why their server is never used.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from desktop.errors import GreenlightError

SETTINGS_FILE = "grammar.json"

MODES = ("auto", "languagetool", "spelling", "off")
MODE_HELP = {
    "auto": "LanguageTool (team server if set, else the local install), offline spelling when unavailable",
    "languagetool": "LanguageTool only; nothing when it is unavailable",
    "spelling": "offline Hunspell spelling only: never starts Java, never sends text anywhere",
    "off": "no grammar or spelling checks",
}


@dataclass(frozen=True)
class GrammarSettings:
    mode: str = "auto"
    language: str = "en-US"
    # A team LanguageTool server, e.g. "https://languagetool.example.org" (without /v2).
    server_url: str = ""
    # Start LanguageTool on this machine when no server is set (needs Java 17+; language-tool-python
    # downloads LanguageTool once into ~/.cache/language_tool_python, or LTP_PATH, if it is missing).
    local_languagetool: bool = True
    # A folder with <lang>.dic/<lang>.aff Hunspell files, searched before the system's.
    dictionary_dir: str = ""
    # Seconds LanguageTool may take to start or connect before Greenlight falls back.
    start_timeout: float = 20.0
    # Seconds one request to LanguageTool may take.
    request_timeout: float = 5.0

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {self.mode!r}")
        if not self.language.strip():
            raise ValueError("language must not be empty (e.g. en-US)")
        for name in ("start_timeout", "request_timeout"):
            value = getattr(self, name)
            if not value > 0:
                raise ValueError(f"{name} must be a positive number of seconds, not {value!r}")

    def with_changes(self, **changes: Any) -> GrammarSettings:
        return replace(self, **changes)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def settings_path() -> Path:
    from desktop.paths import config_dir

    return config_dir() / SETTINGS_FILE


def load_grammar_settings(path: Path | None = None) -> GrammarSettings:
    """Read grammar.json (defaults when it does not exist); GreenlightError when it is broken."""
    path = path or settings_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return GrammarSettings()
    except (OSError, UnicodeDecodeError) as exc:
        raise GreenlightError(f"{path}: cannot read grammar settings ({exc})") from None
    try:
        data = json.loads(raw) if raw.strip() else {}
    except json.JSONDecodeError as exc:
        raise GreenlightError(
            f"{path}: line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg}); "
            "fix the file or delete it to use the defaults"
        ) from None
    if not isinstance(data, dict):
        raise GreenlightError(f"{path}: expected a JSON object of settings, found {type(data).__name__}")
    return _from_mapping(data, path)


def _from_mapping(data: dict[str, Any], path: Path) -> GrammarSettings:
    known = {f.name: f for f in fields(GrammarSettings)}
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            raise GreenlightError(f"{path}: unknown setting {key!r}; known settings: {', '.join(known)}")
        default = getattr(GrammarSettings, key)
        expected = type(default)
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or (expected is not bool and isinstance(value, bool)):
            kind = {str: "a string", bool: "true or false", float: "a number"}[expected]
            raise GreenlightError(f"{path}: setting {key!r} must be {kind}, found {json.dumps(value)}")
        values[key] = value
    try:
        return GrammarSettings(**values)
    except ValueError as exc:
        raise GreenlightError(f"{path}: {exc}") from None


def save_grammar_settings(settings: GrammarSettings, path: Path | None = None) -> Path:
    """Write grammar.json atomically (a crash mid-write must not leave half a file)."""
    from desktop.fileio import replace_file

    path = path or settings_path()
    replace_file(path, json.dumps(settings.as_json(), indent=2) + "\n")
    return path
