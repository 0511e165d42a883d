"""Batch cleaning: read pages from files, folders, JSONL, WARC and stdin; clean them in worker
processes; write mirrored files or JSONL; never lose a record.

Records flow one way: readers -> ``clean_many`` (workers, in input order) -> a writer. Every
input record gives exactly one ``Outcome``, clean or failed, and one output record::

    from pagetidy import batch
    for outcome in batch.clean_many([b"<p>...</p>", batch.Record("x", "crawl", html)], workers=2):
        print(outcome.record.id, outcome.error or outcome.result.text[:40])

``run(options, config)`` is what ``pagetidy clean`` calls: it reads ``options.inputs``, writes
the outputs and yields each record's ``Outcome`` so the caller can count, report or summarize.
"""

from __future__ import annotations

import fnmatch
import gzip
import itertools
import json
import os
import re
import signal
import sys
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from multiprocessing import get_all_start_methods, get_context
from multiprocessing.connection import Connection, wait
from pathlib import Path
from queue import SimpleQueue
from typing import IO, Any, Literal, Protocol

from pagetidy.errors import ConfigError, PagetidyError
from pagetidy.markdown import to_markdown
from pagetidy.model import Result
from pagetidy.pipeline import DEFAULT_MAX_BYTES, Cleaner, Config

OutputFormat = Literal["text", "json", "jsonl", "markdown"]

PLAIN_FORMATS = frozenset({"text", "markdown"})
"""Formats whose output holds only clean text: errors go to stderr (and error records aside)."""

DEFAULT_GLOBS = ("*.html", "*.htm", "*.shtml", "*.txt")
"""Folder entries cleaned when no ``--glob`` is given: pages and crawler-extracted text."""
DEFAULT_TIMEOUT = 30.0
"""Seconds one page may take in a worker before the worker is killed and the page fails."""
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
HTML_TYPES = ("text/html", "application/xhtml+xml")
"""HTTP content types of WARC response records that are pages; other responses are skipped."""
STARTUP_TIMEOUT = 60.0
"""Seconds a new worker may take to import pagetidy and build its Cleaner."""
QUEUE_PER_WORKER = 2
"""Records given to each worker at once: the next one waits while it cleans one, so it never
waits for the parent; more would leave one worker busy while another idles at the end."""
WINDOW_PER_WORKER = 64
"""Records read ahead of the oldest unfinished one, per worker: bounds memory while one slow
page holds back the in-order output of the pages after it."""


@dataclass(frozen=True)
class Record:
    """One page to clean and where it came from."""

    id: str
    """Stable identity: the file path, the JSONL id (else ``FILE:LINE``), the WARC-Record-ID."""
    input: str
    """The file the record was read from (a page, a JSONL or WARC file) or ``<stdin>``."""
    data: bytes | str | None = None
    """The page: bytes to decode, or text already decoded (a JSONL field)."""
    url: str | None = None
    """The page's address (JSONL url field, WARC-Target-URI), passed to the cleaner."""
    http_charset: str | None = None
    """The charset of the HTTP Content-Type header, for decoding."""
    fields: Mapping[str, Any] = field(default_factory=dict)
    """Other JSONL fields, passed through to the output record under ``fields``."""
    path: str | None = None
    """Where the output goes under a mirrored ``-o DIR``, without the output suffix."""
    error: str | None = None
    """Why the record could not be read; such a record fails without being cleaned."""

    def header(self) -> dict[str, Any]:
        """The provenance fields every output record starts with."""
        head: dict[str, Any] = {"id": self.id, "input": self.input}
        if self.url is not None:
            head["url"] = self.url
        if self.fields:
            head["fields"] = dict(self.fields)
        return head


@dataclass(frozen=True)
class Outcome:
    """What became of one record: a Result, or the error that stopped it."""

    record: Record
    """The record, without its page data."""
    result: Result | None = None
    """The clean result; None when the record failed, was skipped, or results were not kept."""
    error: str | None = None
    """Why the record failed; None when it was cleaned."""
    skipped: bool = False
    """True when ``--resume`` found its output already written whole."""
    payload: str | None = None
    """The rendered output record (text or one JSON object), when a format was asked for."""

    @property
    def ok(self) -> bool:
        """Whether the record was cleaned (or skipped as already done)."""
        return self.error is None


@dataclass(frozen=True)
class Options:
    """What ``run`` reads, how it cleans, and where it writes."""

    inputs: Sequence[str] = ()
    """Files, folders, JSONL and WARC files, or ``-`` for stdin; stdin when empty."""
    output: str | None = None
    """A file, a folder to mirror the inputs into, or None for stdout."""
    format: OutputFormat = "text"
    globs: Sequence[str] = DEFAULT_GLOBS
    """Which files of a folder to read (matched against the path relative to the folder)."""
    html_field: str = "html"
    url_field: str = "url"
    id_field: str = "id"
    workers: int = 0
    """Worker processes; 0 cleans in this process (no time limit, no crash isolation)."""
    timeout: float = DEFAULT_TIMEOUT
    resume: bool = False
    """Skip records whose output was already written whole by an earlier run."""
    keep_results: bool = False
    """Send each Result back from the workers into its Outcome (for summaries)."""


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
"""Signals that stop a batch run cleanly: Ctrl-C, and what ``kill``, systemd and Slurm send."""


class Interrupted(KeyboardInterrupt):
    """A stop signal received during ``stop_on_signals``: the run stops as after Ctrl-C."""

    def __init__(self, signum: int) -> None:
        """Record which signal stopped the run."""
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """The shell's code for a process ended by the signal: 130 for SIGINT, 143 for SIGTERM."""
        return 128 + self.signum


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """While the block runs, SIGINT and SIGTERM raise ``Interrupted`` (call from the main thread).

    The exception unwinds ``run`` like Ctrl-C does: workers are stopped, every output written so
    far stays whole, and ``--resume`` continues from there.
    """

    def stop(signum: int, _frame: object) -> None:
        raise Interrupted(signum)

    previous = [(number, signal.signal(number, stop)) for number in STOP_SIGNALS]
    try:
        yield
    finally:
        for number, handler in previous:
            signal.signal(number, handler)


def default_workers() -> int:
    """The cores this process may run on (fewer than the machine's under a CPU affinity mask)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def clean_many(
    pages: Iterable[Record | bytes | str],
    config: Config | None = None,
    *,
    workers: int = 0,
    timeout: float = DEFAULT_TIMEOUT,
    output_format: OutputFormat | None = None,
    keep_results: bool = True,
    done: Callable[[int, Record], bool] | None = None,
    cleaner_factory: Callable[[Config], Cleaner] = Cleaner,
) -> Iterator[Outcome]:
    """Clean ``pages`` in input order and yield one Outcome per page, failures included.

    With ``workers`` > 0 pages are cleaned in that many processes: a page slower than
    ``timeout`` seconds or one that crashes its worker fails alone and the worker is replaced.
    ``done(index, record)`` marks records to skip; ``output_format`` renders each payload.
    """
    config = config or Config()
    if workers < 0:
        raise ConfigError(f"workers must be 0 or more, got {workers}")
    if timeout <= 0:
        raise ConfigError(f"timeout must be positive, got {timeout}")
    records = (_as_record(index, page) for index, page in enumerate(pages))
    job = _Job(config, output_format, keep_results, cleaner_factory)
    if workers == 0:
        yield from _clean_here(records, job, done)
    else:
        yield from _Pool(job, workers, timeout).run(records, done)


def _as_record(index: int, page: Record | bytes | str) -> Record:
    if isinstance(page, Record):
        return page
    return Record(id=str(index), input="<api>", data=page)


# --- cleaning, here or in workers -------------------------------------------------------------


@dataclass(frozen=True)
class _Job:
    """What a worker needs to clean and render records; pickled once per worker."""

    config: Config
    output_format: OutputFormat | None
    keep_results: bool
    cleaner_factory: Callable[[Config], Cleaner]


def _clean_one(cleaner: Cleaner, record: Record, job: _Job) -> Outcome:
    """Clean and render one record; every exception becomes the record's error."""
    bare = replace(record, data=None)
    if record.error is not None:
        return _failed(bare, record.error, job)
    try:
        if record.data is None:
            raise PagetidyError("no page data")
        result = cleaner.clean(record.data, url=record.url, http_charset=record.http_charset)
        payload = render(record, result, job.output_format) if job.output_format else None
    except PagetidyError as error:
        return _failed(bare, str(error), job)
    except Exception as error:  # a bug on one page must not stop the run
        return _failed(bare, f"internal error: {type(error).__name__}: {error}", job)
    return Outcome(bare, result if job.keep_results else None, payload=payload)


def _failed(record: Record, error: str, job: _Job) -> Outcome:
    payload = None
    if job.output_format is not None:
        payload = _json_line({**record.header(), "error": error})
    return Outcome(record, error=error, payload=payload)


def render(record: Record, result: Result, output_format: OutputFormat) -> str:
    """One output record: the text alone, or the record's provenance and ``Result.to_dict()``."""
    if output_format == "text":
        return result.text
    if output_format == "markdown":
        return to_markdown(result)
    return _json_line({**record.header(), **result.to_dict()})


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _json_line(row: Mapping[str, Any]) -> str:
    """``row`` as one line of JSON that encodes as UTF-8.

    A JSONL input may escape lone surrogates (``"\\ud800"``) in its id, url or other fields,
    which pass through; they stay escaped, so the line reads back the same.
    """
    line = json.dumps(row, ensure_ascii=False)
    if _LONE_SURROGATE.search(line) is None:
        return line
    return _LONE_SURROGATE.sub(lambda found: f"\\u{ord(found.group()):04x}", line)


def _clean_here(
    records: Iterator[Record], job: _Job, done: Callable[[int, Record], bool] | None
) -> Iterator[Outcome]:
    cleaner = job.cleaner_factory(job.config)
    for index, record in enumerate(records):
        if done is not None and done(index, record):
            yield Outcome(replace(record, data=None), skipped=True)
        else:
            yield _clean_one(cleaner, record, job)


def _worker_main(tasks: Connection, results: Connection, job: _Job) -> None:
    """A worker: clean each record received and send its Outcome back, until the pipe closes."""
    # Ctrl-C reaches the whole process group, systemd's SIGTERM the whole cgroup: the parent
    # decides and stops the workers, which keep quiet rather than fail the records they hold.
    for number in STOP_SIGNALS:
        signal.signal(number, signal.SIG_IGN)
    cleaner = job.cleaner_factory(job.config)
    results.send(None)  # ready: from now on a death is the fault of the record being cleaned
    while True:
        try:
            index, record = tasks.recv()
            outcome = _clean_one(cleaner, record, job)
            results.send((index, outcome))
        except (EOFError, OSError):
            # The parent closed the pipes or died. When a group-wide SIGTERM also ended the
            # forkserver, the parent sees this worker as gone and closes without killing it.
            return


class _Worker:
    """One worker process, the records it holds in order, and a thread feeding it records.

    The feeder thread sends, so the main loop never blocks on a full pipe while the worker
    blocks sending a result back to it.
    """

    def __init__(self, context: Any, job: _Job) -> None:
        """Start the process and wait until it is ready to clean."""
        task_reader, self.tasks = context.Pipe(duplex=False)
        self.results, result_writer = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_worker_main,
            args=(task_reader, result_writer, job),
            daemon=True,
            name="pagetidy-worker",
        )
        self.process.start()
        task_reader.close()
        result_writer.close()
        try:
            if not self.results.poll(STARTUP_TIMEOUT):
                raise EOFError
            self.results.recv()
        except (EOFError, OSError):
            self.stop()
            raise PagetidyError(
                f"a worker process could not start (exit code {self.process.exitcode}); "
                'a script using workers needs an `if __name__ == "__main__":` guard'
            ) from None
        self.held: deque[tuple[int, Record]] = deque()
        self.since = 0.0
        """When the record at the head of ``held`` started, as far as the parent can tell."""
        self.outbox: SimpleQueue[tuple[int, Record] | None] = SimpleQueue()
        self.feeder = threading.Thread(target=self._feed, daemon=True, name="pagetidy-feeder")
        self.feeder.start()

    def _feed(self) -> None:
        while (task := self.outbox.get()) is not None:
            try:
                self.tasks.send(task)
            except OSError:
                return  # the worker died; the main loop sees its sentinel

    def give(self, index: int, record: Record) -> None:
        """Queue one record for this worker."""
        if not self.held:
            self.since = time.monotonic()
        self.held.append((index, record))
        self.outbox.put((index, record))

    def stop(self) -> None:
        """End the process and the feeder; records still held are the caller's to handle."""
        # Kill first: a feeder blocked on a full pipe to a hung worker then fails and returns.
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        if hasattr(self, "feeder"):
            self.outbox.put(None)
            self.feeder.join()
        self.tasks.close()
        self.results.close()


class _Pool:
    """Worker processes, each holding a few records in order: a crash or a timeout fails the
    record at the head of the crashed worker's queue and the others are given out again."""

    def __init__(self, job: _Job, size: int, timeout: float) -> None:
        """Plan ``size`` workers for ``job`` with a per-record ``timeout``."""
        self.job = job
        self.size = size
        self.timeout = timeout
        # forkserver: workers fork from a clean process, never from one running threads
        # (the feeders, rich's refresh); spawn where forkserver does not exist.
        method = "forkserver" if "forkserver" in get_all_start_methods() else "spawn"
        self.context: Any = get_context(method)
        if method == "forkserver":
            self.context.set_forkserver_preload(["pagetidy.batch"])
        self.workers: list[_Worker] = []
        self.retry: deque[tuple[int, Record]] = deque()
        self.finished: dict[int, Outcome] = {}

    def run(
        self, records: Iterator[Record], done: Callable[[int, Record], bool] | None
    ) -> Iterator[Outcome]:
        """Yield one Outcome per record, in input order."""
        next_out = 0
        read = 0
        exhausted = False
        window = WINDOW_PER_WORKER * self.size
        try:
            self.workers = [_Worker(self.context, self.job) for _ in range(self.size)]
            while True:
                for worker in self.workers:
                    while len(worker.held) < QUEUE_PER_WORKER:
                        if self.retry:
                            worker.give(*self.retry.popleft())
                            continue
                        if exhausted or read - next_out >= window:
                            break
                        record = next(records, None)
                        if record is None:
                            exhausted = True
                            break
                        if done is not None and done(read, record):
                            self.finished[read] = Outcome(replace(record, data=None), skipped=True)
                        elif record.error is not None:
                            bare = replace(record, data=None)
                            self.finished[read] = _failed(bare, record.error, self.job)
                        else:
                            worker.give(read, record)
                        read += 1
                while next_out in self.finished:
                    yield self.finished.pop(next_out)
                    next_out += 1
                busy = [worker for worker in self.workers if worker.held]
                if not busy:
                    if exhausted and not self.retry:
                        return
                    continue
                self._collect(busy)
        finally:
            for worker in self.workers:
                worker.stop()
            self.workers = []

    def _collect(self, busy: list[_Worker]) -> None:
        """Wait for results, dead workers or a deadline; take every result that is there."""
        soonest = min(worker.since for worker in busy) + self.timeout
        handles: list[Any] = [worker.results for worker in busy]
        handles += [worker.process.sentinel for worker in busy]
        ready = set(wait(handles, timeout=max(0.0, soonest - time.monotonic())))
        for worker in busy:
            dead = worker.process.sentinel in ready
            try:
                while worker.held and worker.results.poll():
                    index, outcome = worker.results.recv()
                    worker.held.popleft()
                    worker.since = time.monotonic()
                    self.finished[index] = outcome
            except (EOFError, OSError):
                dead = True  # the pipe closed under a result: the worker is gone
            if not worker.held:
                continue
            if dead:
                worker.process.join(timeout=5)
                error = f"worker crashed (exit code {worker.process.exitcode})"
            elif time.monotonic() >= worker.since + self.timeout:
                error = f"timed out after {self.timeout:g} s"
            else:
                continue
            index, record = worker.held.popleft()
            self.finished[index] = _failed(replace(record, data=None), error, self.job)
            self._replace(worker)

    def _replace(self, worker: _Worker) -> None:
        """Stop ``worker``, give its other records out again, and start a new one in its place."""
        worker.stop()
        self.retry.extendleft(reversed(worker.held))
        worker.held.clear()
        self.workers[self.workers.index(worker)] = _Worker(self.context, self.job)


# --- readers --------------------------------------------------------------------------------


def _is_jsonl(path: Path) -> bool:
    return path.name.lower().endswith(JSONL_SUFFIXES)


def _is_warc(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


def read_inputs(options: Options, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Record]:
    """Every record of ``options.inputs`` in order, streamed: nothing is read ahead."""
    inputs = list(options.inputs) or ["-"]
    prefixes = _output_prefixes(inputs)
    for name, prefix in zip(inputs, prefixes, strict=True):
        if name == "-":
            yield _read_stdin(prefix, max_bytes)
            continue
        path = Path(name)
        if path.is_dir():
            for file, stem in _walk(path, options.globs, _output_folder(options)):
                yield from _read_path(file, _join(prefix, stem), options, max_bytes)
        else:
            yield from _read_path(path, prefix, options, max_bytes)


def _output_prefixes(inputs: Sequence[str]) -> list[str]:
    """Where each input's outputs go under a mirrored folder; two inputs never share one.

    One folder is mirrored as it is; with several inputs each goes under its own name.
    """
    if len(inputs) == 1 and inputs[0] != "-" and Path(inputs[0]).is_dir():
        return [""]
    prefixes = []
    for name in inputs:
        path = Path(name)
        if name == "-":
            prefixes.append("stdin")
        elif path.is_dir() or _is_jsonl(path) or _is_warc(path):
            prefixes.append(path.resolve().name)
        else:
            prefixes.append(path.with_suffix("").name if path.suffix else path.name)
    seen: dict[str, str] = {}
    for name, prefix in zip(inputs, prefixes, strict=True):
        if prefix in seen:
            raise ConfigError(f"inputs {seen[prefix]} and {name} would write the same outputs")
        seen[prefix] = name
    return prefixes


def _join(prefix: str, stem: str) -> str:
    return f"{prefix}/{stem}" if prefix else stem


def _output_folder(options: Options) -> Path | None:
    return Path(options.output).resolve() if options.output else None


def _walk(root: Path, globs: Sequence[str], skip: Path | None = None) -> Iterator[tuple[Path, str]]:
    """The matching files under ``root`` in sorted order, with their output stems.

    A stem drops the page's suffix (``a/x.html`` -> ``a/x``) unless two files in one folder
    would then share it (``x.html`` and ``x.htm``): those keep their full names. The folder
    ``skip`` (the output folder, when it lies inside an input) is not entered: its files are
    being written as the walk goes.
    """
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(
            name for name in subfolders if skip is None or (Path(folder) / name).resolve() != skip
        )
        relative = Path(folder).relative_to(root)
        matched = [name for name in sorted(names) if _matches((relative / name).as_posix(), globs)]
        stems = [_stem(Path(folder) / name) for name in matched]
        for name, stem in zip(matched, stems, strict=True):
            keep = stems.count(stem) > 1
            yield Path(folder) / name, (relative / (name if keep else stem)).as_posix()


def _matches(relative: str, globs: Sequence[str]) -> bool:
    name = relative.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(relative, glob) or fnmatch.fnmatch(name, glob) for glob in globs)


def _stem(path: Path) -> str:
    """A page's name without its suffix; containers keep theirs (their records go inside)."""
    if _is_jsonl(path) or _is_warc(path):
        return path.name
    return path.stem if path.suffix else path.name


def _read_path(path: Path, stem: str, options: Options, max_bytes: int) -> Iterator[Record]:
    if _is_jsonl(path):
        yield from read_jsonl(path, options, stem, max_bytes)
    elif _is_warc(path):
        yield from read_warc(path, stem, max_bytes)
    else:
        yield _read_file(path, stem, max_bytes)


def _read_file(path: Path, stem: str, max_bytes: int) -> Record:
    record = Record(id=str(path), input=str(path), path=stem)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return replace(record, error=f"input of {size:,} bytes exceeds max_bytes={max_bytes:,}")
        return replace(record, data=path.read_bytes())
    except OSError as error:
        return replace(record, error=error.strerror or str(error))


def _read_stdin(stem: str, max_bytes: int) -> Record:
    data = sys.stdin.buffer.read(max_bytes + 1)
    record = Record(id="<stdin>", input="<stdin>", path=stem)
    if len(data) > max_bytes:
        return replace(record, error=f"input exceeds max_bytes={max_bytes:,}")
    return replace(record, data=data)


def _container_stem(stem: str, index: int) -> str:
    return f"{stem}/{index:06d}"


def read_jsonl(
    path: Path, options: Options, stem: str = "", max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Record]:
    """One record per non-blank line of a JSONL file; a bad line becomes a failed record."""
    try:
        lines = _jsonl_lines(path, max_bytes)
    except OSError as error:
        yield Record(id=str(path), input=str(path), path=stem, error=str(error))
        return
    for index, (number, line, problem) in enumerate(lines):
        base = Record(f"{path}:{number}", str(path), path=_container_stem(stem, index))
        yield replace(base, error=problem) if problem else _jsonl_record(base, line, options)


LINE_PIECE_BYTES = 1024 * 1024
"""A JSONL line is read in pieces of this size, so a gzip bomb is stopped soon after it starts."""


def _jsonl_lines(path: Path, max_bytes: int) -> Iterator[tuple[int, bytes, str]]:
    """Each non-blank line of a JSONL file (gzip or not) with its number, or an error in its
    place: a line too long for ``max_bytes``, or, ending the file, an unreadable stream or a
    gzip bomb (inflating past ``max_bytes`` plus ``MAX_INFLATE_RATIO`` times its compressed
    size, or ``MAX_BLANK_LINES`` blank lines in a row: a stream of newlines is a bomb too).
    Raises OSError, before any line, when the file cannot be opened."""
    raw = open(path, "rb")  # noqa: SIM115 - closed by the generator it is handed to
    return _bounded_lines(path, raw, max_bytes)


def _bounded_lines(
    path: Path, raw: IO[bytes], max_bytes: int
) -> Iterator[tuple[int, bytes, str]]:
    """The lines of ``_jsonl_lines``, read from the opened file ``raw``."""
    # A JSON string escapes a page to at most 6 bytes per byte (\uXXXX); beyond that the
    # page cannot fit max_bytes, so the line is skipped without holding it in memory.
    limit = 6 * max_bytes + 65536
    compressed = path.name.lower().endswith(".gz")
    handle: IO[bytes] | gzip.GzipFile = gzip.GzipFile(fileobj=raw) if compressed else raw

    def inflated_too_far() -> bool:
        return compressed and handle.tell() > max_bytes + MAX_INFLATE_RATIO * raw.tell()

    with raw, handle:
        blank_run = 0
        for number in itertools.count(1):
            pieces: list[bytes] = []
            size = 0
            try:
                while piece := handle.readline(LINE_PIECE_BYTES):
                    if inflated_too_far():
                        yield number, b"", (
                            f"gzip stream inflates past {handle.tell():,} bytes from "
                            f"{raw.tell():,} (a gzip bomb); the rest of the file is not read"
                        )
                        return
                    size += len(piece)
                    if size <= limit:
                        pieces.append(piece)
                    if piece.endswith(b"\n"):
                        break
            except (OSError, EOFError) as error:
                yield number, b"", f"unreadable: {error}"
                return
            if not size:
                return
            if size > limit:
                blank_run = 0
                yield number, b"", f"line exceeds the limit for max_bytes={max_bytes:,}"
                continue
            line = b"".join(pieces)
            if line.strip():
                blank_run = 0
                yield number, line, ""
                continue
            blank_run += 1
            if compressed and blank_run > MAX_BLANK_LINES:
                yield number, b"", (
                    f"more than {MAX_BLANK_LINES:,} blank lines in a row (a gzip bomb); "
                    "the rest of the file is not read"
                )
                return


def _jsonl_record(base: Record, line: bytes, options: Options) -> Record:
    try:
        row = json.loads(line)
    except ValueError as error:
        return replace(base, error=f"not a JSON line: {error}")
    if not isinstance(row, dict):
        return replace(base, error="not a JSON object")
    record_id = row.pop(options.id_field, None)
    url = row.pop(options.url_field, None)
    html = row.pop(options.html_field, None)
    record = replace(
        base,
        id=base.id if record_id is None else str(record_id),
        url=None if url is None else str(url),
        fields=row,
    )
    if not isinstance(html, str):
        return replace(record, error=f"no string field {options.html_field!r}")
    return replace(record, data=html)


def read_warc(path: Path, stem: str = "", max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Record]:
    """One record per WARC response (or resource) whose body is HTML; others are skipped.

    A response with an unreadable HTTP header, or whose body cannot be read or inflates past
    ``max_bytes``, fails; a WARC that breaks mid-stream, or whose gzip member inflates past the
    bound of ``_BoundedReader``, fails one record for the rest of the file.
    """
    index = 0
    try:
        with path.open("rb") as handle:
            for entry in _bounded_archive(handle, max_bytes):
                record = _warc_record(entry, path, _container_stem(stem, index), max_bytes)
                if record is not None:
                    index += 1
                    yield record
    except Exception as error:  # warcio raises many kinds on broken input
        yield Record(
            id=f"{path}#{index}",
            input=str(path),
            path=_container_stem(stem, index),
            # warcio quotes the line it could not read: keep the message to one screen line.
            error=f"unreadable WARC after {index} records: {type(error).__name__}: "
            f"{str(error)[:200]}",
        )


MAX_INFLATE_RATIO = 100
"""A gzip member of a WARC.gz may inflate past ``max_bytes`` only up to this many times its
compressed size: pages and media stay far below it (HTML 5-20), a gzip bomb (1,000) does not."""
MAX_LINE_BYTES = 1024 * 1024
"""The longest WARC header line, or HTTP header line, read; longer HTTP lines are cut there."""
MAX_BLANK_LINES = 1024
"""Blank lines allowed between two WARC records (writers put two)."""


class WarcBombError(PagetidyError):
    """A WARC stream that would inflate, or buffer, without a useful bound."""


def _bounded_archive(handle: IO[bytes], max_bytes: int) -> Iterator[Any]:
    """warcio's ArchiveIterator over ``handle``, reading through a ``_BoundedReader``."""
    # Imported here: warcio is needed only for WARC input.
    from warcio.archiveiterator import ArchiveIterator  # noqa: PLC0415
    from warcio.bufferedreaders import DecompressingBufferedReader  # noqa: PLC0415

    class _BoundedReader(DecompressingBufferedReader):  # type: ignore[misc]
        """warcio's reader of the (gzip member) stream, with bounds where it has none.

        warcio inflates whatever the members hold and reads a WARC line whole however long it
        is; here the file inflates to at most ``max_bytes`` plus ``MAX_INFLATE_RATIO`` times
        its compressed size (counted over all members: many small bombs add up), a line stops
        at ``MAX_LINE_BYTES``, and a run of blank lines at ``MAX_BLANK_LINES``.
        """

        def __init__(self, stream: IO[bytes], block_size: int) -> None:
            self.inflated = 0
            self.deflated = 0  # compressed bytes the decompressors used
            self.blank_lines = 0
            super().__init__(stream, block_size=block_size)

        def _decompress(self, data: bytes) -> bytes:
            compressed = self.decompressor is not None
            out: bytes = super()._decompress(data)
            if compressed and self.decompressor is not None:
                self.deflated += len(data) - len(self.decompressor.unused_data)
                self.inflated += len(out)
                if self.inflated > max_bytes + MAX_INFLATE_RATIO * self.deflated:
                    raise WarcBombError(
                        f"gzip members inflate past {self.inflated:,} bytes from "
                        f"{self.deflated:,} (a gzip bomb); the rest of the file is not read"
                    )
            return out

        def readline(self, length: int | None = None) -> bytes:
            if length is not None:  # inside a record (HTTP headers): cut, the record is bounded
                return super().readline(min(length, MAX_LINE_BYTES))  # type: ignore[no-any-return]
            pieces: list[bytes] = []  # warcio's readline(n) may stop short of n: loop
            size = 0
            while piece := super().readline(MAX_LINE_BYTES - size):
                pieces.append(piece)
                size += len(piece)
                if piece.endswith(b"\n"):
                    break
                if size >= MAX_LINE_BYTES:
                    raise WarcBombError(f"a WARC line longer than {MAX_LINE_BYTES:,} bytes")
            line = b"".join(pieces)
            self.blank_lines = 0 if line.strip() else self.blank_lines + 1
            if self.blank_lines > MAX_BLANK_LINES:
                raise WarcBombError(f"more than {MAX_BLANK_LINES:,} blank lines between records")
            return line

    archive = ArchiveIterator(handle)
    archive.reader = _BoundedReader(archive.fh, block_size=archive.reader.block_size)
    return archive  # type: ignore[no-any-return]


def _warc_record(entry: Any, path: Path, stem: str, max_bytes: int) -> Record | None:
    """The page a WARC record holds; None for records that hold no page."""
    headers = entry.rec_headers
    block_type, block_charset = _content_type(headers.get_header("Content-Type"))
    if entry.rec_type == "response":
        # Heritrix stores DNS lookups as response records too (text/dns): not pages.
        if block_type and block_type != "application/http":
            return None
    elif entry.rec_type != "resource" or block_type not in HTML_TYPES:
        return None
    record = Record(
        id=headers.get_header("WARC-Record-ID") or f"{path}#{stem}",
        input=str(path),
        url=headers.get_header("WARC-Target-URI"),
        path=stem,
    )
    media_type, charset = block_type, block_charset
    if entry.rec_type == "response":
        http = entry.http_headers
        if http is None or not (http.protocol or "").upper().startswith("HTTP/"):
            return replace(record, error="response record without a readable HTTP header")
        media_type, charset = _content_type(http.get_header("Content-Type"))
        if media_type and media_type not in HTML_TYPES:
            return None
    length = entry.length or 0
    if length > max_bytes:
        return replace(record, error=f"record of {length:,} bytes exceeds max_bytes={max_bytes:,}")
    try:
        body = _read_body(entry, max_bytes)
    except WarcBombError as error:
        return replace(record, error=str(error))
    except Exception as error:  # broken chunking
        return replace(record, error=f"unreadable body: {type(error).__name__}: {error}")
    missing = getattr(entry.raw_stream, "limit", 0)
    if missing:  # the file ended inside the record (a crawler killed mid-write)
        return replace(record, error=f"truncated record: {missing:,} bytes missing")
    if not media_type and b"<" not in body[:4096]:
        return None
    return replace(record, data=body, http_charset=charset)


def _read_body(entry: Any, max_bytes: int) -> bytes:
    """A record's payload: de-chunked, and its gzip or deflate Content-Encoding undone.

    warcio's ``content_stream()`` would inflate a whole chunk in one call (a chunk of a few MB
    can inflate to terabytes); here the inflated body stops one byte past ``max_bytes``.
    """
    from warcio.bufferedreaders import ChunkedDataReader  # noqa: PLC0415 - only for WARC input

    http = entry.http_headers
    stream = entry.raw_stream
    if http is not None and http.get_header("Transfer-Encoding") == "chunked":
        stream = ChunkedDataReader(stream)
    data: bytes = stream.read(max_bytes + 1)  # the record's Content-Length is within max_bytes
    encoding = (http.get_header("Content-Encoding") or "").strip().lower() if http else ""
    body = _inflate(data, encoding, max_bytes + 1)
    if len(body) > max_bytes:
        raise WarcBombError(
            f"body of {len(data):,} bytes inflates past max_bytes={max_bytes:,} "
            f"(Content-Encoding: {encoding}); not inflated further"
        )
    return body


INFLATE_STEP = 16 * 1024
"""Compressed bytes inflated at a time (warcio's block), so a stream broken midway keeps what
inflated before the step that broke."""


def _inflate(data: bytes, encoding: str, limit: int) -> bytes:
    """Undo a gzip or deflate Content-Encoding, giving at most ``limit`` bytes.

    As warcio did: bytes that do not inflate from the start are kept as they are (servers label
    plain pages gzip), and a stream that breaks (or ends) midway gives what inflated before, as
    a browser shows a cut page. Other encodings (br, zstd) are kept as they are: binary.
    """
    formats: tuple[int, ...]
    if encoding in ("gzip", "x-gzip"):
        formats = (16 + zlib.MAX_WBITS,)
    elif encoding == "deflate":  # zlib-wrapped as the RFC says, or raw as some servers send
        formats = (zlib.MAX_WBITS, -zlib.MAX_WBITS)
    else:
        return data
    for wbits in formats:
        decompressor = zlib.decompressobj(wbits)
        out = bytearray()
        try:
            for start in range(0, len(data), INFLATE_STEP):
                # Below the output limit a step is inflated whole: no unconsumed input is left.
                out += decompressor.decompress(data[start : start + INFLATE_STEP], limit - len(out))
                if len(out) >= limit or decompressor.eof:
                    break
        except zlib.error:
            if not out:
                continue
        return bytes(out)
    return data


def _content_type(value: str | None) -> tuple[str, str | None]:
    """The media type and charset parameter of a Content-Type header."""
    if not value:
        return "", None
    media_type, *parameters = value.split(";")
    charset = None
    for parameter in parameters:
        key, _, found = parameter.partition("=")
        if key.strip().lower() == "charset" and found.strip():
            charset = found.strip().strip("'\"")
    return media_type.strip().lower(), charset


def count_records(options: Options, max_bytes: int = DEFAULT_MAX_BYTES) -> int | None:
    """How many records ``read_inputs`` will give, when cheap to know; None for WARC or stdin."""
    total = 0
    for name in list(options.inputs) or ["-"]:
        path = Path(name)
        if path.is_dir():
            paths = [file for file, _ in _walk(path, options.globs, _output_folder(options))]
        else:
            paths = [path]
        for file in paths:
            if name == "-" or _is_warc(file):
                return None
            total += _count_lines(file, max_bytes) if _is_jsonl(file) else 1
    return total


def _count_lines(path: Path, max_bytes: int) -> int:
    """The records a JSONL file will give, read as ``read_jsonl`` reads it (bounded)."""
    try:
        return sum(1 for _ in _jsonl_lines(path, max_bytes))
    except OSError:
        return 1


# --- writers --------------------------------------------------------------------------------


class Writer(Protocol):
    """Where outcomes go: one output record per input record."""

    def done(self, index: int, record: Record) -> bool:
        """Whether this record's output was written whole by an earlier run (for --resume)."""

    def write(self, outcome: Outcome) -> None:
        """Write the record's output (clean or error)."""

    def close(self, completed: bool) -> None:
        """Finish: make complete outputs visible, keep partial ones resumable."""


def _named(error: OSError, path: Path) -> OSError:
    """``error`` naming its file: ``[Errno 28] No space left on device: 'out.jsonl.part'``."""
    if error.filename is not None:
        return error
    return OSError(error.errno, error.strerror, str(path))


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` under a temporary name, then rename: never a half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
    except OSError as error:
        temporary.unlink(missing_ok=True)  # a full disk leaves no half file, not even hidden
        raise _named(error, temporary) from error
    temporary.replace(path)


class StreamWriter:
    """Text or JSON lines to a stream (stdout); in text format a failure writes nothing."""

    def __init__(self, handle: IO[str], output_format: OutputFormat) -> None:
        """Write to ``handle``."""
        self.handle = handle
        self.text = output_format in PLAIN_FORMATS

    def done(self, index: int, record: Record) -> bool:
        """Nothing on a stream can be resumed."""
        return False

    def write(self, outcome: Outcome) -> None:
        """Write the payload and a newline."""
        if outcome.payload is not None and not (self.text and outcome.error):
            self.handle.write(outcome.payload + "\n")

    def close(self, completed: bool) -> None:
        """Flush the stream (not after a failure: it may be a closed pipe)."""
        if completed:
            self.handle.flush()


class FileWriter:
    """One page's output into one file, made visible only when written whole.

    A failed page in text format writes no file (its error goes to stderr).
    """

    def __init__(self, path: Path, output_format: OutputFormat) -> None:
        """Collect into a temporary file beside ``path``."""
        self.path = path
        self.text = output_format in PLAIN_FORMATS
        self.temporary = path.with_name(f".{path.name}.tmp")
        self.handle = self.temporary.open("w", encoding="utf-8")
        self.written = False

    def done(self, index: int, record: Record) -> bool:
        """A single file is rewritten whole."""
        return False

    def write(self, outcome: Outcome) -> None:
        """Write the payload and a newline."""
        if outcome.payload is not None and not (self.text and outcome.error):
            try:
                self.handle.write(outcome.payload + "\n")
            except OSError as error:
                raise _named(error, self.temporary) from error
            self.written = True

    def close(self, completed: bool) -> None:
        """Rename into place when complete; otherwise drop the temporary file."""
        try:
            self.handle.close()  # flushes: a full disk shows here
        except OSError as error:
            self.temporary.unlink(missing_ok=True)
            if completed:
                raise _named(error, self.temporary) from error
            return
        if completed and self.written:
            self.temporary.replace(self.path)
        else:
            self.temporary.unlink(missing_ok=True)


class MirrorWriter:
    """One file per record under a folder that mirrors the inputs: ``a/x.html`` -> ``a/x.json``.

    A failed record writes its error record instead: to ``x.json`` in JSON format, to
    ``x.error.json`` in text format (a ``.txt`` holds only clean text).
    """

    def __init__(self, root: Path, output_format: OutputFormat) -> None:
        """Mirror into ``root`` in ``output_format`` (text or json)."""
        self.root = root
        self.suffix = {"text": ".txt", "markdown": ".md"}.get(output_format, ".json")

    def paths(self, record: Record) -> tuple[Path, Path]:
        """The clean output path and the error output path of ``record``."""
        stem = self.root / (record.path or _safe_name(record.id))
        clean = stem.with_name(stem.name + self.suffix)
        plain = self.suffix != ".json"
        error = stem.with_name(stem.name + ".error.json") if plain else clean
        return clean, error

    def done(self, index: int, record: Record) -> bool:
        """Whether the record's output file exists (written whole: files are renamed in)."""
        return any(path.exists() for path in self.paths(record))

    def write(self, outcome: Outcome) -> None:
        """Write the record's file atomically and remove a stale one of the other kind."""
        if outcome.skipped or outcome.payload is None:
            return
        clean, error = self.paths(outcome.record)
        target, stale = (error, clean) if outcome.error else (clean, error)
        _write_atomic(target, outcome.payload + ("\n" if self.suffix != ".json" else ""))
        if stale != target:
            stale.unlink(missing_ok=True)

    def close(self, completed: bool) -> None:
        """Nothing is held open."""


def _safe_name(text: str) -> str:
    return "".join(char if char.isalnum() or char in "-_." else "_" for char in text)[:100]


class JsonlWriter:
    """JSON lines in input order into ``FILE.part``, renamed to ``FILE`` when the run completes.

    Each line is flushed as it is written, so a killed run leaves whole lines and at most one
    partial last line. ``resume`` keeps the whole lines, cuts the partial one, and skips as many
    input records as there are lines, checking that the last kept line is the same record.
    """

    def __init__(self, path: Path, resume: bool) -> None:
        """Open ``path``'s part file, continuing it when ``resume``."""
        self.path = path
        self.part = path.with_name(path.name + ".part")
        self.kept = 0
        self.last: tuple[str, str] | None = None
        self.reopened = resume and self.path.exists() and not self.part.exists()
        self.appended = False
        if self.reopened:
            self.path.replace(self.part)
        if resume and self.part.exists():
            self.kept, self.last = self._keep_whole_lines()
            self.handle = self.part.open("ab")
        else:
            self.handle = self.part.open("wb")

    def _keep_whole_lines(self) -> tuple[int, tuple[str, str] | None]:
        kept = 0
        end = 0
        last = None
        with self.part.open("rb") as handle:
            for line in handle:
                try:
                    row = json.loads(line) if line.endswith(b"\n") else None
                except ValueError:
                    row = None
                if not isinstance(row, dict):
                    break
                kept += 1
                end += len(line)
                last = (str(row.get("id")), str(row.get("input")))
        with self.part.open("r+b") as handle:
            handle.truncate(end)
        return kept, last

    def done(self, index: int, record: Record) -> bool:
        """Records before the kept line count are done; the last one must match its line."""
        if index + 1 == self.kept and self.last != (record.id, record.input):
            raise PagetidyError(
                f"cannot resume {self.part}: line {self.kept} is {self.last}, but the inputs "
                f"give {(record.id, record.input)} there; the inputs changed"
            )
        return index < self.kept

    def write(self, outcome: Outcome) -> None:
        """Append the record's line and flush it."""
        if outcome.skipped or outcome.payload is None:
            return
        try:
            self.handle.write(outcome.payload.encode("utf-8") + b"\n")
            self.handle.flush()
        except OSError as error:
            raise _named(error, self.part) from error
        self.appended = True

    def close(self, completed: bool) -> None:
        """Rename the part file into place when complete; keep it to resume otherwise."""
        try:
            self.handle.close()
        except OSError as error:
            if completed:
                raise _named(error, self.part) from error
            # The run failed already (a full disk): the whole lines written stay for --resume.
        # A complete file reopened by --resume and left unchanged goes back to its name.
        if completed or (self.reopened and not self.appended):
            self.part.replace(self.path)


def single_page(options: Options) -> bool:
    """Whether the inputs are one page (a file or stdin) rather than a batch."""
    inputs = list(options.inputs) or ["-"]
    if len(inputs) != 1 or inputs[0] == "-":
        return len(inputs) == 1
    path = Path(inputs[0])
    return not path.is_dir() and not _is_jsonl(path) and not _is_warc(path)


def open_writer(options: Options, stdout: IO[str]) -> Writer:
    """The writer ``options`` ask for: stdout, one file, a mirrored folder, or JSONL."""
    if options.resume and not options.output:
        raise ConfigError("--resume needs -o: output on stdout cannot be resumed")
    if not options.output or options.output == "-":
        return StreamWriter(stdout, options.format)
    path = Path(options.output)
    if options.format == "jsonl":
        return JsonlWriter(path, options.resume)
    if single_page(options):
        return FileWriter(path, options.format)
    if path.exists() and not path.is_dir():
        raise ConfigError(f"-o {path} is a file; many pages need a folder (or --format jsonl)")
    return MirrorWriter(path, options.format)


def run(
    options: Options, config: Config | None = None, stdout: IO[str] | None = None
) -> Iterator[Outcome]:
    """Read, clean and write everything ``options`` name; yield each record's Outcome in order.

    Outputs are written before their Outcome is yielded. Stopping early (an exception, or closing
    the generator) leaves every output written so far whole, ready for ``resume``.
    """
    config = config or Config()
    writer = open_writer(options, stdout or sys.stdout)
    workers = 0 if single_page(options) else options.workers
    completed = False
    try:
        for outcome in clean_many(
            read_inputs(options, config.max_bytes),
            config,
            workers=workers,
            timeout=options.timeout,
            output_format=options.format,
            keep_results=options.keep_results,
            done=writer.done if options.resume else None,
        ):
            writer.write(outcome)
            yield outcome
        completed = True
    finally:
        writer.close(completed)


# --- progress -------------------------------------------------------------------------------


class ProgressBar:
    """A rich progress bar on a terminal stream: pages/s, errors so far, ETA when the total is
    known. On a pipe, or when not ``enabled``, it shows nothing and warnings go straight out."""

    def __init__(self, stream: IO[str], total: int | None, enabled: bool = True) -> None:
        """Show progress on ``stream`` when it is a terminal and ``enabled``."""
        self.stream = stream
        self.errors = 0
        self.bar: Any = None
        self.task: Any = None
        if enabled and stream.isatty():
            self.bar, self.task = _rich_progress(stream, total)

    def __enter__(self) -> ProgressBar:
        """Start showing the bar."""
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Leave the final state on screen."""
        if self.bar is not None:
            self.bar.stop()

    def advance(self, outcome: Outcome) -> None:
        """Count one finished record."""
        self.errors += outcome.error is not None
        if self.bar is not None:
            self.bar.update(self.task, advance=1, errors=self.errors)

    def warn(self, line: str) -> None:
        """Print one line on the stream, above the bar when there is one."""
        if self.bar is not None:
            self.bar.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            print(line, file=self.stream)


def _rich_progress(stream: IO[str], total: int | None) -> tuple[Any, Any]:
    # rich is imported here: batch runs on a pipe never need it.
    from rich.console import Console  # noqa: PLC0415
    from rich.progress import (  # noqa: PLC0415
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text  # noqa: PLC0415

    class SpeedColumn(ProgressColumn):
        """Pages per second over the last seconds."""

        def render(self, task: Task) -> Text:
            """The speed, or a dash before there is one."""
            speed = task.finished_speed or task.speed
            return Text(f"{speed:6.1f} pages/s" if speed else "     - pages/s")

    bar = Progress(
        TextColumn("cleaning"),
        BarColumn(),
        MofNCompleteColumn(),
        SpeedColumn(),
        TextColumn("[red]{task.fields[errors]} errors"),
        TimeRemainingColumn() if total else TimeElapsedColumn(),
        console=Console(file=stream),
        auto_refresh=True,
        transient=False,
    )
    task = bar.add_task("clean", total=total, errors=0)
    return bar, task
