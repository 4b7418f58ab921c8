"""Platform findings: what each platform would refuse or cut, with spans and fixes."""

from __future__ import annotations

import pytest

from desktop.review.findings import Severity
from desktop.review.platforms import platform_findings


def rules(findings) -> list[str]:
    return [f.rule for f in findings]


def test_fitting_post_has_no_findings() -> None:
    assert platform_findings("A short, friendly post.", ["x", "bluesky", "mastodon", "instagram"]) == []


def test_x_over_limit_marks_the_part_that_does_not_fit() -> None:
    text = "a" * 280 + " and the rest"
    (finding,) = platform_findings(text, ["x"])
    assert finding.rule == "Platform.XLength"
    assert finding.severity is Severity.ERROR
    assert finding.start == 280 and finding.end == len(text)
    assert finding.match == " and the rest"
    assert "293/280" in finding.message and "thread of about 2" in finding.message
    assert finding.link


def test_overflow_offsets_are_right_in_crlf_and_decomposed_text() -> None:
    text = "e\u0301" * 300 + "\r\nmore"  # 300 graphemes (600 code points) + CRLF + 4
    (finding,) = platform_findings(text, ["bluesky"])
    assert finding.rule == "Platform.BlueskyLength"
    assert finding.start == 600  # after the 300th grapheme, in the original text
    assert finding.match == "\r\nmore"


def test_bluesky_bytes_finding() -> None:
    family = "👨\u200d👩\u200d👧\u200d👦"
    found = platform_findings(family * 121, ["bluesky"])
    assert rules(found) == ["Platform.BlueskyBytes"]
    assert "3025/3000 bytes" in found[0].message


def test_bluesky_message_offers_the_shortened_link_length() -> None:
    url = "https://example.com/" + "long-path-segment/" * 4
    text = "x" * 250 + " " + url
    (finding,) = platform_findings(text, ["bluesky"])
    assert "links shown short" in finding.message


def test_instagram_extra_hashtags_each_get_a_remove_fix() -> None:
    text = "Post " + " ".join(f"#tag{i}a" for i in range(33))
    found = [f for f in platform_findings(text, ["instagram"]) if f.rule == "Platform.InstagramHashtags"]
    assert [f.match for f in found] == ["#tag30a", "#tag31a", "#tag32a"]
    assert all(f.fix.action == "remove" for f in found)
    assert text[found[0].start : found[0].end] == "#tag30a"


def test_threads_topic_tag_and_link_findings() -> None:
    links = " ".join(f"https://example.com/{i}" for i in range(6))
    found = platform_findings(f"#One #Two {links}", ["threads"])
    assert rules(found).count("Platform.ThreadsTopicTags") == 1
    assert rules(found).count("Platform.ThreadsLinks") == 1
    tag = next(f for f in found if f.rule == "Platform.ThreadsTopicTags")
    assert tag.match == "#Two" and tag.severity is Severity.WARNING


def test_see_more_fold_is_a_suggestion() -> None:
    text = "word " * 150
    found = platform_findings(text, ["facebook", "linkedin"])
    assert {f.rule for f in found} == {"Platform.FacebookFold", "Platform.LinkedInFold"}
    assert all(f.severity is Severity.SUGGESTION for f in found)
    assert all(f.match == "word" for f in found)


def test_images_without_alt_text() -> None:
    media = [{"path": "/photos/team.jpg", "alt": "Our team at the summit"}, {"path": "C:\\pics\\stage.png"}]
    found = platform_findings("Great day!", ["x"], media=media)
    assert rules(found) == ["Platform.AltText"]
    assert "Image 2 (stage.png)" in found[0].message


def test_alt_text_too_long_for_the_platform() -> None:
    media = [{"name": "chart.png", "alt": "a" * 1200}]
    found = platform_findings("Chart", ["x", "mastodon"], media=media)
    assert rules(found) == ["Platform.XAltTextLength"]  # Mastodon allows 1500


def test_empty_post_without_media_is_an_error_and_with_media_is_not() -> None:
    assert rules(platform_findings("", ["x"])) == ["Platform.Empty"]
    assert platform_findings("", ["mastodon"], media=[{"name": "a.png", "alt": "A cat"}]) == []


def test_mastodon_content_warning_and_server_limit() -> None:
    text = "z" * 495
    assert platform_findings(text, ["mastodon"]) == []
    found = platform_findings(text, ["mastodon"], content_warning="CW: politics")
    assert rules(found) == ["Platform.MastodonLength"]
    assert platform_findings(text, ["mastodon"], content_warning="CW", limits={"mastodon": 5000}) == []


def test_link_shorteners_with_a_scheme() -> None:
    found = platform_findings("More at https://bit.ly/3abc and https://example.org", ["linkedin"])
    assert rules(found) == ["Platform.LinkShortener"]
    assert found[0].match == "https://bit.ly/3abc"


def test_x_invisible_character_has_a_remove_fix() -> None:
    (finding,) = platform_findings("hello\ufeffworld", ["x"])
    assert finding.rule == "Platform.XCharacters" and finding.fix.action == "remove"
    assert (finding.start, finding.end) == (5, 6)


def test_findings_carry_line_and_column() -> None:
    text = "first line\n" + "b" * 400
    (finding,) = platform_findings(text, ["x"])
    assert finding.line == 2
    assert finding.column == 270  # 11 + 269 = 280 weighted; the 270th character of line 2 overflows


def test_unknown_platform_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="unknown platform"):
        platform_findings("hi", ["x", "friendster"])


@pytest.mark.parametrize("platform", ["x", "bluesky", "mastodon", "threads", "linkedin", "instagram"])
@pytest.mark.parametrize(
    "unit",
    ["a", "語", "👍🏽", "e\u0301", "स्ते", "see https://example.com/x ", "@bob@example.social "],
)
def test_overflow_starts_exactly_where_the_text_stops_fitting(platform: str, unit: str) -> None:
    import regex

    from desktop.review.platforms import PLATFORMS
    from desktop.review.platforms.counting import measure

    spec = PLATFORMS[platform]
    text = unit * (spec.limit + 5)  # every unit counts at least 1, so this is over the limit
    found = [f for f in platform_findings(text, [platform]) if f.rule.endswith("Length")]
    assert len(found) == 1
    start = found[0].start
    assert measure(text[:start], spec) <= spec.limit
    next_boundary = regex.compile(r"\X").match(text, start).end()
    assert measure(text[:next_boundary], spec) > spec.limit
