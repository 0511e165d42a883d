"""Adversarial inputs for a compiled regular expression, built from the pattern itself.

Catastrophic backtracking shows on long runs of the characters a pattern accepts, ended by one it
does not (the match fails after trying every split). So the inputs are: each character the pattern
names, repeated; all of them interleaved; each literal sequence repeated, whole and missing its
last character (a near-miss); every input ends in a character the pattern never names.

This module imports nothing from pagetidy, so the subprocess that runs it starts in milliseconds:

    python -m tests.regex_inputs < PICKLED_PATTERN     # exits 0 when every search finished
"""

from __future__ import annotations

import pickle
import re
import sys
from typing import Any

try:  # Python 3.11+
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse  # type: ignore[no-redef]

LENGTH = 100_000
"""Characters per input: a quadratic pattern needs ~5e9 steps on it, a linear one milliseconds."""

MAX_CHARACTERS = 32
"""Characters taken from one pattern; a class like ``[^<>]`` contributes its edges only."""

_CATEGORY_SAMPLES = {
    "CATEGORY_DIGIT": "7",
    "CATEGORY_NOT_DIGIT": "x",
    "CATEGORY_SPACE": " \t\n\u3000",
    "CATEGORY_NOT_SPACE": "x中",
    "CATEGORY_WORD": "a中_",
    "CATEGORY_NOT_WORD": " 。",
    "CATEGORY_LINEBREAK": "\n",
    "CATEGORY_NOT_LINEBREAK": "x",
}

_ENDINGS = "\x01#x中 \n"
"""Candidates for the closing character: the first one the pattern does not name is used."""


def _walk(parsed: Any, chars: list[str], literals: list[str]) -> None:
    """Collect the characters and literal sequences of a parsed pattern (sre_parse tree)."""
    run: list[str] = []
    for op, av in parsed:
        name = str(op)
        if name == "LITERAL":
            chars.append(chr(av))
            run.append(chr(av))
            continue
        if len(run) > 1:
            literals.append("".join(run))
        run = []
        if name == "NOT_LITERAL":
            chars.append(chr(av))
        elif name == "IN":
            for item_op, item in av:
                item_name = str(item_op)
                if item_name == "LITERAL":
                    chars.append(chr(item))
                elif item_name == "RANGE":
                    low, high = item
                    chars.extend((chr(low), chr(high), chr((low + high) // 2)))
                elif item_name == "CATEGORY":
                    chars.extend(_CATEGORY_SAMPLES.get(str(item), ""))
        elif name == "ANY":
            chars.append("x")
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            _walk(av[2], chars, literals)
        elif name == "SUBPATTERN":
            _walk(av[-1], chars, literals)
        elif name in ("ASSERT", "ASSERT_NOT"):
            _walk(av[1], chars, literals)
        elif name == "ATOMIC_GROUP":
            _walk(av, chars, literals)
        elif name == "BRANCH":
            for branch in av[1]:
                _walk(branch, chars, literals)
        elif name == "GROUPREF_EXISTS":
            _walk(av[1], chars, literals)
            if av[2] is not None:
                _walk(av[2], chars, literals)
        elif name == "CATEGORY":
            chars.extend(_CATEGORY_SAMPLES.get(str(av), ""))
    if len(run) > 1:
        literals.append("".join(run))


def pattern_parts(pattern: re.Pattern[Any]) -> tuple[list[str], list[str]]:
    """The distinct characters (at most MAX_CHARACTERS) and literal sequences a pattern names."""
    source = pattern.pattern
    text = source.decode("latin-1") if isinstance(source, bytes) else source
    flags = pattern.flags & ~re.UNICODE if isinstance(source, bytes) else pattern.flags
    chars: list[str] = []
    literals: list[str] = []
    _walk(sre_parse.parse(text, flags), chars, literals)
    if pattern.flags & re.IGNORECASE:
        chars += [char.swapcase() for char in chars]
    unique = list(dict.fromkeys(char for char in chars if len(char) == 1))
    return unique[:MAX_CHARACTERS], list(dict.fromkeys(literals))


def adversarial_inputs(pattern: re.Pattern[Any], length: int = LENGTH) -> list[str]:
    """Long runs of the pattern's own characters and literals, each ended by a foreign one."""
    LENGTH = length
    chars, literals = pattern_parts(pattern)
    ending = next((char for char in _ENDINGS if char not in chars), "\x02")
    inputs = [char * LENGTH + ending for char in chars]
    if chars:
        mixed = "".join(chars)
        inputs.append(mixed * (LENGTH // len(mixed)) + ending)
        inputs.append("".join(char * 50 for char in chars) * (LENGTH // (50 * len(chars))) + ending)
    for literal in literals:
        inputs.append(literal * (LENGTH // len(literal)) + ending)
        near = literal[:-1]
        inputs.append(near * (LENGTH // len(near)) + ending)
    return inputs


def exercise(pattern: re.Pattern[Any], length: int = LENGTH) -> int:
    """Run finditer and search over every adversarial input; return the number of inputs."""
    inputs = adversarial_inputs(pattern, length)
    for text in inputs:
        subject: str | bytes = text
        if isinstance(pattern.pattern, bytes):
            subject = text.encode("utf-8")
        for _ in pattern.finditer(subject):  # type: ignore[arg-type]
            pass
        pattern.search(subject)  # type: ignore[arg-type]
    return len(inputs)


if __name__ == "__main__":
    print(exercise(*pickle.load(sys.stdin.buffer)))
