"""Every platform's limits, in one table that is easy to update when a platform changes them.

Why a table and not code: platforms move their limits (X went from 140 to 280, Threads added a link
cap in 2025), and whoever updates Greenlight should change a number here, not hunt through counters.
The counting *method* is named by `unit`; the functions that implement each unit live in
`counting.py`. Values marked "observed" are not published by the platform; they come from how the
platform's own app behaves and are the best available estimate.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PlatformLimits:
    """What one platform allows in a single post."""

    name: str  # the id used on the command line and in settings: "x", "bluesky", ...
    display: str  # how people write it: "X", "Bluesky", ...
    unit: str  # how length is counted; see counting.py for each unit's definition
    limit: int  # the maximum length in `unit`
    byte_limit: int | None = None  # a second limit in UTF-8 bytes (Bluesky)
    max_hashtags: int | None = None  # more are rejected (Instagram)
    max_topic_tags: int | None = None  # only this many hashtags become tags (Threads)
    max_mentions: int | None = None  # more are rejected (Instagram)
    max_links: int | None = None  # more unique links are rejected (Threads)
    fold: int | None = None  # where the feed cuts the text with "See more" / "…more" (observed)
    alt_text_limit: int | None = None  # longest image description the platform accepts
    threads: bool = False  # the platform has reply threads, so a long draft can be split
    content_warning: bool = False  # the platform has a content-warning field that counts
    configurable_limit: bool = False  # the limit is per server / per account
    source: str = ""  # where the numbers come from, for whoever updates this table
    link: str = ""  # the platform's own page on its limits, shown with findings


PLATFORMS: dict[str, PlatformLimits] = {
    p.name: p
    for p in (
        PlatformLimits(
            name="x",
            link="https://developer.x.com/en/docs/counting-characters",
            display="X",
            unit="x-weighted",
            limit=280,
            alt_text_limit=1000,
            threads=True,
            source="twitter-text v3 configuration: weighted length 280, URLs 23, emoji 2, CJK 2",
        ),
        PlatformLimits(
            name="bluesky",
            link="https://docs.bsky.app/docs/advanced-guides/post-richtext",
            display="Bluesky",
            unit="graphemes",
            limit=300,
            byte_limit=3000,
            alt_text_limit=2000,
            threads=True,
            source="app.bsky.feed.post lexicon: text maxGraphemes 300, maxLength 3000 (UTF-8 bytes)",
        ),
        PlatformLimits(
            name="mastodon",
            link="https://docs.joinmastodon.org/user/posting/",
            display="Mastodon",
            unit="mastodon",
            limit=500,
            alt_text_limit=1500,
            threads=True,
            content_warning=True,
            configurable_limit=True,
            source="Mastodon StatusLengthValidator: 500 by default, per server (instance API "
            "configuration.statuses.max_characters)",
        ),
        PlatformLimits(
            name="threads",
            link="https://developers.facebook.com/docs/threads/posts",
            display="Threads",
            unit="threads",
            limit=500,
            max_links=5,
            max_topic_tags=1,
            threads=True,
            source="Threads API: 500 characters, emoji counted as their UTF-8 bytes, at most 5 unique "
            "links, one topic tag per post",
        ),
        PlatformLimits(
            name="linkedin",
            link="https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api",
            display="LinkedIn",
            unit="utf16",
            limit=3000,
            fold=210,
            source="LinkedIn posts: 3,000 characters (UTF-16 code units); 'see more' at about 210 (observed)",
        ),
        PlatformLimits(
            name="instagram",
            link="https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media",
            display="Instagram",
            unit="utf16",
            limit=2200,
            max_hashtags=30,
            max_mentions=20,
            fold=125,
            source="Instagram Graph API: caption 2,200 characters, 30 hashtags, 20 @-mentions; "
            "'more' at about 125 (observed)",
        ),
        PlatformLimits(
            name="facebook",
            display="Facebook",
            unit="utf16",
            limit=63206,
            fold=477,
            source="Facebook posts: 63,206 characters; 'See more' at about 477 (observed)",
        ),
    )
}


def platform_limits(name: str) -> PlatformLimits:
    """Look a platform up by id (case-insensitive); the error lists the valid ids."""
    key = name.strip().lower()
    if key == "twitter":
        key = "x"
    try:
        return PLATFORMS[key]
    except KeyError:
        raise ValueError(f"unknown platform {name!r}: use one of {', '.join(PLATFORMS)}") from None
