"""`greenlight sync`, `drafts share`, `drafts resolve` and `drafts show`'s `conflicts`, as a team uses them.

Two real profiles (separate GREENLIGHT_HOME, keys in the real OS keyring) and a real shared folder;
the commands run through `desktop.cli.main` exactly as typed.
"""

from __future__ import annotations

import io
import json
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.paths import shipped_guidelines
from tests.fixtures.sync_team import as_profile


def run(home: Path, *argv: str, stdin: str | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode()))
    try:
        with as_profile(home), redirect_stdout(out), redirect_stderr(err):
            code = main(list(argv))
    finally:
        sys.stdin = saved
    return code, out.getvalue(), err.getvalue()


def ok(home: Path, *argv: str, stdin: str | None = None) -> str:
    code, out, err = run(home, *argv, stdin=stdin)
    assert code == 0, f"{argv}: exit {code}: {err}"
    return out


@pytest.fixture
def team(os_keyring, tmp_path: Path):
    folder = tmp_path / "OneDrive - Comms"
    folder.mkdir()
    lead, ana = tmp_path / "lead", tmp_path / "ana"
    lead.mkdir(), ana.mkdir()
    ok(lead, "identity", "init", "--name", "Lee Lead")
    ok(lead, "team", "init", "--name", "Comms")
    root = json.loads(ok(lead, "identity", "show", "--format", "json"))["public_key"]
    ok(ana, "identity", "init", "--name", "Ana")
    ana_key = json.loads(ok(ana, "identity", "show", "--format", "json"))["public_key"]
    ok(lead, "team", "add", "Ana", "--key", ana_key, "--level", "1")
    ok(lead, "sync", "--folder", str(folder))
    return folder, lead, ana, root


def test_join_share_sync_and_show(team) -> None:
    folder, lead, ana, root = team
    joined = json.loads(ok(ana, "sync", "--folder", str(folder), "--join", root, "--format", "json"))
    assert joined["team"] == "Comms" and joined["member"]["name"] == "Ana"
    draft_id = ok(ana, "drafts", "new", "--title", "Launch", "-", stdin="We launch on Monday.").strip()
    ok(ana, "drafts", "share", draft_id)
    report = json.loads(ok(ana, "sync", "--format", "json"))  # the folder was remembered
    assert report["exported"] >= 1 and report["ok"]
    ok(lead, "sync")
    shown = json.loads(ok(lead, "drafts", "show", draft_id, "--format", "json"))
    assert shown["text"] == "We launch on Monday." and shown["title"] == "Launch"
    assert shown["conflicts"] == []
    status = json.loads(ok(lead, "sync", "--status", "--format", "json"))
    assert status["folder"] == str(folder.resolve()) and status["last_sync"] and status["pending"] == 0


def test_concurrent_edits_show_as_conflicts_and_resolve(team) -> None:
    folder, lead, ana, root = team
    ok(ana, "sync", "--folder", str(folder), "--join", root)
    draft_id = ok(ana, "drafts", "new", "-", stdin="Draft v1").strip()
    ok(ana, "drafts", "share", draft_id)
    ok(ana, "sync")
    ok(lead, "sync")
    ok(ana, "drafts", "edit", draft_id, "-", stdin="Ana's wording")
    ok(lead, "drafts", "edit", draft_id, "-", stdin="Lee's wording")
    for home in (ana, lead, ana):
        ok(home, "sync")
    shown = json.loads(ok(ana, "drafts", "show", draft_id, "--format", "json"))
    assert sorted(v["text"] for v in shown["conflicts"]) == ["Ana's wording", "Lee's wording"]
    assert {v["author_fingerprint"] for v in shown["conflicts"]} and all(
        "event_id" in v for v in shown["conflicts"]
    )
    text = ok(ana, "drafts", "show", draft_id)
    assert "conflict: version" in text and "drafts resolve" in text
    code, _, err = run(ana, "drafts", "resolve", draft_id, "--pick", "zz")
    assert code == 2 and "matches no competing version" in err
    ok(ana, "drafts", "resolve", draft_id, "--text", "-", stdin="Both wordings, merged")
    ok(ana, "sync")
    ok(lead, "sync")
    for home in (ana, lead):
        shown = json.loads(ok(home, "drafts", "show", draft_id, "--format", "json"))
        assert shown["text"] == "Both wordings, merged" and shown["conflicts"] == []


def test_the_lead_publishes_policy_and_guidelines_and_a_member_gets_them_on_join(
    team, tmp_path: Path
) -> None:
    folder, lead, ana, root = team
    rules = tmp_path / "packs" / "Brand"
    rules.mkdir(parents=True)
    (rules / "Terms.yml").write_text("extends: substitution\nmessage: Use '%s'\nswap:\n  e-mail: email\n")
    policy = shipped_guidelines() / "policy.yml"
    ok(lead, "sync", "--publish-team", "--policy", str(policy), "--guidelines", str(tmp_path / "packs"))
    joined = json.loads(ok(ana, "sync", "--folder", str(folder), "--join", root, "--format", "json"))
    assert joined["installed"]["policy"] and joined["installed"]["guideline_files"] == 1
    assert (ana / "guidelines" / "Brand" / "Terms.yml").read_text().startswith("extends: substitution")
    assert (ana / "policy.yml").read_text() == policy.read_text()


def test_joining_with_the_wrong_root_key_pins_nothing(team, tmp_path: Path) -> None:
    folder, _lead, ana, _root = team
    other = tmp_path / "other"
    other.mkdir()
    ok(other, "identity", "init", "--name", "Stranger")
    wrong = json.loads(ok(other, "identity", "show", "--format", "json"))["public_key"]
    code, _, err = run(ana, "sync", "--folder", str(folder), "--join", wrong)
    assert code == 2 and "no roster signed by the root key" in err
    code, _, err = run(ana, "team", "show")
    assert code != 0


def test_sync_without_a_folder_says_how_to_set_one(team) -> None:
    _folder, _lead, ana, _root = team
    code, _, err = run(ana, "sync")
    assert code == 2 and "greenlight sync --folder DIR" in err
    code, _, err = run(ana, "sync", "--folder", "/nonexistent/team")
    assert code == 2 and "does not exist" in err
