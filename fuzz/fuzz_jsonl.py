"""Coverage-guided fuzz target for the batch JSONL reader (atheris / libFuzzer).

The first byte picks plain ``.jsonl`` or ``.jsonl.gz`` (the rest gzipped); the rest is the file.
Every non-blank line must give one record, clean or failed, and cleaning them one Outcome each
(``check_jsonl_input`` in ``_harness.py``). Use ``fuzz/run.sh``:

    fuzz/run.sh 600 jsonl
    python fuzz/fuzz_jsonl.py -runs=1 CRASH_FILE   # replay one finding
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))

with atheris.instrument_imports(include=["pagetidy"]):
    import pagetidy.batch  # noqa: F401 - instrumented before the harness imports it

from _harness import check_jsonl_input

FOLDER = Path(tempfile.mkdtemp(prefix="pagetidy-fuzz-jsonl-"))


def test_one_input(data: bytes) -> None:
    """Read one JSONL file; any exception other than a PagetidyError is a finding."""
    check_jsonl_input(data, FOLDER)


def main() -> None:
    """Hand the target to libFuzzer with the command-line options."""
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
