"""The public surface: clean, Cleaner, Config, the result model and the exception tree."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

import pagetidy
from pagetidy import (
    Cleaner,
    Config,
    ConfigError,
    DecodeError,
    InputError,
    PagetidyError,
    UnknownRuleError,
    clean,
)
from tests.conftest import PAGES

EXAMPLE = PAGES.parents[2] / "examples" / "news.html"


def test_public_names_are_pinned() -> None:
    assert sorted(pagetidy.__all__) == sorted([
        "Cleaner", "Config", "ConfigError", "DecodeError", "Edit", "Encoding", "Flag",
        "InputError", "Metadata", "Node", "PagetidyError", "Result", "Span",
        "UnknownRuleError", "__version__", "clean", "replay",
    ])
    for name in pagetidy.__all__:
        assert hasattr(pagetidy, name), name


def test_exceptions_subclass_the_builtins_callers_catch() -> None:
    assert issubclass(DecodeError, UnicodeError)
    assert issubclass(UnknownRuleError, ValueError)
    assert issubclass(ConfigError, ValueError)
    assert issubclass(InputError, ValueError)
    for error in (DecodeError, UnknownRuleError, ConfigError, InputError):
        assert issubclass(error, PagetidyError)


def test_clean_accepts_bytes_str_and_soup_alike() -> None:
    data = EXAMPLE.read_bytes()
    from_bytes = clean(data)
    from_str = clean(data.decode("utf-8"))
    from_soup = clean(BeautifulSoup(data, "html.parser"))
    assert from_bytes.text == from_str.text == from_soup.text
    assert "清河行动" in from_bytes.text
    assert from_str.encoding.source == "unicode"
    assert "BeautifulSoup" in from_soup.encoding.note


def test_example_page_keeps_the_article_and_drops_the_chrome() -> None:
    result = clean(EXAMPLE.read_bytes())
    assert result.title == "江城区开展“清河行动” 三个月治理河道十二公里"
    assert "截至五月中旬，全区已清理河道淤泥三万余立方米" in result.text
    for chrome in ("热点新闻", "请输入关键词", "网站地图", "赣ICP备", "江城 清河 河道"):
        assert chrome not in result.text, chrome
    assert result.metadata.lang == "zh-CN"


def test_clean_refuses_objects_that_are_not_pages() -> None:
    with pytest.raises(InputError, match="cannot clean a int"):
        clean(42)


def test_config_rejects_an_unknown_rule_and_lists_the_known_ones() -> None:
    with pytest.raises(UnknownRuleError) as caught:
        Config(disable=frozenset({"drop-everything"}))
    assert "drop-icp-line" in str(caught.value)
    assert "drop-everything" in str(caught.value)


def test_config_accepts_a_single_rule_name_or_any_iterable() -> None:
    assert Config(disable="drop-icp-line").disable == frozenset({"drop-icp-line"})  # type: ignore[arg-type]
    assert Config(enable=["collapse-spaces"]).enable == frozenset({"collapse-spaces"})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs", [{"encoding": "no-such-codec"}, {"input": "pdf"}, {"max_bytes": 0}]
)
def test_config_rejects_invalid_values(kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        Config(**kwargs)  # type: ignore[arg-type]


def test_config_is_frozen() -> None:
    config = Config()
    with pytest.raises(AttributeError):
        config.encoding = "gbk"  # type: ignore[misc]


def test_disabled_rule_does_not_run() -> None:
    text = "正文。\n京ICP备12345678号-1"
    assert "ICP" not in clean(text).text
    assert "京ICP备12345678号-1" in clean(text, Config(disable=frozenset({"drop-icp-line"}))).text


def test_cleaner_is_reusable_across_pages_and_gives_the_same_result() -> None:
    cleaner = Cleaner()
    first = cleaner.clean(EXAMPLE.read_bytes())
    cleaner.clean((PAGES / "big5_traditional.html").read_bytes())
    assert cleaner.clean(EXAMPLE.read_bytes()) == first


def test_cleaner_passes_url_and_http_charset() -> None:
    data = "<p>朱镕基同志说，要落到实处。</p>".encode("gbk")
    result = Cleaner().clean(data, url="http://example.cn/a.html", http_charset="gbk")
    assert result.metadata.url == "http://example.cn/a.html"
    assert result.metadata.origins["url"] == "caller"
    assert result.encoding.source == "caller"


def test_result_to_dict_is_json_ready() -> None:
    result = clean(EXAMPLE.read_bytes())
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert data["text"] == result.text
    assert data["title"] == result.title
    assert data["encoding"]["name"] == "utf-8"
    assert {"rule", "family", "stage", "reason", "before", "after", "where"} <= set(data["edits"][0])
    assert data["metadata"]["origins"]["title"] == "<h1> matching <title>"


def test_plain_text_input_is_recognized_and_cleaned_by_the_same_rules() -> None:
    result = clean((PAGES / "wet_record.txt").read_bytes())
    assert result.kind == "text"
    assert "赣ICP备" not in result.text
    assert result.title == "江城区开展“清河行动”三个月治理河道十二公里"
    assert result.text.startswith("今年以来")
    assert "\n\n" not in result.text


def test_input_mode_can_be_forced() -> None:
    result = clean("<p>看起来像标签</p>", Config(input="text"))
    assert result.kind == "text"
    assert result.text == "<p>看起来像标签</p>"
