"""Result -> Markdown: headings, lists, tables, quotes and code from the extracted blocks.

Design. The text rules see one flat text (one block per line) and record every change as an
``Edit`` whose span points into the text that rule received. Markdown needs what the flat text
lost: which line was a heading, a list item, a table row and where its cells were. So the
pipeline keeps the extracted blocks as spans of ``Result.raw_text`` (``Result.blocks``), and
this module carries every span through the recorded text edits, rule by rule, exactly as
``replay`` applies them. After the last rule each block knows its characters in ``Result.text``:

- a block whose span shrank to nothing was removed by a rule (a dropped ICP line stays dropped);
- a block a rule shortened or rewrote renders its final text, never its raw one;
- a table row keeps its cell boundaries, carried through the same edits.

So the Markdown says exactly what ``Result.text`` says, with the block kinds put back; no rule
has to know Markdown exists. A boundary that falls inside an edit moves to the edge of that
edit's replacement: a start to its beginning, an end to its end, so replaced text is kept once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pagetidy.model import Edit, Result, Span, TextBlock

_LEADING_MARKUP = re.compile(r"^(?:#|>|[-+*]\s|\d+[.)]\s|```|\|)")
"""Line starts Markdown would read as syntax (a #话题# line is not a heading)."""


def to_markdown(result: Result) -> str:
    """The clean text of ``result`` as Markdown; plain text input gives its text unchanged."""
    if not result.blocks:
        return result.text
    blocks = _final_blocks(result)
    out: list[str] = []
    table: list[list[str]] = []
    previous = ""
    for kind, level, text, cells in blocks:
        if kind == "row" and len(cells) > 1:
            table.append(cells)
            previous = kind
            continue
        if table:
            out.append(_table(table))
            table = []
        rendered = _render(kind, level, text)
        if kind == "item" and previous == "item":
            out[-1] += "\n" + rendered  # one list, not a list per item
        else:
            out.append(rendered)
        previous = kind
    if table:
        out.append(_table(table))
    return "\n\n".join(part for part in out if part)


def _final_blocks(result: Result) -> list[tuple[str, int, str, list[str]]]:
    """Each surviving block's kind, level, final text and final cell texts."""
    points: list[int] = []
    for block in result.blocks:
        points.append(block.where.start)
        points.append(block.where.end)
        for span in (*block.cells, *block.code):
            points.append(span.start)
            points.append(span.end)
    sides = _sides(result.blocks)
    for group in _groups(result.text_edits):
        points = _carry(points, sides, group)
    text = result.text
    found: list[tuple[str, int, str, list[str]]] = []
    cursor = 0
    for block in result.blocks:
        start, end = points[cursor], points[cursor + 1]
        cursor += 2
        cells: list[str] = []
        for _ in block.cells:
            cell_text = text[points[cursor] : points[cursor + 1]].strip()
            cursor += 2
            if cell_text:
                cells.append(cell_text)
        code = [
            (points[at] - start, points[at + 1] - start)
            for at in range(cursor, cursor + 2 * len(block.code), 2)
        ]
        cursor += 2 * len(block.code)
        body = _with_code(text[start:end], code).strip("\n")
        if body.strip():
            found.append((block.kind, block.level, body, cells))
    return found


def _with_code(text: str, code: list[tuple[int, int]]) -> str:
    """``text`` with each inline code span that survived the rules in backticks (doubled, with
    padding, when the code holds a backtick)."""
    pieces: list[str] = []
    cursor = 0
    for start, end in code:
        snippet = text[start:end]
        if start < cursor or not snippet.strip() or "\n" in snippet:
            continue
        fence = "``" if "`" in snippet else "`"
        pad = " " if fence == "``" else ""
        pieces += (text[cursor:start], fence, pad, snippet, pad, fence)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _sides(blocks: Iterable[TextBlock]) -> list[bool]:
    """For each point of ``_final_blocks``: True for a start, False for an end."""
    sides: list[bool] = []
    for block in blocks:
        sides.extend((True, False))
        for _ in range(len(block.cells) + len(block.code)):
            sides.extend((True, False))
    return sides


def _groups(edits: Iterable[Edit]) -> list[list[Edit]]:
    """The text edits split into one group per rule run, as ``replay`` applies them."""
    groups: list[list[Edit]] = []
    for edit in edits:
        if groups and groups[-1][-1].rule == edit.rule:
            groups[-1].append(edit)
        else:
            groups.append([edit])
    return groups


def _carry(points: list[int], sides: list[bool], group: list[Edit]) -> list[int]:
    """Move every point through one rule's edits (spans into the same text)."""
    spans = sorted(
        ((edit.where, len(edit.after)) for edit in group if isinstance(edit.where, Span)),
        key=lambda pair: pair[0].start,
    )
    moved: list[int] = []
    for point, is_start in zip(points, sides, strict=True):
        shift = 0
        new = None
        for span, added in spans:
            if span.end <= point and not (is_start and span.start == point == span.end):
                shift += added - (span.end - span.start)
            elif span.start < point < span.end:
                new = span.start + shift + (0 if is_start else added)
                break
            else:
                break
        moved.append(point + shift if new is None else new)
    return moved


def _render(kind: str, level: int, text: str) -> str:
    """One block as Markdown."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if kind == "pre":
        return "```\n" + text.strip("\n") + "\n```"
    if kind == "heading":
        return "#" * max(1, min(level, 6)) + " " + " ".join(lines)
    lines = [_escape(line) for line in lines]
    if kind == "item":
        return "- " + "\n  ".join(lines)
    if kind == "quote":
        return "\n".join("> " + line for line in lines)
    return "\n\n".join(lines)


def _table(rows: list[list[str]]) -> str:
    """Rows of cells as a Markdown table; the first row is the header."""
    width = max(len(row) for row in rows)  # rows of one cell are layout, rendered as text
    cells = [[_cell(cell) for cell in row] + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(cells[0]) + " |", "|" + " --- |" * width]
    lines.extend("| " + " | ".join(row) + " |" for row in cells[1:])
    return "\n".join(lines)


def _cell(text: str) -> str:
    """A cell's text on one line with its pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def _escape(line: str) -> str:
    """Escape a line start Markdown would take for syntax."""
    return "\\" + line if _LEADING_MARKUP.match(line) else line
