"""The editor's incremental checker: same findings as a full check, re-running only what changed."""

from __future__ import annotations

import pytest

from desktop.review.engine import Engine
from desktop.review.incremental import IncrementalChecker
from tests.conftest import VALE_PACKS

PACKS = ["Microsoft", "Google", "write-good", "proselint", "alex", "Joblint"]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_packs([VALE_PACKS / n / n for n in PACKS], cache_dir=None)


DRAFT = [
    "We are launching the new API today. The WHO said it is very unique.",
    "Our colour scheme changed. It was built by a team of guys.",
    "The World Health Organization (WHO) agreed. The color is better now.",
    "Obviously you cannot miss this!!!",
]


@pytest.mark.parametrize("syntax", ["text", "markdown"])
def test_incremental_equals_full_check_while_typing(engine, syntax):
    inc = IncrementalChecker(engine)
    text = ""
    for paragraph in DRAFT:
        for ch in paragraph[:25]:  # type part of it character by character
            text += ch
            assert inc.check(text, syntax=syntax) == engine.check(text, syntax=syntax)
        text += paragraph[25:] + "\n\n"
        assert inc.check(text, syntax=syntax) == engine.check(text, syntax=syntax)
    # An edit in the middle, then deleting a paragraph: document-level rules stay right.
    edited = text.replace("The color is better now.", "The colour is better now.")
    assert inc.check(edited, syntax=syntax) == engine.check(edited, syntax=syntax)
    shortened = edited.replace(DRAFT[2].replace("color", "colour"), "")
    assert inc.check(shortened, syntax=syntax) == engine.check(shortened, syntax=syntax)


def test_a_keystroke_reruns_only_the_changed_paragraph(engine, monkeypatch):
    inc = IncrementalChecker(engine)
    text = "\n\n".join(DRAFT)
    inc.check(text)
    runs = []
    original = engine._run_unit

    def counting(blocks, *args, **kw):
        runs.append(blocks[0].text)
        return original(blocks, *args, **kw)

    monkeypatch.setattr(engine, "_run_unit", counting)
    inc.check(text.replace("Our colour", "Our colours"))
    assert runs == [DRAFT[1].replace("Our colour", "Our colours")]


def test_cross_paragraph_rules_see_the_whole_document(engine):
    inc = IncrementalChecker(engine)
    first = "The WHO met today."
    assert any(f.rule == "Microsoft.Acronyms" for f in inc.check(first))
    # Plain text: the definition anywhere in the document counts (Vale lints .txt as one block).
    fixed = first + "\n\nThe World Health Organization (WHO) is big."
    assert not any(f.rule == "Microsoft.Acronyms" for f in inc.check(fixed))
    spelled = "The colour is red.\n\nThe color is blue."
    assert [f.match for f in inc.check(spelled) if f.rule == "proselint.Spelling"] == ["color"]
