"""pagetidy as a datatrove pipeline step, and a WARC reader that leaves decoding to pagetidy.

::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.writers import JsonlWriter
    from pagetidy.integrations.datatrove import PagetidyExtractor, PagetidyWarcReader

    LocalPipelineExecutor(
        pipeline=[
            PagetidyWarcReader("crawl/"),
            PagetidyExtractor(exclusion_writer=JsonlWriter("out/excluded", save_media_bytes=True)),
            JsonlWriter("out/clean"),
        ],
        tasks=8,
        logging_dir="out/logs",
    ).run()

Decoding stays pagetidy's: datatrove's own ``WarcReader`` decodes each record itself (UTF-8, else
a cchardet guess) and skips what it cannot decode, GB-encoded pages among them.
``PagetidyWarcReader`` hands the payload bytes on untouched, as a ``Media`` of type
``MediaType.DOCUMENT`` in ``doc.media``, with the HTTP charset in ``doc.metadata["http_charset"]``;
``PagetidyExtractor`` decodes them with pagetidy's evidence order. The step also cleans documents
whose ``text`` already holds HTML or crawler text, from any other reader.

The time limit interrupts a page with ``SIGALRM`` (``signal.setitimer``) in the worker process:
datatrove runs each task in the main thread of its own process (local pool, Slurm, Ray), so no
thread is left running a page nobody waits for. The alarm fires between Python bytecodes, so it
cannot cut into one long C call (an lxml parse); pagetidy's ``max_bytes`` bounds those. Where
``SIGALRM`` cannot be used (Windows, a step run outside the main thread) a page that overran is
still counted and excluded as timed out, but only after it finished.
"""

from __future__ import annotations

import re
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from contextlib import AbstractContextManager, nullcontext
from types import FrameType
from typing import Any, ClassVar, Literal

try:
    from datatrove.data import Document, DocumentsPipeline, Media, MediaType
    from datatrove.pipeline.base import PipelineStep
    from datatrove.pipeline.readers.base import BaseDiskReader
    from datatrove.pipeline.writers.disk_base import DiskWriter
    from datatrove.utils.typeshelper import StatHints
except ImportError as error:  # pragma: no cover - only without the extra
    raise ImportError(
        'pagetidy.integrations.datatrove needs datatrove: pip install "pagetidy[datatrove]"'
    ) from error

from pagetidy.model import Result
from pagetidy.parse import looks_like_html
from pagetidy.pipeline import Cleaner, Config

Action = Literal["keep", "drop", "tag"]
"""What to do with a flagged document: forward it, drop it, or forward it with a tag."""

SPAM_FLAGS: frozenset[str] = frozenset({"spam-injection", "gambling-injection", "porn-injection"})
"""Flag names that mark a page as spam; flag names are data, pass your own set to override."""

MIRROR_FLAGS: frozenset[str] = frozenset({"mirror-copy"})
"""Flag names that mark a page as a site-farm mirror of another page."""

DEFAULT_TIME_LIMIT = 30.0
"""Seconds one page may take; the batch CLI's default, generous for pages under max_bytes."""

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
"""Payload types handed on as HTML; WET ``conversion`` records are also read as text."""

_CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';,\s]+)""", re.IGNORECASE)
_SNIFF_BYTES = 4096
"""How much of an untyped payload is looked at to tell HTML from other content."""

_ACTIONS = ("keep", "drop", "tag")


class PageTimeout(BaseException):
    """A page ran past the step's time limit.

    A BaseException, like KeyboardInterrupt, so that no ``except Exception`` in a rule or a
    library it calls can swallow the alarm.
    """


class PagetidyWarcReader(BaseDiskReader):  # type: ignore[misc]
    """Read WARC (or WET) files into documents that carry the payload bytes, undecoded.

    Every ``response`` or ``resource`` record whose payload is HTML (by
    ``WARC-Identified-Payload-Type``, else the HTTP ``Content-Type``, else a look at its first
    bytes) becomes one document, and so does every ``conversion`` (WET) record. ``doc.text`` is
    empty; the bytes are in ``doc.media[0].media_bytes``; ``doc.metadata`` has ``url``, ``date``,
    ``content_type`` and ``http_charset``. Other arguments are ``BaseDiskReader``'s.
    """

    name = "🕷 Warc (pagetidy bytes)"
    _requires_dependencies: ClassVar[list[str]] = ["warcio"]

    def __init__(
        self,
        data_folder: Any,
        *,
        paths_file: Any = None,
        compression: Literal["infer", "gzip", "zstd"] | None = "infer",
        limit: int = -1,
        skip: int = 0,
        file_progress: bool = False,
        doc_progress: bool = False,
        default_metadata: dict[str, Any] | None = None,
        recursive: bool = True,
        glob_pattern: str | None = None,
        shuffle_files: bool = False,
    ) -> None:
        """Read the WARC files under ``data_folder``, sharded across tasks by datatrove."""
        super().__init__(
            data_folder,
            paths_file=paths_file,
            limit=limit,
            skip=skip,
            file_progress=file_progress,
            doc_progress=doc_progress,
            default_metadata=default_metadata,
            recursive=recursive,
            glob_pattern=glob_pattern,
            shuffle_files=shuffle_files,
        )
        self.compression = compression

    def read_file(self, filepath: str) -> Iterator[Document]:
        """Yield one document per HTML (or WET text) record of one WARC file."""
        from warcio.archiveiterator import ArchiveIterator  # noqa: PLC0415 - optional extra

        with self.data_folder.open(filepath, "rb", compression=self.compression) as stream:
            for index, record in enumerate(ArchiveIterator(stream)):
                with self.track_time():
                    document = self._document(record, filepath, index)
                if document is not None:
                    yield document

    def _document(self, record: Any, filepath: str, index: int) -> Document | None:
        self.stat_update("records")
        if record.rec_type not in ("response", "resource", "conversion"):
            self.stat_update(f"skipped_{record.rec_type}")
            return None
        content_type = _content_type(record)
        payload = record.content_stream().read()
        if not _is_page(record.rec_type, content_type, payload):
            self.stat_update("skipped_not_html")
            return None
        headers = record.rec_headers
        record_id = headers.get_header("WARC-Record-ID") or f"{filepath}/{index}"
        url = headers.get_header("WARC-Target-URI")
        match = _CHARSET.search(content_type or "")
        metadata: dict[str, Any] = {
            "url": url,
            "date": headers.get_header("WARC-Date"),
            "content_type": content_type,
            "http_charset": match.group(1) if match else None,
        }
        if self.default_metadata:
            metadata = self.default_metadata | metadata
        if self.add_file_path:
            metadata["file_path"] = self.data_folder.resolve_paths(filepath)
        self.stat_update("pages")
        return Document(
            text="",
            id=record_id,
            media=[Media(id=record_id, type=MediaType.DOCUMENT, url=url, media_bytes=payload)],
            metadata=metadata,
        )


def _content_type(record: Any) -> str | None:
    """The payload's declared type: the HTTP header for responses, the WARC header otherwise."""
    http = getattr(record, "http_headers", None)
    if http is not None and http.get_header("Content-Type"):
        return str(http.get_header("Content-Type"))
    value = record.rec_headers.get_header("Content-Type")
    if value and not value.startswith("application/http"):
        return str(value)
    return None


def _is_page(rec_type: str, content_type: str | None, payload: bytes) -> bool:
    if rec_type == "conversion":
        return bool(payload.strip())
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime in HTML_TYPES:
        return True
    if mime and mime not in ("text/plain", "application/octet-stream"):
        return False
    # No type, or a generic one servers send for anything: look at the bytes themselves;
    # latin-1 maps every byte, and tag names are ASCII in every charset pagetidy reads.
    return looks_like_html(payload[:_SNIFF_BYTES].decode("latin-1"))


class PagetidyExtractor(PipelineStep):  # type: ignore[misc]
    """Clean each document with pagetidy, record per-rule statistics, route failures.

    ``doc.text`` becomes the clean text and ``doc.metadata`` gains ``title``, ``source``,
    ``published``, ``author``, ``editor``, ``encoding``, ``kind``, ``flags`` (names) and, where
    pagetidy reports it, ``script``. Statistics (in the executor's ``stats.json``): per rule
    ``rule/<name>`` (edits; ``n`` is the documents it touched) and ``rule_chars/<name>``
    (characters removed), the same per family, ``flag/<name>``, ``encoding/<codec>``, and
    ``dropped_<reason>`` for ``empty``, ``spam``, ``mirror``, ``failed`` and ``timeout``.
    Dropped documents go to ``exclusion_writer`` when given, with the reason in
    ``metadata["filter_reason"]`` (and the error in ``metadata["pagetidy_error"]``).
    """

    name = "🧹 pagetidy"
    type = "🛢 - EXTRAC"

    def __init__(
        self,
        config: Config | None = None,
        *,
        on_spam: Action = "tag",
        on_mirror: Action = "tag",
        spam_flags: Collection[str] = SPAM_FLAGS,
        mirror_flags: Collection[str] = MIRROR_FLAGS,
        time_limit: float | None = DEFAULT_TIME_LIMIT,
        exclusion_writer: DiskWriter | None = None,
        keep_payload: bool = False,
    ) -> None:
        """Configure the step; the Cleaner itself is built in each worker, on first use.

        ``on_spam``/``on_mirror``: ``keep`` forwards the document as is, ``drop`` drops it (to
        the exclusion writer), ``tag`` forwards it with ``"spam"``/``"mirror"`` in
        ``metadata["tags"]``. ``time_limit``: seconds per page, None for none.
        ``keep_payload``: leave the raw bytes in ``doc.media`` of forwarded documents.
        """
        super().__init__()
        for label, action in (("on_spam", on_spam), ("on_mirror", on_mirror)):
            if action not in _ACTIONS:
                raise ValueError(f"{label} must be one of {', '.join(_ACTIONS)}, got {action!r}")
        if time_limit is not None and time_limit <= 0:
            raise ValueError(f"time_limit must be positive or None, got {time_limit}")
        self.config = config or Config()
        self.on_spam: Action = on_spam
        self.on_mirror: Action = on_mirror
        self.spam_flags = frozenset(spam_flags)
        self.mirror_flags = frozenset(mirror_flags)
        self.time_limit = time_limit
        self.exclusion_writer = exclusion_writer
        self.keep_payload = keep_payload
        self._cleaner: Cleaner | None = None

    def __getstate__(self) -> dict[str, Any]:
        """Pickle without the Cleaner: each worker process builds its own."""
        state = self.__dict__.copy()
        state["_cleaner"] = None
        return state

    @property
    def cleaner(self) -> Cleaner:
        """This worker's Cleaner, built on first use so it is never shipped between processes."""
        if self._cleaner is None:
            self._cleaner = Cleaner(self.config)
        return self._cleaner

    def run(
        self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1
    ) -> DocumentsPipeline:
        """Clean every document; forward the kept ones, hand the others to the exclusion writer."""
        writer = self.exclusion_writer
        with writer if writer is not None else nullcontext():
            for doc in data or ():
                self.stat_update(StatHints.total)
                with self.track_time():
                    reason = self._process(doc)
                if reason is None:
                    self.stat_update(StatHints.forwarded)
                    self.update_doc_stats(doc)
                    yield doc
                    continue
                self.stat_update(StatHints.dropped, f"dropped_{reason}")
                if writer is not None:
                    doc.metadata["filter_reason"] = reason
                    writer.write(doc, rank)

    def _process(self, doc: Document) -> str | None:
        """Clean one document in place; return why it is dropped, or None to forward it."""
        payload, http_charset = _payload(doc)
        url = doc.metadata.get("url")
        cleaner = self.cleaner  # built outside the alarm: compiling rules is not the page's time
        started = time.monotonic()
        try:
            with _time_limit(self.time_limit):
                result = cleaner.clean(
                    payload, url=url if isinstance(url, str) else None, http_charset=http_charset
                )
        except PageTimeout:
            doc.metadata["pagetidy_error"] = f"time limit of {self.time_limit} s exceeded"
            return "timeout"
        except Exception as error:  # one bad page must not end the task
            self.stat_update(f"failed_{type(error).__name__}")
            doc.metadata["pagetidy_error"] = f"{type(error).__name__}: {error}"
            return "failed"
        if self.time_limit is not None and time.monotonic() - started > self.time_limit:
            # Only reached where no alarm could interrupt the page (see the module docstring).
            doc.metadata["pagetidy_error"] = f"time limit of {self.time_limit} s exceeded"
            return "timeout"
        self._record(result)
        doc.text = result.text
        doc.metadata.update(document_metadata(result))
        reason = self._judge_flags(doc, result) if result.text else "empty"
        if reason is None and not self.keep_payload:
            # Excluded documents keep their bytes, so the exclusion writer can store the page.
            doc.media = [media for media in doc.media if not _is_payload(media)]
        return reason

    def _judge_flags(self, doc: Document, result: Result) -> str | None:
        names = {flag.name for flag in result.flags}
        tags: list[str] = []
        for tag, flags, action in (
            ("spam", self.spam_flags, self.on_spam),
            ("mirror", self.mirror_flags, self.on_mirror),
        ):
            if not names & flags:
                continue
            if action == "drop":
                return tag
            if action == "tag":
                tags.append(tag)
                self.stat_update(f"tagged_{tag}")
        if tags:
            doc.metadata["tags"] = tags
        return None

    def _record(self, result: Result) -> None:
        """Count what pagetidy did to this page, per rule and per family."""
        edits: Counter[str] = Counter()
        removed: Counter[str] = Counter()
        for edit in result.edits:
            for key in (f"rule/{edit.rule}", f"family/{edit.family}"):
                edits[key] += 1
                removed[key] += len(edit.before) - len(edit.after)
        for key, count in edits.items():
            self.stat_update(key, value=count)
            kind, _, name = key.partition("/")
            self.stat_update(f"{kind}_chars/{name}", value=removed[key])
        for flag in result.flags:
            self.stat_update(f"flag/{flag.name}")
        self.stat_update(f"encoding/{result.encoding.name}", f"kind/{result.kind}")
        script = getattr(result, "script", None)
        if script:
            self.stat_update(f"script/{script}")


def document_metadata(result: Result) -> dict[str, Any]:
    """The metadata PagetidyExtractor puts on a document for ``result``."""
    meta = result.metadata
    fields: dict[str, Any] = {
        "title": meta.title,
        "source": meta.source,
        "published": meta.published,
        "author": meta.author,
        "editor": meta.editor,
        "encoding": result.encoding.name,
        "kind": result.kind,
        "flags": [flag.name for flag in result.flags],
    }
    # The script field arrives with the normalization work; older Results have none.
    script = getattr(result, "script", None)
    if script is not None:
        fields["script"] = script
    return fields


def _is_payload(media: Media) -> bool:
    return bool(media.type == MediaType.DOCUMENT and media.media_bytes is not None)


def _payload(doc: Document) -> tuple[bytes | str, str | None]:
    """The page to clean: undecoded bytes when a reader left them, else the document's text."""
    for media in doc.media:
        if _is_payload(media):
            charset = doc.metadata.get("http_charset")
            return media.media_bytes, charset if isinstance(charset, str) else None
    return doc.text, None


def _time_limit(seconds: float | None) -> AbstractContextManager[object]:
    if seconds is None or not _can_alarm():
        return nullcontext()
    return _Alarm(seconds)


def _can_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


class _Alarm:
    """Raise PageTimeout in this thread after ``seconds``; restores the previous handler."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.previous: Callable[[int, FrameType | None], Any] | int | None = None

    def __enter__(self) -> _Alarm:
        self.previous = signal.signal(signal.SIGALRM, _raise_timeout)
        signal.setitimer(signal.ITIMER_REAL, self.seconds)
        return self

    def __exit__(self, *exc_info: object) -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        # signal.signal returns None for a handler installed outside Python: restore the default.
        signal.signal(signal.SIGALRM, signal.SIG_DFL if self.previous is None else self.previous)


def _raise_timeout(signum: int, frame: FrameType | None) -> None:
    raise PageTimeout


__all__ = [
    "MIRROR_FLAGS",
    "SPAM_FLAGS",
    "Action",
    "PageTimeout",
    "PagetidyExtractor",
    "PagetidyWarcReader",
    "document_metadata",
]
