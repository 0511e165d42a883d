"""What the DOM rules of the boilerplate families share: class/id tokens and a size guard.

Tokens are matched whole after splitting ``class`` and ``id`` on spaces, ``-`` and ``_`` (as GNE
does), so ``share`` finds ``bdshare_t`` no more than ``yin`` finds ``yinyue``; a few distinctive
names (``bdshare``, ``footer``) also match inside a longer token. A block that names
itself boilerplate but holds much of the page's text is kept: some templates call the article
wrapper ``main-footer`` or put the whole page in ``div#foot_wrap``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
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

STYLED = etree.XPath("descendant::*/@style/..")
"""Elements with an inline style, found in C: the owners of ``style`` attributes cost less than
``descendant::*[@style]`` (libxml2 evaluates element predicates slowly) or ``.//``."""


class TokenSet(NamedTuple):
    """A class/id vocabulary: whole tokens, and substrings distinctive enough to match inside."""

    tokens: frozenset[str]
    substrings: tuple[str, ...]
    pattern: re.Pattern[str]
    """One search for both: a token between separators (space, ``-``, ``_``), or a substring."""
    inner: re.Pattern[str] | None
    """The substrings alone, for lower-case ASCII names (None when there are none)."""


def token_set(tokens: Iterable[str], substrings: Iterable[str] = ()) -> TokenSet:
    """A vocabulary of lower-case whole tokens and substrings."""
    words = frozenset(tokens)
    parts = tuple(substrings)
    whole = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    alternatives = [f"(?<![^\\s_-])(?:{whole})(?![^\\s_-])"] if words else []
    alternatives += [re.escape(part) for part in parts]
    pattern = re.compile("|".join(alternatives) or "(?!)", re.IGNORECASE)
    inner = re.compile("|".join(re.escape(part) for part in parts)) if parts else None
    return TokenSet(words, parts, pattern, inner)


_SEPARATORS = re.compile(r"[\s_-]+")
"""What separates the tokens of a class/id string (the separators of ``TokenSet.pattern``)."""


class PageNames(NamedTuple):
    """The class and id names of one page's body, read once and shared by the class/id rules.

    A name string is an element's ``"class id"``. ASCII ones are indexed by lower-case token and
    written lower-cased one per line, so a vocabulary is matched with a few set operations and
    one search; the few others are searched with the vocabulary's pattern.
    """

    body: HtmlElement
    elements: list[HtmlElement]
    """Each element with a class or id, or a ``<footer>``, in document order."""
    by_name: dict[str, list[int]]
    """The positions in ``elements`` of each different name string."""
    by_token: dict[str, set[str]]
    """The ASCII name strings holding each lower-case token."""
    lowered: str
    """The ASCII name strings lower-cased, one per line."""
    starts: list[int]
    """Where each ASCII name string starts in ``lowered``, in the order of ``ascii_names``."""
    ascii_names: list[str]
    other_names: list[str]
    """Name strings with other characters: IGNORECASE matches a few of them (long s, Kelvin
    sign) to ASCII letters, so the pattern decides."""
    footers: list[int]
    """The positions in ``elements`` of the ``<footer>`` elements."""


def page_names(body: HtmlElement, page: PageContext) -> PageNames:
    """The names of ``body``, read by the first class/id rule of the page and kept on ``page``."""
    names = page.names
    if names is None or names.body is not body:
        names = page.names = _read_names(body)
    return names


def _read_names(body: HtmlElement) -> PageNames:
    elements: list[HtmlElement] = []
    by_name: dict[str, list[int]] = {}
    footers: list[int] = []
    walk = body.iter(etree.Element)
    next(walk)  # the body itself
    for element in walk:
        class_ = element.get("class")
        id_ = element.get("id")
        if class_ is None and id_ is None:
            if element.tag != "footer":
                continue  # most elements: their tag is not even read
            footers.append(len(elements))
        elif element.tag == "footer":
            footers.append(len(elements))
        name = f"{class_ or ''} {id_ or ''}"
        positions = by_name.get(name)
        if positions is None:
            by_name[name] = [len(elements)]
        else:
            positions.append(len(elements))
        elements.append(element)
    by_token: defaultdict[str, set[str]] = defaultdict(set)
    ascii_names: list[str] = []
    other_names: list[str] = []
    lowered: list[str] = []
    starts: list[int] = []
    offset = 0
    for name in by_name:
        if not name.isascii():
            other_names.append(name)
            continue
        low = name.lower()  # what IGNORECASE does to ASCII letters
        for token in _SEPARATORS.split(low):
            by_token[token].add(name)
        ascii_names.append(name)
        lowered.append(low)
        starts.append(offset)
        offset += len(low) + 1
    return PageNames(
        body, elements, by_name, by_token, "\n".join(lowered), starts, ascii_names, other_names,
        footers,
    )


def names_holding(names: PageNames, vocabulary: TokenSet) -> set[str]:
    """The page's name strings in which ``vocabulary.pattern`` finds a token or substring."""
    found: set[str] = set()
    # A word between separators (or the string's ends) is exactly one of the string's tokens.
    for token in names.by_token.keys() & vocabulary.tokens:
        found |= names.by_token[token]
    if vocabulary.inner is not None:
        for match in vocabulary.inner.finditer(names.lowered):
            found.add(names.ascii_names[bisect_right(names.starts, match.start()) - 1])
    found.update(name for name in names.other_names if vocabulary.pattern.search(name))
    return found


def named_elements(
    body: HtmlElement, page: PageContext, vocabulary: TokenSet, *, footers: bool = False
) -> Iterator[HtmlElement]:
    """Elements still under ``body`` named by ``vocabulary`` (and ``<footer>``s), in order.

    The same elements, in the same order, as an XPath for class/id elements run on the tree as
    it is now: earlier rules may have removed some since the names were read.
    """
    names = page_names(body, page)
    positions = {at for name in names_holding(names, vocabulary) for at in names.by_name[name]}
    if footers:
        positions.update(names.footers)
    inside = {body}  # an element cut off with a removed ancestor is no longer under it
    for at in sorted(positions):
        element = names.elements[at]
        if has_ancestor_in(element, inside):
            yield element


def all_text(element: HtmlElement) -> str:
    """The text inside ``element``, concatenated."""
    return str(element.xpath("string()"))


def text_length(element: HtmlElement) -> int:
    """Characters of text inside ``element``, whitespace excluded."""
    return sum(map(len, all_text(element).split()))  # the joined length, without joining


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
        # Inside a block already taken: skipped before the (costlier) boilerplate test.
        if taken and has_ancestor_in(element, taken):
            continue
        if is_boilerplate is not None and not is_boilerplate(element):
            continue
        if body_length is None:
            body_length = _body_length(body, page)
        text = all_text(element)
        length = sum(map(len, text.split()))
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


