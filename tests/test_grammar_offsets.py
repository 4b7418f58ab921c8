"""LanguageTool counts UTF-16 units, findings count code points: the conversion, also inside spans."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from language_tool_python.match import Match

from desktop.review.grammar import GrammarSettings
from desktop.review.grammar.languagetool import LanguageToolChecker
from desktop.review.grammar.offsets import Utf16Index
from desktop.review.grammar.textspans import protected_spans
from desktop.review.grammar.vocabulary import Vocabulary


def utf16_offset(text: str, code_points: int) -> int:
    return len(text[:code_points].encode("utf-16-le")) // 2


@given(st.text(max_size=40))
def test_code_point_and_utf16_offsets_round_trip(text: str):
    index = Utf16Index(text)
    for i in range(len(text) + 1):
        assert index.to_utf16(i) == utf16_offset(text, i)
        assert index.to_code_points(utf16_offset(text, i)) == i


def test_an_offset_inside_a_surrogate_pair_never_splits_the_emoji():
    text = "a🎉b"
    index = Utf16Index(text)
    assert index.to_code_points(2) == 1  # between the two halves of 🎉: the emoji's start


def _raw_match(text: str, start: int, end: int, rule_id: str, category: str = "MISC") -> dict:
    """A match as LanguageTool's JSON has it: offset and length in UTF-16 units."""
    return {
        "message": "m",
        "replacements": [{"value": "x"}],
        "offset": utf16_offset(text, start),
        "length": utf16_offset(text, end) - utf16_offset(text, start),
        "context": {"text": text, "offset": utf16_offset(text, start), "length": 1},
        "sentence": text,
        "rule": {"id": rule_id, "issueType": "typographical", "category": {"id": category}},
    }


def test_a_span_containing_emoji_keeps_its_end():
    """The library converts `offset` but not `error_length`; a span over an emoji must still end right."""
    text = "🎉 Launch 🚀🚀 now!! 👍🏽"
    start, end = text.index("🚀"), text.index(" now")
    match = Match(_raw_match(text, start, end, "EN_REPEATED_EMOJI"), text)
    checker = LanguageToolChecker(GrammarSettings(server_url="http://127.0.0.1:9"))
    [finding] = checker._to_findings(text, [match], Vocabulary([]), [])
    assert (finding.start, finding.end) == (start, end)
    assert finding.match == "🚀🚀"


def test_matches_touching_protected_spans_are_dropped():
    text = "Join #teh launch with @teh at https://teh.example"
    raw = [
        _raw_match(text, text.index("teh"), text.index("teh") + 3, "MORFOLOGIK_RULE_EN_US", "TYPOS"),
        _raw_match(text, text.index("launch"), text.index("launch") + 6, "SOME_RULE"),
    ]
    checker = LanguageToolChecker(GrammarSettings(server_url="http://127.0.0.1:9"))
    findings = checker._to_findings(
        text, [Match(r, text) for r in raw], Vocabulary([]), protected_spans(text)
    )
    assert [f.match for f in findings] == ["launch"]
