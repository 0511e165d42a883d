"""Config and Cleaner: the one visible loop that runs the stages in order.

bytes -> decoded text -> parsed tree -> DOM rules (extraction last) -> blocks -> text rules ->
Result. Every change after decoding is made by a rule and recorded as an ``Edit``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Literal

from lxml import etree

from pagetidy.decode import decode, normalize_label
from pagetidy.errors import ConfigError, InputError
from pagetidy.metadata import parse_reference, read_tags, scan_page, settle
from pagetidy.model import Edit, Encoding, Node, Result, Span, TextBlock
from pagetidy.normalize import PROTECT_REGEX_PREFIX, shifted_spans
from pagetidy.parse import (
    Block,
    HtmlElement,
    blocks_to_text,
    body_of,
    find_title,
    has_ancestor_in,
    iter_blocks,
    looks_like_html,
    node_paths,
    parse_html,
    remove_element,
    sanitize,
)
from pagetidy.rules import (
    REGISTRY,
    DomRule,
    PageContext,
    Removal,
    Rule,
    TextRule,
    rule_named,
)
from pagetidy.rules.unicode import NormalizationRule

InputMode = Literal["auto", "html", "text"]

NORMALIZED_FIELDS = ("title", "source", "author", "editor")
"""Metadata fields that are prose and get the text's normalization (script, width, punctuation)."""
_SURROGATE = re.compile("[\ud800-\udfff]")

_START = attrgetter("start")

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
"""Larger inputs are refused with an InputError rather than risking memory on one page."""


TARGET_SCRIPTS = ("hans", "hant", "tw", "hk", "none")
"""Valid ``Config.to``: simplified, traditional (OpenCC standard), Taiwan, Hong Kong, keep."""


def _protect_entries(entries: Iterable[str] | str) -> tuple[str, ...]:
    if isinstance(entries, str):
        entries = [entries]
    entries = tuple(entries)
    for entry in entries:
        if not isinstance(entry, str) or not entry or entry == PROTECT_REGEX_PREFIX:
            raise ConfigError(f"protect entries must be non-empty strings, got {entry!r}")
        if entry.startswith(PROTECT_REGEX_PREFIX):
            try:
                re.compile(entry[len(PROTECT_REGEX_PREFIX) :])
            except re.error as error:
                raise ConfigError(f"invalid protect regex {entry!r}: {error}") from None
    return entries


def _rule_names(names: Iterable[str] | str) -> frozenset[str]:
    if isinstance(names, str):
        names = [names]
    return frozenset(names)


@dataclass(frozen=True)
class Config:
    """Every option of a clean, validated when built; share one Config across many pages."""

    disable: frozenset[str] = field(default_factory=frozenset)
    """Rules not to run (by name)."""
    enable: frozenset[str] = field(default_factory=frozenset)
    """Rules that are off by default to run as well."""
    encoding: str | None = None
    """Force this input charset for bytes, ignoring BOM, declarations and detection."""
    input: InputMode = "auto"
    """``html``, ``text`` (plain text a crawler extracted), or ``auto`` to tell them apart."""
    max_bytes: int = DEFAULT_MAX_BYTES
    """Refuse inputs larger than this many bytes (UTF-8 bytes for str input)."""
    reference_date: str | None = None
    """When the page was fetched (ISO 8601, ``2024-09-26`` or ``2024-09-26T17:03``): lets
    ``9月26日`` and ``3小时前`` be read as dates; without it they are left unread."""
    to: str = "hans"
    """Target script: ``hans`` (simplified), ``hant``, ``tw``, ``hk``, or ``none`` to keep it."""
    phrases: bool = False
    """Use OpenCC's phrase configs: regional vocabulary (软件 -> 軟體); lengths change."""
    protect: tuple[str, ...] = ()
    """Text normalization leaves alone: literal strings, or regexes when prefixed with ``re:``."""
    keep_comments: bool = False
    """Keep reader comment sections inside the main content (``extract-main-content``)."""

    def __post_init__(self) -> None:
        """Normalize the rule sets and refuse unknown names or values with the valid ones."""
        object.__setattr__(self, "disable", _rule_names(self.disable))
        object.__setattr__(self, "enable", _rule_names(self.enable))
        for name in self.disable | self.enable:
            rule_named(name)
        if self.encoding is not None and normalize_label(self.encoding) is None:
            raise ConfigError(f"unknown encoding {self.encoding!r}")
        if self.input not in ("auto", "html", "text"):
            raise ConfigError(f"unknown input mode {self.input!r}; valid: auto, html, text")
        if self.max_bytes <= 0:
            raise ConfigError(f"max_bytes must be positive, got {self.max_bytes}")
        if self.reference_date is not None:
            try:
                parse_reference(self.reference_date)
            except ValueError:
                raise ConfigError(
                    f"reference_date must be ISO 8601 (2024-09-26 or 2024-09-26T17:03),"
                    f" got {self.reference_date!r}"
                ) from None
        if self.to not in TARGET_SCRIPTS:
            valid = ", ".join(TARGET_SCRIPTS)
            raise ConfigError(f"unknown target script {self.to!r}; valid: {valid}")
        object.__setattr__(self, "protect", _protect_entries(self.protect))
        if not isinstance(self.keep_comments, bool):
            raise ConfigError(f"keep_comments must be a bool, got {self.keep_comments!r}")

    def runs(self, rule: type[Rule]) -> bool:
        """Whether ``rule`` runs under this config."""
        if rule.name in self.disable:
            return False
        return rule.default or rule.name in self.enable


class Cleaner:
    """Compiles the rules once and cleans any number of pages with them."""

    def __init__(self, config: Config | None = None) -> None:
        """Build every enabled rule for ``config`` (the default Config when None)."""
        self.config = config or Config()
        rules = [rule(self.config) for rule in REGISTRY if self.config.runs(rule)]
        self.dom_rules = [rule for rule in rules if isinstance(rule, DomRule)]
        self.text_rules = [rule for rule in rules if isinstance(rule, TextRule)]

    def clean(
        self, page: Any, *, url: str | None = None, http_charset: str | None = None
    ) -> Result:
        """Clean one page: ``bytes``, ``str`` or a ``bs4.BeautifulSoup``; see ``pagetidy.clean``."""
        text, encoding = self._read(page, http_charset)
        kind = self._kind(text)
        context = PageContext(self.config, kind, url=url)
        if url:
            context.set_meta("url", url, "caller")
        edits: list[Edit] = []
        blocks: tuple[TextBlock, ...] = ()
        if kind == "html":
            raw_text, blocks = self._extract(text, context, edits)
            context.protected = _protected_spans(blocks)
        else:
            raw_text = sanitize(text.replace("\r\n", "\n").replace("\r", "\n"))
        clean_text = self._run_text_rules(raw_text, context, edits)
        settle(context)
        self._normalize_metadata(context)
        return Result(
            text=clean_text,
            raw_text=raw_text,
            metadata=context.metadata(),
            edits=tuple(edits),
            encoding=encoding,
            kind=kind,
            flags=tuple(context.flags),
            script=context.script,
            region=context.region,
            blocks=blocks,
        )

    def _read(self, page: Any, http_charset: str | None) -> tuple[str, Encoding]:
        if isinstance(page, bytes | bytearray | memoryview):
            data = bytes(page)
            self._check_size(len(data))
            decoded = decode(data, http_charset=http_charset, forced=self.config.encoding)
            return decoded.text, decoded.encoding
        if isinstance(page, str):
            self._check_size(len(page.encode("utf-8", "surrogatepass")))
            if not page.strip():
                raise InputError("empty input: no text to clean")
            # A lone surrogate cannot be written as UTF-8: it is a broken character, like an
            # undecodable byte, so it becomes U+FFFD (which a rule then removes, recorded).
            page, surrogates = _SURROGATE.subn("\ufffd", page)
            note = "input was already text"
            if surrogates:
                note += f"; {surrogates} lone surrogate(s) replaced by U+FFFD"
            return page, Encoding("unicode", "unicode", None, surrogates, note)
        if _is_soup(page):
            markup = str(page)
            original = getattr(page, "original_encoding", None)
            note = "BeautifulSoup object"
            if original:
                note += f" (decoded by bs4 from {original})"
            if not markup.strip():
                raise InputError("empty input: the BeautifulSoup object holds no markup")
            return markup, Encoding(original or "unicode", "unicode", original, 0, note)
        raise InputError(
            f"cannot clean a {type(page).__name__}: pass bytes, str or a bs4.BeautifulSoup"
        )

    def _check_size(self, size: int) -> None:
        if size > self.config.max_bytes:
            raise InputError(
                f"input of {size:,} bytes exceeds max_bytes={self.config.max_bytes:,}"
            )

    def _kind(self, text: str) -> Literal["html", "text"]:
        if self.config.input != "auto":
            return self.config.input
        return "html" if looks_like_html(text) else "text"

    def _extract(
        self, markup: str, context: PageContext, edits: list[Edit]
    ) -> tuple[str, tuple[TextBlock, ...]]:
        root = parse_html(markup)
        context.root = root
        title, origin = find_title(root)
        if title:
            context.set_meta("title", title, origin)
        read_tags(root, context)
        scan_page(root, context)
        lang = root.get("lang") or root.get("xml:lang")
        if lang:
            context.set_meta("lang", lang, "<html lang>")
        for rule in self.dom_rules:
            _apply_dom_rule(rule, root, context, edits)
        content = context.content_root
        if content is None or _detached(content, root):
            content = body_of(root)
        blocks = list(iter_blocks(content))
        return blocks_to_text(blocks), _block_spans(blocks)

    def _normalize_metadata(self, context: PageContext) -> None:
        """Give title, source, author and editor the same script and characters as the text."""
        rules = [
            rule
            for rule in self.text_rules
            if isinstance(rule, NormalizationRule) and rule.for_metadata
        ]
        for name in NORMALIZED_FIELDS:
            value = context.values.get(name)
            if not value:
                continue
            normalized = value
            for rule in rules:
                normalized = rule.normalize_value(normalized, context)
            if normalized.strip() and normalized != value:
                context.values[name] = normalized.strip()
                context.origins[name] += ", normalized"

    def _run_text_rules(self, text: str, context: PageContext, edits: list[Edit]) -> str:
        for rule in self.text_rules:
            changes = sorted(rule.find(text, context), key=_START)
            if not changes:
                continue
            # Recorded and applied in one pass, as ``apply_edits`` would apply them: a rule can
            # make thousands of changes (one per converted run), so the loop is kept lean.
            name, family, reason = rule.name, rule.family, rule.reason
            pieces: list[str] = []
            cursor = 0
            record = edits.append
            edit = Edit.in_text
            for start, end, after, change_reason in changes:
                if start < cursor:
                    raise ValueError(f"overlapping edits from rule {name!r} at {start}")
                before = text[start:end]
                record(edit(name, family, before, after, start, end, change_reason or reason))
                pieces += (text[cursor:start], after)
                cursor = end
            pieces.append(text[cursor:])
            text = "".join(pieces)
            rule.applied(changes, text, context)
            if context.protected:
                context.protected = shifted_spans(context.protected, changes)
        return text


def _protected_spans(blocks: tuple[TextBlock, ...]) -> list[tuple[int, int]]:
    """The spans normalization leaves as written: ``<pre>`` blocks and inline code."""
    spans: list[tuple[int, int]] = []
    for block in blocks:
        if block.kind == "pre":
            spans.append((block.where.start, block.where.end))
        else:
            spans += [(code.start, code.end) for code in block.code]
    return spans


def _block_spans(blocks: list[Block]) -> tuple[TextBlock, ...]:
    """Each block's span in the joined text (see ``blocks_to_text``), with its cells (located in
    order) and its inline code."""
    spans: list[TextBlock] = []
    start = 0
    for block in blocks:
        end = start + len(block.text)
        cells: list[Span] = []
        cursor = 0
        for cell in block.cells:
            found = block.text.find(cell, cursor)
            if found < 0:
                cells = []
                break
            cursor = found + len(cell)
            cells.append(Span(start + found, start + cursor))
        code = tuple(Span(start + first, start + last) for first, last in block.code)
        spans.append(TextBlock(block.kind, Span(start, end), block.level, tuple(cells), code))
        start = end + 1
    return tuple(spans)


def _apply_dom_rule(
    rule: DomRule, root: HtmlElement, context: PageContext, edits: list[Edit]
) -> None:
    removals = list(rule.find(root, context))
    removed: set[HtmlElement] = set()
    taken: list[Removal] = []
    for removal in removals:
        element = removal.element
        if has_ancestor_in(element, removed) or element is root:
            continue
        removed.add(element)
        taken.append(removal)
    paths = node_paths([removal.element for removal in taken])
    for removal, path in zip(taken, paths, strict=True):
        edits.append(
            Edit(
                rule=rule.name,
                family=rule.family,
                before=_element_text(removal.element),
                after="",
                where=Node(path),
                reason=removal.reason or rule.reason,
            )
        )
    for removal in removals:
        element = removal.element
        if element not in removed:
            continue
        remove_element(element, keep_tail=removal.keep_tail)
    context.removed += len(removed)


def _detached(element: HtmlElement, root: HtmlElement) -> bool:
    current: HtmlElement | None = element
    while current is not None and current is not root:
        current = current.getparent()
    return current is None


def _element_text(element: HtmlElement) -> str:
    """The removed element's text, whitespace folded (cheap: removals can be many)."""
    # Serializing to text happens in C; joining itertext() pieces in Python costs several times
    # more on the large regions around the main content.
    text = etree.tostring(element, method="text", encoding="unicode", with_tail=False)
    return " ".join(text.split())


def _is_soup(page: Any) -> bool:
    try:
        from bs4 import BeautifulSoup  # noqa: PLC0415 - bs4 is only needed for soup input
    except ImportError:  # pragma: no cover - bs4 is a dependency
        return False
    return isinstance(page, BeautifulSoup)
