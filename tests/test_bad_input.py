"""Bad input: each case cleans or raises a PagetidyError with a clear message, never anything else.

Time bounds are measured by the benchmarks and the reliability work, not asserted here; these
cases are sized so that a hang or a blow-up would make the suite visibly stall.
"""

from __future__ import annotations

import gzip

import pytest

from pagetidy import Config, InputError, PagetidyError, clean

PARAGRAPH = "<p>今年以来，江城区集中整治城区内河水环境，已清理河道淤泥三万余立方米。</p>"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty input"),
        (b" \n\t ", "empty input"),
        (b"", "empty input"),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF document"),
        (gzip.compress(PARAGRAPH.encode()), "gzip-compressed"),
        (b"PK\x03\x04" + bytes(64), "ZIP archive"),
        (bytes(range(256)) * 16, "binary input"),
    ],
    ids=["empty", "blank", "empty-str", "png", "pdf", "gzip", "zip", "random-binary"],
)
def test_non_pages_raise_input_error_with_a_clear_message(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        clean(data)


def test_empty_str_is_an_input_error() -> None:
    with pytest.raises(InputError, match="empty input"):
        clean("   ")


def test_truncated_html_keeps_what_arrived() -> None:
    page = (
        f"<html><head><title>标题</title></head><body><div>{PARAGRAPH}"
        "<p>区水务局联合各街道建立了巡查机制，每周至少巡河两次，发现问题当天交办、限期"
    )
    assert "每周至少巡河两次，发现问题当天交办、限期" in clean(page.encode("utf-8")).text


def test_truncated_multibyte_sequence_at_the_end_is_replaced_and_counted() -> None:
    data = (f"<html><body>{PARAGRAPH}</body>" + "<p>最后一个字").encode("gbk")[:-1]
    result = clean(data)
    assert result.encoding.name == "gb18030"
    assert result.encoding.replacements == 1
    assert "\ufffd" not in result.text


def test_nul_and_control_bytes_are_not_fatal() -> None:
    data = f"<html><body>{PARAGRAPH}\x00\x01<p>第二\x00段。</p></body></html>".encode()
    assert "第二段。" in clean(data).text


def test_twenty_megabyte_page_is_cleaned() -> None:
    body = PARAGRAPH * (20 * 1024 * 1024 // len(PARAGRAPH.encode()))
    data = f"<html><body><div>{body}</div></body></html>".encode()
    assert len(data) >= 20 * 1024 * 1024 - 1024
    result = clean(data)
    assert result.text.count("三万余立方米") == body.count("三万余立方米")


def test_ten_thousand_levels_of_nesting_is_refused_clearly() -> None:
    page = "<html><body>" + "<div>" * 10_000 + "深处的正文。" + "</div>" * 10_000 + "</body></html>"
    with pytest.raises(InputError, match="too deeply nested"):
        clean(page)


def test_moderate_nesting_keeps_the_text() -> None:
    page = "<html><body>" + "<div>" * 1000 + "深处的正文。" + "</div>" * 1000 + "</body></html>"
    assert clean(page).text == "深处的正文。"


def test_entity_expansion_bomb_is_not_expanded() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        f"<html><body>{PARAGRAPH}<p>&lol3;</p></body></html>"
    )
    result = clean(bomb.encode())
    assert "lollol" not in result.text
    assert "三万余立方米" in result.text


def test_external_entities_are_never_loaded() -> None:
    page = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        f"<html><body>{PARAGRAPH}<p>&x;</p></body></html>"
    )
    assert "root:" not in clean(page.encode()).text


def test_oversized_input_is_refused_before_work() -> None:
    with pytest.raises(InputError, match="exceeds max_bytes"):
        clean(b"<p>" + b"x" * 2000 + b"</p>", Config(max_bytes=1000))


def test_every_error_is_a_pagetidy_error() -> None:
    for data in (b"", b"\x1f\x8b\x08\x00", "<div>" * 5000):
        with pytest.raises(PagetidyError):
            clean(data)
