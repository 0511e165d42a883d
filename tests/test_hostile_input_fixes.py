"""What the reliability fixes promise, checked on small inputs (the sizes are in test_pathological)."""

from __future__ import annotations

from pagetidy import clean
from pagetidy.parse import MAX_ATTRIBUTE_TOKENS, cap_attributes, parse_html, strip_site_suffix

PARAGRAPH = "今年以来，江城区集中整治城区内河水环境。"


def test_cap_attributes_keeps_the_first_attributes_and_the_text() -> None:
    attributes = " ".join(f'a{index}="{index}"' for index in range(3000))
    markup = f"<div hidden {attributes}><p>{PARAGRAPH}</p></div><p>{PARAGRAPH}</p>"
    capped = cap_attributes(markup)
    div = parse_html(capped).find(".//div")
    assert div is not None
    assert "hidden" in div.attrib
    assert len(div.attrib) <= MAX_ATTRIBUTE_TOKENS
    assert capped.endswith(f"><p>{PARAGRAPH}</p></div><p>{PARAGRAPH}</p>")


def test_cap_attributes_leaves_long_quoted_values_alone() -> None:
    markup = f'<img src="data:image/png;base64,{"A" * 5000}" alt="图"><p>{PARAGRAPH}</p>'
    assert cap_attributes(markup) == markup


def test_cap_attributes_handles_valueless_and_glued_attributes() -> None:
    valueless = "<div " + " ".join(f"a{index}" for index in range(5000)) + f"><p>{PARAGRAPH}</p>"
    glued = "<div " + "".join(f'a{index}="1"' for index in range(5000)) + f"><p>{PARAGRAPH}</p>"
    for markup in (valueless, glued):
        capped = cap_attributes(markup)
        assert len(capped) < len(markup) // 2
        assert capped.endswith(f"><p>{PARAGRAPH}</p>")


def test_a_tag_with_a_million_attributes_keeps_its_text() -> None:
    attributes = " ".join(f"a{index}" for index in range(1_000_000))
    assert clean(f"<html><body><div {attributes}><p>{PARAGRAPH}</p></div>").text == PARAGRAPH


def test_a_line_of_a_million_spaces_collapses_to_one() -> None:
    result = clean(f"{PARAGRAPH}\n正文{' ' * 1_000_000}结束\n{PARAGRAPH}")
    assert result.text == f"{PARAGRAPH}\n正文 结束\n{PARAGRAPH}"


def test_title_suffix_is_split_off_around_ideographic_spaces() -> None:
    assert strip_site_suffix("新闻标题很长的一篇\u3000\u3000_\u3000江城日报") == "新闻标题很长的一篇"
    assert strip_site_suffix("\u3000" * 100_000 + "标题") == "标题"  # linear, not quadratic


def test_utf16_without_bom_of_mostly_hanzi_is_decoded() -> None:
    page = f"<html><body><p>{PARAGRAPH * 20}</p></body></html>"
    for codec in ("utf-16-le", "utf-16-be"):
        result = clean(page.encode(codec))
        assert result.encoding.name == codec
        assert result.text == PARAGRAPH * 20


def test_a_utf16_declaration_in_markup_is_not_believed() -> None:
    page = f'<html><head><meta charset="utf-16"></head><body><p>{PARAGRAPH}</p></body></html>'
    result = clean(page.encode("utf-8"))
    assert result.encoding.name == "utf-8"
    assert result.text == PARAGRAPH


def test_lone_surrogates_in_str_input_become_replacements_and_are_removed() -> None:
    result = clean(f"{PARAGRAPH}\ud800续\udfff")
    assert result.text == f"{PARAGRAPH}续"
    assert result.encoding.replacements == 2
    assert [edit.rule for edit in result.edits] == ["drop-replacement-characters"] * 2


def test_line_rules_judge_lines_without_unseen_characters() -> None:
    # Found by the idempotence property: a C1 control kept 返回顶部 from being judged until
    # normalization had removed it, so a second cleaning dropped the line.
    assert clean("0000\x80<p style=display:none></p>返回顶部").text == ""
    # A zero-width space inside a footer word does not hide the footer line.
    page = f"<p>{PARAGRAPH}</p><p>版\u200b权所有 © 2020 江城新闻网</p>"
    assert clean(page).text == PARAGRAPH


def test_a_metadata_value_without_letters_or_digits_is_no_value() -> None:
    # Found by the idempotence property: 来源：#  . was kept, then moved once its spaces were
    # collapsed. A value of punctuation alone names nothing, before or after collapsing.
    for line in ("来源：#  .", "来源：# .", "作者：……"):
        assert clean(line).text == " ".join(line.split())
    assert clean("来源：人民网").metadata.source == "人民网"


def test_a_metadata_line_is_read_as_its_clean_text_will_read() -> None:
    # Found by the idempotence property: a double space ended the value of 来源：#  0, so the
    # line stayed; collapsed to 来源：# 0 by the first cleaning, it moved on the second.
    for line in ("来源：#  0", "作者：黄晓南\u3000谢彬彬", "来源：新华社  北京"):
        first = clean(line)
        assert clean(" ".join(line.split())).metadata == first.metadata
        assert first.text == ""
    assert clean("作者：黄晓南\u3000谢彬彬").metadata.author == "黄晓南 谢彬彬"


def test_a_date_line_with_a_control_character_is_moved_on_the_first_cleaning() -> None:
    # Found by the idempotence property (reader fuzzing helper): move-date-line saw the \x80
    # that normalization removes later, so only a second cleaning moved the line.
    result = clean("2000/1/1 0:00\x80\n" + PARAGRAPH)
    assert result.text == PARAGRAPH
    assert result.metadata.published == "2000-01-01T00:00"


def test_mojibake_broken_by_a_control_character_is_repaired_on_the_first_cleaning() -> None:
    # Found by the idempotence property: GBK read as Latin-1 with a stray \x80 inside did not
    # repair, normalization then dropped the \x80, and a second cleaning repaired the rest.
    for page in ("°\x80¡°¡", "°\x80¡ßÝ"):
        first = clean(page).text
        assert first in ("啊啊", "啊咻")
        assert clean(first).text == first


def test_line_rules_judge_lines_with_their_spaces_collapsed() -> None:
    # Found by the idempotence property: two ideographic spaces kept 上一篇 from being judged a
    # prev/next line until the spaces were folded and collapsed, on a second cleaning.
    assert clean("&lt;\u3000\u3000上一篇").text == ""
    assert clean(f"{PARAGRAPH}\n上一篇：\u3000\u3000江城区召开会议").text == PARAGRAPH
