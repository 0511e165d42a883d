"""Batch cleaning: readers, writers, workers, resume, and the ``pagetidy clean`` batch options."""

from __future__ import annotations

import gzip
import io
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from pagetidy import Cleaner, Config, batch
from pagetidy.cli import main

ROOT = Path(__file__).resolve().parents[1]


def page(title: str, body: str) -> str:
    """A small news page in the shape scraped pages have."""
    return (
        f"<html><head><title>{title}</title></head><body>"
        f'<div class="nav"><a href="/">首页</a></div>'
        f'<div class="article"><h1>{title}</h1><p>{body}</p>'
        f"<p>记者从市政府获悉，相关工作将于下月全面展开。</p></div>"
        f'<div class="footer">京ICP备12345678号</div></body></html>'
    )


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# --- folders and single pages ---------------------------------------------------------------


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A crawl folder: pages in subfolders, a name clash, text and files to ignore."""
    root = tmp_path / "site"
    (root / "news").mkdir(parents=True)
    (root / "blog" / "2024").mkdir(parents=True)
    (root / "news" / "a.html").write_bytes(page("江城新闻", "江城区开展清河行动。").encode("gbk"))
    (root / "news" / "b.htm").write_text(page("第二篇", "今天天气很好。"), encoding="utf-8")
    (root / "news" / "b.html").write_text(page("第三篇", "明天有雨。"), encoding="utf-8")
    (root / "blog" / "2024" / "post.shtml").write_text(page("博客", "读书笔记。"), "utf-8")
    (root / "blog" / "notes.txt").write_text("一段已经抽取好的正文。\n", encoding="utf-8")
    (root / "blog" / "style.css").write_text("body { color: red }", encoding="utf-8")
    return root


def test_folder_mirrors_the_tree_as_json(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code = main(["clean", str(site), "-o", str(out), "--format", "json", "-j", "2", "-q"])
    assert code == 0
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == [
        "blog/2024/post.json",
        "blog/notes.json",
        "news/a.json",
        "news/b.htm.json",
        "news/b.html.json",
    ]
    record = json.loads((out / "news" / "a.json").read_text(encoding="utf-8"))
    assert record["id"] == str(site / "news" / "a.html")
    assert record["input"] == str(site / "news" / "a.html")
    assert "江城区开展清河行动。" in record["text"]
    assert "ICP" not in record["text"]
    assert {"published", "author", "edits", "encoding"} <= record.keys()


def test_folder_glob_selects_files_and_text_format_writes_txt(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code = main(["clean", str(site), "--glob", "*.htm*", "-o", str(out), "-j", "1", "-q"])
    assert code == 0
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == ["news/a.txt", "news/b.htm.txt", "news/b.html.txt"]
    assert "明天有雨。" in (out / "news" / "b.html.txt").read_text(encoding="utf-8")


def test_several_inputs_each_mirror_under_their_own_name(site: Path, tmp_path: Path) -> None:
    single = tmp_path / "single.html"
    single.write_text(page("单页", "单独的一页。"), encoding="utf-8")
    out = tmp_path / "out"
    code = main(["clean", str(site / "news"), str(single), "-o", str(out), "-j", "1", "-q"])
    assert code == 0
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == ["news/a.txt", "news/b.htm.txt", "news/b.html.txt", "single.txt"]


def test_output_folder_inside_the_input_is_not_read(site: Path) -> None:
    out = site / "zz-out"
    assert main(["clean", str(site), "-o", str(out), "-j", "1", "-q"]) == 0
    assert main(["clean", str(site), "-o", str(out), "-j", "1", "-q"]) == 0
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == [
        "blog/2024/post.txt",
        "blog/notes.txt",
        "news/a.txt",
        "news/b.htm.txt",
        "news/b.html.txt",
    ]


def test_two_inputs_that_would_share_outputs_are_refused(tmp_path: Path, capsys) -> None:
    for folder in ("one/site", "two/site"):
        (tmp_path / folder).mkdir(parents=True)
    out = tmp_path / "out"
    code = main(["clean", str(tmp_path / "one/site"), str(tmp_path / "two/site"), "-o", str(out)])
    assert code == 2
    assert "would write the same outputs" in capsys.readouterr().err
    assert not out.exists()


def test_single_page_goes_to_stdout(tmp_path: Path, capsys) -> None:
    single = tmp_path / "one.html"
    single.write_text(page("单页", "单独的一页。"), encoding="utf-8")
    assert main(["clean", str(single)]) == 0
    assert "单独的一页。" in capsys.readouterr().out


def test_single_page_to_file_and_failure_writes_nothing(tmp_path: Path, capsys) -> None:
    good, empty = tmp_path / "good.html", tmp_path / "empty.html"
    good.write_text(page("单页", "单独的一页。"), encoding="utf-8")
    empty.write_bytes(b"")
    assert main(["clean", str(good), "-o", str(tmp_path / "good.txt")]) == 0
    assert "单独的一页。" in (tmp_path / "good.txt").read_text(encoding="utf-8")
    assert main(["clean", str(empty), "-o", str(tmp_path / "empty.txt")]) == 1
    assert not (tmp_path / "empty.txt").exists()
    assert capsys.readouterr().err.count("\n") == 1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_stdin_is_read_when_no_input_is_given(monkeypatch, capsys) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(page("标准输入", "来自管道。").encode("gbk")))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main(["clean", "--format", "json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["id"] == "<stdin>"
    assert "来自管道。" in record["text"]


def test_failed_file_in_a_folder_writes_an_error_record(site: Path, tmp_path: Path, capsys) -> None:
    (site / "news" / "broken.html").write_bytes(b"\x00\x01\x02" * 100)
    (site / "news" / "huge.html").write_text(page("大", "很长" * 5000), encoding="utf-8")
    out = tmp_path / "out"
    code = main(["clean", str(site), "-o", str(out), "-j", "2", "--max-bytes", "5000"])
    assert code == 1
    errors = {p.name: json.loads(p.read_text("utf-8")) for p in out.rglob("*.error.json")}
    assert sorted(errors) == ["broken.error.json", "huge.error.json"]
    assert errors["huge.error.json"]["input"] == str(site / "news" / "huge.html")
    assert "max_bytes=5,000" in errors["huge.error.json"]["error"]
    err = capsys.readouterr().err
    assert err.count("\n") == 2
    assert "huge.html" in err


# --- JSONL ------------------------------------------------------------------------------------


def write_jsonl(path: Path, count: int, broken: dict[int, str] | None = None) -> None:
    """``count`` crawler records with a page each; ``broken`` replaces some lines."""
    broken = broken or {}
    with path.open("w", encoding="utf-8") as handle:
        for number in range(count):
            if number in broken:
                handle.write(broken[number] + "\n")
                continue
            row = {
                "id": f"rec-{number}",
                "url": f"http://news.example.cn/{number}.html",
                "crawl_date": "2024-05-18",
                "html": page(f"第{number}条", f"第{number}条新闻正文，内容充实。"),
            }
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def test_jsonl_of_ten_thousand_records_gives_ten_thousand_in_order(tmp_path: Path, capsys) -> None:
    source = tmp_path / "crawl.jsonl"
    broken = {
        17: "{not json",
        4242: '["a", "list"]',
        7000: '{"id": "no-html", "url": "http://x.cn/"}',
        9999: '{"id": "empty", "html": ""}',
    }
    write_jsonl(source, 10_000, broken)
    out = tmp_path / "clean.jsonl"
    code = main(["clean", str(source), "--format", "jsonl", "-o", str(out), "-j", "2"])
    assert code == 1
    rows = read_jsonl(out)
    assert len(rows) == 10_000
    failed = [number for number, row in enumerate(rows) if "error" in row]
    assert failed == sorted(broken)
    assert rows[17]["id"] == f"{source}:18"
    assert rows[7000]["id"] == "no-html"
    assert rows[9999]["error"].startswith("empty input")
    assert rows[5]["id"] == "rec-5"
    assert rows[5]["url"] == "http://news.example.cn/5.html"
    assert rows[5]["fields"] == {"crawl_date": "2024-05-18"}
    assert "第5条新闻正文" in rows[5]["text"]
    assert all(row["input"] == str(source) for row in rows)
    assert capsys.readouterr().err.count("\n") == len(broken)
    assert not out.with_name("clean.jsonl.part").exists()


def test_jsonl_custom_field_names_and_stdout(tmp_path: Path, capsys) -> None:
    source = tmp_path / "crawl.jsonl"
    rows = [{"key": "k1", "link": "http://a.cn/1", "body": page("甲", "甲的正文。")}]
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    args = ["--html-field", "body", "--url-field", "link", "--id-field", "key"]
    assert main(["clean", str(source), "--format", "jsonl", *args]) == 0
    record = json.loads(capsys.readouterr().out)
    assert (record["id"], record["url"]) == ("k1", "http://a.cn/1")
    assert "甲的正文。" in record["text"]
    assert "fields" not in record


def test_jsonl_into_a_mirrored_folder_writes_one_file_per_record(tmp_path: Path) -> None:
    source = tmp_path / "crawl.jsonl"
    write_jsonl(source, 3)
    out = tmp_path / "out"
    assert main(["clean", str(source), "-o", str(out), "--format", "json", "-j", "1"]) == 0
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json"))
    assert names == [f"crawl.jsonl/{n:06d}.json" for n in range(3)]


# --- WARC -------------------------------------------------------------------------------------


def warc_record(kind: str, uri: str, block: bytes, content_type: str) -> bytes:
    head = (
        f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
        f"WARC-Target-URI: {uri}\r\nWARC-Date: 2024-05-18T09:30:00Z\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {len(block)}\r\n\r\n"
    )
    return head.encode() + block + b"\r\n\r\n"


def http_response(body: bytes, content_type: str) -> bytes:
    head = f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}"
    return head.encode() + b"\r\n\r\n" + body


HTTP = "application/http; msgtype=response"


def test_warc_gz_html_responses_in_and_broken_ones_fail(tmp_path: Path, capsys) -> None:
    # A GBK page that declares no charset: only the HTTP header says how to read it.
    gbk_page = page("江城新闻", "江城区开展清河行动，治理河道十二公里。").encode("gbk")
    records = [
        warc_record("warcinfo", "", b"software: test-crawler\r\n", "application/warc-fields"),
        warc_record(
            "request",
            "http://a.cn/1",
            b"GET /1 HTTP/1.1\r\nHost: a.cn\r\n\r\n",
            "application/http; msgtype=request",
        ),
        warc_record(
            "response", "http://a.cn/1", http_response(gbk_page, "text/html; charset=GBK"), HTTP
        ),
        warc_record(
            "response",
            "http://a.cn/logo.png",
            http_response(b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png"),
            HTTP,
        ),
        warc_record("response", "http://a.cn/broken", b"not an http response\x00\x01", HTTP),
        warc_record("response", "http://a.cn/empty", http_response(b"", "text/html"), HTTP),
        warc_record(
            "response",
            "http://a.cn/untyped",
            b"HTTP/1.1 200 OK\r\n\r\n" + page("无类型", "没有类型的页面。").encode(),
            HTTP,
        ),
        warc_record("response", "http://a.cn/data", b"HTTP/1.1 200 OK\r\n\r\n" + bytes(200), HTTP),
        warc_record(
            "response", "dns:a.cn", b"20240518093000\na.cn. 300 IN A 10.0.0.1\n", "text/dns"
        ),
        warc_record(
            "resource",
            "http://a.cn/saved",
            page("存档", "浏览器保存的页面。").encode(),
            "text/html; charset=utf-8",
        ),
        warc_record(
            "response",
            "http://a.cn/2",
            http_response(page("第二篇", "今天天气很好。").encode(), "text/html"),
            HTTP,
        ),
    ]
    source = tmp_path / "crawl.warc.gz"
    source.write_bytes(b"".join(gzip.compress(record) for record in records))
    out = tmp_path / "clean.jsonl"
    code = main(["clean", str(source), "--format", "jsonl", "-o", str(out), "-j", "2"])
    assert code == 1
    rows = read_jsonl(out)
    assert [row["url"] for row in rows] == [
        "http://a.cn/1",
        "http://a.cn/broken",
        "http://a.cn/empty",
        "http://a.cn/untyped",
        "http://a.cn/saved",
        "http://a.cn/2",
    ]
    assert ["error" in row for row in rows] == [False, True, True, False, False, False]
    assert "江城区开展清河行动" in rows[0]["text"]
    assert rows[0]["encoding"]["name"] == "gb18030"
    assert rows[0]["id"].startswith("<urn:uuid:")
    assert rows[0]["metadata"]["url"] == "http://a.cn/1"
    assert capsys.readouterr().err.count("\n") == 2


def test_warc_broken_mid_stream_fails_the_rest_of_the_file(tmp_path: Path) -> None:
    good = warc_record(
        "response",
        "http://a.cn/1",
        http_response(page("甲", "甲的正文。").encode(), "text/html"),
        HTTP,
    )
    member = gzip.compress(good)
    source = tmp_path / "cut.warc.gz"
    source.write_bytes(member + member[:100] + member)
    outcomes = list(
        batch.run(batch.Options(inputs=[str(source)], format="jsonl"), Config(), io.StringIO())
    )
    assert [outcome.ok for outcome in outcomes] == [True, False]
    assert "unreadable WARC after 1 records" in (outcomes[1].error or "")


def test_warc_record_cut_short_at_the_end_fails(tmp_path: Path) -> None:
    good = warc_record(
        "response",
        "http://a.cn/1",
        http_response(page("甲", "甲的正文。").encode(), "text/html"),
        HTTP,
    )
    source = tmp_path / "cut.warc"
    source.write_bytes(good + good[:-60])
    outcomes = list(
        batch.run(batch.Options(inputs=[str(source)], format="jsonl"), Config(), io.StringIO())
    )
    assert [outcome.ok for outcome in outcomes] == [True, False]
    assert (outcomes[1].error or "").startswith("truncated record")


# --- workers ----------------------------------------------------------------------------------


class TroubleCleaner(Cleaner):
    """A Cleaner that crashes its process on CRASH and hangs on HANG, like a bad native bug."""

    def clean(self, page, *, url=None, http_charset=None):
        text = page.decode() if isinstance(page, bytes) else page
        if "CRASH" in text:
            os._exit(3)
        if "HANG" in text:
            time.sleep(60)
        return super().clean(page, url=url, http_charset=http_charset)


def test_crash_and_timeout_cost_one_record_each_and_order_holds() -> None:
    pages = [page(f"第{n}篇", f"正文{n}。") for n in range(12)]
    pages[3] = "<p>CRASH</p>"
    pages[8] = "<p>HANG</p>"
    outcomes = list(batch.clean_many(pages, workers=2, timeout=2, cleaner_factory=TroubleCleaner))
    assert [outcome.record.id for outcome in outcomes] == [str(n) for n in range(12)]
    failed = {int(o.record.id): o.error for o in outcomes if not o.ok}
    assert failed == {3: "worker crashed (exit code 3)", 8: "timed out after 2 s"}
    assert "正文11。" in outcomes[11].result.text


def test_clean_many_in_process_keeps_results() -> None:
    outcomes = list(batch.clean_many([b"<p>\xc4\xe3\xba\xc3</p>", "纯文本。", b""]))
    assert outcomes[0].result is not None
    assert outcomes[1].result.text == "纯文本。"
    assert outcomes[2].error is not None


# --- resume -----------------------------------------------------------------------------------


def test_resume_after_sigkill_ends_with_every_record_once(tmp_path: Path) -> None:
    source = tmp_path / "crawl.jsonl"
    total = 4000
    write_jsonl(source, total)
    out = tmp_path / "clean.jsonl"
    part = tmp_path / "clean.jsonl.part"
    command = [
        sys.executable,
        "-m",
        "pagetidy",
        "clean",
        str(source),
        "--format",
        "jsonl",
        "-o",
        str(out),
        "-j",
        "2",
        "-q",
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if part.exists() and part.stat().st_size > 0 and part.read_bytes().count(b"\n") > 300:
            break
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert not out.exists(), "the run finished before it could be killed"
    kept = part.read_bytes().count(b"\n")
    assert 0 < kept < total
    rerun = subprocess.run([*command, "--resume"], env=env, check=False)
    assert rerun.returncode == 0
    ids = [row["id"] for row in read_jsonl(out)]
    assert ids == [f"rec-{n}" for n in range(total)]


@pytest.mark.parametrize(
    ("signum", "group", "code"),
    [(signal.SIGINT, False, 130), (signal.SIGTERM, False, 143), (signal.SIGTERM, True, 143)],
    ids=["sigint", "sigterm", "sigterm-to-the-group"],
)
def test_stop_signal_exits_128_plus_its_number_and_the_run_resumes(
    tmp_path: Path, signum: int, group: bool, code: int
) -> None:
    # Ctrl-C and SIGTERM (kill; systemd sends it to every process, workers included) stop alike:
    # outputs so far whole, no record failed by the stop, none written twice after --resume.
    source = tmp_path / "crawl.jsonl"
    total = 4000
    write_jsonl(source, total)
    out = tmp_path / "clean.jsonl"
    part = tmp_path / "clean.jsonl.part"
    command = [sys.executable, "-m", "pagetidy", "clean", str(source), "--format", "jsonl"]
    command += ["-o", str(out), "-j", "2"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, start_new_session=group)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if part.exists() and part.read_bytes().count(b"\n") > 300:
            break
        time.sleep(0.01)
    if group:
        os.killpg(process.pid, signum)
    else:
        process.send_signal(signum)
    _, err = process.communicate(timeout=60)
    assert process.returncode == code
    assert err == b""
    assert not out.exists()
    assert subprocess.run([*command, "--resume"], env=env, check=False).returncode == 0
    rows = read_jsonl(out)
    assert [row["id"] for row in rows] == [f"rec-{n}" for n in range(total)]
    assert not [row for row in rows if "error" in row]


def test_closed_stdout_ends_the_run_quietly(tmp_path: Path) -> None:
    source = tmp_path / "crawl.jsonl"
    write_jsonl(source, 2000)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "pagetidy", "clean", str(source), "--format", "jsonl"]
    process = subprocess.Popen(
        [*command, "-j", "2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    process.stdout.close()
    _, err = process.communicate(timeout=60)
    assert json.loads(first)["id"] == "rec-0"
    assert process.returncode == 0
    assert err == b""


def test_resume_cuts_a_partial_last_line(tmp_path: Path) -> None:
    source = tmp_path / "crawl.jsonl"
    write_jsonl(source, 6)
    out = tmp_path / "clean.jsonl"
    assert main(["clean", str(source), "--format", "jsonl", "-o", str(out), "-j", "1"]) == 0
    lines = out.read_bytes().splitlines(keepends=True)
    out.unlink()
    out.with_name("clean.jsonl.part").write_bytes(b"".join(lines[:3]) + lines[3][:25])
    assert main(["clean", str(source), "--format", "jsonl", "-o", str(out), "--resume"]) == 0
    assert out.read_bytes() == b"".join(lines)


def test_resume_of_a_complete_file_adds_nothing(tmp_path: Path) -> None:
    source = tmp_path / "crawl.jsonl"
    write_jsonl(source, 5)
    out = tmp_path / "clean.jsonl"
    assert main(["clean", str(source), "--format", "jsonl", "-o", str(out), "-j", "1"]) == 0
    before = out.read_bytes()
    assert main(["clean", str(source), "--format", "jsonl", "-o", str(out), "--resume"]) == 0
    assert out.read_bytes() == before
    assert not out.with_name("clean.jsonl.part").exists()


def test_resume_refuses_a_part_file_from_other_inputs(tmp_path: Path, capsys) -> None:
    source = tmp_path / "crawl.jsonl"
    write_jsonl(source, 4)
    out = tmp_path / "clean.jsonl"
    out.with_name("clean.jsonl.part").write_text('{"id": "other", "input": "x"}\n', "utf-8")
    assert main(["clean", str(source), "--format", "jsonl", "-o", str(out), "--resume"]) == 2
    assert "the inputs changed" in capsys.readouterr().err


def test_resume_into_a_folder_writes_only_missing_outputs(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["clean", str(site), "-o", str(out), "--format", "json", "-j", "1"]) == 0
    kept = out / "news" / "a.json"
    kept.write_text('{"text": "marker"}', encoding="utf-8")
    (out / "blog" / "notes.json").unlink()
    (out / "blog" / ".post.json.tmp").write_text("half a fi", encoding="utf-8")
    assert main(["clean", str(site), "-o", str(out), "--format", "json", "--resume"]) == 0
    assert kept.read_text(encoding="utf-8") == '{"text": "marker"}'
    assert "一段已经抽取好的正文" in (out / "blog" / "notes.json").read_text(encoding="utf-8")


def test_resume_needs_an_output(tmp_path: Path, capsys) -> None:
    assert main(["clean", str(tmp_path), "--resume"]) == 2
    assert "--resume needs -o" in capsys.readouterr().err


# --- progress ---------------------------------------------------------------------------------


class Terminal(io.StringIO):
    """A StringIO that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_progress_bar_shows_speed_and_errors_on_a_terminal() -> None:
    stream = Terminal()
    with batch.ProgressBar(stream, total=2) as progress:
        progress.advance(batch.Outcome(batch.Record("a", "x")))
        progress.warn("pagetidy: b: broken")
        progress.advance(batch.Outcome(batch.Record("b", "x"), error="broken"))
    shown = stream.getvalue()
    assert "2/2" in shown
    assert "1 errors" in shown
    assert "pagetidy: b: broken" in shown


def test_progress_bar_is_silent_on_a_pipe_and_when_quiet() -> None:
    pipe, quiet = io.StringIO(), Terminal()
    for stream, enabled in ((pipe, True), (quiet, False)):
        with batch.ProgressBar(stream, total=1, enabled=enabled) as progress:
            progress.advance(batch.Outcome(batch.Record("a", "x")))
    assert pipe.getvalue() == ""
    assert quiet.getvalue() == ""
