"""Bluesky, Mastodon, Threads, LinkedIn, Instagram and Facebook counting, and bad input."""

from __future__ import annotations

import pytest

from desktop.review.platforms import PLATFORMS, count

FAMILY = "👨\u200d👩\u200d👧\u200d👦"  # 7 code points, 25 UTF-8 bytes, 11 UTF-16 units
FLAG = "🇯🇵"
THUMBS = "👍🏽"
NAMASTE = "नमस्ते"  # 6 code points, 3 grapheme clusters (न, म, स्ते)


# -- Bluesky: grapheme clusters and UTF-8 bytes -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "graphemes"),
    [
        (FAMILY, 1),
        (FLAG + FLAG, 2),
        (THUMBS, 1),
        ("e\u0301\u0302", 1),  # base letter with two combining marks
        (NAMASTE, 3),
        ("中文字", 3),
        ("a\r\nb", 3),  # CRLF is one line break
    ],
)
def test_bluesky_counts_grapheme_clusters(text: str, graphemes: int) -> None:
    assert count(text, "bluesky").length == graphemes


def test_bluesky_exact_limit_and_one_more() -> None:
    assert count(FAMILY * 300, "bluesky").length == 300
    assert count("x" * 300, "bluesky").valid
    over = count("x" * 301, "bluesky")
    assert not over.valid and over.remaining == -1


def test_bluesky_byte_limit_applies_even_under_300_graphemes() -> None:
    counted = count(FAMILY * 121, "bluesky")  # 121 graphemes, 121 * 25 = 3025 bytes
    assert counted.length == 121
    assert counted.bytes == 3025
    assert counted.byte_limit == 3000
    assert not counted.valid
    assert any("bytes" in p for p in counted.problems)
    assert count(FAMILY * 120, "bluesky").valid  # 3000 bytes exactly


def test_bluesky_links_count_as_written_and_a_short_form_is_offered() -> None:
    url = "https://www.example.com/news/2025/06/our-annual-report-is-out?utm_source=greenlight"
    counted = count(f"Report: {url}", "bluesky")
    assert counted.length == len("Report: ") + len(url)
    assert counted.shortened_text == "Report: www.example.com/news/2025/06..."
    assert counted.shortened_length == len("Report: www.example.com/news/2025/06...")


def test_bluesky_short_link_keeps_short_paths_whole() -> None:
    counted = count("See https://example.com/about", "bluesky")
    assert counted.shortened_text == "See example.com/about"


# -- Mastodon: graphemes of CW + text, links 23, remote mentions as @user ------------------------------


def test_mastodon_counts_http_links_as_23() -> None:
    url = "https://example.com/" + "a" * 100
    assert count(f"Read {url}", "mastodon").length == 5 + 23
    assert count("Read http://x.io", "mastodon").length == 5 + 23


def test_mastodon_counts_scheme_less_domains_as_written() -> None:
    assert count("Visit example.com", "mastodon").length == len("Visit example.com")


def test_mastodon_remote_mention_counts_as_local_part() -> None:
    assert count("Hi @alice@social.example.org!", "mastodon").length == len("Hi @alice!")
    assert count("Hi @alice!", "mastodon").length == len("Hi @alice!")


def test_mastodon_adds_the_content_warning() -> None:
    text = "x" * 490
    assert count(text, "mastodon").valid
    counted = count(text, "mastodon", content_warning="Spoilers: 11")
    assert counted.length == 502 and not counted.valid


def test_mastodon_limit_is_per_server() -> None:
    text = "y" * 600
    assert not count(text, "mastodon").valid
    counted = count(text, "mastodon", limit=1000)
    assert counted.valid and counted.limit == 1000 and counted.remaining == 400


def test_mastodon_exact_limit_and_one_more_with_graphemes() -> None:
    assert count(FLAG * 500, "mastodon").valid
    assert not count(FLAG * 501, "mastodon").valid


# -- Threads: emoji count their UTF-8 bytes, at most 5 links ---------------------------------------------


def test_threads_counts_emoji_as_utf8_bytes() -> None:
    assert count("Hi 😀", "threads").length == 3 + 4
    assert count(FAMILY, "threads").length == 25
    assert count("Café", "threads").length == 4  # accented letters are one character


def test_threads_link_limit() -> None:
    five = " ".join(f"https://example.com/{i}" for i in range(5))
    assert count(five, "threads").valid
    six = five + " https://example.org/6"
    counted = count(six, "threads")
    assert not counted.valid
    assert any("links" in p for p in counted.problems)


def test_threads_same_link_twice_counts_once() -> None:
    text = " ".join(["https://example.com/a"] * 6)
    assert count(text, "threads").valid


# -- LinkedIn, Instagram, Facebook: UTF-16 code units ---------------------------------------------------


@pytest.mark.parametrize("platform", ["linkedin", "instagram", "facebook"])
def test_utf16_platforms_count_astral_characters_twice(platform: str) -> None:
    assert count("😀", platform).length == 2
    assert count(FAMILY, platform).length == 11
    assert count("ab", platform).length == 2
    assert count("中", platform).length == 1


@pytest.mark.parametrize(
    ("platform", "limit"), [("linkedin", 3000), ("instagram", 2200), ("facebook", 63206)]
)
def test_utf16_platforms_exact_limit(platform: str, limit: int) -> None:
    assert count("a" * limit, platform).valid
    assert not count("a" * (limit + 1), platform).valid


def test_instagram_hashtag_cap() -> None:
    thirty = " ".join(f"#tag{i}x" for i in range(30))
    assert count(thirty, "instagram").valid
    counted = count(thirty + " #oneMore", "instagram")
    assert counted.hashtags == 31 and not counted.valid


def test_instagram_mention_cap() -> None:
    text = " ".join(f"@user{i}" for i in range(21))
    counted = count(text, "instagram")
    assert counted.mentions == 21 and not counted.valid


def test_facebook_reports_where_see_more_cuts() -> None:
    text = ("word " * 200).strip()
    counted = count(text, "facebook")
    assert counted.fold is not None
    assert counted.fold <= 477
    assert text[counted.fold - 1] == " " or text[counted.fold] == " "
    assert count("short post", "facebook").fold is None


# -- every platform: entities, empty input, bad input ---------------------------------------------------


@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_empty_post_is_invalid_on_every_platform(platform: str) -> None:
    counted = count("", platform)
    assert counted.length == 0 and not counted.valid
    assert counted.as_json()["valid"] is False


@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_json_has_the_contract_keys(platform: str) -> None:
    data = count("Hello #World @someone https://example.com", platform).as_json()
    assert {"platform", "length", "limit", "valid", "remaining", "bytes", "graphemes", "unit"} <= data.keys()
    assert data["platform"] == platform
    assert data["links"] == 1 and data["hashtags"] == 1 and data["mentions"] == 1


def test_unknown_platform_names_the_valid_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown platform 'myspace'.*x, bluesky, mastodon"):
        count("hi", "myspace")


def test_platform_names_are_case_insensitive_and_twitter_means_x() -> None:
    assert count("hi", "Bluesky").platform == "bluesky"
    assert count("hi", "twitter").platform == "x"


def test_unpaired_surrogate_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"unpaired surrogate.*character 2"):
        count("ab\udc80cd", "bluesky")


def test_binary_looking_text_is_counted_not_crashed() -> None:
    text = "".join(chr(c) for c in range(1, 32)) + "\x7f\u0085"
    for platform in PLATFORMS:
        assert count(text, platform).length > 0


def test_nonpositive_limit_is_rejected() -> None:
    with pytest.raises(ValueError, match="positive"):
        count("hi", "mastodon", limit=0)


def test_over_limit_on_a_threaded_platform_reports_the_parts() -> None:
    text = " ".join(f"Sentence {i} of the draft." for i in range(40))
    assert count(text, "x").parts == ()  # the editor's per-keystroke count does not split
    counted = count(text, "x", with_parts=True)
    assert not counted.valid
    assert len(counted.parts) >= 3
    assert all(length <= 280 for length in counted.parts)
