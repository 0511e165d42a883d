"""Assemble a fuzzing seed corpus from the test fixtures into a folder (nothing is committed).

Seeds: the fixture pages, the README example, every input of every rule fixture file, and a few
small hostile pages from ``tests/pathological.py``. Run from the repository root:

    python fuzz/seed_corpus.py OUT_DIR
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.pathological import CASES  # noqa: E402 - needs the path above
from tests.rule_fixtures import all_cases  # noqa: E402

SEED_SIZE = 4096
"""Sizes for the generated hostile seeds: small, so each execution stays fast."""


def seeds() -> list[bytes]:
    """Every seed as bytes, in a stable order."""
    found: list[bytes] = []
    pages = ROOT / "tests" / "fixtures" / "pages"
    for path in sorted(pages.glob("*.html")) + sorted(pages.glob("*.txt")):
        found.append(path.read_bytes())
    found.extend(path.read_bytes() for path in sorted((ROOT / "examples").glob("*.html")))
    found.extend(case.source.encode("utf-8") for case in all_cases())
    for case in CASES:
        built = case.build(min(case.small, SEED_SIZE))
        for item in built if isinstance(built, list) else [built]:
            data = item.encode("utf-8", "surrogatepass") if isinstance(item, str) else item
            found.append(data[: 64 * 1024])
    return found


def main(argv: list[str]) -> int:
    """Write each seed as a file named by its hash into the folder ``argv[0]``."""
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    for data in seeds():
        (out / hashlib.sha1(data).hexdigest()).write_bytes(data)
    print(f"{len(list(out.iterdir()))} seeds in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
