"""No input crashes the engine, every span lies inside the text, and a runaway regex is stopped."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.review.engine import Engine
from desktop.review.incremental import IncrementalChecker
from tests.conftest import VALE_PACKS

PACKS = ["Microsoft", "Google", "write-good", "proselint", "alex", "Joblint"]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_packs([VALE_PACKS / n / n for n in PACKS], cache_dir=None)


MD_PIECES = st.sampled_from(
    [
        "# ",
        "## ",
        "- ",
        "1. ",
        "> ",
        "`",
        "```\n",
        "**",
        "_",
        "[",
        "](http://x.y/z)",
        "![alt ",
        "<!-- vale off -->",
        "<!-- vale on -->",
        "<!-- vale Microsoft.We = NO -->",
        "| a | b |\n| - | - |\n",
        "---\n",
        "\\*",
        "&amp;",
        "\n",
        "\n\n",
        "\r\n",
        "\r",
        " ",
        "very unique",
        "We are",
        "the the",
        "colour color",
        "WHO",
        "e.g. ",
        "...",
        "https://example.com/a.b",
        "😀",
        "é",
        "\u200b",
        "\t",
    ]
)
DOCS = st.lists(st.one_of(MD_PIECES, st.text(max_size=12)), max_size=40).map("".join)


def check_spans(text: str, findings) -> None:
    for f in findings:
        assert 0 <= f.start <= f.end <= len(text), f
        assert f.line >= 1 and f.column >= 1
        assert f.line <= text.count("\n") + text.count("\r") + 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=DOCS)
def test_fuzz_markdown_and_text(engine, text):
    for syntax in ("markdown", "text"):
        check_spans(text, engine.check(text, syntax=syntax))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300))
def test_fuzz_arbitrary_unicode_incremental(engine, text):
    inc = IncrementalChecker(engine)
    for cut in (len(text) // 2, len(text)):
        part = text[:cut]
        assert inc.check(part) == engine.check(part)
        check_spans(part, inc.check(part, syntax="markdown"))


def test_catastrophic_regex_is_stopped_and_reported(tmp_path: Path):
    folder = tmp_path / "Slow"
    folder.mkdir()
    (folder / "Backtrack.yml").write_text(
        "extends: existence\nmessage: x\nnonword: true\ntokens: ['(a|aa)+b']\n"
    )
    (folder / "Fine.yml").write_text("extends: existence\nmessage: x\ntokens: [hello]\n")
    engine = Engine.from_packs([folder], rule_timeout=0.05)
    text = "hello b " + "a" * 60 + "!"  # the b passes the literal prefilter
    findings = engine.check(text)
    assert [f.rule for f in findings] == ["Slow.Fine"]  # the other rule still ran
    assert "Slow.Backtrack" in engine.quarantined
    problem = next(p for p in engine.problems if p.rule == "Slow.Backtrack")
    assert problem.file.endswith("Backtrack.yml") and "50 ms" in problem.message
    # Switched off for the session: the next check does not pay for it again.
    assert [f.rule for f in engine.check(text)] == ["Slow.Fine"]
