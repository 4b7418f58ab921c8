"""Export drafts as Markdown files with YAML front matter, and import them back.

One file per draft, `<id>.md`, so a folder of exports is readable by people and other tools. The
round trip is lossless for the draft's text and metadata: the text is written byte for byte after
the front matter (no trailing newline is added or removed), and an import keeps the draft's id.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from desktop.errors import GreenlightError
from desktop.fileio import replace_file
from desktop.store.drafts import DraftStore
from desktop.store.models import Draft

FENCE = "---\n"
META_KEYS = ("id", "title", "status", "tags", "platforms", "accounts", "created", "updated")


def render(draft: Draft) -> str:
    meta = {key: getattr(draft, key) for key in META_KEYS}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1_000_000)
    return f"{FENCE}{front}{FENCE}{draft.text}"


def parse(content: str, label: str) -> tuple[dict, str]:
    """Split a file into (metadata, text); errors name the file and line."""
    content = content.replace("\r\n", "\n") if content.startswith("---\r\n") else content
    if not content.startswith(FENCE):
        raise GreenlightError(f"{label}:1: expected front matter starting with '---'")
    end = content.find("\n" + FENCE, len(FENCE) - 1)
    if end < 0:
        raise GreenlightError(f"{label}: front matter is not closed with a '---' line")
    front = content[len(FENCE) : end + 1]
    text = content[end + 1 + len(FENCE) :]
    try:
        meta = yaml.safe_load(front) or {}
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 2
        raise GreenlightError(
            f"{label}:{line}: invalid front matter ({getattr(exc, 'problem', exc)})"
        ) from None
    if not isinstance(meta, dict):
        raise GreenlightError(f"{label}:2: front matter must be a mapping of keys to values")
    for key in ("tags", "platforms", "accounts"):
        value = meta.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise GreenlightError(f"{label}: front matter key {key!r} must be a list of strings")
    return meta, text


def export_drafts(drafts: list[Draft], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for draft in drafts:
        target = folder / f"{draft.id}.md"
        replace_file(target, render(draft))
        written.append(target)
    return written


@dataclass
class ImportOutcome:
    path: Path
    draft_id: str
    action: str  # "created", "updated", "unchanged"


def import_drafts(store: DraftStore, folder: Path) -> list[ImportOutcome]:
    """Import every `*.md` in `folder`. Re-importing is harmless: unchanged drafts are left alone.

    All files are parsed before anything is written, so one bad file imports nothing and the error
    names it.
    """
    from desktop.commands.io import decode_text

    if not folder.is_dir():
        raise GreenlightError(f"{folder}: not a folder")
    parsed = []
    for path in sorted(folder.glob("*.md")):
        meta, text = parse(decode_text(path.read_bytes(), str(path)), str(path))
        parsed.append((path, meta, text))
    outcomes = []
    for path, meta, text in parsed:
        draft_id = str(meta.get("id") or "") or None
        existing = None
        if draft_id:
            try:
                existing = store.get(draft_id)
            except GreenlightError:
                existing = None
        fields = {
            "title": str(meta.get("title") or ""),
            "tags": meta.get("tags", []),
            "platforms": meta.get("platforms", []),
            "accounts": meta.get("accounts", []),
        }
        if existing is None:
            draft = store.create(
                text, draft_id=draft_id, created=meta.get("created"), updated=meta.get("updated"), **fields
            )
            if meta.get("status") and meta["status"] != draft.status:
                store.update(draft.id, status=str(meta["status"]))
            outcomes.append(ImportOutcome(path, draft.id, "created"))
            continue
        changed = store.save(existing.id, text, origin="import") is not None
        if any(getattr(existing, k) != v for k, v in fields.items()):
            store.update(existing.id, **fields)
            changed = True
        outcomes.append(ImportOutcome(path, existing.id, "updated" if changed else "unchanged"))
    return outcomes
