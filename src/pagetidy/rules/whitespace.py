"""Whitespace family: text rules that tidy the layout other rules leave behind.

They run last among the structural rules, so that a line removed in the middle of the text does
not leave a blank line, and a plain-text page's indentation and blank-line runs are folded into
the same one-block-per-line layout that HTML extraction produces.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from math import inf
from typing import ClassVar

from pagetidy.rules.base import Change, PageContext, TextRule

_EDGE_SPACE = " \t\u3000\u00a0"
"""Spaces stripped at line edges. Stripped with str.lstrip/rstrip, not a ``[...]+$`` search,
which retries from every space of a long run that does not reach the end: quadratic."""
_LEADING = re.compile(f"[{_EDGE_SPACE}]+")
_LINE_LEADING = re.compile(f"\n([{_EDGE_SPACE}]+)")
_SPACED_LINE_END = re.compile(f"\n(?<=[{_EDGE_SPACE}]\n)")
"""A newline after a space. Patterns that start with a literal are the ones the regex engine
scans for fastest, so line starts and ends are found from the newlines, not per line."""
_INNER_RUN = re.compile(r"[ \t\u00a0](?<=\S.)[ \t\u00a0]+(?=\S)")
"""Two or more spaces between two visible characters (on one line: a newline is a space)."""


def _outside(changes: list[Change], protected: list[tuple[int, int]]) -> list[Change]:
    """The changes that do not fall inside a protected span: a ``<pre>`` block keeps its
    indentation, inline code its spacing."""
    if not protected:
        return changes
    return [change for change in changes if not _inside(protected, change.start, change.end)]


def _inside(protected: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when ``[start, end)`` lies inside one of the ``protected`` spans (sorted)."""
    if not protected:
        return False
    index = bisect_right(protected, (start, inf)) - 1  # the last span starting at or before
    return index >= 0 and protected[index][1] >= end


class CollapseSpaces(TextRule):
    """Fold runs of spaces inside a line to one space and strip spaces at line edges, except in
    ``<pre>`` blocks and inline code."""

    name: ClassVar[str] = "collapse-spaces"
    family: ClassVar[str] = "whitespace"
    reason: ClassVar[str] = "run of spaces or indentation"
    summary: ClassVar[str] = "space runs inside lines, indentation and trailing spaces"
    adds_characters: ClassVar[str | None] = " "
    """A run of tabs or no-break spaces becomes one ASCII space."""

    def find(self, text: str, page: PageContext) -> list[Change]:
        """One change per space run that is longer than one space or at a line edge."""
        changes: list[Change] = []
        # A line of spaces only is removed whole as its leading run.
        first = _LEADING.match(text)
        if first:
            changes.append(Change(0, first.end()))
        changes += [Change(*run.span(1)) for run in _LINE_LEADING.finditer(text)]
        # ``" " in text`` first: one character is found several times faster than two.
        if (" " in text and "  " in text) or "\t" in text or "\u00a0" in text:
            changes += [Change(*run.span(), " ") for run in _INNER_RUN.finditer(text)]
        ends = [newline.start() for newline in _SPACED_LINE_END.finditer(text)]
        if text.endswith(tuple(_EDGE_SPACE)):
            ends.append(len(text))
        for end in ends:
            start = text.rfind("\n", 0, end) + 1
            content_end = start + len(text[start:end].rstrip(_EDGE_SPACE))
            if content_end > start:
                changes.append(Change(content_end, end))
        changes.sort()
        return _outside(changes, page.protected)


class CollapseBlankLines(TextRule):
    """Remove blank lines and the newlines at the start and end, leaving one block per line; in a
    ``<pre>`` block a run of blank lines folds to one, which code uses to group its lines."""

    name: ClassVar[str] = "collapse-blank-lines"
    family: ClassVar[str] = "whitespace"
    reason: ClassVar[str] = "blank line"
    summary: ClassVar[str] = "blank lines between blocks and at the start or end of the text"

    _BLANK_RUN: ClassVar[re.Pattern[str]] = re.compile(r"\n\n+")

    def find(self, text: str, page: PageContext) -> list[Change]:
        """One change per run of newlines that holds a blank line, or starts or ends the text."""
        content = text.strip("\n")
        if not content:
            return [Change(0, len(text))] if text else []
        start = len(text) - len(text.lstrip("\n"))
        end = start + len(content)
        changes = [Change(0, start)] if start else []
        # Inside the text, a run keeps its first newline (and a blank line inside protected text).
        for run in self._BLANK_RUN.finditer(text, start, end):
            kept = 2 if _inside(page.protected, run.start(), run.end()) else 1
            if run.end() - run.start() > kept:
                changes.append(Change(run.start() + kept, run.end()))
        if end < len(text):
            changes.append(Change(end, len(text)))
        return changes
