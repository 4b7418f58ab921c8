"""Thread splitting: every part fits its platform, cuts fall at sentence or word boundaries."""

from __future__ import annotations

import regex

from desktop.review.platforms import count, split_thread

SENTENCES = " ".join(f"This is sentence number {i}, which says something useful." for i in range(1, 25))


def _strip_number(part: str) -> str:
    return regex.sub(r" \d+/\d+$", "", part)


def test_short_text_is_one_unnumbered_part() -> None:
    assert split_thread("Short and sweet.", "x") == ["Short and sweet."]


def test_empty_text_gives_no_parts() -> None:
    assert split_thread("  \n ", "bluesky") == []


def test_every_part_fits_and_is_numbered() -> None:
    for platform in ("x", "bluesky", "mastodon", "threads"):
        parts = split_thread(SENTENCES, platform)
        assert len(parts) > 1, platform
        for i, part in enumerate(parts, 1):
            assert part.endswith(f" {i}/{len(parts)}")
            assert count(part, platform).valid, (platform, part)


def test_cuts_fall_between_sentences_when_sentences_fit() -> None:
    parts = split_thread(SENTENCES, "x")
    for part in parts:
        assert _strip_number(part).endswith("useful.")


def test_no_text_is_lost_or_reordered() -> None:
    parts = split_thread(SENTENCES, "bluesky")
    rebuilt = " ".join(_strip_number(p) for p in parts)
    assert rebuilt == SENTENCES


def test_without_numbering() -> None:
    parts = split_thread(SENTENCES, "x", numbering=False)
    assert all(not regex.search(r"\d+/\d+$", p) for p in parts)
    assert " ".join(parts) == SENTENCES


def test_long_sentence_is_cut_between_words_and_links_stay_whole() -> None:
    url = "https://example.com/" + "a" * 300
    text = ("word " * 120) + url + (" word" * 120)
    parts = split_thread(text, "x")
    assert any(url in p for p in parts)  # the link is never cut (it counts 23 on X)
    for part in parts:
        body = _strip_number(part)
        assert all(w in ("word", url) for w in body.split())
        assert count(part, "x").valid


def test_unbroken_string_is_cut_at_grapheme_boundaries() -> None:
    family = "👨\u200d👩\u200d👧\u200d👦"
    parts = split_thread(family * 700, "bluesky")
    # 25 bytes each: Bluesky's 3,000-byte cap (not its 300 graphemes) binds at 119 per post.
    assert len(parts) == 6
    for part in parts:
        body = _strip_number(part)
        assert body == family * (len(body) // len(family))  # no family cut in half
        assert count(part, "bluesky").valid


def test_mastodon_split_respects_content_warning_and_server_limit() -> None:
    parts = split_thread(SENTENCES, "mastodon", limit=200, content_warning="Long read")
    assert len(parts) > 1
    for part in parts:
        assert count(part, "mastodon", content_warning="Long read", limit=200).valid


def test_many_parts_reserve_room_for_two_digit_numbers() -> None:
    text = " ".join(["Tiny sentence here."] * 400)
    parts = split_thread(text, "x")
    assert len(parts) >= 10
    assert parts[-1].endswith(f" {len(parts)}/{len(parts)}")
    assert all(count(p, "x").valid for p in parts)


def test_paragraphs_are_preferred_cut_points() -> None:
    para = "A paragraph sentence that is moderately long and fills some space."
    text = "\n\n".join([para * 2] * 6)
    parts = split_thread(text, "x")
    for part in parts:
        assert _strip_number(part).endswith(".")
