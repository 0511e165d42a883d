"""Metadata family: lines that say what, who and when, moved from the text into ``Metadata``.

A 来源/作者/责任编辑/发布时间 line is not content, but it is not junk either: its values go to
``Result.metadata`` (through ``metadata.offer``, which weighs them against ``<meta>`` tags) and
the edit's reason says where (``moved to metadata.source, metadata.published``). The parsers
live in ``pagetidy.metadata``; these rules decide where in the text a line may be taken from.
A line with one field is only taken near the top or the bottom of the text, where bylines and
credits sit; a line with several fields, or a date and a field, is taken anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

from pagetidy.metadata import (
    SHORT_LINE,
    FieldValue,
    iter_dates,
    might_hold_metadata,
    offer,
    parse_byline,
    parse_citation,
    parse_date_line,
    parse_dateline,
    parse_meta_line,
    parse_reference,
    shadow_line,
)
from pagetidy.normalize import as_read, shadow
from pagetidy.parse import strip_site_suffix
from pagetidy.rules.base import Change, Line, PageContext, TextRule, line_removals
from pagetidy.rules.lines import lines_of

if TYPE_CHECKING:
    from pagetidy.pipeline import Config

EDGE_LINES = 8
"""How many non-empty lines at the top and at the bottom count as the edges of the text."""
TOP_LINES = 5
"""Weak single-field lines (时间：…) are taken only among the first lines."""


def _edges(lines: list[Line], title: str | None) -> tuple[set[int], set[int], set[int]]:
    """Indexes of the top, head and tail lines where a single metadata field may be taken.

    The top is the first TOP_LINES non-empty lines, the head the first EDGE_LINES, the tail the
    last EDGE_LINES. The TOP_LINES lines under a line holding the title count as top and head as
    well: menus above the headline (a crawler's text, a loose extraction) push the byline down.
    """
    filled = [line.number for line in lines if line.text.strip()]
    top, head = set(filled[:TOP_LINES]), set(filled[:EDGE_LINES])
    if title:
        for position, index in enumerate(filled):
            text = lines[index].text.strip()
            if _holds_title(text, title):
                top.update(filled[position + 1 : position + 1 + TOP_LINES])
                break
        head |= top
    return top, head, set(filled[-EDGE_LINES:])


def _holds_title(text: str, title: str) -> bool:
    """The line is the title, the title with a little more, or the title without its site."""
    if title in text:
        return len(text) <= len(title) + 12
    return len(text) >= 6 and text in title


CREDIT_KEYS = frozenset({"责任编辑", "值班编辑", "责编"})
"""Editorial credits a CMS prints under the article: never content, wherever they land (a
related-articles list the extractor kept can push them out of the tail)."""

_EMPTY_CREDIT = re.compile(r"[\[【(（]? ?(?:责任编辑|值班编辑|责编) ?[:：] ?[\]】)）]?")
"""A credit whose value the CMS left empty (``责任编辑：``): nothing to move, nothing to keep."""


def _is_credit(values: tuple[FieldValue, ...]) -> bool:
    return all(value.field == "editor" and shadow(value.key) in CREDIT_KEYS for value in values)


def _moved(fields: list[str]) -> str:
    return "moved to " + ", ".join(f"metadata.{field}" for field in dict.fromkeys(fields))


class MoveTitleLine(TextRule):
    """Take a plain-text page's first line as its title when it reads as a headline."""

    name: ClassVar[str] = "move-title-line"
    family: ClassVar[str] = "metadata"
    reason: ClassVar[str] = "moved to metadata.title"
    summary: ClassVar[str] = "the headline a crawler put on the first line of a plain-text page"
    idempotent: ClassVar[bool] = False
    """The clean text's first line can look like a headline again, so a second pass may move it."""

    _LIST_MARKER = re.compile(
        r"^\s*(?:\d{1,3}[.、)）]|[一二三四五六七八九十]{1,3}[、.]|[(（][一二三四五六七八九十\d]{1,3}[)）])"
    )
    """1. / 一、 / （一）: a list item or a section heading, not the page's headline."""
    _NOT_HEADLINE = re.compile(
        "[。;；]\\s*\\S|https?://|www\\.|[|｜>»\u203a]|[，,、;；:：]$|首页|登录|注册"
    )
    """A sentence break inside, a link, a menu separator, a trailing comma, a site's menu word."""
    _HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
    _DATELINE = re.compile(r"\d{1,2}月\d{1,2}日电|^\S{0,12}[电電][(（\s]")

    def find(self, text: str, page: PageContext) -> Iterator[Change]:
        """Remove the first line into ``metadata.title`` when it is safe to call it a headline."""
        if page.kind != "text" or page.values.get("title"):
            return
        everything = list(lines_of(text))
        lines = [line for line in everything if line.text.strip()]
        if len(lines) < 2:
            return
        first = lines[0]
        candidate = first.text.strip()
        if not (self._shaped(candidate) and self._set_apart(first, lines[1:], everything)):
            return
        # 标题_新浪网: the site's name goes, as for an HTML <title>.
        page.set_meta("title", strip_site_suffix(candidate), "first line")
        verdicts: list[str | None] = [None] * len(everything)
        verdicts[first.number] = ""
        yield from line_removals(text, everything, verdicts)

    def _shaped(self, candidate: str) -> bool:
        """A short line of words: not a sentence, list item, menu, dateline or metadata line."""
        if not 6 <= len(candidate) <= 80 or len(self._HAN.findall(candidate)) < 4:
            return False
        if self._LIST_MARKER.match(candidate) or self._NOT_HEADLINE.search(candidate):
            return False
        commas = candidate.count("，") + candidate.count(",")
        if candidate.endswith(("。", "…", "...")) or commas > 2:
            return False
        if self._DATELINE.search(candidate) or candidate.count(" ") >= 4:
            return False  # 新华社北京5月19日电 opens a story; many spaces make a table header
        if next(iter_dates(shadow(candidate)), None) is not None:
            return False  # a timestamp line (TNW中文站2016年10月14日07:17)
        return not (parse_meta_line(candidate) or parse_byline(candidate))

    def _set_apart(self, first: Line, rest: list[Line], everything: list[Line]) -> bool:
        """The line stands apart from what follows: a blank line, metadata, or a paragraph."""
        candidate = first.text.strip()
        if sum(len(line.text.strip()) for line in rest) < 2 * len(candidate):
            return False
        following = rest[0].text.strip()
        clause = _CLAUSE_END.search(following)
        if clause and clause.start() < 6:
            return False  # 会议。按照惯例…: the first line's sentence goes on (hard-wrapped prose)
        after = first.number + 1
        blank_after = after < len(everything) and not everything[after].text.strip()
        under = parse_meta_line(following) or parse_byline(following) or parse_date_line(following)
        repeated = any(line.text.strip() == candidate for line in rest[:5])
        paragraph = len(following) >= 2 * len(candidate) and following.endswith(_SENTENCE_END)
        return bool(blank_after or under or repeated or paragraph)


_SENTENCE_END = ("。", "！", "？", "”", "」", "!", "?", ".", "…")
_CLAUSE_END = re.compile(r"[。！？，；,;!?]")


class MoveMetadataLine(TextRule):
    """Move 来源/作者/编辑/发布时间 lines, one field or several on a line, into metadata."""

    name: ClassVar[str] = "move-metadata-line"
    family: ClassVar[str] = "metadata"
    reason: ClassVar[str] = "metadata line"
    summary: ClassVar[str] = (
        "来源：红网 作者：冯帅 2025-11-27 09:41; 文章来源: 红星网  时间: 2024-09-26 17:03;"
        " （责任编辑：X）"
    )

    def __init__(self, config: Config) -> None:
        super().__init__(config)
        self.reference = parse_reference(config.reference_date)

    def find(self, text: str, page: PageContext) -> Iterator[Change]:
        """Remove each metadata line after offering its values to the page's metadata."""
        lines = list(lines_of(text))
        top, head, tail = _edges(lines, page.values.get("title"))
        verdicts: list[str | None] = [None] * len(lines)
        for line in lines:
            if not might_hold_metadata(line.text):
                continue
            parsed = parse_meta_line(line.text, self.reference)
            if parsed is None:
                if _EMPTY_CREDIT.fullmatch(shadow(as_read(line.text))):
                    verdicts[line.number] = "empty editor credit"
                continue
            if parsed.signals < 2:
                near = top if parsed.weak else head | tail
                placed = line.number in near or _is_credit(parsed.values)
                if not placed or len(line.text.strip()) > SHORT_LINE:
                    continue
            fields: list[str] = []
            for value in parsed.values:
                assert value.field is not None
                offer(page, value.field, value.value, f"line[{value.key or 'date'}]")
                fields.append(value.field)
            verdicts[line.number] = _moved(fields)
        yield from line_removals(text, lines, verdicts)


class MoveByline(TextRule):
    """Move reporter bylines (本报记者 张三) into metadata.author; read datelines' reporters."""

    name: ClassVar[str] = "move-byline"
    family: ClassVar[str] = "metadata"
    reason: ClassVar[str] = "moved to metadata.author"
    summary: ClassVar[str] = (
        "本报记者 张三, 新华社记者 张三 李四, 记者马俊峰/文; reads 电（记者 张三）"
    )

    def find(self, text: str, page: PageContext) -> Iterator[Change]:
        """Remove byline lines; a reporter named inside a paragraph's dateline is only read."""
        lines = list(lines_of(text))
        verdicts: list[str | None] = [None] * len(lines)
        for line in lines:
            if not might_hold_metadata(line.text):
                continue
            names = parse_byline(line.text)
            if names:
                offer(page, "author", names, "byline")
                verdicts[line.number] = ""
            elif "记者" in shadow_line(line.text[:200]):
                names = parse_dateline(line.text)
                if names:
                    offer(page, "author", names, "dateline")
        yield from line_removals(text, lines, verdicts)


class MoveDateLine(TextRule):
    """Move a line that is only a date (and the site or outlet) near the top into metadata."""

    name: ClassVar[str] = "move-date-line"
    family: ClassVar[str] = "metadata"
    reason: ClassVar[str] = "moved to metadata.published"
    summary: ClassVar[str] = (
        "2022-02-13 09:57 光明网, AUTO.SOHU.COM 2005年05月13日14:15, 2022年02月13日"
    )

    def find(self, text: str, page: PageContext) -> Iterator[Change]:
        """Remove head lines made of a date; a date beside an unknown word, or a cited issue
        (``——《北京之春》1998年3月号``) at the end, is only read."""
        lines = list(lines_of(text))
        _, head, tail = _edges(lines, page.values.get("title"))
        verdicts: list[str | None] = [None] * len(lines)
        for line in lines:
            if line.number in tail:
                cited = parse_citation(line.text)
                if cited:
                    offer(page, "published", cited, "guess[cited issue]")
            if line.number not in head:
                continue
            parsed = parse_date_line(line.text)
            if parsed is None:
                continue
            offer(page, "published", parsed.published, "line[date]")
            if parsed.extra:
                continue
            if parsed.outlet:
                offer(page, "source", parsed.outlet, "line[date]")
                verdicts[line.number] = _moved(["published", "source"])
            else:
                verdicts[line.number] = ""
        yield from line_removals(text, lines, verdicts)
