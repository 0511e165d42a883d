"""Extract family: the DOM rule that keeps the main content (the algorithm is in extract.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pagetidy.extract import find_main_content, outside
from pagetidy.parse import HtmlElement, body_of
from pagetidy.rules.base import DomRule, PageContext, Removal


class ExtractMainContent(DomRule):
    """Keep the element that holds the main content; everything around it is removed."""

    name: ClassVar[str] = "extract-main-content"
    family: ClassVar[str] = "extract"
    reason: ClassVar[str] = "outside the main content"
    summary: ClassVar[str] = "navigation, sidebars, headers and footers around the article"

    def find(self, root: HtmlElement, page: PageContext) -> Iterator[Removal]:
        """Choose the content container and yield the subtrees around it."""
        body = body_of(root)
        content = find_main_content(body)
        if content is None or content is body:
            return
        page.content_root = content
        for element in outside(content, body):
            yield Removal(element, keep_tail=False)
