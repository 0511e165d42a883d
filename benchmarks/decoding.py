"""Decoding check over a corpus: pages whose clean text holds U+FFFD, and encodings chosen.

A page counts as a failure when its text has a replacement character that its reference text
(``<name>.gold.txt``) does not have. Also lists the encoding decision per page that failed or
that needed replacements.

    python benchmarks/decoding.py ../shared/corpus
"""

from __future__ import annotations

import argparse
import collections
from pathlib import Path

from pagetidy import Cleaner, PagetidyError


def main() -> None:
    """Clean every page and report U+FFFD and the encoding decisions."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    args = parser.parse_args()
    cleaner = Cleaner()
    sources: collections.Counter[str] = collections.Counter()
    failures: list[str] = []
    errors: list[str] = []
    total = 0
    for path in sorted(args.corpus.rglob("*.html")):
        total += 1
        try:
            result = cleaner.clean(path.read_bytes())
        except PagetidyError as error:
            errors.append(f"{path}: {error}")
            continue
        sources[f"{result.encoding.name} ({result.encoding.source})"] += 1
        gold = path.with_name(path.name.removesuffix(".html") + ".gold.txt")
        gold_has = gold.exists() and "\ufffd" in gold.read_text("utf-8")
        if "\ufffd" in result.text and not gold_has:
            failures.append(f"{path}: {result.text.count(chr(0xFFFD))} U+FFFD; "
                            f"{result.encoding.note}")
    print(f"{total} pages; {len(failures)} with U+FFFD their reference lacks; "
          f"{len(errors)} errors")
    for line in failures + errors:
        print("  " + line)
    print("encodings chosen:")
    for name, count in sources.most_common():
        print(f"  {count:4d}  {name}")


if __name__ == "__main__":
    main()
