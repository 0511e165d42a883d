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
import weakref
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache
from itertools import repeat
from operator import add
from typing import TYPE_CHECKING, ClassVar, NamedTuple

from pagetidy.normalize import (
    ENTITY,
    HALF_WIDTH,
    MOJIBAKE_SHARE,
    MOJIBAKE_WINDOW,
    Guard,
    char_class,
    matches_from,
    mojibake_literal,
    mojibake_runs,
    nfc_runs,
    positions,
    protect_patterns,
    script_classes,
    suspect_lines,
    uncommon_class,
)
from pagetidy.opencc_tables import conversion_triggers
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


class StageText:
    """One page's text as the normalization stage leaves it, and what its rules know about it.

    Kept in ``page.cache`` and checked against each rule's input (identity, then equality), so a
    rule outside the stage changing the text in between only costs a recomputation. The
    protected spans are decided on the stage's input and shifted past each rule's changes; the
    counts of notable characters (``Profile``) stay exact through the changes.
    """

    __slots__ = ("_counts", "_guard", "_page", "_pending", "patterns", "text")

    def __init__(
        self, text: str, patterns: tuple[re.Pattern[str], ...], page: PageContext
    ) -> None:
        """Describe ``text``; counts and guard are found when first asked for."""
        self.text = text
        self.patterns = patterns
        self._page = weakref.ref(page)  # the page holds this state: no reference cycle
        self._counts: dict[str, int] | None = None
        self._guard: Guard | None = None
        self._pending: list[Change] = []

    def describes(self, text: str) -> bool:
        """True when this is the state of ``text``."""
        self._settle()
        return self.text is text or self.text == text

    def counts(self) -> dict[str, int]:
        """How often each notable character occurs in the text (absent ones are not keys)."""
        if self._counts is None:
            # Deleting the runs of other characters leaves the notable ones: a run pattern
            # skips most of the text in one step, where ``notable.findall`` tests each position.
            self._counts = Counter(profile().quiet_runs.sub("", self.text))
        return self._counts

    def has_any(self, chars: frozenset[str]) -> bool:
        """True when the text holds one of ``chars`` (all notable characters)."""
        return not chars.isdisjoint(self.counts())

    def guard(self) -> Guard:
        """The protected spans of the text, with those the page knows from its tree."""
        if self._guard is None:
            page = self._page()
            self._guard = Guard(self.text, self.patterns, page.protected if page else ())
        return self._guard

    def advance(self, changes: list[Change]) -> None:
        """Describe the text after ``changes`` (sorted, none protected), worked out when needed."""
        self._pending = changes

    def settle(self, changes: list[Change], text: str) -> None:
        """Take ``text`` as the text after ``changes``, when they are the ones last advanced by.

        The pipeline has just built that text: taking it saves applying the changes again, and
        lets the next rule find its input described by identity.
        """
        if changes and changes == self._pending:
            self._settle(text)

    def _settle(self, after: str | None = None) -> None:
        changes = self._pending
        if not changes:
            return
        self._pending = []
        before = self.text
        self.text = _applied(before, changes) if after is None else after
        if self._guard is not None and self._guard.spans:
            self._guard = self._guard.shifted(changes)
        counts = self._counts
        if counts is None:
            return
        if len(changes) > len(before) >> RECOUNT_SHIFT:
            self._counts = None  # counting the text again costs less than following each change
            return
        notable = profile().notable
        for change in changes:
            removed = before[change.start : change.end]
            if not (removed.isascii() and removed.isprintable()):
                for char in notable.findall(removed):
                    if counts[char] == 1:
                        del counts[char]
                    else:
                        counts[char] -= 1
            if not (change.after.isascii() and change.after.isprintable()):
                for char in notable.findall(change.after):
                    counts[char] = counts.get(char, 0) + 1


RECOUNT_SHIFT = 7
"""Updating the counts costs about as much per change as counting them costs per 2**7 characters
of text (a regex scan in C against a Python step per change): past one change per 128
characters, the counts are dropped and taken again when next asked for."""


class NormalizationRule(TextRule):
    """A text rule of the normalization stage: it leaves URLs, e-mails, code and protected text."""

    for_metadata: ClassVar[bool] = True
    """Whether metadata values (title, source, author, editor) get this rule too."""
    adds_characters: ClassVar[str | None] = None
    """Normalization rewrites characters by design (repaired, decoded, folded, widened,
    converted); each rule's replacements are documented in docs/normalization.md."""

    def __init__(self, config: Config) -> None:
        """Compile the user's protected patterns once, and the character profile."""
        super().__init__(config)
        self.patterns = protect_patterns(config.protect)
        profile()

    def normalize_value(self, value: str, page: PageContext) -> str:
        """``value`` (a metadata field) normalized the way this rule normalizes the text."""
        scratch = replace(page, values=dict(page.values), flags=[], protected=[], cache={})
        changes = sorted(self.find(value, scratch), key=lambda change: change.start)
        return _applied(value, changes)

    def state(self, text: str, page: PageContext) -> StageText:
        """The stage's state for ``text``: carried over from the previous rule, or made anew."""
        state: StageText | None = page.cache.get(_STAGE_KEY)
        if state is None or state.patterns != self.patterns or not state.describes(text):
            state = StageText(text, self.patterns, page)
            page.cache[_STAGE_KEY] = state
        return state

    def applied(self, changes: list[Change], text: str, page: PageContext) -> None:
        """Hand the stage's state the text the pipeline made, instead of making it again."""
        state: StageText | None = page.cache.get(_STAGE_KEY)
        if state is not None:
            state.settle(changes, text)

    @staticmethod
    def unguarded(state: StageText, changes: list[Change]) -> list[Change]:
        """The changes (sorted) that touch no protected span; the state moves past them."""
        if not changes:
            return changes
        changes = state.guard().uncovered(changes)
        state.advance(changes)
        return changes


_STAGE_KEY = "normalization-stage"


class Profile(NamedTuple):
    """The characters the stage's rules look for first, and one pattern that finds them all.

    Counting these once per page lets a rule without any of its characters skip its own scan,
    and ``convert-script`` read the number of traditional-only characters and the characters
    ``t2s`` can change without one.
    """

    notable: re.Pattern[str]
    """Any character below, and any non-ASCII, non-space character outside the common set."""
    quiet_runs: re.Pattern[str]
    """A run of characters that are not notable."""
    common_notable: frozenset[str]
    """The notable characters that are ASCII, spaces or common (not counted as uncommon)."""
    # The characters each rule's matches start with or hold: without them it has nothing to do.
    kangxi: frozenset[str]
    invisible: frozenset[str]
    fullwidth: frozenset[str]
    special: frozenset[str]
    traditional: frozenset[str]
    t2s_triggers: frozenset[str] | None
    """Characters one of which every change ``t2s`` makes touches (``conversion_triggers``)."""


_SUSPECT_LEADS = frozenset(map(chr, range(0xA0, 0x100))) | frozenset("锟烫屯")
"""A Latin-1 run of mojibake starts with one of U+00A0-U+00FF, a lost-byte marker (``锟斤拷``,
``烫烫烫``, ``屯屯屯``) with one of the others."""


@lru_cache(maxsize=1)
def profile() -> Profile:
    """The character profile, built once per process from the rules' own character classes."""
    bmp = "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, 0x10000)))

    def chars(pattern: str | re.Pattern[str]) -> frozenset[str]:
        return frozenset(re.findall(pattern, bmp))

    kangxi, invisible = chars(_KANGXI), chars(_INVISIBLE_CHAR)
    fullwidth, special = chars(_FULLWIDTH_CHAR), chars(f"[{_SPECIAL}]")
    traditional = chars(script_classes()[0])
    t2s_triggers = conversion_triggers("t2s")
    wanted = kangxi | invisible | fullwidth | special | traditional | _SUSPECT_LEADS
    wanted |= t2s_triggers or frozenset()
    uncommon = chars(uncommon_class())
    quiet = frozenset(bmp) - uncommon - wanted
    return Profile(
        notable=re.compile("[^" + char_class(quiet)[1:]),
        quiet_runs=re.compile(char_class(quiet) + "+"),
        common_notable=wanted - uncommon,
        kangxi=kangxi,
        invisible=invisible,
        fullwidth=fullwidth,
        special=special,
        traditional=traditional,
        t2s_triggers=t2s_triggers,
    )


def _starts(pattern: re.Pattern[str], text: str) -> list[int]:
    return list(map(_MATCH_START, pattern.finditer(text)))


def _one_character_removals(starts: list[int]) -> list[Change]:
    """A removal of the character at each of ``starts``, built with no Python step per change:
    ``drop-spaces-between-cjk`` can find ten thousand on a page (a spaced-out chapter list)."""
    ends = map(add, starts, repeat(1))
    return list(map(_TUPLE_NEW, repeat(Change), zip(starts, ends, repeat(""), repeat(None))))


_MATCH_START = re.Match.start
_TUPLE_NEW = tuple.__new__


def _applied(text: str, changes: list[Change]) -> str:
    """``text`` with ``changes`` (sorted, not overlapping) applied, as the pipeline will."""
    pieces: list[str] = []
    cursor = 0
    for change in changes:
        pieces += (text[cursor : change.start], change.after)
        cursor = change.end
    pieces.append(text[cursor:])
    return "".join(pieces)


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

    def find(self, text: str, page: PageContext) -> list[Change]:
        """One change per repaired run; flag the page for mojibake that cannot be repaired."""
        state = self.state(text, page)
        hint = self._hint(state)
        if hint is None:
            return []
        changes: list[Change] = []
        for line_start, line_end in suspect_lines(text, hint=hint):
            line = text[line_start:line_end]
            literal = mojibake_literal(line)
            if literal:
                page.flag("mojibake", f"{literal} in {line[:40]!r}")
            for start, end, repaired in sorted(mojibake_runs(line), key=lambda run: run[0]):
                if repaired is None:
                    page.flag("mojibake", f"unrepairable: {line[:40]!r}")
                elif not changes or line_start + start >= changes[-1].end:
                    changes.append(Change(line_start + start, line_start + end, repaired))
        return self.unguarded(state, changes)

    @staticmethod
    def _hint(state: StageText) -> list[str] | None:
        """The text's Latin-1, lost-byte marker and uncommon characters for ``suspect_lines``;
        None when it cannot find a line: without a Latin-1 letter, a marker's first character or
        enough uncommon characters in the whole text."""
        common = profile().common_notable
        hint = [
            char for char in state.counts() if char not in common or char in _SUSPECT_LEADS
        ]
        if not _SUSPECT_LEADS.isdisjoint(hint):
            return hint
        uncommon = sum(state.counts()[char] for char in hint)
        return hint if uncommon >= MOJIBAKE_WINDOW * (1 - MOJIBAKE_SHARE) else None


ENTITY_ROUNDS = 3
"""Double- and triple-escaped entities (``&amp;amp;nbsp;``) are decoded, deeper ones are left."""


class DecodeHtmlEntities(NormalizationRule):
    """Decode HTML entities left in the text (``&ldquo;``, ``&#169;``, ``&amp;nbsp;``)."""

    name: ClassVar[str] = "decode-html-entities"
    family: ClassVar[str] = "unicode"
    reason: ClassVar[str] = "HTML entity left in the text"
    summary: ClassVar[str] = "HTML entities an upstream tool left escaped, up to three times"

    def find(self, text: str, page: PageContext) -> list[Change]:
        """One change per entity that decodes to something else."""
        if "&" not in text:
            return []
        return self.unguarded(self.state(text, page), list(self._decoded(text)))

    @staticmethod
    def _decoded(text: str) -> Iterator[Change]:
        for match in ENTITY.finditer(text):
            after = match.group()
            for _ in range(ENTITY_ROUNDS):
                unescaped = html.unescape(after)
                if unescaped == after:
                    break
                after = unescaped
            if after != match.group() and "\ufffd" not in after:
                yield Change(match.start(), match.end(), after)


class NormalizeNfc(NormalizationRule):
    """Compose the text to Unicode NFC (combining marks, CJK compatibility ideographs)."""

    name: ClassVar[str] = "normalize-nfc"
    family: ClassVar[str] = "unicode"
    reason: ClassVar[str] = "not in Unicode NFC"
    summary: ClassVar[str] = "decomposed accents and CJK compatibility ideographs, composed (NFC)"

    def find(self, text: str, page: PageContext) -> list[Change]:
        """One change per run of clusters that NFC rewrites."""
        if unicodedata.is_normalized("NFC", text):
            return []
        runs = [Change(start, end, after) for start, end, after in nfc_runs(text)]
        return self.unguarded(self.state(text, page), runs)


_KANGXI = "[\u2f00-\u2fd5\u2e9f\u2ef3]"
_KANGXI_RUN = re.compile(f"{_KANGXI}+")
"""Kangxi radicals (and the two CJK radical supplements with a compatibility mapping)."""


class UnifyKangxiRadicals(NormalizationRule):
    """Replace Kangxi radical characters (``⽇本``, U+2F47) by the ideographs they look like."""

    name: ClassVar[str] = "unify-kangxi-radicals"
    family: ClassVar[str] = "unicode"
    reason: ClassVar[str] = "Kangxi radical used as an ideograph"
    summary: ClassVar[str] = "Kangxi radicals (U+2F00-U+2FD5) from PDF or OCR text, as ideographs"

    def find(self, text: str, page: PageContext) -> list[Change]:
        """One change per run; only these characters get their NFKC form, never the text."""
        state = self.state(text, page)
        if not state.has_any(profile().kangxi):
            return []
        runs = [
            Change(match.start(), match.end(), unicodedata.normalize("NFKC", match.group()))
            for match in _KANGXI_RUN.finditer(text)
        ]
        return self.unguarded(state, runs)


_INVISIBLE_CHAR = (
    "[\u200b\u2060\ufeff\u00ad\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffc"
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200c\u200d]"
)
_INVISIBLE = re.compile(f"{_INVISIBLE_CHAR}+")
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

    def find(self, text: str, page: PageContext) -> list[Change]:
        """One removal per run; a joiner between emoji or Indic/Arabic letters stays."""
        state = self.state(text, page)
        if not state.has_any(profile().invisible):
            return []
        return self.unguarded(state, list(self._runs(text)))

    @staticmethod
    def _runs(text: str) -> Iterator[Change]:
        for match in _INVISIBLE.finditer(text):
            start, end = match.span()
            if match.group().strip("\u200c\u200d") == "":
                before = text[start - 1] if start else ""
                after = text[end] if end < len(text) else ""
                if _JOINER_CONTEXT.match(before) and _JOINER_CONTEXT.match(after):
                    continue
            yield Change(start, end)


_FW_ALNUM = "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
_ANY_ALNUM = f"0-9A-Za-z{_FW_ALNUM}"
_FW_DIGIT = "0-9\uff10-\uff19"
_FW_JOINERS = "\uff0e\uff0f\uff20\uff3f\uff0d\uff0b\uff03\uff05\uff06\uff1d\uff5e"
"""Full-width ``. / @ _ - + # % & = ~``: folded only between two letters or digits."""
_FULLWIDTH_CHAR = f"[{_FW_ALNUM}{_FW_JOINERS}]"
"""What every run holds (its first character is one of these)."""
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

    def find(self, text: str, page: PageContext) -> list[Change]:
        """One change per run of full-width letters, digits and the symbols joining them."""
        state = self.state(text, page)
        hints = profile().fullwidth.intersection(state.counts())
        if not hints:
            return []
        # Match from each hint, found with str.find: the run pattern starts with lookbehinds,
        # which the regex engine cannot scan for quickly.
        runs = [
            Change(run.start(), run.end(), run.group().translate(HALF_WIDTH))
            for run in matches_from(text, _FULLWIDTH_RUN, positions(text, hints))
        ]
        return self.unguarded(state, runs)


_CJK = "\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff0f\uff1a-\uff20\uff5b-\uff65"
"""Han characters and CJK punctuation (the ideographic space U+3000 is not one)."""


_LABEL_NUMBER = "0-9一二三四五六七八九十百千万零\u3007两兩"  # U+3007: ideographic zero
_LABEL_KIND = "章節节回卷篇部條条款編编集話话講讲課课幕季期"
"""A chapter, section or article label is 第, one to nine of ``_LABEL_NUMBER`` and one of
``_LABEL_KIND`` (``第12章``, ``第一条``, ``第三回``): the space after it separates the label from
its title or text, as in a table of contents or a statute, and stays."""


@lru_cache(maxsize=1)
def _spaces_between_cjk() -> dict[str, re.Pattern[str]]:
    """For the ASCII space and each special space (``_SPECIAL``): a pattern for it between two
    CJK characters. A tab there separates table cells, and a space after a numbered label
    (``第12章 风起云涌``) separates the label from its title: they stay.

    One pattern per space, each starting with its space as a literal, which the regex engine
    scans for many times faster than a class of spaces; the lookbehind comes after the space for
    the same reason. A text is scanned for the spaces it holds only (its counts say which).
    """
    return {
        space: re.compile(
            f"{re.escape(space)}(?<=[{_CJK}]{re.escape(space)})(?=[{_CJK}])"
            + "".join(
                f"(?<!第[{_LABEL_NUMBER}]{{{digits}}}[{_LABEL_KIND}]{re.escape(space)})"
                for digits in range(1, 10)
            )
        )
        for space in {" ", *profile().special}
    }


class DropSpacesBetweenCjk(NormalizationRule):
    """Remove a single space between two CJK characters (``中文 内容``); Latin words keep theirs,
    and so does the separator after a numbered label (``第12章 风起云涌``, ``第一条　为了…``)."""

    name: ClassVar[str] = "drop-spaces-between-cjk"
    family: ClassVar[str] = "unicode"
    reason: ClassVar[str] = "space between CJK characters"
    summary: ClassVar[str] = "one space between two CJK characters (wider runs are layout)"
    for_metadata: ClassVar[bool] = False  # 张三 李四 in an author field is two names
    idempotent: ClassVar[bool] = False
    """A run of spaces between CJK characters is kept here as layout and folded to one space by
    ``collapse-spaces`` afterwards; a second pass over the clean text then removes that space."""

    def __init__(self, config: Config) -> None:
        """Compile the space patterns now rather than on the first page."""
        super().__init__(config)
        self.between = _spaces_between_cjk()

    def find(self, text: str, page: PageContext) -> list[Change]:
        """One removal per single space between two CJK characters."""
        state = self.state(text, page)
        starts = _starts(self.between[" "], text)
        wide = profile().special.intersection(state.counts())
        for space in wide:
            starts += _starts(self.between[space], text)
        if wide:
            starts.sort()
        return self.unguarded(state, _one_character_removals(starts))


_SPECIAL = "\u00a0\u2002-\u200a\u202f\u205f\u3000"
_SPECIAL_SPACE = re.compile(f"[{_SPECIAL}](?<=\\S.)[{_SPECIAL}]*(?=\\S)")
"""A run inside a line: the lookbehind follows the first space so the engine scans for it fast."""


class FoldSpecialSpaces(NormalizationRule):
    """Turn no-break, ideographic and typographic spaces inside a line into one ASCII space."""

    name: ClassVar[str] = "fold-special-spaces"
    family: ClassVar[str] = "unicode"
    reason: ClassVar[str] = "no-break, ideographic or typographic space"
    summary: ClassVar[str] = "U+00A0, U+3000 and U+2002-U+200A spaces inside a line"

    def find(self, text: str, page: PageContext) -> list[Change]:
        """One change per run; runs at line edges are left to ``collapse-spaces``."""
        state = self.state(text, page)
        spaces = profile().special.intersection(state.counts())
        if not spaces:
            return []
        found = matches_from(text, _SPECIAL_SPACE, positions(text, spaces))
        return self.unguarded(state, [Change(*match.span(), " ") for match in found])


_LEFT = f"{_CJK}\u201d\u2019"
"""Characters after which ASCII punctuation is Chinese punctuation: CJK and closing quotes."""
_RIGHT = f"{_CJK}\u201c\u2018"
"""Characters before which ASCII punctuation is Chinese punctuation: CJK and opening quotes."""
_WIDE = str.maketrans(",:;!?()", "，：；！？（）")
_LEFT_CHAR = re.compile(f"[{_LEFT}]")
_RIGHT_CHAR = re.compile(f"[{_RIGHT}]")
_MARKS = ",:;!?"
_MARK = re.compile(f"[{_MARKS}](?:(?<=[!?])[!?]{{0,2}})?(?=[ \t]?[{_RIGHT}(])")
"""An ASCII mark before CJK; the character before it is checked in code. It is matched only
where ``str.find`` finds a mark, which is many times faster than the regex engine's scan."""
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

    def find(self, text: str, page: PageContext) -> list[Change]:
        """One change per punctuation mark; parentheses are widened in pairs."""
        if text.isascii():
            return []
        changes: list[Change] = []
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
                changes.append(Change(start, start + 1, "（"))
            if text[end - 1] == ")":
                changes.append(Change(end - 1, end, "）"))
        for mark in matches_from(text, _MARK, positions(text, _MARKS)):
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
            changes.append(Change(start, end, mark.group().translate(_WIDE)))
        changes.sort()
        return self.unguarded(self.state(text, page), changes)
