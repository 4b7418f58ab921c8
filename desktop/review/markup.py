"""From a document to the scoped blocks of prose that rules run on.

Vale lints *blocks*: a heading, a paragraph and its sentences, a list item, a table cell, an image's
alt text, plus two document-sized blocks (`summary`: all paragraph-like prose; `raw`: the source as
is). Each block here also remembers where every one of its characters sits in the source, so a
match is reported at its exact line and column even when markup (emphasis, links, escapes) sat
between the words. Code (blocks and spans), front matter, URLs and HTML are not prose: code spans
and URLs are kept as `*` of the same length (as Vale does), so words on either side stay apart.

Blocks of one paragraph-like element form a `Unit`: the unit of incremental re-checking.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from desktop.review import nlp

URL = regex.compile(r"(?:https?://|ftp://|www\.)[^\s<>\"'`]*[^\s<>\"'`.,:;!?)\]}]")
_COMMENT = regex.compile(r"<!--(.*?)-->", regex.S)


@dataclass(eq=False)
class Block:
    """A run of prose with one scope. `runs` maps block positions to source positions."""

    text: str
    scope: str  # dotted, as Vale names them: "text", "paragraph", "sentence", "text.heading.h1" ...
    runs: list[tuple[int, int, int]]  # (block_start, source_start, length), sorted by block_start
    _starts: list[int] = field(default_factory=list, repr=False)
    _sections: frozenset[str] = field(default=frozenset(), repr=False)

    def __post_init__(self) -> None:
        self._starts = [r[0] for r in self.runs]
        self._sections = frozenset(self.scope.split("."))

    @property
    def sections(self) -> frozenset[str]:
        return self._sections

    def to_source(self, pos: int) -> int:
        """Source offset of block position `pos` (positions past a run map to its end)."""
        if not self.runs:
            return 0
        k = bisect.bisect_right(self._starts, pos) - 1
        if k < 0:
            return self.runs[0][1]
        b, s, n = self.runs[k]
        return s + min(pos - b, n)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        a = self.to_source(start)
        if end <= start:
            return a, a
        b = self.to_source(end - 1) + 1
        return a, max(a, b)

    def sub(self, start: int, end: int, scope: str) -> Block:
        """A block over text[start:end] (a sentence of a paragraph)."""
        runs = []
        for b, s, n in self.runs:
            lo, hi = max(b, start), min(b + n, end)
            if lo < hi:
                runs.append((lo - start, s + lo - b, hi - lo))
        return Block(self.text[start:end], scope, runs)


@dataclass(eq=False)
class Unit:
    """The blocks of one paragraph-like element; results for it are cached by `key`."""

    key: tuple[str, str]
    blocks: list[Block]


@dataclass(eq=False)
class Control:
    """An in-document `<!-- vale ... -->` comment, at its source offset."""

    offset: int
    off: bool | None = None  # vale off / vale on
    rules: dict[str, bool] = field(default_factory=dict)  # "Style.Rule" or "Style" -> enabled


@dataclass(eq=False)
class Document:
    source: str  # line endings normalised to \n
    syntax: str
    units: list[Unit]
    summary: Block
    raw: Block
    whole_text: Block | None  # plain text only: the whole document as one `text` block
    controls: list[Control]
    counts: dict[str, int]  # pre, list, blockquote, heading.h1 ... for `metric`


def normalize_newlines(text: str) -> str:
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def mask_urls(text: str) -> str:
    if "://" not in text and "www." not in text:
        return text
    return URL.sub(lambda m: "*" * len(m.group()), text)


def prose_unit(text: str, runs: list[tuple[int, int, int]], kind: str = "p") -> Unit:
    """A paragraph: its `text`, `paragraph` and `sentence` blocks."""
    text_block = Block(text, "text", runs)
    blocks = [text_block, Block(text, "paragraph", runs)]
    for a, b in nlp.sentence_spans(text):
        blocks.append(text_block.sub(a, b, "sentence"))
    return Unit((kind, text), blocks)


# --------------------------------------------------------------------------------------------------
# Plain text


def parse_text(source: str) -> Document:
    """Plain text (`.txt`, posts): paragraphs are separated by blank lines."""
    units: list[Unit] = []
    summary_parts: list[tuple[str, list[tuple[int, int, int]]]] = []
    for m in regex.finditer(r"[^\n]+(?:\n(?![ \t]*\n)[^\n]*)*", source):
        start, end = m.start(), m.end()
        while end > start and source[end - 1] in " \t\n":
            end -= 1
        while start < end and source[start] in " \t":
            start += 1
        if start >= end:
            continue
        text = mask_urls(source[start:end])
        runs = [(0, start, end - start)]
        units.append(prose_unit(text, runs, "txt"))
        summary_parts.append((text, runs))
    whole = Block(mask_urls(source), "text", [(0, 0, len(source))])
    return Document(
        source,
        "text",
        units,
        _join_blocks(summary_parts, "summary"),
        Block(source, "raw", [(0, 0, len(source))]),
        whole,
        [],
        {},
    )


def _join_blocks(parts: list[tuple[str, list[tuple[int, int, int]]]], scope: str) -> Block:
    text_parts, runs, pos = [], [], 0
    for text, rs in parts:
        for b, s, n in rs:
            runs.append((pos + b, s, n))
        text_parts.append(text)
        pos += len(text) + 2
    return Block("\n\n".join(text_parts), scope, runs)


# --------------------------------------------------------------------------------------------------
# Markdown


@lru_cache(maxsize=1)
def _markdown():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.use(front_matter_plugin)
    return md


class _Builder:
    """Accumulates a block's text while locating each piece in the source."""

    def __init__(self, source: str, start: int, end: int) -> None:
        self.source = source
        self.cursor = start
        self.limit = end
        self.parts: list[str] = []
        self.runs: list[tuple[int, int, int]] = []
        self.length = 0

    def locate(self, piece: str) -> int:
        """Source offset of `piece` at or after the cursor, or -1."""
        return self.source.find(piece, self.cursor, self.limit) if piece else -1

    def add(self, piece: str, *, mask: bool = False) -> None:
        if not piece:
            return
        at = self.locate(piece)
        shown = "*" * len(piece) if mask else piece
        if at >= 0:
            self._emit(shown, at)
            self.cursor = at + len(piece)
            return
        # Escapes or entities changed the text: place it character by character.
        for ch, out in zip(piece, shown, strict=True):
            at = self.source.find(ch, self.cursor, self.limit)
            if at < 0 or at - self.cursor > 8:
                at = min(self.cursor, max(self.limit - 1, 0))
            else:
                self.cursor = at + 1
            self._emit(out, at)

    def skip_past(self, piece: str, within: int) -> None:
        at = self.locate(piece)
        if at >= 0 and at - self.cursor <= within:
            self.cursor = at + len(piece)

    def _emit(self, text: str, at: int) -> None:
        if self.runs:
            b, s, n = self.runs[-1]
            if b + n == self.length and s + n == at:
                self.runs[-1] = (b, s, n + len(text))
                self.parts.append(text)
                self.length += len(text)
                return
        self.runs.append((self.length, at, len(text)))
        self.parts.append(text)
        self.length += len(text)

    def text(self) -> str:
        return "".join(self.parts)


def parse_markdown(source: str) -> Document:
    """CommonMark + GFM tables: headings, paragraphs, lists, block quotes, table cells, alt text."""
    md = _markdown()
    tokens = md.parse(source)
    line_starts = [0]
    nl = source.find("\n")
    while nl >= 0:
        line_starts.append(nl + 1)
        nl = source.find("\n", nl + 1)
    line_starts.append(len(source))

    def region(tok) -> tuple[int, int]:
        if tok.map is None:
            return 0, len(source)
        a, b = tok.map
        return line_starts[min(a, len(line_starts) - 1)], line_starts[min(b, len(line_starts) - 1)]

    units: list[Unit] = []
    summary_parts: list[tuple[str, list[tuple[int, int, int]]]] = []
    controls: list[Control] = []
    counts: dict[str, int] = {}
    containers: list[str] = []  # outermost first: "list", "blockquote", "table"
    heading: str | None = None
    cell: str | None = None

    def count(name: str) -> None:
        counts[name] = counts.get(name, 0) + 1

    for tok in tokens:
        t = tok.type
        if t in ("bullet_list_open", "ordered_list_open"):
            containers.append("list")
        elif t == "blockquote_open":
            containers.append("blockquote")
            count("blockquote")
        elif t == "table_open":
            containers.append("table")
        elif t in ("bullet_list_close", "ordered_list_close", "blockquote_close", "table_close"):
            if containers:
                containers.pop()
        elif t == "heading_open":
            heading = tok.tag
        elif t == "heading_close":
            heading = None
        elif t in ("th_open", "td_open"):
            cell = "header" if t == "th_open" else "cell"
        elif t in ("th_close", "td_close"):
            cell = None
        elif t in ("fence", "code_block"):
            count("pre")
        elif t == "html_block":
            a, _ = region(tok)
            _collect_controls(tok.content, a, controls)
        elif t == "inline":
            a, b = region(tok)
            builder = _Builder(source, a, b)
            alts = _walk_inline(tok.children or [], builder, controls)
            text = mask_urls(builder.text())
            if heading:
                scope, kind = f"text.heading.{heading}", heading
                count(f"heading.{heading}")
            elif cell:
                scope, kind = f"text.table.{cell}", f"table.{cell}"
            elif containers and containers[0] in ("list", "blockquote"):
                scope, kind = f"text.{containers[0]}", containers[0]
                count(containers[0])
            else:
                scope, kind = "", "p"
            stripped = text.strip()
            if stripped:
                lead = len(text) - len(text.lstrip())
                trail = len(text.rstrip())
                block = Block(text, "text", builder.runs).sub(lead, trail, scope or "text")
                if kind == "p":
                    units.append(prose_unit(block.text, block.runs))
                    summary_parts.append((block.text, block.runs))
                else:
                    units.append(Unit((kind, block.text), [block]))
                    if kind in ("list", "blockquote"):
                        summary_parts.append((block.text, block.runs))
            for alt_text, alt_runs in alts:
                units.append(Unit(("alt", alt_text), [Block(alt_text, "text.attr.alt", alt_runs)]))
    return Document(
        source,
        "markdown",
        units,
        _join_blocks(summary_parts, "summary"),
        Block(source, "raw", [(0, 0, len(source))]),
        None,
        controls,
        counts,
    )


def _walk_inline(children, builder: _Builder, controls: list[Control]):
    """Feed inline tokens to `builder`; return the alt texts of images found on the way."""
    alts = []
    autolink = False
    href = ""
    for child in children:
        t = child.type
        if t == "text":
            builder.add(child.content, mask=autolink)
        elif t == "code_inline":
            builder.skip_past(child.markup, 4)
            builder.add(child.content, mask=True)
            builder.skip_past(child.markup, 4)
        elif t in ("softbreak", "hardbreak"):
            builder.add("\n")
        elif t == "link_open":
            autolink = child.markup == "autolink"
            href = child.attrs.get("href", "") or ""
        elif t == "link_close":
            if not autolink and href:
                builder.skip_past(")", len(href) + 8)
            autolink = False
        elif t == "image":
            alt = child.content
            sub = _Builder(builder.source, builder.cursor, builder.limit)
            sub.add(alt)
            if alt.strip():
                alts.append((alt, sub.runs))
            builder.cursor = max(builder.cursor, sub.cursor)
            src = child.attrs.get("src", "") or ""
            builder.skip_past(")", len(src) + 8)
        elif t == "html_inline":
            at = builder.locate(child.content)
            if at >= 0:
                builder.cursor = at + len(child.content)
            _collect_controls(child.content, max(at, builder.cursor), controls)
    return alts


_CONTROL_RULE = regex.compile(r"([A-Za-z0-9_\-]+(?:\.[A-Za-z0-9_\-]+)?)\s*=\s*(YES|NO)")


def _collect_controls(html: str, offset: int, out: list[Control]) -> None:
    for m in _COMMENT.finditer(html):
        body = m.group(1).strip()
        if not body.startswith("vale"):
            continue
        rest = body[4:].strip()
        ctl = Control(offset + m.start())
        if rest == "off":
            ctl.off = True
        elif rest == "on":
            ctl.off = False
        else:
            for r in _CONTROL_RULE.finditer(rest):
                ctl.rules[r.group(1)] = r.group(2) == "YES"
            if not ctl.rules:
                continue
        out.append(ctl)


def parse(text: str, syntax: str) -> Document:
    source = normalize_newlines(text)
    if syntax == "markdown":
        return parse_markdown(source)
    if syntax == "text":
        return parse_text(source)
    raise ValueError(f"unknown syntax {syntax!r}: use 'text' or 'markdown'")
