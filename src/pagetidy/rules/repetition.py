"""Repetition family: navigation rows printed twice on a page, each reply's posting time in a
thread, and separator-only leftovers.

A repeated line is dropped only when it is shaped like navigation (several short items between
separators, no sentence): a poem's refrain or a repeated sentence in an article is content.
The first copy stays; the later copies go.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from pagetidy.rules.base import Line, PageContext
from pagetidy.rules.lines import ShadowLineRule, is_prose

_NAV_ITEM_SPLIT = re.compile(r"\s*[|/·•>»\u203a]\s*|\s{2,}")

_CODE_OR_URL = re.compile(r"://|www\.|</?[a-z][a-z0-9]{0,9}[\s>/]", re.I)
"""URLs and markup split on ``/`` into many short items without being navigation."""

NAV_ITEMS = 3
NAV_ITEM_MEAN_MAX = 10.0
"""A navigation row: at least 3 items of at most 10 characters on average."""


def _nav_shaped(text: str) -> bool:
    items = [item for item in _NAV_ITEM_SPLIT.split(text) if item]
    if len(items) < NAV_ITEMS:
        return False
    return sum(len(item) for item in items) / len(items) <= NAV_ITEM_MEAN_MAX


class DropRepeatedNavLine(ShadowLineRule):
    """Drop later copies of a navigation row that already appeared on the page."""

    name: ClassVar[str] = "drop-repeated-nav-line"
    family: ClassVar[str] = "repetition"
    reason: ClassVar[str] = "navigation row repeated on the page"
    summary: ClassVar[str] = "a second 首页 | 新闻 | 政务 | 服务 row (the first one stays)"

    def judge_all(self, lines: Sequence[Line], page: PageContext) -> list[str | None]:
        """Mark each nav-shaped, non-sentence line whose text appeared on an earlier line."""
        seen: set[str] = set()
        verdicts: list[str | None] = [None] * len(lines)
        for line in lines:
            text = line.text
            if not text or is_prose(text) or _CODE_OR_URL.search(text) or not _nav_shaped(text):
                continue
            key = " ".join(text.split())
            if key in seen:
                verdicts[line.number] = ""
            seen.add(key)
        return verdicts


_SEPARATOR_ONLY = re.compile(
    r"^(?:[|/\\·•・▪●■□◆◇<>»«\u203a\u2039\-–—_=~+丨\s]|【\s*】|\[\s*\]|\(\s*\))+$"
)
"""A line of separators and empty brackets: ``|``, ``-----``, ``>>``, ``【】``, ``· ·``.
A lone bracket, colon or comma is left alone (hard-wrapped text breaks lines there), and so are
ellipses, asterisks and ※, which mark breaks in stories and poems."""


class DropSeparatorLine(ShadowLineRule):
    """Drop lines made only of separators, such as those left where a footer row was removed."""

    name: ClassVar[str] = "drop-separator-line"
    family: ClassVar[str] = "repetition"
    reason: ClassVar[str] = "separator-only line"
    summary: ClassVar[str] = "lines such as |, -----, >>, 【】 or · · ·"

    def judge(self, line: Line, page: PageContext) -> str | None:
        """Drop a line with no word character at all, only separators and brackets."""
        return "" if _SEPARATOR_ONLY.match(line.text) else None


_POST_TIME = re.compile(
    r"(?:(?:发表|发布|回复|编辑|更新)于\s*|posted\s+(?:on\s+)?)?"
    r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s*\d{1,2}:\d{2}(?::\d{2})?",
    re.IGNORECASE,
)
"""A date and time alone on a line (``2021-01-01 10:34:38``, ``发表于 2024-4-5 20:13``)."""

POST_TIMES_MIN = 3
"""An article prints its own time once or twice; a thread prints one per reply."""


class DropPostTimestamps(ShadowLineRule):
    """Drop date-and-time lines printed three or more times: the posting time of every reply in
    a thread, which says when, not what. An article's single time line is metadata's business."""

    name: ClassVar[str] = "drop-post-timestamps"
    family: ClassVar[str] = "repetition"
    reason: ClassVar[str] = "posting time of a reply in a thread"
    summary: ClassVar[str] = "a 2021-01-01 10:34:38 line at every reply (3 or more in the text)"
    hint: ClassVar[re.Pattern[str] | None] = re.compile(r"\d:\d\d")

    def judge_all(self, lines: Sequence[Line], page: PageContext) -> list[str | None]:
        """Mark every timestamp-only line when the text holds at least ``POST_TIMES_MIN``."""
        stamps = [line.number for line in lines if _POST_TIME.fullmatch(line.text.strip())]
        verdicts: list[str | None] = [None] * len(lines)
        if len(stamps) >= POST_TIMES_MIN:
            for number in stamps:
                verdicts[number] = ""
        return verdicts
