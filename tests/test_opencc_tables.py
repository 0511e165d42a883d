"""The characters OpenCC configs can change, read from the installed dictionaries, and the
line-by-line ``t2s`` conversion of simplified pages that relies on them."""

from __future__ import annotations

from pathlib import Path

import pytest

from pagetidy import Cleaner, opencc_tables
from pagetidy.normalize import converter, script_classes
from pagetidy.opencc_tables import conversion_triggers

COMMON_SIMPLIFIED = "我们在这个国家的人民生活中发展经济社会文化教育科技时间问题工作学习方面沈阳"


def test_t2s_triggers_hold_every_character_t2s_changes_alone() -> None:
    triggers = conversion_triggers("t2s")
    assert triggers is not None
    traditional_only = script_classes()[0]
    sample = "".join(chr(code) for code in range(0x4E00, 0xA000))
    assert set(traditional_only.findall(sample)) <= triggers


def test_t2s_triggers_hold_characters_only_phrases_change() -> None:
    # t2s leaves 沈 and 藉 alone, but not in 沈默 and 藉着 (phrase entries).
    triggers = conversion_triggers("t2s")
    assert triggers is not None
    t2s = converter("t2s")
    assert t2s.convert("沈") == "沈" and t2s.convert("沈默") == "沉默"
    assert {"沈", "藉"} <= triggers


def test_text_without_a_trigger_comes_out_of_opencc_unchanged() -> None:
    for config in ("t2s", "tw2s", "s2t"):
        triggers = conversion_triggers(config)
        assert triggers is not None
        kept = "".join(char for char in COMMON_SIMPLIFIED + "臺灣體裡" if char not in triggers)
        assert kept
        assert converter(config).convert(kept) == kept


def test_unreadable_dictionaries_give_none(monkeypatch, tmp_path: Path) -> None:
    bogus = tmp_path / "Bogus.ocd2"
    bogus.write_bytes(b"OCD2 but not what OpenCC 1.1+ writes")
    monkeypatch.setattr(opencc_tables, "_dictionary_files", lambda config: [bogus])
    conversion_triggers.cache_clear()
    try:
        assert conversion_triggers("t2s") is None
    finally:
        monkeypatch.undo()
        conversion_triggers.cache_clear()


FILLER = "\n".join(["这是一行简体中文，没有需要转换的字。"] * 60)
"""Simplified lines enough that a few traditional characters leave the page simplified."""


@pytest.mark.parametrize(
    "lines",
    [
        "他沈默了很久。\n沈阳的冬天很冷。",  # a phrase-only change, no traditional-only character
        "第二行有個繁體字。\n第三行藉着说明。\n第四行没有。\n第五行乾隆年间。",
    ],
)
def test_simplified_page_converts_like_t2s_on_the_whole_text(lines: str) -> None:
    text = f"{FILLER}\n{lines}\n{FILLER}"
    result = Cleaner().clean(text)
    assert result.script == "Hans"
    assert result.text == converter("t2s").convert(text)
    assert "沈阳" not in lines or "沈阳" in result.text


class RecordingConverter:
    """An OpenCC converter that remembers what it was given."""

    def __init__(self, config: str) -> None:
        self.converter = converter(config)
        self.seen: list[str] = []

    def convert(self, text: str) -> str:
        self.seen.append(text)
        return str(self.converter.convert(text))


def recording_cleaner(config: str) -> tuple[Cleaner, RecordingConverter]:
    """A default Cleaner whose ``convert-script`` records what it hands OpenCC ``config``."""
    cleaner = Cleaner()
    (rule,) = [rule for rule in cleaner.text_rules if rule.name == "convert-script"]
    recording = RecordingConverter(config)
    rule.converters[config] = recording  # type: ignore[attr-defined]
    return cleaner, recording


def test_only_lines_with_a_trigger_are_converted() -> None:
    cleaner, recording = recording_cleaner("t2s")
    result = cleaner.clean(f"{FILLER}\n这里有一個字要转换。\n{FILLER}")
    assert recording.seen == ["这里有一個字要转换。"]
    conversions = [edit for edit in result.edits if edit.rule == "convert-script"]
    assert [(edit.before, edit.after) for edit in conversions] == [("個", "个")]


def test_mixed_page_converts_its_traditional_lines_with_tw2s() -> None:
    cleaner, recording = recording_cleaner("tw2s")
    quoted = "他引用了一段話：隨著時間過去，這裡的人們都記得。"
    text = f"{FILLER}\n{quoted}"  # 8 traditional-only characters in 980 hanzi: mixed
    result = cleaner.clean(text)
    assert result.script == "mixed"
    assert recording.seen == [quoted]
    assert result.text == converter("tw2s").convert(text)


def test_traditional_page_is_converted_whole() -> None:
    cleaner, recording = recording_cleaner("tw2s")
    text = "隨著時間過去，這裡的人們都記得。\n第二段沒有別的。"
    result = cleaner.clean(text)
    assert result.script == "Hant"
    assert recording.seen == [text]
