"""What a rule is, and the per-page context rules read and write.

A rule is a small class with a stable kebab-case ``name`` (verb first), a ``family``, a one-sentence
``reason`` that goes into every edit it makes, and a ``summary`` of what it removes for
``pagetidy rules`` and the docs. ``DomRule`` finds elements to remove from the parsed tree;
``TextRule`` finds spans of the extracted text to remove or rewrite. Rules never edit anything
themselves: they return what they found and the pipeline applies it and records the ``Edit``.
Rules are built once per ``Cleaner`` (``__init__`` receives the Config), so anything costly, such
as a compiled pattern set or an OpenCC converter, is made once and reused for every page.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal, NamedTuple

from pagetidy.model import Flag, Metadata

if TYPE_CHECKING:
    from pagetidy.parse import HtmlElement
    from pagetidy.pipeline import Config
    from pagetidy.rules.blocks import BodyLength, PageNames

Stage = Literal["dom", "text"]

METADATA_FIELDS = ("title", "source", "published", "author", "editor", "url", "lang")


class Change(NamedTuple):
    """A span of the rule's input text to replace with ``after`` (empty: remove)."""

    start: int
    end: int
    after: str = ""
    reason: str | None = None
    """Overrides the rule's reason for this change only (e.g. where a moved value went)."""


class Removal(NamedTuple):
    """An element for the pipeline to remove from the tree, with an optional specific reason."""

    element: HtmlElement
    reason: str | None = None
    keep_tail: bool = True
    """Keep the text that follows the element (it belongs to the parent); False drops it too."""


@dataclass
class PageContext:
    """Mutable facts about the page being cleaned, shared by the rules of one ``clean`` call."""

    config: Config
    kind: Literal["html", "text"]
    url: str | None = None
    root: HtmlElement | None = None
    content_root: HtmlElement | None = None
    """The element the extractor chose as the main content; blocks are read from it."""
    values: dict[str, str] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)
    flags: list[Flag] = field(default_factory=list)
    script: str | None = None
    """The detected script (``Hans``, ``Hant``, ``mixed``, ``none``), set by ``convert-script``."""
    region: str | None = None
    """The region the page's language tag or domain points to (``TW``, ``HK``, ``CN``...)."""
    protected: list[tuple[int, int]] = field(default_factory=list)
    """Spans of the text that normalization and the whitespace rules leave alone, known from the
    tree (``<pre>`` blocks, inline ``<code>``); the pipeline keeps them in step with the text as
    rules change it."""
    cache: dict[str, Any] = field(default_factory=dict)
    """What rules work out once per page and share (the normalization stage's protected spans
    and character counts); an entry records the text it describes and is checked before use."""
    names: PageNames | None = None
    """Class and id names of the body, read once by the first class/id rule (``rules/blocks``)."""
    removed: int = 0
    """Elements removed from the tree so far (counted by the pipeline): cached measures of the
    tree, such as ``body_length``, hold only for the count they were taken at."""
    body_length: BodyLength | None = None
    """The body's character count, carried from one size-guarded rule to the next."""

    def set_meta(self, name: str, value: str, origin: str, *, replace: bool = False) -> bool:
        """Record a metadata value and where it came from; keep an earlier value unless replace."""
        if name not in METADATA_FIELDS:
            raise ValueError(f"unknown metadata field {name!r}")
        value = value.strip()
        if not value or (name in self.values and not replace):
            return False
        self.values[name] = value
        self.origins[name] = origin
        return True

    def flag(self, name: str, evidence: str) -> None:
        """Raise a document-level flag once, with the evidence that triggered it."""
        if all(existing.name != name for existing in self.flags):
            self.flags.append(Flag(name, evidence))

    def metadata(self) -> Metadata:
        """The metadata gathered so far, as a frozen value."""
        fields = {name: self.values.get(name) for name in METADATA_FIELDS}
        return Metadata(**fields, origins=self.origins)


class Rule:
    """Base of all rules; subclasses set the class attributes and implement ``find``."""

    name: ClassVar[str]
    family: ClassVar[str]
    stage: ClassVar[Stage]
    reason: ClassVar[str]
    summary: ClassVar[str]
    default: ClassVar[bool] = True
    """Whether the rule runs unless disabled; rules off by default need ``--enable``."""
    adds_characters: ClassVar[str | None] = ""
    """Characters this rule's replacements may hold that the replaced text did not: empty for a
    rule that only removes or reuses what it matched, e.g. ``" "`` for one that folds any space
    to an ASCII space, None for a rewriting rule (script conversion, width folding) whose new
    characters depend on its input. The property tests hold every text edit to it."""
    idempotent: ClassVar[bool] = True
    """Whether running the rule again on its own output changes nothing. False for a rule whose
    removals can expose more of what it removes (a footer read from the end of the text); the
    property tests then allow it removals, and only removals, on a second pass."""

    def __init__(self, config: Config) -> None:
        self.config = config


class DomRule(Rule):
    """A rule that removes elements from the parsed tree."""

    stage: ClassVar[Stage] = "dom"

    def find(self, root: HtmlElement, page: PageContext) -> Iterable[Removal]:
        """Yield the elements to remove."""
        raise NotImplementedError


class TextRule(Rule):
    """A rule that removes or rewrites spans of the text."""

    stage: ClassVar[Stage] = "text"

    def find(self, text: str, page: PageContext) -> Iterable[Change]:
        """Yield non-overlapping changes, spans pointing into ``text``."""
        raise NotImplementedError

    def applied(self, changes: list[Change], text: str, page: PageContext) -> None:
        """Told by the pipeline the text after it applied this rule's ``changes`` (sorted)."""


class Line(NamedTuple):
    """A line of the text: its number (from 0), span (without the newline) and content."""

    number: int
    start: int
    end: int
    text: str


def iter_lines(text: str) -> Iterator[Line]:
    """Yield every line of ``text`` with its offsets."""
    start = 0
    index = 0
    while True:
        newline = text.find("\n", start)
        end = len(text) if newline < 0 else newline
        yield Line(index, start, end, text[start:end])
        if newline < 0:
            return
        start = newline + 1
        index += 1


class LineRule(TextRule):
    """A text rule that removes whole lines; subclasses decide per line with ``judge``."""

    def judge(self, line: Line, page: PageContext) -> str | None:
        """A reason to drop the line ("" for the rule's own reason), or None to keep it."""
        raise NotImplementedError

    def find(self, text: str, page: PageContext) -> Iterator[Change]:
        """Drop each judged line with its newline, so no blank line is left in its place."""
        lines = list(iter_lines(text))
        verdicts = [self.judge(line, page) if line.text.strip() else None for line in lines]
        yield from line_removals(text, lines, verdicts)


def line_removals(
    text: str, lines: list[Line], verdicts: list[str | None]
) -> Iterator[Change]:
    """Changes that remove the lines whose verdict is not None, newline included."""
    last = len(lines) - 1
    for line, verdict in zip(lines, verdicts, strict=True):
        if verdict is None:
            continue
        reason = verdict or None
        if line.number < last:
            yield Change(line.start, lines[line.number + 1].start, "", reason)
        elif line.number > 0 and verdicts[line.number - 1] is None:
            yield Change(line.start - 1, line.end, "", reason)
        else:
            yield Change(line.start, line.end, "", reason)
