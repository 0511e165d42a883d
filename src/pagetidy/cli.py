"""The ``pagetidy`` command: argument wiring only; all behaviour lives in the library."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from pagetidy import __version__
from pagetidy.errors import PagetidyError
from pagetidy.markdown import to_markdown
from pagetidy.model import Result
from pagetidy.pipeline import Cleaner, Config
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
    clean.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    _add_config_options(clean)

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


def config_from(args: argparse.Namespace) -> Config:
    """The library Config the parsed options describe."""
    return Config(
        disable=frozenset(args.disable),
        enable=frozenset(args.enable),
        encoding=args.encoding,
        input=args.input,
        keep_comments=args.keep_comments,
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


def _clean(args: argparse.Namespace) -> int:
    cleaner = Cleaner(config_from(args))
    failed = 0
    with _open_output(args.output) as out:
        for name, data in _read_inputs(args.inputs):
            try:
                if data is None:
                    raise PagetidyError("cannot read input")
                result = cleaner.clean(data)
            except PagetidyError as error:
                failed += 1
                print(f"pagetidy: {name}: {error}", file=sys.stderr)
                continue
            _write(out, result, args.format, name)
    return EXIT_FAILED if failed else EXIT_OK


def _read_inputs(inputs: Sequence[str]) -> Iterator[tuple[str, bytes | None]]:
    for name in inputs or ["-"]:
        if name == "-":
            yield "<stdin>", sys.stdin.buffer.read()
            continue
        try:
            yield name, Path(name).read_bytes()
        except OSError as error:
            print(f"pagetidy: {name}: {error.strerror or error}", file=sys.stderr)
            yield name, None


class _open_output:  # noqa: N801 - used like open()
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
    elif output_format == "markdown":
        out.write(to_markdown(result) + "\n")
    else:
        out.write(result.text + "\n")


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at devnull so the interpreter's final flush is quiet."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
