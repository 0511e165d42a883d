"""What every fuzz target shares: the invariants a cleaned page must satisfy.

A target imports pagetidy under ``atheris.instrument_imports()`` and calls ``check_result`` on
what it got; any exception other than a PagetidyError is a finding.
"""

from __future__ import annotations

from pagetidy import Result, replay


def check_result(result: Result) -> None:
    """Raise AssertionError when a Result breaks an invariant the property tests also check."""
    if replay(result.raw_text, result.text_edits) != result.text:
        raise AssertionError("replay(raw_text, text_edits) != text")
    result.text.encode("utf-8")  # a lone surrogate raises UnicodeEncodeError
    result.raw_text.encode("utf-8")
    for edit in result.edits:
        edit.before.encode("utf-8")
        edit.after.encode("utf-8")
