"""The boilerplate families on whole texts: content that uses the same words stays, the seed
page's footer goes, and spam injection is flagged rather than deleted."""

from __future__ import annotations

import re
from pathlib import Path

from pagetidy import Cleaner, Config
from pagetidy.model import replay
from pagetidy.normalize import shadow
from pagetidy.rules import REGISTRY

FIXTURES = Path(__file__).parent / "fixtures"
BOILERPLATE_FAMILIES = {"licence", "identity", "chrome", "seo", "repetition"}

SEED_BODY = (
    "为进一步激发基层党建活力、增强组织生活吸引力和实效性，株洲市石峰区以主题党日活动为载体，"
    "不断丰富内涵、扩宽平台，推动基层党组织生活提质增效。"
)
SEED_FOOTER = (
    "1",
    "主办单位：中共湖南省委组织部",
    "技术支持：湖南红网新媒体集团",
    "ICP备案号：湘ICP备17016663号-1",
    "欢迎您访问红星网",
    "您是第 位来访者",
    "青川县| 贵德县| 建阳市| 江陵县| 临汾市| 汕头市| 丰县| 庆城县| 侯马市| 北安市| 青田县|",
)


def _folded(text: str) -> str:
    return re.sub(r"\s+", "", shadow(text))


def test_false_positive_sentences_lose_nothing() -> None:
    source = (FIXTURES / "false_positives.txt").read_text(encoding="utf-8")
    result = Cleaner().clean(source)
    removed = [edit for edit in result.edits if edit.family in BOILERPLATE_FAMILIES]
    assert removed == []
    kept = _folded(result.text)
    for line in filter(None, source.split("\n")):
        assert _folded(line) in kept, line


def test_false_positive_fixture_is_large_enough() -> None:
    lines = (FIXTURES / "false_positives.txt").read_text(encoding="utf-8").split("\n")
    assert len([line for line in lines if line.strip()]) >= 50


def test_seed_footer_without_pinyin_is_removed_line_by_line() -> None:
    source = "\n\n".join((SEED_BODY, *SEED_FOOTER))
    result = Cleaner().clean(source)
    assert result.text == SEED_BODY
    rules = {edit.rule for edit in result.edits if edit.family in BOILERPLATE_FAMILIES}
    assert rules == {
        "drop-icp-line",
        "drop-site-identity-line",
        "drop-visitor-counter",
        "drop-pagination-line",
        "drop-keyword-stuffed-line",
    }
    assert replay(result.raw_text, result.text_edits) == result.text


def test_seed_footer_in_traditional_script_with_pinyin_is_removed() -> None:
    footer = (
        "1\n\n主辦單位:中共湖南省委組織部\n技術(shù)支持:湖南紅網(wǎng)新媒體集團(tuán)\n"
        "ICP備案號(hào):湘ICP備17016663號(hào)-1\n\n"
        "歡迎您訪問(wèn)紅星網(wǎng)\n您是第 位來(lái)訪者"
    )
    result = Cleaner().clean(SEED_BODY + "\n\n" + footer)
    assert result.text == SEED_BODY


def test_seed_page_keeps_no_footer(shared: Path) -> None:
    source = (shared / "seed" / "000_6233025c9808fab0.txt").read_text(encoding="utf-8")
    text = _folded(Cleaner().clean(source).text)
    for gone in ("主办单位", "技术支持", "ICP", "欢迎您访问红星网", "位来访者", "青川县"):
        assert gone not in re.sub(r"\([a-zü\u00e0-\u01dc]{1,6}\)", "", text), gone
    assert not re.search(r"(?:^|\n)1(?:\n|$)", Cleaner().clean(source).text)


def test_rules_off_keep_the_footer() -> None:
    names = frozenset(rule.name for rule in REGISTRY if rule.family in BOILERPLATE_FAMILIES)
    result = Cleaner(Config(disable=names)).clean("\n".join((SEED_BODY, *SEED_FOOTER)))
    assert "湘ICP备17016663号-1" in result.text


def test_gambling_injection_is_flagged_not_deleted() -> None:
    html = (
        "<html><head><title>德邦物流能否成功代替快递巨头顺丰？_欧宝体育app</title></head><body>"
        "<div><p>德邦物流近日发布公告，欧宝体育app官网称将继续扩大快运业务，华体会官网登录。</p>"
        "<p>业内人士认为，快递行业竞争加剧，企业需要寻找新的增长点。</p></div></body></html>"
    )
    result = Cleaner().clean(html)
    names = [flag.name for flag in result.flags]
    assert names == ["spam-injection"]
    assert "欧宝体育" in result.flags[0].evidence
    assert "德邦物流近日发布公告" in result.text


def test_lottery_news_is_not_flagged() -> None:
    text = "体彩中心表示，彩票销售收入将用于公益事业。\n皇冠大道两侧的银杏树已经变黄。"
    assert Cleaner().clean(text).flags == ()


def test_keyword_stuffed_title_is_flagged() -> None:
    html = (
        "<html><head><title>便携式微电脑粉尘仪/便携式粉尘仪/粉尘检测仪/粉尘测定仪_环境检测仪器_"
        "北京某某科技有限公司</title>"
        "</head><body><p>本公司生产的粉尘检测仪精度高、体积小，适用于多种场合。</p></body></html>"
    )
    flags = {flag.name for flag in Cleaner().clean(html).flags}
    assert flags == {"keyword-stuffed-title"}


def test_ordinary_shop_title_is_not_flagged() -> None:
    html = (
        "<html><head><title>写给留学党的面试建议-英国留学生活|留学攻略-让留学更简单</title></head>"
        "<body><p>这款保温杯采用双层真空设计，保温效果持久。</p></body></html>"
    )
    assert Cleaner().clean(html).flags == ()
