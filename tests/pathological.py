"""A pathological corpus, generated on demand: hostile pages that must neither crash nor hang.

Each ``Case`` builds its input from a size (``full`` is the size named in the reliability issue;
``small`` is what the default test suite uses when the full size would take more than a second
or two). Cases are built in the process that cleans them, so nothing large is ever stored.
``benchmarks/pathological.py`` measures every case at full size; ``tests/test_pathological.py``
runs each in a subprocess under CPU and address-space limits derived from those measurements.

    python -m tests.pathological CASE [SIZE]   # build CASE, clean it, print one JSON line
"""

from __future__ import annotations

import functools
import json
import os
import struct
import sys
import tempfile
import time
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Outcome = Literal["clean", "error", "either"]

PARAGRAPH = "今年以来，江城区集中整治城区内河水环境，已清理河道淤泥三万余立方米，群众满意度明显提升。"
"""One realistic sentence of Chinese prose, used to pad pages to a size."""

MB = 1024 * 1024
GB = 1024 * MB


def _page(body: str, head: str = "") -> str:
    return f"<html><head><meta charset='utf-8'>{head}<title>测试</title></head><body>{body}</body></html>"


def big_page(size: int) -> bytes:
    """A well-formed page of ``size`` bytes: many paragraphs in one article container."""
    paragraph = f"<p>{PARAGRAPH}</p>\n"
    count = size // len(paragraph.encode())
    return _page(f"<div class='article'>{paragraph * count}</div>").encode()


def deep_nesting(depth: int) -> bytes:
    """``depth`` nested divs around one sentence (libxml2 stops at 2,048: an InputError)."""
    return _page("<div>" * depth + PARAGRAPH + "</div>" * depth).encode()


def deep_inline_nesting(depth: int) -> bytes:
    """``depth`` unclosed ``<font>`` tags, the way broken CMS templates nest them."""
    return _page("<font>" * depth + PARAGRAPH).encode()


def many_attributes(count: int) -> bytes:
    """One element carrying ``count`` distinct attributes, then the article."""
    attributes = " ".join(f'a{index}="{index}"' for index in range(count))
    return _page(f"<div {attributes}><p>{PARAGRAPH}</p></div>").encode()


def many_elements(count: int) -> bytes:
    """``count`` sibling spans of two characters each: a flat tree with very many nodes."""
    return _page("<div>" + "<span>文字</span>" * count + f"<p>{PARAGRAPH}</p></div>").encode()


def long_line(size: int) -> bytes:
    """A single line of ``size`` bytes of Chinese prose, no tags, no newline."""
    return (PARAGRAPH * (size // len(PARAGRAPH.encode()))).encode()


def long_line_html(size: int) -> bytes:
    """One ``<p>`` holding ``size`` bytes of prose with no markup and no line break inside."""
    return _page(f"<p>{PARAGRAPH * (size // len(PARAGRAPH.encode()))}</p>").encode()


def control_bytes(size: int) -> bytes:
    """A page with NUL and C0 control bytes sprinkled through text and markup (under 5%)."""
    noisy = "".join(
        f"{char}\x00" if index % 15 == 7 else f"{char}\x01\x1b" if index % 40 == 3 else char
        for index, char in enumerate(PARAGRAPH * 3)
    )
    paragraph = f"<p\x0b>{noisy}</p>"
    return _page(paragraph * (size // len(paragraph.encode()))).encode()


def nul_flood(size: int) -> bytes:
    """Mostly NUL bytes with a little markup: binary, must be refused or cleaned, not crash."""
    return b"<html><body><p>" + b"\x00" * size + PARAGRAPH.encode() + b"</p></body></html>"


LYING_LABELS = (
    ("utf-8", "gb18030"),
    ("gb2312", "utf-8"),
    ("big5", "gb18030"),
    ("gbk", "big5hkscs"),
    ("shift_jis", "utf-8"),
    ("euc-kr", "gb18030"),
    ("iso-8859-1", "utf-8"),
    ("utf-16", "utf-8"),
    ("utf-16le", "gb18030"),
    ("utf-32", "utf-8"),
    ("utf-7", "gb18030"),
    ("x-user-defined", "utf-8"),
    ("no-such-charset", "gb18030"),
    ("", "utf-8"),
)
"""(declared label, actual encoding): every declaration a lie, some labels not even real."""


def lying_charsets(repeat: int) -> list[bytes]:
    """One page per lying label, each ``repeat`` paragraphs long."""
    pages = []
    for label, actual in LYING_LABELS:
        body = f"<p>{PARAGRAPH}</p>" * repeat
        head = f'<meta http-equiv="Content-Type" content="text/html; charset={label}">'
        page = f"<html><head>{head}</head><body>{body}</body></html>"
        pages.append(page.encode(actual, errors="xmlcharrefreplace"))
    return pages


def utf16_without_bom(repeat: int) -> list[bytes]:
    """The same page in UTF-16-LE and UTF-16-BE, no byte-order mark."""
    page = _page(f"<p>{PARAGRAPH}</p>" * repeat)
    return [page.encode("utf-16-le"), page.encode("utf-16-be")]


def truncated_multibyte(repeat: int) -> list[bytes]:
    """Pages in UTF-8, GB18030 and Big5 cut inside a character, at the end and mid-stream."""
    pages = []
    for codec in ("utf-8", "gb18030", "big5hkscs"):
        text = f"<p>{PARAGRAPH}</p>" * repeat
        data = _page(text).encode(codec, errors="replace")
        pages.append(data[:-1])
        lead = "江".encode(codec)[:1]
        middle = len(data) // 2
        pages.append(data[:middle] + lead + data[middle:])  # an orphan lead byte mid-stream
        pages.append(b"".join(chunk[:-1] for chunk in data.split(b"<p>")))  # every <p> cut short
    return pages


def billion_laughs(levels: int) -> bytes:
    """The classic entity-expansion bomb: ``levels`` levels of ten references each."""
    entities = ['<!ENTITY lol0 "lol">']
    entities += [
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, levels + 1)
    ]
    doctype = f"<!DOCTYPE html [{''.join(entities)}]>"
    return f'<?xml version="1.0"?>{doctype}<html><body><p>{PARAGRAPH}</p><p>&lol{levels};</p></body></html>'.encode()


def external_entities(_: int) -> bytes:
    """External entities (file, http, parameter) that must never be fetched or expanded."""
    doctype = (
        '<!DOCTYPE html [<!ENTITY file SYSTEM "file:///etc/passwd">'
        '<!ENTITY web SYSTEM "http://127.0.0.1:9/x"><!ENTITY % p SYSTEM "file:///etc/shadow">%p;]>'
    )
    return f'<?xml version="1.0"?>{doctype}<html><body><p>{PARAGRAPH}</p><p>&file;&web;</p></body></html>'.encode()


def punctuation_runs(size: int) -> str:
    """Long runs of every kind of punctuation and space, each followed by a near-miss letter."""
    marks = "。，、；：？！…—-=_*#~·.|/\\()（）【】[]《》“”\"' \t\u3000\u00a0"
    run = max(size // len(marks), 1)
    lines = [mark * run + "x" for mark in marks]
    return f"{PARAGRAPH}\n" + "\n".join(lines) + f"\n{PARAGRAPH}"


def space_run_in_line(size: int) -> str:
    """A line of ``size`` spaces ending in a letter: quadratic for an unanchored ``\\s+$``."""
    return f"{PARAGRAPH}\n" + " " * size + f"x\n{PARAGRAPH}"


def repeated_nav(count: int) -> str:
    """上一篇 / 下一篇 and other navigation words repeated ``count`` times on one line and many."""
    words = "上一篇下一篇返回顶部打印本页关闭窗口"
    return "上一篇" * count + "\n" + (words + "\n") * (count // 10) + PARAGRAPH


def pinyin_everywhere(count: int) -> str:
    """Every character followed by a pinyin-like bracket, and brackets left open or nested."""
    annotated = "中(zhōng)国(guó)人(rén)民(mín)（gòng）和[hé]国【guó】"
    broken = "(" * 50 + "zhōng" + "（" * 50 + "[" * 20
    return (annotated * count) + "\n" + broken * (count // 20) + "\n" + PARAGRAPH


def licence_near_misses(count: int) -> str:
    """Lines almost but not quite a licence line: ICP without a number, numbers without ICP."""
    near = "京ICP备 粤B2- 京ICP证号 ICP备案号： 湘ICP备1701666 版权所有©"
    return "\n".join([near * 5] * count + ["京ICP备" * count, PARAGRAPH])


# --- bombs inside a WARC (cleaned through the batch reader, not ``clean``) --------------------


def _deflate(parts: list[tuple[bytes, int]]) -> tuple[bytes, int, int]:
    """A raw deflate stream of each ``(data, count)`` part repeated ``count`` times, with the
    CRC-32 and length of what it inflates to. Gigabytes are built in a moment: each part is
    compressed once after a full flush (which resets the history), so its output repeats."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunks = []
    crc = 0
    size = 0
    for data, count in parts:
        chunks.append((compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)) * count)
        crc = _repeated_crc(data, count, crc)
        size += len(data) * count
    return b"".join(chunks) + compressor.flush(), crc, size


@functools.lru_cache
def _repeated_crc(data: bytes, count: int, crc: int) -> int:
    """The CRC-32 of ``data`` repeated ``count`` times after ``crc`` (a bomb builds it thrice)."""
    for _ in range(count):
        crc = zlib.crc32(data, crc)
    return crc


def _gzip(parts: list[tuple[bytes, int]]) -> bytes:
    raw, crc, size = _deflate(parts)
    return b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + raw + struct.pack("<II", crc, size % 2**32)


def _zlib(parts: list[tuple[bytes, int]]) -> bytes:
    raw, _, size = _deflate(parts)
    adler = (size % 65521) << 16 | 1  # every byte is zero: a stays 1, b counts them
    assert all(not any(data) for data, _ in parts)
    return b"\x78\xda" + raw + struct.pack(">I", adler)


def gzip_member(data: bytes) -> bytes:
    """One gzip member holding ``data``."""
    return _gzip([(data, 1)])


def _zeros(size: int) -> list[tuple[bytes, int]]:
    return [(bytes(MB), max(size // MB, 1))]


def warc_head(kind: str, uri: str, length: int, content_type: str) -> bytes:
    """The header of a WARC record whose block is ``length`` bytes of ``content_type``."""
    return (
        f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
        f"WARC-Target-URI: {uri}\r\nWARC-Date: 2024-05-18T09:30:00Z\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


def warc_response(uri: str, body: bytes, headers: str = "") -> bytes:
    """A WARC response record: an HTML page ``body`` behind HTTP headers (``headers`` added)."""
    http = f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n{headers}\r\n".encode()
    block = http + body
    head = warc_head("response", uri, len(block), "application/http; msgtype=response")
    return head + block + b"\r\n\r\n"


def _good_record(number: int) -> bytes:
    return warc_response(f"http://a.cn/{number}", _page(f"<p>{PARAGRAPH}</p>" * 3).encode())


def warc_body_bombs(size: int) -> bytes:
    """A WARC whose HTTP bodies are gzip, deflate and chunked gzip bombs of ``size`` bytes,
    between two good pages: each body is a few kB on disk and must not be inflated whole."""
    chunked = _gzip(_zeros(size))
    chunked = f"{len(chunked):x}\r\n".encode() + chunked + b"\r\n0\r\n\r\n"
    return b"".join(
        [
            _good_record(1),
            warc_response("http://a.cn/gzip", _gzip(_zeros(size)), "Content-Encoding: gzip\r\n"),
            warc_response(
                "http://a.cn/deflate", _zlib(_zeros(size)), "Content-Encoding: deflate\r\n"
            ),
            warc_response(
                "http://a.cn/chunked",
                chunked,
                "Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n",
            ),
            _good_record(2),
        ]
    )


def warc_gz_member_bomb(size: int) -> bytes:
    """A WARC.gz whose middle member is an HTML record that declares, and holds, ``size`` bytes."""
    head = warc_head("resource", "http://a.cn/bomb", size, "text/html")
    bomb = _gzip([(head, 1), *_zeros(size), (b"\r\n\r\n", 1)])
    return gzip_member(_good_record(1)) + bomb + gzip_member(_good_record(2))


def warc_gz_tail_bombs(size: int) -> list[bytes]:
    """Two WARC.gz files whose second member holds a good record then ``size`` more bytes that
    belong to no record: NULs without a newline, and blank lines."""
    files = []
    for filler in (bytes(MB), b"\r\n" * (MB // 2)):
        tail = _gzip([(_good_record(2), 1), (filler, max(size // MB, 1))])
        files.append(gzip_member(_good_record(1)) + tail + gzip_member(_good_record(3)))
    return files


def _zip_bomb(size: int) -> bytes:
    """A zip archive of one file of ``size`` (under 4 GiB) NUL bytes, deflated to a few kB."""
    raw, crc, usize = _deflate(_zeros(size))
    name = b"page.html"
    local = struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(raw), usize, len(name), 0
    )
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII",
        0x02014B50,
        20,
        20,
        0,
        8,
        0,
        0,
        crc,
        len(raw),
        usize,
        len(name),
        0,
        0,
        0,
        0,
        0,
        0,
    )
    directory = central + name
    offset = len(local) + len(name) + len(raw)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(directory), offset, 0)
    return local + name + raw + directory + end


def warc_zip_bomb(size: int) -> bytes:
    """A WARC holding a zip bomb twice, as application/zip (not a page) and mislabelled text/html."""
    archive = _zip_bomb(size)
    http = b"HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\n\r\n" + archive
    typed = warc_head(
        "response", "http://a.cn/a.zip", len(http), "application/http; msgtype=response"
    )
    return b"".join(
        [
            _good_record(1),
            typed + http + b"\r\n\r\n",
            warc_response("http://a.cn/b.zip", archive),
            _good_record(2),
        ]
    )


def _json_line(number: int) -> bytes:
    page = _page(f"<p>{PARAGRAPH}</p>" * 3)
    return json.dumps({"id": f"page{number}", "html": page}, ensure_ascii=False).encode() + b"\n"


def jsonl_gz_bombs(size: int) -> list[bytes]:
    """Two JSONL.gz files whose member holds a good line then ``size`` more bytes: NULs without
    a newline, and blank lines; a good line follows, which the reader must not need to reach."""
    return [
        _gzip([(_json_line(1), 1), (filler, max(size // MB, 1)), (_json_line(2), 1)])
        for filler in (bytes(MB), b"\n" * MB)
    ]


@dataclass(frozen=True)
class Case:
    """One pathological input: how to build it, at which sizes, and what must come out."""

    name: str
    build: Callable[[int], bytes | str | list[bytes]]
    full: int
    """The size named in the reliability issue (bytes, depth, count: see the builder)."""
    small: int
    """The size the default test suite uses; equal to ``full`` when full size is quick."""
    outcome: Outcome
    """``clean`` must return a Result, ``error`` must raise an InputError, ``either`` may."""
    cpu_seconds: int
    """CPU bound at full size (RLIMIT_CPU): ten times the measured CPU time or more, 20 s at least."""
    memory_mb: int
    """Address-space bound at full size (RLIMIT_AS): about four times the measured peak RSS, 1 GB
    at least (the interpreter with lxml and OpenCC maps about 35 MB)."""
    forbidden: str = ""
    """Text that must never reach the output (an expanded entity, a file's contents)."""
    container: str = ""
    """For cases read by the batch readers: the suffix each input is written under and read
    through ``batch.run`` with the default per-page limits (``.warc``, ``.warc.gz``, ``.zip``)."""
    expect: tuple[str, ...] = ()
    """For batch cases, every record's outcome in order: ``clean`` or a piece of its error."""


CASES: tuple[Case, ...] = (
    Case("big-page-50mb", big_page, 50 * MB, 5 * MB, "clean", 120, 2000),
    Case("deep-nesting-100k", deep_nesting, 100_000, 100_000, "error", 20, 1000),
    Case("deep-inline-nesting-100k", deep_inline_nesting, 100_000, 100_000, "either", 20, 1000),
    Case("million-attributes", many_attributes, 1_000_000, 100_000, "clean", 30, 2500),
    Case("million-elements", many_elements, 1_000_000, 100_000, "clean", 150, 2000),
    Case("line-10mb-text", long_line, 10 * MB, 1 * MB, "clean", 20, 1000),
    Case("line-10mb-html", long_line_html, 10 * MB, 1 * MB, "clean", 20, 1000),
    Case("control-bytes", control_bytes, 10 * MB, 1 * MB, "clean", 20, 1000),
    Case("nul-flood", nul_flood, 10 * MB, 1 * MB, "either", 20, 1000),
    Case("lying-charsets", lying_charsets, 2000, 2000, "clean", 20, 1000),
    Case("utf16-without-bom", utf16_without_bom, 20_000, 20_000, "clean", 20, 1000),
    Case("truncated-multibyte", truncated_multibyte, 2000, 2000, "clean", 20, 1000),
    Case("billion-laughs", billion_laughs, 10, 10, "clean", 20, 1000, "lollol"),
    Case("external-entities", external_entities, 1, 1, "clean", 20, 1000, "root:"),
    Case("punctuation-runs", punctuation_runs, 1 * MB, 1 * MB, "clean", 20, 1000),
    Case("space-run-in-line", space_run_in_line, 1 * MB, 1 * MB, "clean", 20, 1000),
    Case("repeated-nav-100k", repeated_nav, 100_000, 100_000, "clean", 20, 1000),
    Case("pinyin-everywhere", pinyin_everywhere, 100_000, 20_000, "clean", 60, 1000),
    Case("licence-near-misses", licence_near_misses, 10_000, 10_000, "clean", 20, 1000),
    Case(
        "warc-body-bombs",
        warc_body_bombs,
        10 * GB,
        1 * GB,
        "either",
        20,
        1000,
        container=".warc",
        expect=(
            "clean",
            "inflates past max_bytes",
            "inflates past max_bytes",
            "inflates past max_bytes",
            "clean",
        ),
    ),
    Case(
        "warc-gz-member-bomb",
        warc_gz_member_bomb,
        10 * GB,
        1 * GB,
        "either",
        20,
        1000,
        container=".warc.gz",
        expect=(
            "clean",
            "exceeds max_bytes",
            "unreadable WARC after 2 records: WarcBombError: gzip members inflate past",
        ),
    ),
    Case(
        "warc-gz-tail-bombs",
        warc_gz_tail_bombs,
        10 * GB,
        1 * GB,
        "either",
        20,
        1000,
        container=".warc.gz",
        expect=(
            "clean",
            "clean",
            "unreadable WARC after 2 records: WarcBombError: a WARC line longer",
            "clean",
            "clean",
            "unreadable WARC after 2 records: WarcBombError: more than 1,024 blank lines",
        ),
    ),
    Case(
        "jsonl-gz-bombs",
        jsonl_gz_bombs,
        10 * GB,
        1 * GB,
        "either",
        20,
        1000,
        container=".jsonl.gz",
        expect=(
            "clean",
            "gzip stream inflates past",
            "clean",
            "more than 1,024 blank lines in a row",
        ),
    ),
    Case(
        "warc-zip-bomb",
        warc_zip_bomb,
        1 * GB,
        1 * GB,
        "either",
        20,
        1000,
        container=".warc",
        expect=("clean", "binary", "clean"),
    ),
    Case(
        "zip-bomb-input",
        _zip_bomb,
        1 * GB,
        1 * GB,
        "either",
        20,
        1000,
        container=".zip",
        expect=("binary",),
    ),
)

CASES_BY_NAME = {case.name: case for case in CASES}


def run(name: str, size: int) -> dict[str, object]:
    """Build case ``name`` at ``size``, clean every input it makes, and summarize the outcomes."""
    from pagetidy import Cleaner, PagetidyError, replay  # noqa: PLC0415 - after the limits

    case = CASES_BY_NAME[name]
    built = case.build(size)
    inputs = built if isinstance(built, list) else [built]
    input_bytes = sum(len(item.encode() if isinstance(item, str) else item) for item in inputs)
    cleaner = Cleaner()
    outcomes: list[str] = []
    chars = 0
    start = time.perf_counter()
    if case.container:
        outcomes = _read_in_batch(case, inputs)
        inputs = []
    for item in inputs:
        try:
            result = cleaner.clean(item)
        except PagetidyError as error:
            outcomes.append(f"{type(error).__name__}: {str(error)[:80]}")
            continue
        if replay(result.raw_text, result.text_edits) != result.text:
            raise AssertionError(f"{name}: replay does not give the text")
        result.text.encode("utf-8")  # no lone surrogates
        if case.forbidden and case.forbidden in result.text:
            raise AssertionError(f"{name}: {case.forbidden!r} reached the output")
        outcomes.append("clean")
        chars += len(result.text)
    return {
        "case": name,
        "size": size,
        "inputs": len(inputs),
        "input_bytes": input_bytes,
        "seconds": round(time.perf_counter() - start, 3),
        "text_chars": chars,
        "outcomes": outcomes,
    }


def _read_in_batch(case: Case, inputs: list[bytes | str]) -> list[str]:
    """Write each input as a file and run the batch over it in this process: each outcome."""
    from pagetidy import batch  # noqa: PLC0415 - after the limits

    outcomes = []
    with tempfile.TemporaryDirectory() as folder, open(os.devnull, "w") as sink:
        for number, item in enumerate(inputs):
            path = Path(folder) / f"input{number}{case.container}"
            path.write_bytes(item if isinstance(item, bytes) else item.encode())
            for outcome in batch.run(
                batch.Options(inputs=[str(path)], format="jsonl"), stdout=sink
            ):
                outcomes.append("clean" if outcome.ok else f"error: {outcome.error}")
    return outcomes


def main(argv: list[str]) -> int:
    """Entry point for one subprocess: ``CASE [SIZE]``, prints one JSON line."""
    case = CASES_BY_NAME[argv[0]]
    size = int(argv[1]) if len(argv) > 1 else case.full
    print(json.dumps(run(case.name, size), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
