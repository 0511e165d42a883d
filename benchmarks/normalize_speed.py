"""Throughput of pagetidy's normalization stage beside bare OpenCC ``convert`` on the same text.

The stage is every rule of the ``unicode`` family after ``drop-replacement-characters`` plus
``convert-script``, found, recorded as edits and applied in order as the pipeline does (input
decoding and extraction are not part of it). Its input is each corpus page's text as
the earlier rules leave it (cleaned once with the normalization rules disabled). OpenCC is timed
on the same texts with ``t2s`` and with the config the stage chose for each page.

    python benchmarks/normalize_speed.py ../shared/corpus [--repeat 5]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from pagetidy import Cleaner, Config
from pagetidy.model import Edit, Span, apply_edits
from pagetidy.normalize import conversion_config, converter, detect_script
from pagetidy.rules import REGISTRY, PageContext

STAGE = [
    rule.name
    for rule in REGISTRY
    if rule.family in ("unicode", "script") and rule.name != "drop-replacement-characters"
]


def stage_inputs(corpus: Path) -> list[str]:
    """Each page's text as it reaches the normalization stage."""
    before = Cleaner(Config(disable=frozenset(STAGE)))
    return [before.clean(path.read_bytes()).text for path in sorted(corpus.rglob("*.html"))]


def run_rules(cleaner: Cleaner, text: str) -> str:
    """The text rules of ``cleaner`` on ``text``, applied and recorded as the pipeline does."""
    page = PageContext(cleaner.config, "text")
    for rule in cleaner.text_rules:
        changes = sorted(rule.find(text, page), key=lambda change: change.start)
        if changes:
            edits = [
                Edit(rule.name, rule.family, text[c.start : c.end], c.after, Span(c.start, c.end),
                     c.reason or rule.reason)
                for c in changes
            ]  # fmt: skip
            text = apply_edits(text, edits)
    return text


def best_seconds(work: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` runs of ``work``, in seconds of this process's CPU time.

    CPU time rather than wall time: on a shared machine other processes would otherwise decide
    the figures.
    """
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    """Time the stage and OpenCC over the whole corpus text and print MB/s for each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    texts = [text for text in stage_inputs(args.corpus) if text.strip()]
    megabytes = sum(len(text.encode("utf-8")) for text in texts) / 1e6
    only_stage = frozenset(rule.name for rule in REGISTRY if rule.name not in STAGE)
    stage = Cleaner(Config(disable=only_stage, input="text"))

    def run_stage() -> None:
        for text in texts:
            run_rules(stage, text)
    chosen = [
        converter(conversion_config("hans", detect_script(text), None, False) or "t2s")
        for text in texts
    ]
    t2s = converter("t2s")

    timings = {
        "normalization stage": best_seconds(run_stage, args.repeat),
        "OpenCC t2s convert": best_seconds(lambda: [t2s.convert(t) for t in texts], args.repeat),
        "OpenCC chosen-config convert": best_seconds(
            lambda: [c.convert(t) for c, t in zip(chosen, texts, strict=True)], args.repeat
        ),
    }
    print(f"{len(texts)} pages, {megabytes:.2f} MB of UTF-8 text; rules: {', '.join(STAGE)}")
    for name, seconds in timings.items():
        print(f"{name:<30} {megabytes / seconds:8.2f} MB/s  ({seconds * 1000:7.1f} ms)")
    ratio = timings["normalization stage"] / timings["OpenCC chosen-config convert"]
    print(f"stage / bare OpenCC (chosen config): {ratio:.2f}x the time")
    print("per rule (find only, on the stage input):")
    for rule in stage.text_rules:
        page = PageContext(stage.config, "text")
        seconds = best_seconds(
            lambda r=rule, p=page: [list(r.find(t, p)) for t in texts], args.repeat
        )
        print(f"  {rule.name:<30} {megabytes / seconds:8.2f} MB/s  ({seconds * 1000:7.1f} ms)")


if __name__ == "__main__":
    main()
