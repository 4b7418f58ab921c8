"""Each rule kind against what Vale's documentation and source specify (texts written for this)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.review.engine import Engine
from desktop.review.findings import Severity
from tests.conftest import VALE_PACKS


def pack(tmp_path: Path, **rules: str) -> Engine:
    folder = tmp_path / "T"
    folder.mkdir(exist_ok=True)
    for name, body in rules.items():
        (folder / f"{name}.yml").write_text(body, encoding="utf-8")
    engine = Engine.from_packs([folder])
    assert engine.problems == [], engine.problems
    return engine


def one(pack_name: str, rule: str) -> Engine:
    engine = Engine.from_packs([VALE_PACKS / pack_name / pack_name])
    engine.rules = [r for r in engine.rules if r.id == f"{pack_name}.{rule}"]
    return Engine(engine.rules)


# -- existence ------------------------------------------------------------------------------------


def test_existence_matches_whole_words_only(tmp_path):
    e = pack(tmp_path, E="extends: existence\nmessage: \"Avoid '%s'.\"\ntokens: [cat]\n")
    fs = e.check("cat concatenate cat's scat")
    assert [(f.match, f.column) for f in fs] == [("cat", 1), ("cat", 17)]
    assert fs[0].message == "Avoid 'cat'." and fs[0].severity == Severity.WARNING  # Vale's default level


def test_existence_nonword_and_ignorecase(tmp_path):
    e = pack(
        tmp_path,
        N="extends: existence\nmessage: x\nnonword: true\ntokens: ['\\s{2,}']\n",
        I="extends: existence\nmessage: x\nignorecase: true\ntokens: [synergy]\n",
    )
    fs = e.check("Our  SYNERGY.")
    assert {(f.rule, f.match) for f in fs} == {("T.N", "  "), ("T.I", "SYNERGY")}


def test_existence_exceptions_and_raw(tmp_path):
    e = pack(
        tmp_path,
        E="extends: existence\nmessage: x\ntokens: ['[A-Z]{3,}']\nexceptions: [NASA]\n",
    )
    assert [f.match for f in e.check("NASA and ESA and FBI")] == ["ESA", "FBI"]


def test_passive_raw_plus_tokens_with_mid_pattern_flags():
    # Vale builds raw + (?m)\b(?:tokens)\b: the (?m) lands mid-pattern, which Python's re rejects.
    e = one("Microsoft", "Passive")
    fs = e.check("The report was written by Sam. We wrote it.")
    assert [(f.match, f.message) for f in fs] == [("was written", "'was written' looks like passive voice.")]


def test_variable_width_lookbehind():
    e = one("Google", "Colons")
    # ": D" follows "10:30", so the variable-width look-behind (?<!:[^ ]+?) excludes it.
    fs = e.check("Note: The value is set. Time 10:30: Done.")
    assert [f.match for f in fs] == [": T"]


def test_existence_action_edit_computes_fix():
    e = one("Microsoft", "Negative")
    [f] = e.check("The range is -5 to 5.")
    assert f.match == "-5" and f.fix.action == "edit" and f.fix.suggestions == ("–5",)


# -- substitution ---------------------------------------------------------------------------------


def test_substitution_replace_quotes_alternatives_once():
    e = one("Microsoft", "Contractions")
    [f] = e.check("You do not need it.")
    assert f.message == "Use 'don't' instead of 'do not'."
    assert (f.fix.action, f.fix.suggestions, f.fix.params) == ("replace", ("don't",), ("don't",))


def test_substitution_multiple_replacements_sentence(tmp_path):
    e = pack(
        tmp_path,
        S="extends: substitution\nmessage: \"Use '%s' instead of '%s'.\"\naction:\n  name: replace\n"
        "swap:\n  utilise: use|employ|apply\n",
    )
    [f] = e.check("We utilise tools.")
    assert f.message == "Use 'use', 'employ', or 'apply' instead of 'utilise'."
    assert f.fix.suggestions == ("use", "employ", "apply")


def test_substitution_skips_text_that_already_is_the_expected_one(tmp_path):
    e = pack(
        tmp_path,
        S="extends: substitution\nmessage: \"Use '%s' not '%s'.\"\nignorecase: true\nswap:\n  javascript: JavaScript\n",
    )
    assert [f.match for f in e.check("JavaScript or javascript")] == ["javascript"]


def test_substitution_without_action_keeps_message_quotes(tmp_path):
    e = pack(
        tmp_path, S="extends: substitution\nmessage: \"Prefer '%s' over '%s'.\"\nswap:\n  utilize: use\n"
    )
    [f] = e.check("utilize it")
    assert f.message == "Prefer 'use' over 'utilize'." and f.fix.action == ""


# -- occurrence, repetition -----------------------------------------------------------------------


def test_occurrence_sentence_length():
    e = one("Microsoft", "SentenceLength")
    long = " ".join(["word"] * 31) + "."
    fs = e.check(f"Short one. {long} Another short one.")
    assert len(fs) == 1 and fs[0].message == "Try to keep sentences short (< 30 words)."
    assert fs[0].column == 12  # the first matched word of the long sentence
    assert e.check(" ".join(["word"] * 30) + ".") == []


def test_occurrence_counts_whole_plain_text(tmp_path):
    e = pack(tmp_path, O="extends: occurrence\nmessage: Too many exclamation marks.\nmax: 2\ntoken: '!'\n")
    assert len(e.check("Wow!\n\nGreat!\n\nYes!")) == 1
    assert e.check("Wow!\n\nGreat!") == []


def test_repetition_reports_span_of_both_copies():
    e = one("write-good", "Illusions")
    [f] = e.check("It is the the best.")
    assert (f.match, f.column, f.message) == ("the the", 7, "'the' is repeated!")
    assert f.fix.suggestions == ("the",)  # edit: truncate at the space
    assert e.check("It is the\nthe best.") == []  # a line break between copies: Vale stays silent


# -- consistency, conditional ---------------------------------------------------------------------


def test_consistency_flags_the_second_spelling():
    e = one("proselint", "Spelling")
    fs = e.check("The colour is nice.\n\nThe color is nicer.")
    assert [(f.match, f.line) for f in fs] == [("color", 3)]
    assert fs[0].message == "Inconsistent spelling of 'color'."
    assert e.check("The colour is nice. The colour is nicer.") == []


def test_conditional_acronym_needs_definition():
    e = one("Microsoft", "Acronyms")
    assert [f.match for f in e.check("The WHO said so.")] == ["WHO"]
    assert e.check("The World Health Organization (WHO) said so. The WHO agreed.") == []
    assert e.check("Use the API.") == []  # an exception


# -- capitalization -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "ok"),
    [
        ("# Getting started with Docker", True),
        ("# Getting Started With Docker", False),
        ("# Configure: Set up the app", True),  # ':' is an indicator
        ("# getting started", False),
    ],
)
def test_capitalization_sentence_case_headings(heading, ok):
    e = one("Microsoft", "Headings")
    fs = e.check(heading + "\n\nBody text.", syntax="markdown")
    assert (fs == []) is ok
    if not ok:
        assert fs[0].message == f"'{heading[2:]}' should use sentence-style capitalization."
        assert (fs[0].line, fs[0].column) == (1, 3)


def test_capitalization_title_lower_upper(tmp_path):
    e = pack(
        tmp_path,
        Title="extends: capitalization\nmessage: \"'%s' should be title case.\"\nscope: heading\nmatch: $title\n",
        Lower="extends: capitalization\nmessage: lower\nscope: heading.h2\nmatch: $lower\n",
    )
    fs = e.check(
        "# The Lord of the Rings\n\n# the lord of the rings\n\n## lower case\n\n## Not Lower\n",
        syntax="markdown",
    )
    assert [(f.rule, f.line) for f in fs] == [("T.Title", 3), ("T.Title", 5), ("T.Lower", 7)]


# -- metric, readability, spelling, sequence ------------------------------------------------------


def test_metric_formula_and_condition(tmp_path):
    e = pack(
        tmp_path,
        M="extends: metric\nmessage: 'This has %s words per sentence.'\nformula: words / sentences\ncondition: '> 4.0'\n",
    )
    [f] = e.check("One two three four five six seven eight. Nine ten.")
    assert f.message == "This has 5.00 words per sentence."
    assert (f.line, f.column) == (1, 1)
    assert e.check("Short. Very short. Tiny.") == []


def test_metric_counts_headings_and_rejects_code(tmp_path):
    e = pack(
        tmp_path,
        H="extends: metric\nmessage: '%s headings'\nformula: heading.h2 + heading.h3\ncondition: '> 1.0'\n",
    )
    assert len(e.check("## A\n\ntext\n\n### B\n\nmore text", syntax="markdown")) == 1
    folder = tmp_path / "T"
    (folder / "Evil.yml").write_text(
        "extends: metric\nmessage: x\nformula: __import__('os')\ncondition: '> 1.0'\n"
    )
    engine = Engine.from_packs([folder])
    assert [p.rule for p in engine.problems] == ["T.Evil"]


def test_readability_grade(tmp_path):
    e = pack(
        tmp_path,
        R="extends: readability\nmessage: 'Grade %s is too high.'\nmetrics: [Flesch-Kincaid]\ngrade: 8\n",
    )
    hard = (
        "Notwithstanding considerable organizational complexity, interdepartmental communication "
        "necessitates comprehensive documentation of institutional responsibilities and accountabilities."
    )
    [f] = e.check(hard)
    assert f.message.startswith("Grade ") and float(f.message.split()[1]) > 8
    assert e.check("The cat sat on the mat. It was a good day.") == []


def test_spelling_with_hunspell(tmp_path):
    e = pack(
        tmp_path, Sp="extends: spelling\nmessage: \"Did you really mean '%s'?\"\nfilters: ['Greenlight']\n"
    )
    fs = e.check("Greenlight helps with the wrold of posts, e.g. NASA and v2.0.")
    assert [(f.match, f.fix.action, f.fix.params) for f in fs] == [("wrold", "suggest", ("spellings",))]
    assert "world" in e.suggestions(fs[0])


def test_sequence_with_patterns_only(tmp_path):
    e = pack(
        tmp_path,
        Q="extends: sequence\nmessage: \"'%s' is redundant.\"\nignorecase: true\ntokens:\n"
        "  - pattern: very\n  - pattern: unique\n",
    )
    assert [f.match for f in e.check("A Very unique idea and a very good one.")] == ["Very unique"]


def test_limit_and_vale_levels(tmp_path):
    e = pack(tmp_path, L="extends: existence\nmessage: x\nlevel: suggestion\nlimit: 2\ntokens: [a]\n")
    fs = e.check("a a a a")
    assert len(fs) == 2 and all(f.severity == Severity.SUGGESTION for f in fs)
