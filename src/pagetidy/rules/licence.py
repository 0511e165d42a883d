"""Licence family: regulatory lines that every mainland Chinese site must show in its footer.

Filing and licence numbers are ID-shaped (province abbreviation, ``ICP备`` / ``公网安备`` / a
licence name, a number, ``号``), so a line holding one is removed on that evidence alone unless
it is a sentence: a news story that quotes 京ICP备12345678号 in a sentence stays. Footers often
put several of them on one line; the first rule here whose number is on the line takes it.
Reporting hotlines (违法和不良信息举报, 12377) are weaker evidence and need a second signal or
a short line.
"""

from __future__ import annotations

import re
from typing import ClassVar

from pagetidy.patterns import led_by
from pagetidy.rules.base import Line, PageContext
from pagetidy.rules.lines import ShadowLineRule, content_length, shadow_of
from pagetidy.rules.vocabulary import (
    CULTURE_CODE,
    DOCUMENT_CODE,
    ICP_NUMBER,
    LICENCE,
    POLICE_NUMBER,
    PROVINCES,
    REPORT,
    TELECOM_CODE,
    footer_line,
    footer_signals,
)

REPORT_NAME = re.compile(r"违法和不良信息举报|有害信息举报")
"""The full name of the reporting service: as specific as a licence name."""

REPORT_LINE_MAX = 60
"""A reporting-hotline line with no other footer signal is dropped only when this short."""

_NOTICE_TITLE_WORDS = ("举报", "通告", "公告", "通知")
"""On pages with these in the title, a 举报电话 line is part of the notice, not the footer."""


class NumberedFooterLine(ShadowLineRule):
    """A footer line identified by an ID-shaped number: the number and a non-sentence line."""

    numbers: ClassVar[tuple[re.Pattern[str], ...]]
    """The ID shapes (filing numbers, licence codes) that make a line this rule's."""

    def judge(self, line: Line, page: PageContext) -> str | None:
        """Drop a line that holds one of the numbers and is not a sentence."""
        text = line.text
        if any(number.search(text) for number in self.numbers) and footer_line(text, strong=True):
            return ""
        return None


class DropIcpLine(NumberedFooterLine):
    """Drop footer lines that hold an ICP filing or licence number."""

    name: ClassVar[str] = "drop-icp-line"
    family: ClassVar[str] = "licence"
    reason: ClassVar[str] = "ICP filing number line"
    summary: ClassVar[str] = "lines such as 京ICP备12345678号-1 or ICP备案号：湘ICP备17016663号"

    numbers: ClassVar[tuple[re.Pattern[str], ...]] = (ICP_NUMBER,)
    hint: ClassVar[re.Pattern[str] | None] = re.compile("ICP", re.I)  # in both alternatives


class DropPoliceFilingLine(NumberedFooterLine):
    """Drop footer lines that hold a 公网安备 (public security) filing number."""

    name: ClassVar[str] = "drop-police-filing-line"
    family: ClassVar[str] = "licence"
    reason: ClassVar[str] = "public security filing number line"
    summary: ClassVar[str] = "lines such as 京公网安备11010802044671号 or 公安机关备案号：…"

    numbers: ClassVar[tuple[re.Pattern[str], ...]] = (POLICE_NUMBER,)
    hint: ClassVar[re.Pattern[str] | None] = re.compile("公网安备|公安")  # one per alternative


class DropLicenceLine(NumberedFooterLine):
    """Drop footer lines that hold a telecom, culture, news or media licence code."""

    name: ClassVar[str] = "drop-licence-line"
    family: ClassVar[str] = "licence"
    reason: ClassVar[str] = "licence number line"
    summary: ClassVar[str] = (
        "增值电信业务经营许可证：粤B2-…, 京网文[2020]5494-1075号, 互联网新闻信息服务许可证…"
    )

    numbers: ClassVar[tuple[re.Pattern[str], ...]] = (
        LICENCE,
        TELECOM_CODE,
        CULTURE_CODE,
        DOCUMENT_CODE,
    )
    # What each of the numbers needs (a licence name's last word, a province letter code, 网文,
    # or 字 before a year, 第 or a number), led by its first characters: one fast search.
    hint: ClassVar[re.Pattern[str] | None] = re.compile(
        led_by(
            f"字网许资备{PROVINCES}",
            rf"字\s{{0,2}}[(\[\u3014【第\d]|网文|许可证|资格证|备案|[{PROVINCES}]\s?[BA]",
        )
    )


class DropReportHotlineLine(ShadowLineRule):
    """Drop footer lines that give the illegal-content reporting hotline or mailbox."""

    name: ClassVar[str] = "drop-report-hotline-line"
    family: ClassVar[str] = "licence"
    reason: ClassVar[str] = "illegal-content reporting line"
    summary: ClassVar[str] = "违法和不良信息举报电话：…, 举报邮箱：…, 12377 lines in the footer"
    hint: ClassVar[re.Pattern[str] | None] = re.compile("举报|投诉|123")  # what REPORT needs

    def judge(self, line: Line, page: PageContext) -> str | None:
        """Drop a reporting line that is short or sits with other footer signals."""
        text = line.text
        if not REPORT.search(text):
            return None
        if not footer_line(text, strong=REPORT_NAME.search(text) is not None):
            return None
        if footer_signals(text) < 2 and content_length(text) > REPORT_LINE_MAX:
            return None
        title = shadow_of(page.values.get("title", ""))
        if any(word in title for word in _NOTICE_TITLE_WORDS):
            return None
        return ""
