"""Offline spelling on the system's real Hunspell dictionary (Debian's hunspell-en-us), through spylls."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.review.findings import Severity
from desktop.review.grammar import GrammarService, GrammarSettings
from desktop.review.grammar.spelling import HunspellChecker, find_dictionary
from tests.fixtures.languagetool_standin import isolate_languagetool

SYSTEM_DICTIONARY = Path("/usr/share/hunspell/en_US.dic")


@pytest.fixture(autouse=True)
def _no_languagetool(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_languagetool(monkeypatch, tmp_path)


@pytest.fixture(scope="module")
def speller() -> HunspellChecker:
    # The real dictionary `make test` installs (scripts/system-deps.sh: hunspell-en-us).
    return HunspellChecker.for_language("en-US")


@pytest.fixture
def spelling_service():
    service = GrammarService(GrammarSettings(mode="spelling"))
    service.start()
    yield service
    service.close()


def flagged(speller: HunspellChecker, text: str, vocabulary=()) -> list[str]:
    return [f.match for f in speller.check(text, vocabulary=vocabulary)]


def test_uses_the_system_dictionary():
    assert find_dictionary("en-US").with_suffix(".dic") == SYSTEM_DICTIONARY


def test_misspelled_words_are_found_with_position_and_a_lazy_fix(speller):
    text = "Our new app ships\ntomorow, we recieve feedback daily."
    findings = speller.check(text)
    assert [f.match for f in findings] == ["tomorow", "recieve"]
    first = findings[0]
    assert first.rule == "Spelling.Hunspell"
    assert first.severity is Severity.WARNING
    assert text[first.start : first.end] == "tomorow"
    assert (first.line, first.column) == (2, 1)
    assert "tomorow" in first.message and "en-US" in first.message
    # Suggestions are not computed while checking; the fix says to ask for them (Vale's action).
    assert first.fix.action == "suggest"
    assert first.fix.suggestions == ()
    assert first.fix.params == ("spellings",)


def test_correct_english_is_not_flagged(speller):
    text = "Don’t miss it: the writer's guide, e-mail updates and COVID advice. We're live at NASA!"
    assert flagged(speller, text) == []


def test_hashtags_mentions_links_addresses_and_emoji_are_never_flagged(speller):
    text = (
        "Big news #GreenlightLaunch #teh #Nachhaltigkeit2030 from @qwzx and @qwzx.bsky.social "
        "and @qwzx@mstdn.social 🎉👍🏽🇩🇪 :partyparrot: see https://exmaple.org/xyzzy?q=frobz, "
        "www.qwzxy.com/blorp or qwzxy.org/blorp. Mail qwzx.blorp@exmaple.org today."
    )
    assert flagged(speller, text) == []


def test_words_next_to_protected_spans_are_still_checked(speller):
    assert flagged(speller, "Tset #launch and @bob: recieve https://example.org now") == ["Tset", "recieve"]


def test_offsets_are_code_points_after_emoji(speller):
    text = "🎉👍🏽 Wellcome to 🇩🇪 the launch evnt"
    findings = speller.check(text)
    assert [text[f.start : f.end] for f in findings] == ["Wellcome", "evnt"]
    assert findings[0].start == 4  # 🎉, 👍, 🏽, space: four code points (six UTF-16 units)


def test_team_vocabulary_follows_hunspell_casing(speller):
    vocabulary = ["Greenlight", "onboarding", "[Bb]luesky", "Mastodon"]
    text = "Greenlight GREENLIGHT Greenlight's onboarding Onboarding ONBOARDING Bluesky bluesky"
    assert flagged(speller, text, vocabulary) == []
    # A capitalised brand name does not make the lower-case word right.
    assert flagged(speller, "greenlight", vocabulary) == ["greenlight"]
    # Without the vocabulary the same words are flagged.
    assert "Greenlight" in flagged(speller, text)


def test_tokens_a_dictionary_cannot_judge_are_left_alone(speller):
    # Numbers and codes, camelCase names, and words in scripts the en_US dictionary cannot spell.
    assert flagged(speller, "mp3 3rd COVID19 iPhone YouTube Ελληνικά 東京") == []


def test_suggestions_are_computed_on_demand(spelling_service):
    assert spelling_service.wait_ready(30).kind == "offline-spelling"
    findings = spelling_service.check("We recieve it")
    assert findings[0].fix.suggestions == ()
    assert spelling_service.suggest("recieve")[0] == "receive"
    filled = spelling_service.with_suggestions(findings)
    assert filled[0].fix.action == "replace"
    assert filled[0].fix.suggestions[0] == "receive"
    assert filled[0].match == "recieve" and filled[0].start == findings[0].start


def test_spelling_mode_says_so_in_the_status(spelling_service):
    status = spelling_service.wait_ready(30)
    assert status.kind == "offline-spelling"
    assert "offline spelling only" in status.label
    assert "chosen in settings" in status.label
    assert status.dictionary == str(SYSTEM_DICTIONARY)


def test_dictionary_folder_from_settings_is_used(tmp_path: Path):
    folder = tmp_path / "team-dictionaries"
    folder.mkdir()
    (folder / "en_US.aff").write_text("SET UTF-8\nTRY abcdefghijklmnopqrstuvwxyz\n", encoding="utf-8")
    (folder / "en_US.dic").write_text("3\nzorp\nblim\nfrabjous\n", encoding="utf-8")
    service = GrammarService(GrammarSettings(mode="spelling", dictionary_dir=str(folder)))
    service.start()
    try:
        status = service.wait_ready(30)
        assert status.dictionary == str(folder / "en_US.dic")
        assert [f.match for f in service.check("zorp blim frabjous glorp")] == ["glorp"]
    finally:
        service.close()


def test_missing_dictionary_gives_a_clear_status_and_no_findings(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("desktop.review.grammar.spelling.SYSTEM_DICTIONARY_DIRS", ())
    service = GrammarService(GrammarSettings(mode="spelling", language="en-US"))
    service.start()
    try:
        status = service.wait_ready(30)
        assert status.kind == "none"
        assert "no dictionary" in status.label
        assert "hunspell-en-us" in status.detail and "dictionary_dir" in status.detail
        assert service.check("Ths is wrnog") == []
    finally:
        service.close()


def test_mode_off_checks_nothing():
    service = GrammarService(GrammarSettings(mode="off"))
    service.start()
    status = service.wait_ready(5)
    assert status.kind == "none"
    assert "turned off" in status.label
    assert service.check("Ths is wrnog") == []
    service.close()
