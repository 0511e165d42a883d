"""Throughput of pagetidy's normalization stage beside bare OpenCC ``convert`` on the same text.

The stage is every text rule of the ``unicode``, ``script`` and ``whitespace`` families except
``drop-replacement-characters``: the mojibake, entity, NFC, radical, invisible-character, width,
space and punctuation rules, ``convert-script``, and the two whitespace rules that follow it.
Each page is cleaned once with the default Config and the text the pipeline hands to each run
of consecutive stage rules is recorded (``decode-html-entities`` runs before the line rules, the
others after them); the timed work is those rules on those texts, through the pipeline's own
loop (find, record the edits, apply them), so per-page caches get exactly what they get in a
real clean. OpenCC is timed on the text the rest of the stage receives, with ``t2s`` and with
the config the pipeline chose for each page (its detected script and region).

    python benchmarks/normalize_speed.py ../shared/corpus [--repeat 5]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple, cast

from pagetidy import Cleaner, Config
from pagetidy.model import Edit
from pagetidy.normalize import Script, conversion_config, converter
from pagetidy.rules import REGISTRY, Change, PageContext, TextRule

STAGE_FAMILIES = ("unicode", "script", "whitespace")
STAGE = [
    rule.name
    for rule in REGISTRY
    if rule.family in STAGE_FAMILIES and rule.name != "drop-replacement-characters"
]


def stage_groups(cleaner: Cleaner) -> list[list[TextRule]]:
    """The stage rules of ``cleaner`` in pipeline order, cut into runs of consecutive rules."""
    groups: list[list[TextRule]] = []
    previous_in_stage = False
    for rule in cleaner.text_rules:
        in_stage = rule.name in STAGE
        if in_stage and not previous_in_stage:
            groups.append([])
        if in_stage:
            groups[-1].append(rule)
        previous_in_stage = in_stage
    return groups


class Page(NamedTuple):
    """What the benchmark keeps of one cleaned page."""

    inputs: list[str]
    """The text the pipeline handed each group of stage rules."""
    config: str
    """The OpenCC config the pipeline chose for the page."""
    kind: str
    facts: dict[str, str]
    """The page's ``lang`` and ``url``, which the region hint reads."""
    name: str
    """The page's file, as ``source/page.html``."""


def record_inputs(cleaner: Cleaner, paths: Iterable[Path]) -> list[Page]:
    """Clean each page and record what each group of stage rules receives."""
    groups = stage_groups(cleaner)
    seen: dict[int, str] = {}

    def recording(rule: TextRule, index: int) -> Callable[[str, PageContext], Iterable[Change]]:
        find = rule.find

        def find_and_record(text: str, page: PageContext) -> Iterable[Change]:
            seen.setdefault(index, text)  # the first call; later ones normalize metadata values
            return find(text, page)

        return find_and_record

    for index, group in enumerate(groups):
        group[0].find = recording(group[0], index)  # type: ignore[method-assign,assignment]
    pages = []
    config = cleaner.config
    for path in paths:
        seen.clear()
        result = cleaner.clean(path.read_bytes())
        script = cast("Script", result.script or "none")
        name = conversion_config(config.to, script, result.region, config.phrases) or "t2s"
        metadata = result.metadata
        facts = {field: value for field in ("lang", "url") if (value := getattr(metadata, field))}
        inputs = [seen[index] for index in sorted(seen)]
        pages.append(Page(inputs, name, result.kind, facts, f"{path.parent.name}/{path.name}"))
    for group in groups:
        del group[0].find
    return pages


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


def interleaved(works: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """The best CPU seconds of each work, the works run in turn so that the load of a shared
    machine weighs on them alike."""
    timings = dict.fromkeys(works, float("inf"))
    for _ in range(repeat):
        for name, work in works.items():
            timings[name] = min(timings[name], best_seconds(work, 1))
    return timings


def main() -> None:
    """Time the stage and OpenCC over the whole corpus text and print MB/s for each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    cleaner = Cleaner()
    groups = stage_groups(cleaner)
    pages = [
        page for page in record_inputs(cleaner, sorted(args.corpus.rglob("*.html")))
        if len(page.inputs) == len(groups) and page.inputs[-1].strip()
    ]  # fmt: skip
    # One Cleaner per group runs exactly that group's rules through the pipeline's text loop.
    runners = [
        Cleaner(Config(disable=frozenset(STAGE) - {rule.name for rule in group}))
        for group in groups
    ]
    for runner, group in zip(runners, groups, strict=True):
        runner.text_rules = [rule for rule in runner.text_rules if rule.name in STAGE]
        assert [rule.name for rule in runner.text_rules] == [rule.name for rule in group]
    texts = [page.inputs[-1] for page in pages]
    megabytes = sum(len(text.encode("utf-8")) for text in texts) / 1e6

    def run_stage(pages: list[Page] = pages) -> int:
        recorded = 0
        for page in pages:
            context = PageContext(cleaner.config, page.kind)  # type: ignore[arg-type]
            context.values.update(page.facts)
            edits: list[Edit] = []
            for runner, text in zip(runners, page.inputs, strict=True):
                runner._run_text_rules(text, context, edits)
            recorded += len(edits)
        return recorded

    chosen = [converter(page.config) for page in pages]
    t2s = converter("t2s")
    works: dict[str, Callable[[], object]] = {
        "normalization stage": run_stage,
        "OpenCC t2s convert": lambda: [t2s.convert(t) for t in texts],
        "OpenCC chosen-config convert": lambda: [
            c.convert(t) for c, t in zip(chosen, texts, strict=True)
        ],
    }
    timings = interleaved(works, args.repeat)
    print(f"{len(texts)} pages, {megabytes:.2f} MB of UTF-8 text; rules: {', '.join(STAGE)}")
    for name, seconds in timings.items():
        print(f"{name:<30} {megabytes / seconds:8.2f} MB/s  ({seconds * 1000:7.1f} ms)")
    ratio = timings["normalization stage"] / timings["OpenCC chosen-config convert"]
    print(f"stage / bare OpenCC (chosen config): {ratio:.2f}x the time")
    ratio = timings["normalization stage"] / timings["OpenCC t2s convert"]
    print(f"stage / bare OpenCC (t2s): {ratio:.2f}x the time")

    # Recording an edit costs about a microsecond, so one page with thousands of edits weighs on
    # the figure: it is given again without the page where the stage records the most.
    counts = [run_stage([page]) for page in pages]
    most = counts.index(max(counts))
    rest = pages[:most] + pages[most + 1 :]
    rest_chosen = chosen[:most] + chosen[most + 1 :]
    rest_texts = texts[:most] + texts[most + 1 :]
    timings = interleaved(
        {
            "stage": lambda: run_stage(rest),
            "OpenCC": lambda: [
                c.convert(t) for c, t in zip(rest_chosen, rest_texts, strict=True)
            ],
        },
        args.repeat,
    )
    ratio = timings["stage"] / timings["OpenCC"]
    print(
        f"{sum(counts):,} edits per pass; without the page with the most ({counts[most]:,},"
        f" {pages[most].name}): stage / bare OpenCC (chosen config)"
        f" {ratio:.2f}x the time"
    )
    print("per rule (find alone on the text the pipeline gave its group, so each pays for the")
    print("page's character count, which in the stage the first rule pays once):")
    for index, group in enumerate(groups):
        group_inputs = [page.inputs[index] for page in pages]
        for rule in group:

            def find_alone(rule: TextRule = rule, inputs: list[str] = group_inputs) -> None:
                context = PageContext(cleaner.config, "text")
                for text in inputs:
                    list(rule.find(text, context))

            seconds = best_seconds(find_alone, args.repeat)
            print(f"  {rule.name:<30} {megabytes / seconds:8.2f} MB/s  ({seconds * 1000:7.1f} ms)")

if __name__ == "__main__":
    main()
