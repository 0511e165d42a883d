"""Metadata stage: ISO 8601 dates, ``<meta>`` tags, JSON-LD, and the lines that say who and when.

This module holds no rules. The ``metadata`` rules (``pagetidy.rules.meta``) use its parsers on
the extracted text and move the lines they recognise into ``Metadata``; ``read_tags`` reads what
the page states in its head; ``scan_page`` reads the same kinds of lines from the page around the
title before extraction cuts it down (read only: text outside the content is not the result's);
``settle`` lets the editor stand in for a missing author.

Precedence, per field, is decided by ``offer`` from the kind of origin: for ``published`` a
machine-readable tag (JSON-LD, ``article:published_time``) beats a line, because it is written
for machines and carries the time zone; for ``author`` and ``source`` a line in the article beats
a tag, because ``<meta name="author">`` is often the site's name. Lines elsewhere on the page
come last. ``Metadata.origins`` names where each value came from.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import chain, islice
from typing import TYPE_CHECKING, Any

from lxml import etree

from pagetidy.normalize import as_read, shadow
from pagetidy.parse import body_of, iter_blocks
from pagetidy.patterns import led_by

if TYPE_CHECKING:
    from pagetidy.parse import HtmlElement
    from pagetidy.rules.base import PageContext

# --- dates ---------------------------------------------------------------------------------

_TIME = (
    r"(?:\s*|T|\s*[,，]\s*)(?P<ampm>上午|下午|晚上|凌晨|中午|早上)?\s*"
    r"(?P<H>[01]?\d|2[0-3])\s*(?:[:：]|时|点)\s*(?P<M>[0-5]\d)\s*分?"
    r"(?:\s*(?:[:：]\s*(?P<S>[0-5]\d)(?:\.\d{1,9})?|(?P<S2>[0-5]\d)\s*秒))?"
    r"(?:\s*(?P<pm>[AaPp][Mm])\b)?"
    r"(?:\s*(?P<tz>Z|[+-](?:0\d|1[0-4]):?[0-5]\d)(?![\d]))?"
)
"""An optional time of day after a date: ``17:03``, ``17:03:21``, ``17时03分``, ``下午5:03``,
``11:57 AM``, with a time zone when a tag gives one (``+08:00``, ``Z``)."""

_CN_VALUES = {char: value for value, char in enumerate("〇一二三四五六七八九")} | {"零": 0}
_CN_DIGITS = "〇零一二三四五六七八九"

DATE_PATTERN = re.compile(
    rf"(?=[\d民{_CN_DIGITS}])"  # the first characters of a date (see patterns.led_by)
    r"(?<![\d.])(?:"
    # 2024年9月26日, 2024-09-26, 2024/9/26, 2024.09.26 (the separator repeats)
    r"(?P<y>(?:19|20)\d{2})\s*(?:年\s*(?P<m1>[01]?\d)\s*月\s*(?P<d1>[0-3]?\d)\s*[日号]?"
    r"|(?P<sep>[-/.])\s*(?P<m2>[01]?\d)\s*(?P=sep)\s*(?P<d2>[0-3]?\d)(?!\d))"
    # 9/17/2004 5:54:13 AM: month first, as US-locale servers (ASP) print dates
    r"|(?P<um>[01]?\d)/(?P<ud>[0-3]?\d)/(?P<uy>(?:19|20)\d{2})(?!\d)"
    # 民國113年9月26日: the Republic of China calendar, year + 1911
    r"|(?:民国|民國)\s*(?P<roc>\d{2,3})\s*年\s*(?P<m3>[01]?\d)\s*月\s*(?P<d3>[0-3]?\d)\s*日?"
    # 二〇二四年九月二十六日, as government documents date themselves
    rf"|(?P<cy>[{_CN_DIGITS}]{{4}})年(?P<cm>[{_CN_DIGITS}十]{{1,2}})月(?P<cd>[{_CN_DIGITS}十]{{1,3}})日"
    r")(?:" + _TIME + r")?"
)
"""A full date (year, month, day) with an optional time; every part is range-checked later."""

_SHORT_DATE = re.compile(
    r"(?<![\d./-])(?:(?P<m>[01]?\d)\s*月\s*(?P<d>[0-3]?\d)\s*日|(?P<m2>[01]?\d)-(?P<d2>[0-3]\d)(?=\s+\d))"
    r"(?:" + _TIME + r")?"
)
"""A month and day without a year (``9月26日 17:03``, ``08-15 14:16``): needs a reference date."""

_RELATIVE = re.compile(
    r"(?:(?P<n>\d{1,3})\s*(?P<unit>秒|分钟|小时|天|周|个月)前|(?P<word>刚刚|今天|昨天|前天))"
    r"(?:\s*(?P<H>[01]?\d|2[0-3])[:：](?P<M>[0-5]\d))?"
)
"""``3小时前``, ``昨天 17:03``, ``刚刚``: relative to a reference date (the crawl date)."""

_COMPACT = re.compile(r"^\s*((?:19|20)\d{2})([01]\d)([0-3]\d)(?:([0-2]\d)([0-5]\d)([0-5]\d)?)?\s*$")
"""``20240926`` or ``20240926170300``, accepted only as a whole tag value."""

_RELATIVE_UNITS = {
    "秒": timedelta(seconds=1),
    "分钟": timedelta(minutes=1),
    "小时": timedelta(hours=1),
    "天": timedelta(days=1),
    "周": timedelta(weeks=1),
    "个月": timedelta(days=30),
}


@dataclass(frozen=True)
class DateMatch:
    """A date found in a text: its span and its ISO 8601 form."""

    start: int
    end: int
    iso: str


def _cn_number(text: str) -> int:
    """``二〇二四`` -> 2024 (digit by digit), ``二十六`` -> 26, ``十`` -> 10."""
    if "十" not in text:
        return int("".join(str(_CN_VALUES[char]) for char in text))
    tens, _, ones = text.partition("十")
    return (_CN_VALUES[tens] if tens else 1) * 10 + (_CN_VALUES[ones] if ones else 0)


def _clock(match: re.Match[str]) -> str:
    """``T17:03``, ``T17:03:21`` or ``T17:03+08:00`` from a match's time groups, or ``""``."""
    if match.group("H") is None:
        return ""
    hour, minute = int(match.group("H")), int(match.group("M"))
    marker = match.group("ampm") or ""
    if (marker in ("下午", "晚上") or (match.group("pm") or "").lower() == "pm") and hour < 12:
        hour += 12
    clock = f"T{hour:02d}:{minute:02d}"
    seconds = match.group("S") or match.group("S2")
    if seconds is not None:
        clock += f":{int(seconds):02d}"
    zone = match.group("tz")
    if zone:
        clock += zone if zone == "Z" or ":" in zone else f"{zone[:3]}:{zone[3:]}"
    return clock


def _ymd(year: int, month: int, day: int) -> str | None:
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    return value.isoformat() if 1900 <= year <= 2100 else None


def _full_date(match: re.Match[str]) -> str | None:
    if match.group("y"):
        year = int(match.group("y"))
        month = match.group("m1") or match.group("m2")
        day = match.group("d1") or match.group("d2")
        ymd = _ymd(year, int(month), int(day))
    elif match.group("uy"):
        month, day = int(match.group("um")), int(match.group("ud"))
        if month > 12:  # 26/9/2024 can only be day first
            month, day = day, month
        ymd = _ymd(int(match.group("uy")), month, day)
    elif match.group("roc"):
        ymd = _ymd(int(match.group("roc")) + 1911, int(match.group("m3")), int(match.group("d3")))
    else:
        try:
            parts = [_cn_number(match.group(name)) for name in ("cy", "cm", "cd")]
        except (KeyError, ValueError):
            return None  # 十十 or 二十十: not a number
        ymd = _ymd(*parts)
    return ymd + _clock(match) if ymd else None


def iter_dates(text: str, reference: datetime | None = None) -> Iterator[DateMatch]:
    """Every date in ``text`` with its span and ISO 8601 form, in order of position.

    Full dates always; month-day and relative dates only when a ``reference`` date is given.
    """
    found = [
        DateMatch(match.start(), match.end(), iso)
        for match in DATE_PATTERN.finditer(text)
        if (iso := _full_date(match))
    ]
    if reference is not None:
        found += [
            date for date in _relative_dates(text, reference)
            if not any(date.start < full.end and full.start < date.end for full in found)
        ]
    yield from sorted(found, key=lambda date: date.start)


def parse_reference(value: str | None) -> datetime | None:
    """The caller's reference date (``2024-09-26`` or ``2024-09-26T17:03``), or None."""
    if not value:
        return None
    return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).replace(tzinfo=None)


def parse_date(text: str, reference: datetime | None = None) -> str | None:
    """The first date in ``text`` as ISO 8601 (``2024-09-26T17:03``), or None.

    Dates without a year and relative dates (``3小时前``) are read only with a ``reference``
    (the crawl date); without one they are too ambiguous to guess.
    """
    folded = shadow(text)
    for found in iter_dates(folded):
        return found.iso
    compact = _COMPACT.match(folded)
    if compact:
        year, month, day, hour, minute, second = compact.groups()
        ymd = _ymd(int(year), int(month), int(day))
        if ymd and hour is not None and int(hour) < 24:
            ymd += f"T{hour}:{minute}" + (f":{second}" if second else "")
        return ymd
    if reference is None:
        return None
    return next((date.iso for date in _relative_dates(folded, reference)), None)


def _relative_dates(text: str, reference: datetime) -> Iterator[DateMatch]:
    """Month-day and relative dates in ``text``, resolved against ``reference``."""
    for short in _SHORT_DATE.finditer(text):
        month = int(short.group("m") or short.group("m2"))
        day = int(short.group("d") or short.group("d2"))
        ymd = _ymd(reference.year, month, day)
        # A month-day after the reference date belongs to the year before (crawled in January).
        if ymd and ymd > reference.date().isoformat():
            ymd = _ymd(reference.year - 1, month, day)
        if ymd:
            yield DateMatch(short.start(), short.end(), ymd + _clock(short))
    for relative in _RELATIVE.finditer(text):
        yield DateMatch(relative.start(), relative.end(), _resolve(relative, reference))


def _resolve(relative: re.Match[str], reference: datetime) -> str:
    word = relative.group("word")
    if word:
        moment = reference - timedelta(days={"刚刚": 0, "今天": 0, "昨天": 1, "前天": 2}[word])
        if relative.group("H") is not None:
            hour, minute = int(relative.group("H")), relative.group("M")
            return f"{moment.date().isoformat()}T{hour:02d}:{minute}"
        return moment.strftime("%Y-%m-%dT%H:%M") if word == "刚刚" else moment.date().isoformat()
    unit = relative.group("unit")
    moment = reference - _RELATIVE_UNITS[unit] * int(relative.group("n"))
    if unit in ("天", "周", "个月"):
        return moment.date().isoformat()
    return moment.strftime("%Y-%m-%dT%H:%M")


# --- precedence ----------------------------------------------------------------------------

_RANKS: dict[str, dict[str, int]] = {
    "published": {"json-ld": 6, "meta[published]": 6, "line": 5, "page": 4, "meta[other]": 3},
    "author": {"line": 6, "dom": 5, "json-ld": 4, "meta[article]": 4, "page": 4,
               "meta[other]": 3},
    "source": {"line": 6, "meta[other]": 4, "page": 4, "meta[site]": 2},
    "editor": {"line": 6, "page": 4},
}
"""Per field, how much each kind of origin is trusted; a higher rank replaces a lower one.
Origins not listed (``guess[...]``: a name or date merely near the title) rank 1."""

_PUBLISHED_TAGS = frozenset(
    {"article:published_time", "og:published_time", "og:release_date", "datepublished",
     "publishdate", "publish_date", "pubdate", "publishtime", "publish-date"}
)


def origin_kind(field: str, origin: str) -> str:
    """Classify an origin string (``meta[name=author]``, ``line[来源]``...) for ``_RANKS``."""
    if origin.startswith("json-ld"):
        return "json-ld"
    if origin.startswith(("line", "dateline", "byline")):
        return "line"
    if origin.startswith("page"):
        return "page"
    if origin.startswith("dom"):
        return "dom"
    if origin.startswith("meta["):
        key = origin[5:-1].split("=", 1)[-1].lower()
        if field == "published" and key in _PUBLISHED_TAGS:
            return "meta[published]"
        if key.startswith("article:"):
            return "meta[article]"
        if key in ("og:site_name", "application-name"):
            return "meta[site]"
        return "meta[other]"
    return "other"


def offer(page: PageContext, field: str, value: str, origin: str) -> bool:
    """Record ``value`` for ``field`` unless a value from a more trusted origin is already there."""
    current = page.origins.get(field)
    if current is None:
        return page.set_meta(field, value, origin)
    ranks = _RANKS.get(field, {})
    new = ranks.get(origin_kind(field, origin), 1)
    old = ranks.get(origin_kind(field, current), 1)
    return new > old and page.set_meta(field, value, origin, replace=True)


# --- values --------------------------------------------------------------------------------

_ORGANIZATION = re.compile(
    r"(?:网|报|社|台|刊|新闻|频道|中心|政府|委员会|局|厅|办公室|杂志|传媒|集团|公司|工作室)$"
    r"|网易|新浪|腾讯|搜狐|凤凰|财经|日报|新闻|[Nn]ews|[Mm]edia"
)
"""An outlet or company where a tag expects a person (``网易``, ``新京报``, ``X财经-自媒体``)."""

_PLACEHOLDER_NAMES = frozenset(
    {"佚名", "未知", "匿名", "不详", "本站", "本网", "admin", "administrator", "管理员", "网络",
     "互联网", "网友", "小编", "unknown", "none", "null"}
)
"""Values that name nobody: 佚名 means 'anonymous'; they are dropped rather than stored."""

@lru_cache(maxsize=1024)
def shadow_line(line: str) -> str:
    """``shadow(line)``, cached: the page scan, the metadata rules and each line parser fold the
    same lines again (a conversion costs more than the lookup)."""
    return shadow(line)


_PROSE = re.compile(r"[。!?;,，；！？]")
_MARKUP = re.compile(r"[=<>{}\"]|^\d+$|^[\w.-]+\.(?:com|cn|net|org)$", re.I)
"""Not a name: markup left in the text (size="20"), a bare number (an id), a domain."""


def plausible_name(value: str, limit: int = 30) -> bool:
    """A name or outlet: short, a letter or digit in it, no sentence punctuation, no placeholder."""
    value = value.strip()
    if not value or len(value) > limit or _PROSE.search(shadow(value)) or _MARKUP.search(value):
        return False
    if not any(char.isalnum() for char in value):
        return False  # 来源：# . names nothing
    return value.lower() not in _PLACEHOLDER_NAMES


# --- <meta> tags and JSON-LD ---------------------------------------------------------------

_TAG_FIELDS: dict[str, str] = {
    "article:published_time": "published",
    "og:published_time": "published",
    "og:release_date": "published",
    "datepublished": "published",
    "publishdate": "published",
    "publish_date": "published",
    "publish-date": "published",
    "pubdate": "published",
    "publishtime": "published",
    "dc.date": "published",
    "dc.date.issued": "published",
    "date": "published",
    "article:author": "author",
    "og:article:author": "author",
    "author": "author",
    "dc.creator": "author",
    "byl": "author",
    "source": "source",
    "article:source": "source",
    "contentsource": "source",
    "og:site_name": "source",
}
"""``<meta name|property|itemprop=KEY content=...>`` keys (lower case) and the field they give."""


def read_tags(root: HtmlElement, page: PageContext) -> None:
    """Read published, author and source from ``<meta>`` tags and JSON-LD into ``page``."""
    reference = parse_reference(page.config.reference_date)
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip()
        field = _TAG_FIELDS.get(key.lower())
        content = (meta.get("content") or "").strip()
        if field is None or not content:
            continue
        origin = f"meta[{key}]"
        if field == "published":
            iso = parse_date(content, reference)
            if iso:
                offer(page, field, iso, origin)
        elif field == "author" and _ORGANIZATION.search(shadow(content)):
            continue  # <meta name="author" content="网易">: the site, not a person
        elif plausible_name(content) and not content.lower().startswith("http"):
            offer(page, field, content, origin)
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() == "application/ld+json" and script.text:
            _read_json_ld(script.text, page, reference)


def _read_json_ld(payload: str, page: PageContext, reference: datetime | None) -> None:
    try:
        data = json.loads(payload)
    except ValueError:
        return
    for item in _json_ld_items(data):
        published = item.get("datePublished")
        if isinstance(published, str):
            iso = parse_date(published, reference)
            if iso:
                offer(page, "published", iso, "json-ld")
        for name in _json_ld_names(item.get("author")):
            if plausible_name(name) and not _ORGANIZATION.search(shadow(name)):
                offer(page, "author", name, "json-ld")
                break


def _json_ld_items(data: Any) -> Iterator[dict[str, Any]]:
    """Objects of a JSON-LD document that describe an article (or anything with a date)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            if "datePublished" in item or "author" in item:
                yield item
            graph = item.get("@graph")
            if graph is not None:
                stack.append(graph)


def _json_ld_names(author: Any) -> Iterator[str]:
    if isinstance(author, str):
        yield author.strip()
    elif isinstance(author, dict) and isinstance(author.get("name"), str):
        if author.get("@type") != "Organization":  # the site, not a person
            yield author["name"].strip()
    elif isinstance(author, list):
        names = [name for entry in author for name in _json_ld_names(entry)]
        if names:
            yield " ".join(names)


# --- metadata lines ------------------------------------------------------------------------

_SOURCE_KEYS = (
    "信息来源", "稿件来源", "文章来源", "新闻来源", "内容来源", "消息来源", "本文来源", "来源",
    "稿源", "出处", "来自", "发布机构", "发布单位", "发文机关", "供稿单位", "供稿", "出自",
)
_AUTHOR_KEYS = (
    "原作者", "作者", "记者", "通讯员", "撰文", "撰稿人", "撰稿", "发帖人", "发布人", "发布者",
    "楼主", "文", "by",
)
_EDITOR_KEYS = (
    "责任编辑", "值班编辑", "责编", "编辑", "审核", "审校", "审稿", "校对", "终审", "初审",
    "复审", "一审", "二审", "三审", "监制", "编审", "主编", "编校",
)
_DATE_KEYS = (
    "发布时间", "发布日期", "发表时间", "发表日期", "发稿时间", "发文日期", "成文日期",
    "上传时间", "录入时间", "添加时间", "刊发时间", "刊登时间", "更新时间", "更新日期", "发布于",
    "发表于", "发布", "发表", "时间", "日期", "更新",
)
_DROPPED_KEYS = (
    "点击量", "点击数", "点击率", "点击", "浏览次数", "浏览量", "浏览", "阅读量", "阅读数",
    "阅读次数", "阅读", "访问量", "访问次数", "人气", "评论数", "评论", "字数", "文号",
    "文档序号", "索引号", "栏目", "摄影", "字体", "字号", "策划",
)
_KEY_FIELDS: dict[str, str | None] = {
    **dict.fromkeys(_SOURCE_KEYS, "source"),
    **dict.fromkeys(_AUTHOR_KEYS, "author"),
    **dict.fromkeys(_EDITOR_KEYS, "editor"),
    **dict.fromkeys(_DATE_KEYS, "published"),
    **dict.fromkeys(_DROPPED_KEYS, None),
}
"""The closed key set (simplified script: keys are matched on the shadow) and the field each
fills; None marks keys that are recognised as metadata but not kept (view counts, 字号)."""

WEAK_KEYS = frozenset({"时间", "日期", "发布", "发表", "更新", "文", "by", "来自"})
"""Keys that also occur in ordinary lines (an event's 时间：, 来自 a place): alone they are
evidence only at the top of the text."""

_BOUNDARY_KEYS = ("文", "by", "来自")
"""Short keys that must start a token, so 原文： or 近来自： do not read as keys."""

_KEY_PATTERN = re.compile(
    # The first character of a key, looked for first (see patterns.led_by).
    "(?=[" + re.escape("".join(sorted({key[0] for key in _KEY_FIELDS}))) + "])"
    r"(?:(?<![^\s\[【(（|/〓□■◆●·])(?P<bkey>" + "|".join(_BOUNDARY_KEYS) + r")"
    r"|(?P<key>" + "|".join(sorted(
        (key for key in _KEY_FIELDS if key not in _BOUNDARY_KEYS), key=len, reverse=True)) + r"))"
    r"(?P<sep>\s*[:：]\s*|\s*(?=(?:19|20)\d{2}\D|[01]?\d/[0-3]?\d/(?:19|20)\d{2})|(?<=by)\s+|(?<=出自)\s*)",
)

_UI_PATTERN = re.compile(
    r"分享到\S*|打印(?:本页|此文)?|关闭(?:窗口)?|收藏(?:本文)?|我要评论|发表评论|参与评论|我来说两句"
    r"|【?[\[(（]?\s*字[体号]\s*[:：]?\s*大\s*中\s*小\s*[\])）]?】?|[\[(（]\s*\d+\s*[\])）]"
    r"|第\d+页\s*/\s*共\d+页|上一页|下一页|<<|>>|共\s*\d+\s*字|\d+\s*字"
)
"""Toolbar words that share a line with the metadata; they end a value and go with the line."""

_RESIDUE_FREE = re.compile(
    r"https?://\S+"
    r"|(?<![A-Za-z0-9.-])(?:www\.)?[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,6}"
    r"\.(?:com|cn|net|org|gov|edu|tw|hk)"
    r"(?:\.cn)?|星期[一二三四五六日天]|周[一二三四五六日天]|[\s|｜丨/／\\\-—–_·•()（）\[\]【】〓□■◇◆●<>:：]"
    r"|更新|发布",
    re.I,
)
"""What may sit on a metadata line besides keys, values and dates: separators, brackets, the
site's domain, a weekday, 更新 after a date."""

_CLOCK = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
"""A time of day left from a date cut off by the page (``02日14:25``): not an unknown key."""
_VALUE_STOP = re.compile(r"[|｜丨【\[\]】)）〓]")
_NAME_LIMIT = 20
_LINE_LIMIT = 120
SHORT_LINE = 40


@dataclass(frozen=True)
class FieldValue:
    """One key-value pair of a metadata line; ``field`` is None for keys not kept."""

    field: str | None
    key: str
    """The key as the page wrote it (original script), e.g. ``文章來源``."""
    value: str
    """The value in the original text (a date already in ISO 8601 for ``published``)."""


@dataclass(frozen=True)
class MetaLine:
    """A line recognised as metadata: its values, how many signals it has, whether all are weak."""

    values: tuple[FieldValue, ...]
    signals: int
    weak: bool


_Mark = tuple[int, int, str, Any]
"""(start, end, kind, payload): a key, a date or a toolbar word found in the folded line."""


def parse_meta_line(line: str, reference: datetime | None = None) -> MetaLine | None:
    """Read a line made of metadata (``来源：红网 作者：冯帅 2025-11-27 09:41``), else None.

    A line qualifies only if it is made of known keys with short name-shaped values, dates and
    toolbar words; any prose (sentence punctuation, a long leftover, an unknown ``key：``) keeps
    it out. The caller decides, from ``signals`` and ``weak``, whether one field is enough.

    The line is read as its clean form will read (``as_read``): a verdict that hung on a double
    space or a control character would change when the text is cleaned again.
    """
    line = as_read(line)
    if not line or len(line) > _LINE_LIMIT:
        return None
    folded = shadow_line(line)
    keys = _key_marks(folded)
    if not keys:
        return None  # most lines: no dates or toolbar words need looking for
    marks = _marks(folded, reference, keys)
    covered = [False] * len(folded)
    values: list[FieldValue] = []
    dates: list[str] = []
    signals = 0
    strong = False
    for index, (start, end, kind, payload) in enumerate(marks):
        covered[start:end] = [True] * (end - start)
        if kind == "date":
            signals += 1
            dates.append(payload)
        if kind != "key":
            continue
        key, field = payload
        signals += 1
        strong = strong or key not in WEAK_KEYS
        next_mark = marks[index + 1] if index + 1 < len(marks) else (len(folded), 0, "end", None)
        value_end = _value_end(folded, end, next_mark[0])
        covered[end:value_end] = [True] * (value_end - end)
        raw_value = line[end:value_end].strip().strip("[]【】()（） ")
        if field == "published" and not raw_value and next_mark[2] == "date":
            continue  # the date right after the key is its value: key and date shape, two signals
        ok, value = _field_value(field, line[start : start + len(key)], raw_value, reference)
        if not ok:
            return None
        if value is not None:
            values.append(value)
    if not _residue_allowed(folded, covered, signals):
        return None
    if dates and not any(value.field == "published" for value in values):
        values.append(FieldValue("published", "", dates[0]))
    if not values:
        return None
    return MetaLine(tuple(values), signals, weak=not strong and signals < 2)


def _key_marks(folded: str) -> list[_Mark]:
    """The keys of a folded line, in order of position."""
    marks: list[_Mark] = []
    for match in _KEY_PATTERN.finditer(folded):
        key = match.group("bkey") or match.group("key")
        field = _KEY_FIELDS[key]
        if ":" not in match.group("sep") and field != "published" and key not in ("by", "出自"):
            continue
        marks.append((match.start(), match.end(), "key", (key, field)))
    return marks


def _marks(folded: str, reference: datetime | None, keys: list[_Mark]) -> list[_Mark]:
    """``keys``, then dates and toolbar words where no key is, in order of position."""
    marks = list(keys)
    spans: list[_Mark] = [
        (date.start, date.end, "date", date.iso) for date in iter_dates(folded, reference)
    ]
    spans += [(match.start(), match.end(), "ui", None) for match in _UI_PATTERN.finditer(folded)]
    for start, end, kind, payload in spans:
        if not any(left < end and start < right for left, right, _, _ in marks):
            marks.append((start, end, kind, payload))
    return sorted(marks, key=lambda mark: mark[0])


def _field_value(
    field: str | None, key: str, raw_value: str, reference: datetime | None
) -> tuple[bool, FieldValue | None]:
    """Check one key's value: (False, None) rejects the line, (True, None) keeps nothing."""
    if not raw_value:
        return True, None
    if field == "published":
        iso = parse_date(raw_value, reference)
        return (True, FieldValue(field, key, iso)) if iso else (False, None)
    if field is None:
        return len(raw_value) <= _NAME_LIMIT, None
    if plausible_name(raw_value, _NAME_LIMIT if field in ("author", "editor") else 30):
        return True, FieldValue(field, key, raw_value)
    # Markup left in the text (size="20") or 佚名 names nobody; other values are prose:
    # 作者：张三认为… is a sentence.
    return bool(_MARKUP.search(raw_value) or raw_value.lower() in _PLACEHOLDER_NAMES), None


def _residue_allowed(folded: str, covered: list[bool], signals: int) -> bool:
    """Whether what no key, value, date or toolbar word took is separators and little more."""
    residue = "".join(char for char, done in zip(folded, covered, strict=True) if not done)
    if ":" in _CLOCK.sub("", residue):
        return False  # an unknown key (地点：, 出版社：): a table or a notice, not a byline
    residue = _RESIDUE_FREE.sub("", residue)
    if len(residue) > 12 or _PROSE.search(residue):
        return False
    return not residue or signals >= 2


def _value_end(folded: str, start: int, limit: int) -> int:
    """Where a value that starts at ``start`` ends: the next mark, or a hard stop before it."""
    # Skip an opening bracket: 来源：[ 人民网 ] keeps its value inside the brackets.
    cursor = start
    while cursor < limit and folded[cursor] in " [【(（":
        cursor += 1
    stop = _VALUE_STOP.search(folded, cursor, limit)
    return stop.start() if stop else limit


_ROLE = re.compile(r"(?:本报|本刊|本台|本网|本站)?(?:特约|实习)?(?:记者|通讯员|实习生)")
_NAME = r"[\u3400-\u9fff][\u3400-\u9fff·]{1,3}"
_BYLINE = re.compile(
    r"^[\s□■◇◆●▲△○◎★☆]*[(（【\[]?\s*"
    r"(?P<outlet>[\u3400-\u9fffA-Za-z0-9·]{2,16}(?:\s[\u3400-\u9fffA-Za-z0-9·]{2,16})?\s*)??"
    r"(?P<body>(?:" + _ROLE.pattern + r")\s*" + _NAME + r"(?:(?:\s+|、|,)" + _NAME + r")*?"
    r"(?:\s*(?:" + _ROLE.pattern + r")\s*" + _NAME + r"(?:(?:\s+|、|,)" + _NAME + r")*?)*)"
    r"(?:\s*(?:/\s*(?:文|摄|图)|摄影?|报[道导]|/?\s*[\u3400-\u9fff]{1,8}报[道导]|发自[\u3400-\u9fff]{2,8}"
    r"|受访者供图|供图))*\s*[)）】\]]?\s*$"
)
"""``本报记者 张三``, ``新华社记者 张三 李四``, ``光明日报记者 王建宏``, ``记者马俊峰/文``."""

_PHOTO_CREDIT = re.compile(r"(?:图片|摄影|视频)(?:记者|通讯员)|摄影?\s*[)）】\]]?\s*$")
_DATELINE = re.compile(
    r"电\s*[(（]\s*(?P<body>(?:" + _ROLE.pattern + r")\s*" + _NAME
    + r"(?:(?:\s+|、|,)" + _NAME + r")*)\s*[)）]"
)
"""``新华社拉萨电（记者 格桑边觉）``: the reporter named in a news dateline."""


PATTERN_INPUT_LIMITS: dict[re.Pattern[str], int] = {_BYLINE: SHORT_LINE}
"""Patterns only ever applied to input of bounded length (the caller checks it first), with
that bound: the regex-safety test attacks them at that length, where only an exponential
pattern could still be slow."""


def parse_byline(line: str) -> str | None:
    """The reporters named by a byline line (``本报记者 张三 李四``), joined by spaces, or None."""
    stripped = as_read(line)
    if not stripped or len(stripped) > SHORT_LINE:
        return None
    folded = shadow_line(stripped)
    match = _BYLINE.match(folded)
    if not match or _PHOTO_CREDIT.search(folded):
        return None  # a photographer's credit under a picture names no author of the text
    return _names(stripped[match.start("body") : match.end("body")])


_CREDIT = re.compile(
    r"[(（]\s*(?P<body>(?:(?:" + _ROLE.pattern + r")\s*)?" + _NAME
    + r"(?:(?:\s+|、|,)" + _NAME + r")*)\s*(?P<place>/\s*[\u3400-\u9fff]{1,8}报[道导])?\s*[)）]\s*$"
)
"""``…推动云南工业高质量发展。（记者 胡晓蓉）``, ``（王煌忠／台中報導）`` ending a paragraph."""


def parse_dateline(line: str) -> str | None:
    """Reporters named in a paragraph's dateline (``电（记者 张三）``) or closing credit."""
    match = _DATELINE.search(shadow_line(line[:200]))
    if match:
        return _names(line[match.start("body") : match.end("body")])
    tail_start = max(0, len(line) - 40)
    credit = _CREDIT.search(shadow_line(line[tail_start:]))
    if credit is None or not (credit.group("place") or _ROLE.search(credit.group("body"))):
        return None  # （张三） alone could be anything; a role or a 报道 makes it a credit
    return _names(line[tail_start + credit.start("body") : tail_start + credit.end("body")])


def _names(body: str) -> str | None:
    names = [part for part in re.split(r"[\s、,，]+", _ROLE.sub(" ", shadow(body))) if part]
    if not names:
        return None
    # Names are read from the shadow for splitting, then taken back in the page's script.
    result: list[str] = []
    folded = shadow(body)
    for name in names:
        start = folded.find(name)
        result.append(body[start : start + len(name)])
    return " ".join(result)


_DATE_LINE_PREFIX = re.compile(
    r"^[\s(（\[【]*(?:(?:https?://)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/?\s*)?$"
)
_DATE_LINE_SUFFIX = re.compile(
    r"^(?:\s*(?:星期[一二三四五六日天]|周[一二三四五六日天]))?\s*(?:更新|发布)?\s*[)）\]】]?"
    r"\s*(?P<rest>[^\s:：,，。!！?？;；]{1,16})?\s*$"
)
_OUTLET_SUFFIX = re.compile(r"(?:网|报|社|台|刊|新闻|频道|中心|政府|委员会|局|厅|部|办公室|杂志)$")


@dataclass(frozen=True)
class DateLine:
    """A line holding a date, optionally the site's domain and the outlet's name."""

    published: str
    outlet: str | None
    """A trailing outlet name (``光明网``, ``北京娱乐信报``), when it looks like one."""
    extra: bool
    """True when the line holds a trailing short name that is not an outlet (leave such a line)."""


def parse_date_line(line: str) -> DateLine | None:
    """A line that is a date (``2022年02月13日 09:57 光明网``, ``AUTO.SOHU.COM 2005-05-13``)."""
    stripped = as_read(line)
    if not stripped or len(stripped) > SHORT_LINE + 10:
        return None
    folded = shadow_line(stripped)
    found = next(iter_dates(folded), None)
    if found is None or not _DATE_LINE_PREFIX.match(folded[: found.start]):
        return None
    match = _DATE_LINE_SUFFIX.match(folded[found.end :])
    if not match:
        return None
    rest = match.group("rest")
    if not rest:
        return DateLine(found.iso, None, extra=False)
    outlet = stripped[found.end + match.start("rest") : found.end + match.end("rest")]
    if _OUTLET_SUFFIX.search(rest):
        return DateLine(found.iso, outlet, extra=False)
    return DateLine(found.iso, None, extra=True)


# --- the whole page ------------------------------------------------------------------------

_AFTER_TITLE = 30
"""Lines after the title where a bare date line is read as the publication date."""


def scan_page(root: HtmlElement, page: PageContext) -> None:
    """Read metadata lines from the page around the title, as weaker evidence (``page[...]``).

    Runs before the DOM rules cut the page down to its main content: the byline or date often
    sits just outside the container the extractor keeps. Nothing is removed here. Reading starts
    at the title's line (a site header above it shows today's date; without a title line, at the
    top), stops ``_SCAN_LINES`` lines later or once the date and the author are known, and is
    skipped when the tags gave both.
    """
    read_author_elements(root, page)
    if "published" in page.values and "author" in page.values:
        return
    title = page.values.get("title")
    reference = parse_reference(page.config.reference_date)
    from_title = _lines_from_title(root, title) if title else None
    if from_title is None:
        lines: Iterator[str] = _visible_lines([body_of(root)])
    else:
        # The title's container opens with the title (perhaps after a kicker): read below it.
        opening = list(islice(from_title, _NEAR_TITLE))
        at = next((i for i, line in enumerate(opening) if _holds_title(line, title or "")), -1)
        lines = chain(opening[at + 1 :], from_title)
    below: list[str] = []
    for line in islice(lines, _SCAN_LINES):
        below.append(line)
        if might_hold_metadata(line):
            _read_line(line, len(below), page, reference)
        if "published" in page.values and "author" in page.values:
            break
    if from_title is not None:
        _guess_near_title(below, page)


_SCAN_LINES = 100
_TRIGGER = re.compile(
    r"(?=[:：\d记記通实實b报報])"
    r"(?:[:：]|(?:19|20)\d\d|\d/(?:19|20)|记者|記者|通讯员|通訊員|实习生|實習生|by\s|[报報][道导導])"
)
"""A line can only be a metadata line, byline or date line if it holds one of these. The
lookahead for their first characters lets the engine skip ahead (no match changes)."""


def might_hold_metadata(line: str) -> bool:
    """A cheap test before the parsers: False means no parser here can match the line."""
    return _TRIGGER.search(line) is not None


_CONTAINER_TEXT = 300
"""Climb from the title's element while its parent holds less text than this beyond the title."""


def _read_line(line: str, number: int, page: PageContext, reference: datetime | None) -> None:
    parsed = parse_meta_line(line, reference)
    if parsed and (parsed.signals >= 2 or (not parsed.weak and len(line) <= SHORT_LINE)):
        for value in parsed.values:
            assert value.field is not None
            offer(page, value.field, value.value, f"page[{value.key or 'date'}]")
        return
    names = parse_byline(line) or parse_dateline(line)
    if names:
        offer(page, "author", names, "page[byline]")
        return
    if number <= _AFTER_TITLE:
        dated = parse_date_line(line)
        if dated:
            offer(page, "published", dated.published, "page[date]")


_TEXT_CONTAINING = etree.XPath("descendant-or-self::body/descendant::text()[contains(., $needle)]")
"""``//body//text()[contains(., $needle)]`` from the root element, compiled once; the axes
spelt out cost less than ``//``."""


_FIRST_TEXT_CONTAINING = etree.XPath(
    "descendant-or-self::body/descendant::text()[contains(., $needle)][1]"
)
"""The first of ``_TEXT_CONTAINING``'s hits: libxml2 stops at it, which costs far less."""


def _lines_from_title(root: HtmlElement, title: str) -> Iterator[str] | None:
    """Lines from the container around the title's element onward, or None if it is not found."""
    needle = title[:16]
    limit = len(title) + 13

    def holds_title(hit: Any) -> bool:
        # The title's own element holds little more than the title: a heading, not a link list.
        return not hit.is_tail and not _text_at_least(hit.getparent(), limit)

    first: list[Any] = _FIRST_TEXT_CONTAINING(root, needle=needle)  # type: ignore[assignment]
    if first and holds_title(first[0]):
        element: HtmlElement | None = first[0].getparent()  # the usual case
    else:
        hits: list[Any] = _TEXT_CONTAINING(root, needle=needle)  # type: ignore[assignment]
        element = next((hit.getparent() for hit in hits[:10] if holds_title(hit)), None)
    if element is None:
        return None
    body = body_of(root)
    container: HtmlElement = element
    # Climb while the parent is still a small header around the title (title, kicker, byline).
    while container is not body:
        parent = container.getparent()
        if parent is None or parent is body or _text_at_least(parent, len(title) + _CONTAINER_TEXT):
            break
        container = parent
    return _visible_lines(_document_from(container, body))


def _text_at_least(element: HtmlElement, limit: int) -> bool:
    """Whether ``element`` holds at least ``limit`` characters of text (stops counting there)."""
    total = 0
    for piece in element.itertext():
        total += len(str(piece).strip())
        if total >= limit:
            return True
    return False


def _document_from(container: HtmlElement, body: HtmlElement) -> Iterator[HtmlElement]:
    """``container``, then every subtree after it in document order, up to the end of ``body``."""
    yield container
    node: HtmlElement | None = container
    while node is not None and node is not body:
        yield from node.itersiblings()
        node = node.getparent()


def _visible_lines(elements: Iterable[HtmlElement]) -> Iterator[str]:
    """The non-empty lines of ``elements`` and their tails, without script and style text."""
    for element in elements:
        if not isinstance(element.tag, str) or element.tag in ("script", "style"):
            continue
        # Script text would glue onto the block around it; blank it while reading, then restore.
        hidden = [(node, node.text) for node in element.iter("script", "style") if node.text]
        for node, _ in hidden:
            node.text = None
        try:
            for block in iter_blocks(element):
                yield from (line.strip() for line in block.text.split("\n") if line.strip())
        finally:
            for node, text in hidden:
                node.text = text
        if element.tail and element.tail.strip():
            yield element.tail.strip()


def _holds_title(line: str, title: str) -> bool:
    return line == title or (title in line and len(line) <= len(title) + 12)


_NAME_LINE = re.compile(r"^" + _NAME + r"(?:[\s、,，]+" + _NAME + r"){0,3}$")
_NOT_NAMES = frozenset(
    {
        "摘要", "前言", "引言", "正文", "目录", "简介", "导语", "导读", "概述", "序言",
        "后记", "附录", "注释", "参考文献", "评论", "相关", "推荐", "返回", "首页",
        "上一页", "下一页", "打印", "关闭", "分享", "收藏", "全文", "原文", "图片",
        "视频", "专题", "新闻", "公告", "通知", "今天", "昨天", "前天", "刚刚", "更多", "登录",
        "注册", "搜索", "热门", "最新", "置顶",
    }
)
"""Short lines after a title that are headings or links, not an author's name."""
_CITATION = re.compile(
    r"^[—\-－\s(（]*(?:(?:原载|摘自|转自|选自|刊于|载于?)\s*)?《(?P<outlet>[^》]{1,20})》\s*"
    r"(?P<y>(?:19|20)\d{2})\s*年\s*(?:第\s*\d{1,2}\s*期|(?P<m>[01]?\d)\s*月号?)\s*[)）]?$"
)
"""``——《北京之春》1998年3月号``: a magazine issue a reprinted article cites."""
_NEAR_TITLE = 6


def _guess_near_title(lines: list[str], page: PageContext) -> None:
    """Weakest guesses, from the lines right under the title: a name alone, a timestamp."""
    below = lines[:_NEAR_TITLE]
    if below:
        first = shadow_line(below[0])
        if _NAME_LINE.match(first) and first not in _NOT_NAMES:
            offer(page, "author", below[0], "guess[name under the title]")
    for line in below:
        if len(line) > 80:
            continue
        found = next(iter_dates(shadow_line(line)), None)
        if found and "T" in found.iso:
            offer(page, "published", found.iso, "guess[time under the title]")
            break


def parse_citation(line: str) -> str | None:
    """The issue a reprint cites (``——《北京之春》1998年3月号`` -> ``1998-03``), or None."""
    match = _CITATION.match(shadow_line(line.strip())) if len(line) <= 60 else None
    if not match:
        return None
    return match.group("y") + (f"-{int(match.group('m')):02d}" if match.group("m") else "")


_AUTHOR_CLASSES = ("author", "byline", "writer", "zuozhe", "reporter", "article-author")
"""Class tokens, itemprop and rel values that mark an element as the author (trafilatura's)."""
_AUTHOR_MARK = re.compile(led_by("abwzr", "|".join(_AUTHOR_CLASSES)), re.I)


_MARK_ATTRIBUTES = etree.XPath(
    " | ".join(f"descendant-or-self::body/descendant-or-self::*/@{name}"
               for name in ("class", "itemprop", "rel"))
)
"""``//body//@class|//body//@itemprop|//body//@rel`` from the root element (body's own included),
compiled once, with the axes spelt out."""


def read_author_elements(root: HtmlElement, page: PageContext) -> None:
    """An author named by an element marked ``class="author"`` / ``itemprop="author"``."""
    # Attribute values are far fewer than elements: filter them, then climb to their element.
    values: list[Any] = _MARK_ATTRIBUTES(root)  # type: ignore[assignment]
    unique = set(values)  # names repeat
    if _AUTHOR_MARK.search("\n".join(unique)) is None:
        return  # half the pages: one search over all the names (no mark spans a line break)
    hits = {value for value in unique if _AUTHOR_MARK.search(value)}
    marked: list[HtmlElement] = [value.getparent() for value in values if value in hits]
    for element in marked[:5]:
        tokens = (element.get("class") or "").lower().split()
        if not (any(token.startswith(_AUTHOR_CLASSES) for token in tokens)
                or element.get("itemprop") == "author"
                or element.get("rel") == "author"):
            continue  # the pattern also matched authority, co-author-list...
        if _text_at_least(element, SHORT_LINE + 1):
            continue
        text = " ".join("".join(str(piece) for piece in element.itertext()).split())
        if not text:
            continue
        parsed = parse_meta_line(text)
        if parsed:
            for value in parsed.values:
                if value.field == "author":
                    offer(page, "author", value.value, "dom[author]")
                    return
            continue
        names = parse_byline(text)
        if names:
            offer(page, "author", names, "dom[author]")
            return
        if _NAME_LINE.match(shadow(text)) and plausible_name(text):
            offer(page, "author", text, "dom[author]")
            return


_STAFF_CODE = re.compile(r"(?<![\s_])[\s_]*[A-Za-z]{1,4}\d{2,6}$")
"""A portal's staff code after an editor's name: 杨倩_NF4425, 韩保林 PK155."""


def settle(page: PageContext) -> None:
    """Last step: with no author named anywhere, the responsible editor is the attribution.

    Chinese news pages often credit only a 责任编辑; GNE and the references people make read that
    name as the author. Only a person's name is taken (not a staff code such as ``NF041``), and
    ``origins["author"]`` says it was the editor.
    """
    editor = page.values.get("editor")
    if not editor or "author" in page.values:
        return
    name = _STAFF_CODE.sub("", editor)
    if _NAME_LINE.match(shadow(name)):
        page.set_meta("author", name, f"editor ({page.origins['editor']}), no author given")
