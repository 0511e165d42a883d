"""Explain what pagetidy changed and why: rich renderables, JSON-ready dicts and an HTML report.

The only core module that imports rich. ``diff_segments`` maps every text-stage edit back onto
``Result.raw_text`` (each rule's spans point into the text that rule received, so they are carried
through the earlier rules' edits); ``Explanation`` renders one Result, and is what
``rich.print(result)`` shows; ``Summary`` accumulates figures over many pages; ``HtmlReport``
writes pages and summary as one self-contained HTML file (inline CSS, no scripts, no network).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice, pairwise
from pathlib import Path
from typing import Any, Literal, NamedTuple

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from pagetidy.model import Edit, Result, Span
from pagetidy.normalize import converter

SegmentKind = Literal["kept", "removed", "added"]


class Segment(NamedTuple):
    """A run of the inline diff: text kept from ``raw_text``, removed from it, or added."""

    kind: SegmentKind
    text: str
    rule: str | None = None
    """The rule that removed or added the text; None for kept text."""
    reason: str | None = None
    """That rule's reason for the edit; None for kept text."""


def diff_segments(raw_text: str, edits: Iterable[Edit]) -> list[Segment]:
    """The net inline diff of ``raw_text`` under the text-stage ``edits``; DOM edits are skipped.

    Kept and removed segments concatenate to ``raw_text``; kept and added ones to the clean text.
    Text that one rule added and a later rule removed again appears in neither. Raises
    ``ValueError`` when the edits do not belong to ``raw_text`` (as ``model.replay`` does).
    """
    pieces = [Segment("kept", raw_text)] if raw_text else []
    for group in _rule_groups(edits):
        pieces = _apply_group(pieces, group)
    return _merge(pieces)


def _rule_groups(edits: Iterable[Edit]) -> Iterator[list[Edit]]:
    """Consecutive text-stage edits of one rule: one step of ``replay``."""
    group: list[Edit] = []
    for edit in edits:
        if edit.stage != "text":
            continue
        if group and group[-1].rule != edit.rule:
            yield group
            group = []
        group.append(edit)
    if group:
        yield group


def _span(edit: Edit) -> Span:
    assert isinstance(edit.where, Span)  # _rule_groups passes text-stage edits only
    return edit.where


def _apply_group(pieces: list[Segment], edits: list[Edit]) -> list[Segment]:
    """Apply one rule's edits, whose spans point into the current text (kept + added pieces).

    Removed pieces take no room in the current text and pass through. Inside an edit's span, kept
    text becomes removed (by this rule) and added text disappears; the edit's ``after`` is added
    where the span ends.
    """
    edits = sorted(edits, key=lambda edit: (_span(edit).start, _span(edit).end))
    for earlier, later in pairwise(edits):
        if _span(later).start < _span(earlier).end:
            raise ValueError(f"overlapping edits from rule {later.rule!r} at {_span(later).start}")
    out: list[Segment] = []
    taken: list[str] = []  # current text inside the open edit, checked against its ``before``
    next_edit = 0
    position = 0  # offset in the current text where the piece being read starts

    def close_edits_ending_by(offset: int) -> None:
        nonlocal next_edit
        while next_edit < len(edits) and _span(edits[next_edit]).end <= offset:
            edit = edits[next_edit]
            if "".join(taken) != edit.before:
                raise ValueError(f"edit from rule {edit.rule!r} does not match the text")
            taken.clear()
            if edit.after:
                out.append(Segment("added", edit.after, edit.rule, edit.reason))
            next_edit += 1

    for piece in pieces:
        if piece.kind == "removed":
            out.append(piece)
            continue
        index = 0
        while index < len(piece.text):
            close_edits_ending_by(position + index)
            span = _span(edits[next_edit]) if next_edit < len(edits) else None
            if span is not None and span.start <= position + index:
                stop = min(span.end - position, len(piece.text))
                taken.append(piece.text[index:stop])
                if piece.kind == "kept":
                    edit = edits[next_edit]
                    out.append(Segment("removed", piece.text[index:stop], edit.rule, edit.reason))
            else:
                limit = len(piece.text) if span is None else span.start - position
                stop = min(limit, len(piece.text))
                out.append(piece._replace(text=piece.text[index:stop]))
            index = stop
        position += len(piece.text)
    close_edits_ending_by(position)
    if next_edit < len(edits):
        raise ValueError(f"edit from rule {edits[next_edit].rule!r} ends beyond the text")
    return out


def _merge(pieces: list[Segment]) -> list[Segment]:
    merged: list[Segment] = []
    for piece in pieces:
        if not piece.text:
            continue
        last = merged[-1] if merged else None
        if last and (last.kind, last.rule, last.reason) == (piece.kind, piece.rule, piece.reason):
            merged[-1] = merged[-1]._replace(text=merged[-1].text + piece.text)
        else:
            merged.append(piece)
    return merged


@dataclass(frozen=True)
class RuleRow:
    """What one rule did to one page (or, in a Summary, to all pages)."""

    rule: str
    family: str
    stage: Literal["dom", "text"]
    edits: int
    """How many edits the rule made."""
    removed: int
    """Characters the rule took out of what it received (a DOM rule: its elements' text)."""
    added: int
    """Characters the rule put in their place."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of this row."""
        return {
            "rule": self.rule,
            "family": self.family,
            "stage": self.stage,
            "edits": self.edits,
            "removed_chars": self.removed,
            "added_chars": self.added,
        }


def rule_rows(edits: Iterable[Edit]) -> list[RuleRow]:
    """One row per rule that made an edit, in the order the rules ran."""
    rows: dict[str, RuleRow] = {}
    for edit in edits:
        row = rows.get(edit.rule) or RuleRow(edit.rule, edit.family, edit.stage, 0, 0, 0)
        rows[edit.rule] = RuleRow(
            row.rule,
            row.family,
            row.stage,
            row.edits + 1,
            row.removed + len(edit.before),
            row.added + len(edit.after),
        )
    return list(rows.values())


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_SCRIPT_SAMPLE = 2000
"""Han characters looked at to tell the script: enough to be sure, cheap on long pages."""


def script_of(text: str) -> str:
    """``Hans``, ``Hant``, ``mixed`` or ``none``: which Chinese script ``text`` is written in.

    Counts the characters only one script has: those OpenCC's t2s changes are traditional, those
    s2t changes are simplified. Text with no such character is taken as simplified.
    """
    sample = "".join(match.group() for match in islice(_HAN.finditer(text), _SCRIPT_SAMPLE))
    if not sample:
        return "none"
    traditional = _changed(converter("t2s").convert, sample)
    simplified = _changed(converter("s2t").convert, sample)
    if traditional <= simplified // 10:
        return "Hans"
    if simplified <= traditional // 10:
        return "Hant"
    return "mixed"


def _changed(convert: Callable[[str], str], sample: str) -> int:
    converted = convert(sample)
    if len(converted) != len(sample):  # a phrase mapping changed lengths: go character by character
        return sum(convert(char) != char for char in sample)
    return sum(a != b for a, b in zip(sample, converted, strict=True))


@dataclass(frozen=True)
class PageStats:
    """The figures of one cleaned page a Summary needs; small and picklable for worker processes."""

    source: str | None
    kind: str
    encoding: str
    script: str
    """The script of the raw text (see ``script_of``)."""
    raw_chars: int
    kept_chars: int
    """Length of the clean text."""
    removed_chars: int
    """Characters of the raw text that are not in the clean text."""
    added_chars: int
    """Characters of the clean text that rules put there."""
    dom_elements: int
    """Elements the DOM-stage rules removed."""
    dom_chars: int
    """Characters of text inside those elements."""
    rules: tuple[RuleRow, ...]
    flags: tuple[str, ...]

    @classmethod
    def of(cls, result: Result, source: str | None = None) -> PageStats:
        """The figures of ``result``."""
        segments = diff_segments(result.raw_text, result.text_edits)
        dom = [edit for edit in result.edits if edit.stage == "dom"]
        return cls(
            source=source,
            kind=result.kind,
            encoding=result.encoding.name,
            script=script_of(result.raw_text),
            raw_chars=len(result.raw_text),
            kept_chars=len(result.text),
            removed_chars=sum(len(s.text) for s in segments if s.kind == "removed"),
            added_chars=sum(len(s.text) for s in segments if s.kind == "added"),
            dom_elements=len(dom),
            dom_chars=sum(len(edit.before) for edit in dom),
            rules=tuple(rule_rows(result.edits)),
            flags=tuple(flag.name for flag in result.flags),
        )

    @property
    def changed(self) -> bool:
        """Whether any rule changed anything."""
        return bool(self.rules)


@dataclass
class _RuleTotal:
    family: str
    stage: str
    edits: int = 0
    pages: int = 0
    removed: int = 0
    added: int = 0


@dataclass
class Summary:
    """Figures over many pages: add each Result (or its PageStats) and each failure as they come."""

    cleaned: int = 0
    changed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    """(source, error message) of each page that could not be cleaned."""
    raw_chars: int = 0
    kept_chars: int = 0
    removed_chars: int = 0
    added_chars: int = 0
    dom_elements: int = 0
    dom_chars: int = 0
    rules: dict[str, _RuleTotal] = field(default_factory=dict)
    encodings: Counter[str] = field(default_factory=Counter)
    scripts: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    flags: Counter[str] = field(default_factory=Counter)

    def add(self, page: Result | PageStats, source: str | None = None) -> PageStats:
        """Count one cleaned page; returns its PageStats."""
        stats = page if isinstance(page, PageStats) else PageStats.of(page, source)
        self.cleaned += 1
        self.changed += stats.changed
        self.raw_chars += stats.raw_chars
        self.kept_chars += stats.kept_chars
        self.removed_chars += stats.removed_chars
        self.added_chars += stats.added_chars
        self.dom_elements += stats.dom_elements
        self.dom_chars += stats.dom_chars
        self.encodings[stats.encoding] += 1
        self.scripts[stats.script] += 1
        self.kinds[stats.kind] += 1
        self.flags.update(stats.flags)
        for row in stats.rules:
            total = self.rules.setdefault(row.rule, _RuleTotal(row.family, row.stage))
            total.edits += row.edits
            total.pages += 1
            total.removed += row.removed
            total.added += row.added
        return stats

    def add_failure(self, source: str, error: BaseException | str) -> None:
        """Count one page that could not be cleaned, with the error's message."""
        self.failures.append((source, str(error) or type(error).__name__))

    def merge(self, other: Summary) -> None:
        """Add another Summary's figures to this one (e.g. one per worker)."""
        self.cleaned += other.cleaned
        self.changed += other.changed
        self.failures.extend(other.failures)
        for name in ("raw_chars", "kept_chars", "removed_chars", "added_chars"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.dom_elements += other.dom_elements
        self.dom_chars += other.dom_chars
        for counter in ("encodings", "scripts", "kinds", "flags"):
            getattr(self, counter).update(getattr(other, counter))
        for rule, theirs in other.rules.items():
            total = self.rules.setdefault(rule, _RuleTotal(theirs.family, theirs.stage))
            total.edits += theirs.edits
            total.pages += theirs.pages
            total.removed += theirs.removed
            total.added += theirs.added

    @property
    def pages(self) -> int:
        """Pages seen: cleaned and failed."""
        return self.cleaned + len(self.failures)

    def families(self) -> dict[str, dict[str, int]]:
        """Per family: rules, edits, pages touched (at most the page count) and characters."""
        families: dict[str, dict[str, int]] = {}
        for total in self.rules.values():
            family = families.setdefault(
                total.family, {"rules": 0, "edits": 0, "removed_chars": 0, "added_chars": 0}
            )
            family["rules"] += 1
            family["edits"] += total.edits
            family["removed_chars"] += total.removed
            family["added_chars"] += total.added
        return dict(sorted(families.items(), key=lambda item: -item[1]["edits"]))

    def top_rules(self, limit: int | None = None) -> list[tuple[str, _RuleTotal]]:
        """Rules by edit count, most first."""
        ranked = sorted(self.rules.items(), key=lambda item: (-item[1].edits, item[0]))
        return ranked[:limit] if limit else ranked

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every figure."""
        return {
            "pages": self.pages,
            "cleaned": self.cleaned,
            "changed": self.changed,
            "failed": len(self.failures),
            "chars": {
                "raw": self.raw_chars,
                "kept": self.kept_chars,
                "removed": self.removed_chars,
                "added": self.added_chars,
                "dom_removed": self.dom_chars,
            },
            "dom_elements_removed": self.dom_elements,
            "families": self.families(),
            "rules": {
                rule: {
                    "family": total.family,
                    "stage": total.stage,
                    "edits": total.edits,
                    "pages": total.pages,
                    "removed_chars": total.removed,
                    "added_chars": total.added,
                }
                for rule, total in self.top_rules()
            },
            "encodings": dict(self.encodings.most_common()),
            "scripts": dict(self.scripts.most_common()),
            "kinds": dict(self.kinds.most_common()),
            "flags": dict(self.flags.most_common()),
            "failures": [{"source": source, "error": error} for source, error in self.failures],
        }

    def __rich__(self) -> RenderableType:
        """The summary as rich tables: totals, families, top rules, failures."""
        return Group(*_summary_tables(self))


_FAMILY_FIGURES = ("rules", "edits", "removed_chars", "added_chars")

TOP_RULES = 15
"""Rules shown in a summary table; ``to_dict`` has them all."""
MAX_FAILURES_SHOWN = 10


def _summary_tables(summary: Summary) -> Iterator[RenderableType]:
    totals = Table.grid(padding=(0, 2))
    totals.add_column(style="bold")
    totals.add_column()
    totals.add_row("Pages", f"{summary.pages:,}")
    totals.add_row("Cleaned", f"{summary.cleaned:,} ({summary.changed:,} changed by a rule)")
    totals.add_row("Failed", Text(f"{len(summary.failures):,}", "red" if summary.failures else ""))
    totals.add_row("Characters kept", f"{summary.kept_chars:,} of {summary.raw_chars:,} extracted")
    totals.add_row(
        "Characters removed",
        f"{summary.removed_chars:,} from the text, {summary.dom_chars:,} in "
        f"{summary.dom_elements:,} removed elements; {summary.added_chars:,} added",
    )
    totals.add_row("Encodings", _counts(summary.encodings))
    totals.add_row("Scripts", _counts(summary.scripts))
    if summary.flags:
        totals.add_row("Flags", Text(_counts(summary.flags), "yellow"))
    yield totals
    if summary.rules:
        families = Table(title="Families (characters removed and added)", title_justify="left")
        for name in ("Family", "Rules", "Edits", "Removed", "Added"):
            families.add_column(name, justify="left" if name == "Family" else "right", no_wrap=True)
        for family, figures in summary.families().items():
            families.add_row(
                family,
                *(f"{figures[key]:,}" for key in _FAMILY_FIGURES),
            )
        yield families
        rules = Table(title="Top rules (characters removed and added)", title_justify="left")
        for name in ("Rule", "Family", "Edits", "Pages", "Removed", "Added"):
            justify: Literal["left", "right"] = "left" if name in ("Rule", "Family") else "right"
            rules.add_column(name, justify=justify, no_wrap=True)
        for rule, total in summary.top_rules(TOP_RULES):
            rules.add_row(
                rule,
                total.family,
                *(f"{value:,}" for value in (total.edits, total.pages, total.removed, total.added)),
            )
        yield rules
    if summary.failures:
        failures = Table(title="Failures", title_justify="left", title_style="red")
        failures.add_column("Source")
        failures.add_column("Error")
        for source, error in summary.failures[:MAX_FAILURES_SHOWN]:
            failures.add_row(source, error)
        if len(summary.failures) > MAX_FAILURES_SHOWN:
            failures.add_row("…", f"{len(summary.failures) - MAX_FAILURES_SHOWN:,} more")
        yield failures


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{name} {count:,}" for name, count in counter.most_common()) or "none"


# The inline diff, laid out line by line (one block of the page per line).


class _Line(NamedTuple):
    number: int | None
    """The line's number in the raw text; None for a line that a rule's added newline started."""
    parts: list[Segment]
    """The segments on this line; the newline that ends it is the last part's last character."""

    @property
    def changed(self) -> bool:
        return any(part.kind != "kept" for part in self.parts)


_LINE_PIECES = re.compile(r"[^\n]*\n|[^\n]+")
"""Split at "\n" only: ``str.splitlines`` would also split at U+2028, form feeds and the like."""


def _diff_lines(segments: list[Segment]) -> list[_Line]:
    lines: list[_Line] = []
    parts: list[Segment] = []
    number: int | None = 1
    raw_line = 1
    for segment in segments:
        for piece in _LINE_PIECES.findall(segment.text):
            parts.append(segment._replace(text=piece))
            if piece.endswith("\n"):
                lines.append(_Line(number, parts))
                parts = []
                if segment.kind == "added":
                    number = None
                else:
                    raw_line += 1
                    number = raw_line
    if parts:
        lines.append(_Line(number, parts))
    return lines


def _fold_plan(lines: list[_Line], context: int) -> list[tuple[bool, list[_Line]]]:
    """Runs of (folded, lines): unchanged lines further than ``context`` from a change fold away."""
    changed = [index for index, line in enumerate(lines) if line.changed]
    context = max(context, 0)
    shown: set[int] = set()
    for index in changed:
        shown.update(range(max(0, index - context), min(len(lines), index + context + 1)))
    plan: list[tuple[bool, list[_Line]]] = []
    for index, line in enumerate(lines):
        folded = index not in shown
        if plan and plan[-1][0] == folded:
            plan[-1][1].append(line)
        else:
            plan.append((folded, [line]))
    # Folding a single line saves nothing: show it.
    return [(folded and len(run) > 1, run) for folded, run in plan]


_WHITESPACE_SIGNS = str.maketrans({"\t": "→", "\n": "↵"}) | {
    ord(char): "·" for char in " \u00a0\u3000\u2002\u2003\u2009\u200b"
}


def _visible(part: Segment) -> str:
    """A part's text for display: its line break dropped, whitespace-only changes made visible."""
    text = part.text[:-1] if part.text.endswith("\n") else part.text
    if part.kind == "kept":
        return text
    if not text.strip():
        return (text or "\n").translate(_WHITESPACE_SIGNS)
    return text


def _fold_kept(text: str, fold: int) -> tuple[str, int, str] | None:
    """(head, hidden count, tail) for a kept run longer than ``fold`` characters, else None."""
    if len(text) <= fold:
        return None
    keep = fold * 3 // 8
    return text[:keep], len(text) - 2 * keep, text[-keep:]


STYLES = {"removed": "strike red", "added": "bold green", "fold": "dim italic", "number": "dim"}
MARKERS = {"removed": ("[-", "-]"), "added": ("{+", "+}")}
"""Plain markers when colour is off, the same as ``git diff --word-diff=plain``."""


def _joined(parts: list[Segment]) -> list[Segment]:
    """Neighbouring parts of one kind as one part: a line two rules removed is one struck run."""
    joined: list[Segment] = []
    for part in parts:
        if joined and joined[-1].kind == part.kind:
            joined[-1] = joined[-1]._replace(text=joined[-1].text + part.text)
        else:
            joined.append(part)
    return joined


def _render_line(line: _Line, *, plain: bool, fold: int = 160) -> Text:
    """One diff line as rich Text: styled, or with ``[-removed-]{+added+}`` markers when plain."""
    text = Text()
    for part in _joined(line.parts):
        shown = _visible(part)
        if part.kind == "kept":
            folded = _fold_kept(shown, fold)
            if folded is None:
                text.append(shown)
            else:
                head, hidden, tail = folded
                text.append(head)
                text.append(f" ⋯{hidden:,} chars⋯ ", "" if plain else STYLES["fold"])
                text.append(tail)
        elif plain:
            opening, closing = MARKERS[part.kind]
            text.append(f"{opening}{shown}{closing}")
        else:
            text.append(shown, STYLES[part.kind])
    return text


def render_diff(
    segments: list[Segment], *, plain: bool, context: int = 1, fold: int = 160
) -> RenderableType:
    """The inline diff block by block, unchanged stretches folded, as a rich renderable."""
    lines = _diff_lines(segments)
    if not lines:
        return Text("(no text)", STYLES["fold"])
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", style=STYLES["number"], no_wrap=True)
    grid.add_column(overflow="fold")
    for folded, run in _fold_plan(lines, context):
        if folded:
            grid.add_row("", Text(f"⋯ {len(run):,} unchanged lines ⋯", STYLES["fold"]))
            continue
        for line in run:
            number = "" if line.number is None else str(line.number)
            grid.add_row(number, _render_line(line, plain=plain, fold=fold))
    return grid


def wants_plain(console: Console) -> bool:
    """Plain markers instead of colour: NO_COLOR is set, or output is not a colour terminal."""
    return console.no_color or console.color_system is None


_FIGURES = ("Edits", "Removed", "Added")


class Explanation:
    """Everything pagetidy did to one page, as a rich renderable (``rich.print(result)``)."""

    def __init__(
        self,
        result: Result,
        source: str | None = None,
        *,
        context: int = 1,
        fold: int = 160,
        max_elements: int = 50,
    ) -> None:
        """Explain ``result``; ``context`` unchanged lines are shown around each change."""
        self.result = result
        self.source = source
        self.context = context
        self.fold = fold
        self.max_elements = max_elements
        self.segments = diff_segments(result.raw_text, result.text_edits)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """The facts, the rules table, removed elements, then the inline diff."""
        plain = wants_plain(console)
        yield self._facts()
        yield self._rules_table()
        elements = self._elements_table()
        if elements is not None:
            yield elements
        yield Text("Text changes (raw → clean)", "bold")
        yield render_diff(self.segments, plain=plain, context=self.context, fold=self.fold)

    def _facts(self) -> Table:
        result = self.result
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        if self.source:
            grid.add_row("Source", self.source)
        grid.add_row("Input", "HTML" if result.kind == "html" else "plain text")
        grid.add_row("Encoding", encoding_line(result))
        removed = sum(len(s.text) for s in self.segments if s.kind == "removed")
        added = sum(len(s.text) for s in self.segments if s.kind == "added")
        grid.add_row(
            "Text",
            f"{len(result.raw_text):,} chars extracted → {len(result.text):,} kept "
            f"({removed:,} removed, {added:,} added)",
        )
        found = metadata_rows(result)
        if not found:
            grid.add_row("Metadata", Text("none found", STYLES["fold"]))
        for name, value, origin in found:
            line = Text(value)
            line.append(f"  from {origin}", STYLES["fold"])
            grid.add_row(name.capitalize(), line)
        if not result.flags:
            grid.add_row("Flags", Text("none", STYLES["fold"]))
        for flag in result.flags:
            line = Text(flag.name, "bold yellow")
            line.append(f"  {flag.evidence}")
            grid.add_row("Flag", line)
        return grid

    def _rules_table(self) -> RenderableType:
        rows = rule_rows(self.result.edits)
        if not rows:
            return Text("No rule changed anything.", STYLES["fold"])
        table = Table(title="Rules that fired (characters removed and added)", title_justify="left")
        for name in ("Family", "Rule", "Stage", "Edits", "Removed", "Added"):
            justify: Literal["left", "right"] = "right" if name in _FIGURES else "left"
            table.add_column(name, justify=justify, no_wrap=True)
        for row in rows:
            figures = (f"{value:,}" for value in (row.edits, row.removed, row.added))
            table.add_row(row.family, row.rule, row.stage, *figures)
        return table

    def _elements_table(self) -> Table | None:
        dom = [edit for edit in self.result.edits if edit.stage == "dom"]
        if not dom:
            return None
        table = Table(title="Removed elements (DOM stage)", title_justify="left")
        table.add_column("Rule", no_wrap=True)
        for name in ("Path", "Reason", "Text"):
            table.add_column(name, overflow="fold")
        for edit in dom[: self.max_elements]:
            path = str(getattr(edit.where, "path", ""))
            table.add_row(edit.rule, path, edit.reason, preview(edit.before))
        if len(dom) > self.max_elements:
            table.add_row("…", f"{len(dom) - self.max_elements:,} more", "", "")
        return table


def encoding_line(result: Result) -> str:
    """The encoding decision in one line: codec, how it was chosen, declaration, note."""
    encoding = result.encoding
    line = f"{encoding.name} ({encoding.source})"
    if encoding.declared and encoding.declared != encoding.name:
        line += f", declared {encoding.declared}"
    if encoding.replacements:
        line += f", {encoding.replacements:,} undecodable bytes replaced"
    if encoding.note:
        line += f": {encoding.note}"
    return line


def metadata_rows(result: Result) -> list[tuple[str, str, str]]:
    """(field, value, where it was found) for every metadata field that has a value."""
    values = result.metadata.to_dict()
    origins = result.metadata.origins
    return [
        (name, str(value), origins.get(name, "unknown"))
        for name, value in values.items()
        if name != "origins" and value
    ]


def preview(text: str, limit: int = 60) -> str:
    """The first ``limit`` characters of ``text`` on one line."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def explain_dict(result: Result, source: str | None = None) -> dict[str, Any]:
    """Everything ``pagetidy explain`` shows, as JSON-ready data.

    ``edits[].position`` is the span into the text the rule received (text stage) or the
    element's path (DOM stage); ``diff`` is the inline diff against ``raw_text``.
    """
    summary = Summary()
    summary.add(result, source)
    return {
        "source": source,
        "kind": result.kind,
        "encoding": result.encoding.to_dict(),
        "metadata": result.metadata.to_dict(),
        "flags": [flag.to_dict() for flag in result.flags],
        "rules": [row.to_dict() for row in rule_rows(result.edits)],
        "edits": [
            {
                "rule": edit.rule,
                "family": edit.family,
                "stage": edit.stage,
                "reason": edit.reason,
                "before": edit.before,
                "after": edit.after,
                "position": edit.to_dict()["where"],
            }
            for edit in result.edits
        ],
        "diff": [
            {"kind": s.kind, "text": s.text, "rule": s.rule}
            for s in diff_segments(result.raw_text, result.text_edits)
        ],
        "summary": summary.to_dict(),
    }


# The HTML report: one file, inline CSS, no scripts, fonts or anything else from the network.

_CSS = """
body{font:15px/1.6 system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;
 margin:2em auto;max-width:72em;padding:0 1em;color:#1d1d1f;background:#fff}
h1{font-size:1.5em}h2{font-size:1.2em;margin:0}h3{font-size:1em;margin:1.2em 0 .4em}
table{border-collapse:collapse;margin:.3em 0 1em}
th,td{border:1px solid #d0d0d7;padding:.2em .6em;text-align:left;vertical-align:top}
th{background:#f2f2f6}td.n{text-align:right;font-variant-numeric:tabular-nums}
table.facts th{background:none;border:none;padding-left:0}table.facts td{border:none}
.dim{color:#777}.flag{color:#9a5b00;font-weight:bold}.fail{color:#b00020}
details.page{border:1px solid #d0d0d7;border-radius:6px;padding:.6em 1em;margin:1em 0}
details.page>summary{cursor:pointer}details.page>summary h2{display:inline;margin-right:.6em}
.diff{border:1px solid #d0d0d7;border-radius:4px;padding:.4em 0;white-space:pre-wrap;
 overflow-wrap:anywhere}
.diff .l{display:flex}.diff .no{flex:0 0 3.5em;text-align:right;padding-right:.8em;color:#999;
 user-select:none}.diff .t{flex:1}
.diff details{color:#777;font-style:italic;margin:.1em 0 .1em 4.3em}
.diff details .l{font-style:normal;color:#1d1d1f;margin-left:-4.3em}
del{color:#a50e0e;background:#fde7e7;text-decoration:line-through}
ins{color:#0b6b1f;background:#e3f6e6;text-decoration:none;font-weight:600}
"""


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _html_table(headers: Iterable[str], rows: Iterable[Iterable[object]], numeric: int = 0) -> str:
    """A table; the last ``numeric`` columns are right-aligned figures."""
    headers = list(headers)
    first_numeric = len(headers) - numeric
    out = ["<table><tr>", *(f"<th>{_esc(h)}</th>" for h in headers), "</tr>"]
    for row in rows:
        out.append("<tr>")
        for index, cell in enumerate(row):
            cls = ' class="n"' if index >= first_numeric else ""
            text = f"{cell:,}" if isinstance(cell, int) else _esc(cell)
            out.append(f"<td{cls}>{text}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def _html_line(line: _Line) -> str:
    number = "" if line.number is None else str(line.number)
    parts = []
    for part in line.parts:
        shown = _esc(_visible(part))
        if part.kind == "kept":
            parts.append(shown)
        else:
            tag = "del" if part.kind == "removed" else "ins"
            parts.append(f'<{tag} title="{_esc(f"{part.rule}: {part.reason}")}">{shown}</{tag}>')
    text = "".join(parts)
    return f'<div class="l"><span class="no">{number}</span><span class="t">{text}</span></div>'


def html_diff(segments: list[Segment], context: int = 1) -> str:
    """The inline diff as HTML; folded stretches open on a click (``<details>``, no script)."""
    out = ['<div class="diff">']
    for folded, run in _fold_plan(_diff_lines(segments), context):
        if folded:
            out.append(f"<details><summary>⋯ {len(run):,} unchanged lines</summary>")
        out.extend(_html_line(line) for line in run)
        if folded:
            out.append("</details>")
    out.append("</div>")
    return "".join(out)


def html_page(result: Result, source: str | None = None, *, open_: bool = True) -> str:
    """One page's explanation as an HTML fragment: facts, rules, removed elements, diff."""
    segments = diff_segments(result.raw_text, result.text_edits)
    rows = rule_rows(result.edits)
    removed = sum(len(s.text) for s in segments if s.kind == "removed")
    heading = (
        f"<h2>{_esc(source or 'page')}</h2> <span class=dim>{len(result.edits):,} edits, "
        f"{removed:,} characters removed from the text</span>"
    )
    facts = [("Input", "HTML" if result.kind == "html" else "plain text")]
    facts.append(("Encoding", encoding_line(result)))
    facts.append(("Text", f"{len(result.raw_text):,} chars extracted → {len(result.text):,} kept"))
    found = metadata_rows(result)
    facts.extend((name.capitalize(), f"{value}  (from {origin})") for name, value, origin in found)
    if not found:
        facts.append(("Metadata", "none found"))
    out = [f'<details class="page"{" open" if open_ else ""}><summary>{heading}</summary>']
    out.append('<table class="facts">')
    out.extend(f"<tr><th>{_esc(k)}</th><td>{_esc(v)}</td></tr>" for k, v in facts)
    for flag in result.flags:
        out.append(
            f'<tr><th>Flag</th><td><span class="flag">{_esc(flag.name)}</span> '
            f"{_esc(flag.evidence)}</td></tr>"
        )
    if not result.flags:
        out.append("<tr><th>Flags</th><td class=dim>none</td></tr>")
    out.append("</table><h3>Rules that fired</h3>")
    if rows:
        out.append(
            _html_table(
                ("Family", "Rule", "Stage", "Edits", "Removed chars", "Added chars"),
                ((r.family, r.rule, r.stage, r.edits, r.removed, r.added) for r in rows),
                numeric=3,
            )
        )
    else:
        out.append("<p class=dim>No rule changed anything.</p>")
    dom = [edit for edit in result.edits if edit.stage == "dom"]
    if dom:
        out.append("<h3>Removed elements (DOM stage)</h3>")
        out.append(
            _html_table(
                ("Rule", "Path", "Reason", "Text"),
                (
                    (e.rule, getattr(e.where, "path", ""), e.reason, preview(e.before, 120))
                    for e in dom
                ),
            )
        )
    out.append("<h3>Text changes (raw → clean)</h3>")
    out.append(html_diff(segments))
    out.append("</details>")
    return "".join(out)


def html_summary(summary: Summary) -> str:
    """The batch summary as HTML tables."""
    figures = summary.to_dict()
    chars = figures["chars"]
    facts = [
        ("Pages", f"{summary.pages:,}"),
        ("Cleaned", f"{summary.cleaned:,} ({summary.changed:,} changed by a rule)"),
        ("Failed", f"{len(summary.failures):,}"),
        ("Characters kept", f"{chars['kept']:,} of {chars['raw']:,} extracted"),
        (
            "Characters removed",
            f"{chars['removed']:,} from the text, {chars['dom_removed']:,} in "
            f"{summary.dom_elements:,} removed elements; {chars['added']:,} added",
        ),
        ("Encodings", _counts(summary.encodings)),
        ("Scripts", _counts(summary.scripts)),
        ("Flags", _counts(summary.flags)),
    ]
    out = ['<section><h2>Summary</h2><table class="facts">']
    out.extend(f"<tr><th>{_esc(k)}</th><td>{_esc(v)}</td></tr>" for k, v in facts)
    out.append("</table>")
    if summary.rules:
        out.append("<h3>Families</h3>")
        out.append(
            _html_table(
                ("Family", "Rules", "Edits", "Removed chars", "Added chars"),
                (
                    (name, f["rules"], f["edits"], f["removed_chars"], f["added_chars"])
                    for name, f in figures["families"].items()
                ),
                numeric=4,
            )
        )
        out.append("<h3>Rules</h3>")
        out.append(
            _html_table(
                ("Rule", "Family", "Edits", "Pages", "Removed chars", "Added chars"),
                (
                    (rule, t.family, t.edits, t.pages, t.removed, t.added)
                    for rule, t in summary.top_rules()
                ),
                numeric=4,
            )
        )
    if summary.failures:
        out.append('<h3 class="fail">Failures</h3>')
        out.append(_html_table(("Source", "Error"), summary.failures))
    out.append("</section>")
    return "".join(out)


@dataclass
class HtmlReport(Summary):
    """A Summary that also keeps the first ``max_pages`` pages to show in full in the file."""

    max_pages: int = 100
    shown: list[tuple[Result, str | None]] = field(default_factory=list)
    """The pages shown in full, with their sources."""

    def add(self, page: Result | PageStats, source: str | None = None) -> PageStats:
        """Count one cleaned page, and keep it for the report while there is room."""
        stats = super().add(page, source)
        if isinstance(page, Result) and len(self.shown) < self.max_pages:
            self.shown.append((page, source))
        return stats

    def render(self, title: str = "pagetidy report") -> str:
        """The whole report as one HTML document: one page open, or the summary and the pages."""
        if self.pages == 1 and len(self.shown) == 1:
            body = html_page(*self.shown[0], open_=True)
        else:
            hidden = self.cleaned - len(self.shown)
            more = f"<p class=dim>{hidden:,} more pages not shown.</p>" if hidden > 0 else ""
            pages = "".join(html_page(result, source, open_=False) for result, source in self.shown)
            body = f"{html_summary(self)}<h2>Pages</h2>{pages}{more}"
        return (
            '<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{_esc(title)}</title><style>{_CSS}</style></head>"
            f"<body><h1>{_esc(title)}</h1>{body}</body></html>\n"
        )

    def write(self, path: str | Path, title: str = "pagetidy report") -> None:
        """Write the report to ``path`` as UTF-8."""
        Path(path).write_text(self.render(title), encoding="utf-8")
