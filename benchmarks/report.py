"""Cost of explaining: diff mapping, Summary.add, the rich view and the HTML report, per page.

Cleans every page once, then times each report step over all results and checks on every page
that the inline diff's two sides are exactly ``raw_text`` and ``text``.

    python benchmarks/report.py ../shared/corpus
"""

from __future__ import annotations

import argparse
import io
import time
from pathlib import Path

from rich.console import Console

from pagetidy import Cleaner, PagetidyError
from pagetidy.report import Explanation, HtmlReport, Summary, diff_segments, explain_dict


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    args = parser.parse_args()
    cleaner = Cleaner()
    results = []
    for path in sorted(args.corpus.rglob("*.html")):
        try:
            results.append((path.name, cleaner.clean(path.read_bytes())))
        except PagetidyError as error:
            print(f"skipped {path}: {error}")
    count = len(results)

    start = time.perf_counter()
    for _, result in results:
        segments = diff_segments(result.raw_text, result.edits)
        assert "".join(s.text for s in segments if s.kind != "added") == result.raw_text
        assert "".join(s.text for s in segments if s.kind != "removed") == result.text
    diff = time.perf_counter() - start

    start = time.perf_counter()
    summary = Summary()
    for name, result in results:
        summary.add(result, name)
    summarize = time.perf_counter() - start

    start = time.perf_counter()
    for name, result in results:
        Console(file=io.StringIO(), width=120).print(Explanation(result, name))
    rich_view = time.perf_counter() - start

    start = time.perf_counter()
    for name, result in results:
        explain_dict(result, name)
    as_json = time.perf_counter() - start

    start = time.perf_counter()
    report = HtmlReport(max_pages=count)
    for name, result in results:
        report.add(result, name)
    page = report.render()
    as_html = time.perf_counter() - start

    print(f"{count} pages, both diff sides exact on every page")
    for label, seconds in [
        ("diff_segments", diff),
        ("Summary.add", summarize),
        ("rich Explanation", rich_view),
        ("explain_dict", as_json),
        ("HtmlReport (all pages)", as_html),
    ]:
        print(f"{label:<24} {seconds * 1000 / count:8.2f} ms/page")
    print(f"HTML report of all pages: {len(page.encode()) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
