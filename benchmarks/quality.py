"""Clean every page of a corpus, write the predictions, and print the scorer's table.

The corpus has the layout of ``../shared/corpus`` (``<source>/<name>.html`` plus references);
predictions go to ``OUT/<source>/<name>.json`` (``Result.to_dict()``), which is the layout
``score.py`` reads. A page that fails to clean is reported and written as an empty text.

    python benchmarks/quality.py ../shared/corpus [--out DIR] [--scorer ../shared/tools/score.py]

Rules or whole families can be switched off to measure what they do, e.g. the boilerplate rules:

    python benchmarks/quality.py ../shared/corpus --disable-family licence identity chrome seo
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pagetidy import Cleaner, Config
from pagetidy.errors import PagetidyError
from pagetidy.rules import REGISTRY


def write_predictions(
    corpus: Path, out: Path, disabled: frozenset[str] = frozenset()
) -> tuple[int, list[str]]:
    """Clean each ``*.html`` under ``corpus`` into ``out`` with the ``disabled`` rules off;
    return the page count and failures."""
    cleaner = Cleaner(Config(disable=disabled))
    failures: list[str] = []
    paths = sorted(corpus.glob("*/*.html"))
    for path in paths:
        target = out / path.parent.name / (path.stem + ".json")
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            record = cleaner.clean(path.read_bytes()).to_dict()
        except PagetidyError as error:
            failures.append(f"{path.parent.name}/{path.name}: {error}")
            record = {"text": ""}
        target.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return len(paths), failures


def main() -> int:
    """Write the predictions, then run the scorer on them and pass on its exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--out", type=Path, help="prediction folder (default: a temporary one)")
    parser.add_argument(
        "--scorer", type=Path, help="score.py to run (default: CORPUS/../tools/score.py)"
    )
    parser.add_argument("--disable", nargs="*", default=[], metavar="RULE")
    parser.add_argument("--disable-family", nargs="*", default=[], metavar="FAMILY")
    args = parser.parse_args()
    families = set(args.disable_family)
    disabled = {rule.name for rule in REGISTRY if rule.family in families} | set(args.disable)
    scorer = args.scorer or args.corpus.resolve().parent / "tools" / "score.py"
    with tempfile.TemporaryDirectory(prefix="pagetidy-quality-") as scratch:
        out = args.out or Path(scratch)
        start = time.perf_counter()
        count, failures = write_predictions(args.corpus, out, frozenset(disabled))
        elapsed = time.perf_counter() - start
        print(
            f"{count} pages cleaned in {elapsed:.1f} s ({len(disabled)} rules off), "
            f"predictions in {out}"
        )
        for failure in failures:
            print(f"failed: {failure}")
        if not scorer.exists():
            print(f"no scorer at {scorer}; pass --scorer")
            return 1
        command = [sys.executable, str(scorer), "--pred", str(out), "--corpus", str(args.corpus)]
        return subprocess.call(command)


if __name__ == "__main__":
    sys.exit(main())
