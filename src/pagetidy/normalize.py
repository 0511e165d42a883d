"""Script and Unicode normalization: OpenCC conversion, width and punctuation, invisible characters.

This module holds the algorithms; the rules that apply them and record edits live in
``pagetidy.rules``. ``shadow`` is also used by the boilerplate rules: they match patterns on a
folded copy of the text (simplified script, half-width ASCII) that has exactly the same length,
so one pattern serves simplified and traditional pages and a match's offsets are valid in the
original text.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit

import opencc

from pagetidy.decode import common_characters

_FULLWIDTH_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH_FOLD = str.maketrans({**_FULLWIDTH_ASCII, 0x3000: 0x20, 0x00A0: 0x20})
"""Full-width ASCII forms and ideographic / no-break spaces -> their ASCII counterparts."""
HALF_WIDTH = str.maketrans(_FULLWIDTH_ASCII)
"""Full-width ASCII forms (U+FF01-U+FF5E) -> ASCII."""


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


UNSEEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]+"
)
"""Control and format characters a reader never sees (C0/C1, soft hyphen, zero-width, bidi,
BOM). Normalization removes them late; rules that judge a line judge it without them, so that
``0000\x80返回顶部`` gets the verdict its clean form ``0000返回顶部`` will get."""


def as_read(text: str) -> str:
    """``text`` as its clean form will read: unseen characters gone, spaces collapsed."""
    return " ".join(UNSEEN.sub("", text).split())


def shadow(text: str) -> str:
    """A same-length folded copy of ``text`` for matching: simplified script, half-width ASCII."""
    return to_simplified_same_length(text).translate(_WIDTH_FOLD)


# --- What normalization must not touch ---------------------------------------------------------

_URL = re.compile(
    r"(?:https?|ftp)://[!-~]+|www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+[!-~]*", re.I
)
"""ASCII URLs. No ``\b`` (Python counts a hanzi as a word character): a scheme glued to Chinese
text (``访问http://…``) is still a URL."""
_URL_TRAILING = ".,;:!?)]}'\""
"""ASCII punctuation that ends a sentence rather than the URL before it."""
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}"
    r"\.[A-Za-z]{2,24}"
)
"""Starts only where a run of address characters starts, with bounded parts: a long run of
letters without ``@`` is scanned once, not once per position."""
_FENCE = re.compile(r"^\s*(?:```|~~~)")
_CODE_OPENER = re.compile(
    r"^\s*(?://|/\*|<\?php\b|<%|#include\b|#!/)"
)
"""Line starts that only code has: comments, PHP/ASP openers, C includes, shebangs."""
_CODE_IMPORT = re.compile(
    r"^\s*(?:import|package|using|from\s+[\w.]+\s+import)\s+[\w.*, ]+;?\s*$", re.ASCII
)
_CODE_SHAPE = re.compile(
    r"^\s*(?:(?:def|class|function|func|fn|public|private|protected|static|void|int|var|let|const"
    r"|return|package|using|namespace|SELECT|INSERT|UPDATE|DELETE)\s+\S"
    r"|(?:if|for|while|switch|catch|elif)\s*\("
    r"|[A-Za-z_$][A-Za-z0-9_.$\[\]'\"]*\s*(?:[-+*/.|&]?=|=>|->|::)\s*\S"
    r"|[A-Za-z_$][A-Za-z0-9_.$]*\(.*\)\s*;?\s*$)",
    re.ASCII,
)
"""Statement shapes: keywords, assignments, a bare call; or a line ending in ``;`` ``{`` ``}``,
checked with ``str.rstrip`` (a search for that across a long line of prose costs far more)."""
_STATEMENT_ENDS = (";", "{", "}")
_ASCII_SPACE = " \t\n\r\f\v"
_CODE_SYMBOL = re.compile(r"[{}\[\]();=<>$&|\\*#`]")
_CJK_CHAR = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
CODE_MAX_CJK_SHARE = 0.5
"""A line whose visible characters are more than half CJK is prose, even with code-like symbols
(a statement with a Chinese string literal, ``print("你好,世界")``, stays below)."""

PROTECT_REGEX_PREFIX = "re:"
"""``Config.protect`` entries are literal strings; this prefix marks a regular expression."""


ENTITY = re.compile(
    r"&(?:amp;){0,3}(?:#[0-9]{2,7}|#[xX][0-9a-fA-F]{2,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)
"""An HTML entity, possibly escaped again up to three times (``&amp;amp;nbsp;``)."""


def is_code_line(line: str) -> bool:
    """True for a line that looks like source code (statements, comments, includes)."""
    if _CODE_OPENER.match(line) or _CODE_IMPORT.match(line):
        return True
    if "&" in line:
        line = ENTITY.sub("", line)  # entities end in ";" and make prose look like statements
    if not (_CODE_SHAPE.match(line) or line.rstrip(_ASCII_SPACE).endswith(_STATEMENT_ENDS)):
        return False
    visible = len(line) - line.count(" ")
    if not _CODE_SYMBOL.search(line) or not visible:
        return False
    return len(_CJK_CHAR.findall(line)) / visible <= CODE_MAX_CJK_SHARE


_CODE_START = re.compile(r"\n[ \t]*[A-Za-z_$/#<]")
_CODE_END = re.compile(r"[;{}][ \t]*$", re.M)
"""Where a code line can be: it starts with an ASCII identifier or comment, or ends a statement.
(Two patterns: the first starts with a literal, which the regex engine scans for fastest.)"""


def code_line_spans(text: str) -> list[tuple[int, int]]:
    """Spans of lines that look like code, and of everything inside Markdown code fences."""
    # A one-character test first: ``in`` is several times faster for one character than three.
    if ("`" in text and "```" in text) or ("~" in text and "~~~" in text):
        return _fenced_code_spans(text)
    # A start hint is found at the newline before its line, so "\n" prefixes the text to catch
    # line 1 (and its offsets are then one past the line start).
    starts = {hint.start() for hint in _CODE_START.finditer("\n" + text)}
    if ";" in text or "{" in text or "}" in text:
        starts.update(text.rfind("\n", 0, hint.start()) + 1 for hint in _CODE_END.finditer(text))
    spans: list[tuple[int, int]] = []
    for start in sorted(starts):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if is_code_line(text[start:end]):
            spans.append((start, end))
    return spans


def _fenced_code_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    fenced = False
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if _FENCE.match(line):
            fenced = not fenced
            spans.append((start, end))
        elif fenced or is_code_line(line):
            spans.append((start, end))
        start = end + 1
    return spans


@lru_cache(maxsize=32)
def protect_patterns(protect: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """The compiled patterns of ``Config.protect``: ``re:``-prefixed entries are regexes."""
    return tuple(
        re.compile(entry[len(PROTECT_REGEX_PREFIX) :])
        if entry.startswith(PROTECT_REGEX_PREFIX)
        else re.compile(re.escape(entry))
        for entry in protect
    )


def protected_spans(
    text: str,
    patterns: tuple[re.Pattern[str], ...] = (),
    extra: Iterable[tuple[int, int]] = (),
) -> list[tuple[int, int]]:
    """Sorted, merged spans that normalization leaves alone: URLs, e-mails, code, ``patterns``,
    and the ``extra`` spans the caller knows of (``<pre>`` blocks)."""
    spans = code_line_spans(text)
    spans.extend(extra)
    if (":" in text and "://" in text) or ("w" in text and "www." in text):
        for start, end in _lines_around(text, _URL_HINTS):
            for match in _URL.finditer(text, start, end):
                url = match.group().rstrip(_URL_TRAILING)
                spans.append((match.start(), match.start() + len(url)))
    if "@" in text:
        for start, end in _lines_around(text, (_AT,)):
            spans.extend(match.span() for match in _EMAIL.finditer(text, start, end))
    for pattern in patterns:
        spans.extend(found.span() for found in pattern.finditer(text) if found.group())
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


_URL_HINTS = (re.compile("://"), re.compile(r"\.(?<=[Ww][Ww][Ww]\.)"))
"""What every URL holds (``_URL`` ignores case); each starts with a literal, which the regex
engine scans for fastest."""
_AT = re.compile("@")


def _lines_around(text: str, hints: tuple[re.Pattern[str], ...]) -> list[tuple[int, int]]:
    """The spans of the lines holding a match of one of ``hints``, in order, each once.

    URLs and e-mail addresses never hold a newline, so matching their patterns on these lines
    alone finds what matching them on the whole text finds, without scanning every character.
    """
    lines: set[tuple[int, int]] = set()
    for hint in hints:
        end = -1
        for match in hint.finditer(text):
            if match.start() < end:
                continue  # on the line found last
            start = text.rfind("\n", 0, match.start()) + 1
            end = text.find("\n", match.end())
            end = len(text) if end < 0 else end
            lines.add((start, end))
    return sorted(lines)


_Change = TypeVar("_Change", bound=tuple[Any, ...])
"""A change as a tuple that starts with its ``start`` and ``end`` (``rules.base.Change``)."""


def _first_character(change: tuple[Any, ...]) -> int:
    return change[0]  # type: ignore[no-any-return]


def _last_character(change: tuple[Any, ...]) -> int:
    return max(change[0], change[1] - 1)  # type: ignore[no-any-return]


def shifted_spans(
    spans: list[tuple[int, int]], changes: Sequence[tuple[int, int, str, str | None]]
) -> list[tuple[int, int]]:
    """``spans`` (sorted) in the text after ``changes`` (``Change`` tuples,
    sorted, not overlapping); a change that starts inside a span or at its start is taken into
    it, and a span removed whole is dropped. The pipeline moves the tree's protected spans with
    it after every rule, the normalization stage its guard."""
    starts = [change[0] for change in changes]
    offsets = [0]
    for change in changes:
        offsets.append(offsets[-1] + len(change[2]) - (change[1] - change[0]))

    def moved(position: int, *, end: bool) -> int:
        index = bisect_left(starts, position)  # the changes starting before ``position``
        if index and changes[index - 1][1] > position:  # inside a change
            change = changes[index - 1]
            return change[0] + offsets[index - 1] + (len(change[2]) if end else 0)
        return position + offsets[index]

    moved_spans = [(moved(start, end=False), moved(end, end=True)) for start, end in spans]
    return [(start, end) for start, end in moved_spans if end > start]


class Guard:
    """The protected spans of one text, queried by the rules of the normalization stage."""

    def __init__(
        self,
        text: str,
        patterns: tuple[re.Pattern[str], ...] = (),
        extra: Iterable[tuple[int, int]] = (),
    ) -> None:
        """Find the protected spans of ``text`` once."""
        self.spans = protected_spans(text, patterns, extra)
        self._starts = [start for start, _ in self.spans]

    def covers(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` overlaps a protected span."""
        index = bisect_right(self._starts, max(start, end - 1)) - 1
        return index >= 0 and self.spans[index][1] > start

    def uncovered(self, changes: list[_Change]) -> list[_Change]:
        """``changes`` (sorted, not overlapping) less those that ``covers`` says overlap a span.

        Two bisections per protected span rather than a test per change: a page can bring ten
        thousand changes and a handful of spans. The same list comes back when none is covered.
        """
        kept: list[_Change] = []
        cursor = 0
        for start, end in self.spans:
            # ``covers`` tests a change's last character (its start when empty) against the
            # span's start and its start against the span's end; both keys grow along the list.
            first = bisect_left(changes, start, cursor, key=_last_character)
            past = bisect_left(changes, end, first, key=_first_character)
            if first < past:
                kept += changes[cursor:first]
                cursor = past
        if not cursor:
            return changes
        kept += changes[cursor:]
        return kept

    def shifted(self, changes: Sequence[tuple[int, int, str, str | None]]) -> Guard:
        """This guard for the text after ``changes`` (sorted, none touching a protected span)."""
        moved = Guard.__new__(Guard)
        moved.spans = shifted_spans(self.spans, changes)
        moved._starts = [start for start, _ in moved.spans]
        return moved

    def free(self, length: int) -> Iterator[tuple[int, int]]:
        """The unprotected segments of a text of ``length`` characters."""
        cursor = 0
        for start, end in self.spans:
            if start > cursor:
                yield cursor, start
            cursor = max(cursor, end)
        if cursor < length:
            yield cursor, length


# --- Script detection and conversion ---------------------------------------------------------

Script = Literal["Hans", "Hant", "mixed", "none"]
SCRIPT_SHARE = 0.005
"""Below 0.5% of the Han characters, the other script's characters count as quotations or noise."""
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
"""The BMP Han blocks OpenCC's character tables cover."""


def char_class(chars: Iterable[str]) -> str:
    """A regex character class for ``chars``, with consecutive code points folded into ranges."""
    codes = sorted({ord(char) for char in chars})
    parts: list[str] = []
    index = 0
    while index < len(codes):
        first = last = codes[index]
        while index + 1 < len(codes) and codes[index + 1] == last + 1:
            index += 1
            last = codes[index]
        parts.append(re.escape(chr(first)) + ("-" + re.escape(chr(last)) if last > first else ""))
        index += 1
    return "[" + "".join(parts) + "]" if parts else "[^\\s\\S]"


@lru_cache(maxsize=1)
def script_classes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Patterns for traditional-only and simplified-only characters, built once from OpenCC.

    Traditional-only: ``t2s`` changes it. Simplified-only: ``s2t`` changes it and Big5 lacks it
    (s2t also rewrites characters traditional text uses: 台, 余, 霉).
    """
    chars = [chr(code) for low, high in _HAN_RANGES for code in range(low, high + 1)]
    joined = "\n".join(chars)
    simplified = converter("t2s").convert(joined).split("\n")
    traditional = converter("s2t").convert(joined).split("\n")
    trad_only = [c for c, simp in zip(chars, simplified, strict=True) if simp != c]
    simp_only = [
        c for c, trad in zip(chars, traditional, strict=True) if trad != c and not _in_big5(c)
    ]
    return re.compile(char_class(trad_only)), re.compile(char_class(simp_only))


def _in_big5(char: str) -> bool:
    try:
        char.encode("big5")
    except UnicodeEncodeError:
        return False
    return True


_NON_HAN_WIDE = re.compile(
    r"[^\x00-\x7f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
)


def _non_ascii(text: str) -> int:
    return len(text) - len(text.encode("ascii", "ignore"))


def han_count(text: str) -> int:
    """How many Han characters ``text`` holds."""
    # Counting the few non-Han wide characters is several times faster than matching every hanzi.
    return _non_ascii(text) - len(_NON_HAN_WIDE.findall(text))


HAN_COUNT_CHUNK = 8192
"""Characters counted at a time by ``_han_count_past`` before it checks its bound."""


def _han_count_past(text: str, bound: float) -> int:
    """``han_count(text)``, or, once the count passes ``bound``, the count of the part of
    ``text`` counted so far: a few traditional characters in a long simplified page are told
    from a traditional page without counting the whole page (a non-Han scan is slow)."""
    count = 0
    for start in range(0, len(text), HAN_COUNT_CHUNK):
        count += han_count(text[start : start + HAN_COUNT_CHUNK])
        if count > bound:
            break
    return count


def has_han(text: str) -> bool:
    """True when ``text`` holds a Han character."""
    return _HAN.search(text) is not None


def script_shares(text: str, traditional_count: int | None = None) -> tuple[int, float, float]:
    """Han character count, and the shares of traditional-only and simplified-only characters.

    The shares are first taken over all non-ASCII characters (fast). That only lowers them, so
    the Han count is needed only when a share is above zero and below ``SCRIPT_SHARE``.
    Below that traditional share the text is simplified, its simplified share is given as 0,
    and the Han count may be that of a part of the text long enough to show it.
    ``traditional_count``, when the caller has counted the traditional-only characters already,
    saves that scan.
    """
    if not _HAN.search(text):
        return 0, 0.0, 0.0
    traditional, simplified = script_classes()
    total = _non_ascii(text)
    trad = len(traditional.findall(text)) if traditional_count is None else traditional_count
    if 0 < trad < SCRIPT_SHARE * total:
        total = _han_count_past(text, trad / SCRIPT_SHARE)
    if trad < SCRIPT_SHARE * total:
        return total, trad / total, 0.0  # simplified: the simplified share does not matter
    simp = len(simplified.findall(text))
    if 0 < simp < SCRIPT_SHARE * total:
        total = han_count(text)
    return total, trad / total, simp / total


def detect_script(text: str) -> Script:
    """``Hans``, ``Hant``, ``mixed``, or ``none`` when the text has no Han characters."""
    return classify_script(*script_shares(text))


def classify_script(total: int, traditional: float, simplified: float) -> Script:
    """The script that ``script_shares`` figures describe."""
    if not total:
        return "none"
    if traditional < SCRIPT_SHARE:
        return "Hans"
    if simplified < SCRIPT_SHARE:
        return "Hant"
    return "mixed"


_LANG_REGIONS = {
    "tw": "TW", "hk": "HK", "mo": "MO", "cn": "CN", "sg": "SG", "my": "MY",
}  # fmt: skip
_DOMAIN_REGIONS = {".tw": "TW", ".hk": "HK", ".mo": "MO", ".cn": "CN", ".sg": "SG"}


def region_hint(lang: str | None, url: str | None) -> str | None:
    """A region code (``TW``, ``HK``, ``MO``, ``CN``, ``SG``...) from a language tag or a domain."""
    if lang:
        parts = re.split(r"[-_]", lang.strip().lower())
        if parts[0] == "zh":
            for part in parts[1:]:
                if part in _LANG_REGIONS:
                    return _LANG_REGIONS[part]
    if url:
        try:
            host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
        except ValueError:  # a crawler's URL with a stray bracket: "Invalid IPv6 URL"
            return None
        for suffix, region in _DOMAIN_REGIONS.items():
            if host.endswith(suffix):
                return region
    return None


def conversion_config(to: str, script: Script, region: str | None, phrases: bool) -> str | None:
    """The OpenCC config that takes a page of ``script``/``region`` to ``to``, or None for none.

    Simplified output from Taiwan or unlabelled traditional text uses ``tw2s`` (``t2s`` leaves the
    著 of 隨著), from Hong Kong and Macau ``hk2s``; ``phrases`` switches to the vocabulary-level
    configs, which change lengths.
    """
    if to == "none" or script == "none":
        return None
    hongkong = region in ("HK", "MO")
    suffix = "p" if phrases else ""
    if to == "hans":
        if hongkong:
            return f"hk2s{suffix}"
        if script == "Hans" and region != "TW":
            return "t2s"
        return f"tw2s{suffix}"
    if to == "hant":
        return None if script == "Hant" else "s2t"
    target = "tw" if to == "tw" else "hk"
    if script == "Hant" and not phrases:
        return f"t2{target}"
    return f"s2{target}{suffix}"


_STOPS = "\n，。！？；：、,.!?;:"
_CLAUSE = re.compile(f"[^{_STOPS}]+[{_STOPS}]*|[{_STOPS}]+")
"""A clause and its closing punctuation: OpenCC phrases do not cross punctuation."""


def converted_together(pieces: list[str], convert: Callable[[str], str]) -> list[str]:
    """Each of ``pieces`` converted, with one call of ``convert`` (OpenCC's costs a few
    microseconds before the first character): joined by newlines, which no OpenCC key holds,
    and cut again at them."""
    if len(pieces) == 1:
        return [convert(pieces[0])]
    lines = convert("\n".join(pieces)).split("\n")
    counts = [piece.count("\n") + 1 for piece in pieces]
    if len(lines) != sum(counts):  # a conversion that wrote or removed a newline
        return [convert(piece) for piece in pieces]
    converted = []
    cursor = 0
    for count in counts:
        converted.append("\n".join(lines[cursor : cursor + count]))
        cursor += count
    return converted


def changed_runs(
    text: str,
    start: int,
    end: int,
    convert: Callable[[str], str],
    converted: str | None = None,
) -> Iterator[tuple[int, int, str]]:
    """``(start, end, after)`` for each run of ``text[start:end]`` that ``convert`` changes;
    ``converted``, when given, is what ``convert`` makes of that segment."""
    segment = text[start:end]
    if converted is None:
        converted = convert(segment)
    if converted == segment:
        return
    if len(converted) == len(segment):
        yield from _same_length_runs(segment, converted, start)
        return
    for clause in _CLAUSE.finditer(segment):
        before = clause.group()
        after = convert(before)
        if after == before:
            continue
        offset = start + clause.start()
        if len(after) == len(before):
            yield from _same_length_runs(before, after, offset)
        else:
            yield from _aligned_runs(before, after, offset)


_ZERO_BYTES = re.compile(rb"\x00{4,}")


DIFF_CHUNK = 512
"""Same-length texts longer than a few chunks are compared chunk by chunk first (a string
comparison each), so that a long text with a few converted characters is not diffed whole."""


def _same_length_runs(before: str, after: str, offset: int) -> Iterator[tuple[int, int, str]]:
    """Runs where two same-length strings differ: in the stretches of differing chunks only."""
    if len(before) <= 4 * DIFF_CHUNK:
        yield from _differing_runs(before, after, offset)
        return
    stretches: list[list[int]] = []
    for start in range(0, len(before), DIFF_CHUNK):
        end = start + DIFF_CHUNK
        if before[start:end] == after[start:end]:
            continue
        if stretches and stretches[-1][1] == start:
            stretches[-1][1] = end  # a run can go on into the next chunk
        else:
            stretches.append([start, end])
    for start, end in stretches:
        yield from _differing_runs(before[start:end], after[start:end], offset + start)


def _differing_runs(before: str, after: str, offset: int) -> Iterator[tuple[int, int, str]]:
    """Runs where two same-length strings differ, found without a Python loop per character.

    The UTF-32 code units are XORed as one big integer; four-byte-aligned zero runs of the
    result are the equal stretches, and the runs are what lies between them.
    """
    width = 4 * len(before)
    xor = int.from_bytes(before.encode("utf-32-le"), "little") ^ int.from_bytes(
        after.encode("utf-32-le"), "little"
    )
    diff = xor.to_bytes(width, "little")
    cursor = 0
    for zeros in _ZERO_BYTES.finditer(diff):
        first, last = -(-zeros.start() // 4), zeros.end() // 4  # whole zero units only
        if last <= first:
            continue
        if first > cursor:
            yield offset + cursor, offset + first, after[cursor:first]
        cursor = last
    if cursor < len(before):
        yield offset + cursor, offset + len(before), after[cursor:]


def _aligned_runs(before: str, after: str, offset: int) -> Iterator[tuple[int, int, str]]:
    """Runs of a length-changing conversion, aligned by a sequence matcher."""
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    pending: tuple[int, int, int, int] | None = None
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            if pending:
                yield offset + pending[0], offset + pending[1], after[pending[2] : pending[3]]
                pending = None
            continue
        pending = (pending[0], i2, pending[2], j2) if pending else (i1, i2, j1, j2)
    if pending:
        yield offset + pending[0], offset + pending[1], after[pending[2] : pending[3]]


# --- Unicode composition ---------------------------------------------------------------------


def nfc_runs(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, after)`` for each run of ``text`` that NFC changes, one per cluster run."""
    if unicodedata.is_normalized("NFC", text):
        return
    start = 0
    for line in text.split("\n"):
        if not unicodedata.is_normalized("NFC", line):
            yield from _line_nfc_runs(line, start)
        start += len(line) + 1


def _line_nfc_runs(line: str, offset: int) -> Iterator[tuple[int, int, str]]:
    # Split into clusters (a base and its combining marks) and normalize each; Hangul jamo and
    # other compositions across clusters fall back to one run for the changed middle of the line.
    clusters: list[tuple[int, int]] = []
    for index, char in enumerate(line):
        if clusters and unicodedata.combining(char):
            clusters[-1] = (clusters[-1][0], index + 1)
        else:
            clusters.append((index, index + 1))
    pieces = [unicodedata.normalize("NFC", line[a:b]) for a, b in clusters]
    if "".join(pieces) != unicodedata.normalize("NFC", line):
        yield from _aligned_runs(line, unicodedata.normalize("NFC", line), offset)
        return
    run: list[int] | None = None
    after: list[str] = []
    for (a, b), piece in zip(clusters, pieces, strict=True):
        if piece != line[a:b]:
            if run is None:
                run, after = [a, b], []
            run[1] = b
            after.append(piece)
        elif run is not None:
            yield offset + run[0], offset + run[1], "".join(after)
            run = None
    if run is not None:
        yield offset + run[0], offset + run[1], "".join(after)


# --- Mojibake --------------------------------------------------------------------------------

_CP1252_EXTRA = bytes(range(0x80, 0xA0)).decode("cp1252", "ignore")
"""The characters cp1252 puts at 0x80-0x9F (euro sign, curly quotes, dashes...)."""
_CP1252_BYTES = {char: char.encode("cp1252")[0] for char in _CP1252_EXTRA}
_LATIN_RUN = re.compile(f"[\u00a0-\u00ff][\u0080-\u00ff{_CP1252_EXTRA}]{{3,}}")
"""Four or more Latin-1 / cp1252 characters in a row: two GBK or UTF-8 hanzi read as Latin-1.
The first is a lead byte (0xA0 and up in both encodings), which lets the regex scan quickly."""
_LATIN_ANY = f"\u0080-\u00ff{_CP1252_EXTRA}"
_ANY_LATIN_RUN = re.compile(f"(?<![{_LATIN_ANY}])[\u00a0-\u00ff][{_LATIN_ANY}]+")
"""Any such run, even one hanzi (年 between digits): repaired on a line only where a long run
was repaired with the same codec, which is the evidence a short run cannot give."""
_LATIN_LETTER = re.compile("[\u00a0-\u00ff]")
_LATIN_LEAD = re.compile("[\u00c0-\u00ff]")
LATIN_SUSPECT_LEADS = 3
"""A Latin-1 run with this many accented letters that does not re-decode is flagged: real
European words rarely put three accented letters in one run of non-ASCII characters."""
_MOJIBAKE_PIECE = re.compile(r"[^\x00-\x7f\s，。、；：！？“”]+")
"""Non-ASCII runs cut at Chinese punctuation, which UTF-8-as-GBK mojibake almost never holds."""
MOJIBAKE_WINDOW = 10
"""Han characters a line needs before its common-character share means anything."""
MOJIBAKE_SHARE = 0.6
"""Real text, even classical or traditional, is above this share of common characters."""
REPAIR_SHARE = 0.9
"""A repair is kept only when the repaired text is at least this share of common characters."""
_MOJIBAKE_LITERALS = re.compile("锟斤拷|烫{3,}|屯{3,}")


def _latin_bytes(run: str) -> bytes:
    """The bytes a Latin-1 / cp1252 reading turned into ``run`` (browsers mix the two)."""
    return bytes(_CP1252_BYTES.get(char, ord(char)) for char in run)


@lru_cache(maxsize=1)
def uncommon_class() -> re.Pattern[str]:
    """A pattern matching one non-ASCII, non-space character that is not a common character."""
    return re.compile("[^\\x00-\\x7f\\s" + char_class(common_characters())[1:])


_WIDE_SPACE = re.compile(r"[^\S\x00-\x7f]")
_LATIN_LETTERS = re.compile("[\u00c0-\u024f\u0300-\u036f\u1e00-\u1eff]+")
"""Accented Latin letters (pinyin tone marks, European words): no evidence about hanzi."""


def common_share(text: str) -> tuple[int, float]:
    """Han character count of ``text`` and the share of its non-ASCII characters that are common.

    Accented Latin letters are left out of the count, so a pinyin-annotated poem is not taken
    for GBK mojibake; Latin-1 mojibake is found by its own run pattern.
    """
    text = _LATIN_LETTERS.sub("", text)
    wide = _non_ascii(text) - len(_WIDE_SPACE.findall(text))
    if not wide:
        return 0, 0.0
    return han_count(text), 1 - len(uncommon_class().findall(text)) / wide


_NEWLINE = re.compile("\n")


def suspect_lines(text: str, *, hint: Collection[str] | None = None) -> list[tuple[int, int]]:
    """Spans of the lines that may hold mojibake: Latin-1 runs, lost-byte markers, rare hanzi.

    ``hint``, when the caller has counted the text's characters, holds at least every
    U+00A0-U+00FF, 锟, 烫, 屯 and uncommon character of the text: the few that occur are then
    found with ``str.find``, many times faster than a character-class scan, and a Latin-1 run
    is looked for only where its first character is.
    """
    if hint is None:
        hits = [match.start() for match in _LATIN_RUN.finditer(text)]
        markers = True
        uncommon = [match.start() for match in uncommon_class().finditer(text)]
    else:
        leads = [char for char in hint if "\u00a0" <= char <= "\u00ff"]
        hits = [match.start() for match in matches_from(text, _LATIN_RUN, positions(text, leads))]
        markers = any(char in hint for char in "锟烫屯")
        rare = [char for char in hint if uncommon_class().match(char)]
        uncommon = (
            positions(text, rare)
            if len(rare) <= FIND_LIMIT
            else [match.start() for match in uncommon_class().finditer(text)]
        )
    if markers and any(marker in text for marker in ("锟斤拷", "烫烫烫", "屯屯屯")):
        hits += [match.start() for match in _MOJIBAKE_LITERALS.finditer(text)]
    rare_by_line: dict[int, int] = {}
    line_start = cursor = 0
    for position in uncommon:
        # Looking back only to the previous one keeps this linear on one long line.
        newline = text.rfind("\n", cursor, position)
        if newline >= 0:
            line_start = newline + 1
        cursor = position
        rare_by_line[line_start] = rare_by_line.get(line_start, 0) + 1
    min_rare = MOJIBAKE_WINDOW * (1 - MOJIBAKE_SHARE)
    starts = {start for start, count in rare_by_line.items() if count >= min_rare}
    if hits:
        # Line starts found once and bisected: rfind per hit is quadratic on one long line.
        line_starts = [0, *(match.end() for match in _NEWLINE.finditer(text))]
        starts.update(line_starts[bisect_right(line_starts, hit) - 1] for hit in hits)
    spans = []
    for start in sorted(starts):
        end = text.find("\n", start)
        spans.append((start, len(text) if end < 0 else end))
    return spans


FIND_LIMIT = 12
"""Up to this many distinct characters, one ``str.find`` pass each beats one regex scan."""


def positions(text: str, chars: Iterable[str]) -> list[int]:
    """Where each of ``chars`` occurs in ``text``, in order (a ``str.find`` pass per char)."""
    positions: list[int] = []
    for char in chars:
        found = text.find(char)
        while found >= 0:
            positions.append(found)
            found = text.find(char, found + 1)
    positions.sort()
    return positions


def matches_from(
    text: str, pattern: re.Pattern[str], candidates: list[int]
) -> list[re.Match[str]]:
    """What ``pattern.finditer(text)`` finds, given (in order) every position a match of it can
    start at (a lookbehind still sees the text before the position)."""
    matches: list[re.Match[str]] = []
    end = 0
    for candidate in candidates:
        if candidate < end:
            continue
        match = pattern.match(text, candidate)
        if match:
            matches.append(match)
            end = match.end()
    return matches


def _plausible_repair(repaired: str) -> bool:
    han, share = common_share(repaired)
    return han >= 2 and share >= REPAIR_SHARE


def _redecode(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def repair_latin_run(run: str, codecs: tuple[str, ...] = ("utf-8", "gb18030")) -> str | None:
    """UTF-8 or GBK bytes read as Latin-1 / cp1252, decoded again; None when no clean repair.

    A run that repairs only without its control characters is repaired so: normalization drops
    them later, and the run left would be repaired by the next cleaning of the text.
    """
    if len(_LATIN_LETTER.findall(run)) < 2:
        return None
    for candidate in dict.fromkeys((run, UNSEEN.sub("", run))):
        data = _latin_bytes(candidate)
        for codec in codecs:
            repaired = _redecode(data, codec)
            if repaired is not None and _plausible_repair(repaired):
                return repaired
    return None


def _repair_short_run(run: str, codecs: set[str]) -> str | None:
    data = _latin_bytes(run)
    for codec in sorted(codecs):
        repaired = _redecode(data, codec)
        if repaired is not None and common_share(repaired)[1] >= REPAIR_SHARE:
            return repaired
    return None


def repair_gbk_run(run: str) -> str | None:
    """UTF-8 bytes read as GBK, decoded again; None when the bytes are not clean UTF-8."""
    try:
        data = run.encode("gb18030")
    except UnicodeEncodeError:
        return None
    repaired = _redecode(data, "utf-8")
    if repaired is None or not _plausible_repair(repaired):
        return None
    return repaired


def mojibake_runs(line: str) -> Iterator[tuple[int, int, str | None]]:
    """Mojibake found in ``line``: ``(start, end, repaired)``, with None where no repair is safe."""
    codecs: set[str] = set()
    repaired_at: set[int] = set()
    unrepaired: list[re.Match[str]] = []
    for match in _LATIN_RUN.finditer(line):
        for codec in ("utf-8", "gb18030"):
            repaired = repair_latin_run(match.group(), (codec,))
            if repaired is not None:
                codecs.add(codec)
                repaired_at.add(match.start())
                yield match.start(), match.end(), repaired
                break
        else:
            unrepaired.append(match)
    if codecs:
        for match in _ANY_LATIN_RUN.finditer(line):
            if match.start() in repaired_at:
                continue
            repaired = _repair_short_run(match.group(), codecs)
            if repaired is not None:
                yield match.start(), match.end(), repaired
    else:
        for match in unrepaired:
            if len(_LATIN_LEAD.findall(match.group())) >= LATIN_SUSPECT_LEADS:
                yield match.start(), match.end(), None
    han, share = common_share(line)
    if han < MOJIBAKE_WINDOW or share >= MOJIBAKE_SHARE:
        return
    found = False
    for match in _MOJIBAKE_PIECE.finditer(line):
        run_han, run_share = common_share(match.group())
        if run_han < 2 or run_share >= MOJIBAKE_SHARE:
            continue
        # An odd UTF-8 byte count pairs its last byte with the next ASCII character in GBK.
        for end in (match.end(), min(match.end() + 1, len(line))):
            repaired = repair_gbk_run(line[match.start() : end])
            if repaired is not None:
                found = True
                yield match.start(), end, repaired
                break
    if not found:
        yield 0, len(line), None


def mojibake_literal(line: str) -> str | None:
    """The ``锟斤拷`` / ``烫烫烫`` / ``屯屯屯`` marker of lost bytes in ``line``, if any."""
    match = _MOJIBAKE_LITERALS.search(line)
    return match.group() if match else None
