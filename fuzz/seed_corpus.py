"""Assemble a fuzzing seed corpus from the test fixtures into a folder (nothing is committed).

Seeds for ``clean``: the fixture pages, the README example, every input of every rule fixture
file, and a few small hostile pages from ``tests/pathological.py``. Seeds for the readers wrap
small pages the way crawlers store them: JSONL lines (good, broken, odd fields, escapes) and WARC
records (responses plain, gzip, deflate and chunked, resources, non-pages, the small bombs),
each behind the mode byte its target reads first. Run from the repository root:

    python fuzz/seed_corpus.py OUT_DIR [clean|jsonl|warc]
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.pathological import (  # noqa: E402 - needs the path above
    CASES,
    gzip_member,
    warc_head,
    warc_response,
)
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
        if case.container:
            continue  # files for the batch readers: seeds of their own targets
        built = case.build(min(case.small, SEED_SIZE))
        for item in built if isinstance(built, list) else [built]:
            data = item.encode("utf-8", "surrogatepass") if isinstance(item, str) else item
            found.append(data[: 64 * 1024])
    return found


def small_pages() -> list[str]:
    """Short pages for the reader seeds: rule fixture inputs and the fixture pages cut short."""
    found = [case.source for case in all_cases()][::7]
    for path in sorted((ROOT / "tests" / "fixtures" / "pages").glob("*.html")):
        found.append(path.read_bytes()[:1500].decode("utf-8", "ignore"))
    return found


def jsonl_seeds() -> list[bytes]:
    """JSONL files of a few lines each, prefixed by the mode byte (0 plain, 1 gzipped)."""
    pages = small_pages()
    odd_lines = [
        b"",
        b"   ",
        b"not json",
        b"[1, 2]",
        b'{"id": "x"}',
        b'{"id": 7, "html": 42}',
        b'{"html": "\\ud800\\udfff\\u0000<p>\\u6c5f</p>", "url": null}',
        b'{"id": "a", "html": "<p>a</p>", "id": "b"}',
        b'{"html": "<p>\xe6\xb1\x9f</p>", "fields": {"x": [1, {"y": null}]}}',
    ]
    found = []
    for number, page in enumerate(pages):
        row = {"id": f"rec-{number}", "url": f"http://a.cn/{number}", "html": page, "lang": "zh"}
        line = json.dumps(row, ensure_ascii=number % 2 == 0).encode()
        odd = odd_lines[number % len(odd_lines)]
        found.append(bytes([number % 2]) + line + b"\n" + odd + b"\n" + line)
    return found


def warc_seeds() -> list[bytes]:
    """WARC files of a few records each, prefixed by the mode byte of ``fuzz_warc.py``."""
    found = []
    for number, page in enumerate(small_pages()):
        body = page.encode("utf-8")
        gbk = page.encode("gbk", "ignore")
        chunk = gzip.compress(body, mtime=0)
        records = [
            warc_head("warcinfo", "", 16, "application/warc-fields")
            + b"software: fuzz\r\n\r\n\r\n",
            warc_response(f"http://a.cn/{number}", body),
            warc_response("http://a.cn/gz", chunk, "Content-Encoding: gzip\r\n"),
            warc_response("http://a.cn/z", zlib.compress(gbk), "Content-Encoding: deflate\r\n"),
            warc_response(
                "http://a.cn/c",
                f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n0\r\n\r\n",
                "Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n",
            ),
            warc_head("resource", "http://a.cn/r", len(gbk), "text/html; charset=gbk")
            + gbk
            + b"\r\n\r\n",
            warc_head("response", "dns:a.cn", 22, "text/dns") + b"a.cn. 300 IN A 10.0.0.1\r\n\r\n",
        ]
        picked = [records[1], records[2 + number % 5], records[(number + 3) % 7]]
        warc = b"".join(picked)
        found.append(bytes([number % 3]) + warc)
        found.append(b"\x03" + b"".join(gzip_member(record) for record in picked))
    for case in CASES:
        if case.container.startswith(".warc"):
            built = case.build(SEED_SIZE)
            for item in built if isinstance(built, list) else [built]:
                assert isinstance(item, bytes)
                found.append((b"\x03" if case.container == ".warc.gz" else b"\x00") + item)
    return found


TARGETS = {"clean": seeds, "jsonl": jsonl_seeds, "warc": warc_seeds}


def main(argv: list[str]) -> int:
    """Write each seed of target ``argv[1]`` (default clean) into the folder ``argv[0]``."""
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    for data in TARGETS[argv[1] if len(argv) > 1 else "clean"]():
        (out / hashlib.sha1(data).hexdigest()).write_bytes(data)
    print(f"{len(list(out.iterdir()))} seeds in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
