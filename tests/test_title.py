"""Titles: site suffixes stripped, an h1 matching <title> preferred over a logo h1."""

from __future__ import annotations

import pytest

from pagetidy.parse import find_title, parse_html, strip_site_suffix


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("标题_新浪网", "标题"),
        ("标题-人民网", "标题"),
        ("标题 | 澎湃新闻", "标题"),
        ("国务院常务会议召开_滚动新闻_中国政府网", "国务院常务会议召开"),
        ("2023-2024学年校历发布-教务处", "2023-2024学年校历发布"),
        ("Spider-Man 电影回顾", "Spider-Man 电影回顾"),
        ("新浪网", "新浪网"),
    ],
)
def test_strip_site_suffix(title: str, expected: str) -> None:
    assert strip_site_suffix(title) == expected


def test_find_title_prefers_h1_matching_title() -> None:
    root = parse_html(
        "<html><head><title>江城举行龙舟赛_江城新闻网</title></head>"
        "<body><h1>江城新闻网</h1><h1>江城举行龙舟赛</h1></body></html>"
    )
    assert find_title(root) == ("江城举行龙舟赛", "<h1> matching <title>")


def test_find_title_ignores_a_logo_h1() -> None:
    root = parse_html(
        "<html><head><title>江城举行龙舟赛_江城新闻网</title></head>"
        "<body><h1>江城新闻网</h1><p>正文。</p></body></html>"
    )
    assert find_title(root) == ("江城举行龙舟赛", "<title>")
