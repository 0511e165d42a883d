"""Properties that hold for every input, checked on generated pages with hypothesis.

They exercise whatever rules are registered when they run, so a rule added on another branch is
held to them without a change here:

- ``clean`` returns a ``Result`` or raises a ``PagetidyError``, never any other exception;
- ``replay(result.raw_text, result.text_edits) == result.text``;
- every string in the result is valid UTF-8 (no lone surrogates, no NUL or C0 control);
- a text edit adds no character that its ``before`` did not hold, except the characters its
  rule declares in ``Rule.adds_characters`` (None: a rewriting rule, any character);
- cleaning the clean text again as plain text (``Config(input="text")``) makes no edit, except
  removals by rules that declare ``idempotent = False``; the text then only loses characters.
  (Normalization leaves an HTML page's ``<pre>`` blocks alone, which plain text cannot tell: a
  page that had one may be normalized on the second pass.)

Examples are bounded (``max_examples``) so the suite stays fast; ``fuzz/`` runs the long search.
"""

from __future__ import annotations

from collections.abc import Iterator

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pagetidy import Cleaner, Config, PagetidyError, Result, replay
from pagetidy.rules import REGISTRY
from pagetidy.rules.unicode import NormalizationRule
from tests.conftest import PAGES

PROPERTY_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

CLEANER = Cleaner()
TEXT_CLEANER = Cleaner(Config(input="text"))
RULES = {rule.name: rule for rule in REGISTRY}

# Pieces of text modelled on what scraped Chinese pages hold: prose, full-width punctuation,
# navigation and licence lines, pinyin annotations, odd spaces, entities and broken characters.
TEXT_PIECES = (
    "今年以来，江城区集中整治城区内河水环境。",
    "記者從市政府獲悉，新建公園將於明年開放。",
    "“清河行动”三个月治理河道十二公里！",
    "（记者 王小明）",
    "中(zhōng)国(guó)",
    "人[rén]民【mín】",
    "上一篇：",
    "下一篇",
    "返回顶部",
    "京ICP备12345678号-1",
    "ICP备案号：湘ICP备17016663号",
    "粤B2-20090059",
    "版权所有 © 2024 江城日报社",
    "来源：江城日报",
    "2024-05-18 09:30",
    "\uff21\uff22\uff23\uff11\uff12\uff13",  # full-width ABC123
    "。。。。。。",
    "——",
    "……",
    "　　",
    "\u00a0\u00a0",
    " \t ",
    "\n",
    "\r\n",
    "\n\n\n",
    "\ufffd",
    "\u200b",
    "\x00",
    "\x1b",
    "&nbsp;",
    "&amp;",
    "&lt;",
    "&#x4E2D;",
    "&#0;",
    "&#xD800;",
    "&#1114112;",
    "&bogus;",
    "<",
    ">",
    "\ud800",
)

TAGS = (
    "p", "div", "span", "br", "a", "h1", "h2", "li", "ul", "table", "tr", "td", "font",
    "script", "style", "noscript", "ruby", "rt", "input", "form", "article", "footer", "nav",
    "pre", "title", "textarea", "svg", "template", "iframe",
)
ATTRIBUTES = (
    "", ' class="content"', ' id="article"', ' style="display:none"', " hidden",
    ' aria-hidden="true"', ' href="/news/1.html"', ' lang="zh-CN"', ' class="footer"',
    " a=", ' x="<p>"',
)

text_piece = st.one_of(st.sampled_from(TEXT_PIECES), st.text(max_size=12))
plain_texts = st.lists(text_piece, max_size=40).map("".join)


@st.composite
def html_pages(draw: st.DrawFn) -> str:
    """Markup made of the tags and text pieces above, nested, closed or left open at random."""
    parts: list[str] = []
    if draw(st.booleans()):
        parts.append(draw(st.sampled_from(("<!DOCTYPE html>", '<?xml version="1.0"?>', ""))))
    if draw(st.booleans()):
        charset = draw(st.sampled_from(("utf-8", "gb2312", "big5", "utf-16", "bogus", "")))
        parts.append(f'<html><head><meta charset="{charset}"><title>标题</title></head><body>')
    open_tags: list[str] = []
    for _ in range(draw(st.integers(0, 30))):
        action = draw(st.integers(0, 3))
        if action == 0:
            tag = draw(st.sampled_from(TAGS))
            parts.append(f"<{tag}{draw(st.sampled_from(ATTRIBUTES))}>")
            open_tags.append(tag)
        elif action == 1 and open_tags:
            parts.append(f"</{open_tags.pop()}>")
        else:
            parts.append(draw(text_piece))
    if draw(st.booleans()):
        parts.extend(f"</{tag}>" for tag in reversed(open_tags))
    return "".join(parts)


def fixture_pages() -> list[bytes]:
    """The fixture pages as bytes: realistic seeds for byte-level mutation."""
    paths = sorted(PAGES.glob("*.html")) + sorted(PAGES.glob("*.txt"))
    return [path.read_bytes() for path in paths]


@st.composite
def mutated_pages(draw: st.DrawFn) -> bytes:
    """A fixture page with a few byte ranges deleted, replaced or duplicated."""
    data = bytearray(draw(st.sampled_from(fixture_pages())))
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        start = draw(st.integers(0, len(data) - 1))
        end = min(len(data), start + draw(st.integers(0, 64)))
        kind = draw(st.integers(0, 2))
        if kind == 0:
            del data[start:end]
        elif kind == 1:
            data[start:end] = draw(st.binary(max_size=16))
        else:
            data[start:start] = data[start:end]
    return bytes(data)


encodings = st.sampled_from(("utf-8", "gb18030", "big5hkscs", "utf-16-le", "utf-16", "latin-1"))


@st.composite
def encoded_pages(draw: st.DrawFn) -> bytes:
    """An HTML page encoded in a charset its declaration may or may not state."""
    page = draw(html_pages())
    return page.encode(draw(encodings), errors="replace")


any_input = st.one_of(
    st.binary(max_size=2048),
    plain_texts,
    html_pages(),
    encoded_pages(),
    mutated_pages(),
    st.text(max_size=500),
)


def clean_or_none(cleaner: Cleaner, page: bytes | str) -> Result | None:
    """The Result, or None when ``clean`` refused the page with a PagetidyError."""
    try:
        return cleaner.clean(page)
    except PagetidyError:
        return None


def strings_of(result: Result) -> Iterator[str]:
    """Every string a Result carries, for the encoding checks."""
    yield result.text
    yield result.raw_text
    for value in result.metadata.to_dict().values():
        if isinstance(value, str):
            yield value
    for edit in result.edits:
        yield edit.before
        yield edit.after
        yield edit.reason
    for flag in result.flags:
        yield flag.evidence
    yield result.encoding.note


@PROPERTY_SETTINGS
@given(any_input)
def test_clean_returns_a_result_or_raises_a_pagetidy_error(page: bytes | str) -> None:
    result = clean_or_none(CLEANER, page)  # any other exception fails the test
    assert result is None or isinstance(result, Result)


@PROPERTY_SETTINGS
@given(any_input)
def test_replay_of_the_text_edits_gives_the_text(page: bytes | str) -> None:
    result = clean_or_none(CLEANER, page)
    if result is not None:
        assert replay(result.raw_text, result.text_edits) == result.text


@PROPERTY_SETTINGS
@given(any_input)
def test_every_string_of_the_result_is_valid_utf8_without_controls(page: bytes | str) -> None:
    result = clean_or_none(CLEANER, page)
    if result is None:
        return
    for value in strings_of(result):
        value.encode("utf-8")  # raises on a lone surrogate
    controls = set(map(chr, range(0x20))) - {"\t", "\n"}
    assert not controls & set(result.text)


@PROPERTY_SETTINGS
@given(any_input)
def test_text_edits_add_only_the_characters_their_rule_declares(page: bytes | str) -> None:
    result = clean_or_none(CLEANER, page)
    if result is None:
        return
    for edit in result.text_edits:
        allowed = RULES[edit.rule].adds_characters
        if allowed is None:
            continue
        added = set(edit.after) - set(edit.before)
        assert added <= set(allowed), f"{edit.rule} added {sorted(added - set(allowed))}"


@PROPERTY_SETTINGS
@given(any_input)
def test_cleaning_the_clean_text_again_changes_nothing_undeclared(page: bytes | str) -> None:
    first = clean_or_none(CLEANER, page)
    if first is None or not first.text.strip():
        return
    second = TEXT_CLEANER.clean(first.text)
    assert second.raw_text == first.text
    if any(block.kind == "pre" for block in first.blocks) and any(
        issubclass(RULES[edit.rule], NormalizationRule) for edit in second.edits
    ):
        return  # a <pre> block was kept as it was; plain text cannot tell, and is normalized
    for edit in second.edits:
        assert not RULES[edit.rule].idempotent, f"{edit.rule} changed its own output: {edit}"
        assert edit.after == "", f"{edit.rule} rewrote on a second pass: {edit}"
    if not second.edits:
        assert second.text == first.text
