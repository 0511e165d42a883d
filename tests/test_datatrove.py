"""pagetidy as a datatrove step: WARC bytes in, pagetidy's decoding and cleaning, JSONL out."""

from __future__ import annotations

import base64
import gzip
import importlib.util
import io
import json
import pickle
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

pytest.importorskip("datatrove")
pytest.importorskip("warcio")
pytest.importorskip("orjson")

from datatrove.data import Document, Media, MediaType
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.writers import JsonlWriter
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pagetidy import Cleaner, Config, Encoding, Flag, Metadata, Result
from pagetidy.integrations.datatrove import (
    PagetidyExtractor,
    PagetidyWarcReader,
)
from tests.conftest import PAGES

# GBK bytes with no declaration anywhere and no HTTP charset: only detection can read them.
UNDECLARED_GBK = """<html><head><title>县政府召开防汛工作部署会议</title></head>
<body><div class="nav"><a href="/">首页</a> | <a href="/zwgk/">政务公开</a></div>
<div class="article"><h1>县政府召开防汛工作部署会议</h1>
<p>7月3日上午，县政府召开防汛工作部署会议，副县长王喆出席会议并讲话。</p>
<p>会议要求，各乡镇要压实责任，加强值班值守，确保安全度汛。</p>
<p>会议还通报了近期各地汛情和水库运行情况，部署了下一阶段的隐患排查工作。</p></div>
<div class="footer">主办单位：某某县人民政府办公室 湘ICP备17016663号-1</div>
</body></html>""".encode("gb18030")

# UTF-8 bytes declared in the HTTP header only.
UTF8_FORUM = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>求助：老房子墙面返潮怎么处理？ - 装修论坛</title></head><body>
<div id="post"><h1>求助：老房子墙面返潮怎么处理？</h1>
<p>家里是九十年代的老房子，一楼，每到梅雨季节墙面就返潮起皮，请问各位有什么好办法？</p>
<p>之前刷过两次防水涂料，效果都不明显，是不是要先把墙皮铲掉重新做？</p></div>
<div class="copyright">Copyright © 2008-2024 装修论坛 版权所有 京ICP备09007032号</div>
</body></html>""".encode()

# GBK bytes cut in the middle of a character, as truncated or spliced crawls store them: no strict
# decode succeeds, so a reader that needs one loses the page.
TRUNCATED_GBK = UNDECLARED_GBK.replace("确保安全度汛。".encode("gb18030"), "确保安全度汛".encode("gb18030") + b"\xa1")

PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


def _response(writer: WARCWriter, url: str, payload: bytes, content_type: str | None,
              gzipped: bool = False) -> None:
    headers = [("Content-Length", str(len(payload)))]
    if content_type:
        headers.insert(0, ("Content-Type", content_type))
    if gzipped:
        payload = gzip.compress(payload)
        headers = [("Content-Type", content_type or "text/html"),
                   ("Content-Encoding", "gzip"), ("Content-Length", str(len(payload)))]
    http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
    record = writer.create_warc_record(url, "response", payload=io.BytesIO(payload),
                                       http_headers=http)
    writer.write_record(record)


def _request(writer: WARCWriter, url: str) -> None:
    http = StatusAndHeaders(f"GET {url} HTTP/1.1", [("Host", "example.cn")], is_http_request=True)
    writer.write_record(writer.create_warc_record(url, "request", http_headers=http))


# url -> (payload, HTTP Content-Type, gzip the payload in transit)
PAGES_BY_FILE: dict[str, dict[str, tuple[bytes, str | None, bool]]] = {
    "a.warc.gz": {
        "http://news.example.cn/2004/zhu.html": (
            (PAGES / "gbk_declared_gb2312.html").read_bytes(), "text/html; charset=gb2312", False),
        "http://gov.example.cn/xw/202407/t0703.html": (UNDECLARED_GBK, "text/html", False),
        "http://news.example.cn/mis/1.html": (
            (PAGES / "mislabelled_gbk_as_utf8.html").read_bytes(), "text/html", True),
        "http://gov.example.cn/xw/202407/t0704.html": (TRUNCATED_GBK, "text/html", False),
    },
    "b.warc.gz": {
        "http://bbs.example.cn/thread-1.html": (UTF8_FORUM, "text/html; charset=utf-8", False),
        "http://news.example.cn/mis/2.html": (
            (PAGES / "mislabelled_utf8_as_gb2312.html").read_bytes(), None, False),
        "http://tw.example.com/a/1.html": (
            (PAGES / "big5_traditional.html").read_bytes(), "text/html; charset=big5", False),
    },
}
ALL_PAGES = {url: page for pages in PAGES_BY_FILE.values() for url, page in pages.items()}


@pytest.fixture(scope="module")
def warc_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two WARC.gz files: 7 HTML responses (4 GBK, 1 Big5, 2 UTF-8), requests and images."""
    folder = tmp_path_factory.mktemp("warc")
    for name, pages in PAGES_BY_FILE.items():
        with (folder / name).open("wb") as stream:
            writer = WARCWriter(stream, gzip=True)
            for url, (payload, content_type, gzipped) in pages.items():
                _request(writer, url)
                _response(writer, url, payload, content_type, gzipped)
            _response(writer, "http://img.example.cn/logo.png", PNG, "image/png")
    return folder


def _expected(url: str) -> Result:
    payload, content_type, _ = ALL_PAGES[url]
    charset = content_type.split("charset=")[1] if content_type and "charset=" in content_type else None
    return Cleaner().clean(payload, url=url, http_charset=charset)


def _read_jsonl(folder: Path) -> list[dict]:
    rows = []
    for path in sorted(folder.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            rows.extend(json.loads(line) for line in stream)
    return rows


@pytest.fixture(scope="module")
def pipeline_run(
    warc_folder: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[list[dict], list[dict]]:
    """Run reader -> pagetidy -> JSONL on the local executor with 2 tasks; rows and stats."""
    out = tmp_path_factory.mktemp("out")
    LocalPipelineExecutor(
        pipeline=[
            PagetidyWarcReader(str(warc_folder)),
            PagetidyExtractor(exclusion_writer=JsonlWriter(str(out / "excluded"))),
            JsonlWriter(str(out / "clean")),
        ],
        tasks=2,
        workers=2,
        logging_dir=str(out / "logs"),
    ).run()
    stats = json.loads((out / "logs" / "stats.json").read_text(encoding="utf-8"))
    return _read_jsonl(out / "clean"), stats


def _total(entry: int | dict) -> int:
    """A stats.json metric's total (datatrove writes a bare int when every update added 1)."""
    return entry if isinstance(entry, int) else entry["total"]


def _n(entry: int | dict) -> int:
    """How many updates (here: documents) a stats.json metric had.

    datatrove leaves ``n`` out when there was a single update (it writes total and mean only).
    """
    return entry if isinstance(entry, int) else entry.get("n", 1)


def test_pipeline_every_html_record_comes_through(pipeline_run):
    rows, _ = pipeline_run
    assert sorted(row["metadata"]["url"] for row in rows) == sorted(ALL_PAGES)


def test_pipeline_text_and_metadata_equal_cleaner(pipeline_run):
    rows, _ = pipeline_run
    for row in rows:
        url = row["metadata"]["url"]
        expected = _expected(url)
        meta = row["metadata"]
        assert row["text"] == expected.text, url
        assert meta["title"] == expected.metadata.title, url
        assert meta["source"] == expected.metadata.source, url
        assert meta["published"] == expected.metadata.published, url
        assert meta["author"] == expected.metadata.author, url
        assert meta["editor"] == expected.metadata.editor, url
        assert meta["encoding"] == expected.encoding.name, url
        assert meta["kind"] == expected.kind, url
        assert meta["flags"] == [flag.name for flag in expected.flags], url
        assert "media" not in row or all(m["media_bytes"] is None for m in row["media"]), url


def test_pipeline_gb_pages_decoded_as_gb18030(pipeline_run):
    rows, _ = pipeline_run
    by_url = {row["metadata"]["url"]: row for row in rows}
    assert "朱镕基" in by_url["http://news.example.cn/2004/zhu.html"]["text"]
    assert "王喆" in by_url["http://gov.example.cn/xw/202407/t0703.html"]["text"]
    assert by_url["http://gov.example.cn/xw/202407/t0703.html"]["metadata"]["encoding"] == "gb18030"


def test_pipeline_stats_have_per_rule_counts(pipeline_run):
    _, stats = pipeline_run
    step = next(block for block in stats if block["name"].endswith(PagetidyExtractor.name))["stats"]
    edits: Counter[str] = Counter()
    pages: Counter[str] = Counter()
    for url in ALL_PAGES:
        rules = Counter(edit.rule for edit in _expected(url).edits)
        edits.update(rules)
        pages.update(rules.keys())
    assert edits, "the fixture pages should give some rule work to count"
    for rule, count in edits.items():
        assert _total(step[f"rule/{rule}"]) == count, rule
        assert _n(step[f"rule/{rule}"]) == pages[rule], rule
        assert f"rule_chars/{rule}" in step, rule
    assert _total(step["encoding/gb18030"]) == 4
    assert _total(step["total"]) == _total(step["forwarded"]) == len(ALL_PAGES)


def test_reader_skips_requests_and_images(pipeline_run):
    _, stats = pipeline_run
    reader = next(block for block in stats if block["name"].endswith(PagetidyWarcReader.name))["stats"]
    assert _total(reader["pages"]) == len(ALL_PAGES)
    assert _total(reader["skipped_request"]) == len(ALL_PAGES)
    assert _total(reader["skipped_not_html"]) == 2


def _doc(payload: bytes, url: str = "http://example.cn/1.html", charset: str | None = None) -> Document:
    return Document(
        text="",
        id=url,
        media=[Media(id=url, type=MediaType.DOCUMENT, url=url, media_bytes=payload)],
        metadata={"url": url, "http_charset": charset},
    )


def test_step_cleans_html_text_from_other_readers():
    html = UTF8_FORUM.decode()
    doc = Document(text=html, id="1", metadata={"url": "http://bbs.example.cn/thread-1.html"})
    [out] = PagetidyExtractor().run(iter([doc]))
    assert out.text == Cleaner().clean(html, url="http://bbs.example.cn/thread-1.html").text
    assert out.metadata["encoding"] == "unicode"


def test_step_failed_document_goes_to_exclusion_writer(tmp_path):
    step = PagetidyExtractor(exclusion_writer=JsonlWriter(str(tmp_path)))
    good, bad = _doc(UTF8_FORUM), _doc(PNG, url="http://example.cn/bin")
    kept = list(step.run(iter([good, bad])))
    assert [doc.id for doc in kept] == [good.id]
    [excluded] = _read_jsonl(tmp_path)
    assert excluded["id"] == "http://example.cn/bin"
    assert excluded["metadata"]["filter_reason"] == "failed"
    assert excluded["metadata"]["pagetidy_error"].startswith("InputError")
    assert step.stats["dropped_failed"].total == 1
    assert step.stats["failed_InputError"].total == 1


class _Stuck:
    """A Cleaner stand-in that never finishes a page."""

    def clean(self, page, **_):
        while True:
            time.sleep(0.01)


class _Slow:
    """A Cleaner stand-in that takes a while, then cleans."""

    def clean(self, page, **_):
        time.sleep(0.3)
        return Cleaner().clean(page)


def test_step_time_limit_checked_after_the_fact_outside_main_thread():
    step = PagetidyExtractor(time_limit=0.1)
    step._cleaner = _Slow()
    out: list = []
    worker = threading.Thread(target=lambda: out.extend(step.run(iter([_doc(UTF8_FORUM)]))))
    worker.start()
    worker.join()
    assert out == []
    assert step.stats["dropped_timeout"].total == 1


def test_step_time_limit_interrupts_and_excludes(tmp_path):
    step = PagetidyExtractor(time_limit=0.2, exclusion_writer=JsonlWriter(str(tmp_path)))
    step._cleaner = _Stuck()
    assert list(step.run(iter([_doc(UTF8_FORUM)]))) == []
    [excluded] = _read_jsonl(tmp_path)
    assert excluded["metadata"]["filter_reason"] == "timeout"
    assert step.stats["dropped_timeout"].total == 1


class _Flagging:
    """A Cleaner stand-in whose results carry the given flags."""

    def __init__(self, *names):
        self.flags = tuple(Flag(name, "test") for name in names)

    def clean(self, page, **_):
        return Result("正文", "正文", Metadata(), (), Encoding("utf-8", "caller"), flags=self.flags)


@pytest.mark.parametrize(
    ("flags", "action", "kept", "tags"),
    [
        (("spam-injection",), "keep", True, None),
        (("spam-injection",), "tag", True, ["spam"]),
        (("spam-injection",), "drop", False, None),
        (("mirror-copy",), "tag", True, ["mirror"]),
        (("mirror-copy",), "drop", False, None),
        (("mojibake",), "drop", True, None),
    ],
)
def test_step_flag_actions(flags, action, kept, tags):
    step = PagetidyExtractor(on_spam=action, on_mirror=action)
    step._cleaner = _Flagging(*flags)
    out = list(step.run(iter([_doc(UTF8_FORUM)])))
    assert bool(out) is kept
    if out:
        assert out[0].metadata.get("tags") == tags
        assert out[0].metadata["flags"] == list(flags)


def test_step_dropped_spam_keeps_payload_for_exclusion_writer(tmp_path):
    step = PagetidyExtractor(on_spam="drop", exclusion_writer=JsonlWriter(str(tmp_path), save_media_bytes=True))
    step._cleaner = _Flagging("spam-injection")
    assert list(step.run(iter([_doc(UTF8_FORUM)]))) == []
    [excluded] = _read_jsonl(tmp_path)
    assert excluded["metadata"]["filter_reason"] == "spam"
    assert excluded["text"] == "正文"
    assert base64.b64decode(excluded["media"][0]["media_bytes"]) == UTF8_FORUM


def test_step_spam_flag_names_are_configurable():
    step = PagetidyExtractor(on_spam="drop", spam_flags={"casino-keywords"})
    step._cleaner = _Flagging("casino-keywords")
    assert list(step.run(iter([_doc(UTF8_FORUM)]))) == []
    assert step.stats["dropped_spam"].total == 1


def test_step_rejects_unknown_action():
    with pytest.raises(ValueError, match="on_spam"):
        PagetidyExtractor(on_spam="delete")


def test_step_pickles_without_its_cleaner():
    step = PagetidyExtractor(Config(disable={"drop-icp-line"}))
    assert step.cleaner is not None
    copy = pickle.loads(pickle.dumps(step))
    assert copy._cleaner is None
    assert copy.config == step.config
    assert all(rule.name != "drop-icp-line" for rule in copy.cleaner.text_rules)


EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "datatrove_pipeline.py"


def _example():
    spec = importlib.util.spec_from_file_location("datatrove_pipeline", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_example_runs_locally(warc_folder, tmp_path):
    example = _example()
    assert example.main(["local", str(warc_folder), str(tmp_path), "--tasks", "2"]) == 0
    rows = _read_jsonl(tmp_path / "clean")
    assert sorted(row["metadata"]["url"] for row in rows) == sorted(ALL_PAGES)
    assert (tmp_path / "logs" / "stats.json").exists()


@pytest.mark.parametrize(
    ("kind", "cls"), [("slurm", "SlurmPipelineExecutor"), ("ray", "RayPipelineExecutor")]
)
def test_example_builds_cluster_executors(kind, cls, tmp_path, capsys):
    example = _example()
    argv = [kind, str(tmp_path / "warc"), str(tmp_path / "out"), "--tasks", "8", "--dry-run"]
    assert example.main(argv) == 0
    assert capsys.readouterr().out.startswith(f"{cls}: 8 tasks")


# A long page (about 0.6 s to clean on an idle core): far over a 0.2 s limit, which the small
# pages stay well under even on a loaded machine.
LONG_PAGE = (
    "<html><head><title>防汛简报汇编</title></head><body>"
    + "".join(
        f"<div class='item{i}'><p>第{i}期：各乡镇要压实责任，加强值班值守，确保安全度汛。</p>"
        f"<span>分享到</span></div>"
        for i in range(3000)
    )
    + "</body></html>"
).encode()


def test_pipeline_time_limit_in_pool_workers_excludes_with_bytes(tmp_path):
    warcs = tmp_path / "warc"
    warcs.mkdir()
    for name, pages in {
        "a.warc.gz": [("http://x.example.cn/long-1", LONG_PAGE), ("http://x.example.cn/forum", UTF8_FORUM)],
        "b.warc.gz": [("http://x.example.cn/gov", UNDECLARED_GBK), ("http://x.example.cn/long-2", LONG_PAGE)],
    }.items():
        with (warcs / name).open("wb") as stream:
            writer = WARCWriter(stream, gzip=True)
            for url, payload in pages:
                _response(writer, url, payload, "text/html")
    out = tmp_path / "out"
    LocalPipelineExecutor(
        pipeline=[
            PagetidyWarcReader(str(warcs)),
            PagetidyExtractor(
                time_limit=0.2,
                exclusion_writer=JsonlWriter(str(out / "excluded"), save_media_bytes=True),
            ),
            JsonlWriter(str(out / "clean")),
        ],
        tasks=2,
        workers=2,
        logging_dir=str(out / "logs"),
    ).run()
    clean = _read_jsonl(out / "clean")
    excluded = _read_jsonl(out / "excluded")
    assert sorted(row["metadata"]["url"] for row in clean) == [
        "http://x.example.cn/forum", "http://x.example.cn/gov"]
    assert sorted(row["metadata"]["url"] for row in excluded) == [
        "http://x.example.cn/long-1", "http://x.example.cn/long-2"]
    for row in excluded:
        assert row["metadata"]["filter_reason"] == "timeout"
        assert base64.b64decode(row["media"][0]["media_bytes"]) == LONG_PAGE


def test_reader_reads_wet_conversion_records_as_text(tmp_path):
    text = (PAGES / "wet_record.txt").read_bytes()
    with (tmp_path / "crawl.warc.wet.gz").open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        writer.write_record(writer.create_warc_record(
            "http://wet.example.cn/1.html", "conversion", payload=io.BytesIO(text),
            warc_content_type="text/plain"))
    [doc] = PagetidyWarcReader(str(tmp_path)).read_file("crawl.warc.wet.gz")
    [out] = PagetidyExtractor().run(iter([doc]))
    expected = Cleaner().clean(text, url="http://wet.example.cn/1.html")
    assert out.metadata["kind"] == expected.kind == "text"
    assert out.text == expected.text
