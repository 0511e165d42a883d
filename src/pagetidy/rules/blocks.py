"""What the DOM rules of the boilerplate families share: class/id tokens and a size guard.

Tokens are matched whole after splitting ``class`` and ``id`` on spaces, ``-`` and ``_`` (as GNE
does), so ``share`` finds ``bdshare_t`` no more than ``yin`` finds ``yinyue``. A block that names
itself boilerplate but holds much of the page's text is kept: some templates call the article
wrapper ``main-footer`` or put the whole page in ``div#foot_wrap``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from pagetidy.parse import HtmlElement, tag_of

_TOKEN_SPLIT = re.compile(r"[\s\-_]+")

MAX_SHARE = 0.35
"""A boilerplate block may hold at most this share of the body's characters."""

MAX_SENTENCES = 12
"""...and at most this many sentence ends (。！？): more than that is an article."""

_SENTENCE_END = re.compile("[。！？]")


def class_tokens(element: HtmlElement) -> tuple[frozenset[str], str]:
    """The lower-case tokens of ``class`` and ``id``, and both attributes joined, lower-cased."""
    raw = f"{element.get('class', '')} {element.get('id', '')}".lower()
    return frozenset(token for token in _TOKEN_SPLIT.split(raw) if token), raw


def all_text(element: HtmlElement) -> str:
    """The text inside ``element``, concatenated."""
    return "".join(str(part) for part in element.itertext())


def text_length(element: HtmlElement) -> int:
    """Characters of text inside ``element``, whitespace excluded."""
    return len("".join(all_text(element).split()))


def guarded(
    body: HtmlElement, is_boilerplate: Callable[[HtmlElement], bool]
) -> Iterator[HtmlElement]:
    """Elements under ``body`` that ``is_boilerplate`` accepts and that are small enough to drop.

    A match inside an element already yielded is skipped (it goes with its ancestor).
    """
    total = max(text_length(body), 1)
    taken: set[HtmlElement] = set()
    for element in body.iter():
        if element is body or not tag_of(element):
            continue
        if not is_boilerplate(element):
            continue
        if _inside(element, taken):
            continue
        length = text_length(element)
        if length > MAX_SHARE * total:
            continue
        text = all_text(element)
        if len(_SENTENCE_END.findall(text)) > MAX_SENTENCES:
            continue
        taken.add(element)
        yield element


def _inside(element: HtmlElement, taken: set[HtmlElement]) -> bool:
    parent = element.getparent()
    while parent is not None:
        if parent in taken:
            return True
        parent = parent.getparent()
    return False
