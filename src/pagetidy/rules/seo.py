"""SEO family: keyword-stuffed lines, tag clouds and 热门搜索, 友情链接 link farms, text hidden off
screen, and the document-level flag for gambling or porn keyword injection.

Stuffed lines are recognised by their shape (many short items between separators, mostly place
names, or one phrase repeated with variations); enumerations with ``、`` are prose and never
count. Injection is flagged on the result with its evidence and not silently deleted, because the
keywords are often spliced into real sentences; only a stacked keyword header line is removed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import ClassVar

from pagetidy.normalize import shadow
from pagetidy.parse import HtmlElement, body_of
from pagetidy.patterns import led_by
from pagetidy.rules.base import DomRule, Line, PageContext, Removal
from pagetidy.rules.blocks import guarded, named_elements, styled, token_set
from pagetidy.rules.lines import ShadowLineRule, content_length, is_prose, neighbours

_ITEM_SPLIT = re.compile(r"[|/,\s_·•]+")
_PLACE_SUFFIX = tuple("省市区县镇乡州盟旗村")

MIN_ITEMS = 5
"""A stuffed line has at least this many items."""

PLACE_SHARE = 0.6
"""...and, for a place-name list, at least this share of them end in 省/市/区/县/镇/乡…"""

PIPE_ITEMS = 8
ITEM_MEAN_MAX = 8.0
"""A |- or /-separated list: at least 8 items of at most 8 characters on average."""

REPEAT_SHARE = 0.6
REPEAT_ITEMS = 4
"""A keyword list: 4+ items, a three-character phrase shared by 60% of them."""


_MARKUP = re.compile(r"</?[a-z][a-z0-9]{0,9}[\s>/]|://", re.I)
"""Markup and URLs shown as text (code samples) are split by ``/`` without being keyword lists."""


def _items(text: str) -> list[str]:
    return [item for item in _ITEM_SPLIT.split(text) if item]


def _place_list(items: list[str]) -> bool:
    places = sum(1 for item in items if item.endswith(_PLACE_SUFFIX))
    return len(items) >= MIN_ITEMS and places >= PLACE_SHARE * len(items)


def _pipe_list(text: str, items: list[str]) -> bool:
    if text.count("|") + text.count("/") < PIPE_ITEMS - 1 or len(items) < PIPE_ITEMS:
        return False
    return sum(len(item) for item in items) / len(items) <= ITEM_MEAN_MAX


def _repeated_phrase(text: str) -> bool:
    items = [item for item in re.split(r"[,|_/]+", text) if item.strip()]
    if len(items) < REPEAT_ITEMS or sum(len(item) for item in items) / len(items) > 16:
        return False
    grams: Counter[str] = Counter()
    for item in items:
        grams.update({item[i : i + 3] for i in range(len(item) - 2)})
    top = grams.most_common(1)
    return bool(top) and top[0][1] >= REPEAT_SHARE * len(items)


class DropKeywordStuffedLine(ShadowLineRule):
    """Drop keyword-stuffed lines: place-name lists, long |-separated keyword rows, phrase lists."""

    name: ClassVar[str] = "drop-keyword-stuffed-line"
    family: ClassVar[str] = "seo"
    reason: ClassVar[str] = "keyword-stuffed line"
    summary: ClassVar[str] = "青川县| 贵德县| 建阳市| …, 北京装修 | 上海装修 | …, phrase lists"

    def judge(self, line: Line, page: PageContext) -> str | None:
        """Drop a non-sentence line shaped like a keyword or place-name list."""
        text = line.text
        if "。" in text or "、" in text or (text.startswith("|") and text.endswith("|")):
            return None
        if _MARKUP.search(text):
            return None
        items = _items(text)
        if _place_list(items):
            return "place-name list"
        if _pipe_list(text, items) or _repeated_phrase(text):
            return ""
        return None


TAG_HEAD = re.compile(
    r"^[\[【]?\s?(?:热门搜索|热搜(?:词|榜)?|热门标签|热门关键词|热门词|热词|标签云|标签|tags?|相关搜索|相关热词搜索"
    r"|相关标签|热门城市|城市分站|分站导航|服务区域|热门专题|大家都在搜|搜索热词)\s?[\]】]?\s?(?::|$)",
    re.I,
)
"""热门搜索：…, 标签：…, Tags:, 相关热词搜索：…, 城市分站：… (never 关键词: a paper's keywords
are metadata, not a tag cloud)."""

TAG_LINE_MAX = 150
"""Longer lines that start with a tag label are content. A bare heading goes alone: the short
lines under it cannot be told from a forum's post headers, so tag clouds are left to the DOM."""


class DropTagLine(ShadowLineRule):
    """Drop tag clouds and 热门搜索 rows: a tag heading with its short items."""

    name: ClassVar[str] = "drop-tag-line"
    family: ClassVar[str] = "seo"
    reason: ClassVar[str] = "tag cloud or hot-search row"
    summary: ClassVar[str] = "热门搜索：…, 标签：…, Tags: …, 相关热词搜索：… rows"
    hint: ClassVar[re.Pattern[str] | None] = re.compile(TAG_HEAD.pattern, re.I | re.MULTILINE)

    def judge_all(self, lines: Sequence[Line], page: PageContext) -> list[str | None]:
        """Mark tag rows, and a bare tag heading with the short item lines under it."""
        verdicts: list[str | None] = [None] * len(lines)
        for line in lines:
            text = line.text
            if not TAG_HEAD.search(text) or is_prose(text):
                continue
            if content_length(text) > TAG_LINE_MAX:
                continue
            verdicts[line.number] = ""
        return verdicts


LINK_HEAD = re.compile(
    r"^[\[【]?\s?(?:友情链接|友情连接|友链|合作伙伴|合作媒体|合作网站|相关链接|链接)\s?[\]】]?\s?(?::|$)"
)
LINK_LINE_MAX = 300
LINK_WINDOW = 8
LINK_ITEM_MAX = 20


class DropLinkFarmBlock(ShadowLineRule):
    """Drop 友情链接 link farms: the heading with its row, or with the short lines under it."""

    name: ClassVar[str] = "drop-link-farm-block"
    family: ClassVar[str] = "seo"
    reason: ClassVar[str] = "link farm (友情链接)"
    summary: ClassVar[str] = "友情链接：… rows, a 友情链接 / 合作伙伴 heading with its site names"
    hint: ClassVar[re.Pattern[str] | None] = re.compile(LINK_HEAD.pattern, re.MULTILINE)

    def judge_all(self, lines: Sequence[Line], page: PageContext) -> list[str | None]:
        """Mark link-farm rows, and a bare heading with the short lines under it."""
        verdicts: list[str | None] = [None] * len(lines)
        for line in lines:
            text = line.text
            if not LINK_HEAD.search(text) or is_prose(text):
                continue
            if content_length(text) > LINK_LINE_MAX:
                continue
            verdicts[line.number] = ""
            if LINK_HEAD.sub("", text).strip():
                continue
            for count, after in enumerate(neighbours(lines, line.number, 1)):
                body = after.text
                if count >= LINK_WINDOW or is_prose(body) or content_length(body) > LINK_ITEM_MAX:
                    break
                verdicts[after.number] = ""
        return verdicts


GAMBLING = (
    r"威尼斯人|乐虎国际|现金网|亚博(?:体育|国际|娱乐)|yabo|欧宝(?:体育|娱乐)|必威|betway|华体会|币游国际|爱游戏体育"
    r"|海德体育|ope体育|体育新世界|澳洲幸运8|js333|金沙(?:线路|网站|游乐场|娱乐|国际|app|官网|js)|开云体育|半岛体育"
    r"|乐鱼体育|星空体育|米乐(?:体育|m6)|九游(?:会|娱乐|体育)|太阳城(?:集团|娱乐)|新葡京|永利(?:皇宫|娱乐|集团官网)"
    r"|银河(?:娱乐|国际)(?:app|官网|登录|网址)|皇冠(?:体育|娱乐|网址|hg)|bet365|百家乐|时时彩|北京赛车|pk10|幸运28"
    r"|博彩|六合彩|老虎机|真人(?:娱乐|视讯|荷官)|电子游艺|彩票(?:app|平台|网址|注册)"
)
PORN = (
    r"毛片|黄片|成人(?:视频|网站|影院|电影|一区|av)|无码|一区二区|国产精品|亚洲精品|欧美精品|日韩(?:av|精品|一区)"
    r"|av(?:在线|不卡|网站|电影|天堂)|三级(?:片|日本|韩国|欧美)|精品视频|久久(?:精品|热|爱|草|国产|av)"
    r"|黄色(?:网站|视频|电影)|色情|激情(?:视频|网站|小说)|人妻|熟女|抽插|乱伦|偷拍|自拍偷"
)
GAMBLING_FIRST = "威乐现亚y欧必b华币爱海o体澳j金开半星米九太新永银皇百时北p幸博六老真电彩"
PORN_FIRST = "毛黄成无一国亚欧日a三精久色激人熟抽乱偷自"
"""The first characters of the words above. A lookahead for them lets the engine try the long
case-blind alternation only where a word can start (a fifth of the cost on a page of text); it
changes no match, since every match starts with one of them."""
SPAM_WORD = re.compile(f"(?=[{GAMBLING_FIRST}{PORN_FIRST}])(?:{GAMBLING}|{PORN})", re.I)
SEO_FORM = re.compile(
    rf"(?=[{GAMBLING_FIRST}【])"
    rf"(?:(?:{GAMBLING})\s?(?:app|官网|官方|登录|登陆|下载|手机版|网址|平台|入口|注册|首页|线路)"
    rf"|【(?:{GAMBLING})[^】]{{0,8}}】)",
    re.I,
)
"""The SEO shapes of a gambling brand: 欧宝体育app, 华体会官网登录, 【金沙网站】."""

STACK_SEGMENTS = 4
STACK_HITS = 2
"""A stacked spam header: 4+ comma/underscore segments with 2+ lexicon words."""

_STACK_SPLIT = re.compile(r"[,_|\s]+")
_TITLE_SPLIT = re.compile(r"[_|/,\-–—]")
TITLE_SEGMENTS = 3
TITLE_PHRASE_SEGMENTS = 5
TITLE_PHRASE_SHARED = 4
"""A keyword-stuffed title: 3+ segments with one repeated, or 5+ segments of which 4 share a
Chinese word (便携式粉尘仪/粉尘检测仪/粉尘测定仪/…); a site name repeated in a title's last
three segments (…-英国留学生活|留学攻略-51offer让留学更简单) is not enough."""
_CJK_PAIR = re.compile(r"[\u4e00-\u9fff]{2}")
_TITLE_SUFFIX = re.compile(r"[_|\-]\s?([^_|\-]{2,30})$")


class FlagSpamInjection(ShadowLineRule):
    """Flag keyword injection and stuffed titles on the result; drop stacked keyword lines."""

    name: ClassVar[str] = "flag-spam-injection"
    family: ClassVar[str] = "seo"
    reason: ClassVar[str] = "stacked spam keyword line"
    summary: ClassVar[str] = "flags spam-injection with evidence; drops stacked spam keyword lines"

    def judge_all(self, lines: Sequence[Line], page: PageContext) -> list[str | None]:
        """Drop stacked spam lines and raise the page flag when the SEO shapes show up."""
        verdicts: list[str | None] = [None] * len(lines)
        evidence: list[str] = []
        for line in lines:
            text = line.text
            if not text or "。" in text:
                continue
            if len(SPAM_WORD.findall(text)) < STACK_HITS:
                continue  # the usual case: no need to split the line
            segments = [part for part in _STACK_SPLIT.split(text) if part]
            if len(segments) >= STACK_SEGMENTS:
                verdicts[line.number] = ""
                evidence.append(text[:60])
        body = "\n".join(line.text for line in lines)
        forms = sorted({match.group() for match in SEO_FORM.finditer(body)})
        title_brand = self._title_brand(page)
        if title_brand:
            evidence.append(f"title suffix {title_brand}")
        if len(forms) >= 2 or (forms and (title_brand or evidence)):
            evidence.extend(forms[:5])
        if evidence and (title_brand or len(forms) >= 2 or any(verdicts)):
            page.flag("spam-injection", "; ".join(evidence)[:200])
        stuffed = self._stuffed_title(page)
        if stuffed:
            page.flag("keyword-stuffed-title", stuffed)
        return verdicts

    @staticmethod
    def _stuffed_title(page: PageContext) -> str | None:
        """The title when 3+ of its segments repeat one another (粉尘仪/便携式粉尘仪/粉尘检测仪)."""
        if page.root is None:
            return None
        title = shadow(page.root.findtext(".//title") or "").strip()
        segments = [part.strip() for part in _TITLE_SPLIT.split(title) if part.strip()]
        if len(segments) < TITLE_SEGMENTS:
            return None
        if len(set(segments)) < len(segments):
            return title[:120]
        if len(segments) < TITLE_PHRASE_SEGMENTS:
            return None
        grams: Counter[str] = Counter()
        for segment in segments:
            pairs = (segment[i : i + 2] for i in range(len(segment) - 1))
            grams.update({pair for pair in pairs if _CJK_PAIR.match(pair)})
        top = grams.most_common(1)
        return title[:120] if top and top[0][1] >= TITLE_PHRASE_SHARED else None

    @staticmethod
    def _title_brand(page: PageContext) -> str | None:
        if page.root is None:
            return None
        title = shadow(page.root.findtext(".//title") or "").strip()
        suffix = _TITLE_SUFFIX.search(title)
        if suffix and SPAM_WORD.search(suffix.group(1)):
            return suffix.group(1)
        bracket = SEO_FORM.search(title)
        return bracket.group() if bracket else None


LINK_FARM_TOKENS = frozenset(
    {
        "yqlj", "youqing", "youlian", "friendlink", "friendlinks", "flink", "flinks", "links",
        "hotsearch", "hotword", "hotwords", "rmss", "rmbq", "tagcloud", "biaoqian", "bmdh",
    }
)
"""Class and id tokens of link-farm, tag-cloud and hot-search blocks, English and pinyin."""

LINK_FARM_SUBSTRINGS = ("friendlink", "youqing", "yqlj")


class DropLinkFarmBlocks(DomRule):
    """Remove link-farm, tag-cloud and hot-search blocks named by class or id (yqlj, friendlink)."""

    name: ClassVar[str] = "drop-link-farm-blocks"
    family: ClassVar[str] = "seo"
    reason: ClassVar[str] = "link farm or tag cloud block"
    summary: ClassVar[str] = "class/id yqlj, youqing, friendlink, flink, links, hotsearch, tagcloud"

    def find(self, root: HtmlElement, page: PageContext) -> Iterator[Removal]:
        """Yield link blocks that do not hold a large share of the page's text."""
        body = body_of(root)
        for element in guarded(body, page, named_elements(body, page, _LINK_FARM_NAMES)):
            yield Removal(element)


_LINK_FARM_NAMES = token_set(LINK_FARM_TOKENS, LINK_FARM_SUBSTRINGS)


OFFSCREEN_STYLE = re.compile(
    led_by(
        "ftlmochw",
        r"font-size\s*:\s*0(?:px|pt|em|rem)?\s*(?:;|$|!)|text-indent\s*:\s*-\d{3,}"
        r"|(?:left|top|margin-left|margin-top)\s*:\s*-\d{3,}(?:px|em)"
        r"|opacity\s*:\s*0(?:\.0+)?\s*(?:;|$|!)"
        r"|color\s*:\s*(?:transparent|rgba\([^)]{0,40},\s*0(?:\.0+)?\s*\))"
        r"|(?:height|width)\s*:\s*0(?:px)?\s*;[^\"]{0,80}overflow\s*:\s*hidden",
    ),
    re.I,
)
"""Text pushed off screen, shrunk to nothing or made transparent: hidden keywords."""


class DropOffscreenText(DomRule):
    """Remove text hidden by zero size, off-screen position or transparent colour."""

    name: ClassVar[str] = "drop-offscreen-text"
    family: ClassVar[str] = "seo"
    reason: ClassVar[str] = "text hidden off screen"
    summary: ClassVar[str] = "font-size:0, text-indent or left:-9999px, opacity:0, transparent"

    def find(self, root: HtmlElement, page: PageContext) -> Iterator[Removal]:
        """Yield small elements hidden by their inline style."""
        body = body_of(root)
        for element in guarded(body, page, styled(body), _is_offscreen):
            yield Removal(element)


def _is_offscreen(element: HtmlElement) -> bool:
    style = element.get("style")
    return style is not None and OFFSCREEN_STYLE.search(style) is not None
