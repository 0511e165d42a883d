"""Script and Unicode normalization through the whole pipeline: conversion, detection, guards."""

from __future__ import annotations

import json
import re

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pagetidy import Cleaner, Config, ConfigError, replay
from pagetidy.cli import main
from pagetidy.normalize import (
    Guard,
    changed_runs,
    conversion_config,
    converted_together,
    converter,
    detect_script,
    is_code_line,
    region_hint,
)
from tests.conftest import PAGES

TAIWAN_PAGE = """<html lang="zh-Hant-TW"><head><title>夜市</title></head><body><article>
<p>隨著時間過去，臺灣的夜市越來越熱鬧，著名的小吃也越來越多。</p>
<p>記者在現場看到，許多遊客排隊購買臭豆腐與珍珠奶茶。</p>
</article></body></html>"""

HONG_KONG_PAGE = TAIWAN_PAGE.replace("zh-Hant-TW", "zh-HK")

SIMPLIFIED_TECH = "这款软件支持U盘启动，用鼠标点击即可安装。\n下载地址：http://example.com/soft\n"

ASCII_BETWEEN_HAN = re.compile(r"(?<=[\u4e00-\u9fff])[,:;!?()](?=[\u4e00-\u9fff])")
PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


def t2s_would_change(text: str) -> list[str]:
    converted = opencc.OpenCC("t2s.json").convert(text)
    return [old for old, new in zip(text, converted, strict=False) if old != new]


def test_taiwan_page_is_detected_and_converted_with_tw2s() -> None:
    result = Cleaner().clean(TAIWAN_PAGE.encode("utf-8"))
    assert (result.script, result.region) == ("Hant", "TW")
    assert "随着时间过去，台湾的夜市越来越热闹，著名的小吃" in result.text
    assert {edit.reason for edit in result.edits if edit.rule == "convert-script"} == {
        "converted to hans with OpenCC tw2s"
    }


def test_hong_kong_page_uses_hk2s() -> None:
    result = Cleaner().clean(HONG_KONG_PAGE.encode("utf-8"))
    assert result.region == "HK"
    assert any("hk2s" in edit.reason for edit in result.edits if edit.rule == "convert-script")


def test_region_from_the_url_domain() -> None:
    result = Cleaner().clean("<p>隨著時間過去，夜市越來越熱鬧。</p>", url="https://news.example.com.tw/a")
    assert result.region == "TW"


def test_region_from_a_content_language_meta() -> None:
    page = TAIWAN_PAGE.replace(' lang="zh-Hant-TW"', "").replace(
        "<head>", '<head><meta http-equiv="Content-Language" content="zh-HK">'
    )
    assert Cleaner().clean(page).region == "HK"


def test_script_and_region_are_in_the_json() -> None:
    record = Cleaner().clean(TAIWAN_PAGE).to_dict()
    assert (record["script"], record["region"]) == ("Hant", "TW")


def test_one_edit_per_changed_run() -> None:
    result = Cleaner().clean("隨著時間過去")
    edits = [edit for edit in result.edits if edit.rule == "convert-script"]
    assert [(edit.before, edit.after) for edit in edits] == [("隨著時間過", "随着时间过")]


def test_to_none_leaves_the_script() -> None:
    result = Cleaner(Config(to="none")).clean(TAIWAN_PAGE)
    assert "隨著時間過去，臺灣的夜市" in result.text
    assert result.script == "Hant"
    assert not [edit for edit in result.edits if edit.rule == "convert-script"]


def test_to_tw_with_phrases_gives_taiwan_vocabulary() -> None:
    result = Cleaner(Config(to="tw", phrases=True)).clean(SIMPLIFIED_TECH)
    assert "這款軟體支援隨身碟啟動，用滑鼠點選即可安裝。" in result.text
    assert "http://example.com/soft" in result.text


def test_phrase_conversion_changes_lengths_and_still_replays() -> None:
    result = Cleaner(Config(to="tw", phrases=True)).clean(SIMPLIFIED_TECH)
    assert replay(result.raw_text, result.text_edits) == result.text
    befores = [edit.before for edit in result.text_edits if edit.rule == "convert-script"]
    assert any("U盘" in before for before in befores)


def test_to_tw_without_phrases_keeps_mainland_vocabulary() -> None:
    result = Cleaner(Config(to="tw")).clean(SIMPLIFIED_TECH)
    assert "這款軟件支持U盤啟動" in result.text


def test_protected_literal_and_regex_are_not_converted() -> None:
    config = Config(protect=("臺灣大學", r"re:《[^》]+》"))
    result = Cleaner(config).clean("他在臺灣大學讀《傳統與現代》這本書。")
    assert result.text == "他在臺灣大學读《傳統與現代》这本书。"


def test_code_lines_are_not_converted_or_punctuated() -> None:
    text = '下面的程式碼會輸出問候:\nprint("這是測試,你好")\n執行結果如上。'
    result = Cleaner().clean(text)
    assert result.text == '下面的程式码会输出问候:\nprint("這是測試,你好")\n执行结果如上。'


def test_mojibake_that_cannot_be_repaired_is_flagged() -> None:
    lossy = "我们今天去学校上课，老师讲了很多有趣的故事".encode().decode("gbk", "replace")
    result = Cleaner().clean("正文如下。\n" + lossy)
    assert "mojibake" in [flag.name for flag in result.flags]


def test_mojibake_repair_feeds_the_other_rules() -> None:
    broken = "隨著時間過去".encode().decode("latin-1")
    result = Cleaner().clean(f"標題：{broken}")
    assert result.text == "标题：随着时间过去"


@pytest.mark.parametrize("bad", ["simplified", "", "HANS"])
def test_unknown_target_is_refused_with_the_valid_values(bad: str) -> None:
    with pytest.raises(ConfigError, match="valid: hans, hant, tw, hk, none"):
        Config(to=bad)


def test_invalid_protect_regex_is_refused() -> None:
    with pytest.raises(ConfigError, match="invalid protect regex"):
        Config(protect=("re:([",))


def test_cli_wires_to_and_phrases(tmp_path, capsys) -> None:
    page = tmp_path / "page.txt"
    page.write_text(SIMPLIFIED_TECH, encoding="utf-8")
    assert main(["clean", "--to", "tw", "--phrases", "--format", "json", str(page)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert "軟體" in record["text"]
    assert record["script"] == "Hans"


def test_cli_wires_to_none_and_protect(tmp_path, capsys) -> None:
    page = tmp_path / "page.txt"
    page.write_text("隨著時間過去,臺灣大學越來越好", encoding="utf-8")
    assert main(["clean", "--protect", "臺灣大學", str(page)]) == 0
    assert capsys.readouterr().out == "随着时间过去，臺灣大學越来越好\n"
    assert main(["clean", "--to", "none", str(page)]) == 0
    assert capsys.readouterr().out == "隨著時間過去，臺灣大學越來越好\n"


@pytest.mark.parametrize(
    ("text", "script"),
    [("隨著時間過去", "Hant"), ("随着时间过去", "Hans"), ("Python 3.11", "none"),
     ("臺灣的台北", "Hant"), ("随著時間过去了他们", "mixed")],
)  # fmt: skip
def test_detect_script(text: str, script: str) -> None:
    assert detect_script(text) == script


@pytest.mark.parametrize(
    ("lang", "url", "region"),
    [("zh-TW", None, "TW"), ("zh-Hant-HK", None, "HK"), ("zh_CN", None, "CN"),
     ("zh-Hant", "http://www.example.com.hk/x", "HK"), (None, "example.tw", "TW"),
     ("en", "http://example.com", None)],
)  # fmt: skip
def test_region_hint(lang: str | None, url: str | None, region: str | None) -> None:
    assert region_hint(lang, url) == region


@pytest.mark.parametrize(
    ("to", "script", "region", "phrases", "config"),
    [("hans", "Hant", None, False, "tw2s"), ("hans", "Hant", "HK", True, "hk2sp"),
     ("hans", "Hans", None, False, "t2s"), ("hans", "mixed", None, False, "tw2s"),
     ("hant", "Hans", None, False, "s2t"), ("hant", "Hant", "TW", False, None),
     ("tw", "Hans", None, True, "s2twp"), ("tw", "Hant", None, False, "t2tw"),
     ("hk", "Hans", None, False, "s2hk"), ("none", "Hant", "TW", False, None),
     ("hans", "none", None, False, None)],
)  # fmt: skip
def test_conversion_config(to, script, region, phrases, config) -> None:
    assert conversion_config(to, script, region, phrases) == config


@pytest.mark.parametrize(
    "line",
    ["var x = foo(1);", "import os", "// 初始化用户列表", 'print("你好,世界")',
     "if (a == b) {", "#include <stdio.h>", "SELECT name FROM users;"],
)  # fmt: skip
def test_code_lines(line: str) -> None:
    assert is_code_line(line)


@pytest.mark.parametrize(
    "line",
    ["Python 3.11 发布了", "An English sentence, with commas.", "（一）总则",
     "2本 &ldquo;蒸&rdquo;的可以做蛋糕&hellip;", "开展“五进五讲”(一进机关,领导班子讲;二进社区)活动",
     "x = 5 时，函数取得最大值。"],
)  # fmt: skip
def test_prose_lines_are_not_code(line: str) -> None:
    assert not is_code_line(line)


def test_guard_covers_urls_and_emails() -> None:
    text = "访问http://example.com/a,b。或写信给 a.b@example.com,谢谢"
    guard = Guard(text)
    url = text.index("http")
    assert guard.covers(url, url + 5)
    assert not guard.covers(0, 2)
    assert guard.covers(text.index("@"), text.index("@") + 1)
    assert not guard.covers(text.index(",谢"), text.index(",谢") + 1)


@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 4)), max_size=12),
    st.lists(st.integers(0, 3), max_size=40),
)
@settings(max_examples=300, deadline=None)
def test_guard_uncovered_keeps_what_covers_lets_through(
    spans: list[tuple[int, int]], gaps: list[int]
) -> None:
    # Sorted, non-overlapping changes of zero to two characters, as the rules make them.
    changes: list[tuple[int, int, str]] = []
    position = 0
    for index, gap in enumerate(gaps):
        position += gap
        changes.append((position, position + index % 3, ""))
        position += index % 3
    guard = Guard("", extra=[(start, start + length) for start, length in spans if length])
    expected = [change for change in changes if not guard.covers(change[0], change[1])]
    assert guard.uncovered(changes) == expected

# --- On the shared corpus and seed page (skipped without ../shared) ---------------------------


def corpus_pages(shared, script: str | None = None):
    rows = [json.loads(line) for line in (shared / "corpus" / "manifest.jsonl").open()]
    for row in rows:
        if script is None or row["script"] == script:
            yield row["name"], (shared / "corpus" / row["source"] / f"{row['name']}.html")


def test_corpus_pages_leave_nothing_for_t2s(shared) -> None:
    # Traditional pages (the acceptance) and simplified ones alike: a simplified page's
    # phrase-only holdovers (藉着, 沈默) are converted too.
    cleaner = Cleaner()
    leftovers = {}
    for name, path in corpus_pages(shared):
        result = cleaner.clean(path.read_bytes())
        if changed := t2s_would_change(result.text):
            leftovers[name] = changed[:10]
    assert not leftovers


def test_no_corpus_page_gains_ascii_punctuation_between_han(shared) -> None:
    cleaner = Cleaner()
    gained = []
    for name, path in corpus_pages(shared):
        result = cleaner.clean(path.read_bytes())
        before = len(ASCII_BETWEEN_HAN.findall(result.raw_text))
        if len(ASCII_BETWEEN_HAN.findall(result.text)) > before:
            gained.append(name)
    assert not gained


def test_seed_page_comes_out_simplified_with_chinese_commas(shared) -> None:
    seed = (shared / "seed" / "000_6233025c9808fab0.txt").read_text(encoding="utf-8")
    result = Cleaner().clean(PINYIN.sub("", seed))
    assert not t2s_would_change(result.text)
    assert not re.search(r"[\u4e00-\u9fff“”][,:][\u4e00-\u9fff“”]", result.text)
    assert result.title == "株洲市石峰区：“三个转变”扎实推进“一月一课一片一实践”主题党日活动"
    assert "为载体，不断丰富内涵" in result.text


def test_protected_spans_follow_the_text_through_the_stage() -> None:
    text = "学习 教育 入脑入心，访问http://example.com/a,b:c。她说,好"
    result = Cleaner().clean(text)
    assert result.text == "学习教育入脑入心，访问http://example.com/a,b:c。她说，好"


def test_guard_shifted_past_changes() -> None:
    text = "一 二 http://a.cn/x 三"
    guard = Guard(text)
    assert guard.spans == [(4, 17)]
    moved = guard.shifted([(1, 2, ""), (3, 4, "")])
    assert moved.spans == [(2, 15)]


@settings(deadline=None)
@given(st.lists(st.sampled_from("隨著時間随着时间U盘软件，。 ab\x00\U00020000"), max_size=30))
def test_changed_runs_rebuild_the_converted_text(chars: list[str]) -> None:
    text = "".join(chars)
    for name in ("tw2s", "s2twp"):
        convert = converter(name).convert
        pieces, cursor = [], 0
        for start, end, after in changed_runs(text, 0, len(text), convert):
            assert start >= cursor
            pieces += (text[cursor:start], after)
            cursor = end
        pieces.append(text[cursor:])
        whole = convert(text)
        # A length-changing conversion is done clause by clause (phrases do not span punctuation).
        expected = whole if len(whole) == len(text) else "".join(
            convert(clause) for clause in re.findall(r"[^，。]+[，。]*|[，。]+", text)
        )
        assert "".join(pieces) == expected


@settings(deadline=None)
@given(
    st.lists(
        st.text(st.sampled_from("隨著時間随着时间U盘软件乾隆，。 a\n"), max_size=12), max_size=6
    )
)
def test_pieces_converted_together_are_each_converted(pieces: list[str]) -> None:
    for name in ("tw2s", "s2twp"):
        convert = converter(name).convert
        assert converted_together(pieces, convert) == [convert(piece) for piece in pieces]


@settings(deadline=None)
@given(st.integers(0, 6000), st.lists(st.integers(0, 5999), max_size=40))
def test_changed_runs_of_a_long_text_are_its_differing_stretches(
    length: int, converted_at: list[int]
) -> None:
    # Long enough to be compared chunk by chunk: runs may end on or cross a chunk's edge.
    text = "随着时间过去" * (length // 6)
    changed = sorted({position for position in converted_at if position < len(text)})
    converted = list(text)
    for position in changed:
        converted[position] = "隨"
    runs = list(changed_runs(text, 0, len(text), lambda _: "".join(converted)))
    expected = []
    for position in changed:
        if expected and expected[-1][1] == position:
            expected[-1] = (expected[-1][0], position + 1, expected[-1][2] + "隨")
        else:
            expected.append((position, position + 1, "隨"))
    assert runs == expected

def test_pre_blocks_keep_their_script_and_punctuation() -> None:
    result = Cleaner().clean((PAGES / "pre_blocks.html").read_bytes())
    assert [block.kind for block in result.blocks].count("pre") == 3
    # The prose around the blocks is converted and its punctuation widened...
    assert "随着版本更新，字串格式化的写法也越来越多：下面逐一说明。" in result.text
    assert "第二种写法（旧式）仍然常见" in result.text
    # ...the code and the preformatted prose are not, nor their spacing.
    assert 'print(f"歡迎來到{name},請多指教!")  # 輸出:歡迎來到臺灣,請多指教!' in result.text
    assert "說明:參數(一),參數(二)\n結果:顯示於螢幕" in result.text
    assert replay(result.raw_text, result.text_edits) == result.text


def test_inline_code_keeps_its_script_and_punctuation() -> None:
    result = Cleaner().clean((PAGES / "pre_blocks.html").read_bytes())
    # The sentence is converted and widened around the code, not inside it.
    assert "在终端机输入 python3 -c \"print('著作,權限')\" 再按 Enter 即可，非常简单。" in result.text
    paragraph = next(block for block in result.blocks if block.code)
    assert [result.raw_text[span.start : span.end] for span in paragraph.code] == [
        "python3 -c \"print('著作,權限')\"",
        "Enter",
    ]


def test_pre_blocks_keep_indentation_and_one_blank_line() -> None:
    result = Cleaner().clean((PAGES / "pre_blocks.html").read_bytes())
    # Indentation stays; the run of two blank lines folds to one, which groups the code.
    assert (
        'def 歡迎(名字):\n    if 名字:\n        return f"歡迎,{名字}"\n\n    return "歡迎!"'
        in result.text
    )
    assert replay(result.raw_text, result.text_edits) == result.text


def test_pre_block_spans_follow_the_text_through_earlier_rules() -> None:
    page = (
        "<html><body><article><p>隨著時間過去,夜市越來越熱鬧。</p><p>分享到：微博 微信</p>"
        "<pre>程式:範例(一)</pre><p>著名的小吃,越來越多。</p></article></body></html>"
    )
    result = Cleaner().clean(page)
    assert "程式:範例(一)" in result.text
    assert "著名的小吃，越来越多。" in result.text
