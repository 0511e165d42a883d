"""Converter pinyin: the document-level decision of strip-pinyin-annotation (catalog G1, G2)."""

from __future__ import annotations

import pytest

from pagetidy import Config, clean
from pagetidy.rules.artefacts import judge_annotations, strip_readings

CONVERTER = (
    "株洲市石峰區(qū)人民政府關(guān)於轉(zhuǎn)變作風的活動(dòng)通知。"
    "當(dāng)前,中國(guó)已經(jīng)進(jìn)入改革的深水區(qū)。"
)
SPINNER = (
    "27日，由烟(yan)台市(shi)教育装备(bei)与技术研究中心"
    "共(gong)同主(zhu)办的第(di)二十一届竞赛。"
)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (CONVERTER, "trad_toned_converter"),
        (SPINNER, "toneless_spinner"),
        ("鹅(é)，鹅(é)，鹅(é)，曲(qū)项(xiàng)向(xiàng)天(tiān)歌(gē)。", "full_ruby_text"),
        ("學(xué)而(ér)時(shí)習(xí)之(zhī)，不(bù)亦(yì)說(yuè)乎(hū)。", "full_ruby_text"),
        (
            "本课学习多音字，请注意每个字在不同词语中的读音变化，抄写两遍："
            "长(cháng)短、长(zhǎng)大；重(zhòng)量、重(chóng)新；行(háng)业、行(xíng)走。",
            "mixed",
        ),
        ("曲江(qū)新区…长(zhǎng)大…100元(yuan)", "none"),
        ("北京(Beijing)…(一)开幕；(二)报告；人工智能(AI)与世界卫生组织(WHO)", "none"),
    ],
)
def test_judge_annotations_classifies_the_document(text, kind):
    assert judge_annotations(text).kind == kind


def test_judge_annotations_needs_each_reading_to_belong_to_its_character():
    # Letters after characters that do not read that way are not annotations at all.
    verdict = judge_annotations("维生素(c)、单位(cm)、价格(rmb)、上海(sh)、深圳(sz)。")
    assert verdict.kind == "none"
    assert verdict.matches == ()


def test_strip_readings_keeps_everything_else():
    assert strip_readings("活動(dòng)（一）北京(Beijing)") == "活動（一）北京(Beijing)"


def test_converter_pinyin_is_removed_before_other_rules_and_flagged():
    result = clean(CONVERTER, Config(input="text", to="none"))
    assert result.text == (
        "株洲市石峰區人民政府關於轉變作風的活動通知。當前，中國已經進入改革的深水區。"
    )
    rules = [edit.rule for edit in result.text_edits]
    assert set(rules) == {"strip-pinyin-annotation", "widen-cjk-punctuation"}
    assert rules[0] == "strip-pinyin-annotation"
    assert result.flags[0].name == "mirror-copy"


def test_disabling_the_rule_keeps_the_readings():
    result = clean(CONVERTER, Config(input="text", disable=frozenset({"strip-pinyin-annotation"})))
    assert "(qū)" in result.text
    assert not result.flags
