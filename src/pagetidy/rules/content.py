"""Extract family: the DOM rule that keeps the main content (the algorithm is in extract.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pagetidy.extract import REASON_OUTSIDE, extract
from pagetidy.parse import HtmlElement, body_of
from pagetidy.rules.base import DomRule, PageContext, Removal


class ExtractMainContent(DomRule):
    """Keep the element that holds the main content; leave out what is around and inside it."""

    name: ClassVar[str] = "extract-main-content"
    family: ClassVar[str] = "extract"
    reason: ClassVar[str] = "outside the main content"
    summary: ClassVar[str] = (
        "navigation, sidebars, headers and footers around the article; link lists, share bars, "
        "comments, user panels and signatures inside it"
    )

    def find(self, root: HtmlElement, page: PageContext) -> Iterator[Removal]:
        """Choose the content container and yield what is left out, each with its reason."""
        body = body_of(root)
        extraction = extract(body, keep_comments=page.config.keep_comments)
        if extraction is None:
            return
        if extraction.root is not body:
            page.content_root = extraction.root
        for element, reason in extraction.left_out:
            # Text after a pruned block still belongs to the content; text after a page region
            # outside it does not.
            yield Removal(element, reason, keep_tail=reason != REASON_OUTSIDE)
