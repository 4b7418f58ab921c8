"""Platform limits as findings, so they show beside the draft like any guideline warning.

A guideline rule says "this wording is risky"; these say "this platform will refuse (or cut) the
post": over the length, too many hashtags, mentions or links, an image without alt text. Each finding
points at the part of the text concerned (for a length, the part that does not fit) so the editor can
underline it, and carries a one-click fix where one exists (removing an extra hashtag).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Sequence

import regex

from desktop.review.findings import Finding, Fix, Severity, line_and_column
from desktop.review.platforms import x_weighted
from desktop.review.platforms.counting import count, fold_offset, grapheme_count, measure, utf16_length
from desktop.review.platforms.entities import Entity, find_hashtags, find_mentions, find_urls
from desktop.review.platforms.limits import PlatformLimits, platform_limits

_GRAPHEME = regex.compile(r"\X")
ALT_TEXT_LINK = "https://www.w3.org/WAI/tutorials/images/"
_UNIT_WORDS = {
    "x-weighted": "characters (X weighting)",
    "graphemes": "characters",
    "mastodon": "characters",
    "threads": "characters",
    "utf16": "characters",
}


def _finding(
    rule: str,
    severity: Severity,
    message: str,
    text: str,
    start: int,
    end: int,
    *,
    fix: Fix | None = None,
    link: str = "",
    description: str = "",
) -> Finding:
    line, column = line_and_column(text, start)
    return Finding(
        rule=rule,
        severity=severity,
        message=message,
        start=start,
        end=end,
        line=line,
        column=column,
        match=text[start:end],
        fix=fix or Fix(),
        link=link,
        description=description,
        tags=("platform",),
    )


def _rule(spec: PlatformLimits, what: str) -> str:
    return f"Platform.{spec.display}{what}"


def fitting_prefix(text: str, spec: PlatformLimits, limit: int, content_warning: str = "") -> int:
    """The longest prefix of `text` (ending at a grapheme boundary) within `limit`, by bisection.

    Measured on the original text, so the offset is right even where counting normalises (NFC, CRLF).
    """
    bounds = [m.end() for m in _GRAPHEME.finditer(text)]
    if spec.unit == "graphemes":  # CRLF is one cluster before and after normalising: no search needed
        return bounds[limit - 1] if 0 < limit <= len(bounds) else (0 if limit <= 0 else len(text))
    if spec.unit == "utf16" and "\r" not in text:
        units = 0
        for i, ch in enumerate(text):
            units += 2 if ord(ch) > 0xFFFF else 1
            if units > limit:
                return i
        return len(text)
    if spec.unit == "x-weighted" and "\r" not in text and unicodedata.is_normalized("NFC", text):
        return x_weighted.weighted_length(text, limit=limit).valid_end
    lo, hi = 0, len(bounds)  # bounds[:lo] fit; bounds[hi:] do not
    while lo < hi:
        mid = (lo + hi) // 2
        if measure(text[: bounds[mid]], spec, content_warning) <= limit:
            lo = mid + 1
        else:
            hi = mid
    return bounds[lo - 1] if lo else 0


def _length_findings(
    text: str, spec: PlatformLimits, content_warning: str, limit: int | None
) -> list[Finding]:
    counted = count(text, spec.name, content_warning=content_warning, limit=limit)
    found: list[Finding] = []
    unit = _UNIT_WORDS.get(spec.unit, "characters")
    if counted.length > counted.limit:
        start = fitting_prefix(text, spec, counted.limit, content_warning)
        end = len(text.rstrip())
        start = min(start, end)
        over = counted.length - counted.limit
        message = f"Too long for {spec.display}: {counted.length}/{counted.limit} {unit}, {over} over."
        shortened = counted.shortened_length
        if spec.name == "bluesky" and shortened is not None and shortened <= counted.limit:
            message += (
                f" With links shown short (as the Bluesky app does, keeping the full link) it is "
                f"{shortened}/{counted.limit}."
            )
        if spec.threads:
            # An estimate (the exact split costs tens of ms on a long draft, too much per keystroke);
            # `greenlight count --thread` and the editor's split action compute the real parts.
            about = max(2, math.ceil(counted.length / max(counted.limit - 8, 1)))
            message += f" Shorten it, or post it as a thread of about {about}."
        else:
            message += " Shorten it."
        found.append(
            _finding(
                _rule(spec, "Length"),
                Severity.ERROR,
                message,
                text,
                start,
                end,
                link=spec.link,
                description="The highlighted part is what does not fit.",
            )
        )
    if spec.byte_limit is not None and counted.bytes > spec.byte_limit:
        budget = spec.byte_limit
        used = 0
        start = len(text)
        for i, ch in enumerate(text):
            used += len(ch.encode("utf-8"))
            if used > budget:
                start = i
                break
        found.append(
            _finding(
                _rule(spec, "Bytes"),
                Severity.ERROR,
                f"Too large for {spec.display}: {counted.bytes}/{budget} bytes of UTF-8 "
                f"({counted.bytes - budget} over). Shorten it.",
                text,
                start,
                len(text),
                link=spec.link,
            )
        )
    if spec.name == "x":
        for m in regex.finditer(r"[\ufffe\ufeff\uffff]", text):
            found.append(
                _finding(
                    _rule(spec, "Characters"),
                    Severity.ERROR,
                    f"X rejects the invisible character U+{ord(m.group()):04X}: remove it.",
                    text,
                    m.start(),
                    m.end(),
                    fix=Fix("remove"),
                    link=spec.link,
                )
            )
    return found


def _extras(
    spec: PlatformLimits,
    entities: Sequence[Entity],
    cap: int | None,
    what: str,
    text: str,
    severity: Severity,
) -> list[Finding]:
    if cap is None or len(entities) <= cap:
        return []
    found = []
    for number, entity in enumerate(entities[cap:], cap + 1):
        if what == "TopicTags":
            message = (
                f"Only the first hashtag of a {spec.display} post becomes a topic tag; "
                f"{entity.text} will show as plain text. Remove it or keep one tag."
            )
        else:
            noun = {"Hashtags": "hashtags", "Mentions": "@-mentions", "Links": "different links"}[what]
            message = (
                f"{spec.display} allows at most {cap} {noun} per post; {entity.text} is number {number}. "
                "Remove it (or another one)."
            )
        found.append(
            _finding(
                _rule(spec, what),
                severity,
                message,
                text,
                entity.start,
                entity.end,
                fix=Fix("remove"),
                link=spec.link,
            )
        )
    return found


def _entity_findings(text: str, spec: PlatformLimits) -> list[Finding]:
    urls = find_urls(text)
    found = _extras(spec, find_hashtags(text, urls), spec.max_hashtags, "Hashtags", text, Severity.ERROR)
    found += _extras(spec, find_mentions(text, urls), spec.max_mentions, "Mentions", text, Severity.ERROR)
    found += _extras(
        spec, find_hashtags(text, urls), spec.max_topic_tags, "TopicTags", text, Severity.WARNING
    )
    if spec.max_links is not None:
        unique: dict[str, Entity] = {}
        for url in urls:
            unique.setdefault(url.text.lower(), url)
        found += _extras(spec, list(unique.values()), spec.max_links, "Links", text, Severity.ERROR)
    return found


def _fold_finding(text: str, spec: PlatformLimits) -> list[Finding]:
    if spec.fold is None or utf16_length(text) <= spec.fold:
        return []
    fold = fold_offset(text, spec.fold)
    if fold >= len(text.rstrip()):
        return []
    word = regex.compile(r"\S+").search(text, fold)
    if word is None:
        return []
    return [
        _finding(
            _rule(spec, "Fold"),
            Severity.SUGGESTION,
            f"{spec.display} shows about the first {spec.fold} characters, then 'See more': readers "
            "see only what comes before this word unless they expand the post. Put the key message "
            "(and any link) first.",
            text,
            word.start(),
            word.end(),
            link=spec.link,
        )
    ]


# Hosts of link-shortening services. The guideline pack's LinkShorteners rule cannot see links
# written with a scheme (prose rules never see URLs, as in Vale), so they are reported here.
SHORTENER_HOSTS = frozenset(
    {
        "bit.ly",
        "tinyurl.com",
        "goo.gl",
        "ow.ly",
        "buff.ly",
        "is.gd",
        "rebrand.ly",
        "cutt.ly",
        "shorturl.at",
        "tiny.cc",
        "rb.gy",
        "t.ly",
        "lnkd.in",
        "trib.al",
        "dlvr.it",
    }
)


def _shortener_findings(text: str) -> list[Finding]:
    found = []
    for url in find_urls(text):
        lowered = url.text.lower()
        if not (url.has_protocol or lowered.startswith("www.")):
            continue  # written without a scheme: the guideline rule reports it
        host = lowered.split("://", 1)[-1].split("/", 1)[0].split("?", 1)[0].removeprefix("www.")
        if host in SHORTENER_HOSTS:
            found.append(
                _finding(
                    "Platform.LinkShortener",
                    Severity.WARNING,
                    f"Use the full link instead of the shortened {url.text}: shorteners hide where a link "
                    "goes and are often treated as spam, and the platforms count or shorten links themselves.",
                    text,
                    url.start,
                    url.end,
                )
            )
    return found


def _media_findings(text: str, media: Iterable[dict], specs: list[PlatformLimits]) -> list[Finding]:
    found = []
    for number, item in enumerate(media, 1):
        name = str(item.get("name") or item.get("path") or item.get("filename") or f"image {number}")
        name = name.replace("\\", "/").rsplit("/", 1)[-1]
        alt = str(item.get("alt") or item.get("alt_text") or item.get("description") or "").strip()
        if not alt:
            found.append(
                _finding(
                    "Platform.AltText",
                    Severity.ERROR,
                    f"Image {number} ({name}) has no alt text: describe what it shows for people who "
                    "use screen readers (and for anyone whose images do not load).",
                    text,
                    0,
                    0,
                    link=ALT_TEXT_LINK,
                )
            )
            continue
        for spec in specs:
            if spec.alt_text_limit is not None and grapheme_count(alt) > spec.alt_text_limit:
                found.append(
                    _finding(
                        _rule(spec, "AltTextLength"),
                        Severity.ERROR,
                        f"The alt text of image {number} ({name}) is {grapheme_count(alt)} characters; "
                        f"{spec.display} accepts at most {spec.alt_text_limit}. Shorten it.",
                        text,
                        0,
                        0,
                        link=spec.link,
                    )
                )
    return found


def platform_findings(
    text: str,
    platforms: list[str],
    *,
    media: Iterable[dict] = (),
    content_warning: str = "",
    limits: dict[str, int] | None = None,
) -> list[Finding]:
    """Everything the selected platforms would refuse or cut, as findings on `text`.

    `limits` overrides a platform's limit (a Mastodon server's own). Unknown platform: ValueError.
    """
    specs = [platform_limits(p) for p in platforms]
    media = list(media)
    limits = limits or {}
    found: list[Finding] = []
    if not text.strip() and not media:
        found.append(
            _finding(
                "Platform.Empty",
                Severity.ERROR,
                "The post is empty: write something (or attach media) before publishing.",
                text,
                0,
                len(text),
            )
        )
    for spec in specs:
        cw = content_warning if spec.content_warning else ""
        if text.strip():
            found += _length_findings(text, spec, cw, limits.get(spec.name))
            found += _entity_findings(text, spec)
            found += _fold_finding(text, spec)
    if specs:
        found += _shortener_findings(text)
    found += _media_findings(text, media, specs)
    found.sort(key=lambda f: (f.start, f.rule))
    return found
