"""The team folder's layout, its file names, and refusing names that try to escape it.

```
TEAM/
  greenlight-team.json           marker: this folder is a Greenlight team folder (format version)
  users/
    <fingerprint>/               one folder per user, named by the key fingerprint (abcd-ef01-2345-6789)
      events/
        00000001-<event id>.json one immutable, signed event per file; never rewritten
```

Everything read from the folder is untrusted: file names are classified (canonical event file,
cloud "conflicted copy" of one, our own temp file, unknown), symbolic links and special files are
never followed, and names coming from inside files (e.g. guideline file names a lead publishes) go
through `safe_relative_name` before they touch the local disk.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath

from desktop.errors import GreenlightError

LAYOUT_VERSION = 1
MARKER = "greenlight-team.json"
USERS = "users"
EVENTS = "events"
TEMP_PREFIX = ".gl-tmp-"
# An event file bigger than this is not an event (a 5 MB paste plus its JSON escaping fits easily).
MAX_EVENT_BYTES = 32 * 1024 * 1024

_FOLDER_RE = re.compile(r"^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$")
_EVENT_RE = re.compile(r"^(\d{8,})-([0-9a-f]{64})\.json$")
# Anything starting like an event file name but decorated by a cloud client or a person:
# "x (conflicted copy 2026-01-01).json", "x (1).json", "x-DESKTOP-ABC.json", "x.json.bak" ...
_COPY_RE = re.compile(r"^(\d{8,})-([0-9a-f]{64}).+$", re.IGNORECASE)
# Files cloud clients and operating systems drop into folders; never worth a warning.
_JUNK = {"desktop.ini", "thumbs.db", ".ds_store", "icon\r", ".dropbox", ".dropbox.attr"}
_WINDOWS_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}


class LayoutError(GreenlightError):
    """The team folder cannot be used as given; the message says which path and what to do."""


class NameKind(StrEnum):
    EVENT = "event"  # canonical event file name
    COPY = "copy"  # a decorated copy of an event file (cloud conflict, "(1)", ".bak", ...)
    TEMP = "temp"  # an in-progress atomic write (ours or another replica's)
    JUNK = "junk"  # OS/cloud litter: ignored silently
    UNKNOWN = "unknown"  # anything else: ignored, listed so a person can look


@dataclass(frozen=True)
class FileName:
    kind: NameKind
    seq: int | None = None
    event_id: str | None = None


def folder_name(fingerprint: str) -> str:
    """A user's folder: the key fingerprint with dashes (colons are not allowed on Windows shares)."""
    name = fingerprint.replace(":", "-").lower()
    if not _FOLDER_RE.match(name):
        raise LayoutError(f"not a key fingerprint: {fingerprint!r}")
    return name


def is_user_folder_name(name: str) -> bool:
    return bool(_FOLDER_RE.match(name))


def event_file_name(seq: int, event_id: str) -> str:
    """Unique and content-addressed: the author's sequence number (sorts) and the event's SHA-256 id."""
    if seq < 1 or not re.fullmatch(r"[0-9a-f]{64}", event_id):
        raise ValueError(f"bad event name parts: seq={seq!r} id={event_id!r}")
    return f"{seq:08d}-{event_id}.json"


def classify(name: str) -> FileName:
    """What a name found in a user's events folder is, judged from the name alone."""
    if name.startswith(TEMP_PREFIX):
        return FileName(NameKind.TEMP)
    lower = name.lower()
    if (
        lower in _JUNK
        or lower.startswith("._")
        or lower.startswith("~$")
        or lower.endswith((".tmp", ".partial"))
    ):
        return FileName(NameKind.JUNK)
    m = _EVENT_RE.match(name)
    if m:
        return FileName(NameKind.EVENT, int(m.group(1)), m.group(2))
    m = _COPY_RE.match(name)
    if m:
        return FileName(NameKind.COPY, int(m.group(1)), m.group(2).lower())
    if lower.startswith("."):
        return FileName(NameKind.JUNK)
    return FileName(NameKind.UNKNOWN)


def safe_relative_name(name: str, *, allow_subdirs: bool = False) -> PurePosixPath:
    """Check a file name that came from an untrusted file before using it on the local disk.

    Refuses absolute paths, drive letters, `..`, empty parts, control characters, backslashes and
    Windows device names, so a published name can never write outside the folder it is meant for.
    """
    if not isinstance(name, str) or not name or "\x00" in name:
        raise LayoutError(f"unsafe file name {name!r}: empty or contains NUL")
    if "\\" in name or re.match(r"^[A-Za-z]:", name) or name.startswith("/"):
        raise LayoutError(f"unsafe file name {name!r}: absolute paths and backslashes are not allowed")
    parts = name.split("/")
    if not allow_subdirs and len(parts) > 1:
        raise LayoutError(f"unsafe file name {name!r}: folders are not allowed here")
    for part in parts:
        if part in ("", ".", ".."):
            raise LayoutError(f"unsafe file name {name!r}: empty, '.' or '..' parts are not allowed")
        if any(ord(c) < 32 for c in part) or part.endswith((" ", ".")):
            raise LayoutError(f"unsafe file name {name!r}: control characters or a trailing dot/space")
        if part.split(".")[0].lower() in _WINDOWS_RESERVED:
            raise LayoutError(f"unsafe file name {name!r}: {part!r} is a reserved device name on Windows")
    return PurePosixPath(*parts)


def is_plain_dir(path: Path) -> bool:
    """A real directory, not a symlink to one (a symlink could lead reads anywhere on this disk)."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


class TeamFolder:
    """Paths inside one team folder. Creating is explicit: reading never creates anything."""

    def __init__(self, root: Path | str) -> None:
        raw = Path(root).expanduser()
        if not raw.is_absolute():
            raw = Path.cwd() / raw
        # The root itself may be a symlink the user chose (e.g. ~/Dropbox -> /data/Dropbox); resolve
        # it once. Nothing below the root is ever followed through a symlink.
        self.root = raw.resolve()

    @property
    def users_dir(self) -> Path:
        return self.root / USERS

    def user_dir(self, fingerprint: str) -> Path:
        return self.users_dir / folder_name(fingerprint)

    def events_dir(self, fingerprint: str) -> Path:
        return self.user_dir(fingerprint) / EVENTS

    def check_usable(self) -> None:
        """Raise a LayoutError naming the problem if this cannot be a team folder."""
        if not self.root.exists():
            raise LayoutError(f"{self.root}: the sync folder does not exist (create it or check the path)")
        if not self.root.is_dir():
            raise LayoutError(f"{self.root}: is not a folder")
        marker = self.root / MARKER
        if marker.exists():
            try:
                info = json.loads(marker.read_text(encoding="utf-8"))
                version = int(info.get("layout", 1))
            except (OSError, ValueError, TypeError, AttributeError):
                return  # a damaged marker is rewritten by the next `ensure`; it holds nothing else
            if version > LAYOUT_VERSION:
                raise LayoutError(
                    f"{self.root}: this team folder uses layout v{version}, newer than this Greenlight "
                    f"understands (v{LAYOUT_VERSION}). Nothing was changed; update Greenlight."
                )

    def ensure(self, fingerprint: str) -> Path:
        """Create the marker and this user's events folder (idempotent); return the events folder."""
        self.check_usable()
        from desktop.sync.atomic import write_atomic

        marker = self.root / MARKER
        if not marker.is_file():
            body = json.dumps({"app": "greenlight", "layout": LAYOUT_VERSION}, indent=2) + "\n"
            write_atomic(marker, body.encode("utf-8"), overwrite=True)
        events = self.events_dir(fingerprint)
        for d in (self.users_dir, self.user_dir(fingerprint), events):
            if d.is_symlink():
                raise LayoutError(f"{d}: is a symbolic link; Greenlight only writes to real folders there")
            d.mkdir(exist_ok=True)
        return events

    def user_folders(self) -> list[tuple[str, Path]]:
        """(folder name, events dir) for every user folder that is a real directory."""
        out = []
        try:
            entries = list(os.scandir(self.users_dir))
        except (FileNotFoundError, NotADirectoryError):
            return []
        for entry in entries:
            if is_user_folder_name(entry.name) and entry.is_dir(follow_symlinks=False):
                events = Path(entry.path) / EVENTS
                if is_plain_dir(events):
                    out.append((entry.name, events))
        return sorted(out)
