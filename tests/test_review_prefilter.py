"""The fast paths of the engine give exactly the findings of the plain one.

Checking is made fast by deciding, once per paragraph, which tokens of which rules could match
(literal prefilter), by skipping the regex timeout where a pattern cannot run away, and by a few
rewritten helpers. None of that may change a finding: these tests compare the engine with its
reference mode (`prefilter=False`: every rule's whole pattern on every block) on documents written
to trigger many rules of every pack, in plain text and Markdown, and on fuzzed documents.
"""

from __future__ import annotations

import random

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.paths import shipped_guidelines
from desktop.review.engine import Engine
from desktop.review.regexes import attempt_cost, compile_vale, split_alternatives
from desktop.review.rules.base import format_message
from tests.conftest import VALE_PACKS

PACKS = ["Microsoft", "Google", "write-good", "proselint", "alex", "Joblint"]


def _dirs():
    return [VALE_PACKS / n / n for n in PACKS] + [shipped_guidelines() / "Greenlight"]


@pytest.fixture(scope="module")
def fast() -> Engine:
    return Engine.from_packs(_dirs(), cache_dir=None, rule_timeout=60)


@pytest.fixture(scope="module")
def reference() -> Engine:
    return Engine(Engine.from_packs(_dirs(), cache_dir=None).rules, rule_timeout=60, prefilter=False)


_PLAIN = regex.compile(r"[A-Za-z][A-Za-z '\-]*")


def _trigger_words(engine: Engine, seed: int) -> list[str]:
    """Plain-word tokens and swap keys of every rule, shuffled: text that sets rules off."""
    rnd = random.Random(seed)
    words: list[str] = []
    for rule in engine.rules:
        candidates = list(getattr(rule, "tokens", None) or []) + [k for k, _ in getattr(rule, "swap", [])]
        alts = [
            a for c in candidates if isinstance(c, str) for a in split_alternatives(c) if _PLAIN.fullmatch(a)
        ]
        rnd.shuffle(alts)
        words += alts[:5]
    rnd.shuffle(words)
    return words


def _sentences(engine: Engine, seed: int) -> list[str]:
    rnd = random.Random(seed)
    words = _trigger_words(engine, seed)
    out, i = [], 0
    while i < len(words):
        n = rnd.randint(3, 25)
        s = " ".join(words[i : i + n])
        out.append(s[:1].upper() + s[1:] + rnd.choice([".", "!", "?", ".", " e.g. this.", ", and more."]))
        i += n
    return out


RICH_MARKDOWN = """---
title: Very Unique Post
---

# This Is A Heading About Utilize

## an lowercase heading with e.g. stuff

Some text that is very unique, and we utilize it. The WHO said so. It's, like, obviously good.
We are a rockstar ninja team! The the repeated word. Here is `code utilize` and **bold very**.
Visit https://example.com/very-unique or <https://foo.example/utilize>. Use my code SAVE10!

> A blockquote that is very simple and basically obvious.

- list item one, utilize this
- list item two is *extremely* unique
  1. nested ordered item, very nice

| Header utilize | Other very |
|----------------|-----------|
| cell one obviously | cell two just |

![alt text that is very unique](img.png)

<!-- vale off -->
This very unique text is ignored.
<!-- vale on -->

<!-- vale Microsoft.Adverbs = NO -->
This sentence is really quite very good.
<!-- vale Microsoft.Adverbs = YES -->

```python
print("very unique")
```

Final paragraph: e-mail and email and e-mail again, color and colour, JavaScript and javascript.
An API and an application programming interface (API). The NASA team. Call 555-123-4567 NOW!!!
"""


def _documents(engine: Engine) -> dict[str, tuple[str, str]]:
    a, b = _sentences(engine, 1), _sentences(engine, 2)
    markdown = "\n\n".join(
        ("## " if k % 5 == 0 else "- " if k % 5 == 1 else "> " if k % 7 == 2 else "") + s
        for k, s in enumerate(b)
    )
    return {
        "post": ("text", "We are thrilled! It is very unique: volunteers can utilize the tools. #garden"),
        "rich markdown": ("markdown", RICH_MARKDOWN),
        "rich markdown, CRLF": ("markdown", RICH_MARKDOWN.replace("\n", "\r\n")),
        "rich markdown read as text": ("text", RICH_MARKDOWN),
        "trigger words, text": ("text", "\n\n".join(" ".join(a[i : i + 4]) for i in range(0, len(a), 4))),
        "trigger words, markdown blocks": ("markdown", markdown),
        "trigger words, one long paragraph": ("markdown", " ".join(a)),
        "unicode": (
            "text",
            "Ünïcödé — “quoted” ‘very’ unique… naïve café; 日本語. Très utilize!\r\nLine\rCR.",
        ),
    }


def test_documents_set_off_many_rules(fast):
    """The comparison below means something only if the documents trigger most of the packs."""
    fired = {f.rule for syntax, text in _documents(fast).values() for f in fast.check(text, syntax=syntax)}
    assert len(fired) >= 100
    assert {r.split(".")[0] for r in fired} >= {*PACKS, "Greenlight"}


@pytest.mark.parametrize(
    "name",
    [
        "post",
        "rich markdown",
        "rich markdown, CRLF",
        "rich markdown read as text",
        "trigger words, text",
        "trigger words, markdown blocks",
        "trigger words, one long paragraph",
        "unicode",
    ],
)
def test_prefiltered_check_equals_reference_check(fast, reference, name):
    syntax, text = _documents(fast)[name]
    assert fast.check(text, syntax=syntax) == reference.check(text, syntax=syntax)
    assert not fast.quarantined and not reference.quarantined


PIECES = st.sampled_from(
    [
        "# ",
        "- ",
        "> ",
        "`",
        "**",
        "[a](http://x.y/z) ",
        "<!-- vale off -->",
        "<!-- vale on -->",
        "\n",
        "\n\n",
        "\r\n",
        " ",
        ". ",
        ", ",
        "very unique ",
        "We are ",
        "the the ",
        "colour color ",
        "WHO ",
        "e.g. ",
        "utilize ",
        "obviously ",
        "In order to ",
        "sponsored ",
        "#ad ",
        "guys ",
        "rockstar ",
        "!!! ",
        "555-123-4567 ",
        "é",
        "I ",
    ]
)
DOCS = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=DOCS)
def test_fuzzed_documents_give_the_reference_findings(fast, reference, text):
    for syntax in ("markdown", "text"):
        assert fast.check(text, syntax=syntax) == reference.check(text, syntax=syntax)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=DOCS)
def test_literals_found_in_a_text_are_exactly_those_it_contains(fast, text):
    folded = text.casefold()
    index = fast._literals
    assert set(index.present(folded)) == {lit for lit in index.by_literal if lit in folded}


def test_a_sentence_reuses_its_paragraphs_literals(fast):
    paragraph = "We are thrilled. It is very unique, and obviously we utilize it! In order to win, e.g. now."
    index = fast._literals
    gate = index.gate(range(len(index.filters)))
    outer = index.present(paragraph.casefold())
    for sentence in ("It is very unique, and obviously we utilize it!", "In order to win, e.g. now."):
        folded = sentence.casefold()
        assert gate.select(folded, gate.present_within(folded, outer)) == gate.select(folded)


# -- the bound that decides when a pattern may run without a timeout -------------------------------


@pytest.mark.parametrize(
    "pattern",
    [
        r"(a+)+b",  # nested repetition: exponential
        r"(a|aa)*c",  # a repeated group with several paths
        r"(\w+\s?)*$",
        r"(a)\1",  # back-reference
        r"(?x) a b",  # verbose mode
        r"(?:a){e<=1}",  # fuzzy matching
        r"(?1)(a)",  # recursion
        r"(?p)ab",  # POSIX leftmost-longest
        r"a{",  # a brace that is not a quantifier
    ],
)
def test_patterns_that_can_run_away_have_no_bound(pattern):
    assert attempt_cost(pattern) is None


@pytest.mark.parametrize(
    ("pattern", "degree"),
    [
        (r"(?i)(?m)\b(?:very|unique)\b", 0),
        (r"\d{1,2} ?[ap]m\b", 0),
        (r"(?:a|b){1,3}c?", 0),
        (r"\b(\w+)\b", 1),  # one repeated character class: the repeat count varies, nothing else
        (r"[a-z]+[!?]{2,}", 2),
        (r"(?<!#)\bx\b(?![\s\S]*z)", 1),
    ],
)
def test_bounded_patterns_have_a_polynomial_bound(pattern, degree):
    cost = attempt_cost(pattern)
    assert cost is not None and cost[0] > 0 and cost[1] == degree


# -- rewritten helpers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "subs", "expected"),
    [
        ("Use '%s' instead of '%s'.", ("a", "b"), "Use 'a' instead of 'b'."),
        ("Avoid '%s'.", (), "Avoid ''."),
        ("%s%s%s", ("x",), "x"),
        ("100%% sure about %s", ("it",), "100% sure about it"),
        ("Quote %q here", ("it",), 'Quote "it" here'),
        ("Keep %d and a lone %", ("x",), "Keep %d and a lone %"),
        ("%%s is literal", ("x",), "%s is literal"),
    ],
)
def test_messages_are_formatted_as_go_formats_them(message, subs, expected):
    assert format_message(message, *subs) == expected


# The SponsoredDisclosure rule as first written: a look-behind with [\s\S]* before the trigger,
# which scanned back over the whole document at every position (seconds on 20 KB).
_DISCLOSURE = r"(?:(?:#ad|#ads|#sponsored|#advert|#advertisement|#anzeige|#werbung|#publicité)\b|\bad:)"
_TRIGGER = (
    r"\b(?:sponsored|paid partnership|paid promotion|in partnership with|gifted|promo code|discount code"
    r"|affiliate link|use (?:my|our) code)\b"
)
_ORIGINAL = rf"(?<!#)(?<!{_DISCLOSURE}[\s\S]*){_TRIGGER}(?![\s\S]*{_DISCLOSURE})"

SPONSOR_PIECES = st.sampled_from(
    [
        "#",
        "#ad",
        "#ads",
        "#AD",
        "ad:",
        "Ad:",
        "bad:",
        "#adv",
        "#sponsored",
        "sponsored",
        "Sponsored",
        "gifted",
    ]
    + ["paid partnership", "use my code", "use our code", "code", " ", "\n", ".", ":", "x", "é", "#publicité"]
    + [
        "#werbung",
        "promo code",
        "affiliate link",
        "in partnership with",
        "_",
        "-",
        "ad",
        "s",
        "#advertisement",
    ]
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.lists(SPONSOR_PIECES, max_size=14).map("".join))
def test_sponsored_disclosure_matches_where_its_first_version_did(fast, text):
    rule = fast.rule("Greenlight.SponsoredDisclosure")
    original = compile_vale("(?i)(?m)(?:" + _ORIGINAL + ")")
    assert [m.span() for m in rule.full.finditer(text)] == [m.span() for m in original.finditer(text)]
