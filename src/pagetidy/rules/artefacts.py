"""Artefacts family: what converters leave in text, pinyin readings and raw Markdown links.

Pinyin (catalog G1, G2). Mirror farms re-serve other sites' articles in traditional script
with a tone-marked reading after some characters (``株洲市石峰區(qū)``); SEO spinners put toneless
readings after simplified ones (``烟(yan)台市(shi)``). Genuine annotations look the same one at a
time, so the decision is made for the whole document: each candidate must be one of its
character's readings (pypinyin), and only many of them, all after traditional-only characters
with tone marks, or all toneless, are removed. An occasional ``曲江(qū)``, a fully annotated poem
and a drill of polyphonic characters stay. The rule runs before script conversion, which would
hide the signal.

Markdown links: a page that prints Markdown source as prose leaves ``[label](URL)`` in the text.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

from pagetidy.normalize import converter
from pagetidy.rules.base import Change, PageContext, TextRule

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TONE_MARKED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
ANNOTATION = re.compile(
    rf"(?P<han>[{_HAN}])(?P<reading>[(（](?P<py>[a-zü{_TONE_MARKED}]{{1,6}})[)）])"
)
"""One character, then one lower-case syllable in ASCII or full-width brackets: ``區(qū)``.
Upper case (``北京(Beijing)``), digits or characters inside (``(一)``), several syllables
(``(shànghǎi)``) never match."""

MIN_ANNOTATIONS = 3
"""Fewer validated readings than this are a person's occasional annotation: leave them."""
RUBY_DENSITY = 0.5
"""Readings per Han character from which the text is a fully annotated (teaching) text: keep."""
CONVERTER_SHARE = 0.8
"""Share of readings after traditional-only characters, and with tone marks, for a converter."""
SPINNER_TONED_SHARE = 0.2
"""At most this share with tone marks: toneless readings, a spinner's."""

_TONED = re.compile(f"[{_TONE_MARKED}]")
_HAN_CHAR = re.compile(f"[{_HAN}]")
_METADATA_FIELDS = ("title", "source", "author", "editor")


@dataclass(frozen=True)
class Verdict:
    """The document-level decision: which kind of annotation, and the readings to remove."""

    kind: str
    """``trad_toned_converter``, ``toneless_spinner``, ``full_ruby_text``, ``mixed`` or ``none``."""
    matches: tuple[re.Match[str], ...]
    """Every validated annotation (removed only for the two converter kinds)."""

    @property
    def strip(self) -> bool:
        """Whether the readings are converter artefacts to remove."""
        return self.kind in ("trad_toned_converter", "toneless_spinner")


@lru_cache(maxsize=4096)
def _plain(syllable: str) -> str:
    """A syllable without tone marks, ``ü`` as ``v``: ``lǜ`` -> ``lv``."""
    decomposed = unicodedata.normalize("NFD", syllable.replace("ü", "v").replace("ǖ", "v")
                                       .replace("ǘ", "v").replace("ǚ", "v").replace("ǜ", "v"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=8192)
def _readings(char: str) -> frozenset[str]:
    """Toneless readings of ``char`` and of its simplified form (which pypinyin may know better)."""
    from pypinyin import Style, pinyin  # noqa: PLC0415 - 0.5 s import, only when candidates exist

    chars = {char, converter("t2s").convert(char)}
    found: set[str] = set()
    for each in chars:
        for reading in pinyin(each, style=Style.TONE, heteronym=True, errors="ignore"):
            found.update(_plain(value) for value in reading)
    # lü is written lu or lv by converters that have no ü key.
    found.update(value.replace("v", "u") for value in list(found))
    return frozenset(found)


def _traditional_only(char: str) -> bool:
    return str(converter("t2s").convert(char)) != char


def judge_annotations(text: str) -> Verdict:
    """Find and validate every candidate reading in ``text`` and decide for the document."""
    candidates = list(ANNOTATION.finditer(text))
    if len(candidates) < MIN_ANNOTATIONS:
        return Verdict("none", ())
    valid = tuple(
        match for match in candidates
        if _plain(match.group("py")) in _readings(match.group("han"))
    )
    count = len(valid)
    if count < MIN_ANNOTATIONS:
        return Verdict("none", valid)
    han = len(_HAN_CHAR.findall(text))
    toned = sum(1 for match in valid if _TONED.search(match.group("py"))) / count
    traditional = sum(1 for match in valid if _traditional_only(match.group("han"))) / count
    if count / max(han, 1) >= RUBY_DENSITY:
        return Verdict("full_ruby_text", valid)
    if traditional >= CONVERTER_SHARE and toned >= CONVERTER_SHARE:
        return Verdict("trad_toned_converter", valid)
    if toned <= SPINNER_TONED_SHARE:
        return Verdict("toneless_spinner", valid)
    return Verdict("mixed", valid)


def strip_readings(text: str, matches: tuple[re.Match[str], ...] | None = None) -> str:
    """``text`` without the validated readings (all of them when ``matches`` is None)."""
    if matches is None:
        matches = tuple(
            match for match in ANNOTATION.finditer(text)
            if _plain(match.group("py")) in _readings(match.group("han"))
        )
    pieces: list[str] = []
    cursor = 0
    for match in matches:
        pieces.append(text[cursor : match.start("reading")])
        cursor = match.end("reading")
    pieces.append(text[cursor:])
    return "".join(pieces)


class StripPinyinAnnotation(TextRule):
    """Remove converter pinyin glued after characters, decided for the whole document."""

    name: ClassVar[str] = "strip-pinyin-annotation"
    family: ClassVar[str] = "artefacts"
    reason: ClassVar[str] = "converter pinyin after a character"
    summary: ClassVar[str] = (
        "readings a site-farm converter glued after characters: 株洲市石峰區(qū), 烟(yan)台市(shi)"
    )

    def find(self, text: str, page: PageContext) -> Iterator[Change]:
        """Yield one removal per reading when the document's readings are a converter's."""
        verdict = judge_annotations(text)
        if not verdict.strip:
            return
        examples = " ".join(match.group(0) for match in verdict.matches[:3])
        page.flag(
            "mirror-copy",
            f"{verdict.kind}: {len(verdict.matches)} pinyin readings glued after characters,"
            f" e.g. {examples}",
        )
        # Values read before this rule ran (the <title>, tags) carry the same readings.
        for field in _METADATA_FIELDS:
            value = page.values.get(field)
            if value and ANNOTATION.search(value):
                page.set_meta(field, strip_readings(value), page.origins[field], replace=True)
        for match in verdict.matches:
            yield Change(match.start("reading"), match.end("reading"))


MARKDOWN_LINK = re.compile(
    r"(?P<image>!?)\[(?P<label>[^\[\]\n]{0,300})\]"
    r"\((?P<url>(?:https?:)?//[^\s()<>]{1,2048}|/[^\s()<>/][^\s()<>]{0,2048})"
    r"(?:[ \t]{1,20}\"[^\"\n]{0,300}\")?\)"
)
"""``[label](https://…)``, ``![alt](/img.png "title")``: one bracketed label, then an absolute
or root-relative URL in parentheses. ``[1](#fn1)``, ``[注](见上文)`` and a bare ``[]`` stay:
only a URL makes the parentheses a link target."""
MARKDOWN_BLOCK_LINE = re.compile(r"^(?:#{2,6} |> ?|!\[)", re.M)
"""A line that opens with Markdown block syntax: a ``## `` heading, a ``>`` quote, an image."""
MARKDOWN_DOCUMENT = 3
"""From this many such lines the text is a Markdown document shown as source (an editor, a
README page): its syntax is the content's own form, and links stay as written."""


class UnwrapMarkdownLinks(TextRule):
    """Reduce Markdown links leaked into prose to their words; a Markdown document stays."""

    name: ClassVar[str] = "unwrap-markdown-links"
    family: ClassVar[str] = "artefacts"
    reason: ClassVar[str] = "raw Markdown link: the label stays, the URL goes"
    summary: ClassVar[str] = "[pandas](https://…) printed as text becomes pandas; ![图](…) its alt"

    def find(self, text: str, page: PageContext) -> Iterator[Change]:
        """Yield one change per link, its label (an image's alt text) as the replacement."""
        if "](" not in text or _is_markdown_document(text):
            return
        for link in MARKDOWN_LINK.finditer(text):
            yield Change(link.start(), link.end(), link["label"])


def _is_markdown_document(text: str) -> bool:
    """Whether ``text`` is a Markdown document shown as source rather than prose with links."""
    lines = MARKDOWN_BLOCK_LINE.finditer(text)
    return sum(1 for _ in itertools.islice(lines, MARKDOWN_DOCUMENT)) >= MARKDOWN_DOCUMENT
