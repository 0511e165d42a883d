"""The shared corpus of 250 real pages: every page cleans, none gains U+FFFD (skipped without it)."""

from __future__ import annotations

from pathlib import Path

from pagetidy import Cleaner, replay


def test_every_corpus_page_cleans_without_replacement_characters(shared: Path) -> None:
    cleaner = Cleaner()
    pages = sorted((shared / "corpus").rglob("*.html"))
    assert len(pages) >= 250
    broken = []
    for page in pages:
        result = cleaner.clean(page.read_bytes())
        gold = page.with_name(page.name.removesuffix(".html") + ".gold.txt")
        gold_has_fffd = gold.exists() and "\ufffd" in gold.read_text(encoding="utf-8")
        if "\ufffd" in result.text and not gold_has_fffd:
            broken.append(f"{page.name}: {result.encoding.note}")
        assert replay(result.raw_text, result.text_edits) == result.text, page.name
    assert broken == []


def test_seed_page_is_read_as_plain_text(shared: Path) -> None:
    result = Cleaner().clean((shared / "seed" / "000_6233025c9808fab0.txt").read_bytes())
    assert result.kind == "text"
    assert result.encoding.name == "utf-8"
    assert result.title is not None and result.title.startswith("株洲市石峰")
