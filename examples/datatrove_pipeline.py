"""WARC files -> pagetidy -> JSONL with datatrove, on this machine, a Slurm cluster or Ray.

    pip install "pagetidy[datatrove]"                      # local
    pip install "pagetidy[datatrove]" "datatrove[ray]"     # Ray

    python examples/datatrove_pipeline.py local WARC_DIR OUT_DIR --tasks 4
    python examples/datatrove_pipeline.py slurm WARC_DIR OUT_DIR --tasks 1000 --partition cpu \\
        --venv /shared/venvs/pagetidy
    python examples/datatrove_pipeline.py ray WARC_DIR OUT_DIR --tasks 200   # after `ray start`

``WARC_DIR`` and ``OUT_DIR`` may be any fsspec path datatrove understands (``s3://...`` with
``datatrove[s3]``). Tasks split the WARC files between them, so use at most one task per file.
Clean documents go to ``OUT_DIR/clean``, failed, timed-out, empty and (with ``--drop-spam``)
spam documents with their raw bytes to ``OUT_DIR/excluded``, and statistics (per rule, per
family, per flag, per encoding) to ``OUT_DIR/logs/stats.json``. ``--dry-run`` builds the executor
and prints it without running anything.
"""

from __future__ import annotations

import argparse
import sys

from datatrove.executor.base import PipelineExecutor
from datatrove.pipeline.base import PipelineStep
from datatrove.pipeline.writers import JsonlWriter

from pagetidy import Config
from pagetidy.integrations.datatrove import PagetidyExtractor, PagetidyWarcReader


def build_pipeline(warcs: str, out: str, *, drop_spam: bool = False) -> list[PipelineStep]:
    """Reader, pagetidy step (excluded documents kept, raw bytes included) and JSONL writer."""
    return [
        PagetidyWarcReader(warcs, glob_pattern="*.warc.gz"),
        PagetidyExtractor(
            Config(),
            on_spam="drop" if drop_spam else "tag",
            on_mirror="tag",
            time_limit=30,
            exclusion_writer=JsonlWriter(f"{out}/excluded", save_media_bytes=True),
        ),
        JsonlWriter(f"{out}/clean"),
    ]


def build_executor(
    kind: str, pipeline: list[PipelineStep], out: str, args: argparse.Namespace
) -> PipelineExecutor:
    """The executor of the given kind, one CPU per task."""
    logs = f"{out}/logs"
    if kind == "local":
        from datatrove.executor import LocalPipelineExecutor  # noqa: PLC0415

        return LocalPipelineExecutor(
            pipeline, tasks=args.tasks, workers=args.workers, logging_dir=logs
        )
    if kind == "slurm":
        from datatrove.executor import SlurmPipelineExecutor  # noqa: PLC0415

        return SlurmPipelineExecutor(
            pipeline,
            tasks=args.tasks,
            time=args.time,
            partition=args.partition,
            cpus_per_task=1,
            mem_per_cpu_gb=2,
            job_name="pagetidy",
            venv_path=args.venv,
            logging_dir=logs,
        )
    if kind == "ray":
        from datatrove.executor import RayPipelineExecutor  # noqa: PLC0415

        return RayPipelineExecutor(
            pipeline,
            tasks=args.tasks,
            workers=args.workers,
            cpus_per_task=1,
            mem_per_cpu_gb=2,
            logging_dir=logs,
        )
    raise ValueError(f"unknown executor {kind!r}; valid: local, slurm, ray")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options of this example."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("executor", choices=("local", "slurm", "ray"))
    parser.add_argument("warcs", help="folder holding *.warc.gz files")
    parser.add_argument("out", help="output folder")
    parser.add_argument("--tasks", type=int, default=1)
    parser.add_argument("--workers", type=int, default=-1, help="tasks at a time (local, ray)")
    parser.add_argument("--partition", default="cpu", help="Slurm partition")
    parser.add_argument("--time", default="10:00:00", help="Slurm time limit per task")
    parser.add_argument("--venv", default=None, help="virtualenv to activate on Slurm nodes")
    parser.add_argument("--ray-address", default=None, help="Ray cluster address (ray)")
    parser.add_argument("--drop-spam", action="store_true", help="exclude spam-flagged pages")
    parser.add_argument("--dry-run", action="store_true", help="build the executor, do not run")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Build the pipeline and its executor, then run it (or print it with --dry-run)."""
    args = parse_args(argv)
    pipeline = build_pipeline(args.warcs, args.out, drop_spam=args.drop_spam)
    executor = build_executor(args.executor, pipeline, args.out, args)
    if args.dry_run:
        print(f"{type(executor).__name__}: {executor.world_size} tasks")
        for step in pipeline:
            print(f"  {step}")
        return 0
    if args.executor == "ray":
        import ray  # noqa: PLC0415 - only for the Ray executor

        # Joins the cluster `ray start` set up on this node (or RAY_ADDRESS); without one,
        # starts a single-machine Ray, which is how this example was tried.
        ray.init(address=args.ray_address)
    executor.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
