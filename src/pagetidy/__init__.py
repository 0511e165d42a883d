"""pagetidy: clean scraped Chinese web pages into normalized main text, and explain every change.

    >>> import pagetidy
    >>> result = pagetidy.clean("<p>你好，世界</p>")
    >>> result.text
    '你好，世界'
"""

from __future__ import annotations

from typing import Any

from pagetidy._opencc_check import check_opencc
from pagetidy.errors import (
    ConfigError,
    DecodeError,
    InputError,
    PagetidyError,
    UnknownRuleError,
)
from pagetidy.model import Edit, Encoding, Flag, Metadata, Node, Result, Span, replay
from pagetidy.pipeline import Cleaner, Config

__version__ = "0.1.0"

check_opencc()


def clean(page: Any, config: Config | None = None) -> Result:
    """Clean one page (HTML or plain text as ``bytes`` or ``str``, or a ``bs4.BeautifulSoup``).

    For many pages build a ``Cleaner`` once and call its ``clean``: rules and converters are
    compiled when the Cleaner is made, not per page.
    """
    return Cleaner(config).clean(page)


__all__ = [
    "Cleaner",
    "Config",
    "ConfigError",
    "DecodeError",
    "Edit",
    "Encoding",
    "Flag",
    "InputError",
    "Metadata",
    "Node",
    "PagetidyError",
    "Result",
    "Span",
    "UnknownRuleError",
    "__version__",
    "clean",
    "replay",
]
