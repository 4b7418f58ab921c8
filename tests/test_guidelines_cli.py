"""`greenlight guidelines test|list`: a team's pack is tested like code, with a test runner's output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import VALE_PACKS


def gl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args], capture_output=True, text=True, timeout=120
    )


def write_pack(root: Path, name: str, rules: dict[str, str]) -> Path:
    pack = root / name
    pack.mkdir(parents=True)
    for rule, body in rules.items():
        (pack / f"{rule}.yml").write_text(body, encoding="utf-8")
    return root


GOOD_RULE = """extends: existence
message: "Avoid '%s'."
level: warning
tokens: [synergy]
examples:
  fire: ["We love synergy"]
  pass: ["We love teamwork"]
"""

BROKEN_EXAMPLE_RULE = """extends: existence
message: "Avoid '%s'."
level: warning
tokens: [leverage]
examples:
  fire: ["We use our strengths"]
  pass: ["Let us leverage this"]
"""


def test_shipped_guidelines_all_pass() -> None:
    result = gl("guidelines", "test")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[-1].startswith("OK: ") and " 0 failed" in lines[-1]
    assert any(line.startswith("ok   Greenlight.Crisis fire[1]") for line in lines)


def test_failures_are_reported_per_example_with_exit_1(tmp_path: Path) -> None:
    styles = write_pack(tmp_path / "styles", "Team", {"Buzz": GOOD_RULE, "Leverage": BROKEN_EXAMPLE_RULE})
    result = gl("guidelines", "test", str(styles))
    assert result.returncode == 1
    out = result.stdout
    assert "ok   Team.Buzz fire[1] 'We love synergy'" in out
    assert "FAIL Team.Leverage fire[1] 'We use our strengths'  <- did not fire" in out
    assert "FAIL Team.Leverage pass[1] 'Let us leverage this'  <- fired at 1:8 'leverage'" in out
    assert out.strip().splitlines()[-1] == "FAILED: 2 passed, 2 failed (2 rules in 1 pack)"


def test_quiet_prints_only_failures(tmp_path: Path) -> None:
    styles = write_pack(tmp_path / "styles", "Team", {"Buzz": GOOD_RULE, "Leverage": BROKEN_EXAMPLE_RULE})
    out = gl("guidelines", "test", "-q", str(styles)).stdout
    assert "ok   " not in out
    assert out.count("FAIL Team.Leverage") == 2


def test_a_single_pack_folder_can_be_named_directly(tmp_path: Path) -> None:
    styles = write_pack(tmp_path / "styles", "Team", {"Buzz": GOOD_RULE})
    result = gl("guidelines", "test", str(styles / "Team"))
    assert result.returncode == 0
    assert "1 pack" in result.stdout


def test_load_problems_exit_2_and_name_the_file(tmp_path: Path) -> None:
    styles = write_pack(
        tmp_path / "styles",
        "Team",
        {"Buzz": GOOD_RULE, "Broken": "extends: existence\nmessage: [unclosed\n"},
    )
    result = gl("guidelines", "test", str(styles))
    assert result.returncode == 2
    assert "Broken.yml" in result.stderr


def test_rules_without_examples_are_skipped_or_fail_with_strict(tmp_path: Path) -> None:
    bare = "extends: existence\nmessage: \"Avoid '%s'.\"\nlevel: warning\ntokens: [utilize]\n"
    styles = write_pack(tmp_path / "styles", "Team", {"Buzz": GOOD_RULE, "Utilize": bare})
    relaxed = gl("guidelines", "test", str(styles))
    assert relaxed.returncode == 0
    assert "skip Team.Utilize: no examples" in relaxed.stdout
    assert "1 rule(s) without examples" in relaxed.stdout
    strict = gl("guidelines", "test", "--strict", str(styles))
    assert strict.returncode == 1
    assert "FAIL Team.Utilize: no examples" in strict.stdout


def test_json_output(tmp_path: Path) -> None:
    styles = write_pack(tmp_path / "styles", "Team", {"Buzz": GOOD_RULE, "Leverage": BROKEN_EXAMPLE_RULE})
    result = gl("guidelines", "test", "--format", "json", str(styles))
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["passed"] == 2 and data["failed"] == 2 and data["rules"] == 2
    failed = [r for r in data["results"] if not r["ok"]]
    assert {(r["rule"], r["kind"]) for r in failed} == {("Team.Leverage", "fire"), ("Team.Leverage", "pass")}


@pytest.mark.parametrize("vendor", ["Google", "write-good"])
def test_third_party_vale_packs_run_without_examples(vendor: str) -> None:
    result = gl("guidelines", "test", "-q", str(VALE_PACKS / vendor))
    assert result.returncode in (0, 2), result.stderr  # 2 only if the engine reports a load problem
    assert "0 passed, 0 failed" in result.stdout
    assert "without examples" in result.stdout


def test_missing_folder_and_empty_folder_are_exit_2(tmp_path: Path) -> None:
    missing = gl("guidelines", "test", str(tmp_path / "nope"))
    assert missing.returncode == 2 and "no such folder" in missing.stderr
    empty = gl("guidelines", "test", str(tmp_path))
    assert empty.returncode == 2 and "no guideline packs" in empty.stderr


def test_list_shows_levels_tags_and_example_counts() -> None:
    result = gl("guidelines", "list", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = {r["rule"]: r for r in json.loads(result.stdout)}
    crisis = rows["Greenlight.Crisis"]
    assert crisis["level"] == "warning"
    assert "crisis" in crisis["tags"]
    assert crisis["fire_examples"] >= 1 and crisis["pass_examples"] >= 1
    text = gl("guidelines", "list").stdout
    assert "Greenlight.Profanity" in text and "error" in text
