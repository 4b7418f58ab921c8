"""Loading rule packs: the six public Vale packs load cleanly; bad rule files are skipped precisely."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.review.engine import Engine, LoadProblem
from desktop.review.findings import Severity
from tests.conftest import VALE_PACKS

PACKS = ["Microsoft", "Google", "write-good", "proselint", "alex", "Joblint"]


def pack_dirs() -> list[Path]:
    return [VALE_PACKS / name / name for name in PACKS]


def test_all_six_packs_load_without_problems():
    engine = Engine.from_packs(pack_dirs())
    assert engine.problems == []
    expected = sum(len(list(d.glob("*.yml"))) for d in pack_dirs())
    assert len(engine.rule_ids) == expected
    assert "Microsoft.Contractions" in engine.rule_ids
    assert "write-good.Illusions" in engine.rule_ids


def test_styles_dir_loads_every_style_folder_and_nothing_else(tmp_path):
    for name in ("Microsoft", "alex"):
        (tmp_path / name).symlink_to(VALE_PACKS / name / name)
    (tmp_path / "notes").mkdir()  # a folder without rules is not a style
    engine = Engine.from_styles_dir(tmp_path)
    assert {r.split(".")[0] for r in engine.rule_ids} == {"Microsoft", "alex"}


def write_pack(tmp_path: Path, files: dict[str, str]) -> Path:
    pack = tmp_path / "Team"
    pack.mkdir()
    for name, body in files.items():
        (pack / name).write_text(body, encoding="utf-8")
    return pack


GOOD = "extends: existence\nmessage: \"Avoid '%s'.\"\ntokens:\n  - synergy\n"


def test_bad_rule_files_are_skipped_with_file_line_and_reason(tmp_path):
    pack = write_pack(
        tmp_path,
        {
            "Good.yml": GOOD,
            "Malformed.yml": "extends: existence\nmessage: 'x'\ntokens:\n  - [unclosed\n",
            "Unknown.yml": "extends: existence\nmessage: x\nlevel: error\ntokenz:\n  - foo\n",
            "BadRegex.yml": "extends: existence\nmessage: x\ntokens:\n  - fine\n  - 'broken(['\n",
            "Extends.yml": "message: x\nextends: existance\n",
        },
    )
    engine = Engine.from_packs([pack])
    by_rule = {p.rule: p for p in engine.problems}
    assert set(by_rule) == {"Team.Malformed", "Team.Unknown", "Team.BadRegex", "Team.Extends"}
    assert by_rule["Team.Malformed"].line == 5 and "malformed YAML" in by_rule["Team.Malformed"].message
    assert by_rule["Team.Unknown"].line == 4 and "unknown key 'tokenz'" in by_rule["Team.Unknown"].message
    assert by_rule["Team.BadRegex"].line == 5 and "broken([" in by_rule["Team.BadRegex"].message
    assert by_rule["Team.Extends"].line == 2 and "existance" in by_rule["Team.Extends"].message
    problem = by_rule["Team.Unknown"]
    assert str(problem) == f"{problem.file}:4: Team.Unknown: {problem.message}"
    assert problem.file.endswith("Unknown.yml")
    # The good rule still runs.
    assert engine.rule_ids == ["Team.Good"]
    assert [f.rule for f in engine.check("Pure synergy.")] == ["Team.Good"]


def test_wrong_types_and_levels_are_reported(tmp_path):
    pack = write_pack(
        tmp_path,
        {
            "Level.yml": "extends: existence\nmessage: x\nlevel: fatal\ntokens: [a]\n",
            "Max.yml": "extends: occurrence\nmessage: x\ntoken: a\nmax: lots\n",
            "NoMessage.yml": "extends: existence\ntokens: [a]\n",
        },
    )
    engine = Engine.from_packs([pack])
    messages = {p.rule: p.message for p in engine.problems}
    assert "suggestion, warning or error" in messages["Team.Level"]
    assert "whole number" in messages["Team.Max"]
    assert "message" in messages["Team.NoMessage"]


def test_script_and_tagged_sequence_are_reported_per_rule_not_run(tmp_path):
    pack = write_pack(
        tmp_path,
        {
            "Script.yml": "extends: script\nmessage: x\nscript: |\n  matches := []\n",
            "Tagged.yml": "extends: sequence\nmessage: x\ntokens:\n  - tag: NN\n  - pattern: of\n",
        },
    )
    engine = Engine.from_packs([pack])
    messages = {p.rule: p.message for p in engine.problems}
    assert "Tengo" in messages["Team.Script"]
    assert "part-of-speech" in messages["Team.Tagged"]
    assert engine.rule_ids == []


def test_greenlight_extension_keys_tags_and_examples(tmp_path):
    pack = write_pack(
        tmp_path,
        {
            "Crisis.yml": (
                "extends: existence\nmessage: \"'%s' is sensitive.\"\nlevel: error\ntags: [sensitive, crisis]\n"
                "examples:\n  fire:\n    - There was an explosion.\n  pass:\n    - There was a celebration.\n"
                "tokens:\n  - explosion\n"
            )
        },
    )
    engine = Engine.from_packs([pack])
    assert engine.problems == []
    rule = engine.rules[0]
    assert (rule.id, rule.level, rule.tags) == ("Team.Crisis", Severity.ERROR, ("sensitive", "crisis"))
    assert rule.examples.fire == ("There was an explosion.",)
    assert rule.examples.passes == ("There was a celebration.",)
    for text in rule.examples.fire:
        assert [f.tags for f in engine.check(text)] == [("sensitive", "crisis")]
    for text in rule.examples.passes:
        assert engine.check(text) == []


def test_yaml_11_booleans_stay_text(tmp_path):
    # `on`, `no` and `off` would be booleans in YAML 1.1; Vale packs mean the words.
    pack = write_pack(
        tmp_path, {"Words.yml": "extends: substitution\nmessage: \"Use '%s' not '%s'.\"\nswap:\n  on: upon\n"}
    )
    engine = Engine.from_packs([pack])
    assert engine.problems == []
    assert [f.match for f in engine.check("Put it on the table.")] == ["on"]


def test_missing_pack_folder_is_a_problem_not_a_crash(tmp_path):
    engine = Engine.from_packs([tmp_path / "Nope"])
    assert engine.rule_ids == []
    assert isinstance(engine.problems[0], LoadProblem) and "not found" in engine.problems[0].message


@pytest.mark.parametrize("name", PACKS)
def test_each_pack_fires_on_its_own_domain(name):
    # A sentence per pack that its guide exists to catch.
    texts = {
        "Microsoft": "You cannot do that.",
        "Google": "Use the colour picker.",
        "write-good": "So the the cat sat.",
        "proselint": "TODO finish this.",
        "alex": "He is such a lunatic.",
        "Joblint": "We need a rockstar developer.",
    }
    engine = Engine.from_packs([VALE_PACKS / name / name])
    assert any(f.pack == name for f in engine.check(texts[name]))
