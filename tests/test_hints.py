"""Line rules with a ``hint`` skip texts without it: the hint must never change a verdict."""

from __future__ import annotations

import pytest

from pagetidy.rules import REGISTRY
from pagetidy.rules.lines import shadow_of, views_text
from tests.rule_fixtures import Case, all_cases, run_rule

HINTED = {rule.name: rule for rule in REGISTRY if getattr(rule, "hint", None) is not None}
CASES = [case for case in all_cases() if case.rule in HINTED]


def test_some_rules_have_hints() -> None:
    assert {"drop-icp-line", "drop-visitor-counter"} <= set(HINTED)


@pytest.mark.parametrize("case", CASES, ids=[case.id() for case in CASES])
def test_hint_changes_no_fixture_result(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    rule = HINTED[case.rule]
    hinted = run_rule(rule, case.source)
    monkeypatch.setattr(rule, "hint", None)
    assert run_rule(rule, case.source) == hinted


@pytest.mark.parametrize(
    "case", [case for case in CASES if not case.negative], ids=lambda case: case.id()
)
def test_hint_is_in_every_text_the_rule_changes(case: Case) -> None:
    hint = HINTED[case.rule].hint
    assert hint is not None
    assert hint.search(views_text(case.source)) or hint.search(shadow_of(case.source))
