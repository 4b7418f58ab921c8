"""Replacing a local file so that it is always either the old or the new content, never half.

Settings, exports, caches and the team profile are all rewritten this way: bytes go to a uniquely
named temp file beside the target, are fsynced, then renamed over it (atomic within one folder).
A crash or a full disk leaves the previous file intact and no temp file behind. (The shared folder
needs more — retries on flaky storage, never overwriting — see `desktop.sync.atomic`.)
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def replace_file(target: Path, content: bytes | str, *, encoding: str = "utf-8") -> None:
    """Atomically make `target` hold `content` (text is written as-is: no newline translation)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode(encoding) if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
