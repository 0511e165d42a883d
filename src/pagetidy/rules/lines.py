"""Line rules that judge a folded view of each line, and the small tests they share.

Boilerplate rules match on ``pagetidy.normalize.shadow`` (simplified script, half-width ASCII:
``：`` becomes ``:``, ``｜`` becomes ``|``, ``，`` becomes ``,``), so one pattern serves simplified
and traditional pages. A line rule only needs a verdict per line, so the view it judges may also
drop converter pinyin glued after characters (``技術(shù)支持``) and characters a reader never sees
(a zero-width space inside ``版权所有``): the footer of a pinyin-mirrored page is recognised even
before the pinyin rules have run, and removal still uses the original line's offsets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import ClassVar

from pagetidy.normalize import UNSEEN, shadow
from pagetidy.rules.base import Change, Line, PageContext, TextRule, iter_lines

_GLUED_PINYIN = re.compile(r"(?<=[\u3400-\u9fff])\([a-zü\u00e0-\u01dc]{1,6}\)")
"""A lower-case reading in parentheses right after a character: ``區(qū)``, ``烟(yan)``."""

SEPARATORS = r"\s|/\\·•・▪●■□◆◇>»«<\u203a\u2039\-–—_=~+:,;、.丨┃│┊┆"
"""Characters that separate items in footer, navigation and keyword rows (shadow forms)."""

SEPARATOR_CLASS = f"{SEPARATORS}()\\[\\]【】\u3014\u3015《》<>\ue000-\uf8ff"
"""The inside of a character class: what ``content_length`` and ``residue`` do not count."""

_SEPARATOR_RUN = re.compile(f"[{SEPARATOR_CLASS}]+")
"""Separators, brackets, and private-use characters (icon-font glyphs such as arrows)."""

PROSE_END = re.compile(r"。|(?<=[\u3400-\u9fff”」』)])[!?]")
"""Sentence ends in the shadow view: ``。``, and ``！？`` (folded to ASCII) after Chinese text, so
that ``Discuz!`` in a footer is not taken for a sentence."""


@lru_cache(maxsize=4)
def shadow_of(text: str) -> str:
    """``shadow(text)``, cached: consecutive rules often receive the same text."""
    return shadow(text)


@lru_cache(maxsize=2)
def lines_of(text: str) -> tuple[Line, ...]:
    """``iter_lines(text)`` as a tuple, cached: consecutive rules split the same text."""
    return tuple(iter_lines(text))


@lru_cache(maxsize=2)
def line_views(text: str) -> tuple[tuple[Line, ...], tuple[Line, ...]]:
    """The lines of ``text`` and their views (same offsets), cached like ``shadow_of``."""
    folded = shadow_of(text)
    lines = lines_of(text)
    views = tuple(
        Line(line.number, line.start, line.end, view(folded[line.start : line.end]))
        for line in lines
    )
    return lines, views


@lru_cache(maxsize=2)
def views_text(text: str) -> str:
    """The views of the lines of ``text``, one per line: one search finds a pattern in any."""
    return "\n".join(view.text for view in line_views(text)[1])


def view(text: str) -> str:
    """The text a line rule judges: folded, unseen characters and glued pinyin dropped, spaces
    collapsed (as the clean text will have them, so a second cleaning judges it the same)."""
    text = UNSEEN.sub("", text)
    if "(" in text:  # the pinyin's parenthesis: most lines have none to search for
        text = _GLUED_PINYIN.sub("", text)
    return " ".join(text.split())


def is_prose(text: str) -> bool:
    """A sentence, not a label row: a sentence end inside it, or three or more commas."""
    # ``in`` tests before the pattern: most lines hold no ``!`` or ``?`` for it to look behind.
    if "。" in text or (("!" in text or "?" in text) and PROSE_END.search(text)):
        return True
    return text.count(",") >= 3


def residue(text: str, *patterns: re.Pattern[str]) -> str:
    """What is left of ``text`` once every pattern's matches and all separators are removed."""
    for pattern in patterns:
        text = pattern.sub(" ", text)
    return _SEPARATOR_RUN.sub("", text)


def content_length(text: str) -> int:
    """Characters that carry content: everything but separators and whitespace."""
    return len(_SEPARATOR_RUN.sub("", text))


def mostly(text: str, *patterns: re.Pattern[str], share: float = 0.6, slack: int = 0) -> bool:
    """True when the patterns cover at least ``share`` of the line, or all but ``slack`` chars."""
    total = content_length(text)
    if not total:
        return False
    left = len(residue(text, *patterns))
    return left <= slack or (total - left) / total >= share


def drop_lines(
    text: str, lines: Sequence[Line], verdicts: Sequence[str | None]
) -> Iterator[Change]:
    """Changes that remove the lines whose verdict is not None, each with one newline.

    A line takes the newline after it; the lines of a run that ends the text take the newline
    before them instead, so removing a footer of several lines leaves no trailing newline.
    """
    last = len(lines) - 1
    tail_start = len(lines)
    while tail_start > 0 and verdicts[tail_start - 1] is not None:
        tail_start -= 1
    for line, verdict in zip(lines, verdicts, strict=True):
        if verdict is None:
            continue
        reason = verdict or None
        if 0 < tail_start <= line.number:
            yield Change(line.start - 1, line.end, "", reason)
        elif line.number < last:
            yield Change(line.start, lines[line.number + 1].start, "", reason)
        else:
            yield Change(line.start, line.end, "", reason)


class ShadowLineRule(TextRule):
    """A text rule that drops whole lines, judged on their folded view (see module docstring)."""

    hint: ClassVar[re.Pattern[str] | None] = None
    """A pattern every line the rule drops holds (a word its patterns all need), searched once in
    all the views before any line is judged: most texts have none, and then nothing is judged.
    Only for rules whose judging has no side effect (no metadata offered, no flag raised)."""

    def judge(self, line: Line, page: PageContext) -> str | None:
        """Return a reason ("" for the rule's own) to drop the line, else None."""
        raise NotImplementedError

    def judge_all(self, lines: Sequence[Line], page: PageContext) -> list[str | None]:
        """Verdicts for every line; rules that look at neighbours override this."""
        return [self.judge(line, page) if line.text else None for line in lines]

    def find(self, text: str, page: PageContext) -> Iterator[Change]:
        """Judge every line's view and drop the condemned lines with their newline."""
        lines, views = line_views(text)
        if self.hint is not None and not self.hint.search(views_text(text)):
            return
        yield from drop_lines(text, lines, self.judge_all(views, page))


TAIL_PROSE_MIN = 10
"""A sentence of this many characters after a line means the line is not in the footer."""


def tail_start(lines: Sequence[Line]) -> int:
    """The index after the last sentence line: lines from here on sit in the footer region."""
    for line in reversed(lines):
        if is_prose(line.text) and content_length(line.text) >= TAIL_PROSE_MIN:
            return line.number + 1
    return 0


def neighbours(lines: Sequence[Line], index: int, step: int) -> Iterator[Line]:
    """The non-blank lines before (step -1) or after (step 1) ``index``, nearest first."""
    index += step
    while 0 <= index < len(lines):
        if lines[index].text:
            yield lines[index]
        index += step
