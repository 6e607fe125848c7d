"""JSONPath and reference paths as Step Functions accepts them, parsed to a small AST.

Public API
==========

``parse_path(text) -> Path``
    Parse a full JSONPath (the Jayway dialect AWS uses): ``$``/``$$``/``$var`` roots,
    ``.name``, ``['name']``, ``[0]``, ``[-1]``, unions ``[0,2]`` / ``['a','b']``, ``*``,
    slices ``[1:5:2]``, recursive descent ``..``, filters ``[?(@.price < 10)]`` and one
    trailing function such as ``.length()``. Raises :class:`PathSyntaxError`.

``parse_reference_path(text) -> Path``
    Parse a *reference path*: a path that names exactly one node, so only ``.name``,
    ``['name']`` and non-negative ``[index]`` steps (asl-semantics §3.5). Raises
    :class:`PathSyntaxError` naming the first step that is not allowed.

``PathSyntaxError(message, column)``
    ``column`` is 1-based within the path text.

AST
===

``Path(root, segments, function, text, is_reference)``
    ``root`` is ``"$"`` (state input), ``"$$"`` (context object), ``"$name"`` (workflow
    variable) or ``"@"`` (current node, inside filters); see ``kind`` and ``variable``.
    ``segments`` is a tuple of:

    * ``Field(name)``, ``Index(index)`` (negative counts from the end),
    * ``Wildcard()``, ``Slice(start, stop, step)`` (each ``None`` when omitted),
    * ``Union(selectors)``: a tuple of ``Field``/``Index``,
    * ``Descendant(selector)``: ``..`` followed by a Field, Wildcard or bracket selector,
    * ``Script(text)``: a Jayway script step such as ``[(@.length-1)]``, kept as text,
    * ``Filter(expr)``: ``expr`` is a ``Compare(op, left, right)``, ``BoolOp(op, operands)``
      (``op`` ``"&&"``/``"||"``), ``Not(operand)``, ``Literal(value)`` (an unquoted word such
      as ``Receipt`` in ``@.Name==Receipt`` is a string, as in Jayway), ``Regex(pattern,
      flags)``, ``JsonArray(items)`` or a ``Path`` (an existence test when alone).

    ``function`` is ``FunctionCall(name, args)`` or ``None``.

Every node is a frozen dataclass, so ASTs can be cached and shared. Parses are cached
per text; the common plain ``$.a.b[0]`` shape is recognised without invoking lark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Union as _U

from analyzer.lang._grammar import ColumnSyntaxError


class PathSyntaxError(ColumnSyntaxError):
    """A malformed path; ``column`` is 1-based within the path text."""


# ---- AST -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    name: str
    column: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class Index:
    index: int
    column: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class Wildcard:
    column: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class Slice:
    start: int | None
    stop: int | None
    step: int | None = None
    column: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class Union:
    selectors: tuple[_U[Field, Index], ...]
    column: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class Descendant:
    selector: Any  # Field | Wildcard | Index | Union | Slice | Filter
    column: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class Filter:
    expr: Any
    column: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class Script:
    """A Jayway script step such as ``[(@.length-1)]``; ``text`` is what is inside the parentheses."""

    text: str
    column: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class Compare:
    op: str  # == != < <= > >= =~ in nin subsetof anyof noneof size empty contains
    left: Any
    right: Any


@dataclass(frozen=True)
class BoolOp:
    op: str  # "&&" or "||"
    operands: tuple[Any, ...]


@dataclass(frozen=True)
class Not:
    operand: Any


@dataclass(frozen=True)
class Literal:
    value: Any  # str, int, float, bool or None


@dataclass(frozen=True)
class Regex:
    pattern: str
    flags: str = ""


@dataclass(frozen=True)
class JsonArray:
    items: tuple[Any, ...]


@dataclass(frozen=True)
class FunctionCall:
    name: str
    args: tuple[Any, ...] = ()
    column: int = field(default=0, compare=False, repr=False)


Segment = _U[Field, Index, Wildcard, Slice, Union, Descendant, Filter, Script]


@dataclass(frozen=True)
class Path:
    root: str
    segments: tuple[Segment, ...] = ()
    function: FunctionCall | None = None
    text: str = field(default="", compare=False)
    is_reference: bool = True

    @property
    def kind(self) -> str:
        """``input`` ($), ``context`` ($$), ``variable`` ($name) or ``current`` (@)."""
        if self.root == "$":
            return "input"
        if self.root == "$$":
            return "context"
        if self.root == "@":
            return "current"
        return "variable"

    @property
    def variable(self) -> str | None:
        return self.root[1:] if self.kind == "variable" else None

    def __str__(self) -> str:
        return self.text or self.root


# ---- parsing -------------------------------------------------------------------------

_SIMPLE = re.compile(r"(\$\$|\$[A-Za-z_][A-Za-z0-9_]*|\$)((?:\.[A-Za-z0-9_-]+|\[\d+\])*)\Z")
_SIMPLE_STEP = re.compile(r"\.([A-Za-z0-9_-]+)|\[(\d+)\]")


def looks_like_path(text: Any) -> bool:
    """Whether a string is meant as a path (starts with ``$``), as ASL decides for ``.$`` values."""
    return isinstance(text, str) and text.startswith("$")


def parse_path(text: str) -> Path:
    """Parse a full JSONPath; raises :class:`PathSyntaxError`."""
    if not isinstance(text, str):
        raise PathSyntaxError(f"a path must be a string, not {type(text).__name__}")
    return _parse_cached(text)


def parse_reference_path(text: str) -> Path:
    """Parse a reference path (one node: ``.name``, ``['name']``, ``[index]`` steps only)."""
    path = parse_path(text)
    if not path.is_reference:
        raise PathSyntaxError(*_why_not_reference(path))
    return path


@lru_cache(maxsize=8192)
def _parse_cached(text: str) -> Path:
    m = _SIMPLE.match(text)
    if m:
        return _simple(text, m)
    from analyzer.lang._grammar import describe_error, error_column, parser

    if not text.strip():
        raise PathSyntaxError("the path is empty", 1)
    if not text.lstrip().startswith("$"):
        raise PathSyntaxError("a path must start with '$' (input), '$$' (context) or '$name' (variable)", 1)
    try:
        tree = parser("path").parse(text)
    except Exception as exc:  # lark's UnexpectedInput family
        raise PathSyntaxError(f"malformed path: {describe_error(exc, text)}", error_column(exc, text)) from None
    return build_path(tree, text)


def _simple(text: str, m: re.Match) -> Path:
    root = m.group(1)
    segs: list[Segment] = []
    pos = m.start(2)
    for step in _SIMPLE_STEP.finditer(m.group(2)):
        col = pos + step.start() + 1
        if step.group(1) is not None:
            segs.append(Field(step.group(1), col))
        else:
            segs.append(Index(int(step.group(2)), col))
    return Path(root, tuple(segs), None, text, True)


def _why_not_reference(path: Path) -> tuple[str, int]:
    for seg in path.segments:
        kind = _DISALLOWED.get(type(seg))
        if kind:
            return f"a reference path selects a single node, so {kind} is not allowed here", seg.column or 1
        if isinstance(seg, Index) and seg.index < 0:
            return "a reference path cannot use a negative index", seg.column or 1
    if path.function is not None:
        return (f"a reference path cannot call a function ({path.function.name}())",
                path.function.column or 1)
    return "not a reference path", 1


_DISALLOWED = {
    Wildcard: "a wildcard (*)",
    Slice: "a slice",
    Union: "a union of several selectors",
    Descendant: "recursive descent (..)",
    Filter: "a filter expression",
    Script: "a script expression",
}


# ---- lark tree -> AST ------------------------------------------------------------------

def _unquote(token: str) -> str:
    body = token[1:-1]
    if "\\" not in body:
        return body
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)), body,
                  flags=re.S)


def _root(tree) -> str:
    kind = tree.data
    if kind == "root_current":
        return "@"
    return str(tree.children[0])


def _col(node) -> int:
    meta = getattr(node, "meta", None)
    if meta is not None and not getattr(meta, "empty", True):
        return meta.column
    col = getattr(node, "column", None)
    if isinstance(col, int):
        return col
    for child in getattr(node, "children", ()):
        if child is not None:
            c = _col(child)
            if c:
                return c
    return 0


def build_path(tree, text: str) -> Path:
    """Turn a lark ``path``/``filter_path`` tree into a :class:`Path`."""
    root = _root(tree.children[0])
    segments: list[Segment] = []
    function = None
    for child in tree.children[1:]:
        if child is None:
            continue
        if child.data == "function_call":
            function = _function(child)
        else:
            segments.append(_segment(child))
    is_ref = function is None and all(
        isinstance(s, Field) or (isinstance(s, Index) and s.index >= 0) for s in segments)
    return Path(root, tuple(segments), function, text, is_ref)


def _function(tree) -> FunctionCall:
    name_tok = tree.children[0]
    args = tuple(_expr(a) for a in tree.children[1:] if a is not None)
    return FunctionCall(str(name_tok), args, _col(tree))


def _segment(tree) -> Segment:
    d = tree.data
    col = _col(tree)
    if d == "child_field":
        return Field(str(tree.children[0]), col)
    if d == "child_wildcard":
        return Wildcard(col)
    if d == "descendant_field":
        return Descendant(Field(str(tree.children[1]), tree.children[1].column), tree.children[0].column)
    if d == "descendant_wildcard":
        return Descendant(Wildcard(tree.children[0].column), tree.children[0].column)
    if d == "descendant_bracket":
        return Descendant(_bracket(tree.children[1]), tree.children[0].column)
    if d in ("segment", "dot_bracket"):
        return _bracket(tree.children[0])
    raise PathSyntaxError(f"unsupported path step {d}", col or 1)  # pragma: no cover - grammar mismatch


def _bracket(tree) -> Segment:
    d = tree.data
    col = _col(tree)
    if d == "bracket_wildcard":
        return Wildcard(col)
    if d == "bracket_union":
        sels = tuple(_selector(s) for s in tree.children)
        return sels[0] if len(sels) == 1 else Union(sels, col)
    if d == "bracket_slice":
        parts = [int(p) if p is not None else None for p in tree.children[0].children]
        while len(parts) < 3:
            parts.append(None)
        return Slice(parts[0], parts[1], parts[2], col)
    if d == "bracket_filter":
        return Filter(_expr(tree.children[0]), col)
    if d == "bracket_script":
        return Script(str(tree.children[0])[1:-1], col)
    raise PathSyntaxError(f"unsupported bracket {d}", col)  # pragma: no cover


def _selector(tree) -> _U[Field, Index]:
    tok = tree.children[0]
    col = tok.column
    if tree.data == "selector_name":
        return Field(_unquote(str(tok)), col)
    return Index(int(tok), col)


def _expr(node) -> Any:
    d = node.data
    if d in ("or_op", "and_op"):
        parts = tuple(_expr(c) for c in node.children)
        return parts[0] if len(parts) == 1 else BoolOp("||" if d == "or_op" else "&&", parts)
    if d == "not_op":
        return Not(_expr(node.children[0]))
    if d == "compare":
        left, op, right = node.children
        return Compare(str(op), _expr(left), _expr(right))
    if d in ("filter_path", "path"):
        return build_path(node, "")
    if d == "json_array":
        return JsonArray(tuple(_expr(c) for c in node.children if c is not None))
    if d == "lit_string":
        return Literal(_unquote(str(node.children[0])))
    if d == "lit_number":
        tok = str(node.children[0])
        return Literal(int(tok) if re.fullmatch(r"-?\d+", tok) else float(tok))
    if d == "lit_true":
        return Literal(True)
    if d == "lit_false":
        return Literal(False)
    if d == "lit_null":
        return Literal(None)
    if d == "lit_bareword":
        return Literal(str(node.children[0]))
    if d == "lit_regex":
        tok = str(node.children[0])
        end = tok.rindex("/")
        return Regex(tok[1:end], tok[end + 1:])
    raise PathSyntaxError(f"unsupported filter construct {d}", 1)  # pragma: no cover
