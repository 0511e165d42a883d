"""Main-content extraction on small realistic pages: what is kept, what is left out, and why."""

from __future__ import annotations

from pathlib import Path

import pytest

from pagetidy import Cleaner, Config
from pagetidy.extract import extract
from pagetidy.model import Node, Result, replay
from pagetidy.parse import body_of, parse_html

from .conftest import PAGES


def clean_page(name: str, config: Config | None = None) -> Result:
    """Clean one fixture page from ``tests/fixtures/pages``."""
    return Cleaner(config).clean((PAGES / name).read_bytes())


def extraction_edits(result: Result) -> list[tuple[str, str]]:
    """The reason and removed text of every edit the extractor made."""
    return [
        (edit.reason, edit.before)
        for edit in result.edits
        if edit.rule == "extract-main-content"
    ]


def test_news_keeps_every_paragraph_across_the_ad() -> None:
    text = clean_page("news.html").text
    assert text.startswith("记者从江城区住房和城乡建设局获悉")
    assert "居民王女士说" in text
    assert text.endswith("每部补贴二十万元。")


def test_news_leaves_out_navigation_share_related_and_footer() -> None:
    text = clean_page("news.html").text
    for junk in ("首页", "当前位置", "分享到微信", "相关阅读", "热门排行", "网站地图", "ICP"):
        assert junk not in text


def test_news_removals_carry_node_paths_and_reasons() -> None:
    result = clean_page("news.html")
    edits = [edit for edit in result.edits if edit.rule == "extract-main-content"]
    assert edits
    assert all(isinstance(edit.where, Node) for edit in edits)
    assert all(edit.where.path.startswith("/html/body") for edit in edits)  # type: ignore[union-attr]
    assert {edit.reason for edit in edits} >= {"outside the main content"}


def test_news_title_drops_the_site_suffix() -> None:
    assert clean_page("news.html").title == "江城区推进老旧小区改造 今年将惠及三万户居民"


def test_government_table_layout_keeps_the_notice_and_its_data_table() -> None:
    text = clean_page("gov_table.html").text
    assert text.startswith("各乡镇人民政府，县直有关单位：")
    assert "城关镇\t12000\t8000" in text
    assert "三、加强技术指导服务" in text
    assert text.endswith("2024年3月1日")


def test_government_table_layout_leaves_out_column_menu_and_footer() -> None:
    text = clean_page("gov_table.html").text
    for junk in ("政策文件", "人事信息", "您现在的位置", "打印本页", "主办：", "公网安备"):
        assert junk not in text


def test_forum_keeps_every_post() -> None:
    text = clean_page("forum.html").text
    assert "一个果都没坐住" in text
    assert "用电动牙刷碰一下花柄" in text
    assert "开花期换成磷钾肥试试" in text


def test_forum_drops_user_panels_and_signatures() -> None:
    text = clean_page("forum.html").text
    for junk in ("积分", "番茄小白", "只看该作者", "个人小店", "十年阳台种菜经验", "Discuz"):
        assert junk not in text


def test_blog_keeps_headings_code_list_and_quote() -> None:
    text = clean_page("blog.html").text
    assert "读取拍摄时间" in text
    assert "getexif()" in text
    assert "同一秒拍摄的多张照片要加序号" in text
    assert "备份永远是第一步" in text


def test_blog_leaves_out_comments_tags_and_post_navigation() -> None:
    result = clean_page("blog.html")
    assert "谢谢博主" not in result.text
    assert "上一篇" not in result.text
    assert any("谢谢博主" in before for _, before in extraction_edits(result))


def test_blog_keeps_comments_when_configured() -> None:
    text = clean_page("blog.html", Config(keep_comments=True)).text
    assert "谢谢博主" in text
    assert "手机里导出的照片" in text


def test_encyclopedia_keeps_sections_and_infobox() -> None:
    text = clean_page("encyclopedia.html").text
    assert text.startswith("银杏")
    assert "形态特征" in text
    assert "界\t植物界" in text
    assert "可作庭园树及行道树" in text


def test_encyclopedia_leaves_out_catalog_references_and_related_entries() -> None:
    text = clean_page("encyclopedia.html").text
    for junk in ("目录", "参考资料", "中国植物志编辑委员会", "相关词条", "水杉"):
        assert junk not in text


def test_wechat_article_hidden_until_script_runs_is_kept() -> None:
    text = clean_page("wechat.html").text
    assert text.startswith("春风送暖")
    assert "凤凰山古道" in text


def test_wechat_profile_and_toolbar_are_left_out() -> None:
    text = clean_page("wechat.html").text
    for junk in ("阅读原文", "阅读 3256", "在看", "2024-04-01 18:00"):
        assert junk not in text


def test_data_table_beside_the_notice_is_kept() -> None:
    text = clean_page("admissions_table.html").text
    assert text.startswith("一、培养目标：")
    assert "五、考试：初试科目见下表" in text
    assert "050403 美术学\t01中国画理论与创作\t龙瑞" in text
    assert text.endswith("章柏青\t2\t1、英语或俄语或日语 2、专业基础 3、专业课")
    for junk in ("教育首页", "考研", "版权所有"):
        assert junk not in text


def test_book_table_of_contents_is_the_content() -> None:
    text = clean_page("novel_contents.html").text
    assert "少年林川，身负残剑" in text
    assert "1.第1章 山村少年" in text
    assert text.endswith("44.第44章 剑心通明")
    for junk in ("排行榜", "当前位置", "万古神帝", "ICP"):
        assert junk not in text


def test_chapter_page_leaves_out_the_latest_chapter_links() -> None:
    result = clean_page("novel_chapter.html")
    assert "林川握紧手中的残剑" in result.text
    assert result.text.endswith("接下了内门弟子的全力一剑。")
    for junk in ("第41章", "东海之滨", "上一章", "章节目录"):
        assert junk not in result.text


def test_extract_returns_none_without_content() -> None:
    body = body_of(parse_html("<body><a href='/'>首页</a> <a href='/x'>新闻</a></body>"))
    assert extract(body) is None


def test_extract_reads_prose_not_link_lists() -> None:
    links = "".join(f"<li><a href='/{n}'>一条很长的新闻标题第{n}条内容</a></li>" for n in range(20))
    markup = (
        f"<body><ul class='list'>{links}</ul><div><p>这是正文的第一段，讲述了事情的经过。"
        "记者在现场看到，救援人员正在紧张工作。</p><p>第二段，当地政府表示将全力做好善后工作。</p>"
        "</div></body>"
    )
    extraction = extract(body_of(parse_html(markup)))
    assert extraction is not None
    assert extraction.root.tag == "div"


def test_a_link_showing_its_address_is_part_of_the_post() -> None:
    markup = (
        "<html><body><div class='nav'><a href='/'>首页</a> <a href='/t'>话题</a> <a href='/u'>用户</a>"
        "</div><div class='post-body'><p>本项目基于 fof/filter 修改，支持内容安全检测，对不合规的内容"
        "自动进入审核、记录日志、入库，欢迎大家试用并反馈问题。</p><p>检测接口的说明文档："
        "<a href='https://help.example.com/doc/433945.html'>https://help.example.com/doc/433945.html"
        "</a></p><p>安装方法和配置项都写在仓库的说明里，升级前请先备份数据库，遇到问题可以在下面留言。"
        "</p><p><a href='https://github.com/example/filter-plus'>https://github.com/example/filter-plus"
        "</a></p><ul class='tags'><li><a href='/t/1'>扩展</a></li><li><a href='/t/2'>插件</a></li>"
        "</ul></div></body></html>"
    )
    text = Cleaner().clean(markup).text
    assert "检测接口的说明文档：https://help.example.com/doc/433945.html" in text
    assert "https://github.com/example/filter-plus" in text
    assert "首页" not in text


@pytest.mark.parametrize("name", sorted(path.name for path in PAGES.glob("*.html")))
def test_fixture_page_text_replays_from_raw_text(name: str) -> None:
    result = clean_page(name)
    assert replay(result.raw_text, result.text_edits) == result.text


def test_corpus_pages_clean_without_replacement_characters(shared: Path) -> None:
    cleaner = Cleaner()
    broken = [
        path.name
        for path in sorted((shared / "corpus").glob("*/*.html"))
        if "\ufffd" in cleaner.clean(path.read_bytes()).text
    ]
    assert broken == []


def test_forum_drops_post_action_bars() -> None:
    text = clean_page("forum_actions.html").text
    assert "想找一条六十公里左右" in text
    assert "推荐环湖绿道" in text
    assert "再带上足够的水和能量胶" in text
    for junk in ("点赞", "举报", "回复"):
        assert junk not in text


def test_netease_style_gentie_comment_box_is_a_comment_section() -> None:
    result = clean_page("news_gentie.html")
    assert "服务业扩张放缓与房地产市场调整有关" in result.text
    for junk in ("人跟贴", "文明上网", "网友甲"):
        assert junk not in result.text
    kept = clean_page("news_gentie.html", Config(keep_comments=True)).text
    assert "消费端的表现已经有所改善" in kept


def test_a_paragraph_explaining_a_hotline_is_content_not_a_footer() -> None:
    text = clean_page("hotline_howto.html").text
    assert "拨打【12388】全国纪检监察机关举报电话，进行检举控告。" in text
    assert "国务院“互联网+督查”平台留言" in text
    for junk in ("12377", "版权所有", "关于我们"):
        assert junk not in text
