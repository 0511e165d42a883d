"""Median and mean milliseconds per page: pagetidy's Cleaner.clean beside a bare lxml parse.

Both run on the same bytes in the same process, interleaved page by page, so machine load
affects them alike. trafilatura is timed too when it is installed.

``--clock cpu`` measures this process's CPU time instead of wall time: on a loaded machine a
task lasting a few milliseconds is preempted more often than a one-millisecond parse, which
inflates the wall-clock ratio; CPU time counts only the work done.

    python benchmarks/speed.py ../shared/corpus [--repeat 3] [--clock wall|cpu]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import lxml.html

from pagetidy import Cleaner


def pages(corpus: Path) -> list[bytes]:
    """Every .html page under ``corpus``, as raw bytes, in a stable order."""
    return [path.read_bytes() for path in sorted(corpus.rglob("*.html"))]


def best_time(
    function: Callable[[bytes], object],
    data: bytes,
    repeat: int,
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    """The fastest of ``repeat`` runs, in milliseconds (the least disturbed by other load)."""
    best = float("inf")
    for _ in range(repeat):
        start = clock()
        function(data)
        best = min(best, clock() - start)
    return best * 1000.0


def main() -> None:
    """Time every page and print one row per tool."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall")
    args = parser.parse_args()
    clock = time.process_time if args.clock == "cpu" else time.perf_counter

    cleaner = Cleaner()
    tools: dict[str, Callable[[bytes], object]] = {
        "lxml parse": lxml.html.document_fromstring,
        "pagetidy": cleaner.clean,
    }
    try:
        import trafilatura  # noqa: PLC0415 - optional comparison

        tools["trafilatura"] = trafilatura.extract
    except ImportError:
        pass

    times: dict[str, list[float]] = {name: [] for name in tools}
    corpus_pages = pages(args.corpus)
    for data in corpus_pages:
        for name, function in tools.items():
            times[name].append(best_time(function, data, args.repeat, clock))

    base = statistics.median(times["lxml parse"])
    print(
        f"{len(corpus_pages)} pages from {args.corpus}, best of {args.repeat} runs per page, "
        f"{args.clock} clock"
    )
    print(f"{'tool':<12} {'median ms':>10} {'mean ms':>10} {'x parse':>8}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<12} {median:>10.2f} {statistics.mean(values):>10.2f} {median / base:>8.1f}")


if __name__ == "__main__":
    main()
