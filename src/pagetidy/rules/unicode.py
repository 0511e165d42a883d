"""Unicode family: character-level repairs of the text.

The normalization stage (width, punctuation, invisible characters, script conversion) is built
on ``pagetidy.normalize``; this module holds the rules that wrap it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from pagetidy.rules.base import Change, PageContext, TextRule

_REPLACEMENT_RUN = re.compile("\ufffd+")


class DropReplacementCharacters(TextRule):
    """Remove U+FFFD replacement characters: bytes lost in decoding, here or upstream."""

    name: ClassVar[str] = "drop-replacement-characters"
    family: ClassVar[str] = "unicode"
    reason: ClassVar[str] = "replacement character for an undecodable byte"
    summary: ClassVar[str] = "U+FFFD characters left by a broken byte or an upstream decode"

    def find(self, text: str, page: PageContext) -> Iterator[Change]:
        """Yield one change per run of U+FFFD."""
        for run in _REPLACEMENT_RUN.finditer(text):
            yield Change(run.start(), run.end())
