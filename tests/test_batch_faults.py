"""Faults in batch runs and hostile WARC payloads: every record accounted for, nothing lost.

A full disk is a file-size limit (RLIMIT_FSIZE, with SIGXFSZ ignored so a write fails with
EFBIG the way it fails with ENOSPC). Stop signals are tested in ``test_batch.py`` next to SIGKILL.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from pagetidy import batch
from pagetidy.cli import main as cli_main
from tests.test_batch import HTTP, http_response, page, read_jsonl, warc_record, write_jsonl

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def small_disk(size: int):
    """A preexec_fn: files this process writes may grow to ``size`` bytes, then writes fail."""

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


def clean_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "pagetidy", "clean", *args, "-j", "2", "-q"]


# --- a full disk ------------------------------------------------------------------------------


def test_full_disk_stops_the_jsonl_run_and_resume_completes_it(tmp_path: Path) -> None:
    source = tmp_path / "crawl.jsonl"
    total = 1000
    write_jsonl(source, total)
    out = tmp_path / "clean.jsonl"
    command = clean_command(str(source), "--format", "jsonl", "-o", str(out))
    full = subprocess.run(
        command, env=ENV, capture_output=True, preexec_fn=small_disk(64 * 1024), check=False
    )
    assert full.returncode == 1
    assert full.stderr.decode().splitlines() == [
        f"pagetidy: [Errno 27] File too large: '{out}.part'"
    ]
    assert not out.exists(), "a stopped run must not leave a file that looks complete"
    part = (tmp_path / "clean.jsonl.part").read_bytes()
    assert 0 < part.count(b"\n") < total
    rerun = subprocess.run([*command, "--resume"], env=ENV, capture_output=True, check=False)
    assert rerun.returncode == 0, rerun.stderr
    rows = read_jsonl(out)
    assert [row["id"] for row in rows] == [f"rec-{n}" for n in range(total)]
    assert not [row for row in rows if "error" in row]


def test_full_disk_stops_the_mirrored_run_without_half_files(tmp_path: Path) -> None:
    # Each record has its own file: the limit (8 KiB) hits the one page whose JSON outgrows it
    # (about 12 KiB; the others take about 1 KiB).
    pages = tmp_path / "pages"
    pages.mkdir()
    for number in range(40):
        body = "江城区开展清河行动，治理河道十二公里。" * (200 if number == 25 else 3)
        (pages / f"{number:02d}.html").write_text(page(f"第{number}篇", body), encoding="utf-8")
    out = tmp_path / "out"
    command = clean_command(str(pages), "--format", "json", "-o", str(out))
    full = subprocess.run(
        command, env=ENV, capture_output=True, preexec_fn=small_disk(8 * 1024), check=False
    )
    assert full.returncode == 1
    assert "File too large" in full.stderr.decode()
    assert "25.json" in full.stderr.decode()
    written = sorted(path.name for path in out.iterdir())
    assert written == [f"{number:02d}.json" for number in range(25)], "no .tmp file, no half file"
    for path in out.iterdir():
        assert json.loads(path.read_text(encoding="utf-8"))["text"]
    rerun = subprocess.run([*command, "--resume"], env=ENV, capture_output=True, check=False)
    assert rerun.returncode == 0, rerun.stderr
    assert sorted(path.name for path in out.iterdir()) == [f"{n:02d}.json" for n in range(40)]


# --- WARC payloads ----------------------------------------------------------------------------

PAGE = page("江城新闻", "江城区开展清河行动，治理河道十二公里。").encode()


def response(uri: str, body: bytes, *headers: str) -> bytes:
    """A WARC response record whose HTTP header carries ``headers`` besides the type."""
    http = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
    http += "".join(f"{header}\r\n" for header in headers)
    return warc_record("response", uri, http.encode() + b"\r\n" + body, HTTP)


def read(tmp_path: Path, data: bytes, max_bytes: int, name: str = "crawl.warc") -> list:
    path = tmp_path / name
    path.write_bytes(data)
    return list(batch.read_warc(path, "crawl", max_bytes))


def raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def chunked(data: bytes) -> bytes:
    return b"".join(
        f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
        for piece in (data[:100], data[100:])
    ) + b"0\r\n\r\n"


def test_encoded_bodies_are_inflated_as_servers_send_them(tmp_path: Path) -> None:
    records = read(
        tmp_path,
        b"".join(
            [
                response("http://a.cn/gzip", gzip.compress(PAGE), "Content-Encoding: gzip"),
                response("http://a.cn/zlib", zlib.compress(PAGE), "Content-Encoding: deflate"),
                response("http://a.cn/raw", raw_deflate(PAGE), "Content-Encoding: deflate"),
                response("http://a.cn/plain", PAGE, "Content-Encoding: gzip"),  # mislabelled
                response(
                    "http://a.cn/chunked",
                    chunked(gzip.compress(PAGE)),
                    "Content-Encoding: gzip",
                    "Transfer-Encoding: chunked",
                ),
            ]
        ),
        max_bytes=len(PAGE) + 200,  # the HTTP header counts in a record's length
    )
    assert [record.data for record in records] == [PAGE] * 5
    assert [record.error for record in records] == [None] * 5


def test_gzip_body_that_breaks_keeps_what_inflated_before(tmp_path: Path) -> None:
    # Paragraphs with hex digests compress about 2:1, so the stream spans several 16 kB steps.
    body = "".join(f"第{n}段，编号{hashlib.sha256(bytes(n)).hexdigest()}。" for n in range(2000))
    long_page = page("江城新闻", body).encode()
    compressed = gzip.compress(long_page)
    bad_checksum = compressed[:-8] + bytes(8)  # zlib raises in the last step, losing its output
    cut = compressed[: len(compressed) // 2]
    records = read(
        tmp_path,
        response("http://a.cn/1", bad_checksum, "Content-Encoding: gzip")
        + response("http://a.cn/2", cut, "Content-Encoding: gzip"),
        max_bytes=10**6,
    )
    assert [record.error for record in records] == [None, None]
    for record in records:  # what inflated before the step that broke, not the bytes as sent
        assert len(long_page) // 3 < len(record.data) < len(long_page)
        assert long_page.startswith(record.data)


def test_body_inflating_past_max_bytes_fails_alone(tmp_path: Path) -> None:
    bomb = gzip.compress(bytes(5_000_000))
    records = read(
        tmp_path,
        response("http://a.cn/1", PAGE)
        + response("http://a.cn/bomb", bomb, "Content-Encoding: gzip")
        + response("http://a.cn/bomb", chunked(bomb), "Content-Encoding: gzip", "Transfer-Encoding: chunked")
        + response("http://a.cn/2", PAGE),
        max_bytes=100_000,
    )
    assert [record.data for record in records] == [PAGE, None, None, PAGE]
    assert records[1].error == (
        f"body of {len(bomb):,} bytes inflates past max_bytes=100,000 "
        "(Content-Encoding: gzip); not inflated further"
    )
    assert records[2].error.startswith(f"body of {len(bomb):,} bytes inflates past")


def test_warc_gz_member_bomb_ends_the_file_with_one_error_record(tmp_path: Path) -> None:
    # 50 MB of NULs in 50 kB: the first 16 kB read inflate to 16 MB, past 100 kB + 100 x 16 kB.
    bomb = gzip.compress(warc_record("resource", "http://a.cn/bomb", bytes(50_000_000), "text/html"))
    good = gzip.compress(response("http://a.cn/1", PAGE))
    records = read(tmp_path, good + bomb + good, max_bytes=100_000, name="crawl.warc.gz")
    assert [record.data for record in records] == [PAGE, None]
    assert records[1].error.startswith(
        "unreadable WARC after 1 records: WarcBombError: gzip members inflate past 16,"
    )
    assert records[1].error.endswith("(a gzip bomb); the rest of the file is not read")
    assert [record.path for record in records] == ["crawl/000000", "crawl/000001"]


def test_large_incompressible_record_is_no_bomb(tmp_path: Path) -> None:
    # A video or image far over max_bytes inflates at about 1:1: the file is read on.
    video = os.urandom(1_000_000)
    media = warc_record(
        "response", "http://a.cn/v.mp4", http_response(video, "video/mp4"), HTTP
    )
    good = gzip.compress(response("http://a.cn/1", PAGE))
    records = read(
        tmp_path, good + gzip.compress(media) + good, max_bytes=10_000, name="crawl.warc.gz"
    )
    assert [record.data for record in records] == [PAGE, PAGE]


@pytest.mark.parametrize(
    ("filler", "error"),
    [
        # Base64 compresses little: the line bound, not the inflation bound, stops it.
        (base64.b64encode(os.urandom(1_600_000)), "a WARC line longer than 1,048,576 bytes"),
        (b"\r\n" * 100_000, "more than 1,024 blank lines between records"),
    ],
    ids=["long-line", "blank-lines"],
)
def test_member_tail_that_belongs_to_no_record_ends_the_file(
    tmp_path: Path, filler: bytes, error: str
) -> None:
    good = gzip.compress(response("http://a.cn/1", PAGE))
    tail = gzip.compress(response("http://a.cn/2", PAGE) + filler)
    records = read(tmp_path, good + tail + good, max_bytes=100_000, name="crawl.warc.gz")
    assert [record.data for record in records] == [PAGE, PAGE, None]
    assert records[2].error == f"unreadable WARC after 2 records: WarcBombError: {error}"


def test_lone_surrogate_escapes_in_jsonl_fields_pass_through_escaped(tmp_path: Path) -> None:
    # json.loads turns "\ud800" into a lone surrogate, which UTF-8 cannot encode: it stays escaped.
    source = tmp_path / "crawl.jsonl"
    source.write_bytes(
        b'{"id": "rec-\\udc00", "url": "http://a.cn/\\ud800", "html": "<p>\\u6c5f\\u57ce</p>", '
        b'"note": "\\udfff"}\n'
    )
    out = tmp_path / "clean.jsonl"
    assert cli_main(["clean", str(source), "--format", "jsonl", "-o", str(out), "-j", "1"]) == 0
    assert b"\\udc00" in out.read_bytes()
    [row] = read_jsonl(out)
    assert (row["id"], row["url"], row["fields"]) == ("rec-\udc00", "http://a.cn/\ud800", {"note": "\udfff"})
    assert row["text"] == "江城"
