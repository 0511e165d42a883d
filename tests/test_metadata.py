"""Metadata: ISO 8601 dates, <meta> tags, JSON-LD, metadata lines, precedence, the seed page."""

from __future__ import annotations

import json

import pytest

from pagetidy import Cleaner, Config, clean
from pagetidy.errors import ConfigError
from pagetidy.metadata import parse_date, parse_meta_line, parse_reference
from pagetidy.model import replay
from tests.conftest import FIXTURES

CRAWLED = parse_reference("2024-09-27T10:00")

ARTICLE_BODY = (
    "<p>为进一步激发基层党建活力、增强组织生活吸引力和实效性，石峰区以主题党日活动为载体，"
    "不断丰富内涵、拓宽平台，推动基层党组织生活提质增效。</p>"
    "<p>各基层党组织依托党群服务中心、党员教育培训基地等，开设四大特色课堂，"
    "由书记带头讲、专家鲜活讲、妇女代表讲、党员群众讲，实现党课大合唱。</p>"
)


def page(head: str = "", body: str = ARTICLE_BODY) -> str:
    """A small article page with ``head`` inside <head> and ``body`` inside an <article>."""
    return (
        f"<html><head><title>主题党日活动_红星网</title>{head}</head>"
        f"<body><article><h1>主题党日活动</h1>{body}</article></body></html>"
    )


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2024年9月26日", "2024-09-26"),
        ("2024年09月26日 17:03", "2024-09-26T17:03"),
        ("2024年9月26日17时03分", "2024-09-26T17:03"),
        ("2024-09-26", "2024-09-26"),
        ("2024-9-26 17:03:21", "2024-09-26T17:03:21"),
        ("2024/09/26", "2024-09-26"),
        ("2024.09.26", "2024-09-26"),
        ("民國113年9月26日", "2024-09-26"),
        ("民国113年9月26日 17:03", "2024-09-26T17:03"),
        ("二〇二四年九月二十六日", "2024-09-26"),
        ("2024-09-26T17:03:00+08:00", "2024-09-26T17:03:00+08:00"),
        ("2024-09-26T09:03:00.000Z", "2024-09-26T09:03:00Z"),
        ("9/17/2004 5:54:13 AM", "2004-09-17T05:54:13"),
        ("7/5/2005 9:23:57 PM", "2005-07-05T21:23:57"),
        ("发表于2005年09月07日 11:57 AM", "2005-09-07T11:57"),
        ("20240926", "2024-09-26"),
    ],
)
def test_parse_date_gives_iso_8601(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    "text", ["2024-13-01", "2024年2月30日", "1850-01-01", "第2024期", "9月26日"]
)
def test_parse_date_refuses_what_is_not_a_full_date(text):
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("9月26日 17:03", "2024-09-26T17:03"),
        ("12月30日", "2023-12-30"),  # after the crawl date: the year before
        ("3小时前", "2024-09-27T07:00"),
        ("2天前", "2024-09-25"),
        ("昨天 17:03", "2024-09-26T17:03"),
        ("刚刚", "2024-09-27T10:00"),
    ],
)
def test_parse_date_reads_partial_and_relative_dates_with_a_reference(text, iso):
    assert parse_date(text) is None
    assert parse_date(text, CRAWLED) == iso


def test_config_reference_date_is_validated():
    assert Config(reference_date="2024-09-27").reference_date == "2024-09-27"
    with pytest.raises(ConfigError, match="ISO 8601"):
        Config(reference_date="27/09/2024")


def test_config_reference_date_reads_relative_date_lines():
    text = "今天的新闻\n3小时前 来源：红星网\n正文第一段，内容足够长，说明这是一篇正文。"
    result = Cleaner(Config(reference_date="2024-09-27T10:00", input="text")).clean(text)
    assert result.metadata.published == "2024-09-27T07:00"
    assert result.metadata.source == "红星网"


def test_meta_tags_give_published_author_and_origin():
    head = (
        '<meta property="article:published_time" content="2024-09-26T17:03:00+08:00">'
        '<meta name="author" content="张三">'
    )
    result = clean(page(head))
    assert result.metadata.published == "2024-09-26T17:03:00+08:00"
    assert result.metadata.author == "张三"
    assert result.metadata.origins["published"] == "meta[article:published_time]"
    assert result.metadata.origins["author"] == "meta[author]"


def test_meta_author_that_is_a_number_or_domain_is_ignored():
    head = '<meta name="author" content="105092"><meta name="source" content="www.example.com">'
    result = clean(page(head))
    assert result.metadata.author is None


def test_json_ld_gives_date_and_person_author_not_organization():
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "红星网"},
            {
                "@type": "NewsArticle",
                "datePublished": "2024-09-26T17:03:00+08:00",
                "author": [{"@type": "Organization", "name": "红星网"}],
            },
        ],
    }
    head = f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
    result = clean(page(head))
    assert result.metadata.published == "2024-09-26T17:03:00+08:00"
    assert result.metadata.origins["published"] == "json-ld"
    assert result.metadata.author is None


def test_json_ld_person_author_is_read():
    ld = {"@type": "NewsArticle", "author": {"@type": "Person", "name": "李四"}}
    head = f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
    assert clean(page(head)).metadata.author == "李四"


def test_broken_json_ld_is_ignored():
    head = '<script type="application/ld+json">{"datePublished": </script>'
    assert clean(page(head)).metadata.published is None


def test_line_source_beats_site_name_tag_and_says_where_it_went():
    head = '<meta property="og:site_name" content="聚合新闻">'
    body = "<p>文章来源：红星网　时间：2024-09-26 17:03</p>" + ARTICLE_BODY
    result = clean(page(head, body))
    assert result.metadata.source == "红星网"
    assert result.metadata.origins["source"] == "line[文章来源]"
    assert result.metadata.published == "2024-09-26T17:03"
    moved = [edit for edit in result.edits if edit.rule == "move-metadata-line"]
    assert len(moved) == 1
    assert moved[0].reason == "moved to metadata.source, metadata.published"
    assert "文章来源" not in result.text


def test_tag_date_beats_line_date():
    head = '<meta property="article:published_time" content="2024-09-25T08:00:00+08:00">'
    body = "<p>来源：红星网 2024-09-26 17:03</p>" + ARTICLE_BODY
    result = clean(page(head, body))
    assert result.metadata.published == "2024-09-25T08:00:00+08:00"
    assert result.metadata.source == "红星网"


def test_several_fields_on_one_line_all_reach_metadata():
    body = "<p>来源:红网 作者:冯帅 编辑:聂千川 2025-11-27 09:41:53</p>" + ARTICLE_BODY
    metadata = clean(page(body=body)).metadata
    assert (metadata.source, metadata.author, metadata.editor, metadata.published) == (
        "红网", "冯帅", "聂千川", "2025-11-27T09:41:53"
    )


def test_traditional_metadata_line_keeps_the_page_script():
    body = "<p>來源：中國日報網 作者：王小明 2017-11-20 10:05:27</p>" + ARTICLE_BODY
    metadata = clean(page(body=body), Config(to="none")).metadata
    assert metadata.source == "中國日報網"  # the page's script when conversion is off
    assert metadata.author == "王小明"
    assert metadata.origins["source"] == "line[來源]"


def test_prose_mentioning_source_or_author_is_not_a_metadata_line():
    for sentence in (
        "据新华社报道，来源于民间的资金在2020年增长迅速。",
        "作者：张三认为这个问题很复杂，需要进一步讨论。",
        "时间：2024年3月1日上午9:00  地点：市政府会议室",
    ):
        assert parse_meta_line(sentence) is None, sentence


def test_metadata_line_outside_the_main_content_is_read_not_removed():
    html = (
        "<html><head><title>主题党日活动</title></head><body>"
        "<div class='head'><h1>主题党日活动</h1>"
        "<div>发布时间：2024-09-26 17:03 作者：王五</div></div>"
        f"<div class='content'>{ARTICLE_BODY * 3}</div>"
        "<div class='foot'>关于我们 | 联系我们</div></body></html>"
    )
    result = clean(html)
    assert result.metadata.published == "2024-09-26T17:03"
    assert result.metadata.author == "王五"
    assert result.metadata.origins["author"] == "page[作者]"
    assert not [edit for edit in result.edits if edit.family == "metadata"]


def test_editor_stands_in_for_a_missing_author():
    body = ARTICLE_BODY + "<p>（责任编辑：刘林源）</p>"
    metadata = clean(page(body=body)).metadata
    assert metadata.editor == "刘林源"
    assert metadata.author == "刘林源"
    assert metadata.origins["author"].startswith("editor")


def test_a_planner_credit_is_not_taken_for_the_editor():
    body = ARTICLE_BODY + "<p>策划：杨顺霖编辑：几乎不流浪</p>"
    result = clean(page(body=body))
    assert result.metadata.editor == "几乎不流浪"
    assert "杨顺霖" not in result.text


def test_editor_code_does_not_stand_in_for_an_author():
    body = ARTICLE_BODY + "<p>本文来源：网易财经责任编辑：NF041</p>"
    metadata = clean(page(body=body)).metadata
    assert metadata.editor == "NF041"
    assert metadata.author is None


def test_byline_moves_reporters_to_author():
    body = "<p>本报记者 张三 李四</p>" + ARTICLE_BODY
    result = clean(page(body=body))
    assert result.metadata.author == "张三 李四"
    assert "本报记者" not in result.text


def test_author_element_is_read():
    html = (
        "<html><head><title>主题党日活动</title></head><body><h1>主题党日活动</h1>"
        "<div class='article-meta'><span class='author'>謝明俊</span></div>"
        f"{ARTICLE_BODY}"
        "</body></html>"
    )
    metadata = clean(html, Config(to="none")).metadata
    assert metadata.author == "謝明俊"
    assert metadata.origins["author"] == "dom[author]"
    assert clean(html).metadata.author == "谢明俊"  # converted with the text by default


def test_plain_text_first_line_headline_becomes_title():
    text = (
        "株洲市石峰区：“三个转变”扎实推进主题党日活动\n\n"
        "文章来源: 红星网  时间: 2024-09-26 17:03\n\n"
        "为进一步激发基层党建活力、增强组织生活吸引力和实效性，石峰区以主题党日活动为载体。"
    )
    result = clean(text)
    assert result.title == "株洲市石峰区：“三个转变”扎实推进主题党日活动"
    assert result.metadata.origins["title"] == "first line"
    assert result.text.startswith("为进一步激发基层党建活力")
    assert "红星网" not in result.text
    assert replay(result.raw_text, result.text_edits) == result.text


def test_plain_text_first_line_sentence_is_not_a_title():
    text = "今天上午，市政府召开新闻发布会。会上通报了经济运行情况。\n各项指标总体平稳。"
    result = clean(text)
    assert result.title is None
    assert result.text.startswith("今天上午")


def test_mirror_copy_flag_and_clean_title_for_converter_pinyin():
    html = (
        "<html><head><title>石峰區(qū)開展主題黨日活動(dòng)</title></head><body><article>"
        "<h1>石峰區(qū)開展主題黨日活動(dòng)</h1>"
        "<p>為進(jìn)一步激發(fā)基層黨建活力,石峰區(qū)推動(dòng)組織生活提質(zhì)增效。</p>"
        "</article></body></html>"
    )
    result = clean(html, Config(to="none"))
    assert [flag.name for flag in result.flags] == ["mirror-copy"]
    assert "trad_toned_converter" in result.flags[0].evidence
    assert result.title == "石峰區開展主題黨日活動"
    assert "(" not in result.text


def test_seed_page_title_metadata_and_no_pinyin(shared):
    result = clean((shared / "seed" / "000_6233025c9808fab0.txt").read_bytes())
    # The page's own (traditional) script is accepted until script conversion lands.
    assert result.title in (
        "株洲市石峰区：“三个转变”扎实推进“一月一课一片一实践”主题党日活动",
        "株洲市石峰區:“三個轉變”扎實推進“一月一課一片一實踐”主題黨日活動",
    )
    assert result.metadata.source in ("红星网", "紅星網")
    assert result.metadata.published == "2024-09-26T17:03"
    assert "mirror-copy" in [flag.name for flag in result.flags]
    for reading in ("(qū)", "(gè)", "(zhuǎn)", "(dòng)", "(shí)"):
        assert reading not in result.text
        assert reading not in (result.title or "")
    assert not result.text.startswith("株洲市石峰")
    assert "文章來源" not in result.text and "文章来源" not in result.text
    assert replay(result.raw_text, result.text_edits) == result.text


def test_prose_using_metadata_words_loses_nothing():
    prose = (FIXTURES / "prose" / "metadata-words.txt").read_text(encoding="utf-8")
    result = Cleaner(Config(input="text")).clean(prose)
    mine = [edit for edit in result.edits if edit.family in ("metadata", "artefacts")]
    assert not mine, [(edit.rule, edit.before) for edit in mine]
    assert not result.flags
    assert result.metadata.author is None
    assert result.metadata.published is None


def test_cli_reference_date_reaches_the_config(tmp_path, capsys):
    from pagetidy.cli import main  # noqa: PLC0415 - only this test drives the CLI

    path = tmp_path / "page.txt"
    path.write_text(
        "今天的新闻\n\n3小时前 来源：红星网\n\n正文第一段，内容足够长，说明这是一篇正文。\n",
        encoding="utf-8",
    )
    argv = ["clean", "--format", "json", "--reference-date", "2024-09-27T10:00", str(path)]
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out)["published"] == "2024-09-27T07:00"


def test_author_tag_naming_an_outlet_is_skipped():
    head = '<meta property="article:author" content="网易"><meta name="author" content="新京报">'
    assert clean(page(head)).metadata.author is None


def test_editor_fallback_drops_a_portal_staff_code():
    body = ARTICLE_BODY + "<p>本文来源：新京报责任编辑：杨倩_NF4425</p>"
    metadata = clean(page(body=body)).metadata
    assert metadata.editor == "杨倩_NF4425"
    assert metadata.author == "杨倩"


def test_date_line_under_a_repeated_headline_is_moved_past_menus():
    menus = "\n".join(["首页", "新闻中心", "本地新闻", "国内新闻", "国际新闻", "体育", "娱乐"])
    text = (
        "全省各地掀起项目建设热潮_新闻中心\n\n"
        f"{menus}\n全省各地掀起项目建设热潮\n2022-02-13 20:04:17\n"
        "奋马扬鞭争春色，全省各地掀起项目建设热潮，一批重大项目集中开工。"
    )
    result = clean(text, Config(input="text"))
    assert result.title == "全省各地掀起项目建设热潮"
    assert result.metadata.published == "2022-02-13T20:04:17"
    assert "2022-02-13" not in result.text
