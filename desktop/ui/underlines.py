"""Finding underlines drawn as part of the text layout, repainted only where they changed.

The first version drew them as QPlainTextEdit ExtraSelections. Those are painted on top of the
text, one pass per selection: for every visible underline the whole line under it is drawn
again. With all packs on a 3,000-character draft (180 findings) each repaint of the editor took
5 ms instead of 0.5 ms, and the editor repaints on every keystroke (benchmarks/bench_ui.py).

A syntax highlighter instead gives each paragraph (text block) its formats once; Qt draws the text
and its underlines in one pass, and only the blocks whose underlines changed are re-formatted
when new findings arrive. Spans are held as QTextCursors, which the document moves as the writer
types, so an underline stays on its word until the next check replaces it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from PySide6.QtGui import QSyntaxHighlighter, QTextBlock, QTextCharFormat, QTextCursor, QTextDocument

from desktop.review.findings import Severity
from desktop.ui import severity_style

Span = tuple[int, int, Severity]  # Qt (UTF-16) start, end, severity


class FindingUnderlines(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._formats: dict[Severity, QTextCharFormat] = {}
        self.refresh_style(rehighlight=False)
        # Sorted by start (edits move cursors but never reorder them); each entry is
        # (start cursor, end cursor, severity). Two cursors rather than one selection: a
        # selection cursor collapses when text is typed at its start.
        self._spans: list[tuple[QTextCursor, QTextCursor, Severity]] = []
        self._starts_cache: list[int] | None = None
        self._doc_revision = -1

    # -- input -----------------------------------------------------------------------------------

    def set_spans(self, spans: list[Span]) -> None:
        """Show exactly `spans` (positions in the current text); re-format only changed blocks."""
        doc = self.document()
        wanted = sorted(spans, key=lambda s: (s[0], s[1], int(s[2])))
        if wanted == self.spans():
            return  # the usual keystroke: the cursors already moved exactly as the findings did
        before = self._by_block()
        cursors = []
        for start, end, severity in wanted:
            a = QTextCursor(doc)
            a.setPosition(start)
            b = QTextCursor(doc)
            b.setPosition(end)
            cursors.append((a, b, severity))
        self._spans = cursors
        self._starts_cache = None
        after = self._by_block()
        for number in sorted(set(before) | set(after)):
            if before.get(number) != after.get(number):
                block = doc.findBlockByNumber(number)
                if block.isValid():
                    self.rehighlightBlock(block)

    def clear(self) -> None:
        self.set_spans([])

    def refresh_style(self, *, rehighlight: bool = True) -> None:
        """New colours after a palette change."""
        self._formats = {sev: severity_style.underline_format(sev) for sev in Severity}
        if rehighlight:
            self.rehighlight()

    def spans(self) -> list[Span]:
        """The spans as they are now (moved along with the edits since they were set)."""
        return [(a.position(), b.position(), sev) for a, b, sev in self._spans]

    def painted(self) -> dict[tuple[int, int], QTextCharFormat.UnderlineStyle]:
        """What the layout really draws: {(start, end): underline style}, for tests and checks."""
        out = {}
        block = self.document().firstBlock()
        while block.isValid():
            layout = block.layout()
            if layout is not None:
                for r in layout.formats():
                    start = block.position() + r.start
                    out[(start, start + r.length)] = r.format.underlineStyle()
            block = block.next()
        return out

    # -- highlighting ----------------------------------------------------------------------------

    def _starts(self) -> list[int]:
        if self._starts_cache is None or self._doc_revision != self.document().revision():
            self._starts_cache = [a.position() for a, _b, _s in self._spans]
            self._doc_revision = self.document().revision()
        return self._starts_cache

    def _in_block(self, block: QTextBlock) -> list[tuple[int, int, Severity]]:
        """Spans overlapping `block`, relative to it, clipped to it, least severe first."""
        first = block.position()
        last = first + block.length() - 1  # without the paragraph separator
        starts = self._starts()
        # A span is almost always inside one paragraph; the few that start earlier (a platform
        # length warning over the whole post, a paragraph split inside a match) are found by
        # scanning the spans that start before the block, which are bounded by this check.
        lo = bisect_left(starts, first)
        hi = bisect_right(starts, last)
        found = []
        for _a, b, sev in self._spans[:lo]:
            if b.position() > first:
                found.append((0, min(b.position(), last) - first, sev))
        for a, b, sev in self._spans[lo:hi]:
            s, e = a.position(), min(b.position(), last)
            if e > s:
                found.append((s - first, e - s, sev))
        found.sort(key=lambda t: (int(t[2]), t[0], t[1]))
        return found

    def _by_block(self) -> dict[int, tuple]:
        """{block number: its relative spans} for every block that has spans.

        One walk over the blocks alongside the spans (both in text order): this runs twice per
        check result on the UI thread, so it avoids a block lookup per span.
        """
        out: dict[int, list] = {}
        block = self.document().firstBlock()
        first = block.position()
        last = first + block.length() - 1
        for a, b, sev in self._spans:
            start, end = a.position(), b.position()
            while start >= last and block.next().isValid():  # starts in a later paragraph
                block = block.next()
                first = block.position()
                last = first + block.length() - 1
            cur, cfirst, clast = block, first, last
            while True:
                s, e = max(start, cfirst), min(end, clast)
                if e > s:
                    out.setdefault(cur.blockNumber(), []).append((s - cfirst, e - s, int(sev)))
                if end <= clast or not cur.next().isValid():
                    break
                cur = cur.next()  # a span over several paragraphs (rare): walk it, keep `block`
                cfirst = cur.position()
                clast = cfirst + cur.length() - 1
        return {n: tuple(sorted(v)) for n, v in out.items()}

    def highlightBlock(self, text: str) -> None:
        if not self._spans:
            return
        # Least severe first, so an error drawn later wins where spans overlap.
        for start, length, severity in self._in_block(self.currentBlock()):
            self.setFormat(start, length, self._formats[severity])
