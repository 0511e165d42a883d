"""Write pagetidy predictions for a corpus, laid out for ``../shared/tools/score.py --pred OUT``.

Rule families can be switched off to measure what they do, e.g. the boilerplate rules:

    python benchmarks/predict.py ../shared/corpus /tmp/on
    python benchmarks/predict.py ../shared/corpus /tmp/off \\
        --disable-family licence identity chrome seo repetition
    python ../shared/tools/score.py --pred /tmp/on; python ../shared/tools/score.py --pred /tmp/off
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from pagetidy import Cleaner, Config
from pagetidy.rules import REGISTRY


def main() -> None:
    """Clean every .html page under the corpus and write ``OUT/<source>/<name>.json``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--disable-family", nargs="*", default=[], metavar="FAMILY")
    parser.add_argument("--disable", nargs="*", default=[], metavar="RULE")
    args = parser.parse_args()

    families = set(args.disable_family)
    disabled = {rule.name for rule in REGISTRY if rule.family in families} | set(args.disable)
    cleaner = Cleaner(Config(disable=frozenset(disabled)))
    pages = sorted(args.corpus.rglob("*.html"))
    for path in pages:
        result = cleaner.clean(path.read_bytes())
        folder = args.out / path.parent.relative_to(args.corpus)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{path.stem}.json"
        target.write_text(json.dumps(result.to_dict(), ensure_ascii=False), encoding="utf-8")
    print(f"{len(pages)} predictions in {args.out} ({len(disabled)} rules off)")


if __name__ == "__main__":
    main()
