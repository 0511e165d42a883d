"""pagetidy's exceptions.

Every error pagetidy raises on purpose is a ``PagetidyError``; each child also subclasses the
built-in exception a caller would naturally catch::

    PagetidyError(Exception)
    ├── InputError(PagetidyError, ValueError)       the input is not a page (empty, binary, a bomb)
    ├── DecodeError(PagetidyError, UnicodeError)    bytes that no candidate charset can decode
    ├── UnknownRuleError(PagetidyError, ValueError) a rule name that is not in the registry
    └── ConfigError(PagetidyError, ValueError)      any other invalid Config value
"""

from __future__ import annotations

from collections.abc import Iterable


class PagetidyError(Exception):
    """Base class of every error pagetidy raises on purpose."""


class InputError(PagetidyError, ValueError):
    """The input is not a page pagetidy can clean (empty, binary, too large or too deep)."""


class DecodeError(PagetidyError, UnicodeError):
    """Bytes that no candidate encoding can turn into text."""


class ConfigError(PagetidyError, ValueError):
    """A Config value that is not valid; the message lists what is."""


class UnknownRuleError(ConfigError):
    """A rule name that is not registered; the message lists the known names."""

    def __init__(self, name: str, known: Iterable[str]) -> None:
        self.name = name
        self.known = tuple(sorted(known))
        super().__init__(f"unknown rule {name!r}; known rules: {', '.join(self.known)}")
