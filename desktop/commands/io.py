"""Input/output helpers shared by the command modules: reading FILE|-, printing JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from desktop.errors import GreenlightError


def read_text_arg(source: str | None, *, required: bool = False) -> str | None:
    """Read a FILE argument, or stdin for `-` (or when stdin is piped and no file is named).

    Errors name the file and the problem: missing, unreadable, not UTF-8.
    """
    if source is None:
        if sys.stdin is None or sys.stdin.isatty():
            if required:
                raise GreenlightError("no input: name a FILE or pipe text on stdin (use - for stdin)")
            return None
        source = "-"
    if source == "-":
        data = sys.stdin.buffer.read()
        label = "<stdin>"
    else:
        path = Path(source)
        label = str(path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise GreenlightError(f"{label}: no such file") from None
        except IsADirectoryError:
            raise GreenlightError(f"{label}: is a directory, expected a text file") from None
        except OSError as exc:
            raise GreenlightError(f"{label}: cannot read ({exc.strerror})") from None
    return decode_text(data, label)


def decode_text(data: bytes, label: str) -> str:
    """Decode UTF-8 (with or without BOM); name the byte offset when it is not UTF-8."""
    if b"\x00" in data:
        raise GreenlightError(f"{label}: looks like a binary file (contains NUL bytes); expected UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise GreenlightError(
            f"{label}: not valid UTF-8 at byte {exc.start} (line {line}); save the file as UTF-8 and retry"
        ) from None


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
