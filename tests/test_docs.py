"""The documentation stays in step with the code."""

from __future__ import annotations

import re
from pathlib import Path

from pagetidy.rules import REGISTRY

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_rules_doc_has_one_section_per_rule_in_registry_order() -> None:
    text = (DOCS / "rules.md").read_text(encoding="utf-8")
    documented = re.findall(r"^## `([a-z0-9-]+)`", text, flags=re.M)
    assert documented == [rule.name for rule in REGISTRY]


def test_rules_doc_sections_name_the_rule_family() -> None:
    text = (DOCS / "rules.md").read_text(encoding="utf-8")
    for rule in REGISTRY:
        section = text.split(f"## `{rule.name}`", 1)[1].split("\n## ", 1)[0]
        assert f"Family `{rule.family}`" in section, rule.name
