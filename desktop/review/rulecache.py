"""A cache of loaded rule packs, so that starting `greenlight check` or the editor is quick.

Loading a pack from YAML means parsing every rule file, translating and compiling hundreds of
regular expressions and working out their prefilter literals: a few hundred milliseconds for the
six common Vale packs, paid by every new process. This module keeps the loaded rules of each pack
folder in one pickle under the profile (`<profile>/cache/rules/`). Patterns are stored as their
source and compiled again only when a document needs them (`regexes.VPattern`).

The cache is never trusted blindly. An entry is used only when everything the rules were built
from is unchanged: each rule file (by name, modification time in nanoseconds and size), the
accepted vocabulary (it is compiled into the rules' exceptions), the engine code (the same test on
the modules that define rules), Python and the regex and YAML libraries. A file that changed is
loaded again from YAML on its own; an unreadable, corrupt or foreign cache file is ignored and
replaced. Spelling rules are never cached, because they depend on dictionary and word-list files
outside the pack. Writing is atomic (temporary file, then rename), so two processes cannot leave
half a file, and a cache that cannot be written is simply not written.

The cache is as trusted as the profile folder holding it (a pickle can run code when loaded): it
lives with the user's own settings and database, never in a shared or team folder.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from functools import lru_cache
from pathlib import Path

from desktop.fileio import replace_file
from desktop.review.loader import LoadProblem, load_rule_file, rule_files
from desktop.review.rules.base import Rule

# Bump when the shape of cached rules changes in a way the code fingerprint would not notice.
CACHE_VERSION = 1
_MAGIC = "greenlight-rule-cache"

# (modification time ns, size) of a rule file -> the rule (or None) and the problems loading it.
_Entry = tuple[tuple[int, int], Rule | None, list[LoadProblem]]


def default_dir() -> Path:
    """`<profile>/cache/rules`: per profile, like the rest of the user's data."""
    from desktop import paths

    return paths.home() / "cache" / "rules"


@lru_cache(maxsize=1)
def _code_fingerprint() -> tuple:
    """Size and modification time of every module that defines what a loaded rule is."""
    review = Path(__file__).resolve().parent
    modules = sorted(
        [review / "loader.py", review / "regexes.py", review / "findings.py", review / "markup.py"]
        + list((review / "rules").glob("*.py"))
    )
    try:
        return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in modules)
    except OSError:  # a frozen build without sources: its version decides
        from desktop import __version__

        return ("frozen", __version__)


@lru_cache(maxsize=1)
def _yaml_fingerprint() -> tuple:
    """Which YAML library parsed the cached rules, found without importing it (a warm start
    never parses YAML, and importing the library costs more than reading the cache)."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("yaml")
        origin = Path(spec.origin) if spec and spec.origin else None
        st = origin.stat() if origin else None
    except (ImportError, OSError, ValueError):
        return ()
    return (str(origin), st.st_mtime_ns, st.st_size) if st else ()


def _header(folder: Path, accepted: list[str]) -> tuple:
    import regex

    return (
        _MAGIC,
        CACHE_VERSION,
        _code_fingerprint(),
        sys.version_info[:3],
        getattr(regex, "__version__", ""),
        _yaml_fingerprint(),
        str(folder),  # as given: loaded rules name their files under it
        os.path.abspath(folder),
        tuple(accepted),
    )


def cache_file(cache_dir: Path, folder: Path) -> Path:
    """Where the rules of pack `folder` are cached (one file per pack folder)."""
    digest = hashlib.sha256(os.path.abspath(folder).encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return cache_dir / f"{folder.name[:40]}-{digest}.pickle"


def load_pack_cached(
    folder: Path, *, accepted: list[str] | None = None, cache_dir: Path | None
) -> tuple[list[Rule], list[LoadProblem]]:
    """`loader.load_pack`, from the cache where it is still valid (and refreshing it)."""
    accepted = list(accepted or [])
    folder = Path(folder)
    files = rule_files(folder)
    header = _header(folder, accepted)
    target = cache_file(cache_dir, folder) if cache_dir is not None else None
    cached = _read(target, header) if target is not None else {}
    rules: list[Rule] = []
    problems: list[LoadProblem] = []
    entries: dict[str, _Entry] = {}
    changed = False
    for path in files:
        try:
            st = path.stat()
            signature = (st.st_mtime_ns, st.st_size)
        except OSError:
            signature = None
        hit = cached.get(path.name)
        if signature is not None and hit is not None and hit[0] == signature:
            rule, probs = hit[1], hit[2]
            entries[path.name] = hit
        else:
            rule, probs = load_rule_file(path, folder.name, accepted=accepted)
            if signature is not None and _cacheable(path, rule):
                entries[path.name] = (signature, rule, probs)
                changed = True
        problems.extend(probs)
        if rule is not None:
            rules.append(rule)
    if target is not None and (changed or entries.keys() != cached.keys()):
        _write(target, header, entries)
    return rules, problems


def _cacheable(path: Path, rule: Rule | None) -> bool:
    """Whether a rule depends only on its own file (spelling rules also read dictionaries)."""
    if rule is not None:
        return rule.kind != "spelling"
    try:  # a rule that failed to load: cache the failure unless it may be a spelling rule
        return "spelling" not in path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return False


def _read(target: Path, header: tuple) -> dict[str, _Entry]:
    """The valid entries of a cache file; {} when it is missing, stale, corrupt or not ours."""
    try:
        data = target.read_bytes()
    except OSError:
        return {}
    try:
        stored_header, entries = pickle.loads(data)
    except Exception:  # corrupt, truncated, written by other code: rebuild it
        return {}
    if stored_header != header or not isinstance(entries, dict):
        return {}
    valid: dict[str, _Entry] = {}
    folder = header[6]
    for name, entry in entries.items():
        if not _valid_entry(name, entry, folder):
            return {}
        valid[name] = entry
    return valid


def _valid_entry(name: object, entry: object, folder: str) -> bool:
    if not isinstance(name, str) or not isinstance(entry, tuple) or len(entry) != 3:
        return False
    signature, rule, probs = entry
    if not (
        isinstance(signature, tuple) and len(signature) == 2 and all(isinstance(x, int) for x in signature)
    ):
        return False
    if not isinstance(probs, list) or not all(isinstance(p, LoadProblem) for p in probs):
        return False
    if rule is None:
        return True
    path = Path(folder) / name
    return isinstance(rule, Rule) and rule.file == str(path) and rule.id == f"{path.parent.name}.{path.stem}"


def _write(target: Path, header: tuple, entries: dict[str, _Entry]) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        replace_file(target, pickle.dumps((header, entries), protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return  # the cache is an optimisation: a read-only profile just loads from YAML each time
