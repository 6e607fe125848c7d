"""JSONata expressions in ``{% ... %}`` strings, checked with a real JSONata parser.

Public API: ``is_expression(value)`` (the whole string is delimited), ``delimiter_problem
(value)`` (a string that starts or ends with a delimiter but not both), ``expression_body
(value)``, ``check_expression(value) -> str | None`` (the parser's complaint, or
``None``) and ``unsupported_reads(value)`` (names read with no context item, and whether
``$states.errorOutput`` is read). The ``jsonata-python`` package (import name ``jsonata``) is imported on the
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
def _parse(body: str) -> tuple[str | None, Any]:
    """(error message, AST) of an expression body; exactly one of them is ``None``."""
    if not body.strip():
        return "the JSONata expression is empty", None
    try:
        import jsonata
    except ImportError:  # pragma: no cover - a declared dependency
        return None, None
    try:
        return None, jsonata.Jsonata(body).ast
    except Exception as exc:  # jsonata.JException and friends
        msg = str(exc) or type(exc).__name__
        return msg.splitlines()[0], None


def _check(body: str) -> str | None:
    return _parse(body)[0]


# ---- names an expression reads without a context --------------------------------------
# Step Functions evaluates an expression with no context item: data comes from $states
# (input, result, errorOutput, context) and from variables. A path that starts with a bare
# field name, or with `$` or `$$`, reads nothing, and the service refuses the definition
# (UNSUPPORTED_JSONATA_EXPRESSION "Reference to 'x' at the top level is not supported").
# The walk is deliberately conservative: it does not look inside lambda bodies, and
# everything inside a predicate, a sort, a group or a later path step has a context.

_CHILDREN = ("lhs", "rhs", "expression", "expressions", "arguments", "condition", "then", "_else")


def _walk(node: Any, top: bool, out: list[str], errors: list[str], depth: int = 0) -> None:
    if node is None or depth > 200 or not hasattr(node, "type"):
        return
    kind = node.type
    if kind == "path":
        steps = getattr(node, "steps", None) or []
        if steps:
            first = steps[0]
            if getattr(first, "type", None) == "variable" and first.value == "states" and len(steps) > 1 \
                    and getattr(steps[1], "type", None) == "name" and steps[1].value == "errorOutput":
                errors.append("$states.errorOutput")
            _walk(first, top, out, errors, depth + 1)
            for step in steps[1:]:
                _walk(step, False, out, errors, depth + 1)
        _context_parts(node, out, errors, depth)
        return
    if kind == "name":
        if top:
            out.append(str(node.value))
        _context_parts(node, out, errors, depth)
        return
    if kind == "variable":
        if node.value == "" and top:
            out.append("$")
        elif node.value == "$":
            out.append("$$")
        _context_parts(node, out, errors, depth)
        return
    if kind == "lambda":
        return
    for attr in _CHILDREN:
        value = getattr(node, attr, None)
        for child in value if isinstance(value, list) else (value,):
            _walk(child, top, out, errors, depth + 1)
    pairs = getattr(node, "lhs_object", None)
    if pairs and kind == "unary":  # an object constructor: keys and values share the context
        for pair in pairs:
            for part in pair if isinstance(pair, (list, tuple)) else (pair,):
                _walk(part, top, out, errors, depth + 1)
    if kind == "function":
        _walk(getattr(node, "procedure", None), top, out, errors, depth + 1)
    _context_parts(node, out, errors, depth)


def _context_parts(node: Any, out: list[str], errors: list[str], depth: int) -> None:
    """Predicates, sort terms and group expressions: evaluated against a context item."""
    for stage in getattr(node, "stages", None) or ():
        _walk(getattr(stage, "expr", None), False, out, errors, depth + 1)
    for pred in getattr(node, "predicate", None) or ():
        _walk(getattr(pred, "expr", None), False, out, errors, depth + 1)
    for term in getattr(node, "terms", None) or ():
        _walk(getattr(term, "expression", None), False, out, errors, depth + 1)
    group = getattr(node, "group", None)
    if group is not None:
        for pair in getattr(group, "lhs_object", None) or ():
            for part in pair if isinstance(pair, (list, tuple)) else (pair,):
                _walk(part, False, out, errors, depth + 1)


def unsupported_reads(value: str) -> tuple[list[str], bool]:
    """(names read at the top level, whether ``$states.errorOutput`` is read) for a ``{% %}`` string.

    Names are in order of appearance, without repeats; ``$`` and ``$$`` appear as such.
    Returns nothing for strings that do not parse (their syntax error is reported instead).
    """
    if not is_expression(value):
        return [], False
    error, ast = _parse(expression_body(value))
    if error or ast is None:
        return [], False
    names: list[str] = []
    errors: list[str] = []
    try:
        _walk(ast, True, names, errors)
    except (AttributeError, TypeError):  # an AST shape this walk does not know: say nothing
        return [], False
    return list(dict.fromkeys(names)), bool(errors)


def check_expression(value: str) -> str | None:
    """The parse error of a ``{% %}`` string's body, or ``None`` when it parses."""
    if not is_expression(value):
        return delimiter_problem(value) or "not a {% %} expression"
    return _check(expression_body(value))
