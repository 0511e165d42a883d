"""What every fuzz target shares: the invariants a cleaned page and a batch reader must satisfy.

A target imports pagetidy under ``atheris.instrument_imports()`` and calls ``check_result`` on
what it got, or ``check_jsonl_input`` / ``check_warc_input`` on its bytes; any exception other
than a PagetidyError is a finding. ``tests/test_fuzz_regressions.py`` calls the same checks on
the findings kept in ``tests/fixtures/fuzz/`` (no atheris needed).
"""

from __future__ import annotations

import contextlib
import gzip
import io
import re
from pathlib import Path

from pagetidy import Config, PagetidyError, Result, replay
from pagetidy.batch import Options, Record, clean_many, read_jsonl, read_warc

READER_CONFIG = Config(max_bytes=4096)
"""A small page limit for the reader targets, so fuzzed lines and records reach it."""
RECORD_START = re.compile(rb"(?=WARC/1\.)")


def check_result(result: Result) -> None:
    """Raise AssertionError when a Result breaks an invariant the property tests also check."""
    if replay(result.raw_text, result.text_edits) != result.text:
        raise AssertionError("replay(raw_text, text_edits) != text")
    result.text.encode("utf-8")  # a lone surrogate raises UnicodeEncodeError
    result.raw_text.encode("utf-8")
    for edit in result.edits:
        edit.before.encode("utf-8")
        edit.after.encode("utf-8")


def check_records(records: list[Record], config: Config) -> None:
    """Raise AssertionError unless every record read is accounted for, clean or failed.

    Each record holds a page or an error (never both, never neither), within ``max_bytes``, under
    its own output path; cleaning them gives one Outcome each, in order, whose output
    line is valid UTF-8 and whose error, if any, is not an internal one (a bug caught per page).
    """
    for number, record in enumerate(records):
        if (record.error is None) == (record.data is None):
            raise AssertionError(f"record {number} has {'both' if record.error else 'neither'}")
        if isinstance(record.data, bytes) and len(record.data) > config.max_bytes:
            raise AssertionError(f"record {number} holds more than max_bytes")
    paths = [record.path for record in records]
    if len(set(paths)) != len(paths):
        raise AssertionError(f"two records would write one output: {paths}")
    outcomes = list(clean_many(records, config, output_format="jsonl"))
    if [outcome.record.id for outcome in outcomes] != [record.id for record in records]:
        raise AssertionError("outcomes do not match the records one to one, in order")
    for outcome in outcomes:
        if outcome.payload is None:
            raise AssertionError("an outcome without its output line")
        outcome.payload.encode("utf-8")
        if outcome.error is not None and outcome.error.startswith("internal error"):
            raise AssertionError(outcome.error)
        if outcome.result is not None:
            check_result(outcome.result)


def check_jsonl_input(data: bytes, folder: Path) -> None:
    """Read ``data[1:]`` as a JSONL file (gzipped when ``data[0]`` is odd) and check it.

    Every non-blank line must give one record, clean or failed; see ``check_records``.
    """
    if not data:
        return
    compressed, body = data[0] % 2 == 1, data[1:]
    path = folder / ("input.jsonl.gz" if compressed else "input.jsonl")
    path.write_bytes(gzip.compress(body, mtime=0) if compressed else body)
    try:
        records = list(read_jsonl(path, Options(), "input", READER_CONFIG.max_bytes))
    except PagetidyError:
        return
    lines = sum(1 for line in body.split(b"\n") if line.strip())
    if len(records) != lines:
        raise AssertionError(f"{lines} non-blank lines gave {len(records)} records")
    check_records(records, READER_CONFIG)


def check_warc_input(data: bytes, folder: Path) -> None:
    """Read ``data[1:]`` as a WARC file stored the way ``data[0]`` picks, and check it.

    ``data[0] % 4``: 0 a plain ``.warc``; 1 a ``.warc.gz`` with each record in its own gzip
    member (split before each ``WARC/1.``, as crawlers write them); 2 one gzip member for the
    whole file; 3 the bytes are the ``.warc.gz`` itself. A broken file ends in one failed record.
    """
    if not data:
        return
    mode, body = data[0] % 4, data[1:]
    if mode == 1:
        parts = [part for part in RECORD_START.split(body) if part]
        body = b"".join(gzip.compress(part, mtime=0) for part in parts)
    elif mode == 2:
        body = gzip.compress(body, mtime=0)
    path = folder / ("input.warc" if mode == 0 else "input.warc.gz")
    path.write_bytes(body)
    # warcio warns on stderr about records it reads past; the records say what went wrong.
    with contextlib.redirect_stderr(io.StringIO()):
        try:
            records = list(read_warc(path, "input", READER_CONFIG.max_bytes))
        except PagetidyError:
            return
    ends = [n for n, record in enumerate(records) if "unreadable WARC" in str(record.error)]
    if ends not in ([], [len(records) - 1]):
        raise AssertionError(f"records after the one that ends the file: {ends}")
    check_records(records, READER_CONFIG)
