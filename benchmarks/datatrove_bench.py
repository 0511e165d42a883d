"""pagetidy's datatrove step against datatrove's own Trafilatura extractor, on one WARC.

    python benchmarks/datatrove_bench.py ../shared/corpus [--repeat 2] [--tasks 1] 2>/dev/null

Builds a WARC.gz of the corpus pages in a temporary folder (never in the repository; each page
a ``response`` record with its manifest URL, ``Content-Type: text/html`` without a charset and
``WARC-Identified-Payload-Type: text/html``, as Common Crawl writes them), then runs each pipeline
on ``LocalPipelineExecutor`` with ``--tasks`` tasks, one per core:

- ``pagetidy``: PagetidyWarcReader -> PagetidyExtractor -> JsonlWriter
- ``trafilatura``: WarcReader -> Trafilatura (datatrove's defaults) -> JsonlWriter
- ``warcreader+pagetidy``: WarcReader -> PagetidyExtractor -> JsonlWriter, which shows what
  datatrove's own decoding loses before any extractor runs.

Prints, per pipeline: pages the extractor received (``in``) and wrote (``out``); pages/s per core
from the wall clock (``p/s/core``, depressed when other work shares the cores) and per CPU-second
of this process and its children (``p/cpu-s``, what one dedicated core would do); the extractor
step's own pages/s; characters kept; the load average; and F1 from ``score.py``
(``../tools/score.py`` beside the corpus), each output record mapped back to its corpus page
by its WARC-Record-ID.
Needs ``pip install ".[datatrove]" "trafilatura>=1.8,<1.12" lxml_html_clean``.
datatrove logs to stderr; the figures go to stdout.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.extractors import Trafilatura
from datatrove.pipeline.readers import WarcReader
from datatrove.pipeline.writers import JsonlWriter
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pagetidy.integrations.datatrove import PagetidyExtractor, PagetidyWarcReader


def build_warc(corpus: Path, folder: Path, repeat: int) -> tuple[dict[str, str], int]:
    """Write the corpus pages into one WARC.gz per repeat; record id -> 'source/name', pages."""
    rows = [
        json.loads(line)
        for line in (corpus / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    names: dict[str, str] = {}
    for copy in range(repeat):
        with (folder / f"corpus-{copy:02d}.warc.gz").open("wb") as stream:
            writer = WARCWriter(stream, gzip=True)
            for row in rows:
                page = corpus / row["source"] / f"{row['name']}.html"
                payload = page.read_bytes()
                url = row.get("url") or f"http://corpus.invalid/{row['source']}/{row['name']}"
                http = StatusAndHeaders(
                    "200 OK",
                    [("Content-Type", "text/html"), ("Content-Length", str(len(payload)))],
                    protocol="HTTP/1.1",
                )
                record = writer.create_warc_record(
                    url,
                    "response",
                    payload=io.BytesIO(payload),
                    http_headers=http,
                    warc_headers_dict={"WARC-Identified-Payload-Type": "text/html"},
                )
                writer.write_record(record)
                names[record.rec_headers.get_header("WARC-Record-ID")] = (
                    f"{row['source']}/{row['name']}"
                )
    return names, len(rows) * repeat


def pipelines(warc: Path) -> dict[str, tuple[object, object]]:
    """Reader and extractor of each compared pipeline."""
    return {
        "pagetidy": (PagetidyWarcReader(str(warc)), PagetidyExtractor()),
        "trafilatura": (WarcReader(str(warc)), Trafilatura()),
        "warcreader+pagetidy": (WarcReader(str(warc)), PagetidyExtractor()),
    }


def run(name: str, reader: object, extractor: object, work: Path, tasks: int) -> dict:
    """Run one pipeline; wall time, extractor time and the JSONL rows it wrote."""
    out = work / name
    executor = LocalPipelineExecutor(
        pipeline=[reader, extractor, JsonlWriter(str(out / "jsonl"))],
        tasks=tasks,
        workers=tasks,
        logging_dir=str(out / "logs"),
        # fork, not datatrove's default forkserver: pool workers must be this process's children
        # for their CPU time to show in os.times() once they are reaped.
        start_method="fork",
    )
    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    stats = executor.run()
    wall = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu_before
    rows = []
    for path in sorted((out / "jsonl").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            rows.extend(json.loads(line) for line in stream)
    step = stats.stats[1]
    return {
        "wall": wall,
        "cpu": cpu,
        "step_seconds": step.time_stats.total,
        "step_stats": step.stats.to_dict(),
        "rows": rows,
    }


def _cpu_seconds() -> float:
    """CPU time of this process and its reaped children (pool workers, extractor sandboxes)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def score(rows: list[dict], names: dict[str, str], corpus: Path, out: Path) -> dict | None:
    """Write rows as score.py predictions and return its overall figures (None without it)."""
    tool = corpus.parent / "tools" / "score.py"
    if not tool.exists():
        return None
    for row in rows:
        target = out / f"{names[row['id']]}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        meta = row.get("metadata", {})
        prediction = {
            "text": row.get("text", ""),
            "published": meta.get("published"),
            "author": meta.get("author"),
        }
        target.write_text(json.dumps(prediction, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(tool), "--pred", str(out), "--corpus", str(corpus), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def main() -> None:
    """Build the WARC, run the three pipelines, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--repeat", type=int, default=1, help="copies of the corpus in the WARC")
    parser.add_argument("--tasks", type=int, default=1, help="tasks (= worker processes)")
    parser.add_argument("--only", nargs="*", help="pipelines to run (default: all)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pagetidy-dtbench-") as tmp:
        work = Path(tmp)
        warc = work / "warc"
        warc.mkdir()
        names, pages = build_warc(args.corpus, warc, args.repeat)
        size = sum(path.stat().st_size for path in warc.iterdir())
        print(f"WARC: {pages} HTML records in {args.repeat} file(s), {size / 1e6:.1f} MB gzipped")
        print(f"{'pipeline':20} {'in':>4} {'out':>4} {'p/s/core':>8} {'p/cpu-s':>7} "
              f"{'step p/s':>8} {'chars kept':>10} {'F1':>5} {'P':>5} {'R':>5} "
              f"{'FFFD':>4} {'dropped':>14} load")
        for name, (reader, extractor) in pipelines(warc).items():
            if args.only and name not in args.only:
                continue
            result = run(name, reader, extractor, work, args.tasks)
            rows = result["rows"]
            first = {row["id"]: row for row in rows}
            figures = score(list(first.values()), names, args.corpus, work / f"pred-{name}")
            overall = figures["overall"] if figures else {}
            chars = sum(len(row.get("text", "")) for row in rows)
            step_stats = result["step_stats"]
            dropped = {
                key: value if isinstance(value, int) else value["total"]
                for key, value in step_stats.items()
                if key.startswith("dropped_") or key in ("timeout", "clean_error", "dropped")
            }
            per_core = pages / result["wall"] / args.tasks
            step_in = step_stats.get("total", 0)
            step_in = step_in if isinstance(step_in, int) else step_in["total"]
            seconds = result["step_seconds"]
            # The step's time is summed over tasks, so this is already a per-core rate.
            step_rate = step_in / seconds if seconds else 0.0
            load = " ".join(f"{value:.2f}" for value in os.getloadavg())
            fffd = figures.get("fffd_pages", "-") if figures else "-"
            print(
                f"{name:20} {step_in:>4} {len(rows):>4} {per_core:>8.1f} "
                f"{pages / result['cpu']:>7.1f} {step_rate:>8.1f} {chars:>10,} "
                f"{overall.get('F', 0):>5.3f} {overall.get('P', 0):>5.3f} "
                f"{overall.get('R', 0):>5.3f} {fffd:>4} {json.dumps(dropped):>14} {load}"
            )


if __name__ == "__main__":
    main()
