"""Reading rule fixture files and running one rule on a case.

A fixture file is ``tests/fixtures/rules/<rule-name>.txt`` and holds cases in the markdown-it
fixture style: a title line, a line holding one ``.``, the input, a ``.`` line, the expected
output, a ``.`` line; cases are separated by blank lines. A case whose output equals its input
is a negative case (the rule must not fire). Text rules get the input as plain text; DOM rules
get it as HTML and the output is the block text of the body after that rule alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pagetidy import Config
from pagetidy.model import Edit, Span, apply_edits
from pagetidy.parse import blocks_to_text, body_of, iter_blocks, parse_html, remove_element
from pagetidy.rules import DomRule, PageContext, Rule, TextRule, rule_named

RULE_FIXTURES = Path(__file__).parent / "fixtures" / "rules"


@dataclass(frozen=True)
class Case:
    """One fixture case: where it is, its title, input and expected output."""

    rule: str
    path: Path
    line: int
    title: str
    source: str
    expected: str

    @property
    def negative(self) -> bool:
        """A case the rule must leave unchanged."""
        return self.source == self.expected

    def id(self) -> str:
        """A pytest id naming the file and line."""
        return f"{self.path.name}:{self.line}"


def read_cases(path: Path) -> list[Case]:
    """Parse one fixture file into cases."""
    lines = path.read_text(encoding="utf-8").split("\n")
    cases: list[Case] = []
    index = 0
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        title_line = index
        title = lines[index].strip()
        if index + 1 >= len(lines) or lines[index + 1] != ".":
            raise ValueError(f"{path}:{index + 1}: expected '.' after the title {title!r}")
        sections: list[list[str]] = [[], []]
        cursor = index + 2
        for section in sections:
            while cursor < len(lines) and lines[cursor] != ".":
                section.append(lines[cursor])
                cursor += 1
            if cursor >= len(lines):
                raise ValueError(f"{path}:{title_line + 1}: unterminated case {title!r}")
            cursor += 1
        cases.append(
            Case(
                path.stem,
                path,
                title_line + 1,
                title,
                "\n".join(sections[0]),
                "\n".join(sections[1]),
            )
        )
        index = cursor
    return cases


def all_cases() -> list[Case]:
    """Every case of every fixture file, in file and line order."""
    return [case for path in sorted(RULE_FIXTURES.glob("*.txt")) for case in read_cases(path)]


def run_rule(rule_class: type[Rule], source: str, config: Config | None = None) -> str:
    """Apply one rule alone to ``source`` and return the resulting text."""
    config = config or Config()
    rule = rule_class(config)
    if isinstance(rule, TextRule):
        page = PageContext(config, "text")
        changes = sorted(rule.find(source, page), key=lambda change: change.start)
        edits = [
            Edit(rule.name, rule.family, source[c.start : c.end], c.after, Span(c.start, c.end), "")
            for c in changes
        ]
        return apply_edits(source, edits)
    assert isinstance(rule, DomRule)
    root = parse_html(source)
    page = PageContext(config, "html", root=root)
    for removal in list(rule.find(root, page)):
        remove_element(removal.element, keep_tail=removal.keep_tail)
    content = page.content_root if page.content_root is not None else body_of(root)
    return blocks_to_text(list(iter_blocks(content)))


def dom_baseline(source: str) -> str:
    """The block text of an HTML case with no rule applied (what a negative DOM case expects)."""
    return blocks_to_text(list(iter_blocks(body_of(parse_html(source)))))


def rule_for(case: Case) -> type[Rule]:
    """The registered rule a case's file names."""
    return rule_named(case.rule)
