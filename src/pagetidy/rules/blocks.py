"""What the DOM rules of the boilerplate families share: class/id tokens and a size guard.

Tokens are matched whole after splitting ``class`` and ``id`` on spaces, ``-`` and ``_`` (as GNE
does), so ``share`` finds ``bdshare_t`` no more than ``yin`` finds ``yinyue``; a few distinctive
names (``bdshare``, ``footer``) also match inside a longer token. A block that names
itself boilerplate but holds much of the page's text is kept: some templates call the article
wrapper ``main-footer`` or put the whole page in ``div#foot_wrap``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, NamedTuple

from lxml import etree

from pagetidy.parse import HtmlElement, has_ancestor_in, tag_of

if TYPE_CHECKING:
    from pagetidy.rules.base import PageContext

MAX_SHARE = 0.35
"""A boilerplate block may hold at most this share of the body's characters."""

MAX_SENTENCES = 12
"""...and at most this many sentence ends (。！？): more than that is an article."""

_SENTENCE_END = re.compile("[。！？]")

STYLED = etree.XPath("descendant::*[@style]")
"""Elements with an inline style, found in C (``descendant::`` costs less than ``.//``)."""


class TokenSet(NamedTuple):
    """A class/id vocabulary: whole tokens, and substrings distinctive enough to match inside."""

    tokens: frozenset[str]
    substrings: tuple[str, ...]
    pattern: re.Pattern[str]
    """One search for both: a token between separators (space, ``-``, ``_``), or a substring."""


def token_set(tokens: Iterable[str], substrings: Iterable[str] = ()) -> TokenSet:
    """A vocabulary of lower-case whole tokens and substrings."""
    words = frozenset(tokens)
    parts = tuple(substrings)
    whole = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    alternatives = [f"(?<![^\\s_-])(?:{whole})(?![^\\s_-])"] if words else []
    alternatives += [re.escape(part) for part in parts]
    return TokenSet(words, parts, re.compile("|".join(alternatives) or "(?!)", re.IGNORECASE))


_SEPARATORS = re.compile(r"[\s_-]+")
"""What separates the tokens of a class/id string (the separators of ``TokenSet.pattern``)."""

NameView = tuple[frozenset[str], str] | None
"""An ASCII name string's lower-case tokens and the string lower-cased; None for other strings."""


class PageNames(NamedTuple):
    """The class and id names of one page's body, read once and shared by the class/id rules."""

    body: HtmlElement
    entries: list[tuple[HtmlElement, str]]
    """Each element with a class or id, or a ``<footer>``, in document order, with its names as one
    string (``"class id"``)."""
    views: dict[str, NameView]
    """Each different name string, tokenized once: the rules look tokens up instead of searching."""


def page_names(body: HtmlElement, page: PageContext) -> PageNames:
    """The names of ``body``, read by the first class/id rule of the page and kept on ``page``."""
    names = page.names
    if names is None or names.body is not body:
        names = page.names = _read_names(body)
    return names


def _read_names(body: HtmlElement) -> PageNames:
    entries: list[tuple[HtmlElement, str]] = []
    for element in body.iter(etree.Element):
        if element is body:
            continue
        class_ = element.get("class")
        id_ = element.get("id")
        if class_ is not None or id_ is not None or element.tag == "footer":
            entries.append((element, f"{class_ or ''} {id_ or ''}"))
    distinct = dict.fromkeys(raw for _, raw in entries)  # class names repeat: view each once
    return PageNames(body, entries, {raw: name_view(raw) for raw in distinct})


def name_view(raw: str) -> NameView:
    """The tokens and lower-cased form of an ASCII name string (None: search the pattern)."""
    if not raw.isascii():
        return None  # IGNORECASE matches a few non-ASCII letters (long s, Kelvin sign) to ASCII
    lowered = raw.lower()
    return frozenset(_SEPARATORS.split(lowered)), lowered


def holds(vocabulary: TokenSet, raw: str, view: NameView) -> bool:
    """Whether the name string ``raw`` holds a token or substring of ``vocabulary``.

    The same answer as searching ``vocabulary.pattern``: for an ASCII string, a word between
    separators is one of its tokens, and lower-casing is what IGNORECASE does to ASCII.
    """
    if view is None:
        return vocabulary.pattern.search(raw) is not None
    tokens, lowered = view
    if not tokens.isdisjoint(vocabulary.tokens):
        return True
    return any(part in lowered for part in vocabulary.substrings)


def named_elements(
    body: HtmlElement, page: PageContext, vocabulary: TokenSet, *, tag: str | None = None
) -> Iterator[HtmlElement]:
    """Elements still under ``body`` named by ``vocabulary`` (or with tag ``tag``), in order.

    The same elements, in the same order, as an XPath for class/id elements run on the tree as
    it is now: earlier rules may have removed some since the names were read.
    """
    names = page_names(body, page)
    hits = {raw for raw, view in names.views.items() if holds(vocabulary, raw, view)}
    for element, raw in names.entries:
        if (raw in hits or (tag is not None and element.tag == tag)) and _under(element, body):
            yield element


def _under(element: HtmlElement, body: HtmlElement) -> bool:
    """Whether ``element`` is still inside ``body`` (not cut off with a removed ancestor)."""
    parent = element.getparent()
    while parent is not None:
        if parent is body:
            return True
        parent = parent.getparent()
    return False


def all_text(element: HtmlElement) -> str:
    """The text inside ``element``, concatenated."""
    return str(element.xpath("string()"))


def text_length(element: HtmlElement) -> int:
    """Characters of text inside ``element``, whitespace excluded."""
    return len("".join(all_text(element).split()))


def guarded(
    body: HtmlElement,
    page: PageContext,
    candidates: Iterable[HtmlElement],
    is_boilerplate: Callable[[HtmlElement], bool] | None = None,
) -> Iterator[HtmlElement]:
    """Small enough ``candidates`` (those ``is_boilerplate`` accepts, if given), outermost first.

    The caller yields a ``Removal`` (tail kept) for each: the pipeline then removes exactly these
    elements, so the body's character count after them is known without reading the body again.
    """
    body_length: int | None = None
    taken: set[HtmlElement] = set()
    taken_length = 0
    for element in candidates:
        if element is body or not tag_of(element):
            continue
        if is_boilerplate is not None and not is_boilerplate(element):
            continue
        if has_ancestor_in(element, taken):
            continue
        if body_length is None:
            body_length = _body_length(body, page)
        text = all_text(element)
        length = len("".join(text.split()))
        if length > MAX_SHARE * max(body_length, 1):
            continue
        if len(_SENTENCE_END.findall(text)) > MAX_SENTENCES:
            continue
        taken.add(element)
        taken_length += length
        yield element
    if body_length is not None:
        page.body_length = BodyLength(body, page.removed + len(taken), body_length - taken_length)


class BodyLength(NamedTuple):
    """The body's character count (whitespace excluded) as of a number of removals."""

    body: HtmlElement
    removed: int
    """``PageContext.removed`` when the count holds: once any other removal happens, it does not."""
    length: int


def _body_length(body: HtmlElement, page: PageContext) -> int:
    known = page.body_length
    if known is not None and known.body is body and known.removed == page.removed:
        return known.length
    return text_length(body)


def styled(body: HtmlElement) -> list[HtmlElement]:
    """The elements under ``body`` with a ``style`` attribute, in document order."""
    return STYLED(body)  # type: ignore[return-value]


