"""LanguageTool through the real language-tool-python client.

LanguageTool itself cannot be downloaded on the build machine, so these tests talk to a STAND-IN
server (tests/fixtures/languagetool_standin.py) that speaks LanguageTool's HTTP API on 127.0.0.1;
the local-start tests use a fake `java` that runs the same stand-in. `test_real_languagetool` runs
against a real LanguageTool when LANGUAGETOOL_URL is set, and is reported as skipped otherwise.
"""

from __future__ import annotations

import os
from pathlib import Path

import language_tool_python
import psutil
import pytest

from desktop.review.findings import Severity
from desktop.review.grammar import GrammarService, GrammarSettings
from desktop.review.grammar.languagetool import normalise_server_url
from tests.fixtures.languagetool_standin import (
    LanguageToolStandIn,
    isolate_languagetool,
    write_fake_install,
    write_fake_java,
)


@pytest.fixture(autouse=True)
def ltp_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    return isolate_languagetool(monkeypatch, tmp_path)


@pytest.fixture
def standin():
    """A LanguageTool STAND-IN server on 127.0.0.1 (not LanguageTool)."""
    with LanguageToolStandIn() as server:
        yield server


@pytest.fixture
def server_service(standin):
    service = GrammarService(GrammarSettings(server_url=standin.url, request_timeout=5))
    service.start(timeout=10)
    yield service
    service.close()


def test_library_client_talks_to_the_standin_and_converts_only_the_offset(standin):
    """What language-tool-python 3.x itself does with UTF-16 offsets (GrammarService relies on it)."""
    tool = language_tool_python.LanguageTool("en-US", remote_server=standin.url)
    try:
        text = "🎉 This is a apple."
        [match] = tool.check(text)
        assert match.rule_id == "EN_A_VS_AN"
        # The stand-in, like LanguageTool, sent offset 11 (UTF-16 units); the client subtracted the
        # emoji's extra unit: 10 is the code-point offset. `error_length` stays in UTF-16 units.
        assert match.offset == text.index(" a ") + 1 == 10
        assert match.error_length == 1
        assert standin.checks()[0]["form"]["language"] == "en-US"
    finally:
        tool.close()


def test_server_status_names_the_server(server_service, standin):
    status = server_service.wait_ready(15)
    assert status.kind == "languagetool-server"
    assert status.server_url == standin.url
    assert standin.url in status.label and "en-US" in status.label


def test_languagetool_matches_become_findings(server_service, standin):
    server_service.wait_ready(15)
    text = "This is a apple.\nWe will will recieve it."
    findings = server_service.check(text)
    by_rule = {f.rule: f for f in findings}
    assert set(by_rule) == {
        "LanguageTool.EN_A_VS_AN",
        "LanguageTool.ENGLISH_WORD_REPEAT_RULE",
        "LanguageTool.MORFOLOGIK_RULE_EN_US",
    }
    a_an = by_rule["LanguageTool.EN_A_VS_AN"]
    assert (a_an.start, a_an.end, a_an.match, a_an.line, a_an.column) == (8, 9, "a", 1, 9)
    assert a_an.fix.action == "replace" and a_an.fix.suggestions == ("an",)
    assert a_an.tags == ("grammar",)
    typo = by_rule["LanguageTool.MORFOLOGIK_RULE_EN_US"]
    assert typo.match == "recieve" and typo.line == 2 and typo.fix.suggestions == ("receive",)
    assert typo.severity is Severity.WARNING and typo.tags == ("spelling",)
    repeat = by_rule["LanguageTool.ENGLISH_WORD_REPEAT_RULE"]
    assert text[repeat.start : repeat.end] == "will will"
    # The text went to the server through the client, in the configured language.
    assert standin.checks()[-1]["form"] == {"language": "en-US", "text": text}


def test_offsets_are_right_after_emoji(server_service):
    server_service.wait_ready(15)
    text = "🎉👍🏽 Big day 🇩🇪: teh launch of a app!\n🚀 Then teh party."
    findings = server_service.check(text)
    assert [text[f.start : f.end] for f in findings] == ["teh", "a", "teh"]
    assert all(f.match == text[f.start : f.end] for f in findings)
    assert (findings[2].line, findings[2].column) == (2, 8)


def test_vocabulary_hashtags_and_mentions_silence_languagetool_spelling(server_service):
    server_service.wait_ready(15)
    text = "Greenlight is out #teh @teh https://example.org/teh, and teh rest."
    findings = server_service.check(text, vocabulary=["Greenlight"])
    assert [f.match for f in findings] == ["teh"]
    assert findings[0].start == text.rindex("teh")
    # The team vocabulary only silences spelling, not grammar.
    assert [f.rule for f in server_service.check("Greenlight is a idea", vocabulary=["Greenlight"])] == [
        "LanguageTool.EN_A_VS_AN"
    ]


@pytest.mark.parametrize("suffix", ["", "/", "/v2", "/v2/", "/v2/check"])
def test_server_url_as_people_paste_it(standin, suffix):
    service = GrammarService(GrammarSettings(server_url=standin.url + suffix))
    service.start(timeout=10)
    try:
        assert service.wait_ready(15).kind == "languagetool-server"
        assert [f.match for f in service.check("a apple")] == ["a"]
        assert {r["path"] for r in standin.requests} <= {"/v2/languages", "/v2/check"}
    finally:
        service.close()


def test_server_url_under_a_path_prefix_keeps_it():
    assert (
        normalise_server_url("https://tools.example.org/languagetool")
        == "https://tools.example.org/languagetool/"
    )
    assert normalise_server_url("lt.example.org:8081/v2") == "http://lt.example.org:8081/"


def test_local_languagetool_is_started_and_stopped(monkeypatch, tmp_path, ltp_folder):
    """The library's local path: Java check, jar lookup in LTP_PATH, process start, health check.

    `java` here is a fake that runs the LanguageTool stand-in, not Java.
    """
    java = write_fake_java(tmp_path / "bin")
    write_fake_install(ltp_folder)
    monkeypatch.setenv("PATH", f"{java.parent}{os.pathsep}{os.environ['PATH']}")
    service = GrammarService(GrammarSettings(mode="languagetool"))
    service.start(timeout=30)
    try:
        status = service.wait_ready(40)
        assert status.kind == "languagetool-local", status.detail
        assert status.label == "LanguageTool (local, en-US)"
        assert status.server_url.startswith("http://127.0.0.1:")
        assert [f.rule for f in service.check("It is a apple.")] == ["LanguageTool.EN_A_VS_AN"]
        assert _fake_java_processes(java)
    finally:
        service.close()
    psutil.wait_procs(_fake_java_processes(java), timeout=10)
    assert _fake_java_processes(java) == []


def _fake_java_processes(java: Path) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = proc.info["cmdline"] or []
        if str(java) in cmdline or any("tests.fixtures.languagetool_standin" in part for part in cmdline):
            found.append(proc)
    return found


@pytest.mark.real_languagetool
def test_real_languagetool():
    """Against a real LanguageTool server (LANGUAGETOOL_URL, e.g. http://localhost:8081)."""
    url = os.environ.get("LANGUAGETOOL_URL")
    if not url:
        pytest.skip("set LANGUAGETOOL_URL to a LanguageTool server to run this test")
    service = GrammarService(GrammarSettings(server_url=url, request_timeout=30))
    service.start(timeout=60)
    try:
        status = service.wait_ready(90)
        assert status.kind == "languagetool-server", status.detail
        text = "🎉 This is an test of teh checker. #teh"
        findings = service.check(text)
        rules = {f.rule for f in findings}
        assert "LanguageTool.EN_A_VS_AN" in rules
        assert all(f.match == text[f.start : f.end] for f in findings)
        assert "teh" in [f.match for f in findings]
        assert all(f.start < text.index("#teh") for f in findings)
    finally:
        service.close()
