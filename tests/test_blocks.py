"""What the boilerplate DOM rules share per page: class/id names read once, the body's size."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from pagetidy import Config, Edit
from pagetidy.parse import body_of, parse_html, remove_element
from pagetidy.pipeline import _apply_dom_rule
from pagetidy.rules.base import PageContext
from pagetidy.rules.blocks import named_elements, text_length, token_set
from pagetidy.rules.chrome import DropChromeBlocks
from pagetidy.rules.identity import DropFooterBlocks
from pagetidy.rules.seo import DropOffscreenText

VOCABULARY = token_set({"share", "foot", "links", "ewm"}, ("fenxiang", "footer"))

# Name fragments modelled on real class and id values: vocabulary words, words that contain
# them, camel case, separators, and the non-ASCII letters IGNORECASE folds to ASCII ones.
NAME_PIECES = st.sampled_from(
    [
        "share", "SHARE", "Share", "bdshare", "foot", "Footer", "g-footer", "links", "link",
        "ewm", "ewmbox", "fenxiang", "FenXiang", "clearfix", "w1200", "main", "\u017fhare", "\u212aey",
        "fooT", "分享", "-", "_", " ", "\t", "\u3000", "\x85", "",
    ]
)
NAMES = st.lists(NAME_PIECES, max_size=6).map("".join)
PAGE = """<html><body>
<div class="main"><p>正文</p><div class="share-bar">分享到</div></div>
<div id="foot"><span class="bd_share">微信</span></div>
<footer><p>版权所有</p></footer>
</body></html>"""


def _page(markup: str) -> PageContext:
    return PageContext(Config(), "html", root=parse_html(markup))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(NAMES, NAMES | st.none()), min_size=1, max_size=8))
def test_named_elements_are_those_the_pattern_finds(names: list[tuple[str, str | None]]) -> None:
    body = etree.Element("body")
    for class_, id_ in names:
        etree.SubElement(body, "div", {"class": class_} if id_ is None else {"class": class_, "id": id_})
    page = PageContext(Config(), "html", root=body)
    expected = [
        element for element in body
        if VOCABULARY.pattern.search(f"{element.get('class')} {element.get('id') or ''}")
    ]
    assert list(named_elements(body, page, VOCABULARY)) == expected


def test_named_elements_in_document_order() -> None:
    page = _page(PAGE)
    assert page.root is not None
    body = body_of(page.root)
    found = [element.get("class") or element.get("id") for element in named_elements(
        body, page, VOCABULARY
    )]
    assert found == ["share-bar", "foot", "bd_share"]


def test_named_elements_with_tag_adds_unnamed_footer() -> None:
    page = _page(PAGE)
    assert page.root is not None
    found = [element.tag for element in named_elements(
        body_of(page.root), page, VOCABULARY, footers=True
    )]
    assert found == ["div", "div", "span", "footer"]


def test_names_are_read_once_per_page() -> None:
    page = _page(PAGE)
    assert page.root is not None
    body = body_of(page.root)
    list(named_elements(body, page, VOCABULARY))
    names = page.names
    list(named_elements(body, page, token_set({"main"})))
    assert page.names is names


def test_named_elements_skip_what_an_earlier_rule_removed() -> None:
    page = _page(PAGE)
    assert page.root is not None
    body = body_of(page.root)
    list(named_elements(body, page, VOCABULARY))  # names read before the removal
    remove_element(body.find("div[@id='foot']"))
    found = [element.get("class") for element in named_elements(body, page, VOCABULARY)]
    assert found == ["share-bar"]


GUARDED_PAGE = """<html><body>
<div class="content"><p>正文第一段，讲了一件事。</p><p>正文第二段，又讲了一件事。</p>
<p>正文第三段：这是一段足够长的文字，让页脚和分享栏都只占页面文字的一小部分。</p>
<div class="share">分享到：微信 微博</div></div>
<div style="font-size:0">隐藏关键词</div>
<div id="footer">版权所有 © 2024 某某网 京ICP备12345678号</div>
</body></html>"""


def test_body_length_carried_between_guarded_rules_is_exact() -> None:
    config = Config()
    root = parse_html(GUARDED_PAGE)
    page = PageContext(config, "html", root=root)
    edits: list[Edit] = []
    for rule in (DropOffscreenText, DropFooterBlocks, DropChromeBlocks):
        _apply_dom_rule(rule(config), root, page, edits)
    assert [edit.rule for edit in edits] == [
        "drop-offscreen-text", "drop-footer-blocks", "drop-chrome-blocks"
    ]
    assert page.removed == 3
    assert page.body_length is not None
    assert page.body_length.removed == page.removed
    assert page.body_length.length == text_length(body_of(root))
