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
from typing import NamedTuple

from lxml import etree

from pagetidy.parse import HtmlElement, has_ancestor_in, tag_of

MAX_SHARE = 0.35
"""A boilerplate block may hold at most this share of the body's characters."""

MAX_SENTENCES = 12
"""...and at most this many sentence ends (。！？): more than that is an article."""

_SENTENCE_END = re.compile("[。！？]")

NAMED = ".//*[@class or @id]"
"""Candidates of the class/id rules: an XPath, which runs in C, instead of visiting every node."""


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


def named(element: HtmlElement, vocabulary: TokenSet) -> bool:
    """Whether the element's ``class`` or ``id`` holds a token or substring of ``vocabulary``."""
    attributes = element.attrib
    raw = f"{attributes.get('class', '')} {attributes.get('id', '')}"
    return vocabulary.pattern.search(raw) is not None


def all_text(element: HtmlElement) -> str:
    """The text inside ``element``, concatenated."""
    return str(element.xpath("string()"))


def text_length(element: HtmlElement) -> int:
    """Characters of text inside ``element``, whitespace excluded."""
    return len("".join(all_text(element).split()))


def guarded(
    body: HtmlElement, candidates: str, is_boilerplate: Callable[[HtmlElement], bool]
) -> Iterator[HtmlElement]:
    """Small enough matches of ``is_boilerplate`` among ``candidates``, outermost first."""
    total = 0
    taken: set[HtmlElement] = set()
    for element in _elements(body, candidates):
        if element is body or not tag_of(element):
            continue
        if not is_boilerplate(element):
            continue
        if has_ancestor_in(element, taken):
            continue
        total = total or max(text_length(body), 1)
        length = text_length(element)
        if length > MAX_SHARE * total:
            continue
        text = all_text(element)
        if len(_SENTENCE_END.findall(text)) > MAX_SENTENCES:
            continue
        taken.add(element)
        yield element


def _elements(body: HtmlElement, path: str) -> Iterator[HtmlElement]:
    """The elements an XPath selects (lxml types xpath() results loosely)."""
    found = body.xpath(path)
    if isinstance(found, list):
        yield from (item for item in found if isinstance(item, etree._Element))


