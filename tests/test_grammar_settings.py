"""grammar.json: defaults, reading, and errors that name the file, the line and the setting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.errors import GreenlightError
from desktop.review.grammar import (
    GrammarService,
    GrammarSettings,
    load_grammar_settings,
    save_grammar_settings,
    settings_path,
)


def write(greenlight_home: Path, text: str) -> Path:
    path = settings_path()
    assert path.parent == greenlight_home  # GREENLIGHT_HOME holds the config too
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file():
    settings = load_grammar_settings()
    assert settings == GrammarSettings()
    assert (settings.mode, settings.language, settings.server_url) == ("auto", "en-US", "")


def test_values_from_the_file(greenlight_home):
    write(
        greenlight_home,
        json.dumps(
            {
                "mode": "languagetool",
                "language": "en-GB",
                "server_url": "https://lt.example.org",
                "start_timeout": 5,
            }
        ),
    )
    settings = load_grammar_settings()
    assert settings.mode == "languagetool"
    assert settings.language == "en-GB"
    assert settings.server_url == "https://lt.example.org"
    assert settings.start_timeout == 5.0
    assert settings.request_timeout == GrammarSettings().request_timeout


def test_save_and_load_round_trip():
    wanted = GrammarSettings(mode="spelling", dictionary_dir="/srv/dictionaries", local_languagetool=False)
    path = save_grammar_settings(wanted)
    assert path == settings_path()
    assert load_grammar_settings() == wanted


def test_invalid_json_names_file_and_line(greenlight_home):
    path = write(greenlight_home, '{\n  "mode": "auto",\n  "language": en-US\n}\n')
    with pytest.raises(GreenlightError) as err:
        load_grammar_settings()
    message = str(err.value)
    assert str(path) in message and "line 3" in message and "delete it to use the defaults" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"server_ur": "http://x"}', "unknown setting 'server_ur'"),
        ('{"mode": "grammar"}', "mode must be one of auto, languagetool, spelling, off"),
        ('{"start_timeout": "soon"}', "'start_timeout' must be a number"),
        ('{"local_languagetool": "yes"}', "'local_languagetool' must be true or false"),
        ('{"request_timeout": 0}', "request_timeout must be a positive number of seconds"),
        ('{"language": ""}', "language must not be empty"),
        ('["auto"]', "expected a JSON object"),
    ],
)
def test_bad_values_are_named(greenlight_home, content, expected):
    path = write(greenlight_home, content)
    with pytest.raises(GreenlightError) as err:
        load_grammar_settings()
    assert str(path) in str(err.value)
    assert expected in str(err.value)


def test_service_reads_the_settings_file_and_starts_nothing_in_init(greenlight_home):
    write(greenlight_home, '{"mode": "off"}')
    service = GrammarService()
    assert service.settings.mode == "off"
    assert service.status.kind == "none" and service.status.label == "Not started"
