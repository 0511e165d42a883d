"""Inputs the fuzzer once crashed on: each now cleans (or is refused) with every invariant kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzz._harness import check_result

from pagetidy import Cleaner, Config, PagetidyError
from tests.conftest import FIXTURES

REGRESSIONS = sorted(path for path in (FIXTURES / "fuzz").iterdir() if path.suffix != ".md")


@pytest.mark.parametrize("path", REGRESSIONS, ids=lambda path: path.name)
@pytest.mark.parametrize("mode", ["auto", "text", "html"])
def test_fuzz_finding_cleans_with_its_invariants(path: Path, mode: str) -> None:
    try:
        result = Cleaner(Config(input=mode)).clean(path.read_bytes())  # type: ignore[arg-type]
    except PagetidyError:
        return
    check_result(result)


def test_page_declaring_utf32_is_read_as_what_its_bytes_are() -> None:
    result = Cleaner().clean((FIXTURES / "fuzz" / "declared-utf32-truncated-utf8.html").read_bytes())
    assert result.encoding.name == "utf-8"
    assert result.text == "今年以来，江城区集中整治城区内河水环境"
