"""`greenlight drafts ...` as scripts use it: ids on stdout, JSON shapes, exit codes, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest


def gl(*args: str, input: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args], input=input, capture_output=True, timeout=60
    )


def test_new_prints_only_the_id_and_show_json_has_the_contract_keys() -> None:
    new = gl("drafts", "new", "--title", "Launch", "--platform", "x", "-", input=b"Big news today!")
    assert new.returncode == 0, new.stderr
    draft_id = new.stdout.decode().strip()
    assert draft_id and "\n" not in draft_id
    edit = gl("drafts", "edit", draft_id, "-", input=b"Big news today! Read more.")
    assert edit.returncode == 0
    shown = json.loads(gl("drafts", "show", draft_id, "--format", "json").stdout)
    assert shown["id"] == draft_id
    assert shown["title"] == "Launch"
    assert shown["text"] == "Big news today! Read more."
    assert shown["status"] == "draft"
    assert shown["revisions"] == 2
    history = json.loads(gl("drafts", "history", draft_id, "--format", "json").stdout)
    assert [h["text"] for h in history] == ["Big news today!", "Big news today! Read more."]


def test_list_and_search_json() -> None:
    a = gl("drafts", "new", "-", input=b"Volunteers wanted for the beach clean-up").stdout.decode().strip()
    gl("drafts", "new", "-", input=b"Quarterly results are out")
    found = json.loads(gl("drafts", "list", "--search", "beach", "--format", "json").stdout)
    assert [d["id"] for d in found] == [a]
    everything = json.loads(gl("drafts", "list", "--format", "json").stdout)
    assert len(everything) == 2


def test_export_import_round_trip_is_lossless(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Line one\r\nLine two with emoji 👩‍👩‍👧 and trailing spaces   \n\n---\nnot front matter\n"
    draft_id = gl(
        "drafts", "new", "--title", "Tricky: yes", "--platform", "bluesky", "-", input=text.encode()
    )
    draft_id = draft_id.stdout.decode().strip()
    before = json.loads(gl("drafts", "show", draft_id, "--format", "json").stdout)
    assert gl("drafts", "export", "--all", "--to", str(tmp_path / "out")).returncode == 0

    monkeypatch.setenv("GREENLIGHT_HOME", str(tmp_path / "other-profile"))
    imported = gl("drafts", "import", str(tmp_path / "out"))
    assert imported.returncode == 0, imported.stderr
    after = json.loads(gl("drafts", "show", draft_id, "--format", "json").stdout)
    for key in ("id", "title", "text", "status", "platforms", "tags", "created", "updated"):
        assert after[key] == before[key], key
    again = gl("drafts", "import", str(tmp_path / "out"))
    assert b"unchanged" in again.stdout  # importing twice changes nothing
    assert json.loads(gl("drafts", "show", draft_id, "--format", "json").stdout)["revisions"] == 1


def test_bad_input_gets_a_clear_error_and_exit_2(tmp_path: Path) -> None:
    missing = gl("drafts", "show", "NOSUCHDRAFT")
    assert missing.returncode == 2 and b"no draft with id" in missing.stderr
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Caf\xe9".encode("latin-1"))
    bad = gl("drafts", "new", str(latin1))
    assert (
        bad.returncode == 2
        and b"not valid UTF-8 at byte 3" in bad.stderr
        and str(latin1).encode() in bad.stderr
    )
    unreadable = gl("drafts", "new", str(tmp_path / "nope.txt"))
    assert unreadable.returncode == 2 and b"no such file" in unreadable.stderr
    assert gl("drafts", "list").stdout == b""  # nothing half-created


def test_broken_import_file_names_the_file_and_imports_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.md").write_text("---\ntitle: ok\n---\nhello")
    (folder / "bad.md").write_text("---\ntitle: [unclosed\n---\nhello")
    result = gl("drafts", "import", str(folder))
    assert result.returncode == 2
    assert b"bad.md" in result.stderr and b"invalid front matter" in result.stderr
    assert gl("drafts", "list").stdout == b""


def test_every_command_and_option_has_help_text() -> None:
    """Scripts and people rely on --help; a command without help text is a bug."""
    import argparse

    from desktop.cli import build_parser

    def walk(parser: argparse.ArgumentParser, path: str) -> list[str]:
        missing = []
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                helps = {a.dest: a.help for a in action._choices_actions}
                for name, sub in action.choices.items():
                    if not helps.get(name):
                        missing.append(f"{path} {name}")
                    missing += walk(sub, f"{path} {name}")
            elif action.help is None and not isinstance(action, argparse._HelpAction):
                missing.append(f"{path} {'/'.join(action.option_strings) or action.dest}")
        return missing

    assert walk(build_parser(), "greenlight") == []
