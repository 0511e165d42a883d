"""Identity family: copyright lines, reposting notices, disclaimers, operator lines, footer rows.

These words also occur in articles (a story about copyright law quotes 版权所有; a conference
notice opens with 主办单位：…), so every rule here needs more than the word: a line that is not
a sentence and is short or made mostly of footer material, a second footer signal, or a place in
the tail of the text (no prose after it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import ClassVar

from pagetidy.normalize import shadow
from pagetidy.parse import HtmlElement, body_of
from pagetidy.rules.base import DomRule, Line, PageContext, Removal
from pagetidy.rules.blocks import all_text, guarded, named_elements, token_set
from pagetidy.rules.lines import (
    PROSE_END,
    ShadowLineRule,
    content_length,
    is_prose,
    mostly,
    neighbours,
    tail_start,
)
from pagetidy.rules.vocabulary import (
    CONTACT,
    COPYRIGHT,
    FOOTER_MATERIAL,
    NAV_WORD,
    OPERATOR,
    REPRINT,
    footer_line,
    footer_signals,
)

COPYRIGHT_LINE_MAX = 60
"""A line with a copyright mark and no second footer signal is a footer line up to this length."""

LEADING_COPYRIGHT_MAX = 250
"""A line that starts with Copyright / © (an English footer sentence) may be this long."""

NOTICE_MAX = 90
"""A reposting notice is one or two short sentences; longer lines need a notice label."""

LABELLED_NOTICE_MAX = 500
"""A paragraph led by 版权声明： / 免责声明： is dropped up to this length."""

_QUOTED = re.compile(r"[“「『《\"]")
"""Quotation marks: a copyright phrase inside quotes is being talked about, not asserted."""
_QUOTATION = re.compile(r"[“「『\"]")
"""For a reposting notice, quotation marks only: it often names its column or outlet in 《》
(``本文为金错刀授权网易财经《亦观察》专栏发布，转载请注明出处``)."""

_REPORTED = re.compile(r"表示|指出|认为|规定|法院|判决|根据|依据|条例|法律|起诉|诉讼|记者|报道")
"""Words of a story about copyright rather than a site's own notice."""

NOTICE_LABEL = re.compile(
    r"^[(\[【]?\s?[\u4e00-\u9fff\w.]{0,12}?(?:版权|免责|特别|法律|郑重|重要|转载|本站|本网)"
    r"(?:与免责|及免责)?(?:声明|说明|保护|须知|提示)\s?[:)\]】]"
)
"""A notice paragraph's label: 版权声明：, 免责声明：, 中国日报网版权说明：, 【特别声明】."""

NOTICE_HEADING = re.compile(
    r"^[\u4e00-\u9fff\w.]{0,12}?(?:(?:版权|著作权|免责|特别|法律|本站|本网)(?:与免责|及免责)?声明"
    r"|(?:反侵权|侵权|版权|著作权|转载)(?:公告|须知))\s?:?$"
)
"""A heading over notice paragraphs: 免责声明, 振兴东北网版权与免责声明：, 反侵权公告：."""

NOTICE_WORDS = re.compile(
    r"本网|本站|本平台|本报|本刊|本公众号|版权|转载|侵权|观点|立场|责任|授权|作品|删除|来源"
)
"""Vocabulary of the paragraphs under a notice heading."""

NOTICE_WINDOW = 8
"""At most this many paragraphs under a notice heading are dropped with it."""

WELCOME = re.compile(r"^欢迎(?:您)?(?:访问|光临|来到|浏览)[^,。!?]{1,24}$")
"""欢迎您访问红星网: a site greeting on a line of its own."""

LINK_ROW_SPLIT = re.compile(r"\s*[|/·•丨┊┆]\s*|\s+-\s+|-\s|\s{2,}")
LINK_ROW_ITEMS = 3
LINK_ROW_MEAN_MAX = 8.0
"""A row of links: 3+ items between separators, at most 8 characters each on average."""


def link_row(text: str) -> bool:
    """Whether ``text`` is shaped like a row of short links."""
    items = [item for item in LINK_ROW_SPLIT.split(text) if item.strip()]
    if len(items) < LINK_ROW_ITEMS:
        return False
    return sum(len(item.strip()) for item in items) / len(items) <= LINK_ROW_MEAN_MAX


NAV_WORDS_ANYWHERE = 3
NAV_ROW_MAX = 200
"""Three nav words on a line that is not a sentence make it a footer row, whatever else is there."""

CONTACT_LABELS = 2
"""A footer contact line: two contact labels (地址：, 邮编：, 电话：) and a footer word, in the
tail. A notice's own 联系电话 line has no footer word (关于我们, 版权所有...) and stays."""

NAV_RUN_MIN = 2
"""Footer links extracted one per line: a run of at least this many nav-word lines."""


class DropCopyrightLine(ShadowLineRule):
    """Drop copyright lines: 版权所有, Copyright ©, (C) 2001, All Rights Reserved."""

    name: ClassVar[str] = "drop-copyright-line"
    family: ClassVar[str] = "identity"
    reason: ClassVar[str] = "copyright line"
    summary: ClassVar[str] = "版权所有 / Copyright © / All Rights Reserved lines of a site footer"
    hint: ClassVar[re.Pattern[str] | None] = COPYRIGHT  # every dropped line holds a match

    def judge(self, line: Line, page: PageContext) -> str | None:
        """Drop a short copyright line, or one that is mostly footer material."""
        text = line.text
        match = COPYRIGHT.search(text)
        if not match or _QUOTED.search(text[max(0, match.start() - 1) :]):
            return None
        length = content_length(text)
        if match.start() == 0 and "。" not in text and length <= LEADING_COPYRIGHT_MAX:
            return ""
        if is_prose(text):
            return None
        if length <= COPYRIGHT_LINE_MAX or footer_line(text, strong=False):
            return ""
        return None


class DropReprintNotice(ShadowLineRule):
    """Drop reposting and infringement notices: 未经授权禁止转载, 转载请注明出处, 如有侵权…"""

    name: ClassVar[str] = "drop-reprint-notice"
    family: ClassVar[str] = "identity"
    reason: ClassVar[str] = "reposting or infringement notice"
    summary: ClassVar[str] = "未经授权不得转载, 转载请注明出处, 如有侵权请联系删除, 仅代表作者观点"
    hint: ClassVar[re.Pattern[str] | None] = REPRINT  # every dropped line holds a match

    def judge(self, line: Line, page: PageContext) -> str | None:
        """Drop a short notice line, a footer line with a notice, or a labelled notice paragraph."""
        text = line.text
        if not REPRINT.search(text):
            return None
        length = content_length(text)
        if NOTICE_LABEL.search(text) and length <= LABELLED_NOTICE_MAX:
            return ""
        if _REPORTED.search(text) or _QUOTATION.search(text):
            return None
        if length <= NOTICE_MAX and len(PROSE_END.findall(text)) <= 2:
            return ""
        return "" if footer_line(text, strong=False) else None


class DropDisclaimerBlock(ShadowLineRule):
    """Drop disclaimer notices: a 免责声明 heading with its paragraphs, or a labelled paragraph."""

    name: ClassVar[str] = "drop-disclaimer-block"
    family: ClassVar[str] = "identity"
    reason: ClassVar[str] = "disclaimer notice"
    summary: ClassVar[str] = "免责声明：… paragraphs, and a 版权与免责声明 heading with its clauses"
    # Nothing is dropped without a heading or a label; multiline, they are found in the views.
    hint: ClassVar[re.Pattern[str] | None] = re.compile(
        f"(?:{NOTICE_HEADING.pattern})|(?:{NOTICE_LABEL.pattern})", re.MULTILINE
    )

    def judge_all(self, lines: Sequence[Line], page: PageContext) -> list[str | None]:
        """Mark labelled notices, and headings with the notice paragraphs right under them."""
        verdicts: list[str | None] = [None] * len(lines)
        for line in lines:
            text = line.text
            if not text:
                continue
            if NOTICE_HEADING.search(text):
                verdicts[line.number] = ""
                for count, after in enumerate(neighbours(lines, line.number, 1)):
                    body = after.text
                    if count >= NOTICE_WINDOW or not NOTICE_WORDS.search(body):
                        break
                    if content_length(body) > LABELLED_NOTICE_MAX:
                        break
                    verdicts[after.number] = ""
            elif (
                NOTICE_LABEL.search(text)
                and "声明" in text[:20]
                and content_length(text) <= LABELLED_NOTICE_MAX
                and NOTICE_WORDS.search(text)
            ):
                verdicts[line.number] = ""
        return verdicts


class DropSiteIdentityLine(ShadowLineRule):
    """Drop site identity lines: 主办单位, 技术支持, 网站标识码, 建议使用…浏览器, 欢迎访问."""

    name: ClassVar[str] = "drop-site-identity-line"
    family: ClassVar[str] = "identity"
    reason: ClassVar[str] = "site operator or identity line"
    summary: ClassVar[str] = "主办单位：…, 技术支持：…, 网站标识码, 建议使用…浏览器, 欢迎您访问…"

    def judge_all(self, lines: Sequence[Line], page: PageContext) -> list[str | None]:
        """Drop operator lines with a second footer signal, or in the tail of the text."""
        verdicts: list[str | None] = [None] * len(lines)
        tail = tail_start(lines)
        for line in lines:
            text = line.text
            if not text or is_prose(text):
                continue
            in_tail = line.number >= tail
            operator = OPERATOR.search(text)
            if operator and (
                footer_signals(text) >= 2
                or (in_tail and footer_line(text, strong=False))
            ):
                verdicts[line.number] = ""
            elif WELCOME.search(text) and in_tail:
                verdicts[line.number] = "site greeting line"
            elif (
                len(CONTACT.findall(text)) >= CONTACT_LABELS
                and footer_signals(text) >= 1
                and in_tail
            ):
                verdicts[line.number] = "site contact line"
        return verdicts


class DropFooterNavLine(ShadowLineRule):
    """Drop footer navigation rows: 关于我们 | 联系我们 | 网站地图 | 广告服务."""

    name: ClassVar[str] = "drop-footer-nav-line"
    family: ClassVar[str] = "identity"
    reason: ClassVar[str] = "footer navigation row"
    summary: ClassVar[str] = "rows of 关于我们 / 联系我们 / 网站地图 / 隐私政策 / 广告服务 links"

    def judge_all(self, lines: Sequence[Line], page: PageContext) -> list[str | None]:
        """Drop rows made mostly of nav words, and runs of lines that are one nav word each."""
        verdicts: list[str | None] = [None] * len(lines)
        single: list[int] = []
        tail = tail_start(lines)
        for line in lines:
            text = line.text
            if not text:
                continue
            if is_prose(text):
                single = self._close_run(single, verdicts)
                continue
            words = len(NAV_WORD.findall(text))
            if words and self._row(text, words, in_tail=line.number >= tail):
                verdicts[line.number] = ""
            if words == 1 and mostly(text, NAV_WORD, slack=0):
                single.append(line.number)
                if line.number >= tail:
                    verdicts[line.number] = ""
            else:
                single = self._close_run(single, verdicts)
        self._close_run(single, verdicts)
        return verdicts

    @staticmethod
    def _row(text: str, words: int, *, in_tail: bool) -> bool:
        """A nav row: mostly nav words, or a link row with nav words (two, or one in the tail)."""
        if words >= 2 and (
            mostly(text, NAV_WORD, CONTACT, share=0.6, slack=4)
            or mostly(text, *FOOTER_MATERIAL, share=0.6, slack=8)
        ):
            return True
        if words >= NAV_WORDS_ANYWHERE and content_length(text) <= NAV_ROW_MAX:
            return True
        if not link_row(text):
            return False
        return words >= 2 or (in_tail and mostly(text, NAV_WORD, share=0.3))

    @staticmethod
    def _close_run(run: list[int], verdicts: list[str | None]) -> list[int]:
        if len(run) >= NAV_RUN_MIN:
            for index in run:
                verdicts[index] = ""
        return []


FOOTER_TOKENS = frozenset({"footer", "foot", "copyright", "copyrights", "banquan", "bqxx", "beian"})
"""Class and id tokens of footer blocks (after splitting on - and _), English and pinyin."""

FOOTER_SUBSTRINGS = ("footer", "copyright", "banquan")
"""Distinctive enough to match inside a longer token (``g-footer``, ``articleFooter``)."""

_FOOTER_NAMES = token_set(FOOTER_TOKENS, FOOTER_SUBSTRINGS)

FOOTER_TEXT_PEEK = 3000
"""How much of a named footer block's text is searched for a footer signal."""


class DropFooterBlocks(DomRule):
    """Remove ``<footer>`` elements and blocks whose class or id names a footer or copyright."""

    name: ClassVar[str] = "drop-footer-blocks"
    family: ClassVar[str] = "identity"
    reason: ClassVar[str] = "footer block"
    summary: ClassVar[str] = "<footer>, class/id footer, copyright, banquan, beian (whole tokens)"

    def find(self, root: HtmlElement, page: PageContext) -> Iterator[Removal]:
        """Yield small footer blocks whose text holds a footer signal."""
        body = body_of(root)
        candidates = named_elements(body, page, _FOOTER_NAMES, footers=True)
        for element in guarded(body, page, candidates, self._is_footer):
            yield Removal(element)

    @staticmethod
    def _is_footer(element: HtmlElement) -> bool:
        # Forums name each post's action bar "footer" too: the text must look like a footer.
        text = shadow(all_text(element)[:FOOTER_TEXT_PEEK])
        return footer_signals(text) > 0 or CONTACT.search(text) is not None
