"""Frozen value types that pagetidy returns: Result, Edit, Span, Node, Metadata, Encoding, Flag.

They hold data and serialize it; the work happens in the stage modules. ``replay`` lives here
because it is the contract between ``Result.raw_text``, the text-stage edits and ``Result.text``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

EncodingSource = Literal["bom", "caller", "declared", "detected", "unicode"]
"""How the encoding was chosen: a byte-order mark, the caller (HTTP charset or --encoding), the
page's own declaration, detection, or no decoding at all because the input was already text."""


_new = object.__new__


@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)`` in the text a text-stage rule received."""

    start: int
    end: int


@dataclass(frozen=True)
class Node:
    """The element a DOM-stage rule removed, as an XPath-like path (``/html/body/div[2]/p[1]``)."""

    path: str


@dataclass(frozen=True)
class Edit:
    """One change pagetidy made: which rule, what was there, what replaced it, where, and why."""

    rule: str
    """The rule's stable kebab-case name, e.g. ``drop-icp-line``."""
    family: str
    """The rule's family, e.g. ``licence`` or ``whitespace``."""
    before: str
    """The text that was removed or rewritten (for DOM edits: the element's text)."""
    after: str
    """The text put in its place; empty for a removal."""
    where: Span | Node
    """A span into the text the rule received, or the path of the removed element."""
    reason: str
    """A short, stable, countable reason; the matched text is in ``before``, not here."""

    @classmethod
    def in_text(  # noqa: PLR0917 - the six fields in order, the span as its two ends
        cls, rule: str, family: str, before: str, after: str, start: int, end: int, reason: str
    ) -> Edit:
        """A text-stage edit at ``[start, end)``, equal to ``Edit(..., Span(start, end), ...)``.

        Built without the dataclass ``__init__``, whose frozen ``__setattr__`` per field costs
        more than the rest of recording an edit: a page can need ten thousand of them.
        """
        span = _new(Span)
        fields = span.__dict__
        fields["start"] = start
        fields["end"] = end
        edit = _new(cls)
        fields = edit.__dict__
        fields["rule"] = rule
        fields["family"] = family
        fields["before"] = before
        fields["after"] = after
        fields["where"] = span
        fields["reason"] = reason
        return edit

    @property
    def stage(self) -> Literal["dom", "text"]:
        """``dom`` for edits on the parsed tree, ``text`` for edits on the extracted text."""
        return "dom" if isinstance(self.where, Node) else "text"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of this edit."""
        where: dict[str, Any]
        if isinstance(self.where, Node):
            where = {"path": self.where.path}
        else:
            where = {"start": self.where.start, "end": self.where.end}
        return {
            "rule": self.rule,
            "family": self.family,
            "stage": self.stage,
            "reason": self.reason,
            "before": self.before,
            "after": self.after,
            "where": where,
        }


@dataclass(frozen=True)
class Encoding:
    """Which encoding turned the input bytes into text, and why that one."""

    name: str
    """Python codec name actually used, e.g. ``gb18030``, ``utf-8``, ``big5hkscs``."""
    source: EncodingSource
    """How it was chosen."""
    declared: str | None = None
    """The charset the page or caller declared, when there was one."""
    replacements: int = 0
    """How many U+FFFD replacement characters the decode had to insert."""
    note: str = ""
    """A one-line explanation, e.g. ``declared gb2312 read as gb18030 (GBK superset)``."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of this decision."""
        return {
            "name": self.name,
            "source": self.source,
            "declared": self.declared,
            "replacements": self.replacements,
            "note": self.note,
        }


@dataclass(frozen=True)
class Flag:
    """A document-level signal (mirror copy, spam injection, mojibake) with its evidence."""

    name: str
    """Stable kebab-case name, e.g. ``mirror-copy``."""
    evidence: str
    """What was seen, quoted briefly so a person can check it."""

    def to_dict(self) -> dict[str, str]:
        """A JSON-ready dict of this flag."""
        return {"name": self.name, "evidence": self.evidence}


def _frozen_mapping(values: Mapping[str, str] | None = None) -> Mapping[str, str]:
    return MappingProxyType(dict(values or {}))


@dataclass(frozen=True)
class Metadata:
    """What the page says about itself; ``origins`` says where each value was found."""

    title: str | None = None
    source: str | None = None
    """The publishing site or outlet (来源)."""
    published: str | None = None
    """Publication time as ISO 8601, e.g. ``2024-09-26T17:03``."""
    author: str | None = None
    editor: str | None = None
    url: str | None = None
    lang: str | None = None
    origins: Mapping[str, str] = field(default_factory=_frozen_mapping)
    """Field name -> where its value came from (``<title>``, ``meta[name=author]``, ``line``...)."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the fields, with ``origins`` as a plain dict."""
        return {
            "title": self.title,
            "source": self.source,
            "published": self.published,
            "author": self.author,
            "editor": self.editor,
            "url": self.url,
            "lang": self.lang,
            "origins": dict(self.origins),
        }


InputKind = Literal["html", "text"]


@dataclass(frozen=True)
class TextBlock:
    """Where one extracted block sits in ``Result.raw_text``, and what kind of block it is."""

    kind: str
    """``heading``, ``paragraph``, ``item``, ``row``, ``quote``, ``pre``, ``caption``, ``block``."""
    where: Span
    """The block's characters in ``raw_text`` (the newline joining it to the next excluded)."""
    level: int = 0
    """Heading level, 1 to 6; 0 for other kinds."""
    cells: tuple[Span, ...] = ()
    """For a table row: each cell's characters in ``raw_text``."""
    code: tuple[Span, ...] = ()
    """Each inline code element's characters (``<code>``, ``<kbd>``, ``<samp>``, ``<tt>``)."""


@dataclass(frozen=True)
class Result:
    """The outcome of cleaning one page."""

    text: str
    """The clean main text: blocks separated by a blank line, ``<br>`` breaks as newlines."""
    raw_text: str
    """The text as extracted, before any text-stage rule ran."""
    metadata: Metadata
    edits: tuple[Edit, ...]
    """Every change, DOM-stage first, then text-stage in the order the rules ran."""
    encoding: Encoding
    kind: InputKind = "html"
    """``html`` for markup, ``text`` for plain text a crawler already extracted."""
    flags: tuple[Flag, ...] = ()
    script: str | None = None
    """The page's script before conversion: ``Hans``, ``Hant``, ``mixed`` or ``none``."""
    region: str | None = None
    """Region hint from ``lang``/``xml:lang`` or the domain (``TW``, ``HK``, ``MO``, ``CN``...)."""
    blocks: tuple[TextBlock, ...] = ()
    """The extracted blocks with their kinds, as spans of ``raw_text`` (empty for text input);
    ``pagetidy.markdown.to_markdown`` maps them through the text edits."""

    @property
    def title(self) -> str | None:
        """The page title (same as ``metadata.title``)."""
        return self.metadata.title

    @property
    def text_edits(self) -> tuple[Edit, ...]:
        """The edits made on the text, in order; ``replay(raw_text, text_edits) == text``."""
        return tuple(edit for edit in self.edits if edit.stage == "text")

    def __rich__(self) -> Any:
        """The explanation ``pagetidy explain`` prints, so ``rich.print(result)`` shows it."""
        from pagetidy.report import Explanation  # noqa: PLC0415 - rich only when displayed

        return Explanation(self)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with text, title, metadata, encoding, flags and edits.

        ``published`` and ``author`` are also given at the top level, where corpus scorers (and
        ``../shared/tools/score.py``) look for them. There is no top-level ``source``: batch
        outputs use that key for the input a record came from; the outlet is
        ``metadata.source``.
        """
        return {
            "text": self.text,
            "title": self.title,
            "published": self.metadata.published,
            "author": self.metadata.author,
            "kind": self.kind,
            "script": self.script,
            "region": self.region,
            "metadata": self.metadata.to_dict(),
            "encoding": self.encoding.to_dict(),
            "flags": [flag.to_dict() for flag in self.flags],
            "edits": [edit.to_dict() for edit in self.edits],
        }


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply one rule's edits, whose spans all point into ``text``, and return the new text.

    Raises ``ValueError`` when spans overlap or an edit's ``before`` does not match the text,
    which means the edit list does not belong to this text.
    """
    ordered = sorted(edits, key=lambda edit: _span(edit).start)
    pieces: list[str] = []
    cursor = 0
    for edit in ordered:
        span = _span(edit)
        if span.start < cursor:
            raise ValueError(f"overlapping edits from rule {edit.rule!r} at {span.start}")
        if text[span.start : span.end] != edit.before:
            raise ValueError(f"edit from rule {edit.rule!r} does not match the text at {span}")
        pieces.append(text[cursor : span.start])
        pieces.append(edit.after)
        cursor = span.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def replay(raw_text: str, edits: Iterable[Edit]) -> str:
    """Re-apply text-stage edits to ``raw_text``; DOM-stage edits are skipped.

    Edits arrive grouped by rule in the order the rules ran, and each rule's spans point into
    the text that rule received, so each consecutive group is applied as one step.
    """
    text = raw_text
    group: list[Edit] = []
    for edit in edits:
        if edit.stage != "text":
            continue
        if group and group[-1].rule != edit.rule:
            text = apply_edits(text, group)
            group = []
        group.append(edit)
    return apply_edits(text, group) if group else text


def _span(edit: Edit) -> Span:
    if not isinstance(edit.where, Span):
        raise ValueError(f"edit from rule {edit.rule!r} is a DOM edit, not a text edit")
    return edit.where
