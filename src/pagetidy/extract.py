"""Tree -> main content: score every container, keep the best one, leave the rest out.

Two passes over the tree in lists indexed by document position: no per-node recursion, nothing
cached across pages. docs/extraction.md has the full account and the figures.

1. **Measure** (``_measure``, document order). Each text node is charged to its *block* (a
   paragraph, list item, cell, or a ``div`` holding text directly): characters (a Latin letter
   weighs a third of a hanzi), characters inside links, Chinese punctuation (。，、；：？！“”…
   plus ASCII ``, `` and ``. `` for Latin prose), footer words (版权所有, ICP备…) and headline
   links. Class and id tokens in English and pinyin, matched as whole tokens, and the
   ``nav``/``aside``/``footer``/``article``/``main`` tags mark elements; a 相关阅读-style
   heading marks the box it opens.
2. **Score** (``_score``, reverse order: children before parents). Prose counts for itself,
   weighted by punctuation density; short unpunctuated text is near neutral; link-dense,
   repeated and footer blocks subtract; values sum up the tree, a negative child passing on only
   a share. Boilerplate and comment marks make a subtree negative; lists of headline teasers are
   marked on the way. The best container is the largest score outside teaser and related boxes.
3. **Select** (``extract``). Step down while one child holds nearly all the prose; keep elements
   sharing the chosen one's signature (every post of a thread, every fragment of a split
   article) or siblings holding a good share of its value (text split by an ad); prune link
   lists, footers, related boxes, boilerplate and comments inside, each with its reason.

Every element left out is returned with a reason; the DOM rule in ``rules/content.py`` turns them
into edits with node paths.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from lxml import etree

from pagetidy.parse import CELL_TAGS, HtmlElement
from pagetidy.patterns import led_by

CJK_PUNCTUATION = "。，、；：？！“”‘’（）《》「」『』…—"
"""Punctuation that marks Chinese prose; menus, link lists and tag clouds have almost none."""

_PUNCTUATION = re.compile(f"[{CJK_PUNCTUATION}]")

_FOOTER_TEXT = re.compile(
    led_by(
        "版C©AI公不举联關关免仅僅",
        r"版权所有|版權所有|Copyright|©|All Rights Reserved|ICP[备証证備]|公网安备|不良信息举报"
        r"|举报电话|联系我们|關於我們|关于我们|免责声明|免責聲明|仅代表作者|僅代表作者|不代表本[站网網]",
    ),
    re.I,
)
"""Text that marks a footer or legal block wherever it sits; such a block counts against."""

_SENTENCE_ENDS = ("。", "！", "？")


def _not_prose(text: str) -> bool:
    """Fewer than two sentences: a footer names its hotline, a paragraph explaining how to call
    one (``拨打【12388】…举报电话，进行检举控告。市民可…``) is content."""
    return sum(text.count(end) for end in _SENTENCE_ENDS) < 2

_RELATED_HEADING = re.compile(
    r"(?:相关(?:阅读|新闻|文章|推荐|链接|报道|资讯|内容)|相關(?:閱讀|新聞|文章|報導)|推荐(?:阅读|文章)"
    r"|推薦閱讀|热门(?:推荐|文章|新闻|排行)|熱門(?:推薦|文章|新聞)|热点(?:新闻|推荐)|精彩(?:推荐|图片)"
    r"|猜你喜欢|延伸(?:阅读|閱讀)|为你推荐|為你推薦|更多(?:新闻|精彩)|看了又看|(?:阅读|点击)?排行榜?"
    r"|今日热点|编辑推荐|你可能(?:還|还|也)?(?:想看|喜歡|喜欢|感兴趣|感興趣)|猜你喜歡|大家都在看)"
    r"\s*[：:>»]*\s*(?:more|MORE|更多)?\s*[>»]*"
)
"""A heading such as 推荐阅读, 相关新闻, 猜你喜欢, 热门排行: the box it opens is not the article."""
_RELATED_FIRST = frozenset("相推热熱精猜延为為更看阅点排今编你大")
"""The first characters of ``_RELATED_HEADING``: a set lookup spares most texts the regex."""

_CHAPTER_LINK = re.compile(
    r"(?:\d{1,6}\s*[.、\uff0e]\s*)?第\s*[0-9零\u3007一二三四五六七八九十百千万两]{1,9}\s*[章节節回卷集话話篇]"
)
"""A link to a chapter of a serial (``1.第1章 林轩``, ``第十二回``): a book's table of contents."""
_CHAPTER_FIRST = frozenset("0123456789第")

_URL_TEXT = ("http://", "https://", "www.")
"""A link that shows its own address is a reference the author wrote, not a menu item."""

_DIGITS = re.compile(r"\d+")
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")

NEGATIVE_TOKENS = frozenset(
    {
        # English: page chrome, widgets, related and promoted content.
        "nav", "navbar", "navigation", "menu", "menubar", "submenu", "footer", "foot", "sidebar",
        "side", "aside", "breadcrumb", "breadcrumbs", "crumb", "crumbs", "share", "sharing",
        "social", "related", "relate", "recommend", "recommended", "recommendation", "ad", "ads",
        "advert", "advertisement", "adsbygoogle", "banner", "sponsor", "copyright", "disclaimer",
        "login", "register", "toolbar", "tools", "hot", "hotnews", "rank", "ranking", "subscribe",
        "qrcode", "feedback", "popup", "modal", "cookie", "widget", "topbar", "bottom",
        "pager", "pagination", "tags", "keywords", "friendlink", "links", "statement",
        # Forum posts: user panels, signatures, post toolbars.
        "sign", "signature", "sig", "pls", "authi", "avatar", "userinfo", "profile", "pstatus",
        "po", "pob", "pct_bottom", "rate", "ratl", "actions",
        # Pinyin: 分享 相关阅读 相关 相关新闻 推荐 版权 友情链接 便民导航 当前位置
        # 导航 广告 热门 排行 底部 头部 位置.
        "fenxiang", "xgyd", "xiangguan", "xgxw", "tuijian", "banquan", "yqlj", "youqing",
        "youqinglianjie", "bmdh", "dqwz", "daohang", "guanggao", "remen", "paihang", "dibu",
        "toubu", "weizhi",
    }
)
"""Class and id tokens of boilerplate containers, matched as whole tokens (``ad`` never matches
``head`` or ``ad_content``'s ``content``). Comment tokens are separate: comments can be kept."""

COMMENT_TOKENS = frozenset(
    {"comment", "comments", "commentlist", "pinglun", "pl", "cmt", "gentie", "tie"}
)
"""Class and id tokens of reader comment sections (kept when ``Config.keep_comments`` is on)."""

POSITIVE_TOKENS = frozenset(
    {
        "content", "article", "articlecontent", "main", "post", "entry", "text", "body",
        "story", "detail", "details", "zhengwen", "neirong", "wenzhang", "trs", "editor",
        "t_f", "t_msgfont", "postmessage", "message", "reply_content", "answer", "rich",
    }
)
"""Class and id tokens of content containers; a boilerplate token on the same node wins."""

_ALL_TOKENS = NEGATIVE_TOKENS | COMMENT_TOKENS | POSITIVE_TOKENS

NEGATIVE_TAGS = frozenset({"nav", "aside", "footer"})
POSITIVE_TAGS = frozenset({"article", "main"})
BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
        "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
        "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "li", "main", "menu", "nav", "ol", "p",
        "pre", "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "td", "th", "ul",
        "text", "html",
    }
)
"""Elements whose own text forms a block of its own (cells too: each cell of a layout table is a
region of the page, and a link cell must not dilute the prose cell beside it)."""

_PRUNABLE = BLOCKS - {"body", "html", "td", "th", "tr", "tbody", "thead", "tfoot", "caption"}
"""Elements that may be left out inside the content; table parts are kept whole so rows align."""

_CONTAINERS = frozenset(
    {"article", "blockquote", "body", "center", "div", "form", "main", "section", "table",
     "tbody", "td", "text", "tr", "th", "font", "span"}
)
"""Elements that hold paragraphs; descending stops at paragraphs, lists and headings."""

LINK_BLOCK_COST = 4.0
"""Fixed cost of a block that is mostly link text: a menu of many short items adds up."""
NEGATIVE_SHARE = 0.3
"""How much of a negative child's value its parent bears (the rest is pruned away later)."""
POSITIVE_BOOST = 1.25
"""Factor on the value of a container whose class or id names it as content."""
COMMENT_PAGE = 5.0
"""Comments holding this many times the prose of the best other container are the content."""
SHORT_POST = 150.0
"""A main text worth less than this, with more in its comments, is a post and its replies."""
POST_DEPTH = 12
"""How far above the chosen container to look for sibling posts of a thread."""
DESCEND_SHARE = 0.8
"""A child holding this share of the chosen container's prose replaces it (tighter is cleaner)."""
HEADLINE = 10
"""A link with this many characters reads as a headline (menu items and user names are shorter)."""
FOOTER_TEXT_MAX = 200
"""Footer words (版权所有, ICP备...) mark a block only in text shorter than this."""
CELL_WEIGHT = 0.3
"""Value per character of a table cell without punctuation (the figures of a data table)."""
TEASER_MAX = 300
"""A list item longer than this is a section of the page, not a teaser for another page."""
SHORT_TEXT = 40
"""Below this many characters, text without punctuation is a label, title, date or cell: it is
near neutral, so a grid of headline teasers does not outweigh one article."""
SIBLING_SHARE = 0.25
"""A sibling holding this share of the chosen container's value is part of the same content."""
MIN_CONTENT_VALUE = 20.0
"""Below this value the page has no main content to choose: keep the whole body."""
DATA_TABLE_ROWS = 3
"""A table with this many rows, a fifth of the text and almost no links is data, not layout."""
DATA_TABLE_LINKS = 10
"""A data table's link text is at most one part in this many of its text."""
TABLE_OF_CONTENTS = 30
"""From this many chapter links the page is a book's table of contents, and those links are its
text (a chapter page links to a handful: previous, next, the latest few)."""


class LeftOut(NamedTuple):
    """An element the extractor leaves out, and why."""

    element: HtmlElement
    reason: str


@dataclass(frozen=True)
class Extraction:
    """The chosen content root and every element around or inside it that is left out."""

    root: HtmlElement
    left_out: tuple[LeftOut, ...]


REASON_OUTSIDE = "outside the main content"
REASON_LINKS = "link list or footer block inside the content"
REASON_BOILERPLATE = "boilerplate block inside the content (class or id)"
REASON_COMMENTS = "comment section"
REASON_RELATED = "related reading or teaser list"

COMMENTS = -2
"""Mark of a reader comment section."""
OTHER_PAGES = -3
"""Mark of a box that leads to other pages: a related-reading box or a list of teasers."""


class _Page:
    """Per-element measures of one page, in lists indexed by document position."""

    def __init__(self, body: HtmlElement, keep_comments: bool) -> None:
        self.elements: list[HtmlElement] = list(body.iter(etree.Element))
        count = len(self.elements)
        self.position = dict(zip(self.elements, range(count), strict=True))
        self.keep_comments = keep_comments
        self.parent = [-1] * count
        self.block_of = [0] * count
        self.in_link = [False] * count
        self.chars = [0] * count  # own characters of a block (inline descendants included)
        self.links = [0] * count
        self.punct = [0] * count
        self.footer = [False] * count
        self.headlines = [0] * count  # links long enough to be a headline, per block
        # 1 content token, -1 boilerplate token, -2 comment token, OTHER_PAGES related/teasers
        self.mark = [0] * count
        self.cell = [False] * count  # table cells, whose short text is data rather than labels
        self.block_text: dict[int, str] = {}  # short block texts, to find repeated ones
        self.value = [0.0] * count
        self.mass = [0.0] * count  # the positive block values alone: how much prose is below
        self.total_chars = [0] * count
        self.junk = [0] * count  # characters of link, footer and boilerplate blocks below
        self.comment_mass = 0.0
        self.chapter_links: list[tuple[int, int]] = []  # (block, size) of chapter-title links
        self.best: int | None = None


def extract(body: HtmlElement, *, keep_comments: bool = False) -> Extraction | None:
    """Choose the main content under ``body``; None when no container stands out (keep all)."""
    page = _Page(body, keep_comments)
    if len(page.elements) < 2:
        return None
    _measure(page)
    _score(page)
    best = page.best
    best_value = page.value[best] if best is not None else 0.0
    comments = page.comment_mass
    if not keep_comments and comments and (
        comments > COMMENT_PAGE * max(best_value, 0.0)
        or (best_value < SHORT_POST and comments > best_value)
    ):
        # The page is a thread: a short post (a question, a microblog, or nothing at all when
        # every post sits in a comment list) has more text in its replies, or the prose is in
        # the comments (a review page). The replies are the content.
        return extract(body, keep_comments=True)
    if best is None or best_value < MIN_CONTENT_VALUE:
        return None
    elements = page.elements
    best = _descend(best, page)
    root, kept = _recover_siblings(best, page)
    left_out = list(_outside(elements[root], body, REASON_OUTSIDE))
    if root not in kept:
        left_out.extend(_between(root, kept, page))
    for start in kept:
        left_out.extend(_prune(start, page))
    return Extraction(elements[root], tuple(left_out))


def _measure(page: _Page) -> None:  # noqa: PLR0915 - one hot loop, kept inline on purpose
    """Pass 1, document order (parents before children): charge every text node to its block.

    Measuring is inlined: this loop visits every element of the page, and a function call per
    text node would double its cost.
    """
    parent, block_of, in_link = page.parent, page.block_of, page.in_link
    chars, links, punct, footer = page.chars, page.links, page.punct, page.footer
    headlines, mark, block_text = page.headlines, page.mark, page.block_text
    position, cell, chapter_links = page.position, page.cell, page.chapter_links
    marks: dict[str, int] = {}  # per page: class names repeat
    negative = NEGATIVE_TOKENS if page.keep_comments else NEGATIVE_TOKENS | COMMENT_TOKENS
    keep_comments = page.keep_comments
    get_position = position.get
    cjk_punctuation = _PUNCTUATION.findall
    footer_text = _FOOTER_TEXT.search
    for index, element in enumerate(page.elements):
        tag = element.tag
        up = get_position(element.getparent(), -1)  # type: ignore[arg-type]
        parent[index] = up
        link = tag == "a" or (up >= 0 and in_link[up])
        in_link[index] = link
        block = index if tag in BLOCKS or up < 0 else block_of[up]
        block_of[index] = block
        if tag in CELL_TAGS:
            cell[index] = True
        class_ = element.get("class")
        id_ = element.get("id")
        if (class_ or id_) and index:
            verdict = 0
            if class_:
                cached = marks.get(class_)
                verdict = cached if cached is not None else _mark(class_, negative, keep_comments)
                marks[class_] = verdict
            if id_:
                other = marks.get(id_)
                if other is None:
                    other = marks[id_] = _mark(id_, negative, keep_comments)
                # A comment token beats a boilerplate one, which beats a content one.
                verdict = min(verdict, other) if min(verdict, other) < 0 else max(verdict, other)
            mark[index] = verdict
        if tag in NEGATIVE_TAGS and index:
            mark[index] = -1
        elif tag in POSITIVE_TAGS and not mark[index]:
            mark[index] = 1
        text = element.text
        if text and not text.isspace():
            text = text.strip()
            # Latin letters weigh a third of a hanzi: a word is several letters.
            size = (len(text) + 2) // 3 if text.isascii() else len(text)
            chars[block] += size
            if link and not text.startswith(_URL_TEXT):
                if text[0] in _CHAPTER_FIRST and _CHAPTER_LINK.match(text):
                    chapter_links.append((block, size))
                links[block] += size
                if tag == "a" and size >= HEADLINE:
                    headlines[block] += 1
            else:
                punct[block] += _punctuation(text, cjk_punctuation)
                if size < FOOTER_TEXT_MAX and footer_text(text) and _not_prose(text):
                    footer[block] = True
            if size < SHORT_TEXT:
                if text[0] in _RELATED_FIRST and _RELATED_HEADING.fullmatch(text):
                    _mark_related_box(element, position, mark)
                if block == index:
                    block_text[index] = text
        tail = element.tail
        if tail and up >= 0 and not tail.isspace():
            tail = tail.strip()
            size = (len(tail) + 2) // 3 if tail.isascii() else len(tail)
            owner = block_of[up]
            chars[owner] += size
            if in_link[up]:
                links[owner] += size
            else:
                punct[owner] += _punctuation(tail, cjk_punctuation)
                if size < FOOTER_TEXT_MAX and footer_text(tail) and _not_prose(tail):
                    footer[owner] = True
    if len(chapter_links) >= TABLE_OF_CONTENTS:
        # A book's table of contents: its chapter links are the page's text, not a menu of
        # headlines to other pages; each entry is valued like a cell of a data table.
        for block, size in chapter_links:
            links[block] -= size
            cell[block] = True
            if size >= HEADLINE:
                headlines[block] -= 1


def _score(page: _Page) -> None:  # noqa: PLR0915 - one hot loop, kept inline on purpose
    """Pass 2, reverse document order (children before parents): value blocks, sum upwards.

    A negative child counts only in part (``NEGATIVE_SHARE``): if it is junk it is pruned later,
    so it should not cost the container holding the article beside it as much as prose gains.
    The best container is chosen on the way: the largest value, raised for content tokens.
    """
    parent, block_of, in_link, mark = page.parent, page.block_of, page.in_link, page.mark
    chars, links, punct, footer = page.chars, page.links, page.punct, page.footer
    headlines, block_text, cell = page.headlines, page.block_text, page.cell
    value, mass, total_chars, junk = page.value, page.mass, page.total_chars, page.junk
    count = len(value)
    repeats: dict[str, int] = {}
    for text in block_text.values():
        repeats[text] = repeats.get(text, 0) + 1
    items = [0] * count  # children holding text
    teasers = [0] * count  # children holding a headline link
    large = [0] * count  # children longer than a teaser: sections of a page, not list items
    candidates: list[tuple[float, int]] = []
    for index in range(count - 1, -1, -1):
        if (
            items[index] >= 4
            and teasers[index] * 10 >= items[index] * 7
            and large[index] * 5 <= items[index]
            and mark[index] <= 0
        ):
            mark[index] = OTHER_PAGES  # every item leads with a headline link: teasers
        if block_of[index] == index:
            size = chars[index]
            total_chars[index] += size
            if footer[index]:
                value[index] -= size + LINK_BLOCK_COST
                junk[index] += size
            elif size:
                repeated = index in block_text and repeats[block_text[index]] > 1
                block_value = _block_value(size, links[index], punct[index], repeated)
                if block_value < 0 and cell[index] and not links[index] and not repeated:
                    block_value = size * CELL_WEIGHT  # a data cell: names and numbers, no prose
                value[index] += block_value
                if block_value > 0:
                    mass[index] += block_value
                elif repeated or links[index] * 2 >= size:
                    junk[index] += size
        if not total_chars[index]:
            continue  # no text below: nothing to score or pass up
        if mark[index] < 0:
            if mark[index] == COMMENTS:
                page.comment_mass += mass[index]
            value[index] = min(value[index], -float(total_chars[index]) - LINK_BLOCK_COST)
            junk[index] = total_chars[index]
            mass[index] = 0.0
        elif block_of[index] == index and not in_link[index] and value[index] > 0:
            score = value[index] * POSITIVE_BOOST if mark[index] > 0 else value[index]
            candidates.append((score, index))
        up = parent[index]
        if up >= 0:
            own = value[index]
            value[up] += own if own > 0 else own * NEGATIVE_SHARE
            mass[up] += mass[index]
            items[up] += 1
            if total_chars[index] > TEASER_MAX:
                large[up] += 1
            if headlines[index]:
                teasers[up] += 1
                headlines[up] += 1
            total_chars[up] += total_chars[index]
            junk[up] += junk[index]
    # The best container: the largest score; the innermost of equals (the later in document
    # order); never one inside a list of teasers or related reading (a long summary there is
    # prose, but about another page) or inside comments unless they are kept. Other class names
    # do not block: page wrappers carry stray tokens.
    keep_comments = page.keep_comments
    candidates.sort(reverse=True)
    for _, index in candidates:
        up = parent[index]
        while up >= 0 and mark[up] != OTHER_PAGES and (keep_comments or mark[up] != COMMENTS):
            up = parent[up]
        if up < 0:
            page.best = index
            return


def _mark_related_box(
    element: HtmlElement, position: dict[HtmlElement, int], mark: list[int]
) -> None:
    """Mark the box a related-reading heading opens: the nearest ancestor it leads off."""
    node = element
    for _ in range(3):
        if node.getprevious() is not None:
            return
        box = node.getparent()
        index = position.get(box, 0) if box is not None else 0
        if box is None or index <= 0:
            return
        if len(box) > 1:
            if mark[index] <= 0:
                mark[index] = OTHER_PAGES
            return
        node = box


def _block_value(chars: int, links: int, punct: int, repeated: bool) -> float:
    """The value of one block: prose adds, labels are near neutral, link text subtracts."""
    if not chars:
        return 0.0
    plain = chars - links
    if links and (links * 2 >= chars or repeated):
        return -float(links) - LINK_BLOCK_COST
    if repeated:
        return -LINK_BLOCK_COST
    if punct == 0 and plain < SHORT_TEXT:
        return -0.5 - links
    density = punct / max(plain, 1)
    weight = min(1.0, 0.35 + density * 12.0)
    return plain * weight - links


def _punctuation(text: str, cjk_punctuation: Callable[[str], list[str]]) -> int:
    """Chinese punctuation marks, plus ASCII commas and full stops before a space (Latin prose)."""
    count = 0 if text.isascii() else len(cjk_punctuation(text))
    if ", " in text or ". " in text:
        count += text.count(", ") + text.count(". ")
    return count


def _mark(raw: str, negative: frozenset[str], keep: bool) -> int:
    """1 for a content token, -1 for a boilerplate token, -2 for a comment token, else 0."""
    lowered = raw.lower()
    tokens = set(_TOKEN_SPLIT.split(lowered))
    tokens.update(lowered.split())
    if tokens.isdisjoint(_ALL_TOKENS) and lowered == raw:
        return 0  # most names (clearfix, w1200, fl) hold no known token
    if not keep and not tokens.isdisjoint(COMMENT_TOKENS):
        return -2  # comment-content, comment-text: a comment first, whatever else it says
    if not tokens.isdisjoint(negative):
        return -1  # detail-content__recommend: the boilerplate word is the specific one
    if tokens.isdisjoint(POSITIVE_TOKENS):
        # newsContent, articleBody: camel case names content; it never names boilerplate here,
        # because CopyrightRichText is Zhihu's answer body.
        tokens = set(_TOKEN_SPLIT.split(_CAMEL.sub(" ", raw).lower()))
        return 1 if not tokens.isdisjoint(POSITIVE_TOKENS) else 0
    return 1


def _descend(best: int, page: _Page) -> int:
    """Step down while one child container holds nearly all of the chosen one's prose.

    A data table beside the text stops the descent: its cells weigh little as prose, but it is
    part of the article (a notice and its schedule, a report and its figures).
    """
    elements, position, mass = page.elements, page.position, page.mass
    while True:
        top, top_mass = -1, 0.0
        for child in elements[best]:
            index = position.get(child, -1)
            if index >= 0 and mass[index] > top_mass:
                top, top_mass = index, mass[index]
        if top < 0 or top_mass < DESCEND_SHARE * mass[best]:
            return best
        if elements[top].tag not in _CONTAINERS:
            return best
        if any(
            child.tag == "table" and _is_data_table(position[child], best, page)
            for child in elements[best]
            if child is not elements[top] and child in position
        ):
            return best
        best = top


def _is_data_table(table: int, container: int, page: _Page) -> bool:
    """A table of rows holding a good share of ``container``'s text and almost no links."""
    chars = page.total_chars[table]
    if chars < (1 - DESCEND_SHARE) * page.total_chars[container]:
        return False
    position, links = page.position, page.links
    rows = 0
    link_chars = 0
    for element in page.elements[table].iter(etree.Element):
        index = position.get(element)
        if index is None:
            continue
        rows += element.tag == "tr"
        link_chars += links[index]
    return rows >= DATA_TABLE_ROWS and link_chars * DATA_TABLE_LINKS <= chars


def _signature(element: HtmlElement) -> tuple[str, str, str]:
    """Tag, class and id with digits removed: forum posts and page fragments share it."""
    return (
        element.tag,
        _DIGITS.sub("", element.get("class") or ""),
        _DIGITS.sub("#", element.get("id") or ""),
    )


def _recover_siblings(best: int, page: _Page) -> tuple[int, set[int]]:
    """The content root and the elements under it to keep.

    Elements sharing the chosen container's signature elsewhere on the page (the message cell
    of every post of a thread, every fragment of a split article) are kept with it, under their
    nearest common ancestor. Failing that, walking up from the chosen container, the first
    ancestor whose siblings share its signature marks a list of posts. Failing that, the chosen
    container's own siblings holding a good share of its value (text split by an ad) are kept.
    """
    elements, parent, value, mark = page.elements, page.parent, page.value, page.mark
    signature = _signature(elements[best])
    if signature[1] or "#" in signature[2]:
        twins = [
            index
            for index, element in enumerate(elements)
            if value[index] > 0
            and mark[index] >= 0
            and index != best
            and element.tag == signature[0]
            and _signature(element) == signature
            and not _related(index, best, parent)
        ]
        if twins:
            return _common_ancestor([best, *twins], parent), {best, *twins}
    node = best
    for _ in range(POST_DEPTH):
        up = parent[node]
        if up < 0:
            break
        signature = _signature(elements[node])
        if signature[1] or "#" in signature[2]:
            posts = {
                index
                for index in _children(up, page)
                if index != node
                and value[index] > 0
                and mark[index] >= 0
                and _signature(elements[index]) == signature
            }
            if posts:
                return up, posts | {node}
        node = up
    up = parent[best]
    if up < 0:
        return best, {best}
    floor = max(MIN_CONTENT_VALUE, value[best] * SIBLING_SHARE)
    kept = {
        index
        for index in _children(up, page)
        if index == best or (value[index] >= floor and mark[index] >= 0)
    }
    return (up, kept) if len(kept) > 1 else (best, kept)


def _related(first: int, second: int, parent: list[int]) -> bool:
    """True when one element contains the other."""
    for low, high in ((first, second), (second, first)):
        index = parent[low]
        while index >= 0:
            if index == high:
                return True
            index = parent[index]
    return False


def _common_ancestor(indexes: list[int], parent: list[int]) -> int:
    """The nearest element containing all of ``indexes``."""
    chain: list[int] = []
    index = indexes[0]
    while index >= 0:
        chain.append(index)
        index = parent[index]
    common = set(chain)
    deepest = 0
    for other in indexes[1:]:
        index = other
        while index not in common:
            index = parent[index]
        deepest = max(deepest, chain.index(index))
    return chain[deepest]


def _children(index: int, page: _Page) -> list[int]:
    """The positions of an element's element children."""
    position = page.position
    return [position[child] for child in page.elements[index] if child in position]


def _prune(start: int, page: _Page) -> Iterator[LeftOut]:
    """Subtrees inside the content that are link lists, footers or boilerplate by class/id."""
    position, value, mark = page.position, page.value, page.mark
    total_chars, junk = page.total_chars, page.junk
    stack = list(page.elements[start])
    while stack:
        element = stack.pop()
        index = position.get(element)
        if index is None:
            continue
        if element.tag in _PRUNABLE and value[index] < 0:
            if mark[index] == COMMENTS:
                yield LeftOut(element, REASON_COMMENTS)
                continue
            if mark[index] == OTHER_PAGES:
                yield LeftOut(element, REASON_RELATED)
                continue
            if mark[index] == -1:
                yield LeftOut(element, REASON_BOILERPLATE)
                continue
            if junk[index] * 2 >= total_chars[index] > 0:
                yield LeftOut(element, REASON_LINKS)
                continue
        stack.extend(element)


def _between(root: int, kept: set[int], page: _Page) -> Iterator[LeftOut]:
    """What lies under ``root`` beside the paths down to the kept elements (post chrome)."""
    parent, position = page.parent, page.position
    paths: set[int] = set()
    for start in kept:
        index = start
        while index >= 0 and index not in paths and index != root:
            paths.add(index)
            index = parent[index]
    stack = [root]
    while stack:
        index = stack.pop()
        for child in page.elements[index]:
            at = position.get(child)
            if at is None:
                continue
            if at not in paths:
                yield LeftOut(child, REASON_OUTSIDE)
            elif at not in kept:
                stack.append(at)


def _outside(content: HtmlElement, body: HtmlElement, reason: str) -> Iterator[LeftOut]:
    """The subtrees between ``body`` and ``content`` that are not on the path to ``content``."""
    child = content
    parent = content.getparent()
    while parent is not None and child is not body:
        for sibling in parent:
            if sibling is not child and isinstance(sibling.tag, str):
                yield LeftOut(sibling, reason)
        if parent is body:
            return
        child, parent = parent, parent.getparent()
