"""The app's guideline settings: defaults, saving, team vocabulary, and broken files."""

from __future__ import annotations

import json

import pytest

from desktop import paths
from desktop.errors import GreenlightError
from desktop.review.settings import (
    GuidelineSettings,
    add_vocabulary,
    build_engine,
    load_settings,
    save_settings,
    settings_path,
)
from tests.conftest import VALE_PACKS


def test_defaults_use_every_shipped_style_folder():
    s = load_settings()
    assert s.packs is None and s.accept == [] and s.min_level == "suggestion"
    shipped = paths.shipped_guidelines()
    expected = (
        sorted(d for d in shipped.iterdir() if d.is_dir() and any(d.glob("*.yml")))
        if shipped.is_dir()
        else []
    )
    assert s.pack_dirs() == expected


def test_save_load_round_trip_and_engine(tmp_path):
    s = GuidelineSettings(
        packs=[str(VALE_PACKS / "Microsoft" / "Microsoft")],
        extra_packs=[str(VALE_PACKS / "alex" / "alex")],
        min_level="warning",
        disabled_rules=["Microsoft.We"],
    )
    save_settings(s)
    assert load_settings() == s
    engine = build_engine(load_settings())
    fs = engine.check("We are sure he is a lunatic.")
    rules = {f.rule for f in fs}
    assert "Microsoft.We" not in rules and "alex.Ablist" in rules
    assert all(f.severity.label != "suggestion" for f in fs)


def test_add_to_team_vocabulary_is_saved_and_used():
    save_settings(GuidelineSettings(packs=[str(VALE_PACKS / "Microsoft" / "Microsoft")]))
    text = "You should utilize it."
    assert any(f.rule == "Microsoft.Wordiness" for f in build_engine().check(text))
    add_vocabulary("utilize")
    assert json.loads(settings_path().read_text())["accept"] == ["utilize"]
    assert not any(f.rule == "Microsoft.Wordiness" for f in build_engine().check(text))
    add_vocabulary("utilize")  # adding twice keeps one entry
    assert load_settings().accept == ["utilize"]


def test_broken_settings_file_is_reported_not_replaced():
    path = settings_path()
    path.write_text("{not json")
    with pytest.raises(GreenlightError, match="guidelines.json"):
        load_settings()
    assert path.read_text() == "{not json"
    path.write_text(json.dumps({"packz": []}))
    with pytest.raises(GreenlightError, match="unknown setting"):
        load_settings()


def test_team_packs_join_the_defaults_and_replace_a_shipped_pack_of_the_same_name(greenlight_home) -> None:
    """Packs a lead publishes (or the installer bakes in) land in <config>/guidelines and are active
    without any setting; a team's own `Greenlight` pack replaces the shipped one."""
    from desktop.review.settings import GuidelineSettings, build_engine, team_guidelines_dir

    team = team_guidelines_dir()
    (team / "Acme").mkdir(parents=True)
    (team / "Acme" / "Competitor.yml").write_text(
        "extends: existence\nmessage: \"Don't name '%s' in our posts.\"\nlevel: error\ntokens:\n  - Globex\n"
    )
    (team / "Greenlight").mkdir()
    (team / "Greenlight" / "Only.yml").write_text("extends: existence\nmessage: 'x'\ntokens:\n  - zzzz\n")
    engine = build_engine(GuidelineSettings())
    assert "Acme.Competitor" in engine.rule_ids
    assert [f.rule for f in engine.check("Better than Globex!")] == ["Acme.Competitor"]
    greenlight_rules = [r for r in engine.rule_ids if r.startswith("Greenlight.")]
    assert greenlight_rules == ["Greenlight.Only"]
