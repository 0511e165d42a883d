"""Chrome family: counters, toolbars, share and QR prompts, prev/next, related lists, breadcrumbs,
pagination and stray page numbers: the widgets around an article.

Every text rule here acts on a line only when the widget makes up most of it, or on a bracketed
or trailing widget segment inside a line that is not a sentence; a sentence that mentions 打印,
分享 or 访问量 is content and stays.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import ClassVar

from pagetidy.parse import HtmlElement, body_of
from pagetidy.patterns import led_by
from pagetidy.rules.base import (
    Change,
    DomRule,
    Line,
    PageContext,
    Removal,
    TextRule,
)
from pagetidy.rules.blocks import guarded, named_elements, token_set
from pagetidy.rules.lines import (
    PROSE_END,
    SEPARATOR_CLASS,
    ShadowLineRule,
    content_length,
    drop_lines,
    is_prose,
    line_views,
    mostly,
    neighbours,
    shadow_of,
    tail_start,
    views_text,
)

COUNTER = re.compile(
    r"(?=[您本网总今累历访浏点阅来已\d人热在])(?:"  # first characters: see patterns.led_by
    r"您是(?:本站|本网|本页|网站)?第\s?[\d\s]{0,24}位(?:访问者|访客|浏览者|来访者|来宾|读者|用户)"
    r"|(?:本站|网站|本页|本文|总|今日|累计|历史)?(?:访问|浏览|点击|阅读|访客|来访)(?:量|数|次数|人数|人次|总数)"
    r"\s?:\s?\d{0,12}\s?次?"
    r"|已有\s?\d{1,12}\s?(?:人|次)(?:来访|访问|阅读|浏览)过?"
    r"|\d{1,12}\s?(?:次阅读|次浏览|人阅读|人浏览|次点击|人看过|次播放)"
    r"|(?<![\u4e00-\u9fff])(?:阅读|浏览|点击|人气|热度)\s?[:(]\s?\d{0,12}\s?\)?\s?次?"
    r"|(?<![\u4e00-\u9fff])(?:阅读|浏览|点击|人气)\s\d{1,12}(?=\s|$|\|)"
    r"|在线(?:人数|用户)\s?:?\s?\d{0,9}|(?:总|今日)访问\s?:?\s?\d{0,12}"
    r")"
)
"""您是第 位访问者 (number filled in by script, so often missing), 访问量：123, 1350 次阅读."""


class SegmentRule(TextRule):
    """A text rule that drops a line made of its widget, or cuts widget segments from a line."""

    hint: ClassVar[re.Pattern[str] | None] = None
    """A pattern every widget line and segment holds, searched once in the text and in the views
    first: when neither holds it (most texts), no line is looked at."""

    def whole(self, text: str) -> bool:
        """Whether the line's view is made of the widget (drop the line)."""
        raise NotImplementedError

    def segments(self, text: str) -> Iterator[tuple[int, int]]:
        """Spans of widget segments inside the folded line (offsets valid in the original)."""
        return iter(())

    def find(self, text: str, page: PageContext) -> Iterator[Change]:
        """Drop whole widget lines, and cut segments from lines that are not sentences."""
        folded = shadow_of(text)
        hint = self.hint
        if hint is not None and not (hint.search(folded) or hint.search(views_text(text))):
            return
        lines, views = line_views(text)
        verdicts: list[str | None] = []
        cuts: list[Change] = []
        for line, seen_line in zip(lines, views, strict=True):
            raw = folded[line.start : line.end]
            seen = seen_line.text
            if seen and self.whole(seen):
                verdicts.append("")
                continue
            verdicts.append(None)
            if seen and not is_prose(seen):
                cuts.extend(
                    Change(line.start + start, line.start + end)
                    for start, end in self.segments(raw)
                )
        yield from drop_lines(text, lines, verdicts)
        yield from cuts


class DropVisitorCounter(SegmentRule):
    """Drop visitor counters and view counts: 您是第 位访问者, 访问量：N, 阅读 N, N次浏览."""

    name: ClassVar[str] = "drop-visitor-counter"
    family: ClassVar[str] = "chrome"
    reason: ClassVar[str] = "visitor counter or view count"
    summary: ClassVar[str] = "您是第 N 位访问者, 访问量：N, 浏览次数：N, 阅读(N), N次阅读"
    hint: ClassVar[re.Pattern[str] | None] = re.compile(
        "您是|访问|浏览|点击|阅读|访客|来访|已有|看过|播放|人气|热度|在线"
    )
    """A word each alternative of ``COUNTER`` holds."""

    def whole(self, text: str) -> bool:
        """A line made mostly of counters."""
        return bool(COUNTER.search(text)) and mostly(text, COUNTER, share=0.5, slack=6)

    def segments(self, text: str) -> Iterator[tuple[int, int]]:
        """Counter segments inside a label row (a byline, a forum post header)."""
        for match in COUNTER.finditer(text):
            if re.search(r"\d|第", match.group()):
                yield match.start(), match.end()


CONTROL = (
    r"(?:我要)?(?:打印|列印)(?:本页|此页|本文|文章|页面)?|关闭(?:本页|窗口|此页)?|(?:加入)?收藏(?:本页|本文)?"
    r"|(?:我要)?纠错|(?:我要)?评论(?:\(\d{0,6}\))?|推荐给(?:朋友|好友)|复制本文网址"
    r"|返回(?:顶部|首页|列表|目录|上一页)?|回到(?:顶部|首页)|回上一页|顶部|top|字[体号](?:大小)?\s?:?\s?[大中小\s]{0,8}"
    r"|a\+|a-|放大|缩小|分享|朗读|听新闻"
)
"""Toolbar control words (whole-word in a bracket or on a line of their own)."""

_CONTROL_LINE = re.compile(rf"(?:{CONTROL})", re.I)
_BRACKET_CONTROL = re.compile(
    rf"[\[【〖(<]\s?(?:{CONTROL})\s?(?::\s?(?:{CONTROL}|\s){{0,8}})?[\]】〗)>]", re.I
)
_FONT_SIZE = re.compile(r"字[体号](?:大小)?\s?:?\s?[\[【〖(]?\s?大\s?中\s?小\s?[\]】〗)]?")
_BACK_TO_TOP = re.compile(r"返回顶部|回到顶部|返回页首|回到页首|^top$|^↑$", re.I)

_TOOLBAR_ALPHABET = "".join(sorted({char for char in CONTROL if not char.isascii()}))
_NOT_TOOLBAR = re.compile(
    f"[^{SEPARATOR_CLASS}{_TOOLBAR_ALPHABET}【〖】〗()<>\\[\\]:+\\-topaTOPA\\d\\s]"
)
"""A character that neither a separator nor any of the three toolbar patterns can take (they
spell control words, brackets, digits, spaces and ``top``/``a+``/``a-`` in either case): it
stays in the residue, so a line holding one is not made of controls. Found in one C scan."""
_BRACKET_OPEN = re.compile(r"[\[【〖(<]")
"""The first character of every ``_BRACKET_CONTROL`` match."""


class DropToolbarControls(SegmentRule):
    """Drop toolbar controls: 【字号：大 中 小】, 【打印】【关闭】, 返回顶部."""

    name: ClassVar[str] = "drop-toolbar-controls"
    family: ClassVar[str] = "chrome"
    reason: ClassVar[str] = "article toolbar control"
    summary: ClassVar[str] = "【字体：大 中 小】, 【打印】【关闭窗口】, 我要纠错, 返回顶部"

    def whole(self, text: str) -> bool:
        """A line made only of control words, bracketed controls and separators."""
        # Each back-to-top alternative holds 返回 or 回到, or is a whole line of at most 3 chars.
        maybe_top = "返回" in text or "回到" in text or len(text) <= 4
        if maybe_top and _BACK_TO_TOP.search(text) and content_length(text) <= 8:
            return True
        if _NOT_TOOLBAR.search(text) or not _CONTROL_LINE.search(text):
            # The font-size and bracket patterns hold a control word too: without one, nothing
            # covers the line (the usual case, decided by one search instead of four passes).
            return False
        if not (_BRACKET_CONTROL.search(text) or _FONT_SIZE.search(text)) and content_length(
            text
        ) <= 2:
            return False
        return mostly(text, _FONT_SIZE, _BRACKET_CONTROL, _CONTROL_LINE, share=1.0, slack=0)

    def segments(self, text: str) -> Iterator[tuple[int, int]]:
        """Bracketed controls and font-size pickers inside a line."""
        spans = [m.span() for m in _FONT_SIZE.finditer(text)] if "字" in text else []
        if _BRACKET_OPEN.search(text):
            spans += [m.span() for m in _BRACKET_CONTROL.finditer(text)]
        end = -1
        for start, stop in sorted(spans):
            if start >= end:
                yield start, stop
                end = stop


SHARE = re.compile(
    r"(?:一键)?(?:分享|转发)(?:到|至|给)?\s?:?|(?:微信|朋友圈|微博|新浪微博|腾讯微博|qq空间|qq好友|qq|豆瓣"
    r"|人人网|百度贴吧|贴吧|复制链接|facebook|twitter|line|whatsapp|linkedin|email|更多|好友)",
    re.I,
)
SHARE_LABEL = re.compile(
    led_by("一分转s", r"(?:一键)?(?:分享|转发)(?:到|至)|^分享\s?:?$|share"), re.I
)
QR_PROMPT = re.compile(
    led_by(
        "扫长微关搜点手移二",
        r"(?:扫一扫|扫码|扫描|长按识别|长按|微信扫)[^。]{0,16}"
        r"(?:二维码|关注|打开|下载|手机|公众号|小程序|阅读|分享|登录)"
        r"|(?:关注|搜索)(?:我们的)?(?:官方)?(?:微信)?(?:公众号|公众平台|视频号|服务号|订阅号)"
        r"|点击上方[^。]{0,8}关注|(?:手机|移动端|微信)扫码|扫一扫|二维码",
    )
)
_TRAILING_SHARE = re.compile(r"(?:一键)?(?:分享|转发)(?:到|至)\s?:?[^。!?,]{0,40}$")


class DropShareLine(SegmentRule):
    """Drop share widgets and QR prompts: 分享到 微信 微博 QQ空间, 扫一扫 关注公众号, 二维码."""

    name: ClassVar[str] = "drop-share-line"
    family: ClassVar[str] = "chrome"
    reason: ClassVar[str] = "share widget or QR-code prompt"
    summary: ClassVar[str] = "分享到：微信 微博 QQ空间, 扫一扫在手机打开当前页, 长按识别二维码关注"
    hint: ClassVar[re.Pattern[str] | None] = re.compile(
        "分享|转发|share|扫|长按|关注|搜索|点击上方|二维码", re.I
    )
    """A word each share label and each ``QR_PROMPT`` alternative holds."""

    def whole(self, text: str) -> bool:
        """A share row, or a short QR prompt."""
        if SHARE_LABEL.search(text) and mostly(text, SHARE, share=0.7, slack=2):
            return True
        return (
            bool(QR_PROMPT.search(text))
            and content_length(text) <= 40
            and len(PROSE_END.findall(text)) <= 1
            and text.count(",") <= 1
            and mostly(text, QR_PROMPT, share=0.3, slack=8)
        )

    def segments(self, text: str) -> Iterator[tuple[int, int]]:
        """A 分享到：… tail glued to a byline."""
        match = _TRAILING_SHARE.search(text)
        if match and mostly(match.group(), SHARE, share=0.7, slack=2):
            yield match.span()


PREV_NEXT = re.compile(
    r"^[\[【(<«]?\s?(?:此分类|本栏目)?(?:上一篇|下一篇|上一条|下一条|上一则|下一则|前一篇|后一篇|阅读下一篇"
    r"|上一篇文章|下一篇文章)(?P<sep>\s?[:\]】)>]|\s|$)?|^[\[【(<]?\s?(?:上篇|下篇|上一章|下一章)\s?[:\]】)>]"
)
"""上一篇：标题, 下一篇 : 标题, [上一篇] [下一篇], 此分类上一篇：…; bare 上篇/下篇 need a colon."""

PREV_NEXT_MAX = 120
"""A prev/next line carries one or two titles: longer lines are prose that starts with 上一篇."""


class DropPrevNextLine(ShadowLineRule):
    """Drop previous/next article links: 上一篇：标题 / 下一篇：标题."""

    name: ClassVar[str] = "drop-prev-next-line"
    family: ClassVar[str] = "chrome"
    reason: ClassVar[str] = "previous/next article link"
    summary: ClassVar[str] = "上一篇：… 下一篇：… lines, with the linked titles"
    # Every dropped line starts with a match; multiline, the pattern finds it in the joined views.
    hint: ClassVar[re.Pattern[str] | None] = re.compile(PREV_NEXT.pattern, re.MULTILINE)

    def judge(self, line: Line, page: PageContext) -> str | None:
        """Drop a line that starts with a prev/next label and is not long prose."""
        text = line.text
        match = PREV_NEXT.search(text)
        if not match or content_length(text) > PREV_NEXT_MAX or text.count("。") > 1:
            return None
        if match.group("sep") is None and (is_prose(text) or "," in text):
            return None  # 上一篇报道提到的案件，…: a sentence that starts with the words
        return ""


RELATED_HEAD = re.compile(
    r"^[\[【]?\s?(?:相关|推荐|延伸|热门|热点|最新|精彩|猜你|为您|为你|你可能|您可能|更多|其他|往期|同类|编辑)"
    r"(?:阅读|文章|推荐|新闻|喜欢|感兴趣的?|资讯|内容|精彩|报道|专题|视频|图片|链接|热文|文章推荐|新闻推荐)"
    r"(?:推荐|阅读|排行)?\s?[\]】]?\s?(?:[:>»]|更多|more|\s)*$"
    r"|^(?:点击|阅读|热门|浏览|评论)排行(?:榜)?\s?:?$|^(?:24小时|今日|本周)?热(?:文|点)排行\s?:?$",
    re.I,
)
"""相关阅读, 推荐阅读, 猜你喜欢, 热门推荐, 延伸阅读, 相关新闻 更多>>, 点击排行: a list heading."""

RELATED_INLINE = re.compile(r"^[\[【]?\s?(?:相关|推荐|延伸)(?:阅读|新闻|文章|链接|报道)\s?[\]】:]")
"""相关新闻：某标题 — a single related link on one line."""

RELATED_WINDOW = 12
RELATED_ITEM_MAX = 30
"""The list under a related heading: up to 12 short title lines, stopping at the first longer
line or sentence (news titles rarely pass 30 characters; blog prose lines do)."""


def _title_like(text: str) -> bool:
    return 0 < content_length(text) <= RELATED_ITEM_MAX and "。" not in text


class DropRelatedBlock(ShadowLineRule):
    """Drop related/recommended lists: the 相关阅读 heading and the short title lines under it."""

    name: ClassVar[str] = "drop-related-block"
    family: ClassVar[str] = "chrome"
    reason: ClassVar[str] = "related or recommended links"
    summary: ClassVar[str] = "相关阅读 / 推荐阅读 / 猜你喜欢 headings with up to 12 title lines"
    # Nothing is dropped without a heading or an inline label, each anchored at a line start.
    hint: ClassVar[re.Pattern[str] | None] = re.compile(
        f"(?:{RELATED_HEAD.pattern})|(?:{RELATED_INLINE.pattern})", re.I | re.MULTILINE
    )

    def judge_all(self, lines: Sequence[Line], page: PageContext) -> list[str | None]:
        """Mark each heading and the run of title lines under it, stopping at prose."""
        verdicts: list[str | None] = [None] * len(lines)
        for line in lines:
            text = line.text
            if RELATED_HEAD.search(text):
                verdicts[line.number] = ""
                for count, after in enumerate(neighbours(lines, line.number, 1)):
                    if count >= RELATED_WINDOW or not _title_like(after.text):
                        break
                    verdicts[after.number] = ""
            elif RELATED_INLINE.search(text) and content_length(text) <= 60:
                verdicts[line.number] = ""
        return verdicts


CRUMB_LABEL = re.compile(
    r"^(?:您|你)?(?:当前|现在|目前|所在)(?:的)?(?:位置|所在位置)\s?:?|^(?:您|你)(?:的|所在)?位置\s?:|^当前您在"
    r"|^您在这里\s?:|^位置\s?:"
)
CRUMB_TRAIL = re.compile(
    r"^[\w\u4e00-\u9fff.\-]{0,16}?(?:首页|主页|home|论坛)\s?(?:>{1,2}|»|\u203a|→|/|\|)"
    r"(?:[^>»\u203a→/|。]{0,40}(?:>{1,2}|»|\u203a|→|/|\|)){0,8}[^>»\u203a→/|。]{0,40}$",
    re.I,
)
"""首页 > 新闻 > 正文, 搜狐首页 >> 汽车频道, 首页/ 诗歌, 论坛首页 > 官方讨论区 > …"""

CRUMB_MAX = 120


class DropBreadcrumbLine(ShadowLineRule):
    """Drop breadcrumbs: 当前位置：首页 > 新闻 > 正文, 首页 >> 国内 >> 正文."""

    name: ClassVar[str] = "drop-breadcrumb-line"
    family: ClassVar[str] = "chrome"
    reason: ClassVar[str] = "breadcrumb trail"
    summary: ClassVar[str] = "当前位置：… lines and 首页 > 栏目 > 正文 trails"
    # Both patterns in one, multiline and case-blind (a wider net than the label's own).
    hint: ClassVar[re.Pattern[str] | None] = re.compile(
        f"(?:{CRUMB_LABEL.pattern})|(?:{CRUMB_TRAIL.pattern})", re.I | re.MULTILINE
    )

    def judge(self, line: Line, page: PageContext) -> str | None:
        """Drop a short, non-sentence line that is a location label or a home-rooted trail."""
        text = line.text
        if content_length(text) > CRUMB_MAX or "。" in text:
            return None
        if CRUMB_LABEL.search(text) or CRUMB_TRAIL.search(text):
            return ""
        return None


PAGER_WORD = re.compile(
    r"首页|上一页|下一页|上页|下页|尾页|末页|前页|后页|跳转(?:到)?|转到|返回目录|返目录|回目录|目录"
    r"|第\s?\d{1,5}\s?页|共\s?\d{1,5}\s?(?:页|条|篇)|每页\s?\d{0,4}\s?条?|go|next|prev|more",
    re.I,
)
PAGER_TOKEN = re.compile(
    r"\d{1,5}|[\[(]\s?\d{1,5}\s?[\])]|\.{2,3}|…|<{1,2}|>{1,2}|«|»|\u2039|\u203a|←|→"
)
PAGE_OF = re.compile(
    r"^[-–—]\s?\d{1,4}\s?[-–—]$"
    r"|^第\s?[\d一二三四五六七八九十百]{1,5}\s?页(?:\s?/\s?共\s?\d{1,5}\s?页)?$"
)
_BARE_NUMBER = re.compile(r"^\d{1,3}$")
PAGER_TAIL = re.compile(
    r"(?:第\s?\d{1,5}\s?页\s?/\s?共\s?\d{1,5}\s?页)?\s?(?:<<|«)?\s?(?:首页\s?\|?\s?)?上一页\s?\|?"
    r"(?:\s?\d{1,4}){0,10}\s?\|?\s?下一页\s?(?:>>|»)?(?:\s?\|?\s?尾页)?\s?$"
)
"""A pager at the end of a line: 第1页/共1页 << 上一页 | 下一页 >>."""


class DropPaginationLine(ShadowLineRule):
    """Drop pagers (首页 上一页 1 2 3 下一页 尾页), 第N页/共N页, and stray page numbers."""

    name: ClassVar[str] = "drop-pagination-line"
    family: ClassVar[str] = "chrome"
    reason: ClassVar[str] = "pagination"
    summary: ClassVar[str] = "首页 上一页 1 2 3 下一页 尾页, 第1页/共5页, a lone page number"

    def judge_all(self, lines: Sequence[Line], page: PageContext) -> list[str | None]:
        """Mark pager lines, and bare numbers that are not part of a numbered sequence."""
        numbers = {int(line.text) for line in lines if _BARE_NUMBER.match(line.text)}
        tail = tail_start(lines)
        verdicts: list[str | None] = [None] * len(lines)
        for line in lines:
            text = line.text
            if not text:
                continue
            if _BARE_NUMBER.match(text):
                if line.number >= tail and self._stray(lines, line.number, numbers):
                    verdicts[line.number] = "stray page number"
            elif PAGE_OF.search(text) or self._pager(text):
                verdicts[line.number] = ""
        return verdicts

    def find(self, text: str, page: PageContext) -> Iterator[Change]:
        """Drop pager lines, and cut a pager glued to the end of a byline or label row."""
        folded = shadow_of(text)
        lines, views = line_views(text)
        verdicts = self.judge_all(views, page)
        yield from drop_lines(text, lines, verdicts)
        for line, verdict, seen in zip(lines, verdicts, views, strict=True):
            if verdict is not None or not seen.text or is_prose(seen.text):
                continue
            tail = PAGER_TAIL.search(folded[line.start : line.end])
            if tail and tail.start() > 0:
                yield Change(line.start + tail.start(), line.start + tail.end())

    @staticmethod
    def _stray(lines: Sequence[Line], index: int, numbers: set[int]) -> bool:
        """A lone number in the footer region, right after the article's last sentence."""
        value = int(lines[index].text)
        if value - 1 in numbers or value + 1 in numbers:
            return False
        before = next(neighbours(lines, index, -1), None)
        return before is not None and is_prose(before.text)

    @staticmethod
    def _pager(text: str) -> bool:
        """Pager words and page numbers only, at least two of them (a lone 首页 is a link)."""
        words = len(PAGER_WORD.findall(text))
        if not words or not mostly(text, PAGER_WORD, PAGER_TOKEN, share=1.0):
            return False
        return words + len(re.findall(r"\d{1,5}", text)) >= 2


CHROME_TOKENS = frozenset(
    {
        "share", "sharing", "fenxiang", "bdshare", "jiathis", "social", "qrcode", "erweima", "ewm",
        "breadcrumb", "breadcrumbs", "crumb", "crumbs", "dqwz", "weizhi", "pagination", "pager",
        "fenye", "prenext", "prevnext", "sxp", "shangxia", "fanye", "related", "relate", "xgyd",
        "xgwz", "xgxw", "xiangguan", "tuijian", "recommend", "toolbar", "gotop", "backtop", "totop",
    }
)
"""Class and id tokens of widget blocks (after splitting on - and _), English and pinyin."""

CHROME_SUBSTRINGS = ("fenxiang", "bdshare", "jiathis", "breadcrumb", "pagination", "xiangguan")


class DropChromeBlocks(DomRule):
    """Remove widget blocks named by class or id: share, fenxiang, breadcrumb, pager, xgyd."""

    name: ClassVar[str] = "drop-chrome-blocks"
    family: ClassVar[str] = "chrome"
    reason: ClassVar[str] = "page widget block"
    summary: ClassVar[str] = "class/id share, fenxiang, qrcode, breadcrumb, pagination, xgyd"

    def find(self, root: HtmlElement, page: PageContext) -> Iterator[Removal]:
        """Yield widget blocks that do not hold a large share of the page's text."""
        body = body_of(root)
        for element in guarded(body, page, named_elements(body, page, _CHROME_NAMES)):
            yield Removal(element)


_CHROME_NAMES = token_set(CHROME_TOKENS, CHROME_SUBSTRINGS)
