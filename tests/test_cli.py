"""The command line: wiring, exit codes, stdin/stdout, broken pipes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pagetidy import __version__
from pagetidy.cli import main
from pagetidy.rules import REGISTRY
from tests.conftest import PAGES

EXAMPLE = PAGES.parents[2] / "examples" / "news.html"


def run_cli(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "pagetidy", *args], input=stdin, capture_output=True, check=False
    )


def test_stdin_to_stdout() -> None:
    done = run_cli("clean", stdin="<p>你好，世界</p>".encode())
    assert done.returncode == 0
    assert done.stdout.decode("utf-8") == "你好，世界\n"
    assert done.stderr == b""


def test_dash_reads_stdin() -> None:
    done = run_cli("clean", "-", stdin="正文。\n京ICP备12345678号".encode())
    assert done.stdout.decode("utf-8") == "正文。\n"


def test_json_gives_one_object_per_page(capsys: pytest.CaptureFixture[str]) -> None:
    big5 = str(PAGES / "big5_traditional.html")
    assert main(["clean", "--format", "json", str(EXAMPLE), big5]) == 0
    lines = capsys.readouterr().out.splitlines()
    records = [json.loads(line) for line in lines]
    assert [record["input"] for record in records] == [str(EXAMPLE), big5]
    for record in records:
        assert {"text", "title", "metadata", "encoding", "edits"} <= set(record)
    assert records[1]["encoding"]["name"] == "big5hkscs"


def test_gbk_page_declaring_gb2312_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", "--format", "json", str(PAGES / "gbk_declared_gb2312.html")]) == 0
    record = json.loads(capsys.readouterr().out)
    assert "朱镕基" in record["text"] and "喆" in record["text"] and "堃" in record["text"]
    assert record["encoding"]["name"] == "gb18030"
    assert record["encoding"]["source"] == "declared"
    assert "gb18030" in record["encoding"]["note"]


def test_output_file_is_written(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    assert main(["clean", str(EXAMPLE), "-o", str(target)]) == 0
    assert "清河行动" in target.read_text(encoding="utf-8")
    assert [path.name for path in tmp_path.iterdir()] == ["out.txt"]


def test_forced_encoding_and_disabled_rule(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes("正文。\n京ICP备12345678号".encode("gbk"))
    assert main(["clean", "--encoding", "gbk", "--disable", "drop-icp-line", str(page)]) == 0
    assert capsys.readouterr().out == "正文。\n京ICP备12345678号\n"


def test_a_failed_page_is_reported_and_the_others_still_cleaned(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.html"
    assert main(["clean", str(empty), str(missing), str(EXAMPLE)]) == 1
    captured = capsys.readouterr()
    assert "清河行动" in captured.out
    errors = captured.err.strip().splitlines()
    assert len(errors) == 2
    assert "empty.html" in errors[0] and "empty input" in errors[0]
    assert "missing.html" in errors[1]
    assert "Traceback" not in captured.err


def test_binary_input_is_one_line_on_stderr_and_exit_1() -> None:
    done = run_cli("clean", stdin=b"\x89PNG\r\n\x1a\n" + bytes(200))
    assert done.returncode == 1
    assert done.stderr.decode().strip() == "pagetidy: <stdin>: binary input (a PNG image) is not a web page"


def test_unknown_rule_is_a_usage_error_listing_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", "--disable", "drop-everything", str(EXAMPLE)]) == 2
    assert "drop-icp-line" in capsys.readouterr().err


def test_bad_arguments_exit_2() -> None:
    assert main(["clean", "--format", "pdf"]) == 2
    assert main([]) == 2


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"pagetidy {__version__}"


def test_rules_lists_every_rule_in_order(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    names = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert names == [rule.name for rule in REGISTRY]


def test_broken_pipe_exits_quietly(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("\n".join(f"第{n}段正文，内容足够长以填满管道缓冲区。" for n in range(200_000)),
                   encoding="utf-8")
    command = f"{sys.executable} -m pagetidy clean {big} | head -n 1"
    done = subprocess.run(["bash", "-c", f"set -o pipefail; {command}"], capture_output=True,
                          check=False)
    assert done.stdout.decode("utf-8") == "第0段正文，内容足够长以填满管道缓冲区。\n"
    assert done.stderr == b""
