"""`greenlight check`: formats, exit codes, --styles, stdin, and errors (run as a real process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import VALE_PACKS


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "desktop", "check", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=120,
    )


@pytest.fixture
def styles(tmp_path: Path) -> Path:
    root = tmp_path / "styles"
    root.mkdir()
    (root / "Microsoft").symlink_to(VALE_PACKS / "Microsoft" / "Microsoft")
    return root


def test_vale_json_shape_and_error_exit(tmp_path, styles):
    post = tmp_path / "post.txt"
    post.write_text("Intro line.\nYou cannot do that.\n")
    res = run("--styles", str(styles), "--format", "vale-json", str(post))
    assert res.returncode == 1, res.stderr
    data = json.loads(res.stdout)
    assert list(data) == [str(post)]
    alert = next(a for a in data[str(post)] if a["Check"] == "Microsoft.Contractions")
    assert alert == {
        "Action": {"Name": "replace", "Params": ["can't"]},
        "Span": [5, 10],
        "Check": "Microsoft.Contractions",
        "Description": "",
        "Link": "https://docs.microsoft.com/en-us/style-guide/word-choice/use-contractions",
        "Message": "Use 'can't' instead of 'cannot'.",
        "Severity": "error",
        "Match": "cannot",
        "Line": 2,
    }
    assert list(alert) == [
        "Action",
        "Span",
        "Check",
        "Description",
        "Link",
        "Message",
        "Severity",
        "Match",
        "Line",
    ]


def test_text_format_grouped_without_colour_when_piped(tmp_path, styles):
    a, b = tmp_path / "a.md", tmp_path / "b.txt"
    a.write_text("# Hello\n\nYou cannot go.\n")
    b.write_text("Fine text.\n")
    res = run("--styles", str(styles), str(a), str(b))
    assert res.returncode == 1
    assert "\033[" not in res.stdout
    assert res.stdout.splitlines()[0] == str(a)
    assert "3:5" in res.stdout and "Microsoft.Contractions" in res.stdout
    assert "in 1 of 2 files" in res.stdout


def test_stdin_json_and_min_level(styles):
    res = run(
        "--styles", str(styles), "--format", "json", "--min-level", "error", "-", stdin="We will utilize it."
    )
    assert res.returncode == 0, res.stderr  # no error-level finding
    data = json.loads(res.stdout)
    assert data["files"][0]["path"] == "stdin.txt"
    assert all(f["severity"] == "error" for f in data["files"][0]["findings"])


def test_usage_and_configuration_errors_exit_2(tmp_path, styles):
    assert run("--styles", str(tmp_path / "none"), "-", stdin="x").returncode == 2
    missing = run("--styles", str(styles), str(tmp_path / "missing.txt"))
    assert missing.returncode == 2 and "missing.txt: no such file" in missing.stderr
    bad_ini = tmp_path / ".vale.ini"
    bad_ini.write_text("[*]\nBasedOnStyles = Microsoft\n")
    res = run("--config", str(bad_ini), "-", stdin="x")
    assert res.returncode == 2 and "StylesPath" in res.stderr
    assert run("--format", "xml", "-", stdin="x").returncode == 2


def test_bad_rule_is_reported_on_stderr_and_others_run(tmp_path):
    root = tmp_path / "styles"
    (root / "Team").mkdir(parents=True)
    (root / "Team" / "Bad.yml").write_text("extends: existence\nmessage: x\ntokenz: [a]\n")
    (root / "Team" / "Good.yml").write_text(
        "extends: existence\nmessage: x\nlevel: error\ntokens: [synergy]\n"
    )
    res = run("--styles", str(root), "--format", "vale-json", "-", stdin="synergy")
    assert res.returncode == 1
    assert "Bad.yml:3: Team.Bad: unknown key 'tokenz'" in res.stderr
    assert json.loads(res.stdout)["stdin.txt"][0]["Check"] == "Team.Good"


def test_default_uses_configured_guidelines(tmp_path):
    from desktop.review.settings import GuidelineSettings, save_settings

    save_settings(GuidelineSettings(packs=[str(VALE_PACKS / "proselint" / "proselint")]))
    res = run("--format", "vale-json", "-", stdin="TODO: fix")
    assert res.returncode == 1
    assert {a["Check"] for a in json.loads(res.stdout)["stdin.txt"]} == {"proselint.Annotations"}


def test_a_second_run_starts_from_the_rule_cache_and_reports_the_same(tmp_path, styles, greenlight_home):
    post = tmp_path / "post.txt"
    post.write_text("You cannot do that. We are thrilled to utilize it.\n")
    first = run("--styles", str(styles), "--format", "json", str(post))
    cached = list((greenlight_home / "cache" / "rules").glob("Microsoft-*.pickle"))
    assert len(cached) == 1
    stamp = cached[0].stat().st_mtime_ns
    second = run("--styles", str(styles), "--format", "json", str(post))
    assert (second.returncode, second.stdout, second.stderr) == (first.returncode, first.stdout, first.stderr)
    assert json.loads(second.stdout)["files"][0]["findings"]
    assert cached[0].stat().st_mtime_ns == stamp  # read, not rewritten
