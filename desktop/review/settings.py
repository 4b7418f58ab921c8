"""The app's configured guidelines: which packs, which `.vale.ini`, level, vocabulary.

Stored as JSON in `<config dir>/guidelines.json` so the settings dialog, the editor ("add to team
vocabulary") and `greenlight check` agree. Without a file, every style folder shipped in
`guidelines/` is active. A broken file is reported (which file, what is wrong) rather than silently
replaced, so nobody's vocabulary is lost.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from desktop import paths
from desktop.errors import GreenlightError
from desktop.review.findings import Severity

FILENAME = "guidelines.json"


@dataclass
class GuidelineSettings:
    packs: list[str] | None = None  # pack folders; None = every style folder shipped with the app
    extra_packs: list[str] = field(default_factory=list)  # the user's own pack folders
    vale_ini: str | None = None  # when set, this .vale.ini decides styles, levels and vocabularies
    min_level: str = "suggestion"
    disabled_rules: list[str] = field(default_factory=list)
    accept: list[str] = field(default_factory=list)  # team vocabulary (Vale's accept.txt)
    reject: list[str] = field(default_factory=list)  # words to avoid (Vale's reject.txt)

    def pack_dirs(self) -> list[Path]:
        base = [Path(p) for p in self.packs] if self.packs is not None else shipped_packs()
        return [*base, *(Path(p).expanduser() for p in self.extra_packs)]

    def add_vocabulary(self, word: str, *, reject: bool = False) -> bool:
        """Add a word to the accepted (or rejected) list; False when it was already there."""
        word = word.strip()
        if not word:
            raise ValueError("an empty word cannot be added to the vocabulary")
        target = self.reject if reject else self.accept
        if word in target:
            return False
        target.append(word)
        return True

    @property
    def level(self) -> Severity:
        return Severity.parse(self.min_level)


def _style_folders(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(d for d in root.iterdir() if d.is_dir() and (any(d.glob("*.yml")) or any(d.glob("*.yaml"))))


def team_guidelines_dir() -> Path:
    """Where the team's packs arrive: baked in by the installer or published by a lead through the
    shared folder (both verified against the team's root key before they are written here)."""
    return paths.config_dir() / "guidelines"


def shipped_packs() -> list[Path]:
    """The default packs: those shipped with the app, plus the team's; a team pack with the same
    name as a shipped one replaces it, so a team can adapt Greenlight's own pack."""
    by_name = {d.name: d for d in _style_folders(paths.shipped_guidelines())}
    by_name.update({d.name: d for d in _style_folders(team_guidelines_dir())})
    return [by_name[name] for name in sorted(by_name)]


def settings_path() -> Path:
    return paths.config_dir() / FILENAME


def load_settings(path: Path | None = None) -> GuidelineSettings:
    path = path or settings_path()
    if not path.exists():
        return GuidelineSettings()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GreenlightError(
            f"{path}: cannot read the guideline settings ({exc}); fix or remove the file"
        ) from None
    if not isinstance(data, dict):
        raise GreenlightError(f"{path}: expected a JSON object of guideline settings")
    known = set(GuidelineSettings.__dataclass_fields__)
    unknown = set(data) - known
    if unknown:
        raise GreenlightError(f"{path}: unknown setting(s) {sorted(unknown)}; known: {sorted(known)}")
    s = GuidelineSettings(**data)
    for name in ("extra_packs", "disabled_rules", "accept", "reject"):
        v = getattr(s, name)
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise GreenlightError(f"{path}: '{name}' must be a list of text")
    try:
        s.level  # noqa: B018 - validates min_level
    except ValueError as exc:
        raise GreenlightError(f"{path}: min_level: {exc}") from None
    return s


def save_settings(settings: GuidelineSettings, path: Path | None = None) -> Path:
    """Write atomically (temp file + rename) so a crash never leaves half a file."""
    from desktop.fileio import replace_file

    path = path or settings_path()
    replace_file(path, json.dumps(asdict(settings), indent=2, ensure_ascii=False) + "\n")
    return path


def add_vocabulary(word: str, *, reject: bool = False) -> GuidelineSettings:
    """Load the settings, add `word` to the team vocabulary, save; returns the new settings."""
    s = load_settings()
    if s.add_vocabulary(word, reject=reject):
        save_settings(s)
    return s


def build_engine(settings: GuidelineSettings | None = None):
    """The engine for these settings (import is deferred: the CLI's other commands stay fast)."""
    from desktop.review.config import ConfigError
    from desktop.review.engine import Engine

    s = settings or load_settings()
    if s.vale_ini:
        try:
            return Engine.from_config(
                Path(s.vale_ini).expanduser(),
                accept=s.accept,
                reject=s.reject,
                disabled_rules=set(s.disabled_rules),
                min_level=s.level if s.min_level != "suggestion" else None,
            )
        except ConfigError as exc:
            raise GreenlightError(str(exc)) from None
    return Engine.from_packs(
        s.pack_dirs(),
        min_level=s.level,
        accept=s.accept,
        reject=s.reject,
        disabled_rules=set(s.disabled_rules),
    )
