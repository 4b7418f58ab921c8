"""`.vale.ini`: StylesPath, sections by syntax, rule settings, MinAlertLevel, vocabularies."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.review.config import ConfigError
from desktop.review.engine import Engine
from desktop.review.findings import Severity
from tests.conftest import VALE_PACKS


@pytest.fixture
def styles(tmp_path: Path) -> Path:
    root = tmp_path / "styles"
    root.mkdir()
    for name in ("Microsoft", "write-good"):
        (root / name).symlink_to(VALE_PACKS / name / name)
    vocab = root / "config" / "vocabularies" / "Team"
    vocab.mkdir(parents=True)
    (vocab / "accept.txt").write_text("# product names\nGreenlight\nutilize\n")
    (vocab / "reject.txt").write_text("synergy\n")
    return root


def ini(tmp_path: Path, body: str) -> Path:
    path = tmp_path / ".vale.ini"
    path.write_text(body)
    return path


def test_sections_choose_styles_per_syntax(tmp_path, styles):
    e = Engine.from_config(
        ini(
            tmp_path,
            "StylesPath = styles\n\n[*]\nBasedOnStyles = Microsoft\n\n[*.md]\nBasedOnStyles = write-good\n",
        )
    )
    text = "You cannot do that. So the the cat sat."
    txt_rules = {f.pack for f in e.check(text, syntax="text")}
    md_rules = {f.pack for f in e.check(text, syntax="markdown")}
    assert txt_rules == {"Microsoft"}
    assert md_rules == {"Microsoft", "write-good"}


def test_rule_settings_and_min_alert_level(tmp_path, styles):
    e = Engine.from_config(
        ini(
            tmp_path,
            "StylesPath = styles\nMinAlertLevel = warning\n[*]\nBasedOnStyles = Microsoft\n"
            "Microsoft.Contractions = NO\nMicrosoft.Adverbs = error\nwrite-good.Illusions = YES\n",
        )
    )
    fs = e.check("You cannot really do the the thing. It's very good.")
    rules = {f.rule: f.severity for f in fs}
    assert "Microsoft.Contractions" not in rules
    assert rules["Microsoft.Adverbs"] == Severity.ERROR
    assert rules["write-good.Illusions"] == Severity.WARNING  # enabled alone, its style is not based on
    assert all(f.severity >= Severity.WARNING for f in fs)
    assert not any(f.pack == "write-good" and f.rule != "write-good.Illusions" for f in fs)


def test_vocabulary_accept_reject(tmp_path, styles):
    e = Engine.from_config(
        ini(tmp_path, "StylesPath = styles\nVocab = Team\n[*]\nBasedOnStyles = Microsoft\n")
    )
    fs = e.check("Try greenlight to utilize our synergy. Greenlight is fine.")
    got = {(f.rule, f.match) for f in fs}
    # Vale.Terms: an accepted word in the wrong case; Vale.Avoid: a rejected word.
    assert ("Vale.Terms", "greenlight") in got
    assert ("Vale.Avoid", "synergy") in got
    assert not any(f.match == "Greenlight" for f in fs)
    # Accepted words are exceptions for the packs' rules (Microsoft.Wordiness flags 'utilize').
    assert not any(f.rule == "Microsoft.Wordiness" for f in fs)
    terms = next(f for f in fs if f.rule == "Vale.Terms")
    assert terms.message == "Use 'Greenlight' instead of 'greenlight'." and terms.severity == Severity.ERROR


def test_bad_config_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="StylesPath is not set"):
        Engine.from_config(ini(tmp_path, "[*]\nBasedOnStyles = Microsoft\n"))
    with pytest.raises(ConfigError, match=r"\.vale\.ini:3: .*maybe"):
        Engine.from_config(ini(tmp_path, "StylesPath = .\n[*]\nMicrosoft.Foo = maybe\n"))
    with pytest.raises(ConfigError, match="no such file"):
        Engine.from_config(tmp_path / "missing.ini")


def test_missing_style_and_unsupported_keys_are_reported(tmp_path, styles):
    e = Engine.from_config(
        ini(tmp_path, "StylesPath = styles\nPackages = Google\n[*]\nBasedOnStyles = Nope\n")
    )
    messages = " ".join(str(p) for p in e.problems)
    assert "Packages" in messages and "style folder not found" in messages
