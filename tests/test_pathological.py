"""The pathological corpus: every hostile case finishes within its CPU and memory bound.

Each case runs in a subprocess (``python -m tests.pathological CASE SIZE``) under RLIMIT_CPU and
RLIMIT_AS, so a hang or a blow-up fails deterministically at the limit instead of stalling the
suite or racing a wall clock. Bounds are stated per case in ``tests/pathological.py`` for the
full size (about ten times what ``benchmarks/pathological.py`` measured) and scaled down with
the size for the default run. The full sizes (a 50 MB page, a million attributes, 10 MB lines)
are marked ``slow``: ``pytest -m slow`` runs them; the default suite uses the small sizes.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pathological import CASES, MB, Case

ROOT = Path(__file__).resolve().parents[1]

MIN_CPU_SECONDS = 20
"""Floor of the scaled CPU bound: interpreter start, imports and OpenCC take a second or two."""

MIN_MEMORY_MB = 1000
"""Floor of the address-space bound, as in the case table."""


def bounds(case: Case, size: int) -> tuple[int, int]:
    """CPU seconds and address-space MiB for ``case`` at ``size``: the full bound, scaled."""
    share = size / case.full
    cpu = max(MIN_CPU_SECONDS, round(case.cpu_seconds * share))
    memory = max(MIN_MEMORY_MB, round(case.memory_mb * share))
    return cpu, memory


def run_case(case: Case, size: int) -> dict[str, object]:
    """Run one case under its bounds and return its summary; fail with the reason otherwise."""
    cpu, memory = bounds(case, size)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        resource.setrlimit(resource.RLIMIT_AS, (memory * MB, memory * MB))

    child = subprocess.run(
        [sys.executable, "-m", "tests.pathological", case.name, str(size)],
        cwd=ROOT,
        capture_output=True,
        preexec_fn=limit,
        check=False,
    )
    assert child.returncode == 0, (
        f"{case.name} at {size:,} broke its bound of {cpu} s CPU / {memory} MiB address space "
        f"(exit {child.returncode}; SIGXCPU is -24, MemoryError exits 1): "
        f"{child.stderr.decode(errors='replace')[-600:]}"
    )
    summary: dict[str, object] = json.loads(child.stdout)
    return summary


def check_outcome(case: Case, summary: dict[str, object]) -> None:
    """The outcome the case promises: a Result, an InputError, or either."""
    outcomes = summary["outcomes"]
    assert isinstance(outcomes, list)
    if case.outcome == "clean":
        assert set(outcomes) == {"clean"}, outcomes
        assert isinstance(summary["text_chars"], int) and summary["text_chars"] > 0
    elif case.outcome == "error":
        assert all(outcome.startswith(("InputError", "DecodeError")) for outcome in outcomes)
    for outcome, expected in zip(outcomes, case.expect or outcomes, strict=True):
        # A batch case: every record accounted for, in order, clean or with its error.
        assert outcome == "clean" if expected == "clean" else expected in outcome, outcomes


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_pathological_case_at_default_size_finishes_within_bounds(case: Case) -> None:
    check_outcome(case, run_case(case, case.small))


@pytest.mark.slow
@pytest.mark.parametrize(
    "case", [case for case in CASES if case.small != case.full], ids=lambda case: case.name
)
def test_pathological_case_at_full_size_finishes_within_bounds(case: Case) -> None:
    check_outcome(case, run_case(case, case.full))

