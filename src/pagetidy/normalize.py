"""Script and Unicode normalization: OpenCC conversion, width and punctuation, invisible characters.

This module holds the algorithms; the rules that apply them and record edits live in
``pagetidy.rules``. ``shadow`` is also used by the boilerplate rules: they match patterns on a
folded copy of the text (simplified script, half-width ASCII) that has exactly the same length,
so one pattern serves simplified and traditional pages and a match's offsets are valid in the
original text.
"""

from __future__ import annotations

from functools import lru_cache

import opencc

_FULLWIDTH_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH_FOLD = str.maketrans({**_FULLWIDTH_ASCII, 0x3000: 0x20, 0x00A0: 0x20})
"""Full-width ASCII forms and ideographic / no-break spaces -> their ASCII counterparts."""


@lru_cache(maxsize=8)
def converter(config: str) -> opencc.OpenCC:
    """One OpenCC converter per config name (``t2s``, ``tw2s``...), built once per process."""
    return opencc.OpenCC(config if config.endswith(".json") else f"{config}.json")


def to_simplified_same_length(text: str) -> str:
    """``text`` in simplified script, character for character (same length as the input)."""
    t2s = converter("t2s")
    converted: str = t2s.convert(text)
    if len(converted) == len(text):
        return converted
    # A phrase mapping changed the length somewhere: fall back to single characters.
    return "".join(
        mapped if len(mapped := t2s.convert(char)) == 1 else char for char in text
    )


def shadow(text: str) -> str:
    """A same-length folded copy of ``text`` for matching: simplified script, half-width ASCII."""
    return to_simplified_same_length(text).translate(_WIDTH_FOLD)
