"""Unicode family: character-level repairs of the text.

``drop-replacement-characters`` runs first among the text rules. The others form the
normalization stage with ``convert-script`` (``rules/script.py``): mojibake, entities, NFC,
invisible characters, width, spaces and punctuation. Their algorithms live in
``pagetidy.normalize``; ``NormalizationRule`` gives them the guard that keeps URLs, e-mails, code
lines and ``Config.protect`` text untouched.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from pagetidy.normalize import (
    ENTITY,
    HALF_WIDTH,
    Guard,
    mojibake_literal,
    mojibake_runs,
    nfc_runs,
    protect_patterns,
    suspect_lines,
    uncommon_class,
)
from pagetidy.rules.base import Change, PageContext, TextRule

if TYPE_CHECKING:
    from pagetidy.pipeline import Config

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


class NormalizationRule(TextRule):
    """A text rule of the normalization stage: it leaves URLs, e-mails, code and protected text."""

    for_metadata: ClassVar[bool] = True
    """Whether metadata values (title, source, author, editor) get this rule too."""
    adds_characters: ClassVar[str | None] = None
    """Normalization rewrites characters by design (repaired, decoded, folded, widened,
    converted); each rule's replacements are documented in docs/normalization.md."""

    def __init__(self, config: Config) -> None:
        """Compile the user's protected patterns once."""
        super().__init__(config)
        self.patterns = protect_patterns(config.protect)

    def normalize_value(self, value: str, page: PageContext) -> str:
        """``value`` (a metadata field) normalized the way this rule normalizes the text."""
        scratch = replace(page, values=dict(page.values), flags=[])
        changes = sorted(self.find(value, scratch), key=lambda change: change.start)
        return _applied(value, changes)

    def guard(self, text: str) -> Guard:
        """The protected spans of ``text``, found once per page and carried through the stage.

        A rule that changes the text leaves the guard, its spans shifted past the changes, for
        the text the next rule receives: what is protected is decided on the stage's input.
        """
        cached = _LAST_GUARD.get(self.patterns)
        if cached is not None and (cached[0] is text or cached[0] == text):
            return cached[1]
        guard = Guard(text, self.patterns)
        _LAST_GUARD[self.patterns] = (text, guard)
        return guard

    def unguarded(
        self, text: str, changes: Iterator[tuple[int, int, str]]
    ) -> Iterator[Change]:
        """The changes that touch no protected span, in order (the guard is found lazily)."""
        guard: Guard | None = None
        kept: list[Change] = []
        for start, end, after in changes:
            guard = guard or self.guard(text)
            if not guard.covers(start, end):
                change = Change(start, end, after)
                kept.append(change)
                yield change
        if guard is not None and kept:
            moved = guard.shifted((change.start, change.end, change.after) for change in kept)
            _LAST_GUARD[self.patterns] = (_applied(text, kept), moved)


def _applied(text: str, changes: list[Change]) -> str:
    """``text`` with ``changes`` (sorted, not overlapping) applied, as the pipeline will."""
    pieces: list[str] = []
    cursor = 0
    for change in changes:
        pieces += (text[cursor : change.start], change.after)
        cursor = change.end
    pieces.append(text[cursor:])
    return "".join(pieces)


_LAST_GUARD: dict[tuple[re.Pattern[str], ...], tuple[str, Guard]] = {}
"""One guard per protect setting, for the last text seen or expected (checked by equality, so
a stale or foreign entry only costs a recomputation)."""


class RepairMojibake(NormalizationRule):
    """Re-decode UTF-8 or GBK text that was read as GBK or Latin-1, when the repair is clean."""

    name: ClassVar[str] = "repair-mojibake"
    family: ClassVar[str] = "unicode"
    reason: ClassVar[str] = "mojibake re-decoded"
    summary: ClassVar[str] = "UTF-8 read as GBK or Latin-1, GBK read as Latin-1 (flagged if unsure)"

    def __init__(self, config: Config) -> None:
        """Build the common-character pattern now rather than on the first page."""
        super().__init__(config)
        uncommon_class()

    def find(self, text: str, page: PageContext) -> Iterator[Change]:
        """Yield one change per repaired run; flag the page for mojibake that cannot be repaired."""
        changes: list[tuple[int, int, str]] = []
        for line_start, line_end in suspect_lines(text):
            line = text[line_start:line_end]
            literal = mojibake_literal(line)
            if literal:
                page.flag("mojibake", f"{literal} in {line[:40]!r}")
            for start, end, repaired in sorted(mojibake_runs(line), key=lambda run: run[0]):
                if repaired is None:
                    page.flag("mojibake", f"unrepairable: {line[:40]!r}")
                elif not changes or line_start + start >= changes[-1][1]:
                    changes.append((line_start + start, line_start + end, repaired))
        if changes:
            yield from self.unguarded(text, iter(changes))


ENTITY_ROUNDS = 3
"""Double- and triple-escaped entities (``&amp;amp;nbsp;``) are decoded, deeper ones are left."""


class DecodeHtmlEntities(NormalizationRule):
    """Decode HTML entities left in the text (``&ldquo;``, ``&#169;``, ``&amp;nbsp;``)."""

    name: ClassVar[str] = "decode-html-entities"
    family: ClassVar[str] = "unicode"
    reason: ClassVar[str] = "HTML entity left in the text"
    summary: ClassVar[str] = "HTML entities an upstream tool left escaped, up to three times"

    def find(self, text: str, page: PageContext) -> Iterator[Change]:
        """Yield one change per entity that decodes to something else."""
        if "&" not in text:
            return
        yield from self.unguarded(text, self._decoded(text))

    @staticmethod
    def _decoded(text: str) -> Iterator[tuple[int, int, str]]:
        for match in ENTITY.finditer(text):
            after = match.group()
            for _ in range(ENTITY_ROUNDS):
                unescaped = html.unescape(after)
                if unescaped == after:
                    break
                after = unescaped
            if after != match.group() and "\ufffd" not in after:
                yield match.start(), match.end(), after


class NormalizeNfc(NormalizationRule):
    """Compose the text to Unicode NFC (combining marks, CJK compatibility ideographs)."""

    name: ClassVar[str] = "normalize-nfc"
    family: ClassVar[str] = "unicode"
    reason: ClassVar[str] = "not in Unicode NFC"
    summary: ClassVar[str] = "decomposed accents and CJK compatibility ideographs, composed (NFC)"

    def find(self, text: str, page: PageContext) -> Iterator[Change]:
        """Yield one change per run of clusters that NFC rewrites."""
        yield from self.unguarded(text, nfc_runs(text))


_KANGXI_RUN = re.compile("[\u2f00-\u2fd5\u2e9f\u2ef3]+")
"""Kangxi radicals (and the two CJK radical supplements with a compatibility mapping)."""


class UnifyKangxiRadicals(NormalizationRule):
    """Replace Kangxi radical characters (``⽇本``, U+2F47) by the ideographs they look like."""

    name: ClassVar[str] = "unify-kangxi-radicals"
    family: ClassVar[str] = "unicode"
    reason: ClassVar[str] = "Kangxi radical used as an ideograph"
    summary: ClassVar[str] = "Kangxi radicals (U+2F00-U+2FD5) from PDF or OCR text, as ideographs"

    def find(self, text: str, page: PageContext) -> Iterator[Change]:
        """Yield one change per run; only these characters get their NFKC form, never the text."""
        runs = (
            (match.start(), match.end(), unicodedata.normalize("NFKC", match.group()))
            for match in _KANGXI_RUN.finditer(text)
        )
        yield from self.unguarded(text, runs)


_INVISIBLE = re.compile(
    "[\u200b\u2060\ufeff\u00ad\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffc"
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200c\u200d]+"
)
"""Zero-width characters, BOMs, soft hyphens, bidi controls, C0/C1 controls, object marks."""
_JOINER_CONTEXT = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f\u0600-\u06ff\u0900-\u0dff]"
)
"""Emoji and Arabic / Indic letters, where ZWJ and ZWNJ shape the text and must stay."""


class DropInvisibleCharacters(NormalizationRule):
    """Remove zero-width characters, BOMs, soft hyphens, bidi and control characters."""

    name: ClassVar[str] = "drop-invisible-characters"
    family: ClassVar[str] = "unicode"
    reason: ClassVar[str] = "invisible or control character"
    summary: ClassVar[str] = "zero-width, BOM, soft hyphen, bidi and C0/C1 control characters"

    def find(self, text: str, page: PageContext) -> Iterator[Change]:
        """Yield one removal per run; a joiner between emoji or Indic/Arabic letters stays."""
        yield from self.unguarded(text, self._runs(text))

    @staticmethod
    def _runs(text: str) -> Iterator[tuple[int, int, str]]:
        for match in _INVISIBLE.finditer(text):
            start, end = match.span()
            if match.group().strip("\u200c\u200d") == "":
                before = text[start - 1] if start else ""
                after = text[end] if end < len(text) else ""
                if _JOINER_CONTEXT.match(before) and _JOINER_CONTEXT.match(after):
                    continue
            yield start, end, ""


_FW_ALNUM = "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
_ANY_ALNUM = f"0-9A-Za-z{_FW_ALNUM}"
_FW_DIGIT = "0-9\uff10-\uff19"
_FW_JOINERS = "\uff0e\uff0f\uff20\uff3f\uff0d\uff0b\uff03\uff05\uff06\uff1d\uff5e"
"""Full-width ``. / @ _ - + # % & = ~``: folded only between two letters or digits."""
_FULLWIDTH_HINT = re.compile(f"[{_FW_ALNUM}{_FW_JOINERS}]")
_FULLWIDTH_RUN = re.compile(
    f"(?:[{_FW_ALNUM}]"
    f"|(?<=[{_ANY_ALNUM}])[{_FW_JOINERS}](?=[{_ANY_ALNUM}])"
    f"|(?<=[{_FW_DIGIT}])，(?=[{_FW_DIGIT}]{{3}}(?![{_FW_DIGIT}])))+"
)
"""Full-width letters and digits, and the symbols joining them (3.5 or 1,200 in full width).
The full-width colon stays: ``10：30`` is a common Chinese way to write a time."""


class FoldFullwidthAlphanumerics(NormalizationRule):
    """Turn full-width ASCII letters and digits (U+FF10-U+FF5A) into half-width ones."""

    name: ClassVar[str] = "fold-fullwidth-alphanumerics"
    family: ClassVar[str] = "unicode"
    reason: ClassVar[str] = "full-width letters or digits"
    summary: ClassVar[str] = "full-width ASCII letters and digits; Chinese punctuation stays"

    def find(self, text: str, page: PageContext) -> Iterator[Change]:
        """Yield one change per run of full-width letters, digits and the symbols joining them."""
        yield from self.unguarded(text, self._runs(text))

    @staticmethod
    def _runs(text: str) -> Iterator[tuple[int, int, str]]:
        # Jump from hint to hint: the run pattern starts with lookbehinds, which the regex engine
        # cannot scan for quickly, and most pages hold no full-width letter at all.
        hint = _FULLWIDTH_HINT.search(text)
        while hint:
            run = _FULLWIDTH_RUN.match(text, hint.start())
            if run:
                yield run.start(), run.end(), run.group().translate(HALF_WIDTH)
            hint = _FULLWIDTH_HINT.search(text, run.end() if run else hint.end())


_CJK = "\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff0f\uff1a-\uff20\uff5b-\uff65"
"""Han characters and CJK punctuation (the ideographic space U+3000 is not one)."""
_SPACES = "\t \u00a0\u2002-\u200a\u202f\u205f\u3000"
_CJK_GAP = _SPACES.replace("\t", "")
"""A tab between CJK characters separates table cells: it stays."""
_SPACE_BETWEEN_CJK = re.compile(f"[{_CJK_GAP}](?<=[{_CJK}][{_CJK_GAP}])(?=[{_CJK}])")
"""The lookbehind comes after the space so the regex engine can scan for spaces quickly."""


class DropSpacesBetweenCjk(NormalizationRule):
    """Remove a single space between two CJK characters (``中文 内容``); Latin words keep theirs."""

    name: ClassVar[str] = "drop-spaces-between-cjk"
    family: ClassVar[str] = "unicode"
    reason: ClassVar[str] = "space between CJK characters"
    summary: ClassVar[str] = "one space between two CJK characters (wider runs are layout)"
    for_metadata: ClassVar[bool] = False  # 张三 李四 in an author field is two names
    idempotent: ClassVar[bool] = False
    """A run of spaces between CJK characters is kept here as layout and folded to one space by
    ``collapse-spaces`` afterwards; a second pass over the clean text then removes that space."""

    def find(self, text: str, page: PageContext) -> Iterator[Change]:
        """Yield one removal per single space between two CJK characters."""
        runs = ((match.start(), match.end(), "") for match in _SPACE_BETWEEN_CJK.finditer(text))
        yield from self.unguarded(text, runs)


_SPECIAL = "\u00a0\u2002-\u200a\u202f\u205f\u3000"
_SPECIAL_SPACE = re.compile(f"[{_SPECIAL}](?<=\\S.)[{_SPECIAL}]*(?=\\S)")
"""A run inside a line: the lookbehind follows the first space so the engine scans for it fast."""


class FoldSpecialSpaces(NormalizationRule):
    """Turn no-break, ideographic and typographic spaces inside a line into one ASCII space."""

    name: ClassVar[str] = "fold-special-spaces"
    family: ClassVar[str] = "unicode"
    reason: ClassVar[str] = "no-break, ideographic or typographic space"
    summary: ClassVar[str] = "U+00A0, U+3000 and U+2002-U+200A spaces inside a line"

    def find(self, text: str, page: PageContext) -> Iterator[Change]:
        """Yield one change per run; runs at line edges are left to ``collapse-spaces``."""
        runs = ((match.start(), match.end(), " ") for match in _SPECIAL_SPACE.finditer(text))
        yield from self.unguarded(text, runs)


_LEFT = f"{_CJK}\u201d\u2019"
"""Characters after which ASCII punctuation is Chinese punctuation: CJK and closing quotes."""
_RIGHT = f"{_CJK}\u201c\u2018"
"""Characters before which ASCII punctuation is Chinese punctuation: CJK and opening quotes."""
_WIDE = str.maketrans(",:;!?()", "，：；！？（）")
_LEFT_CHAR = re.compile(f"[{_LEFT}]")
_RIGHT_CHAR = re.compile(f"[{_RIGHT}]")
_MARK = re.compile(f"[,:;!?](?:(?<=[!?])[!?]{{0,2}})?(?=[ \t]?[{_RIGHT}(])")
"""An ASCII mark before CJK; the character before it is checked in code (the regex engine scans
fastest from a literal class, and English commas fail the lookahead at once)."""
_PAIR_CONTENT = f"[{_RIGHT}](?:[^()（）\\n]{{0,198}}[{_LEFT}])?"
_ASCII_OPENED = re.compile(f"\\({_PAIR_CONTENT}[)）]")
_ASCII_CLOSED = re.compile(f"（{_PAIR_CONTENT}\\)")
"""Parenthesis pairs around CJK text with an ASCII side; two patterns, each starting with a
literal the regex engine scans for quickly (the second runs only when both marks occur)."""


class WidenCjkPunctuation(NormalizationRule):
    """Turn ASCII ``, : ; ! ? ( )`` between two CJK characters into ``，：；！？（）``."""

    name: ClassVar[str] = "widen-cjk-punctuation"
    family: ClassVar[str] = "unicode"
    reason: ClassVar[str] = "ASCII punctuation between CJK characters"
    summary: ClassVar[str] = "ASCII , : ; ! ? ( ) between CJK characters, made full-width"

    def find(self, text: str, page: PageContext) -> Iterator[Change]:
        """Yield one change per punctuation mark; parentheses are widened in pairs."""
        if text.isascii():
            return
        changes: list[tuple[int, int, str]] = []
        openers: set[int] = set()
        closers: set[int] = set()
        pairs = list(_ASCII_OPENED.finditer(text)) if "(" in text else []
        if "（" in text and ")" in text:
            pairs = sorted([*pairs, *_ASCII_CLOSED.finditer(text)], key=lambda pair: pair.start())
        for pair in pairs:
            start, end = pair.span()
            if start and text[start - 1] != "\n" and not _LEFT_CHAR.match(text, start - 1):
                continue  # after CJK or at a line start (``(一)总则``) only
            openers.add(start)
            closers.add(end - 1)
            if text[start] == "(":
                changes.append((start, start + 1, "（"))
            if text[end - 1] == ")":
                changes.append((end - 1, end, "）"))
        for mark in _MARK.finditer(text):
            start, end = mark.span()
            start -= start > 0 and text[start - 1] in " \t"
            end += end < len(text) and text[end] in " \t"
            if not (start and end < len(text)):
                continue
            before, after = text[start - 1], text[end]
            if not (_LEFT_CHAR.match(before) or (before == ")" and start - 1 in closers)):
                continue
            if not (_RIGHT_CHAR.match(after) or (after == "(" and end in openers)):
                continue
            changes.append((start, end, mark.group().translate(_WIDE)))
        yield from self.unguarded(text, iter(sorted(changes)))
