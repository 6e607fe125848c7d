"""JSONata expressions in ``{% ... %}`` strings, checked with a real JSONata parser.

Public API: ``is_expression(value)`` (the whole string is delimited), ``delimiter_problem
(value)`` (a string that starts or ends with a delimiter but not both), ``expression_body
(value)`` and ``check_expression(value) -> str | None`` (the parser's complaint, or
``None``). The ``jsonata-python`` package (import name ``jsonata``) is imported on the
first expression only. Parses are cached.

The delimiters must be the very first and last characters of the string (asl-semantics
§3.3); a string with anything before ``{%`` (even a space) is a literal, as the
AWS-recorded LocalStack fixture ``outputdecl/base_literals`` shows, so it is not
reported. Spacing inside the delimiters is not checked either: published AWS samples use
``{%$f(...)%}``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

OPEN, CLOSE = "{%", "%}"


def is_expression(value: Any) -> bool:
    return isinstance(value, str) and len(value) >= 4 and value.startswith(OPEN) and value.endswith(CLOSE)


def delimiter_problem(value: Any) -> str | None:
    """Why a string that looks like a half-delimited expression is malformed, else ``None``."""
    if not isinstance(value, str) or is_expression(value):
        return None
    if value.startswith(OPEN) and CLOSE not in value:
        return "the JSONata expression is opened with '{%' but never closed with '%}'"
    if value.endswith(CLOSE) and OPEN not in value:
        return "the string ends with '%}' but no JSONata expression was opened with '{%' at its start"
    return None


def expression_body(value: str) -> str:
    return value[len(OPEN):-len(CLOSE)]


@lru_cache(maxsize=4096)
def _check(body: str) -> str | None:
    if not body.strip():
        return "the JSONata expression is empty"
    try:
        import jsonata
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    try:
        jsonata.Jsonata(body)
    except Exception as exc:  # jsonata.JException and friends
        msg = str(exc) or type(exc).__name__
        return msg.splitlines()[0]
    return None


def check_expression(value: str) -> str | None:
    """The parse error of a ``{% %}`` string's body, or ``None`` when it parses."""
    if not is_expression(value):
        return delimiter_problem(value) or "not a {% %} expression"
    return _check(expression_body(value))
