"""Builds the lark parsers for the embedded languages, once per process.

lark is imported here and only here, on the first parse that needs it, so that commands
which never look inside a path (``aslcheck --version``, ``rules``) do not pay for it.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


class ColumnSyntaxError(ValueError):
    """A syntax problem in an embedded expression; ``column`` is 1-based within its text."""

    def __init__(self, message: str, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.column = column

    def __str__(self) -> str:
        return f"{self.message} (column {self.column})"


def _grammar_text(name: str) -> str:
    return resources.files("analyzer.grammars").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def parser(start: str):
    """The LALR parser for start rule ``path`` (JSONPath) or ``call`` (intrinsics)."""
    from lark import Lark

    text = _grammar_text("jsonpath.lark")
    if start == "call":
        text += "\n" + _grammar_text("intrinsics.lark")
    try:  # lark keeps the compiled tables in the temp directory, keyed by the grammar's hash
        return Lark(text, start=start, parser="lalr", maybe_placeholders=True, propagate_positions=True,
                    cache=True)
    except OSError:
        return Lark(text, start=start, parser="lalr", maybe_placeholders=True, propagate_positions=True)


def error_column(exc: Exception, text: str = "") -> int:
    """1-based column of a lark parse error (the end of the text when it ended too early)."""
    from lark.exceptions import UnexpectedEOF, UnexpectedToken

    if isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        return max(len(text), 1)
    col = getattr(exc, "column", None)
    if isinstance(col, int) and col > 0:
        return col
    pos = getattr(exc, "pos_in_stream", None)
    return pos + 1 if isinstance(pos, int) and pos >= 0 else 1


def describe_error(exc: Exception, text: str) -> str:
    """A short sentence for a lark error: what was found where."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    if isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        return "the expression ends too early"
    if isinstance(exc, UnexpectedToken):
        return f"unexpected {str(exc.token)!r}"
    if isinstance(exc, UnexpectedCharacters):
        pos = getattr(exc, "pos_in_stream", None)
        ch = text[pos] if isinstance(pos, int) and 0 <= pos < len(text) else "?"
        return f"unexpected character {ch!r}"
    return "syntax error"
