"""The HTML report opens in headless Chromium; screenshots are kept in artifacts/ to look at."""

from __future__ import annotations

import dataclasses
import struct
import subprocess
from pathlib import Path

import pytest

import pagetidy
from pagetidy import Flag
from pagetidy.report import HtmlReport
from tests.conftest import PAGES
from tests.test_report import PINNED

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
"""Git-ignored: screenshots from the last test run, for a person to look at."""

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")


def explain_report() -> HtmlReport:
    result = pagetidy.clean((PAGES / "explain_canteen.html").read_bytes(), PINNED)
    result = dataclasses.replace(result, flags=(Flag("mirror-copy", "本文转载自镜像站"),))
    report = HtmlReport()
    report.add(result, "explain_canteen.html")
    return report


def batch_report() -> HtmlReport:
    report = HtmlReport()
    for name in ("explain_notice.txt", "explain_canteen.html"):
        report.add(pagetidy.clean((PAGES / name).read_bytes(), PINNED), name)
    report.add_failure("broken.html", "empty input: no text to clean")
    return report


def chromium(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Headless Chromium, offline and quiet, on a local file."""
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *extra,
        page.as_uri(),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("kind", ["explain", "batch"])
def test_html_report_renders_in_headless_chromium(kind, tmp_path):
    report = explain_report() if kind == "explain" else batch_report()
    page = tmp_path / f"report-{kind}.html"
    report.write(page, title=f"pagetidy {kind}")
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / f"report-{kind}.png"
    screenshot.unlink(missing_ok=True)
    shot = chromium(
        page, tmp_path / "profile", f"--screenshot={screenshot}", "--window-size=1280,2000"
    )
    assert screenshot.exists(), shot.stderr[-2000:]
    assert png_size(screenshot) == (1280, 2000)
    assert screenshot.stat().st_size > 20_000  # a blank page compresses to a few kB

    dom = chromium(page, tmp_path / "profile-dom", "--dump-dom").stdout
    assert f"<title>pagetidy {kind}</title>" in dom
    assert '<del title="drop-icp-line: ICP filing number line">' in dom
    assert "drop-hidden-elements" in dom
    if kind == "batch":
        assert "<h2>Summary</h2>" in dom and "broken.html" in dom

