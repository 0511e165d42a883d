"""The ``pagetidy`` command: argument wiring only; all behaviour lives in the library."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from rich.console import Console

from pagetidy import __version__, report
from pagetidy.errors import PagetidyError
from pagetidy.model import Result
from pagetidy.pipeline import TARGET_SCRIPTS, Cleaner, Config
from pagetidy.rules import REGISTRY

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="pagetidy",
        description="Clean scraped Chinese web pages into main text, and explain every change.",
    )
    parser.add_argument("--version", action="version", version=f"pagetidy {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    clean = commands.add_parser("clean", help="clean pages and print their text or JSON")
    clean.add_argument("inputs", nargs="*", metavar="INPUT", help="files, or - for stdin")
    clean.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    clean.add_argument("--format", choices=("text", "json"), default="text")
    clean.add_argument(
        "--summary", action="store_true", help="end with a table of figures on stderr"
    )
    clean.add_argument("--report-html", metavar="FILE", help="also write an HTML report here")
    _add_config_options(clean)

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


def config_from(args: argparse.Namespace) -> Config:
    """The library Config the parsed options describe."""
    return Config(
        disable=frozenset(args.disable),
        enable=frozenset(args.enable),
        encoding=args.encoding,
        input=args.input,
        reference_date=args.reference_date,
        to=args.to,
        phrases=args.phrases,
        protect=tuple(args.protect),
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


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


def _list_rules(out: IO[str]) -> int:
    width = max(len(rule.name) for rule in REGISTRY)
    for rule in REGISTRY:
        default = "" if rule.default else " (off by default)"
        out.write(f"{rule.name:<{width}}  {rule.family:<10}  {rule.summary}{default}\n")
    return EXIT_OK


def _explain(args: argparse.Namespace) -> int:
    [(name, data)] = _read_inputs([args.path])
    if isinstance(data, OSError):
        print(f"pagetidy: {name}: cannot read input: {data.strerror or data}", file=sys.stderr)
        return EXIT_FAILED
    result = Cleaner(config_from(args)).clean(data)
    if args.format == "json":
        print(json.dumps(report.explain_dict(result, name), ensure_ascii=False, indent=1))
    else:
        Console().print(report.Explanation(result, name, context=args.context))
    if args.report_html:
        page = report.HtmlReport()
        page.add(result, name)
        page.write(args.report_html)
    return EXIT_OK


def _clean(args: argparse.Namespace) -> int:
    cleaner = Cleaner(config_from(args))
    failed = 0
    summary = report.HtmlReport() if args.report_html else report.Summary()
    keep_figures = args.summary or args.report_html
    with _open_output(args.output) as out:
        for name, data in _read_inputs(args.inputs):
            try:
                if isinstance(data, OSError):
                    raise PagetidyError(f"cannot read input: {data.strerror or data}")
                result = cleaner.clean(data)
            except PagetidyError as error:
                failed += 1
                print(f"pagetidy: {name}: {error}", file=sys.stderr)
                if keep_figures:
                    summary.add_failure(name, error)
                continue
            _write(out, result, args.format, name)
            if keep_figures:
                summary.add(result, name)
    if args.summary:
        Console(stderr=True).print(summary)
    if isinstance(summary, report.HtmlReport):
        summary.write(args.report_html)
    return EXIT_FAILED if failed else EXIT_OK


def _read_inputs(inputs: Sequence[str]) -> Iterator[tuple[str, bytes | OSError]]:
    for name in inputs or ["-"]:
        if name == "-":
            yield "<stdin>", sys.stdin.buffer.read()
            continue
        try:
            yield name, Path(name).read_bytes()
        except OSError as error:
            yield name, error


class _open_output:
    """Stdout, or a file written whole under a temporary name and renamed when done."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.temporary: Path | None = None
        self.handle: IO[str] = sys.stdout

    def __enter__(self) -> IO[str]:
        if self.path and self.path != "-":
            target = Path(self.path)
            self.temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            self.handle = self.temporary.open("w", encoding="utf-8")
        return self.handle

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if self.temporary is None:
            self.handle.flush()
            return
        self.handle.close()
        if error is None and self.path:
            self.temporary.replace(self.path)
        else:
            self.temporary.unlink(missing_ok=True)


def _write(out: IO[str], result: Result, output_format: str, name: str) -> None:
    if output_format == "json":
        record = {"source": name, **result.to_dict()}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    else:
        out.write(result.text + "\n")


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at devnull so the interpreter's final flush is quiet."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
