"""Text -> lxml tree, and tree -> block-aware text; the title; BeautifulSoup at the edge.

Block-aware means: one block per paragraph, heading, list item or table row; no break inside an
inline element; ``<br>`` is a line break inside its block; whitespace collapses the way CSS does
it, so a source line break between two Chinese characters vanishes instead of becoming a space.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal, cast

from lxml import etree

from pagetidy.errors import InputError

HtmlElement = etree._Element
"""Plain lxml elements: lxml.html's element classes cost a Python lookup per node visited."""

BlockKind = Literal["heading", "paragraph", "item", "row", "quote", "pre", "caption", "block"]

BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
        "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li",
        "listing", "main", "menu", "nav", "ol", "p", "plaintext", "pre", "section", "summary",
        "table", "tbody", "tfoot", "thead", "tr", "ul", "xmp", "text",
    }
)
"""Elements that start and end a block. ``text`` is the Sogou crawler's wrapper element."""

_KIND_BY_TAG: dict[str, BlockKind] = {
    **{f"h{level}": "heading" for level in range(1, 7)},
    "p": "paragraph",
    "li": "item",
    "dt": "item",
    "dd": "item",
    "tr": "row",
    "blockquote": "quote",
    "pre": "pre",
    "listing": "pre",
    "xmp": "pre",
    "figcaption": "caption",
    "caption": "caption",
}

CELL_TAGS = frozenset({"td", "th"})

INLINE_CODE_TAGS = frozenset({"code", "kbd", "samp", "tt"})
"""Inline elements that hold code or computer text, which normalization leaves as written."""

def _parser() -> etree.HTMLParser:
    """No network, no DTD loading; ``huge_tree`` lifts libxml2's 10 MB text-node and 256-level
    limits (it still stops at 2,048 levels, which ``parse_html`` reports, not cut silently)."""
    return etree.HTMLParser(
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        recover=True,
        huge_tree=True,
    )

_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_XML_DECLARATION_BYTES = re.compile(rb"^\s*<\?xml[^>]*\?>", re.I)
_CONTROL_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
"""The bytes of ``_CONTROL_CHARS``, deleted from the UTF-8 input before parsing."""
_NONCHARACTERS_UTF8 = (b"\xef\xbf\xbe", b"\xef\xbf\xbf")
"""U+FFFE and U+FFFF in UTF-8: libxml2's HTML parser keeps them, but lxml refuses them in any
text set back on the tree (joining a removed element's tail), so they go before parsing."""
_CHAR_REFERENCE = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")
"""A numeric character reference (libxml2 reads ``&#2`` without its semicolon too)."""
_HTML_SIGNAL = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|title|div|p|br|span|table|td|a\s|img|ul|li|h[1-6]"
    r"|script|style|article|section|font|center|strong|b|em)(?:\s+[a-z_:][^<>]{0,2000})?\s*/?>",
    re.I,
)
_SPACE_RUN = re.compile(r"[ \t\n\r\f]+")
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f"
_CJK_BREAK = re.compile(f"(?=[ \t\f\n\r])(?<=[{_CJK}])[ \t\f]*[\n\r][ \t\n\r\f]*(?=[{_CJK}])")
"""A whitespace run holding a line break between two CJK characters (see ``is_cjk``); the
leading lookahead rules out most positions with one test (see ``patterns.led_by``)."""
_LINE_BREAK = "\x00"
"""Sentinel for ``<br>`` inside a block; NUL never survives ``sanitize``."""
_CELL_BREAK = "\x01"
"""Sentinel between table cells; it becomes a tab, which no space rule removes, so two cells
holding Chinese (``界`` ``植物界``) never run together."""
_CELL_GAP = re.compile("(?<![ \u00a0\u3000])[ \u00a0\u3000]*\x01[\x01 \u00a0\u3000]*")
"""A cell boundary with the padding around it (``&nbsp;`` and ideographic spaces included); it
starts only where a run of spaces starts, so a long run without a boundary is scanned once."""
_CODE_OPEN = "\x02"
_CODE_CLOSE = "\x03"
"""Where an inline code element opens and closes among a block's pieces (text holds no C0)."""
_CODE_MARK = re.compile("[\x02\x03]")
_OPEN_BEFORE_SPACE = re.compile("\x02(\\s+)")
_SPACE_BEFORE_CLOSE = re.compile("(?<!\\s)(\\s+)\x03")
"""Spaces just inside a code mark, which ``_code_spans`` moves outside it."""
_TITLE_SEPARATORS = re.compile(
    r"[_|｜–—]|\s[-·]\s|(?<=[\u4e00-\u9fff])-{1,2}|-{1,2}(?=[\u4e00-\u9fff])|::"
)
"""No ``\\s*`` around the separators: the parts are stripped, and a leading ``\\s*`` would retry
a long run of spaces from each of its positions (quadratic on a title of ideographic spaces)."""
SITE_NAME_MAX = 16
"""Longest trailing title segment taken for a site or channel name (``_新浪财经_新浪网``)."""

MAX_ATTRIBUTE_TOKENS = 1000
"""Attribute names and values kept per start tag. libxml2's HTML parser compares each new
attribute with all earlier ones, so a tag with a million attributes would take hours; real tags
have a few dozen. Only the excess of a tag over this limit is cut, before parsing."""

# One attribute token: a name after a separator, or ``=`` and its value (a quoted value also
# takes any name glued to its closing quote). The alternatives start differently and cannot
# split one stretch two ways, so a failed match never backtracks more than linearly.
_ATTRIBUTE_TOKEN = (
    r"""[\t\n\f\r /]+[^\t\n\f\r />=]+"""
    r"""|[\t\n\f\r /]*=[\t\n\f\r ]*"""
    r"""(?:"[^"]*"[^\t\n\f\r />=]*|'[^']*'[^\t\n\f\r />=]*|(?:[^\t\n\f\r >="'][^\t\n\f\r >=]*)?)"""
)
_LONG_TAG = re.compile(rf"<[A-Za-z][^<>]{{{MAX_ATTRIBUTE_TOKENS}}}")
"""A cheap first filter: a tag start followed by that many characters without ``<`` or ``>``."""
_TAG_UP_TO_LIMIT = re.compile(
    rf"<[A-Za-z][^\t\n\f\r />]*(?:{_ATTRIBUTE_TOKEN}){{0,{MAX_ATTRIBUTE_TOKENS}}}"
)
_MORE_TOKENS = re.compile(rf"(?:{_ATTRIBUTE_TOKEN})*")


@dataclass(frozen=True)
class Block:
    """One block of extracted text: its kind, heading level (0 if none) and text."""

    kind: BlockKind
    text: str
    level: int = 0
    cells: tuple[str, ...] = ()
    """For a table row: the text of each non-empty cell, in order (joined by spaces in ``text``)."""
    code: tuple[tuple[int, int], ...] = ()
    """Where each inline code element (``<code>``, ``<kbd>``…) sits in ``text``, in order."""


def sanitize(text: str) -> str:
    """Remove NUL and C0 control characters, which no parser accepts and no page means."""
    return _CONTROL_CHARS.sub("", text)


def looks_like_html(text: str) -> bool:
    """True when the text holds HTML markup; False for plain text a crawler already extracted."""
    return _HTML_SIGNAL.search(text[:100_000]) is not None


def _without_refused_reference(match: re.Match[bytes]) -> bytes:
    """Nothing for a reference to a character lxml refuses in text (``&#2;``, ``&#xFFFF;``):
    libxml2 would put it in the tree, and setting such text back on the tree raises."""
    value = int(match[1], 16) if match[1] else int(match[2])
    refused = (
        (value < 0x20 and value not in (0x09, 0x0A, 0x0D))
        or 0xD800 <= value <= 0xDFFF
        or value in (0xFFFE, 0xFFFF)
        or value > 0x10FFFF
    )
    return b"" if refused else match[0]


def parse_html(text: str) -> HtmlElement:
    """Parse HTML text into an lxml tree; no network, no DTD, no entity expansion."""
    # Parsing UTF-8 bytes with the encoding given costs less than handing lxml a str, and
    # deleting control bytes from the encoded bytes is one C pass (no UTF-8 sequence holds them).
    data = cap_attributes(text).encode("utf-8", "replace").translate(None, _CONTROL_BYTES)
    # A one-character search in the text costs a tenth of a byte-string search in the bytes;
    # the bytes hold a noncharacter only where the text does.
    if "\ufffe" in text or "\uffff" in text:
        for noncharacter in _NONCHARACTERS_UTF8:
            data = data.replace(noncharacter, b"")
    if b"&#" in data:
        data = _CHAR_REFERENCE.sub(_without_refused_reference, data)
    data = _XML_DECLARATION_BYTES.sub(b"", data, count=1)
    if not data or data.isspace():  # as ``not data.strip()``, without copying the page
        raise InputError("empty input: no markup or text to clean")
    parser = _parser()
    try:
        root = etree.fromstring(data, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        raise InputError(f"not parseable as HTML: {error}") from error
    for entry in parser.error_log:
        if entry.type_name == "ERR_RESOURCE_LIMIT":
            raise InputError(f"page too deeply nested or too large to parse: {entry.message}")
    if root is None:
        raise InputError("not parseable as HTML: the parser returned no document")
    return root


def cap_attributes(markup: str) -> str:
    """Cut every start tag's attributes after the first ``MAX_ATTRIBUTE_TOKENS`` names and values.

    Attributes never become text, so the cut changes no text; it keeps libxml2's quadratic
    duplicate-attribute check bounded. Tags whose values hide ``<`` or ``>`` every thousand
    characters slip past the cheap filter: see docs/reliability.md.
    """
    if _LONG_TAG.search(markup) is None:
        return markup
    pieces: list[str] = []
    cursor = 0
    for candidate in _LONG_TAG.finditer(markup):
        if candidate.start() < cursor:
            continue
        kept = _TAG_UP_TO_LIMIT.match(markup, candidate.start())
        if kept is None:  # pragma: no cover - the filter guarantees a tag start
            continue
        excess = _MORE_TOKENS.match(markup, kept.end())
        if excess is None or excess.end() == kept.end():
            continue
        pieces.append(markup[cursor : kept.end()])
        cursor = excess.end()
    pieces.append(markup[cursor:])
    return "".join(pieces)


def has_ancestor_in(element: HtmlElement, elements: set[HtmlElement]) -> bool:
    """Whether any ancestor of ``element`` is one of ``elements`` (an already-taken subtree)."""
    parent = element.getparent()
    while parent is not None:
        if parent in elements:
            return True
        parent = parent.getparent()
    return False


def remove_element(element: HtmlElement, *, keep_tail: bool = True) -> None:
    """Remove ``element`` from its tree; its tail text stays unless ``keep_tail`` is off."""
    parent = element.getparent()
    if parent is None:
        return
    if keep_tail and element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def node_path(element: HtmlElement) -> str:
    """An XPath-like path to ``element``, e.g. ``/html/body/div[2]/p[1]``."""
    return str(element.getroottree().getpath(element))


def node_paths(elements: list[HtmlElement]) -> list[str]:
    """``node_path`` of each element (none of them a root), computed per parent.

    libxml2 finds each step's index by scanning the siblings at every level of every path, which
    is slow for many removals under wide parents; here each parent's path is asked once and its
    children are counted once. A step has an index only when a sibling shares its tag.
    """
    by_parent: dict[HtmlElement | None, list[HtmlElement]] = {}
    for element in elements:
        by_parent.setdefault(element.getparent(), []).append(element)
    paths: dict[HtmlElement, str] = {}
    for parent, wanted in by_parent.items():
        if parent is None or len(wanted) == 1:
            paths.update((element, node_path(element)) for element in wanted)
            continue
        wanted_set = set(wanted)
        totals: dict[str, int] = {}
        numbered: list[tuple[HtmlElement, str, int]] = []
        for child in parent:
            tag = child.tag
            if isinstance(tag, str):
                totals[tag] = count = totals.get(tag, 0) + 1
                if child in wanted_set:
                    numbered.append((child, tag, count))
        prefix = node_path(parent) + "/"
        for child, tag, count in numbered:
            paths[child] = prefix + (tag if totals[tag] == 1 else f"{tag}[{count}]")
    return [paths[element] for element in elements]


def tag_of(element: etree._Element) -> str:
    """The lower-case tag name, or an empty string for comments and processing instructions."""
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def iter_blocks(root: HtmlElement) -> Iterator[Block]:  # noqa: PLR0915 - one hot loop
    """Yield the blocks of ``root`` in document order, iteratively (deep trees do not recurse)."""
    pieces: list[str] = []
    kinds: list[tuple[BlockKind, int]] = []
    cell_starts: list[int] = []  # where each cell of the current row begins in ``pieces``
    code_element: HtmlElement | None = None  # the outermost inline code element open
    marked = False  # whether ``pieces`` holds code marks
    pre_depth = 0

    def flush() -> Block | None:
        nonlocal marked
        raw = "".join(pieces)
        starts = cell_starts[:]
        cell_starts.clear()
        marks = raw if marked else ""
        if marked:
            raw = _without_code_marks(raw)
            marked = False
        if raw.isspace():
            pieces.clear()
            return None  # indentation between tags: most flushes, skipped cheaply
        kind, level = kinds[-1] if kinds else ("block", 0)
        preformatted = pre_depth > 0
        text = _layout(raw, preformatted=preformatted)
        cells: tuple[str, ...] = ()
        if kind == "row" and starts and text:
            bounds = [*starts, len(pieces)]
            laid = (
                _layout(_without_code_marks("".join(pieces[start:end])), preformatted=preformatted)
                for start, end in pairwise(bounds)
            )
            cells = tuple(cell for cell in laid if cell)
        pieces.clear()
        if not text:
            return None
        code = _code_spans(marks, text) if marks else ()
        return Block(kind, text, level, cells, code)

    # iterwalk reports start and end in C, which costs less than a stack of tuples in Python;
    # the end event emits the element's tail, which belongs to its parent's flow.
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag
        if not isinstance(tag, str):
            if event == "end" and element.tail:
                pieces.append(element.tail)
            continue
        if event == "start":
            if tag in BLOCK_TAGS:
                if pieces:
                    block = flush()
                    if block:
                        yield block
                kind = _KIND_BY_TAG.get(tag)
                if kind is not None:
                    kinds.append((kind, int(tag[1]) if kind == "heading" else 0))
                    if kind == "pre":
                        pre_depth += 1
            elif tag in CELL_TAGS:
                if pieces:
                    pieces.append(_CELL_BREAK)
                cell_starts.append(len(pieces))
            elif tag == "br":
                pieces.append(_LINE_BREAK)
            elif tag in INLINE_CODE_TAGS and code_element is None and not pre_depth:
                code_element = element
                pieces.append(_CODE_OPEN)
                marked = True
            text = element.text
            if text:
                pieces.append(text)
        else:
            if tag in BLOCK_TAGS:
                if pieces:
                    block = flush()
                    if block:
                        yield block
                kind = _KIND_BY_TAG.get(tag)
                if kind is not None:
                    if kind == "pre":
                        pre_depth -= 1
                    kinds.pop()
            elif element is code_element:
                code_element = None
                pieces.append(_CODE_CLOSE)
                marked = True
            if element.tail and element is not root:
                pieces.append(element.tail)
    if pieces:
        block = flush()
        if block:
            yield block


def _without_code_marks(raw: str) -> str:
    return raw.replace(_CODE_OPEN, "").replace(_CODE_CLOSE, "")


def _code_spans(marks: str, text: str) -> tuple[tuple[int, int], ...]:
    """The spans of ``text`` (a block laid out) between matching code marks in ``marks`` (its
    raw pieces with the marks). Spaces inside the code's edges are moved outside the marks so
    they fold as in ``text``; where the two layouts still differ (a line break the marks keep
    from vanishing between hanzi), no span is given: the code is not protected, never misplaced.
    """
    marks = _OPEN_BEFORE_SPACE.sub("\\1\x02", _SPACE_BEFORE_CLOSE.sub("\x03\\1", marks))
    marked = _layout(marks, preformatted=False)
    if _without_code_marks(marked) != text:
        return ()
    spans: list[tuple[int, int]] = []
    position = 0
    last = 0
    opened = -1
    for mark in _CODE_MARK.finditer(marked):
        position += mark.start() - last
        last = mark.end()
        if mark.group() == _CODE_OPEN:
            opened = position
        elif opened >= 0:
            start, end = opened, position
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                spans.append((start, end))
            opened = -1
    return tuple(spans)


def blocks_to_text(blocks: list[Block]) -> str:
    """Join blocks into the text the text-stage rules see: one block per line."""
    return "\n".join(block.text for block in blocks)


def _layout(raw: str, *, preformatted: bool) -> str:
    if not preformatted and _LINE_BREAK not in raw and _CELL_BREAK not in raw:
        return _collapse(raw).strip()  # most blocks: one line, no cells
    lines = raw.split(_LINE_BREAK)
    if preformatted:
        cleaned = [line.rstrip() for line in "\n".join(lines).split("\n")]
        return "\n".join(cleaned).strip("\n").replace(_CELL_BREAK, "\t")
    out = [_collapse(line) for line in lines]
    # Most lines hold no cell boundary, and the gap pattern needs one.
    out = [(_CELL_GAP.sub("\t", line) if _CELL_BREAK in line else line).strip() for line in out]
    return "\n".join(line for line in out if line)


def _collapse(line: str) -> str:
    """Collapse HTML whitespace; a run holding a line break between two CJK characters vanishes."""
    if "\n" in line or "\r" in line:
        line = _CJK_BREAK.sub("", line)
    elif "  " not in line and "\t" not in line and "\f" not in line:
        return line  # every space already stands alone: nothing to collapse
    return _SPACE_RUN.sub(" ", line)


def is_cjk(char: str) -> bool:
    """True for a CJK ideograph or CJK punctuation / full-width form."""
    if not char:
        return False
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x3000 <= code <= 0x303F
        or 0xFF00 <= code <= 0xFFEF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3134F
    )


def body_of(root: HtmlElement) -> HtmlElement:
    """The ``<body>`` element, or the root when the parser made none."""
    body = root.find("body")
    return body if body is not None else root


def all_text(element: HtmlElement) -> str:
    """All the text inside ``element`` (its tail excluded), concatenated as is."""
    return "".join(cast("Iterator[str]", element.itertext()))


def element_text(element: HtmlElement) -> str:
    """The block-aware text of one element, blocks joined by newlines."""
    return blocks_to_text(list(iter_blocks(element)))


_OG_TITLE = etree.XPath(
    'descendant-or-self::meta[@property="og:title" or @name="og:title"]/@content'
)
"""``//meta[...]/@content`` from the root element, compiled once, the axis spelt out."""


def find_title(root: HtmlElement) -> tuple[str | None, str]:
    """The title and where it came from: an h1 matching ``<title>``, og:title, or ``<title>``."""
    title_text = _clean_inline(root.findtext(".//title") or "")
    stripped = strip_site_suffix(title_text)
    og = cast("list[str]", _OG_TITLE(root))
    og_text = _clean_inline(str(og[0])) if og else ""
    headings = [_clean_inline(all_text(h1)) for h1 in root.iter("h1")]
    for heading in headings:
        # A logo h1 ("新浪网") is inside the title too: the heading must carry the title's words.
        if heading and stripped and (
            heading == stripped
            or (len(heading) * 2 >= len(stripped) and (heading in stripped or stripped in heading))
        ):
            return heading, "<h1> matching <title>"
    if og_text:
        return strip_site_suffix(og_text), "meta[og:title]"
    if title_text:
        return stripped, "<title>"
    for heading in headings:
        if heading:
            return heading, "<h1>"
    return None, ""


def strip_site_suffix(title: str) -> str:
    """``标题_新浪网``, ``标题-人民网``, ``标题 | 澎湃新闻`` -> ``标题``: drop trailing site names.

    Short trailing segments (site, channel and section names) are cut one by one; a hyphen
    counts as a separator only with spaces or a hanzi beside it, so ``2023-2024`` and
    ``Spider-Man`` stay whole.
    """
    title = title.strip()
    while True:
        separators = list(_TITLE_SEPARATORS.finditer(title))
        if not separators:
            return title
        last = separators[-1]
        head, tail = title[: last.start()].strip(), title[last.end() :].strip()
        if not head or len(tail) > SITE_NAME_MAX:
            return title
        title = head


def _clean_inline(text: str) -> str:
    return _SPACE_RUN.sub(" ", text).strip()
