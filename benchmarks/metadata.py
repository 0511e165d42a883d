"""Published date and author against a corpus's references, page by page, with where each came from.

Reads ``<name>.meta.json`` (``date``, ``author``) and ``<name>.expect.json`` (``date``/``author``
lists, or ``publishing_date``/``authors``) beside each page, compares the year-month-day and the
author name the way ``../shared/tools/score.py`` does, and prints one row per page and a summary.
(``benchmarks/quality.py`` writes the predictions ``score.py`` reads.)

    python benchmarks/metadata.py ../shared/corpus [--disable RULE ...]
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from pagetidy import Cleaner, Config
from pagetidy.normalize import converter

_DATE = re.compile(r"(\d{4})(?:\D{1,3}(\d{1,2}))?(?:\D{1,3}(\d{1,2}))?")
_SEPARATORS = re.compile(r"[\s\u3000、,，;；/&·]+")
_UNKNOWN = {"", "UNKNOWN", "UNKNWON", "NONE", "NULL"}


def date_parts(value: object) -> tuple[int, ...]:
    """(year, month, day) as far as ``value`` gives them."""
    match = _DATE.search(str(value or ""))
    return tuple(int(part) for part in match.groups() if part) if match else ()


def name_key(value: object) -> str:
    """A name without separators, in simplified script; '' for unknown."""
    text = _SEPARATORS.sub("", str(value or ""))
    return "" if text.upper() in _UNKNOWN else converter("t2s").convert(text)


def references(page: Path) -> tuple[object, object]:
    """The reference date and author of a page, from whichever file gives them."""
    meta = page.with_name(page.stem + ".meta.json")
    expect = page.with_name(page.stem + ".expect.json")
    if meta.exists():
        data = json.loads(meta.read_text(encoding="utf-8"))
        return data.get("date"), data.get("author")
    if expect.exists():
        data = json.loads(expect.read_text(encoding="utf-8"))
        date = data.get("date") or data.get("publishing_date")
        author = data.get("author") or data.get("authors")
        return (date[0] if isinstance(date, list) and date else date,
                " ".join(author) if isinstance(author, list) else author)
    return None, None


def main() -> None:
    """Clean every page that has a reference date or author and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--disable", nargs="*", default=[])
    args = parser.parse_args()

    cleaner = Cleaner(Config(disable=frozenset(args.disable)))
    tally = {"date": [0, 0], "author": [0, 0]}
    for page in sorted(args.corpus.glob("*/*.html")):
        result = cleaner.clean(page.read_bytes())
        want_date, want_author = references(page)
        meta = result.metadata
        row = []
        if date_parts(want_date):
            hit = date_parts(meta.published)[: len(date_parts(want_date))] == date_parts(want_date)
            tally["date"][0] += hit
            tally["date"][1] += 1
            row.append(f"date {'ok ' if hit else 'MISS'} {want_date} <- {meta.published}"
                       f" [{meta.origins.get('published', '')}]")
        if name_key(want_author):
            got = name_key(meta.author)
            want = name_key(want_author)
            hit = bool(got) and (want in got or (len(got) >= 2 and got in want))
            tally["author"][0] += hit
            tally["author"][1] += 1
            row.append(f"author {'ok ' if hit else 'MISS'} {want_author} <- {meta.author}"
                       f" [{meta.origins.get('author', '')}]")
        if row:
            print(f"{page.parent.name}/{page.stem}: " + " | ".join(row))
    for field, (hits, total) in tally.items():
        print(f"{field}: {hits}/{total} = {hits / max(total, 1):.1%}")


if __name__ == "__main__":
    main()
