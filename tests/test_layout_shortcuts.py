"""The block layout skips substitutions that cannot change a line: same text as running them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pagetidy.parse import _CELL_BREAK, _CELL_GAP, _CJK_BREAK, _LINE_BREAK, _SPACE_RUN, _layout

# Pieces of inline text as the tree gives them: hanzi, Latin, every HTML space, no-break and
# ideographic spaces, and the line and cell sentinels the block walk inserts.
PIECES = st.sampled_from(
    ["中", "文", "a", "b", " ", "  ", "\t", "\n", "\r", "\f", "\u00a0", "\u3000", _LINE_BREAK,
     _CELL_BREAK, ""]
)


def _reference(raw: str) -> str:
    """The layout with every substitution run on every line (before the shortcuts)."""
    out = []
    for piece in raw.split(_LINE_BREAK):
        line = _CJK_BREAK.sub("", piece) if "\n" in piece or "\r" in piece else piece
        out.append(_CELL_GAP.sub("\t", _SPACE_RUN.sub(" ", line)).strip())
    return "\n".join(line for line in out if line)


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=24).map("".join))
def test_layout_equals_running_every_substitution(raw: str) -> None:
    assert _layout(raw, preformatted=False) == _reference(raw)


def test_layout_joins_cjk_across_a_break_and_tabs_a_cell_gap() -> None:
    assert _layout("中 \n 文 \x01 a  b", preformatted=False) == "中文\ta b"
