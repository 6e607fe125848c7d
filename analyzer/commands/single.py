"""Reading the one definition that ``run``, ``tests`` and ``graph`` work on.

The three commands take a single DEFINITION (a file, or ``-`` for stdin) rather than a
tree, and a problem with it is a usage error (exit code 2) with one message wording for
all of them: the path, and what is wrong with it, with the line and column when the file
cannot be parsed.
"""

from __future__ import annotations

import os
import sys
from typing import Any


class UsageError(Exception):
    """A problem with what the user asked for: reported as ``aslcheck: <message>``, exit code 2."""


def read_text(path: str) -> str:
    """The decoded text of ``path`` (``-`` reads stdin)."""
    from analyzer.load.files import decode
    from analyzer.load.source import ParseError

    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        elif os.path.isdir(path):
            raise UsageError(f"{path} is a directory; name one definition file")
        elif not os.path.exists(path):
            raise UsageError(f"{path}: no such file")
        else:
            with open(path, "rb") as fh:
                data = fh.read()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return decode(data)
    except ParseError as exc:
        line, column = exc.line or 1, exc.column or 1
        raise UsageError(f"{path}:{line}:{column}: cannot parse the file: {exc.message}") from None


def parse(path: str, text: str, shown: str | None = None):
    """(document, extraction) for ``text``; a syntax error is a UsageError with its position."""
    from analyzer.load.definitions import extract
    from analyzer.load.files import is_explicit_asl, parse_text
    from analyzer.load.source import LineIndex, ParseError

    shown = shown or (path if path != "-" else "stdin.json")
    try:
        document = parse_text(text, shown)
    except ParseError as exc:
        line, column = (exc.line, exc.column or 1) if exc.line is not None else \
            LineIndex(text).position(min(exc.offset, len(text)))
        raise UsageError(f"{path}:{line}:{column}: cannot parse the file: {exc.message}") from None
    base_dir = os.path.dirname(os.path.abspath(path)) if path != "-" else None
    return document, extract(document, explicit_asl=is_explicit_asl(shown), base_dir=base_dir)


def load_definitions(path: str) -> list[Any]:
    """Every readable state machine definition in ``path`` (a bare ASL file or a template)."""
    _, extraction = parse(path, read_text(path))
    definitions = [d for d in extraction.definitions if d.value is not None]
    if not definitions:
        problems = [p.message for d in extraction.definitions for p in d.host_problems]
        problems += [f"{u.resource or u.file}: {u.reason}" for u in extraction.unchecked]
        detail = f" ({problems[0]})" if problems else ""
        raise UsageError(f"{path} holds no state machine definition{detail}")
    return definitions


def choose(path: str, definitions: list[Any], state_machine: str | None) -> Any:
    """The one definition to work on: the named one, or the only one."""
    if state_machine is not None:
        chosen = [d for d in definitions if d.resource == state_machine]
        if not chosen:
            names = ", ".join(str(d.resource) for d in definitions)
            raise UsageError(f"{path} has no state machine named {state_machine!r} (it has: {names})")
        return chosen[0]
    if len(definitions) > 1:
        names = ", ".join(str(d.resource) for d in definitions)
        raise UsageError(f"{path} holds {len(definitions)} state machines ({names}); choose one with --state-machine")
    return definitions[0]


def write_output(path: str, text: str) -> None:
    """Write a report or picture to ``path``, creating missing parent folders (CI often names
    ``reports/aslcheck.sarif`` in a fresh checkout); a path that cannot be written is a UsageError."""
    try:
        parent = os.path.dirname(os.path.abspath(path))
        os.makedirs(parent, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def emit(text: str, output: str | None) -> bool:
    """Write a report to ``output`` (or stdout); False, with the reason on stderr, when the
    file cannot be written (the caller then exits with the usage code)."""
    import click

    if not output:
        sys.stdout.write(text)
        return True
    try:
        write_output(output, text)
    except UsageError as exc:
        click.echo(f"aslcheck: {exc}", err=True)
        return False
    return True
