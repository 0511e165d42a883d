"""Decoding bytes: BOM, caller charset, declarations, detection, and the reason recorded."""

from __future__ import annotations

import codecs

import pytest

from pagetidy import DecodeError, InputError, clean
from pagetidy.decode import declared_charset, decode, normalize_label
from tests.conftest import PAGES

ARTICLE = "<html><body><p>朱镕基同志说，要把减轻农民负担的政策落到实处。张喆和王堃参加了座谈。</p></body></html>"


def test_gbk_page_declaring_gb2312_is_read_as_gb18030_with_gbk_only_characters() -> None:
    result = clean((PAGES / "gbk_declared_gb2312.html").read_bytes())
    assert "朱镕基" in result.text
    assert "张喆" in result.text
    assert "王堃" in result.text
    assert result.encoding.name == "gb18030"
    assert result.encoding.source == "declared"
    assert result.encoding.declared == "gb2312"
    assert "gb18030" in result.encoding.note
    assert result.encoding.replacements == 0


def test_gbk_bytes_declaring_utf8_are_detected_as_gb18030() -> None:
    result = clean((PAGES / "mislabelled_gbk_as_utf8.html").read_bytes())
    assert "重阳节敬老活动" in result.text
    assert result.encoding.name == "gb18030"
    assert result.encoding.source == "detected"
    assert result.encoding.declared == "utf-8"


def test_utf8_bytes_declaring_gb2312_are_read_as_utf8() -> None:
    result = clean((PAGES / "mislabelled_utf8_as_gb2312.html").read_bytes())
    assert "市图书馆自下月起" in result.text
    assert result.encoding.name == "utf-8"
    assert result.encoding.source == "detected"


def test_big5_page_is_read_as_big5_hkscs() -> None:
    result = clean((PAGES / "big5_traditional.html").read_bytes())
    assert "臺北市政府今日宣布" in result.raw_text
    assert result.encoding.name == "big5hkscs"
    assert result.encoding.source == "declared"


def test_utf8_bom_wins_over_a_wrong_declaration() -> None:
    data = codecs.BOM_UTF8 + ARTICLE.replace("<html>", '<html><meta charset="gbk">').encode("utf-8")
    decoded = decode(data)
    assert decoded.encoding.source == "bom"
    assert "朱镕基" in decoded.text


def test_utf16_without_bom_is_recognized() -> None:
    decoded = decode(ARTICLE.encode("utf-16-le"))
    assert decoded.encoding.name == "utf-16-le"
    assert "朱镕基" in decoded.text


def test_a_tiny_utf16_page_without_bom_is_recognized() -> None:
    decoded = decode("<p>你好</p>".encode("utf-16-be"))
    assert (decoded.encoding.name, decoded.text) == ("utf-16-be", "<p>你好</p>")


@pytest.mark.parametrize("data", [b"<p>hi</p>\x00", "\x00<p>你好</p>".encode()])
def test_a_stray_nul_in_a_short_page_is_no_utf16(data: bytes) -> None:
    # One NUL fell on one parity: it used to decode as UTF-16 into 瀼栾㱩瀯 mojibake.
    with pytest.raises(InputError, match="binary input"):
        decode(data)


def test_http_charset_from_the_caller_is_used_when_it_decodes() -> None:
    decoded = decode(ARTICLE.encode("gbk"), http_charset="GBK")
    assert decoded.encoding.source == "caller"
    assert decoded.encoding.name == "gb18030"
    assert "张喆" in decoded.text


def test_a_lying_http_charset_falls_through_to_detection() -> None:
    decoded = decode(ARTICLE.encode("gbk"), http_charset="utf-8")
    assert decoded.encoding.name == "gb18030"
    assert decoded.encoding.source == "detected"


def test_undeclared_gbk_is_detected() -> None:
    decoded = decode(ARTICLE.encode("gbk"))
    assert decoded.encoding.name == "gb18030"
    assert "朱镕基" in decoded.text


def test_forced_encoding_is_used_even_when_wrong_and_replacements_are_counted() -> None:
    decoded = decode("<p>中文</p>".encode("gbk"), forced="utf-8")
    assert decoded.encoding.source == "caller"
    assert decoded.encoding.replacements > 0


def test_broken_bytes_are_replaced_and_counted_never_silently() -> None:
    data = ARTICLE.encode("gbk").replace("农民".encode("gbk"), b"\xc5")
    result = clean(data)
    assert result.encoding.replacements >= 1
    assert "replaced" in result.encoding.note
    assert "\ufffd" not in result.text
    assert any(edit.rule == "drop-replacement-characters" for edit in result.edits)


def test_declared_latin1_on_utf8_chinese_is_not_trusted() -> None:
    data = ARTICLE.replace("<html>", '<html><meta charset="iso-8859-1">').encode("utf-8")
    assert decode(data).encoding.name == "utf-8"


@pytest.mark.parametrize(
    ("label", "codec"),
    [("gb2312", "gb18030"), ("GBK", "gb18030"), ("x-gbk", "gb18030"), ("cp936", "gb18030"),
     ("big5", "big5hkscs"), ("UTF8", "utf-8"), ("nonsense-charset", None)],
)
def test_normalize_label_reads_labels_as_browsers_do(label: str, codec: str | None) -> None:
    assert normalize_label(label) == codec


def test_declared_charset_reads_meta_xml_and_crawler_wrapper() -> None:
    assert declared_charset(b'<meta charset="gbk">') == "gbk"
    assert declared_charset(b'<?xml version="1.0" encoding="GB2312"?><html>') == "GB2312"
    assert declared_charset(b'<text id="http://a" encoding=gb2312>\n<html>') == "gb2312"


def test_unknown_forced_encoding_is_a_decode_error() -> None:
    with pytest.raises(DecodeError):
        decode(b"<p>x</p>", forced="no-such-codec")


def test_empty_bytes_are_an_input_error() -> None:
    with pytest.raises(InputError, match="empty"):
        decode(b"   \n")
