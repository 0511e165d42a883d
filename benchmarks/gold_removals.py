"""What the boilerplate rules remove from reference texts: a false-positive audit.

A corpus reference (``*.gold.txt``) is the page's main content, so every line a boilerplate rule
removes from it, cleaned as plain text, is a candidate false positive (or a reference that kept
boilerplate). Prints each removal and a count per rule.

    python benchmarks/gold_removals.py ../shared/corpus
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from pagetidy import Cleaner, Config

BOILERPLATE_FAMILIES = frozenset({"licence", "identity", "chrome", "seo", "repetition"})


def main() -> None:
    """Clean every reference text and list the boilerplate rules' removals."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    args = parser.parse_args()

    cleaner = Cleaner(Config(input="text"))
    per_rule: Counter[str] = Counter()
    removed = total = 0
    for path in sorted(args.corpus.rglob("*.gold.txt")):
        text = path.read_text(encoding="utf-8")
        if not text.strip():
            continue
        total += len(text)
        for edit in cleaner.clean(text).edits:
            if edit.family not in BOILERPLATE_FAMILIES:
                continue
            per_rule[edit.rule] += 1
            removed += len(edit.before)
            name = f"{path.parent.name}/{path.name}"
            print(f"{edit.rule:26} {name[:48]:48} | {edit.before.strip()[:80]}")
    print()
    for rule, count in per_rule.most_common():
        print(f"{count:5} {rule}")
    print(f"removed {removed:,} of {total:,} reference characters")


if __name__ == "__main__":
    main()
