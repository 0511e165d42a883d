"""Batch throughput and memory: pages/s with -j 1 and -j 2 on a corpus, and the peak memory of
a JSONL run over many corpus pages.

The -j runs write mirrored JSON like ``pagetidy clean CORPUS --glob '*.html' -o OUT --format
json``; they alternate (1, 2, 1, 2...) so load from other processes hits both alike, and the best
run of each counts. The memory run builds a JSONL of ``--pages`` records from the corpus pages
(cycled) and runs ``pagetidy clean X.jsonl --format jsonl -o OUT -j 2`` in a subprocess, sampling
the resident memory of its whole process tree (parent, fork server, workers). Linux only (/proc).

    python benchmarks/batch.py ../shared/corpus [--repeat 2] [--pages 10000]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from pagetidy import batch
from pagetidy.decode import decode
from pagetidy.errors import PagetidyError


class CpuSampler:
    """CPU seconds of this process's descendants (the workers), sampled in a thread."""

    def __init__(self) -> None:
        self.seen: dict[int, float] = {}
        self.own = 0.0
        """CPU seconds the sampling thread used itself (counted in this process's time)."""
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> CpuSampler:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stopped.set()
        self.thread.join()

    def _sample(self) -> None:
        tick = os.sysconf("SC_CLK_TCK")
        start = time.thread_time()
        while not self.stopped.wait(0.05):
            self.own = time.thread_time() - start
            for pid in descendants(os.getpid()) - {os.getpid()}:
                try:
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                self.seen[pid] = (int(fields[11]) + int(fields[12])) / tick


def throughput(corpus: Path, workers: int, out: Path) -> tuple[int, float, float, list[float]]:
    """One mirrored JSON run over ``corpus``: pages, seconds, parent and busy workers' CPU."""
    options = batch.Options(
        inputs=[str(corpus)], output=str(out), format="json", globs=("*.html",), workers=workers
    )
    start, cpu = time.perf_counter(), time.process_time()
    with CpuSampler() as sampler:
        count = sum(1 for _ in batch.run(options))
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu - sampler.own
    workers_cpu = sorted((value for value in sampler.seen.values() if value > 0.5), reverse=True)
    return count, seconds, cpu, workers_cpu


def build_jsonl(corpus: Path, pages: int, path: Path) -> int:
    """Write ``pages`` JSONL records cycling the corpus pages (decoded to text); its size."""
    texts = []
    for page in sorted(corpus.rglob("*.html")):
        try:
            texts.append((page, decode(page.read_bytes()).text))
        except PagetidyError:
            continue
    with path.open("w", encoding="utf-8") as handle:
        for number, (page, text) in zip(range(pages), itertools.cycle(texts)):
            row = {"id": f"{number}", "url": f"file://{page}", "html": text}
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path.stat().st_size


def descendants(root: int) -> set[int]:
    """``root`` and every process below it."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree = {root}
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return tree


def tree_rss(root: int) -> tuple[int, int]:
    """Resident bytes of ``root`` and all its descendants: the sum, and the largest one."""
    sizes = []
    for pid in descendants(root):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) * 1024)
    return sum(sizes), max(sizes, default=0)


def memory_run(source: Path, out: Path, workers: int) -> tuple[float, int, int, int]:
    """Run the CLI over ``source``; seconds, exit code, peak tree RSS and peak process RSS."""
    command = [sys.executable, "-m", "pagetidy", "clean", str(source), "--format", "jsonl"]
    command += ["-o", str(out), "-j", str(workers), "-q"]
    start = time.perf_counter()
    process = subprocess.Popen(command)
    peak_sum = peak_one = 0
    while process.poll() is None:
        total, largest = tree_rss(process.pid)
        peak_sum, peak_one = max(peak_sum, total), max(peak_one, largest)
        time.sleep(0.1)
    return time.perf_counter() - start, process.returncode, peak_sum, peak_one


def main() -> None:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--pages", type=int, default=10_000, help="records in the JSONL run")
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()

    print(f"cores: {os.cpu_count()}, load average at start: {os.getloadavg()}")
    best: dict[int, tuple[int, float]] = {}
    unloaded: dict[int, tuple[int, float]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for run, workers in enumerate(itertools.chain.from_iterable([[1, 2]] * args.repeat)):
            count, seconds, cpu, busy = throughput(args.corpus, workers, Path(scratch) / f"r{run}")
            used = ", ".join(f"{value:.2f}" for value in busy)
            print(
                f"-j {workers}: {count} pages in {seconds:.2f} s = {count / seconds:.1f} pages/s"
                f"  (CPU s: parent {cpu:.2f}, workers {used})"
            )
            if workers not in best or seconds < best[workers][1]:
                best[workers] = (count, seconds)
            # On an otherwise idle machine a run lasts about as long as its busiest process
            # needs the CPU: the parent and the workers overlap.
            critical = max([cpu, *busy])
            if workers not in unloaded or critical < unloaded[workers][1]:
                unloaded[workers] = (count, critical)
        speed = {workers: count / seconds for workers, (count, seconds) in best.items()}
        print(
            f"best wall clock: -j 1 {speed[1]:.1f} pages/s, -j 2 {speed[2]:.1f} pages/s, "
            f"ratio {speed[2] / speed[1]:.2f}"
        )
        bound = {workers: count / cpu for workers, (count, cpu) in unloaded.items()}
        print(
            f"by CPU time of the busiest process (an idle machine's figure): -j 1 "
            f"{bound[1]:.1f} pages/s, -j 2 {bound[2]:.1f} pages/s, ratio {bound[2] / bound[1]:.2f}"
        )
        print(f"load average after the -j runs: {os.getloadavg()}")
        if args.skip_memory:
            return
        source = Path(scratch) / "pages.jsonl"
        size = build_jsonl(args.corpus, args.pages, source)
        seconds, code, peak_sum, peak_one = memory_run(source, Path(scratch) / "out.jsonl", 2)
        lines = sum(1 for _ in (Path(scratch) / "out.jsonl").open("rb"))
        print(
            f"JSONL run: {args.pages} records ({size / 2**20:.0f} MiB) -> {lines} lines, "
            f"exit {code}, {seconds:.1f} s = {args.pages / seconds:.1f} pages/s, -j 2"
        )
        print(
            f"peak RSS: {peak_sum / 2**20:.0f} MiB for the whole process tree (sum), "
            f"{peak_one / 2**20:.0f} MiB for the largest process"
        )
        print(f"load average at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
