"""Fail at import when the look-alike ``opencc-python-reimplemented`` shadows BYVoid's opencc.

Both install a top-level ``opencc`` module. The reimplementation has no ``tw2sp``-style phrase
handling parity, different config names (``t2s`` without ``.json``) and is much slower; mixing
them up gives silently different text, so pagetidy refuses to start instead.
"""

from __future__ import annotations

import importlib

from pagetidy.errors import PagetidyError

_HINT = (
    "pip uninstall -y opencc-python-reimplemented opencc && pip install opencc "
    "(pagetidy needs BYVoid's OpenCC bindings, the 'opencc' package on PyPI)"
)


def check_opencc() -> None:
    """Raise ``PagetidyError`` unless ``import opencc`` gives BYVoid's official bindings."""
    try:
        opencc = importlib.import_module("opencc")
    except ImportError as error:
        raise PagetidyError(f"OpenCC is not installed: {_HINT}") from error
    official = hasattr(opencc, "CONFIGS") or hasattr(opencc, "clib")
    if not official:
        raise PagetidyError(
            "the 'opencc' module is the look-alike opencc-python-reimplemented, "
            f"not BYVoid's OpenCC: {_HINT}"
        )
