"""Markup family: DOM rules that drop what a browser would not show as text.

Scripts, styles and embedded objects hold code or fallback text; hidden elements are not seen by
readers (and are a favourite hiding place for SEO keywords); ruby readings (``<rt>``) would glue
pinyin or zhuyin after every character once the tree is flattened.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from lxml import etree

from pagetidy.parse import HtmlElement, body_of
from pagetidy.patterns import led_by
from pagetidy.rules.base import DomRule, PageContext, Removal

NON_TEXT_TAGS = (
    "script", "style", "noscript", "template", "iframe", "frame", "frameset", "svg", "math",
    "object", "embed", "applet", "canvas", "audio", "video", "map",
)
"""Elements whose content is code, data or fallback text, never the page's prose."""

FORM_CONTROL_TAGS = (
    "input", "button", "select", "option", "optgroup", "textarea", "datalist", "output",
    "progress", "meter", "keygen",
)
"""Form controls; the ``<form>`` itself stays, because old ASP.NET pages wrap everything in one."""

RUBY_READING_TAGS = ("rt", "rp", "rtc")

_HIDDEN_STYLE = re.compile(led_by("dv", r"display\s*:\s*none|visibility\s*:\s*hidden"), re.I)
_HIDDEN_CANDIDATES = etree.XPath(
    "descendant-or-self::*/@hidden/.. | descendant-or-self::*/@aria-hidden/.."
    " | descendant-or-self::*/@style["
    + " or ".join(
        f"contains(., '{word}')" for word in ("none", "hidden", "None", "Hidden", "NONE", "HIDDEN")
    )
    + "]/.."
)
"""Elements that may be hidden, found in C; ``_HIDDEN_STYLE`` then decides in Python. The
attributes' owners (``@hidden/..``), in document order without repeats as ``*[@hidden or …]``
gives them, at a third of the cost: libxml2 evaluates an element predicate slowly."""
_DISPLAY_NONE = re.compile(r"display\s*:\s*none", re.I)
REVEALED_TEXT = 200
"""An element hidden only by ``visibility:hidden`` that holds this many characters is an article
a script reveals after loading (WeChat's ``#js_content``, lazy readers): readers do see it."""


class DropNonTextElements(DomRule):
    """Remove script, style, noscript, template, iframe, svg and other non-text elements."""

    name: ClassVar[str] = "drop-non-text-elements"
    family: ClassVar[str] = "markup"
    reason: ClassVar[str] = "code or embedded object, not text"
    summary: ClassVar[str] = "script, style, noscript, template, iframe, svg, object, media"

    def find(self, root: HtmlElement, page: PageContext) -> Iterator[Removal]:
        """Yield every non-text element."""
        for element in body_of(root).iter(*NON_TEXT_TAGS):
            yield Removal(element, f"<{element.tag}> element")


class DropFormControls(DomRule):
    """Remove form controls: their labels and option lists are interface, not content."""

    name: ClassVar[str] = "drop-form-controls"
    family: ClassVar[str] = "markup"
    reason: ClassVar[str] = "form control, not text"
    summary: ClassVar[str] = "input, button, select/option and textarea elements"

    def find(self, root: HtmlElement, page: PageContext) -> Iterator[Removal]:
        """Yield every form control."""
        for element in body_of(root).iter(*FORM_CONTROL_TAGS):
            yield Removal(element)


class DropHiddenElements(DomRule):
    """Remove elements a reader never sees: display:none, visibility:hidden, hidden, aria-hidden."""

    name: ClassVar[str] = "drop-hidden-elements"
    family: ClassVar[str] = "markup"
    reason: ClassVar[str] = "hidden element, not shown to readers"
    summary: ClassVar[str] = "elements hidden by inline style, the hidden attribute or aria-hidden"

    def find(self, root: HtmlElement, page: PageContext) -> Iterator[Removal]:
        """Yield every element hidden by its own attributes."""
        # XPath picks the few candidates in C; visiting every element in Python costs more.
        candidates: list[HtmlElement] = _HIDDEN_CANDIDATES(body_of(root))  # type: ignore[assignment]
        for element in candidates:
            attrib = element.attrib
            if "hidden" in attrib:
                yield Removal(element, "hidden attribute")
            elif attrib.get("aria-hidden", "").strip().lower() == "true":
                yield Removal(element, "aria-hidden=true")
            elif _HIDDEN_STYLE.search(attrib.get("style", "")) and not _revealed(element):
                yield Removal(element, "hidden by inline style")


def _revealed(element: HtmlElement) -> bool:
    """True for a visibility-hidden (not display:none) element holding article-length text."""
    if _DISPLAY_NONE.search(element.get("style", "")):
        return False
    text = etree.tostring(element, method="text", encoding="unicode", with_tail=False)
    return len(text.strip()) >= REVEALED_TEXT


class DropRubyReadings(DomRule):
    """Remove ruby readings (rt, rp), which would glue pinyin after each character."""

    name: ClassVar[str] = "drop-ruby-readings"
    family: ClassVar[str] = "markup"
    reason: ClassVar[str] = "ruby reading (pinyin or zhuyin annotation)"
    summary: ClassVar[str] = "<rt>, <rp> and <rtc> annotations inside <ruby>"

    def find(self, root: HtmlElement, page: PageContext) -> Iterator[Removal]:
        """Yield every ruby reading element."""
        for element in body_of(root).iter(*RUBY_READING_TAGS):
            yield Removal(element)
