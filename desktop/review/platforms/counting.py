"""Count a post the way each platform counts it, for the editor's counters and `greenlight count`.

The units (named in limits.py):
- `x-weighted`: twitter-text v3 (x_weighted.py).
- `graphemes`: user-perceived characters (Unicode extended grapheme clusters, the `regex` module's
  `\\X`), as Bluesky counts; a ZWJ family or a flag is one. Bluesky also caps UTF-8 bytes.
- `mastodon`: graphemes of the content warning plus the text, where each http(s) link counts 23 and a
  remote mention `@user@domain` counts as `@user` (Mastodon's StatusLengthValidator).
- `threads`: graphemes, except that an emoji counts as many as its UTF-8 bytes (Threads API docs).
- `utf16`: UTF-16 code units, as Meta's and LinkedIn's servers count: an emoji or a "bold" math
  letter counts 2. The conservative unit for the platforms that do not document theirs.

Line breaks are normalised to `\\n` first: a CRLF file and the same text typed into the app's editor
post the same text, and every platform receives `\\n`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from desktop.review.platforms import x_weighted
from desktop.review.platforms.entities import Entity, find_emoji, find_hashtags, find_mentions, find_urls
from desktop.review.platforms.limits import PlatformLimits, platform_limits

_GRAPHEME = regex.compile(r"\X")
_SURROGATE = regex.compile(r"[\ud800-\udfff]")
MASTODON_URL_LENGTH = 23


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def graphemes(text: str) -> list[str]:
    return _GRAPHEME.findall(text)


def grapheme_count(text: str) -> int:
    return len(_GRAPHEME.findall(text))


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


@dataclass(frozen=True)
class Count:
    """A post's length on one platform, and whether the platform would accept it."""

    platform: str
    length: int  # in the platform's unit
    limit: int
    valid: bool
    remaining: int  # limit - length (negative when over)
    unit: str
    graphemes: int
    code_points: int
    bytes: int  # UTF-8
    byte_limit: int | None = None
    links: int = 0
    hashtags: int = 0
    mentions: int = 0
    problems: tuple[str, ...] = ()  # why it is not valid, in words
    fold: int | None = None  # where "See more" cuts, in code points of the text (None: it all shows)
    shortened_length: int | None = None  # Bluesky: the length with links shortened as the app shows them
    shortened_text: str | None = None
    parts: tuple[int, ...] = field(default=())  # lengths of the thread a split would give (when over)

    def as_json(self) -> dict:
        data = {
            "platform": self.platform,
            "length": self.length,
            "limit": self.limit,
            "valid": self.valid,
            "remaining": self.remaining,
            "unit": self.unit,
            "graphemes": self.graphemes,
            "code_points": self.code_points,
            "bytes": self.bytes,
            "links": self.links,
            "hashtags": self.hashtags,
            "mentions": self.mentions,
            "problems": list(self.problems),
        }
        if self.byte_limit is not None:
            data["byte_limit"] = self.byte_limit
        if self.fold is not None:
            data["fold"] = self.fold
        if self.shortened_length is not None:
            data["shortened_length"] = self.shortened_length
            data["shortened_text"] = self.shortened_text
        if self.parts:
            data["parts"] = list(self.parts)
        return data


def check_text(text: str) -> None:
    """Reject strings that are not Unicode text (lone surrogates cannot be posted anywhere)."""
    bad = _SURROGATE.search(text)
    if bad:
        raise ValueError(
            f"text contains an unpaired surrogate (U+{ord(bad.group()):04X}) at character {bad.start()}: "
            "it is not valid Unicode; re-save the text as UTF-8"
        )


def mastodon_countable(text: str, urls: list[Entity], mentions: list[Entity]) -> str:
    """The text as Mastodon measures it: links replaced by 23 characters, remote mentions shortened."""
    if not text.strip():
        return ""
    replacements = [(u.start, u.end, "x" * MASTODON_URL_LENGTH) for u in urls]
    replacements += [
        (m.start, m.end, "@" + m.user)
        for m in mentions
        if m.domain and all(m.end <= u.start or m.start >= u.end for u in urls)
    ]
    replacements.sort()
    out = []
    pos = 0
    for start, end, repl in replacements:
        if start < pos:
            continue
        out.append(text[pos:start])
        out.append(repl)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def threads_length(text: str, n_graphemes: int | None = None) -> int:
    """Graphemes, with each emoji counted as its UTF-8 bytes (how the Threads API counts)."""
    total = grapheme_count(text) if n_graphemes is None else n_graphemes
    for emoji in find_emoji(text):
        total += len(emoji.text.encode("utf-8")) - grapheme_count(emoji.text)
    return total


def bluesky_short_link(url: str) -> str:
    """The link text the Bluesky app shows: host plus at most 13 characters of the rest, then "..."."""
    from urllib.parse import urlsplit

    full = url if "://" in url else "https://" + url
    try:
        parts = urlsplit(full)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return url
    if parts.scheme.lower() not in ("http", "https") or not host:
        return url
    if port:
        host = f"{host}:{port}"
    rest = "" if parts.path in ("", "/") else parts.path
    if parts.query:
        rest += "?" + parts.query
    if parts.fragment:
        rest += "#" + parts.fragment
    if len(rest) > 15:
        return host + rest[:13] + "..."
    return host + rest


def bluesky_shortened(text: str, urls: list[Entity]) -> str:
    out = []
    pos = 0
    for url in urls:
        out.append(text[pos : url.start])
        short = bluesky_short_link(url.text)
        out.append(short if len(short) < len(url.text) else url.text)
        pos = url.end
    out.append(text[pos:])
    return "".join(out)


def measure(text: str, spec: PlatformLimits, content_warning: str = "") -> int:
    """Just the length in the platform's unit (the splitter calls this many times)."""
    text = normalize_newlines(text)
    if spec.unit == "x-weighted":
        return x_weighted.weighted_length(text).length
    if spec.unit == "graphemes":
        return grapheme_count(text)
    if spec.unit == "mastodon":
        urls = find_urls(text, without_protocol=False)
        countable = mastodon_countable(text, urls, find_mentions(text, urls))
        return grapheme_count(normalize_newlines(content_warning) + countable)
    if spec.unit == "threads":
        return threads_length(text)
    if spec.unit == "utf16":
        return utf16_length(text)
    raise ValueError(f"platform table names an unknown unit {spec.unit!r} for {spec.name}")


def count(
    text: str,
    platform: str,
    *,
    content_warning: str = "",
    limit: int | None = None,
    with_parts: bool = False,
) -> Count:
    """Count `text` for `platform`. Unknown platform or non-Unicode text: ValueError saying which.

    `limit` overrides the table (a Mastodon server's own limit, read from its instance API).
    `with_parts` also works out the thread a split would give when the post is too long (`parts`);
    it costs a split, so the editor's per-keystroke counters leave it off.
    """
    spec = platform_limits(platform)
    if not isinstance(text, str):
        raise ValueError(f"expected text (str), got {type(text).__name__}")
    check_text(text)
    check_text(content_warning)
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be a positive number of characters, got {limit}")
    text = normalize_newlines(text)
    max_length = limit if limit is not None else spec.limit
    problems: list[str] = []
    urls = find_urls(text, without_protocol=spec.unit != "mastodon")
    mentions = find_mentions(text, urls)
    hashtags = find_hashtags(text, urls)
    shortened_length = shortened_text = None

    n_graphemes = grapheme_count(text)
    if spec.unit == "x-weighted":
        weighed = x_weighted.weighted_length(text, limit=max_length)
        length = weighed.length
        if weighed.invalid_characters:
            problems.append("contains a character X rejects (U+FFFE, U+FEFF or U+FFFF)")
    elif spec.unit == "graphemes":
        length = n_graphemes
    elif spec.unit == "threads":
        length = threads_length(text, n_graphemes)
    else:
        length = measure(text, spec, content_warning)

    n_bytes = len(text.encode("utf-8"))
    if not text.strip():
        problems.append("the post is empty")
    if length > max_length:
        problems.append(f"{length - max_length} over the limit of {max_length}")
    if spec.byte_limit is not None and n_bytes > spec.byte_limit:
        problems.append(f"{n_bytes - spec.byte_limit} bytes over the limit of {spec.byte_limit} bytes")
    if spec.max_hashtags is not None and len(hashtags) > spec.max_hashtags:
        problems.append(f"{len(hashtags)} hashtags, at most {spec.max_hashtags} allowed")
    if spec.max_mentions is not None and len(mentions) > spec.max_mentions:
        problems.append(f"{len(mentions)} mentions, at most {spec.max_mentions} allowed")
    unique_links = len({u.text.lower() for u in urls})
    if spec.max_links is not None and unique_links > spec.max_links:
        problems.append(f"{unique_links} different links, at most {spec.max_links} allowed")

    if spec.name == "bluesky" and urls:
        short = bluesky_shortened(text, urls)
        if short != text:
            shortened_text = short
            shortened_length = grapheme_count(short)

    fold = None
    if spec.fold is not None and utf16_length(text) > spec.fold:
        fold = fold_offset(text, spec.fold)

    parts: tuple[int, ...] = ()
    if with_parts and length > max_length and spec.threads and text.strip():
        from desktop.review.platforms.splitting import split_thread

        parts = tuple(
            measure(p, spec, content_warning)
            for p in split_thread(text, spec.name, limit=max_length, content_warning=content_warning)
        )

    return Count(
        platform=spec.name,
        length=length,
        limit=max_length,
        valid=not problems,
        remaining=max_length - length,
        unit=spec.unit,
        graphemes=n_graphemes,
        code_points=len(text),
        bytes=n_bytes,
        byte_limit=spec.byte_limit,
        links=len(urls),
        hashtags=len(hashtags),
        mentions=len(mentions),
        problems=tuple(problems),
        fold=fold,
        shortened_length=shortened_length,
        shortened_text=shortened_text,
        parts=parts,
    )


def fold_offset(text: str, fold: int) -> int:
    """The code-point offset where a feed's "See more" cuts: the last word break before `fold` units.

    Feeds cut at a word boundary, never inside a grapheme; the result is where the hidden part starts.
    """
    units = 0
    last_break = None
    # Every character is at least one unit, so the cut lies within the first `fold` + 1 of them.
    for cluster in _GRAPHEME.finditer(text, 0, min(len(text), fold + 8)):
        size = utf16_length(cluster.group())
        if units + size > fold:
            return last_break if last_break is not None else cluster.start()
        units += size
        if cluster.group().isspace():
            last_break = cluster.start()
    return len(text) if utf16_length(text) <= fold else (last_break or min(len(text), fold))
