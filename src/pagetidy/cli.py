"""The ``pagetidy`` command: argument wiring only; all behaviour lives in the library."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from rich.console import Console

from pagetidy import __version__, batch, report
from pagetidy.errors import ConfigError, PagetidyError
from pagetidy.pipeline import DEFAULT_MAX_BYTES, TARGET_SCRIPTS, Cleaner, Config
from pagetidy.rules import REGISTRY

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="pagetidy",
        description="Clean scraped Chinese web pages into main text, and explain every change.",
    )
    parser.add_argument("--version", action="version", version=f"pagetidy {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    clean = commands.add_parser(
        "clean", help="clean pages, folders, JSONL or WARC files into text or JSON"
    )
    clean.add_argument(
        "inputs",
        nargs="*",
        metavar="INPUT",
        help="files, folders, .jsonl or .warc(.gz) files, or - for stdin (the default)",
    )
    clean.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="a file for one page or --format jsonl; a folder mirroring the inputs otherwise",
    )
    clean.add_argument(
        "--format", choices=("text", "json", "jsonl", "markdown"), default="text"
    )
    clean.add_argument(
        "--summary", action="store_true", help="end with a table of figures on stderr"
    )
    clean.add_argument("--report-html", metavar="FILE", help="also write an HTML report here")
    _add_config_options(clean)
    _add_batch_options(clean)

    explain = commands.add_parser("explain", help="show what every rule changed on one page")
    explain.add_argument("path", metavar="INPUT", help="a file, or - for stdin")
    explain.add_argument("--format", choices=("rich", "json"), default="rich")
    explain.add_argument("--report-html", metavar="FILE", help="also write an HTML report here")
    explain.add_argument(
        "--context", type=int, default=1, metavar="N", help="unchanged lines around a change"
    )
    _add_config_options(explain)

    commands.add_parser("rules", help="list the rules in the order they run")
    return parser


def _add_config_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--encoding", metavar="ENC", help="force the input charset")
    parser.add_argument(
        "--input", choices=("auto", "html", "text"), default="auto", help="input kind"
    )
    parser.add_argument(
        "--disable", action="append", default=[], metavar="RULE", help="do not run RULE"
    )
    parser.add_argument(
        "--enable", action="append", default=[], metavar="RULE", help="also run RULE"
    )
    parser.add_argument(
        "--keep-comments", action="store_true", help="keep reader comments in the main content"
    )
    parser.add_argument(
        "--reference-date",
        metavar="DATE",
        help="when the page was fetched (ISO 8601), to read 9月26日 and 3小时前",
    )
    parser.add_argument(
        "--to",
        choices=TARGET_SCRIPTS,
        default="hans",
        help="target script (default hans: simplified; none keeps the page's script)",
    )
    parser.add_argument(
        "--phrases", action="store_true", help="convert regional vocabulary too (软件 -> 軟體)"
    )
    parser.add_argument(
        "--protect",
        action="append",
        default=[],
        metavar="TEXT",
        help="leave TEXT unnormalized (literal; prefix re: for a regex); repeatable",
    )


def _add_batch_options(parser: argparse.ArgumentParser) -> None:
    batch_options = parser.add_argument_group("batch options")
    batch_options.add_argument(
        "--glob",
        action="append",
        dest="globs",
        metavar="PATTERN",
        help="which files of a folder to clean (repeatable; default: "
        + " ".join(batch.DEFAULT_GLOBS)
        + ")",
    )
    for name, holds in (("html", "the page"), ("url", "its address"), ("id", "its id")):
        batch_options.add_argument(
            f"--{name}-field",
            default=name,
            metavar="NAME",
            help=f"the JSONL field holding {holds} (default: %(default)s)",
        )
    batch_options.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=batch.default_workers(),
        metavar="N",
        help="worker processes (default: the number of cores)",
    )
    batch_options.add_argument(
        "--timeout",
        type=float,
        default=batch.DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help="time limit per page (default: %(default)g)",
    )
    batch_options.add_argument(
        "--max-bytes",
        type=int,
        default=DEFAULT_MAX_BYTES,
        metavar="N",
        help="size limit per page (default: %(default)d)",
    )
    batch_options.add_argument(
        "--resume", action="store_true", help="skip records whose output is already written"
    )
    batch_options.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bar (errors are still printed)"
    )


def config_from(args: argparse.Namespace) -> Config:
    """The library Config the parsed options describe."""
    return Config(
        disable=frozenset(args.disable),
        enable=frozenset(args.enable),
        encoding=args.encoding,
        input=args.input,
        max_bytes=getattr(args, "max_bytes", DEFAULT_MAX_BYTES),
        reference_date=args.reference_date,
        to=args.to,
        phrases=args.phrases,
        protect=tuple(args.protect),
        keep_comments=args.keep_comments,
    )


def options_from(args: argparse.Namespace) -> batch.Options:
    """The batch Options the parsed arguments describe."""
    return batch.Options(
        inputs=tuple(args.inputs),
        output=args.output,
        format=args.format,
        globs=tuple(args.globs or batch.DEFAULT_GLOBS),
        html_field=args.html_field,
        url_field=args.url_field,
        id_field=args.id_field,
        workers=args.jobs,
        timeout=args.timeout,
        resume=args.resume,
        keep_results=bool(args.summary or args.report_html),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv``; return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        if args.command == "rules":
            return _list_rules(sys.stdout)
        if args.command == "explain":
            return _explain(args)
        return _clean(args)
    except PagetidyError as error:
        print(f"pagetidy: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK
    except OSError as error:  # an output that cannot be written: stop, keep what is written
        print(f"pagetidy: {error}", file=sys.stderr)
        return EXIT_FAILED
    except batch.Interrupted as stop:  # SIGINT or SIGTERM during a batch
        return stop.exit_code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


def _list_rules(out: IO[str]) -> int:
    width = max(len(rule.name) for rule in REGISTRY)
    for rule in REGISTRY:
        default = "" if rule.default else " (off by default)"
        out.write(f"{rule.name:<{width}}  {rule.family:<10}  {rule.summary}{default}\n")
    return EXIT_OK


def _clean(args: argparse.Namespace) -> int:
    if args.jobs < 1:
        raise ConfigError(f"-j must be 1 or more, got {args.jobs}")
    config = config_from(args)
    options = options_from(args)
    show = not args.quiet and sys.stderr.isatty()
    total = batch.count_records(options, config.max_bytes) if show else None
    failed = 0
    summary = report.HtmlReport() if args.report_html else report.Summary()
    with batch.stop_on_signals(), batch.ProgressBar(sys.stderr, total, enabled=show) as progress:
        for outcome in batch.run(options, config, sys.stdout):
            progress.advance(outcome)
            if outcome.error is not None:
                failed += 1
                progress.warn(f"pagetidy: {outcome.record.id}: {outcome.error}")
                summary.add_failure(outcome.record.id, outcome.error)
            elif outcome.result is not None:
                summary.add(outcome.result, outcome.record.id)
    if args.summary:
        Console(stderr=True).print(summary)
    if isinstance(summary, report.HtmlReport):
        summary.write(args.report_html)
    return EXIT_FAILED if failed else EXIT_OK


def _explain(args: argparse.Namespace) -> int:
    name = "<stdin>" if args.path == "-" else args.path
    try:
        data = sys.stdin.buffer.read() if args.path == "-" else Path(args.path).read_bytes()
    except OSError as error:
        print(f"pagetidy: {name}: cannot read input: {error.strerror or error}", file=sys.stderr)
        return EXIT_FAILED
    cleaner = Cleaner(config_from(args))
    try:
        result = cleaner.clean(data)
    except PagetidyError as error:
        print(f"pagetidy: {name}: {error}", file=sys.stderr)
        return EXIT_FAILED
    if args.format == "json":
        print(json.dumps(report.explain_dict(result, name), ensure_ascii=False, indent=1))
    else:
        Console().print(report.Explanation(result, name, context=args.context))
    if args.report_html:
        page = report.HtmlReport()
        page.add(result, name)
        page.write(args.report_html)
    return EXIT_OK


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at devnull so the interpreter's final flush is quiet."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
