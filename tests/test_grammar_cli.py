"""`greenlight grammar status|check|suggest`, against the LanguageTool STAND-IN or offline spelling."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.review.grammar import GrammarSettings, save_grammar_settings
from tests.fixtures.languagetool_standin import LanguageToolStandIn, closed_port_url, isolate_languagetool


@pytest.fixture(autouse=True)
def _no_languagetool_download(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_languagetool(monkeypatch, tmp_path)


def test_status_json_with_a_server(capsys):
    with LanguageToolStandIn() as server:
        save_grammar_settings(GrammarSettings(server_url=server.url))
        assert main(["grammar", "status", "--format", "json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["kind"] == "languagetool-server"
    assert status["server_url"] == server.url
    assert set(status) >= {"kind", "label", "detail", "language", "server_url", "dictionary"}


def test_status_text_when_the_server_is_down(capsys):
    save_grammar_settings(GrammarSettings(server_url=closed_port_url()))
    assert main(["grammar", "status", "--timeout", "5"]) == 0
    label, detail = capsys.readouterr().out.splitlines()[:2]
    assert label == "offline spelling only (LanguageTool not available: unreachable)"
    assert "refused the connection" in detail


def test_check_prints_findings_with_suggestions_and_the_checker_on_stderr(tmp_path, capsys):
    save_grammar_settings(GrammarSettings(mode="spelling"))
    post = tmp_path / "post.txt"
    post.write_text("Greenlight will recieve #teh feedback 🎉\n", encoding="utf-8")
    vocabulary = tmp_path / "accept.txt"
    vocabulary.write_text("# team words\nGreenlight\n", encoding="utf-8")
    assert main(["grammar", "check", "--vocabulary", str(vocabulary), str(post)]) == 0
    out, err = capsys.readouterr()
    assert err.strip() == "grammar: offline spelling only (chosen in settings)"
    assert out.splitlines() == [
        f"{post}:1:17: warning: 'recieve' is not in the en-US dictionary or the team vocabulary. "
        "(did you mean: receive, relieve, reverie) [Spelling.Hunspell]"
    ]


def test_check_json_against_the_server(tmp_path, capsys):
    post = tmp_path / "post.txt"
    post.write_text("🎉 This is a apple.", encoding="utf-8")
    with LanguageToolStandIn() as server:
        save_grammar_settings(GrammarSettings(server_url=server.url))
        assert main(["grammar", "check", "--format", "json", str(post)]) == 0
    out, err = capsys.readouterr()
    assert err.startswith("grammar: LanguageTool server http://127.0.0.1:")
    [finding] = json.loads(out)
    assert finding["rule"] == "LanguageTool.EN_A_VS_AN"
    assert (finding["start"], finding["end"], finding["suggestions"]) == (10, 11, ["an"])


def test_suggest(capsys):
    assert main(["grammar", "suggest", "definately"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "definitely"


def test_broken_settings_file_is_a_usage_error(greenlight_home, capsys):
    (greenlight_home / "grammar.json").write_text('{"mode": "sometimes"}', encoding="utf-8")
    assert main(["grammar", "status"]) == 2
    err = capsys.readouterr().err
    assert "grammar.json" in err and "mode must be one of" in err


def test_check_with_grammar_merges_findings_and_names_the_checker(tmp_path, capsys):
    post = tmp_path / "post.txt"
    post.write_text("🎉 It is a apple, #teh.\n", encoding="utf-8")
    with LanguageToolStandIn() as server:
        save_grammar_settings(GrammarSettings(server_url=server.url))
        main(["check", "--grammar", "--format", "json", str(post)])
    out, err = capsys.readouterr()
    assert f"grammar: LanguageTool server {server.url} (en-US)" in err
    findings = json.loads(out)["files"][0]["findings"]
    grammar = [f for f in findings if f["rule"].startswith("LanguageTool.")]
    assert [(f["rule"], f["start"], f["match"]) for f in grammar] == [("LanguageTool.EN_A_VS_AN", 8, "a")]


def test_check_with_grammar_offline_says_why(tmp_path, capsys, monkeypatch):
    empty = tmp_path / "no-java"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    post = tmp_path / "post.txt"
    post.write_text("We recieve it.\n", encoding="utf-8")
    main(["check", "--grammar", "--format", "json", str(post)])
    out, err = capsys.readouterr()
    assert "grammar: offline spelling only (LanguageTool not available: no Java)" in err
    findings = json.loads(out)["files"][0]["findings"]
    spelling = [f for f in findings if f["rule"] == "Spelling.Hunspell"]
    assert [(f["match"], f["suggestions"][0]) for f in spelling] == [("recieve", "receive")]
