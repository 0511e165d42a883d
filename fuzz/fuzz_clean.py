"""Coverage-guided fuzz target for ``pagetidy.clean`` (atheris / libFuzzer).

The first byte picks how the rest is given to the Cleaner: as bytes (auto-detected), as bytes
read as plain text, or as a ``str`` (UTF-8 with surrogates let through). Use ``fuzz/run.sh``:

    fuzz/run.sh 600               # ten minutes on a fresh seed corpus
    python fuzz/fuzz_clean.py -runs=1 CRASH_FILE   # replay one finding
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))

with atheris.instrument_imports(include=["pagetidy"]):
    from pagetidy import Cleaner, Config, PagetidyError

from _harness import check_result

CLEANERS = (Cleaner(), Cleaner(Config(input="text")), Cleaner(Config(input="html")))


def test_one_input(data: bytes) -> None:
    """Clean one input; any exception other than a PagetidyError is a finding."""
    if not data:
        return
    mode, body = data[0] % 4, data[1:]
    page: bytes | str = body
    if mode == 3:
        page = body.decode("utf-8", "surrogateescape")
    try:
        result = CLEANERS[mode % 3].clean(page)
    except PagetidyError:
        return
    check_result(result)


def main() -> None:
    """Hand the target to libFuzzer with the command-line options."""
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
