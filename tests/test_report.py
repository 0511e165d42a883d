"""The explanation of a clean: the inline diff mapped onto raw_text, tables, summary, JSON, CLI."""

from __future__ import annotations

import dataclasses
import io
import json
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

import pagetidy
from pagetidy import Config, Edit, Flag, Result, Span, replay
from pagetidy.cli import main
from pagetidy.model import Encoding, Metadata
from pagetidy.report import (
    Explanation,
    HtmlReport,
    PageStats,
    Segment,
    Summary,
    diff_segments,
    explain_dict,
    rule_rows,
    script_of,
)
from pagetidy.rules import REGISTRY
from tests.conftest import PAGES

NOTICE = PAGES / "explain_notice.txt"
CANTEEN = PAGES / "explain_canteen.html"

PINNED_RULES = {"drop-hidden-elements", "drop-icp-line", "collapse-spaces", "collapse-blank-lines"}
"""The rules these rendering tests reason about; the others are off so new rules change nothing."""
UNPINNED = sorted(rule.name for rule in REGISTRY if rule.name not in PINNED_RULES)
PINNED = Config(disable=frozenset(UNPINNED))
PINNED_ARGS = [argument for name in UNPINNED for argument in ("--disable", name)]


def clean_pinned(path: Path) -> Result:
    """Clean a fixture page with the pinned rules only."""
    return pagetidy.clean(path.read_bytes(), PINNED)


def run_steps(raw: str, steps: list[tuple[str, list[tuple[int, int, str]]]]) -> Result:
    """A Result as the pipeline builds it: each (rule, changes) step edits the text it receives."""
    text = raw
    edits: list[Edit] = []
    for rule, changes in steps:
        step = [
            Edit(rule, "test", text[start:end], after, Span(start, end), f"{rule} reason")
            for start, end, after in sorted(changes)
        ]
        text = pagetidy.model.apply_edits(text, step)
        edits.extend(step)
    return Result(text, raw, Metadata(), tuple(edits), Encoding("unicode", "unicode"), "text")


def sides(segments: list[Segment]) -> tuple[str, str]:
    """(kept + removed, kept + added): the raw text and the clean text the diff describes."""
    before = "".join(s.text for s in segments if s.kind != "added")
    after = "".join(s.text for s in segments if s.kind != "removed")
    return before, after


def render(renderable: object, *, colour: bool, width: int = 100) -> str:
    out = io.StringIO()
    if colour:
        console = Console(file=out, width=width, force_terminal=True, color_system="truecolor")
    else:
        console = Console(file=out, width=width)
    console.print(renderable)
    return out.getvalue()


# diff_segments: mapping every rule's spans back onto raw_text


def test_diff_segments_later_rule_spans_are_mapped_through_earlier_edits():
    raw = "标题\n\n来源：江城  时间：5月\n正文一\nICP备案号：湘ICP备17016663号-1"
    result = run_steps(
        raw,
        [
            ("drop-icp-line", [(raw.index("\nICP"), len(raw), "")]),
            ("collapse-spaces", [(9, 11, " ")]),
            ("collapse-blank-lines", [(3, 4, "")]),
        ],
    )
    segments = diff_segments(result.raw_text, result.edits)
    assert sides(segments) == (raw, result.text)
    assert segments == [
        Segment("kept", "标题\n"),
        Segment("removed", "\n", "collapse-blank-lines", "collapse-blank-lines reason"),
        Segment("kept", "来源：江城"),
        Segment("removed", "  ", "collapse-spaces", "collapse-spaces reason"),
        Segment("added", " ", "collapse-spaces", "collapse-spaces reason"),
        Segment("kept", "时间：5月\n正文一"),
        Segment(
            "removed", "\nICP备案号：湘ICP备17016663号-1", "drop-icp-line", "drop-icp-line reason"
        ),
    ]


def test_diff_segments_text_added_then_removed_is_in_neither_side():
    raw = "甲  乙\n丙"
    result = run_steps(raw, [("fold", [(1, 3, " ")]), ("drop-line", [(0, 4, "")])])
    assert result.text == "丙"
    assert diff_segments(raw, result.edits) == [
        Segment("removed", "甲", "drop-line", "drop-line reason"),
        Segment("removed", "  ", "fold", "fold reason"),
        Segment("removed", "乙\n", "drop-line", "drop-line reason"),
        Segment("kept", "丙"),
    ]


def test_diff_segments_insertion_and_replacement_of_added_text():
    raw = "一二三"
    result = run_steps(raw, [("insert", [(1, 1, "，")]), ("swap", [(1, 2, ",")])])
    assert result.text == "一,二三"
    assert diff_segments(raw, result.edits) == [
        Segment("kept", "一"),
        Segment("added", ",", "swap", "swap reason"),
        Segment("kept", "二三"),
    ]


def test_diff_segments_skips_dom_edits_and_refuses_foreign_edits():
    dom = Edit("extract-main-content", "extract", "导航", "", pagetidy.Node("/html/body/div"), "r")
    assert diff_segments("正文", [dom]) == [Segment("kept", "正文")]
    foreign = Edit("drop", "test", "别的", "", Span(0, 2), "r")
    with pytest.raises(ValueError, match="does not match"):
        diff_segments("正文", [foreign])


@st.composite
def edited_texts(draw):
    raw = draw(st.text(alphabet="ab 中文\n", max_size=30))
    text = raw
    steps = []
    for number in range(draw(st.integers(0, 4))):
        cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=6)))
        changes = []
        for start, end in zip(cuts[::2], cuts[1::2], strict=False):
            if changes and start < changes[-1][1]:
                continue
            changes.append((start, end, draw(st.sampled_from(["", " ", "，", "\n", "新词"]))))
        if changes:
            steps.append((f"rule-{number}", changes))
            text = run_steps(text, [steps[-1]]).text
    return run_steps(raw, steps)


@given(edited_texts())
def test_diff_segments_sides_are_raw_and_clean_text(result):
    segments = diff_segments(result.raw_text, result.edits)
    assert replay(result.raw_text, result.edits) == result.text
    assert sides(segments) == (result.raw_text, result.text)
    assert all(segment.text for segment in segments)
    assert all((s.rule is None) == (s.kind == "kept") for s in segments)


# The rich explanation, in colour and with plain markers


def test_explanation_lists_every_rule_that_fired_with_counts():
    result = clean_pinned(NOTICE)
    output = render(Explanation(result, "notice.txt"), colour=False)
    rows = {row.rule: row for row in rule_rows(result.edits)}
    assert set(rows) == {"drop-icp-line", "collapse-spaces", "collapse-blank-lines"}
    for row in rows.values():
        line = next(line for line in output.splitlines() if f" {row.rule} " in line)
        assert f" {row.edits} " in line, line
    assert "utf-8 (detected)" in output
    assert "Metadata  none found" in output


def test_explanation_without_colour_uses_word_diff_markers():
    result = clean_pinned(NOTICE)
    output = render(Explanation(result), colour=False)
    assert "[-ICP备案号：湘ICP备17016663号-1-]" in output
    assert "来源：江城新闻网[-···-]{+·+}时间" in output
    assert "[-↵-]" in output
    assert "\x1b[" not in output


def test_explanation_in_colour_strikes_removed_text_and_greens_additions():
    result = clean_pinned(NOTICE)
    output = render(Explanation(result), colour=True)
    assert "\x1b[9;31mICP备案号：湘ICP备17016663号-1\x1b[0m" in output  # strike, red
    assert "\x1b[1;32m·\x1b[0m" in output  # bold green
    assert "[-" not in output


def test_explanation_honours_no_color(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    out = io.StringIO()
    Console(file=out, width=100, force_terminal=True).print(
        Explanation(clean_pinned(NOTICE))
    )
    assert "[-ICP备案号：湘ICP备17016663号-1-]" in out.getvalue()


def test_explanation_folds_long_unchanged_stretches():
    output = render(Explanation(clean_pinned(NOTICE)), colour=False)
    assert "⋯ 6 unchanged lines ⋯" in output
    assert "截至目前" not in output  # line 7, inside the folded run
    long_line = "河道" * 200
    result = run_steps(f"{long_line}多余", [("drop-tail", [(400, 402, "")])])
    folded = render(Explanation(result), colour=False)
    assert "⋯280 chars⋯" in folded
    assert "[-多余-]" in folded


def test_explanation_shows_removed_elements_metadata_origins_and_flags():
    result = clean_pinned(CANTEEN)
    result = dataclasses.replace(result, flags=(Flag("mirror-copy", "本文转载自镜像站"),))
    output = render(Explanation(result), colour=False, width=160)
    assert "Removed elements (DOM stage)" in output
    assert "drop-hidden-elements" in output
    assert "/html/body/div[2]/div" in output
    assert "社区食堂 长者食堂 江城 养老" in output
    assert "社区食堂开张 老人吃饭不再难  from <h1> matching <title>" in output
    assert "Lang      zh-CN  from <html lang>" in output
    assert "Flag      mirror-copy  本文转载自镜像站" in output
    assert "[-京ICP备12345678号-1-]" in output


def test_result_rich_shows_the_explanation_and_model_import_stays_rich_free():
    result = clean_pinned(NOTICE)
    assert "Rules that fired" in render(result, colour=False)
    code = "import sys, pagetidy; pagetidy.clean('<p>你好</p>'); print('rich' in sys.modules)"
    probe = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert probe.stdout.strip() == "False"


# Summary over many pages


def test_summary_counts_pages_rules_characters_and_failures():
    summary = Summary()
    notice = clean_pinned(NOTICE)
    summary.add(notice, "notice.txt")
    summary.add(clean_pinned(CANTEEN), "canteen.html")
    summary.add_failure("empty.html", pagetidy.InputError("empty input: no text to clean"))
    figures = summary.to_dict()
    assert (figures["pages"], figures["cleaned"], figures["failed"]) == (3, 2, 1)
    assert figures["rules"]["drop-icp-line"]["pages"] == 2
    assert figures["rules"]["drop-icp-line"]["edits"] == 2
    assert figures["families"]["whitespace"]["edits"] == sum(
        row.edits for row in rule_rows(notice.edits) if row.family == "whitespace"
    )
    assert figures["encodings"] == {"utf-8": 2}
    assert figures["scripts"] == {"Hans": 2}
    kept = len(notice.text) + len(clean_pinned(CANTEEN).text)
    assert figures["chars"]["kept"] == kept
    failure = {"source": "empty.html", "error": "empty input: no text to clean"}
    assert figures["failures"] == [failure]
    json.dumps(figures)


def test_summary_renders_tables_and_merges_worker_summaries():
    notice = clean_pinned(NOTICE)
    stats = pickle.loads(pickle.dumps(PageStats.of(notice, "notice.txt")))
    worker_a, worker_b, whole = Summary(), Summary(), Summary()
    worker_a.add(stats)
    worker_b.add_failure("broken.html", "cannot read input")
    whole.merge(worker_a)
    whole.merge(worker_b)
    assert whole.to_dict()["pages"] == 2
    assert whole.to_dict()["rules"] == worker_a.to_dict()["rules"]
    output = render(whole, colour=False)
    for expected in ("Pages", "Failed", "collapse-blank-lines", "whitespace", "broken.html"):
        assert expected in output


def test_script_of_tells_simplified_traditional_mixed_and_none():
    assert script_of("为进一步激发基层党建活力") == "Hans"
    assert script_of("為進一步激發基層黨建活力") == "Hant"
    assert script_of("為進一步激發基層黨建活力。青川县、贵德县、建阳市、汕头市、连山") == "mixed"
    assert script_of("Hello, world 2024") == "none"


# JSON and the command line


def test_explain_dict_gives_edits_positions_and_summary():
    data = explain_dict(clean_pinned(CANTEEN), "canteen.html")
    json.dumps(data)
    icp = next(edit for edit in data["edits"] if edit["rule"] == "drop-icp-line")
    assert icp == {
        "rule": "drop-icp-line",
        "family": "licence",
        "stage": "text",
        "reason": "ICP filing number line",
        "before": "京ICP备12345678号-1\n",
        "after": "",
        "position": icp["position"],
    }
    assert set(icp["position"]) == {"start", "end"}
    hidden = next(edit for edit in data["edits"] if edit["stage"] == "dom")
    assert hidden["position"] == {"path": "/html/body/div[2]/div"}
    assert data["summary"]["rules"]["drop-icp-line"]["edits"] == 1
    assert data["metadata"]["origins"]["title"] == "<h1> matching <title>"


def test_cli_explain_prints_rules_and_plain_markers(capsys):
    assert main(["explain", str(NOTICE), *PINNED_ARGS]) == 0
    output = capsys.readouterr().out
    assert "drop-icp-line" in output
    assert "[-ICP备案号：湘ICP备17016663号-1-]" in output


def test_cli_explain_json_and_html(capsys, tmp_path):
    target = tmp_path / "report.html"
    arguments = ["explain", str(CANTEEN), "--format", "json", "--report-html", str(target)]
    assert main([*arguments, *PINNED_ARGS]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {row["rule"] for row in data["rules"]} == {"drop-icp-line", "drop-hidden-elements"}
    page = target.read_text(encoding="utf-8")
    assert '<del title="drop-icp-line: ICP filing number line">京ICP备12345678号-1</del>' in page
    assert "<script" not in page
    assert "http" not in page.split("<body>", 1)[0]


def test_cli_clean_summary_and_report_html(capsys, tmp_path):
    target = tmp_path / "run.html"
    missing = tmp_path / "missing.html"
    arguments = ["clean", str(NOTICE), str(CANTEEN), str(missing), "--summary", *PINNED_ARGS]
    assert main([*arguments, "--report-html", str(target)]) == 1
    captured = capsys.readouterr()
    assert "社区食堂开张" in captured.out
    assert "Pages               3" in captured.err
    assert "drop-icp-line" in captured.err
    page = target.read_text(encoding="utf-8")
    assert "<h2>Summary</h2>" in page
    assert page.count('<details class="page">') == 2
    assert str(missing) in page


def test_html_report_shows_first_pages_only():
    report = HtmlReport(max_pages=1)
    for _ in range(3):
        report.add(clean_pinned(NOTICE), "notice.txt")
    page = report.render()
    assert page.count('<details class="page">') == 1
    assert "2 more pages not shown." in page


def test_explanation_marks_a_line_break_a_rule_added():
    result = run_steps("甲乙\n丙", [("split-line", [(1, 1, "\n")])])
    lines = render(Explanation(result), colour=False).splitlines()
    start = lines.index("Text changes (raw → clean)")
    assert [line.rstrip() for line in lines[start + 1 :]] == ["1 甲{+↵+}", "  乙", "2 丙"]


def test_explain_seed_shows_every_rule_and_strikes_every_removed_line(shared):
    result = pagetidy.clean((shared / "seed" / "000_6233025c9808fab0.txt").read_bytes())
    output = render(Explanation(result, context=0), colour=False, width=20_000)
    for row in rule_rows(result.edits):
        line = next(line for line in output.splitlines() if f" {row.rule} " in line)
        assert f" {row.edits:,} " in line, line
    # Adjacent removals (a line's pinyin, then the line) are struck as one run.
    struck = "\n".join(re.findall(r"\[-(.*?)-\]", output))
    for segment in diff_segments(result.raw_text, result.edits):
        for piece in segment.text.split("\n"):
            if segment.kind == "removed" and piece.strip():
                assert piece in struck, piece


def test_explanation_strikes_a_line_two_rules_removed_as_one_run():
    raw = "正文\n备案号(hào)：湘ICP备17016663号"
    result = run_steps(raw, [("strip-pinyin", [(6, 11, "")]), ("drop-line", [(2, 21, "")])])
    assert result.text == "正文"
    output = render(Explanation(result), colour=False)
    assert "2 [-备案号(hào)：湘ICP备17016663号-]" in output
