"""Every registered rule has positive and negative fixture cases, and every case holds."""

from __future__ import annotations

import pytest

from pagetidy.rules import REGISTRY, RULES_BY_NAME, DomRule
from tests.rule_fixtures import RULE_FIXTURES, Case, all_cases, dom_baseline, rule_for, run_rule

CASES = all_cases()


@pytest.mark.parametrize("case", CASES, ids=[case.id() for case in CASES])
def test_rule_fixture_case(case: Case) -> None:
    rule = rule_for(case)
    assert run_rule(rule, case.source) == case.expected, case.title


@pytest.mark.parametrize("rule", REGISTRY, ids=[rule.name for rule in REGISTRY])
def test_rule_has_positive_and_negative_cases(rule) -> None:
    cases = [case for case in CASES if case.rule == rule.name]
    assert cases, f"no fixture file {RULE_FIXTURES / (rule.name + '.txt')}"
    if issubclass(rule, DomRule):
        negatives = [case for case in cases if dom_baseline(case.source) == case.expected]
        positives = [case for case in cases if dom_baseline(case.source) != case.expected]
    else:
        negatives = [case for case in cases if case.negative]
        positives = [case for case in cases if not case.negative]
    assert positives, f"{rule.name} has no case where it fires"
    assert negatives, f"{rule.name} has no case where it must not fire"


def test_every_fixture_file_names_a_registered_rule() -> None:
    unknown = sorted({case.rule for case in CASES} - set(RULES_BY_NAME))
    assert not unknown, f"fixture files for unregistered rules: {unknown}"
