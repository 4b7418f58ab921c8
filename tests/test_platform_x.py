"""X's weighted length (twitter-text v3): the cases that make a post fit or not on X."""

from __future__ import annotations

import pytest

from desktop.review.platforms import count
from desktop.review.platforms.x_weighted import weighted_length


def x_len(text: str) -> int:
    return count(text, "x").length


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Plain ASCII text.", 17),
        ("Ünïcödé Latin", 13),  # Latin-1 and Latin Extended weigh 1
        ("Привет мир", 10),  # Cyrillic weighs 1
        ("नमस्ते", 6),  # Devanagari conjuncts: 6 code points, each weighing 1
        ("日本語のテキスト", 16),  # CJK weighs 2
        ("한국어", 6),  # Hangul weighs 2
        ("\u2014\u2019\u201c", 3),  # dash and curly quotes are in the light punctuation range
        ("\u2026", 2),  # the ellipsis (U+2026) is not
        ("𝐁𝐨𝐥𝐝", 8),  # mathematical bold letters lie outside the BMP: 2 each
    ],
)
def test_character_weights(text: str, expected: int) -> None:
    assert x_len(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("😀", 2),
        ("👍🏽", 2),  # skin tone modifier belongs to the emoji
        ("👨\u200d👩\u200d👧\u200d👦", 2),  # a ZWJ family of four is one emoji
        ("👩\u200d🦰", 2),  # hair component
        ("🇩🇪🇫🇷", 4),  # two flags
        ("1\ufe0f\u20e3", 2),  # keycap
        ("🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f", 2),  # subdivision flag
        ("\u00a9", 1),  # a bare copyright sign is text
        ("\u00a9\ufe0f", 2),  # with the emoji variation selector it is an emoji
        ("❤\ufe0f", 2),
        ("😀\u200d", 3),  # a dangling ZWJ counts on its own
    ],
)
def test_emoji_count_two_whatever_their_code_points(text: str, expected: int) -> None:
    assert x_len(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://example.com", 23),
        ("http://example.com/a/very/long/path/that/goes/on/and/on?with=query&and=more", 23),
        ("example.com", 23),  # no scheme, valid TLD
        ("www.example.co.uk/path", 23),
        ("t.co", 23),
        ("example.community", 23),  # the longest TLD wins over .com
        ("Read example.com.", 29),  # the full stop is not part of the link
        ("(see example.com)", 29),
        ("example.notatld", 15),  # not a TLD: plain text
        ("@example.com", 12),  # after @ it is not a link
        ("user@example.com", 16),  # e-mail addresses are not links
        ("foo_bar.com", 11),  # underscore is not allowed in a domain name
        ("Two links: https://a.example.org and b.example.org", 11 + 23 + 5 + 23),
    ],
)
def test_links_count_23_with_or_without_scheme(text: str, expected: int) -> None:
    assert x_len(text) == expected


def test_nfc_normalisation_counts_combining_sequences_as_composed() -> None:
    decomposed = "e\u0301" * 10  # e + combining acute: composes to é
    assert len(decomposed) == 20
    assert x_len(decomposed) == 10


def test_combining_mark_without_composition_still_counts() -> None:
    # q + combining acute has no precomposed form: both code points weigh 1.
    assert x_len("q\u0301") == 2


def test_crlf_counts_like_a_single_newline() -> None:
    assert x_len("one\r\ntwo") == x_len("one\ntwo") == 7


def test_exact_limit_is_valid_and_one_more_is_not() -> None:
    exact = "a" * 280
    assert count(exact, "x").valid
    assert count(exact, "x").remaining == 0
    over = count(exact + "b", "x")
    assert over.length == 281 and not over.valid
    assert over.remaining == -1


def test_cjk_exact_limit_is_140_characters() -> None:
    assert count("語" * 140, "x").valid
    assert not count("語" * 141, "x").valid


def test_link_heavy_post_at_limit() -> None:
    # 10 links of any length plus separators: 10 * 23 + 9 spaces = 239
    text = " ".join(f"https://example.com/{'x' * 50}/{i}" for i in range(10))
    assert x_len(text) == 239


def test_invalid_characters_make_the_post_invalid() -> None:
    counted = count("hello\uffffworld", "x")
    assert not counted.valid
    assert any("U+FFFF" in p for p in counted.problems)


def test_empty_and_blank_posts_are_not_valid() -> None:
    assert not count("", "x").valid
    assert not count("   \n ", "x").valid
    assert "the post is empty" in count("", "x").problems


def test_valid_end_marks_where_the_fitting_part_stops() -> None:
    result = weighted_length("a" * 279 + "語" + "b")
    # 279 + 2 = 281 > 280: the CJK character is the first that does not fit.
    assert result.valid_end == 279
