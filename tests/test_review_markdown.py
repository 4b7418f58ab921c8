"""Markdown: scopes, what is not prose, in-document controls, and exact lines and columns."""

from __future__ import annotations

from pathlib import Path

from desktop.review.engine import Engine


def engine(tmp_path: Path, **rules: str) -> Engine:
    folder = tmp_path / "T"
    folder.mkdir(exist_ok=True)
    for name, body in rules.items():
        (folder / f"{name}.yml").write_text(body, encoding="utf-8")
    e = Engine.from_packs([folder])
    assert e.problems == []
    return e


WORD = "extends: existence\nmessage: \"'%s'\"\ntokens: [banana]\n"


def test_code_front_matter_comments_and_urls_are_not_prose(tmp_path):
    e = engine(tmp_path, W=WORD)
    doc = (
        "---\ntitle: banana\n---\n\n"
        "Inline `banana` code and <!-- banana --> comment.\n\n"
        "```\nbanana\n```\n\n"
        "    banana indented code\n\n"
        "See https://example.com/banana and <https://banana.org>.\n\n"
        "A real banana.\n"
    )
    fs = e.check(doc, syntax="markdown")
    assert [(f.line, f.column) for f in fs] == [(15, 8)]


def test_positions_through_emphasis_links_and_escapes(tmp_path):
    e = engine(tmp_path, W=WORD)
    doc = "Some **bold** and [a banana link](https://x.org/y) \\*then\\* a banana &amp; more.\n"
    fs = e.check(doc, syntax="markdown")
    assert [(f.column, f.match) for f in fs] == [(22, "banana"), (63, "banana")]
    for f in fs:
        assert doc[f.start : f.end] == "banana"


def test_scopes_heading_list_blockquote_table_alt(tmp_path):
    rules = {
        f"S{i}": f"extends: existence\nmessage: x\nscope: {scope}\ntokens: [banana]\n"
        for i, scope in enumerate(
            ["heading", "heading.h2", "list", "blockquote", "table.cell", "alt", "paragraph", "sentence"]
        )
    }
    rules["Neg"] = "extends: existence\nmessage: x\nscope: ~heading\ntokens: [banana]\n"
    e = engine(tmp_path, **rules)
    doc = (
        "# banana h1\n\n## banana h2\n\n- banana item\n\n> banana quote\n\n"
        "| head |\n| ---- |\n| banana cell |\n\n![a banana photo](p.png)\n\nA banana paragraph.\n"
    )
    fs = e.check(doc, syntax="markdown")
    got = {(f.rule, f.line) for f in fs}
    assert got == {
        ("T.S0", 1),
        ("T.S0", 3),
        ("T.S1", 3),
        ("T.S2", 5),
        ("T.S3", 7),
        ("T.S4", 11),
        ("T.S5", 13),
        ("T.S6", 15),
        ("T.S7", 15),
        ("T.Neg", 5),
        ("T.Neg", 7),
        ("T.Neg", 11),
        ("T.Neg", 13),
        ("T.Neg", 15),
    }


def test_text_scope_covers_headings_lists_and_paragraphs(tmp_path):
    e = engine(tmp_path, W=WORD)
    fs = e.check("# banana\n\n- banana\n\nbanana\n", syntax="markdown")
    assert [f.line for f in fs] == [1, 3, 5]


def test_vale_off_on_and_per_rule_comments(tmp_path):
    e = engine(tmp_path, W=WORD, Other="extends: existence\nmessage: x\ntokens: [cherry]\n")
    doc = (
        "banana cherry\n\n<!-- vale off -->\n\nbanana cherry\n\n<!-- vale on -->\n\n"
        "<!-- vale T.W = NO -->\n\nbanana cherry\n\n<!-- vale T.W = YES -->\n\nbanana\n"
    )
    fs = e.check(doc, syntax="markdown")
    assert [(f.rule, f.line) for f in fs] == [("T.W", 1), ("T.Other", 1), ("T.Other", 11), ("T.W", 15)]


def test_plain_text_does_not_read_markdown(tmp_path):
    e = engine(tmp_path, W=WORD)
    assert len(e.check("`banana`", syntax="text")) == 1
    assert e.check("`banana`", syntax="markdown") == []


def test_crlf_and_cr_line_endings(tmp_path):
    e = engine(tmp_path, W=WORD)
    for nl in ("\r\n", "\r", "\n"):
        text = f"first line{nl}second banana{nl}"
        [f] = e.check(text)
        assert (f.line, f.column) == (2, 8)
        assert text[f.start : f.end] == "banana"


def test_columns_count_code_points(tmp_path):
    e = engine(tmp_path, W=WORD)
    [f] = e.check("😀 café banana")
    assert f.column == 8 and f.start == 7
