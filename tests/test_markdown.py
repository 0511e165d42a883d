"""Markdown output: block kinds put back on the clean text, rule edits respected."""

from __future__ import annotations

import re

from pagetidy import Cleaner, Config
from pagetidy.cli import main
from pagetidy.markdown import to_markdown

from .conftest import PAGES

ARTICLE = """<html><head><title>河道整治进展_江城新闻网</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/news">新闻</a> <a href="/gov">政务</a></div>
<div class="article-content">
<h2>整治成效</h2>
<p>今年以来，江城区集中整治城区内河，已清理河道淤泥三万余立方米，水质明显好转。</p>
<ul><li>建立巡河机制，每周至少巡河两次。</li><li>发现问题当天交办，限期整改。</li></ul>
<table><tr><th>河道</th><th>清淤量（立方米）</th></tr><tr><td>东河</td><td>12000</td></tr></table>
<blockquote>水清了，岸绿了，散步的人也多了。</blockquote>
<p>#江城治水# 下一步，区水务局将继续推进雨污分流改造，确保汛期安全。</p>
<p>京ICP备12345678号</p>
</div></body></html>"""


def markdown_of(markup: str) -> str:
    """Clean ``markup`` and render it as Markdown."""
    return to_markdown(Cleaner().clean(markup))


def test_markdown_heading_keeps_its_level() -> None:
    assert "## 整治成效" in markdown_of(ARTICLE)


def test_markdown_list_items_form_one_list() -> None:
    items = "- 建立巡河机制，每周至少巡河两次。\n- 发现问题当天交办，限期整改。"
    assert items in markdown_of(ARTICLE)


def test_markdown_table_has_header_and_cells() -> None:
    assert "| 河道 | 清淤量（立方米） |\n| --- | --- |\n| 东河 | 12000 |" in markdown_of(ARTICLE)


def test_markdown_quote_is_marked() -> None:
    assert "> 水清了，岸绿了，散步的人也多了。" in markdown_of(ARTICLE)


def test_markdown_escapes_a_hashtag_line() -> None:
    assert "\\#江城治水#" in markdown_of(ARTICLE)


def test_markdown_leaves_out_lines_a_text_rule_dropped() -> None:
    result = Cleaner(Config(disable=frozenset({"extract-main-content"}))).clean(ARTICLE)
    assert "ICP" in result.raw_text
    assert "ICP" not in to_markdown(result)
    assert "## 整治成效" in to_markdown(result)


def test_markdown_shows_a_line_a_text_rule_rewrote() -> None:
    result = Cleaner().clean(ARTICLE.replace("水质明显好转", "水质\ufffd明显好转"))
    assert "\ufffd" in result.raw_text
    assert "已清理河道淤泥三万余立方米，水质明显好转。" in to_markdown(result)


def test_markdown_says_what_the_text_says() -> None:
    result = Cleaner().clean(ARTICLE)
    assert sorted(_content(to_markdown(result))) == sorted(_content(result.text))


def _content(text: str) -> str:
    """The characters of ``text`` without Markdown syntax and whitespace."""
    return re.sub(r"[#>|\-`\\\s]", "", text)


def test_markdown_renders_code_as_a_fence() -> None:
    markdown = to_markdown(Cleaner().clean((PAGES / "blog.html").read_bytes()))
    assert "```\nfrom PIL import Image\n" in markdown


def test_markdown_marks_inline_code() -> None:
    markdown = to_markdown(Cleaner().clean((PAGES / "pre_blocks.html").read_bytes()))
    assert "在终端机输入 `python3 -c \"print('著作,權限')\"` 再按 `Enter` 即可，非常简单。" in markdown


def test_markdown_inline_code_holding_a_backtick_gets_a_double_fence() -> None:
    page = (
        "<html><body><article><p>在 Shell 裡，<code>echo `date`</code> 會先執行反引號中的命令，"
        "再把結果交給 echo 輸出，這是很常見的寫法。</p></article></body></html>"
    )
    assert "在 Shell 里，`` echo `date` `` 会先执行" in markdown_of(page)


def test_markdown_marks_the_code_itself_not_an_earlier_copy_of_its_text() -> None:
    page = (
        "<html><body><article><p>在 Python 裡，把 print 語句改寫成 <code>print</code> 函數，"
        "這是升級時最常見的修改之一，請逐行檢查。</p></article></body></html>"
    )
    assert "把 print 语句改写成 `print` 函数" in markdown_of(page)


def test_markdown_of_plain_text_input_is_the_text() -> None:
    result = Cleaner().clean("第一行文字。\n第二行文字。")
    assert to_markdown(result) == result.text


def test_cli_format_markdown(capsys: object) -> None:
    code = main(["clean", "--format", "markdown", str(PAGES / "encyclopedia.html")])
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert code == 0
    assert "## 形态特征" in out
