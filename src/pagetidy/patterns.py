"""A helper for regular expressions that Python's engine would otherwise try at every position."""

from __future__ import annotations


def led_by(first: str, pattern: str) -> str:
    """``pattern`` behind a lookahead for ``first``, the characters every match starts with.

    Python's engine skips ahead by a pattern's first characters only when every alternative
    starts with a literal it can compare exactly; a case-blind alternation, or one whose
    alternatives start with a group, a class or a lookbehind, is otherwise tried at every
    position. ``first`` is the inside of a character class (compiled with the pattern's flags,
    so case-blindness applies to it too); the lookahead changes no match.
    """
    return f"(?=[{first}])(?:{pattern})"
