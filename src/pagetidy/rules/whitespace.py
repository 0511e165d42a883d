"""Whitespace family: text rules that tidy the layout other rules leave behind.

They run last among the structural rules, so that a line removed in the middle of the text does
not leave a blank line, and a plain-text page's indentation and blank-line runs are folded into
the same one-block-per-line layout that HTML extraction produces.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from pagetidy.rules.base import Change, PageContext, TextRule, iter_lines

_EDGE_SPACE = " \t\u3000\u00a0"
"""Spaces stripped at line edges. Stripped with str.lstrip/rstrip, not a ``[...]+$`` search,
which retries from every space of a long run that does not reach the end: quadratic."""
_INNER_RUN = re.compile(r"(?<=\S)[ \t\u00a0]{2,}(?=\S)")


class CollapseSpaces(TextRule):
    """Fold runs of spaces inside a line to one space and strip spaces at line edges."""

    name: ClassVar[str] = "collapse-spaces"
    family: ClassVar[str] = "whitespace"
    reason: ClassVar[str] = "run of spaces or indentation"
    summary: ClassVar[str] = "space runs inside lines, indentation and trailing spaces"
    adds_characters: ClassVar[str | None] = " "
    """A run of tabs or no-break spaces becomes one ASCII space."""

    def find(self, text: str, page: PageContext) -> Iterator[Change]:
        """Yield one change per space run that is longer than one space or at a line edge."""
        for line in iter_lines(text):
            if not line.text:
                continue
            content_start = len(line.text) - len(line.text.lstrip(_EDGE_SPACE))
            if content_start:
                yield Change(line.start, line.start + content_start)
            if content_start == len(line.text):
                continue  # a line of spaces only: removed whole as its leading run
            for run in _INNER_RUN.finditer(line.text):
                yield Change(line.start + run.start(), line.start + run.end(), " ")
            content_end = len(line.text.rstrip(_EDGE_SPACE))
            if content_end < len(line.text):
                yield Change(line.start + content_end, line.end)


class CollapseBlankLines(TextRule):
    """Remove blank lines and the newlines at the start and end, leaving one block per line."""

    name: ClassVar[str] = "collapse-blank-lines"
    family: ClassVar[str] = "whitespace"
    reason: ClassVar[str] = "blank line"
    summary: ClassVar[str] = "blank lines between blocks and at the start or end of the text"

    _BLANK_RUN: ClassVar[re.Pattern[str]] = re.compile(r"^\n+|\n+$|(?<=\n)\n+")

    def find(self, text: str, page: PageContext) -> Iterator[Change]:
        """Yield one change per run of newlines that holds a blank line."""
        for run in self._BLANK_RUN.finditer(text):
            yield Change(run.start(), run.end())
