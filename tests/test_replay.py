"""replay(raw_text, text_edits) == text on every fixture page, and replay's own contract."""

from __future__ import annotations

from pathlib import Path

import pytest

from pagetidy import Edit, Node, Span, clean, replay
from tests.conftest import PAGES

FIXTURE_PAGES = sorted(PAGES.glob("*.html")) + sorted(PAGES.glob("*.txt"))
EXAMPLES = sorted((PAGES.parents[2] / "examples").glob("*.html"))


@pytest.mark.parametrize("path", FIXTURE_PAGES + EXAMPLES, ids=lambda path: path.name)
def test_replay_of_text_edits_gives_the_text(path: Path) -> None:
    result = clean(path.read_bytes())
    assert replay(result.raw_text, result.text_edits) == result.text


def test_replay_applies_each_rule_on_the_text_that_rule_received() -> None:
    edits = [
        Edit("a-rule", "f", "甲", "", Span(0, 1), "r"),
        Edit("a-rule", "f", "丙", "丁", Span(2, 3), "r"),
        Edit("b-rule", "f", "乙", "", Span(0, 1), "r"),  # "乙丁" after a-rule
    ]
    assert replay("甲乙丙", edits) == "丁"


def test_replay_skips_dom_edits() -> None:
    edits = [Edit("drop-x", "markup", "脚本", "", Node("/html/body/script"), "r")]
    assert replay("正文", edits) == "正文"


def test_replay_refuses_edits_that_do_not_match_the_text() -> None:
    with pytest.raises(ValueError, match="does not match"):
        replay("正文", [Edit("a-rule", "f", "别的", "", Span(0, 2), "r")])
