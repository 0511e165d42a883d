"""Coverage-guided fuzz target for the batch WARC reader (atheris / libFuzzer).

The first byte picks how the rest is stored: a plain ``.warc``, a ``.warc.gz`` of one gzip
member per record, one member for the whole file, or the ``.warc.gz`` as given. Every record
read must be clean or failed and cleaning them give one Outcome each; a broken file ends in one
failed record (``check_warc_input`` in ``_harness.py``). Use ``fuzz/run.sh``:

    fuzz/run.sh 600 warc
    python fuzz/fuzz_warc.py -runs=1 CRASH_FILE   # replay one finding
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))

# warcio too: coverage of its record and header parsing guides the WARC mutations.
with atheris.instrument_imports(include=["pagetidy", "warcio"]):
    import warcio.archiveiterator  # noqa: F401 - instrumented before the harness imports it

    import pagetidy.batch  # noqa: F401

from _harness import check_warc_input

FOLDER = Path(tempfile.mkdtemp(prefix="pagetidy-fuzz-warc-"))


def test_one_input(data: bytes) -> None:
    """Read one WARC file; any exception other than a PagetidyError is a finding."""
    check_warc_input(data, FOLDER)


def main() -> None:
    """Hand the target to libFuzzer with the command-line options."""
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
