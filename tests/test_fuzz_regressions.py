"""Inputs the fuzzer once crashed on: each now cleans (or is refused) with every invariant kept.

Pages for ``fuzz_clean.py`` lie in ``tests/fixtures/fuzz/``; inputs of the reader targets (the
mode byte, then the file) in its ``jsonl/`` and ``warc/`` folders.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzz._harness import check_jsonl_input, check_result, check_warc_input

from pagetidy import Cleaner, Config, PagetidyError
from tests.conftest import FIXTURES

REGRESSIONS = sorted(
    path for path in (FIXTURES / "fuzz").iterdir() if path.is_file() and path.suffix != ".md"
)
READER_REGRESSIONS = sorted((FIXTURES / "fuzz").glob("*/*.bin"))
READER_CHECKS = {"jsonl": check_jsonl_input, "warc": check_warc_input}


@pytest.mark.parametrize("path", REGRESSIONS, ids=lambda path: path.name)
@pytest.mark.parametrize("mode", ["auto", "text", "html"])
def test_fuzz_finding_cleans_with_its_invariants(path: Path, mode: str) -> None:
    try:
        result = Cleaner(Config(input=mode)).clean(path.read_bytes())  # type: ignore[arg-type]
    except PagetidyError:
        return
    check_result(result)


def test_page_declaring_utf32_is_read_as_what_its_bytes_are() -> None:
    result = Cleaner().clean((FIXTURES / "fuzz" / "declared-utf32-truncated-utf8.html").read_bytes())
    assert result.encoding.name == "utf-8"
    assert result.text == "今年以来，江城区集中整治城区内河水环境"


@pytest.mark.parametrize("path", READER_REGRESSIONS, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_reader_fuzz_finding_accounts_for_every_record(path: Path, tmp_path: Path) -> None:
    READER_CHECKS[path.parent.name](path.read_bytes(), tmp_path)


def test_charset_label_with_a_nul_is_ignored_as_unknown() -> None:
    assert Cleaner().clean(b"<p>\xc4\xe3\xba\xc3</p>", http_charset="gbk\x00").text == "你好"


def test_url_that_urlsplit_refuses_gives_no_region_hint() -> None:
    result = Cleaner().clean("<p>為進一步規範行政審批行為。</p>", url="http://]a.cn/31")
    assert result.text == "为进一步规范行政审批行为。"


def test_noncharacters_are_deleted_before_parsing() -> None:
    page = "<p>中文\uffff内容<span hidden>隐藏</span>\ufffe结尾</p>"
    assert Cleaner().clean(page).text == "中文内容结尾"


def test_references_to_refused_characters_are_deleted_before_parsing() -> None:
    page = (
        "<html><head><title>标题&#2;测试</title></head><body><h1>标题测试</h1>"
        "<p>正文<span hidden>隐藏</span>&#2;内容&#xFFFF;，&#21306;&#x4e2d;&#0;&#xD800;。</p></body></html>"
    )
    result = Cleaner().clean(page)
    assert result.text == "标题测试\n正文内容，区中。"
    assert result.title == "标题测试"
