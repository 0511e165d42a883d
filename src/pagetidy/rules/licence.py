"""Licence family: regulatory lines that every mainland Chinese site must show in its footer.

An ICP filing number is ID-shaped (province abbreviation, ``ICP备`` or ``ICP证``, a number, ``号``),
so a line made of one is removed on that evidence alone; a news story that mentions ICP licensing
in a sentence is prose and stays.
"""

from __future__ import annotations

import re
from typing import ClassVar

from pagetidy.rules.base import Line, LineRule, PageContext

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼港澳台滬遼黑魯蘇贛貴陝閩"
"""The one-character abbreviations that prefix filing numbers, simplified and traditional."""

ICP_NUMBER = re.compile(
    rf"[{PROVINCES}]\s?(?:ICP|icp)\s?(?:[备備]案?|[证證])\s?[：:]?\s?\d{{5,10}}\s?[号號]?(?:-\d{{1,3}})?"
    rf"|[{PROVINCES}]B2-\d{{8}}(?:-\d{{1,3}})?"
)
"""京ICP备12345678号-1, 湘ICP备17016663号, 京ICP证030173号, 粤B2-20090059, 粵ICP備…號."""

_ICP_LABEL = re.compile(
    r"(?:网站|網站)?(?:ICP)?(?:备案|備案)(?:编号|編號|号|號)?|经营许可证|經營許可證|许可证|許可證"
    r"|[：:|｜/／\s·•,，;；()（）\[\]【】-]"
)
"""Labels and separators allowed around the number on a line that is 'only' a licence number."""


class DropIcpLine(LineRule):
    """Drop lines that consist of an ICP filing or licence number and its label."""

    name: ClassVar[str] = "drop-icp-line"
    family: ClassVar[str] = "licence"
    reason: ClassVar[str] = "ICP filing number line"
    summary: ClassVar[str] = "lines such as 京ICP备12345678号-1 or ICP备案号：湘ICP备17016663号"

    def judge(self, line: Line, page: PageContext) -> str | None:
        """Drop the line when, after removing numbers and their labels, nothing is left."""
        if not ICP_NUMBER.search(line.text):
            return None
        rest = _ICP_LABEL.sub("", ICP_NUMBER.sub("", line.text))
        return "" if not rest else None
