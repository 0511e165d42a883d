"""Parsing and block-aware text: blocks, line breaks, whitespace, titles, DOM cleanup rules."""

from __future__ import annotations

from pagetidy import Config, clean
from pagetidy.parse import (
    body_of,
    find_title,
    iter_blocks,
    looks_like_html,
    parse_html,
    strip_site_suffix,
)

RAW = Config(disable=frozenset({"extract-main-content"}))


def blocks(html: str) -> list[tuple[str, str]]:
    return [(block.kind, block.text) for block in iter_blocks(body_of(parse_html(html)))]


def test_one_block_per_paragraph_heading_item_and_row() -> None:
    html = (
        "<h2>标题</h2><p>第一段。</p><ul><li>甲</li><li>乙</li></ul>"
        "<table><tr><td>姓名</td><td>年龄</td></tr><tr><td>张三</td><td>30</td></tr></table>"
    )
    assert blocks(html) == [
        ("heading", "标题"),
        ("paragraph", "第一段。"),
        ("item", "甲"),
        ("item", "乙"),
        ("row", "姓名\t年龄"),
        ("row", "张三\t30"),
    ]


def test_inline_elements_never_break_a_block() -> None:
    html = "<p>今年<b>江城区</b>以<a href='#'>“清河行动”</a>为抓手<span>，集中整治</span>。</p>"
    assert blocks(html) == [("paragraph", "今年江城区以“清河行动”为抓手，集中整治。")]


def test_br_is_a_line_break_inside_its_block() -> None:
    assert blocks("<p>第一行<br>第二行<br/>第三行</p>") == [("paragraph", "第一行\n第二行\n第三行")]


def test_source_line_break_between_chinese_characters_adds_no_space() -> None:
    assert blocks("<p>建设滨水绿道约八公里，\n    并在年底前完成改造。</p>")[0][1] == (
        "建设滨水绿道约八公里，并在年底前完成改造。"
    )


def test_source_line_break_between_latin_words_is_a_space() -> None:
    assert blocks("<p>open\nsource 软件</p>")[0][1] == "open source 软件"


def test_ideographic_indentation_at_block_edges_is_not_text() -> None:
    assert blocks("<p>　　今年以来，全区加快推进。</p>")[0][1] == "今年以来，全区加快推进。"


def test_pre_keeps_its_lines() -> None:
    assert blocks("<pre>def f():\n    return 1</pre>") == [("pre", "def f():\n    return 1")]


def test_title_prefers_h1_matching_title_element() -> None:
    root = parse_html(
        "<html><head><title>江城区开展清河行动_江城新闻网</title></head>"
        "<body><h1>江城区开展清河行动</h1></body></html>"
    )
    assert find_title(root) == ("江城区开展清河行动", "<h1> matching <title>")


def test_title_from_og_title_without_h1() -> None:
    root = parse_html(
        '<html><head><meta property="og:title" content="市图书馆延长开放时间 - 江城网">'
        "<title>江城网</title></head><body><p>正文</p></body></html>"
    )
    assert find_title(root) == ("市图书馆延长开放时间", "meta[og:title]")


def test_strip_site_suffix_handles_common_separators() -> None:
    assert strip_site_suffix("回忆朱镕基同志在基层调研的日子--人民网") == "回忆朱镕基同志在基层调研的日子"
    assert strip_site_suffix("标题很长的一篇文章 | 澎湃新闻") == "标题很长的一篇文章"
    assert strip_site_suffix("没有后缀的标题") == "没有后缀的标题"


def test_looks_like_html_tells_markup_from_plain_text() -> None:
    assert looks_like_html("<p>你好，世界</p>")
    assert looks_like_html("<!DOCTYPE html><html>")
    assert not looks_like_html("江城区开展清河行动\n来源: 江城日报\n正文。")
    assert not looks_like_html("数学里 a<b 且 b>c 时……")


def test_hidden_script_and_ruby_are_dropped_as_dom_edits() -> None:
    html = (
        "<html><body><div><p><ruby>汉<rt>hàn</rt></ruby>字很有趣。</p>"
        "<script>var a = 1;</script><div style='display:none'>关键词 关键词</div>"
        "<input value='搜索'></div></body></html>"
    )
    result = clean(html, RAW)
    assert result.text == "汉字很有趣。"
    rules = {edit.rule for edit in result.edits}
    assert {"drop-ruby-readings", "drop-non-text-elements", "drop-hidden-elements",
            "drop-form-controls"} <= rules
    dom_paths = [edit.where.path for edit in result.edits if edit.stage == "dom"]
    assert all(path.startswith("/html/body/") for path in dom_paths)


def test_removed_element_keeps_the_text_that_follows_it() -> None:
    result = clean("<p>前文<script>x()</script>后文。</p>", RAW)
    assert result.text == "前文后文。"
