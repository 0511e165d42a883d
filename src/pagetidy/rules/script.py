"""Script family: conversion between simplified and traditional Chinese with OpenCC.

The page's script is detected on the text this rule receives (after boilerplate removal and the
Unicode repairs, before any conversion), and recorded with the region hints on the result, so
the original script is never lost even when the text is converted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, ClassVar, cast

from pagetidy.normalize import (
    FIND_LIMIT,
    Script,
    changed_runs,
    char_class,
    classify_script,
    conversion_config,
    converted_together,
    converter,
    has_han,
    positions,
    region_hint,
    script_shares,
)
from pagetidy.opencc_tables import conversion_triggers
from pagetidy.rules.base import Change, PageContext
from pagetidy.rules.unicode import NormalizationRule, StageText, profile

if TYPE_CHECKING:
    from pagetidy.pipeline import Config

SOURCE_CONFIGS: dict[str, tuple[str, ...]] = {
    "hans": ("t2s", "tw2s", "hk2s"),
    "hant": ("s2t",),
    "tw": ("s2tw", "t2tw"),
    "hk": ("s2hk", "t2hk"),
    "none": (),
}
"""The OpenCC configs each target may need (phrase variants added when ``phrases`` is set)."""
_PHRASE_VARIANTS = {"tw2s": "tw2sp", "hk2s": "hk2sp", "s2tw": "s2twp", "s2hk": "s2hkp"}


class ConvertScript(NormalizationRule):
    """Convert the text to ``Config.to`` with the OpenCC config for the page's script and region."""

    name: ClassVar[str] = "convert-script"
    family: ClassVar[str] = "script"
    reason: ClassVar[str] = "converted to the target script"
    summary: ClassVar[str] = "simplified/traditional conversion with OpenCC (--to, --phrases)"

    def __init__(self, config: Config) -> None:
        """Build the OpenCC converters this target can need, once per Cleaner."""
        super().__init__(config)
        names = list(SOURCE_CONFIGS[config.to])
        if config.phrases:
            names += [_PHRASE_VARIANTS[name] for name in names if name in _PHRASE_VARIANTS]
        self.converters = {name: converter(name) for name in names}

    def find(self, text: str, page: PageContext) -> list[Change]:
        """Record the page's script and region, then one change per converted run."""
        state = self.state(text, page)
        traditional_chars = profile().traditional
        count = sum(n for char, n in state.counts().items() if char in traditional_chars)
        if count:
            total, traditional, simplified = script_shares(text, count)
        else:  # classified as script_shares would classify it, without its scans
            total, traditional, simplified = int(has_han(text)), 0.0, 0.0
        script = classify_script(total, traditional, simplified)
        region = region_hint(_declared_lang(page), page.url or page.values.get("url"))
        page.script, page.region = script, region
        if script == "mixed":
            page.flag(
                "mixed-script",
                f"traditional {traditional:.1%}, simplified {simplified:.1%} of Han characters",
            )
        name = conversion_config(self.config.to, script, region, self.config.phrases)
        if name is None:
            return []
        stretches = _convertible(name, text, state, script, traditional)
        if not stretches:
            return []  # a simplified page without a character t2s changes: nothing to convert
        convert = (self.converters.get(name) or converter(name)).convert
        reason = f"converted to {self.config.to} with OpenCC {name}"
        segments = list(_overlaps(state.guard().free(len(text)), stretches))
        converted = converted_together([text[start:end] for start, end in segments], convert)
        changes = [
            Change(run_start, run_end, after, reason)
            for (start, end), done in zip(segments, converted, strict=True)
            for run_start, run_end, after in changed_runs(text, start, end, convert, done)
        ]
        state.advance(changes)
        return changes

    def normalize_value(self, value: str, page: PageContext) -> str:
        """Convert a metadata value with the config chosen for the page's text, not for itself."""
        script = cast("Script", page.script or "none")
        name = conversion_config(self.config.to, script, page.region, self.config.phrases)
        if name is None:
            return value
        converted: str = (self.converters.get(name) or converter(name)).convert(value)
        return converted


_TO_SIMPLIFIED = frozenset(SOURCE_CONFIGS["hans"]) | {
    _PHRASE_VARIANTS[name] for name in SOURCE_CONFIGS["hans"] if name in _PHRASE_VARIANTS
}
"""The configs that take a page to simplified script, with their phrase variants."""


def _convertible(
    name: str, text: str, state: StageText, script: Script, traditional: float
) -> list[tuple[int, int]]:
    """The stretches of ``text`` that OpenCC ``name`` may change.

    A simplified or mixed page on its way to simplified script holds the characters the config
    changes on some lines only: only those lines are converted (no OpenCC key holds a newline,
    so the others come out unchanged). A traditional page, or a page on its way to traditional
    script, changes on nearly every line: the whole text.
    """
    whole = [(0, len(text))]
    if name not in _TO_SIMPLIFIED or script == "Hant":
        return whole
    if name != "t2s":
        if conversion_triggers(name) is None:  # OpenCC's dictionaries could not be read
            return whole
        return _lines_holding(text, _trigger_positions(name, text))
    triggers = profile().t2s_triggers  # counted with the stage's other notable characters
    if triggers is None:
        return whole if traditional else []
    present = [char for char in state.counts() if char in triggers]
    if not present:
        return []
    found = (
        positions(text, present) if len(present) <= FIND_LIMIT else _trigger_positions(name, text)
    )
    return _lines_holding(text, found)


def _trigger_positions(name: str, text: str) -> list[int]:
    """Where ``text`` holds a character OpenCC ``name`` can change (``conversion_triggers``)."""
    triggers = conversion_triggers(name) or frozenset()
    return [match.start() for match in _trigger_class(name).finditer(text) if match[0] in triggers]


@lru_cache(maxsize=8)
def _trigger_class(name: str) -> re.Pattern[str]:
    """A trigger character of ``name`` in the BMP, or any character beyond it: a class holding
    the supplementary ones too would be tested range by range, some sixty times slower."""
    triggers = conversion_triggers(name) or ()
    bmp = char_class(char for char in triggers if char <= "\uffff")
    return re.compile(f"{bmp}|[\U00010000-\U0010ffff]")


def _lines_holding(text: str, found: list[int]) -> list[tuple[int, int]]:
    """The spans of the lines holding the positions ``found`` (sorted), adjacent lines joined."""
    lines: list[tuple[int, int]] = []
    end = -1
    for position in found:
        if position < end:
            continue  # on the line found last
        start = text.rfind("\n", 0, position) + 1
        end = text.find("\n", position)
        end = len(text) if end < 0 else end
        if lines and lines[-1][1] + 1 == start:
            lines[-1] = (lines[-1][0], end)
        else:
            lines.append((start, end))
    return lines


def _overlaps(
    spans: Iterable[tuple[int, int]], others: list[tuple[int, int]]
) -> Iterator[tuple[int, int]]:
    """The non-empty intersections of two sorted lists of disjoint spans."""
    index = 0
    for start, end in spans:
        while index < len(others) and others[index][1] <= start:
            index += 1
        cursor = index
        while cursor < len(others) and others[cursor][0] < end:
            first, last = max(start, others[cursor][0]), min(end, others[cursor][1])
            if first < last:
                yield first, last
            cursor += 1


_LANGUAGE_METAS = frozenset({"content-language", "language", "og:locale", "dc.language"})
"""``<meta>`` keys (http-equiv, name or property) whose content is the page's language."""


def _declared_lang(page: PageContext) -> str | None:
    """The page's language tag: ``<html lang>``/``xml:lang``, else a language ``<meta>``."""
    lang = page.values.get("lang")
    if lang or page.root is None:
        return lang
    for meta in page.root.iter("meta"):
        key = meta.get("http-equiv") or meta.get("name") or meta.get("property") or ""
        if key.lower() in _LANGUAGE_METAS and meta.get("content"):
            return meta.get("content")
    return None
