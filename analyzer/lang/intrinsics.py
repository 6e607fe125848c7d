"""Intrinsic functions (``States.Format(...)`` and the other 17), parsed and checked.

Public API
==========

``parse_intrinsic(text) -> Call``
    Parse one call. Raises :class:`IntrinsicSyntaxError` (``message``, 1-based ``column``)
    when the text is not a well-formed call. Only the syntax is checked here.

``check_call(call) -> list[Problem]``
    Everything the service checks beyond syntax: the function exists, the number of
    arguments, the kind of each literal or nested-call argument, string escapes,
    ``States.Format`` placeholders against the argument count, nesting depth (at most 10)
    and the documented literal limits (``States.Hash`` algorithms, ``States.JsonMerge``'s
    third argument ``false``, ``States.ArrayRange`` step and size, ``States.MathAdd`` range).

``check_intrinsic(text) -> list[Problem]``
    Both of the above; a syntax error becomes a single problem.

``looks_like_intrinsic(text)``
    Whether a ``.$`` value is meant as a call rather than a path (it does not start with ``$``).

AST
===

``Call(name, args)``: ``args`` is a tuple whose items are literals (``StringLiteral``,
a ``str`` subclass that also keeps the text as written in ``raw``; ``int``; ``float``;
``bool``; ``None``), :class:`analyzer.lang.jsonpath.Path` objects, or nested ``Call``
objects. ``Call.arg_columns`` gives the 1-based column of each argument.

``format_template(raw) -> tuple``: the pieces of a ``States.Format`` template: literal
text (escapes resolved) and :data:`SLOT` for each ``{}``; raises ``ValueError`` for an
unescaped lone brace or an unknown escape.

Escapes (asl-semantics §3.6): inside a single-quoted literal, ``\\'``, ``\\{``, ``\\}``
and ``\\\\`` stand for the character itself; a backslash before anything else is an
error. The text given to this module is the JSON-decoded string, so a literal brace that
is written ``\\\\{`` in the ``.asl.json`` file arrives here as ``\\{``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from analyzer.lang._grammar import ColumnSyntaxError
from analyzer.lang.jsonpath import Path, PathSyntaxError, build_path

MAX_NESTING = 10
HASH_ALGORITHMS = ("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512")
INT32 = (-(2 ** 31), 2 ** 31 - 1)


class IntrinsicSyntaxError(ColumnSyntaxError):
    """A malformed intrinsic function call."""


class StringLiteral(str):
    """A single-quoted literal: the value (escapes resolved), with ``raw`` as written."""

    raw: str

    def __new__(cls, value: str, raw: str) -> "StringLiteral":
        obj = super().__new__(cls, value)
        obj.raw = raw
        return obj


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Any, ...] = ()
    text: str = field(default="", compare=False)
    column: int = field(default=1, compare=False, repr=False)
    arg_columns: tuple[int, ...] = field(default=(), compare=False, repr=False)

    def walk(self):
        """This call and every nested call, outermost first."""
        yield self
        for arg in self.args:
            if isinstance(arg, Call):
                yield from arg.walk()

    @property
    def depth(self) -> int:
        return 1 + max((a.depth for a in self.args if isinstance(a, Call)), default=0)


@dataclass(frozen=True)
class Problem:
    message: str
    column: int = 1


class _Slot:
    __slots__ = ()

    def __repr__(self) -> str:
        return "SLOT"


SLOT: Any = _Slot()


# ---- the 18 functions ----------------------------------------------------------------
# kind of each parameter: string, number, integer, boolean, array, object, any, path
# (path = the argument must select data, not be a literal). ``None`` max = variadic.

@dataclass(frozen=True)
class Signature:
    params: tuple[str, ...]
    returns: str
    min_args: int
    max_args: int | None
    variadic: str | None = None  # kind of every extra argument


SIGNATURES: dict[str, Signature] = {
    "States.Format": Signature(("string",), "string", 1, None, "any"),
    "States.StringToJson": Signature(("string",), "any", 1, 1),
    "States.JsonToString": Signature(("path",), "string", 1, 1),
    "States.Array": Signature((), "array", 0, None, "any"),
    "States.ArrayPartition": Signature(("array", "integer"), "array", 2, 2),
    "States.ArrayContains": Signature(("array", "any"), "boolean", 2, 2),
    "States.ArrayRange": Signature(("integer", "integer", "integer"), "array", 3, 3),
    "States.ArrayGetItem": Signature(("array", "integer"), "any", 2, 2),
    "States.ArrayLength": Signature(("array",), "integer", 1, 1),
    "States.ArrayUnique": Signature(("array",), "array", 1, 1),
    "States.Base64Encode": Signature(("string",), "string", 1, 1),
    "States.Base64Decode": Signature(("string",), "string", 1, 1),
    "States.Hash": Signature(("string", "string"), "string", 2, 2),
    "States.JsonMerge": Signature(("object", "object", "boolean"), "object", 3, 3),
    "States.MathRandom": Signature(("integer", "integer", "integer"), "integer", 2, 3),
    "States.MathAdd": Signature(("integer", "integer"), "integer", 2, 2),
    "States.StringSplit": Signature(("string", "string"), "array", 2, 2),
    "States.UUID": Signature((), "string", 0, 0),
}

#: Functions whose result is a string: the ones ErrorPath/CausePath accept (ArrayGetItem
#: may return a string, so the service allows it too).
STRING_RESULT = frozenset(n for n, s in SIGNATURES.items() if s.returns == "string") | {"States.ArrayGetItem"}


def looks_like_intrinsic(text: Any) -> bool:
    return isinstance(text, str) and not text.startswith("$")


# ---- parsing -------------------------------------------------------------------------

def parse_intrinsic(text: str) -> Call:
    """Parse one intrinsic call; raises :class:`IntrinsicSyntaxError`."""
    if not isinstance(text, str):
        raise IntrinsicSyntaxError(f"an intrinsic function call must be a string, not {type(text).__name__}")
    return _parse_cached(text)


@lru_cache(maxsize=4096)
def _parse_cached(text: str) -> Call:
    from analyzer.lang._grammar import describe_error, error_column, parser

    stripped = text.strip()
    if not stripped:
        raise IntrinsicSyntaxError("the intrinsic function call is empty", 1)
    if not re.match(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+\s*\(", stripped):
        raise IntrinsicSyntaxError(
            "expected a path starting with '$' or an intrinsic function call such as States.Format(...)", 1)
    _check_nesting(text)
    try:
        tree = parser("call").parse(text)
    except Exception as exc:
        raise IntrinsicSyntaxError(f"malformed intrinsic function call: {describe_error(exc, text)}",
                                   error_column(exc, text)) from None
    return _call(tree, text)


#: Far past the service's own limit (MAX_NESTING, reported as a finding once parsed).
PARSE_NESTING_LIMIT = 100


def _check_nesting(text: str) -> None:
    """Calls nested deeper than PARSE_NESTING_LIMIT are refused before parsing: parsing and
    checking recurse once a level, and thousands of levels would exhaust the stack."""
    if text.count("(") <= PARSE_NESTING_LIMIT:
        return
    depth, quoted, escaped = 0, False, False
    for column, ch in enumerate(text, 1):
        if quoted:
            escaped, quoted = (False, True) if escaped else (ch == "\\", ch != "'")
        elif ch == "'":
            quoted = True
        elif ch == "(":
            depth += 1
            if depth > PARSE_NESTING_LIMIT:
                raise IntrinsicSyntaxError(
                    f"intrinsic function calls nested deeper than {PARSE_NESTING_LIMIT} levels", column)
        elif ch == ")":
            depth -= 1


def _call(tree, text: str) -> Call:
    name_tok = tree.children[0]
    args: list[Any] = []
    cols: list[int] = []
    for child in tree.children[1:]:
        if child is None:
            continue
        args.append(_arg(child, text))
        cols.append(_column(child))
    return Call(str(name_tok), tuple(args), text, name_tok.column, tuple(cols))


def _column(node) -> int:
    meta = getattr(node, "meta", None)
    if meta is not None and not getattr(meta, "empty", True):
        return meta.column
    return getattr(node, "column", 1) or 1


def _arg(node, text: str) -> Any:
    d = node.data
    if d == "call":
        inner = _call(node, text)
        start, end = getattr(node.meta, "start_pos", None), getattr(node.meta, "end_pos", None)
        if isinstance(start, int) and isinstance(end, int):
            inner = Call(inner.name, inner.args, text[start:end], inner.column, inner.arg_columns)
        return inner
    if d == "path":
        start = node.meta.start_pos
        end = node.meta.end_pos
        return build_path(node, text[start:end]) if isinstance(start, int) else build_path(node, "")
    if d == "arg_string":
        tok = str(node.children[0])
        raw = tok[1:-1]
        if tok[0] != "'":
            raise IntrinsicSyntaxError("string arguments are written in single quotes", node.children[0].column)
        return StringLiteral(_unescape_lenient(raw), raw)
    if d == "arg_number":
        tok = str(node.children[0])
        return int(tok) if re.fullmatch(r"-?\d+", tok) else float(tok)
    if d == "arg_true":
        return True
    if d == "arg_false":
        return False
    if d == "arg_null":
        return None
    raise IntrinsicSyntaxError(f"unsupported argument {d}", _column(node))  # pragma: no cover


_ESCAPABLE = "'{}\\"


def _unescape_lenient(raw: str) -> str:
    return re.sub(r"\\(.)", lambda m: m.group(1), raw, flags=re.S)


def bad_escapes(raw: str) -> list[str]:
    """Escapes other than ``\\'``, ``\\{``, ``\\}``, ``\\\\`` in a literal as written."""
    return [m.group(0) for m in re.finditer(r"\\(.)", raw, flags=re.S) if m.group(1) not in _ESCAPABLE]


def format_template(raw: str) -> tuple[Any, ...]:
    """Split a ``States.Format`` template (as written) into text pieces and :data:`SLOT` markers."""
    pieces: list[Any] = []
    buf: list[str] = []
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == "\\":
            if i + 1 >= len(raw) or raw[i + 1] not in _ESCAPABLE:
                nxt = raw[i + 1] if i + 1 < len(raw) else ""
                raise ValueError(f"'\\{nxt}' is not a valid escape (only \\', \\{{, \\}} and \\\\ are)")
            buf.append(raw[i + 1])
            i += 2
            continue
        if ch == "{":
            if raw[i + 1: i + 2] != "}":
                raise ValueError("a lone '{' must be escaped as '\\{'; '{}' is the only placeholder")
            if buf:
                pieces.append("".join(buf))
                buf = []
            pieces.append(SLOT)
            i += 2
            continue
        if ch == "}":
            raise ValueError("a lone '}' must be escaped as '\\}'")
        buf.append(ch)
        i += 1
    if buf:
        pieces.append("".join(buf))
    return tuple(pieces)


# ---- checks --------------------------------------------------------------------------

def check_intrinsic(text: str, allowed_results: frozenset[str] | None = None) -> list[Problem]:
    """Parse and check; ``allowed_results`` restricts which functions may be outermost."""
    try:
        call = parse_intrinsic(text)
    except (IntrinsicSyntaxError, PathSyntaxError) as exc:
        return [Problem(exc.message, exc.column)]
    problems = check_call(call)
    if allowed_results is not None and call.name in SIGNATURES and call.name not in allowed_results:
        problems.insert(0, Problem(f"{call.name} does not return a string; only "
                                   + ", ".join(sorted(allowed_results)) + " can be used here", call.column))
    return problems


def check_call(call: Call) -> list[Problem]:
    problems: list[Problem] = []
    if call.depth > MAX_NESTING:
        problems.append(Problem(f"intrinsic functions are nested {call.depth} deep; at most {MAX_NESTING} "
                                "levels are allowed", call.column))
    for c in call.walk():
        problems.extend(_check_one(c))
    return problems


def _kind_of(arg: Any) -> str:
    if isinstance(arg, Call):
        sig = SIGNATURES.get(arg.name)
        return sig.returns if sig else "any"
    if isinstance(arg, Path):
        return "path"
    if isinstance(arg, bool):
        return "boolean"
    if isinstance(arg, int):
        return "integer"
    if isinstance(arg, float):
        return "number"
    if isinstance(arg, str):
        return "string"
    return "null"


_KIND_WORDS = {
    "string": "a string", "number": "a number", "integer": "an integer", "boolean": "a boolean",
    "array": "an array", "object": "an object", "path": "a path", "null": "null", "any": "any value",
}


def _accepts(param: str, arg: Any) -> bool:
    kind = _kind_of(arg)
    if param == "any" or kind == "path":
        return True
    if isinstance(arg, Call):
        if kind == "any":
            return param != "path"
        if param == "path":
            return True  # a nested call's result stands in for selected data
        return kind == param or {kind, param} <= {"integer", "number"}
    if param == "path":
        return False
    if param == "integer":
        return kind in ("integer", "number")  # non-integers are rounded by the service
    if param == "number":
        return kind in ("integer", "number")
    return kind == param


def _ordinal(i: int) -> str:
    return {1: "first", 2: "second", 3: "third", 4: "fourth"}.get(i, f"{i}th")


def _check_one(call: Call) -> list[Problem]:
    out: list[Problem] = []
    sig = SIGNATURES.get(call.name)
    if sig is None:
        import difflib

        close = difflib.get_close_matches(call.name, list(SIGNATURES), n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]}?" if close else ""
        return [Problem(f"unknown intrinsic function {call.name}{hint}", call.column)]
    n = len(call.args)
    if n < sig.min_args or (sig.max_args is not None and n > sig.max_args):
        if sig.max_args is None:
            want = f"at least {sig.min_args}"
        elif sig.min_args == sig.max_args:
            want = str(sig.min_args)
        else:
            want = f"{sig.min_args} to {sig.max_args}"
        out.append(Problem(f"{call.name} takes {want} argument{'s' if want != '1' else ''}, not {n}",
                           call.column))
    cols = call.arg_columns or tuple(call.column for _ in call.args)
    for i, arg in enumerate(call.args):
        param = sig.params[i] if i < len(sig.params) else sig.variadic
        if param is None:
            break
        col = cols[i] if i < len(cols) else call.column
        if isinstance(arg, StringLiteral) and not (i == 0 and call.name == "States.Format"):
            bad = bad_escapes(arg.raw)
            if bad:
                out.append(Problem(f"'{bad[0]}' is not a valid escape in an intrinsic string (only \\', \\{{, "
                                   "\\} and \\\\ are)", col))
        if not _accepts(param, arg):
            got = _kind_of(arg)
            what = f"{arg.name}(), which returns {_KIND_WORDS[got]}" if isinstance(arg, Call) else _KIND_WORDS[got]
            want = "a path to the data (not a literal)" if param == "path" else _KIND_WORDS[param]
            out.append(Problem(f"the {_ordinal(i + 1)} argument of {call.name} must be {want}, not {what}", col))
    out.extend(_literal_limits(call, cols))
    return out


def _literal_limits(call: Call, cols: tuple[int, ...]) -> list[Problem]:
    out: list[Problem] = []
    a = call.args
    col = (lambda i: cols[i] if i < len(cols) else call.column)
    name = call.name
    if name == "States.Format" and a and isinstance(a[0], StringLiteral):
        try:
            pieces = format_template(a[0].raw)
        except ValueError as exc:
            out.append(Problem(f"States.Format template: {exc}", col(0)))
        else:
            slots = sum(1 for p in pieces if p is SLOT)
            if slots != len(a) - 1:
                out.append(Problem(f"the States.Format template has {slots} '{{}}' placeholder"
                                   f"{'s' if slots != 1 else ''} but {len(a) - 1} value"
                                   f"{'s follow' if len(a) - 1 != 1 else ' follows'} it", col(0)))
    elif name == "States.Hash" and len(a) >= 2 and isinstance(a[1], str) and a[1] not in HASH_ALGORITHMS:
        out.append(Problem(f"States.Hash algorithm {str(a[1])!r} is not one of " + ", ".join(HASH_ALGORITHMS),
                           col(1)))
    elif name == "States.JsonMerge" and len(a) >= 3 and a[2] is not False and isinstance(a[2], bool):
        out.append(Problem("the third argument of States.JsonMerge must be false (only shallow merges are "
                           "supported)", col(2)))
    elif name == "States.ArrayRange" and len(a) == 3:
        nums = [x for x in a if isinstance(x, (int, float)) and not isinstance(x, bool)]
        if isinstance(a[2], (int, float)) and not isinstance(a[2], bool) and round(a[2]) == 0:
            out.append(Problem("the step of States.ArrayRange must not be 0", col(2)))
        elif len(nums) == 3:
            start, end, step = (round(x) for x in a)
            count = max(0, (end - start) // step + 1)
            if count > 1000:
                out.append(Problem(f"States.ArrayRange would produce {count} items; at most 1000 are allowed",
                                   call.column))
    elif name == "States.ArrayPartition" and len(a) >= 2 and isinstance(a[1], (int, float)) \
            and not isinstance(a[1], bool) and round(a[1]) <= 0:
        out.append(Problem("the chunk size of States.ArrayPartition must be greater than 0", col(1)))
    elif name == "States.MathAdd":
        for i, x in enumerate(a[:2]):
            if isinstance(x, (int, float)) and not isinstance(x, bool) and not INT32[0] <= round(x) <= INT32[1]:
                out.append(Problem(f"States.MathAdd arguments must lie between {INT32[0]} and {INT32[1]}", col(i)))
    elif name in ("States.Base64Encode", "States.Base64Decode", "States.Hash") and a \
            and isinstance(a[0], str) and len(a[0]) > 10000:
        out.append(Problem(f"the input of {name} is limited to 10000 characters", col(0)))
    return out
