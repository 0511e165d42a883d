"""Every compiled pattern pagetidy uses survives input built to make it backtrack.

Patterns are found, not listed: module globals of every ``pagetidy`` module (also inside tuples,
lists and dicts), class attributes of every registered rule, and attributes of each rule built
with the default Config. A rule added on another branch is checked without a change here.

Each pattern runs ``tests/regex_inputs.py`` in a subprocess under RLIMIT_CPU: a linear pattern
needs well under a second of CPU on its 100,000-character inputs, a quadratic one ~5e9 steps,
which no machine finishes within the limit, so the test fails on the limit, not on a clock.
"""

from __future__ import annotations

import importlib
import pickle
import pkgutil
import re
import resource
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import pagetidy
from pagetidy import Config
from pagetidy.rules import REGISTRY
from tests.regex_inputs import LENGTH, adversarial_inputs, pattern_parts

ROOT = Path(__file__).resolve().parents[1]

CPU_SECONDS = 20
"""Per pattern, for all its inputs; linear patterns measured at under 1 s (docs/reliability.md)."""


def _patterns_in(value: Any) -> Iterator[re.Pattern[Any]]:
    if isinstance(value, re.Pattern):
        yield value
    elif isinstance(value, tuple | list | frozenset | set):
        for item in value:
            if isinstance(item, re.Pattern):
                yield item
    elif isinstance(value, dict):
        for item in value.values():
            if isinstance(item, re.Pattern):
                yield item


def _modules() -> list[Any]:
    """pagetidy and its submodules, but not ``__main__`` (importing it runs the CLI), nor an
    integration whose optional dependency is not installed (``pagetidy[datatrove]``)."""
    modules = [pagetidy]
    for info in pkgutil.walk_packages(pagetidy.__path__, "pagetidy."):
        if info.name.startswith("pagetidy._"):
            continue
        try:
            modules.append(importlib.import_module(info.name))
        except ImportError:
            if not info.name.startswith("pagetidy.integrations."):
                raise
    return modules


def discover_patterns() -> dict[str, re.Pattern[Any]]:
    """Every compiled pattern of pagetidy's modules and registered rules, by where it was found."""
    found: dict[str, re.Pattern[Any]] = {}
    for module in _modules():
        for name, value in vars(module).items():
            for index, pattern in enumerate(_patterns_in(value)):
                found.setdefault(f"{module.__name__}.{name}[{index}]", pattern)
    config = Config()
    for rule in REGISTRY:
        holders: list[tuple[str, Any]] = [(klass.__name__, vars(klass)) for klass in rule.__mro__]
        holders.append((f"{rule.__name__}()", vars(rule(config))))
        for holder, attributes in holders:
            for name, value in attributes.items():
                for index, pattern in enumerate(_patterns_in(value)):
                    found.setdefault(f"{rule.name}:{holder}.{name}[{index}]", pattern)
    unique: dict[tuple[Any, int], str] = {}
    for where, pattern in found.items():
        unique.setdefault((pattern.pattern, pattern.flags), where)
    return {where: found[where] for where in unique.values()}


PATTERNS = discover_patterns()


def declared_limits() -> dict[tuple[Any, int], int]:
    """Input-length bounds modules declare for patterns they apply only to short input."""
    limits: dict[tuple[Any, int], int] = {}
    for module in _modules():
        for pattern, limit in getattr(module, "PATTERN_INPUT_LIMITS", {}).items():
            limits[(pattern.pattern, pattern.flags)] = limit
    return limits


LIMITS = declared_limits()


def test_patterns_are_found_in_modules_and_rules() -> None:
    where = " ".join(PATTERNS)
    assert "pagetidy.parse._HTML_SIGNAL" in where
    assert "pagetidy.decode._DECLARATION_PATTERNS" in where
    assert "collapse-blank-lines:CollapseBlankLines._BLANK_RUN" in where


def test_adversarial_inputs_run_the_pattern_own_characters_and_literals() -> None:
    chars, literals = pattern_parts(re.compile(r"上一篇[：:]?\s+$"))
    assert {"上", "一", "篇", "：", ":", " "} <= set(chars)
    assert "上一篇" in literals
    inputs = adversarial_inputs(re.compile(r"[ \t]+$"))
    assert " " * 100_000 + "\x01" in inputs


def test_a_quadratic_pattern_is_caught_by_the_cpu_limit() -> None:
    child = _run(re.compile(r"[ \t]+$"), cpu_seconds=2)
    assert child.returncode != 0


def _run(
    pattern: re.Pattern[Any], cpu_seconds: int = CPU_SECONDS, length: int = LENGTH
) -> subprocess.CompletedProcess[bytes]:
    def limit_cpu() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))

    return subprocess.run(
        [sys.executable, "-m", "tests.regex_inputs"],
        input=pickle.dumps((pattern, length)),
        cwd=ROOT,
        capture_output=True,
        preexec_fn=limit_cpu,
        check=False,
    )


@pytest.mark.parametrize("where", sorted(PATTERNS))
def test_pattern_does_not_backtrack_catastrophically(where: str) -> None:
    pattern = PATTERNS[where]
    child = _run(pattern, length=LIMITS.get((pattern.pattern, pattern.flags), LENGTH))
    assert child.returncode == 0, (
        f"{where} = {PATTERNS[where].pattern!r} did not finish its adversarial inputs within "
        f"{CPU_SECONDS} s of CPU (exit {child.returncode}): {child.stderr.decode()[-500:]}"
    )
