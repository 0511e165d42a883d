"""Tree -> main content: choose the element that holds the article and leave the rest out.

A first, simple extractor: each element's own text scores by its length in characters and its
Chinese punctuation (prose has 。，、; menus and link lists do not), discounted by the share of
link text; a block passes its score to its parent and half of it to its grandparent, so the
container of the paragraphs wins over both a single paragraph and the whole body. Everything
outside the chosen container is recorded as a DOM edit with its node path.
"""

from __future__ import annotations

from collections.abc import Iterator

from pagetidy.parse import BLOCK_TAGS, HtmlElement, tag_of

CJK_PUNCTUATION = frozenset("。，、；：？！“”‘’（）《》「」『』…—")

MIN_CONTENT_SCORE = 3.0
"""Below this total score the page has no main content to choose between: keep the body."""

_PARAGRAPH_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dd", "dt"})
"""Blocks that are parts of a container, never the container itself."""


def own_text(element: HtmlElement) -> str:
    """The text directly inside ``element``: its text and the tails of its children."""
    parts = [element.text or ""]
    parts.extend(child.tail or "" for child in element)
    return "".join(parts)


def text_score(text: str) -> float:
    """Score a piece of text: characters count a little, Chinese punctuation counts a lot."""
    stripped = "".join(text.split())
    if len(stripped) < 2:
        return 0.0
    punctuation = sum(1 for char in stripped if char in CJK_PUNCTUATION)
    return punctuation + min(len(stripped) / 50.0, 3.0)


def find_main_content(body: HtmlElement) -> HtmlElement | None:
    """The element holding the main content, or None when nothing scores (keep the body)."""
    scores: dict[HtmlElement, float] = {}
    link_chars: dict[HtmlElement, int] = {}
    total = 0.0
    for element in body.iter():
        tag = tag_of(element)
        if not tag:
            continue
        text = own_text(element)
        score = text_score(text)
        if not score:
            continue
        if tag == "a" or _inside_link(element):
            for ancestor in _block_ancestors(element, 2):
                link_chars[ancestor] = link_chars.get(ancestor, 0) + len(text.strip())
            continue
        total += score
        holder = element if tag in BLOCK_TAGS and tag not in _PARAGRAPH_TAGS else None
        targets = [holder] if holder is not None else []
        targets.extend(_block_ancestors(element, 3))
        for weight, target in zip((1.0, 0.5, 0.25), targets, strict=False):
            scores[target] = scores.get(target, 0.0) + score * weight
    if total < MIN_CONTENT_SCORE or not scores:
        return None
    return max(scores, key=lambda element: scores[element] * _link_factor(element, link_chars))


def outside(content: HtmlElement, body: HtmlElement) -> Iterator[HtmlElement]:
    """The subtrees between ``body`` and ``content`` that are not on the path to ``content``."""
    child = content
    parent = content.getparent()
    while parent is not None:
        for sibling in parent:
            if sibling is not child and tag_of(sibling):
                yield sibling
        if parent is body:
            return
        child, parent = parent, parent.getparent()


def _link_factor(element: HtmlElement, link_chars: dict[HtmlElement, int]) -> float:
    links = link_chars.get(element, 0)
    if not links:
        return 1.0
    text = sum(len(part.strip()) for part in element.itertext())
    return max(0.0, 1.0 - links / max(text, 1))


def _block_ancestors(element: HtmlElement, count: int) -> Iterator[HtmlElement]:
    """The nearest ``count`` block-level ancestors of ``element`` (excluding itself)."""
    found = 0
    parent = element.getparent()
    while parent is not None and found < count:
        if tag_of(parent) in BLOCK_TAGS or tag_of(parent) in {"td", "th"}:
            yield parent
            found += 1
        parent = parent.getparent()


def _inside_link(element: HtmlElement) -> bool:
    parent = element.getparent()
    for _ in range(4):
        if parent is None:
            return False
        if tag_of(parent) == "a":
            return True
        parent = parent.getparent()
    return False
